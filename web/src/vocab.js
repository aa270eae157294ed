// The register's codes and their names in both languages. The 13 towns (/api/towns) and
// the land-use classification (/api/land-uses, src/domain/land_use.rs) are mirrored here
// for the first paint and for the English names the service does not keep; the browser
// test checks that they agree with what the service serves.

/** Lifecycle stages in lifecycle order, with the map colour of each. */
export const STAGES = [
  { id: 'unknown', color: '#b0b7bf', zh: '未调查', en: 'Not surveyed' },
  { id: 'suspected', color: '#f6d32d', zh: '疑似污染地块', en: 'Suspected' },
  { id: 'surveying', color: '#f5a623', zh: '调查中', en: 'Survey under way' },
  { id: 'phase2_needed', color: '#e8730c', zh: '需第二阶段调查', en: 'Phase-2 survey needed' },
  { id: 'cleared', color: '#3f9b4b', zh: '非污染地块', en: 'Not contaminated' },
  { id: 'contaminated', color: '#e0312b', zh: '污染地块', en: 'Contaminated' },
  { id: 'control_needed', color: '#a3141c', zh: '需管控修复', en: 'Control or remediation needed' },
  { id: 'listed', color: '#8e2aa6', zh: '名录内', en: 'On the control & remediation list' },
  { id: 'plan_filed', color: '#5a3fb8', zh: '方案已备案', en: 'Plan filed' },
  { id: 'remediating', color: '#1f6fd1', zh: '管控修复中', en: 'Control / remediation under way' },
  { id: 'works_finished', color: '#20a4d8', zh: '已完工', en: 'Works finished' },
  { id: 'effect_evaluated', color: '#13a89e', zh: '效果评估已备案', en: 'Effect evaluation filed' },
  { id: 'delisted', color: '#8cc152', zh: '已移出名录', en: 'Removed from the list' },
  { id: 'post_management', color: '#5d7f2c', zh: '后期管理', en: 'Post-management' },
];

/** Stage groups offered by the stage filter besides the single stages. */
export const STAGE_GROUPS = [
  { id: 'g:survey', stages: ['suspected', 'surveying', 'phase2_needed'], zh: '疑似及调查中', en: 'Suspected or being surveyed' },
  {
    id: 'g:list',
    stages: ['control_needed', 'listed', 'plan_filed', 'remediating', 'works_finished', 'effect_evaluated'],
    zh: '名录内及管控修复（全过程）',
    en: 'Listed, up to effect evaluation',
  },
  { id: 'g:safe', stages: ['cleared', 'delisted', 'post_management'], zh: '可安全利用', en: 'Safe to use' },
];

export const TOWNS = [
  { id: '110109001', zh: '大峪街道', en: 'Dayu Subdistrict' },
  { id: '110109002', zh: '城子街道', en: 'Chengzi Subdistrict' },
  { id: '110109003', zh: '东辛房街道', en: 'Dongxinfang Subdistrict' },
  { id: '110109004', zh: '大台街道', en: 'Datai Subdistrict' },
  { id: '110109005', zh: '王平镇', en: 'Wangping Town' },
  { id: '110109006', zh: '永定镇', en: 'Yongding Town' },
  { id: '110109007', zh: '龙泉镇', en: 'Longquan Town' },
  { id: '110109101', zh: '潭柘寺镇', en: 'Tanzhesi Town' },
  { id: '110109104', zh: '军庄镇', en: 'Junzhuang Town' },
  { id: '110109105', zh: '雁翅镇', en: 'Yanchi Town' },
  { id: '110109106', zh: '斋堂镇', en: 'Zhaitang Town' },
  { id: '110109107', zh: '清水镇', en: 'Qingshui Town' },
  { id: '110109108', zh: '妙峰山镇', en: 'Miaofengshan Town' },
];

export const RISKS = [
  { id: 'high', zh: '高', en: 'High' },
  { id: 'medium', zh: '中', en: 'Medium' },
  { id: 'low', zh: '低', en: 'Low' },
  { id: 'unknown', zh: '未知', en: 'Unknown' },
];

/** Planned-use filter: a code prefix (the register filters planned use by prefix). */
export const USE_FILTERS = ['07', '0701', '08', '080403', '080404', '0806', '0807', '09', '10', '1001', '11', '12', '13', '14'];

/** Uses offered by the supply check. */
export const SUPPLY_USES = ['0701', '080403', '0806', '0807', '09', '1001', '1101'];

/** Land-use names (用地用海分类), first and second level and the third where it matters. */
export const LAND_USES = {
  '01': ['耕地', 'Cropland'], '0101': ['水田', 'Paddy field'], '0102': ['水浇地', 'Irrigated land'], '0103': ['旱地', 'Dry land'],
  '02': ['园地', 'Plantation'], '0201': ['果园', 'Orchard'], '0202': ['茶园', 'Tea garden'], '0203': ['橡胶园', 'Rubber plantation'],
  '0204': ['其他园地', 'Other plantation'], '03': ['林地', 'Woodland'], '04': ['草地', 'Grassland'], '05': ['湿地', 'Wetland'],
  '06': ['农业设施建设用地', 'Agricultural facilities'],
  '07': ['居住用地', 'Residential'], '0701': ['城镇住宅用地', 'Urban housing'],
  '070101': ['一类城镇住宅用地', 'Urban housing, type 1'], '070102': ['二类城镇住宅用地', 'Urban housing, type 2'],
  '070103': ['三类城镇住宅用地', 'Urban housing, type 3'], '0702': ['城镇社区服务设施用地', 'Urban community services'],
  '0703': ['农村宅基地', 'Rural homesteads'], '0704': ['农村社区服务设施用地', 'Rural community services'],
  '08': ['公共管理与公共服务用地', 'Public administration and services'], '0801': ['机关团体用地', 'Government and organisations'],
  '0802': ['科研用地', 'Research'], '0803': ['文化用地', 'Culture'], '0804': ['教育用地', 'Education'],
  '080401': ['高等教育用地', 'Higher education'], '080402': ['中等职业教育用地', 'Vocational schools'],
  '080403': ['中小学用地', 'Primary and secondary schools'], '080404': ['幼儿园用地', 'Kindergartens'],
  '080405': ['其他教育用地', 'Other education'], '0805': ['体育用地', 'Sports'], '0806': ['医疗卫生用地', 'Medical and health'],
  '080601': ['医院用地', 'Hospitals'], '080602': ['基层医疗卫生设施用地', 'Community health facilities'],
  '080603': ['公共卫生用地', 'Public health'], '0807': ['社会福利用地', 'Social welfare'],
  '080701': ['老年人社会福利用地', 'Elderly care'], '080702': ['儿童社会福利用地', 'Child welfare'],
  '080703': ['残疾人社会福利用地', 'Disability welfare'], '080704': ['其他社会福利用地', 'Other welfare'],
  '09': ['商业服务业用地', 'Commercial services'], '0901': ['商业用地', 'Commercial'], '0902': ['商务金融用地', 'Business and finance'],
  '0903': ['娱乐用地', 'Entertainment'], '0904': ['其他商业服务业用地', 'Other commercial services'],
  '10': ['工矿用地', 'Industrial and mining'], '1001': ['工业用地', 'Industrial'], '100101': ['一类工业用地', 'Industrial, type 1'],
  '100102': ['二类工业用地', 'Industrial, type 2'], '100103': ['三类工业用地', 'Industrial, type 3'], '1002': ['采矿用地', 'Mining'],
  '1003': ['盐田', 'Salt pans'], '11': ['仓储用地', 'Warehousing'], '1101': ['物流仓储用地', 'Logistics and warehousing'],
  '1102': ['储备库用地', 'Reserve depots'], '12': ['交通运输用地', 'Transport'], '1201': ['铁路用地', 'Railways'],
  '1202': ['公路用地', 'Highways'], '1203': ['机场用地', 'Airports'], '1204': ['港口码头用地', 'Ports'],
  '1205': ['管道运输用地', 'Pipelines'], '1206': ['城市轨道交通用地', 'Urban rail'], '1207': ['城镇村道路用地', 'Roads'],
  '1208': ['交通场站用地', 'Transport stations'], '1209': ['其他交通设施用地', 'Other transport'],
  '13': ['公用设施用地', 'Utilities'], '1301': ['供水用地', 'Water supply'], '1302': ['排水用地', 'Drainage'],
  '1303': ['供电用地', 'Power supply'], '1304': ['供燃气用地', 'Gas supply'], '1305': ['供热用地', 'Heating'],
  '1306': ['通信用地', 'Telecommunications'], '1307': ['邮政用地', 'Postal'], '1308': ['广播电视设施用地', 'Broadcasting'],
  '1309': ['环卫用地', 'Sanitation'], '1310': ['消防用地', 'Fire services'], '1311': ['水工设施用地', 'Hydraulic works'],
  '1312': ['其他公用设施用地', 'Other utilities'], '14': ['绿地与开敞空间用地', 'Green and open space'],
  '1401': ['公园绿地', 'Parks'], '1402': ['防护绿地', 'Buffer green'], '1403': ['广场用地', 'Squares'],
  '15': ['特殊用地', 'Special use'], '16': ['留白用地', 'Reserved land'], '17': ['陆地水域', 'Inland water'], '23': ['其他土地', 'Other land'],
};

/** Enumerations shown in the panel: value → [中文, English]. */
export const ENUMS = {
  land_right: {
    in_use: ['使用中', 'In use'], withdrawal_planned: ['拟收回', 'Withdrawal planned'], withdrawn: ['已收回', 'Withdrawn'],
    transfer_planned: ['拟转让', 'Transfer planned'], transferred: ['已转让', 'Transferred'], supplied: ['已供应', 'Supplied'],
  },
  event: {
    suspicion_raised: ['识别为疑似污染地块', 'Suspicion raised'], survey_started: ['启动土壤污染状况调查', 'Survey started'],
    phase1_concluded: ['第一阶段调查结论', 'Phase-1 survey concluded'], phase2_concluded: ['第二阶段调查结论', 'Phase-2 survey concluded'],
    risk_assessed: ['风险评估结论', 'Risk assessed'], listed: ['列入风险管控和修复名录', 'Listed'],
    plan_filed: ['管控/修复方案备案', 'Plan filed'], works_started: ['管控修复工程开工', 'Works started'],
    soil_transport_declared: ['污染土壤转运申报', 'Soil transport declared'], works_finished: ['管控修复工程完工', 'Works finished'],
    effect_evaluated: ['效果评估备案', 'Effect evaluated'], delisted: ['移出名录', 'Removed from the list'],
    post_management: ['转入后期管理', 'Post-management'], withdrawal_planned: ['拟收回土地使用权', 'Withdrawal of the right planned'],
    right_withdrawn: ['收回土地使用权', 'Right withdrawn'], transfer_planned: ['拟转让土地使用权', 'Transfer of the right planned'],
    right_transferred: ['转让土地使用权', 'Right transferred'], indicators_fixed: ['确定规划条件', 'Planning indicators fixed'],
    land_supplied: ['土地供应', 'Land supplied'], planning_permit: ['建设工程规划许可', 'Planning permit'],
    construction_permit: ['施工许可', 'Construction permit'], construction_started: ['开工建设', 'Construction started'],
    correction: ['更正', 'Correction'],
  },
  outcome: {
    cleared: ['非污染地块', 'not contaminated'], phase2_needed: ['需第二阶段调查', 'phase 2 needed'],
    contaminated: ['污染地块', 'contaminated'], acceptable: ['风险可接受', 'risk acceptable'],
    control_needed: ['需管控修复', 'control or remediation needed'], control: ['风险管控', 'risk control'],
    remediation: ['修复', 'remediation'],
  },
  department: {
    eco: ['区生态环境局', 'Ecology & Environment Bureau'], planning: ['区规自分局', 'Planning & Natural Resources'],
    housing: ['区住建委', 'Housing & Construction'], agri: ['区农业农村局', 'Agriculture & Rural Affairs'],
    forestry: ['区园林绿化局', 'Landscaping & Forestry'], industry: ['区科信局', 'Science, Technology & Information'],
    water: ['区水务局', 'Water Authority'], park: ['中关村门头沟园管委会', 'Zhongguancun Mentougou Park'],
  },
  filing_kind: {
    survey_report: ['土壤污染状况调查报告', 'Survey report'], risk_assessment_report: ['风险评估报告', 'Risk assessment report'],
    control_plan: ['风险管控方案', 'Risk control plan'], remediation_plan: ['修复方案', 'Remediation plan'],
    effect_evaluation_report: ['效果评估报告', 'Effect evaluation report'], soil_transport_plan: ['污染土壤转运计划', 'Soil transport plan'],
    periodic_control_report: ['定期管控报告', 'Periodic control report'],
  },
  filing_status: {
    received: ['已接收', 'Received'], under_review: ['审查中', 'Under review'], accepted: ['已备案', 'Accepted'], returned: ['已退回', 'Returned'],
  },
  verdict: {
    no_data: ['无检测数据', 'No sampling data'], below_screening: ['均未超过筛选值', 'All below screening values'],
    over_screening: ['超过筛选值', 'Over screening values'], over_intervention: ['超过管制值', 'Over intervention values'],
  },
  level: { screening: ['筛选值', 'screening'], intervention: ['管制值', 'intervention'] },
  supply: { allowed: ['可供应', 'Allowed'], conditional: ['有条件供应', 'Conditional'], blocked: ['不得供应', 'Blocked'] },
  site_risk: { high: ['高风险', 'High risk'], medium: ['中风险', 'Medium risk'], low: ['低风险', 'Low risk'] },
  farmland_class: {
    priority_protection: ['优先保护类', 'Priority protection'], safe_use: ['安全利用类', 'Safe use'], strict_control: ['严格管控类', 'Strict control'],
  },
  patch_kind: { construction: ['建设', 'Construction'], dumping: ['倾倒', 'Dumping'], occupation: ['占用', 'Occupation'] },
};
