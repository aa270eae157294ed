// Interface language: Chinese first, English on request. Static labels carry
// data-i18n (text), data-i18n-placeholder or data-i18n-title; dynamic views re-render
// through onLangChange.
import { ENUMS, LAND_USES, RISKS, STAGES, STAGE_GROUPS, TOWNS } from './vocab.js';

const UI = {
  title: ['门头沟区建设用地土壤污染地块登记', 'Mentougou construction-land soil register'],
  demo_note: ['示例数据，非官方', 'synthetic demo data, not official'],
  search_placeholder: ['搜索地块编码、名称、地址或单位', 'Search code, name, address or firm'],
  search_none: ['未找到地块', 'No parcel found'],
  filters: ['筛选', 'Filters'],
  town: ['镇街', 'Town'],
  stage: ['阶段', 'Stage'],
  planned_use: ['规划用途', 'Planned use'],
  risk: ['风险', 'Risk'],
  all: ['全部', 'All'],
  stage_groups: ['阶段组', 'Groups'],
  stages: ['单一阶段', 'Single stages'],
  clear_filters: ['清除筛选', 'Clear'],
  overdue_filter: ['仅显示有逾期备案的地块', 'Only parcels with an overdue filing'],
  cql_label: ['CQL2 筛选条件（地图与列表共用）', 'CQL2 filter (shared by map and list)'],
  no_filter: ['（无）', '(none)'],
  parcels: ['地块', 'Parcels'],
  matched: ['共 {n} 个地块', '{n} parcels'],
  matched_many: ['超过 10,000 个地块', 'more than 10,000 parcels'],
  page_of: ['第 {a}–{b} 个', '{a}–{b}'],
  prev: ['上一页', 'Previous'],
  next: ['下一页', 'Next'],
  fit_results: ['缩放至本页', 'Zoom to page'],
  export: ['导出', 'Export'],
  export_format: ['格式', 'Format'],
  export_crs: ['坐标系', 'Coordinate system'],
  export_view_only: ['仅当前视图内的地块', 'Only parcels in the current view'],
  export_what: ['导出符合上方筛选条件的全部地块（与地图、列表一致）。', 'Exports every parcel the filter above selects (as the map and the list show).'],
  export_download: ['下载', 'Download'],
  import_files: ['导入文件…', 'Import a file…'],
  crs_4490: ['CGCS2000 经纬度 (4490)', 'CGCS2000 degrees (4490)'],
  crs_4548: ['高斯 117°E (4548)', 'Gauss–Krüger 117°E (4548)'],
  crs_4547: ['高斯 114°E (4547)', 'Gauss–Krüger 114°E (4547)'],
  crs_4527: ['3度带 39 带，含带号 (4527)', '3° zone 39, prefixed (4527)'],
  crs_4526: ['3度带 38 带，含带号 (4526)', '3° zone 38, prefixed (4526)'],
  loading: ['加载中…', 'Loading…'],
  load_failed: ['加载失败：{m}', 'Failed to load: {m}'],
  empty_list: ['没有符合条件的地块', 'No parcel matches'],
  layers: ['图层', 'Layers'],
  legend: ['图例', 'Legend'],
  layer_parcels: ['建设用地地块', 'Construction-land parcels'],
  layer_extent: ['区界', 'District boundary'],
  layer_towns: ['镇街界', 'Town boundaries'],
  layer_closed_sites: ['关停企业原址', 'Closed-factory sites'],
  layer_key_units: ['土壤污染重点监管单位', 'Key supervised units'],
  layer_sampling_points: ['采样点位', 'Sampling points'],
  layer_farmland_plots: ['耕地、园地', 'Farmland and orchards'],
  layer_patches: ['卫片图斑', 'Remote-sensing patches'],
  legend_stages: ['地块生命周期阶段（放大至14级以上显示地块）', 'Parcel lifecycle stage (parcels from zoom 14)'],
  legend_clusters: ['汇总点（13级及以下）：大小表示地块数量，颜色表示名录内及污染地块占比', 'Clusters (zoom ≤ 13): size = number of parcels, colour = share listed or contaminated'],
  share_none: ['无', 'none'],
  share_some: ['25%', '25%'],
  share_half: ['≥50%', '≥50%'],
  legend_points: ['采样点最大筛选值倍数：>1 超标（红），≤1 未超（绿）', 'Sampling point worst ratio to screening value: >1 red, ≤1 green'],
  cluster_popup: ['{n} 个地块 · 名录内 {l} · 污染 {c} · 疑似/调查 {s}', '{n} parcels · listed {l} · contaminated {c} · suspected/surveying {s}'],
  zoom_in_hint: ['放大查看地块', 'Zoom in for parcels'],
  close: ['关闭', 'Close'],
  closure_year: ['关停年份', 'Closed in'],
  detected_on: ['发现日期', 'Detected'],
  enterprise: ['企业', 'Enterprise'],
  uscc: ['统一社会信用代码', 'Credit code (USCC)'],
  industry: ['行业代码', 'Industry code'],
  worst_ratio: ['最大筛选值倍数', 'Worst ratio to screening value'],
  parcel: ['所属地块', 'Parcel'],
  farmland_class: ['类别', 'Class'],
  attributes: ['基本信息', 'Attributes'],
  code: ['地块编码', 'Code'],
  name: ['名称', 'Name'],
  address: ['地址', 'Address'],
  current_use: ['现状用途', 'Current use'],
  gb_class: ['GB 36600 用地类别', 'GB 36600 class'],
  class_n: ['第{n}类用地', 'Class {n}'],
  land_right: ['土地权属状态', 'Land right'],
  right_holder: ['权利人', 'Right holder'],
  responsible_party: ['责任主体', 'Responsible party'],
  area: ['面积', 'Area'],
  mu: ['亩', 'mu'],
  ha: ['公顷', 'ha'],
  updated_at: ['更新时间', 'Updated'],
  version: ['版本', 'Version'],
  timeline: ['生命周期记录', 'Lifecycle'],
  no_history: ['暂无记录', 'No events recorded'],
  stage_after: ['此后阶段', 'Stage after'],
  recorded_by: ['{user}（{dept}）于 {at} 录入', 'recorded by {user} ({dept}) on {at}'],
  voided: ['已被更正撤销', 'voided by a correction'],
  documents: ['文件', 'Documents'],
  exceedances: ['超标检测项', 'Exceedances'],
  screening_class: ['按第{n}类用地筛选', 'screened against class {n}'],
  results_n: ['{n} 个检测结果', '{n} results'],
  item: ['检测项', 'Item'],
  value: ['检测值', 'Value'],
  limit: ['限值', 'Limit'],
  ratio: ['倍数', 'Ratio'],
  point: ['点位', 'Point'],
  depth: ['深度', 'Depth'],
  sampled_on: ['采样日期', 'Sampled'],
  printable_report: ['打印版报告', 'Printable report'],
  no_exceedance: ['无超标项', 'No exceedance'],
  background_excused: ['不超过背景值，不计', 'under background value, not counted'],
  filings: ['备案', 'Filings'],
  ledger_entries: ['关联台账', 'Ledger entries'],
  no_ledger_entries: ['暂无关联台账记录', 'No ledger entries'],
  closed_site_risk: ['风险等级：{r}', 'risk: {r}'],
  ledger_count: ['台账 {n} 条', '{n} ledger entries'],
  no_filings: ['暂无备案', 'No filings'],
  kind: ['类型', 'Kind'],
  submitter: ['报送单位', 'Submitter'],
  received_on: ['接收日期', 'Received'],
  deadline: ['期限', 'Deadline'],
  status: ['状态', 'Status'],
  overdue: ['已逾期', 'Overdue'],
  overdue_since: ['自 {d} 起逾期', 'overdue since {d}'],
  supply_check: ['供地核查', 'Supply check'],
  intended_use: ['拟供用途', 'Intended use'],
  check: ['核查', 'Check'],
  no_reasons: ['未触发任何规则', 'No rule fired'],
  clause: ['依据', 'Clause'],
  details_failed: ['部分信息加载失败', 'Some details failed to load'],
  lang_switch: ['English', '中文'],
  lang_switch_title: ['Switch to English', '切换为中文'],
  show_on_map: ['在地图上定位', 'Show on map'],
  payload_reason: ['原因', 'Reason'],
  payload_outcome: ['结论', 'Outcome'],
  payload_plan: ['方案类型', 'Plan'],
  payload_exceeded: ['超标项', 'Exceeded'],
  payload_evaluator: ['评估单位', 'Evaluator'],
  payload_contractor: ['施工单位', 'Contractor'],
  payload_quantity: ['转运量', 'Quantity'],
  payload_destination: ['去向', 'Destination'],
  payload_deadline: ['期限', 'Deadline'],
  payload_voids: ['撤销记录', 'Voids event'],
  payload_planned_on: ['计划日期', 'Planned on'],
  sign_in: ['登录', 'Sign in'],
  sign_out: ['退出', 'Sign out'],
  signed_in: ['已登录', 'Signed in'],
  token_placeholder: ['粘贴访问令牌', 'Paste your access token'],
  role_planning: ['区规自分局 编辑', 'Planning bureau editor'],
  role_eco: ['区生态环境局 编辑', 'Ecology bureau editor'],
  role_housing: ['区住建委 编辑', 'Housing bureau editor'],
  role_admin: ['管理员', 'Administrator'],
  role_viewer: ['只读', 'Read only'],
  sign_in_to_write: ['登录后可录入', 'Sign in to record changes'],
  record_event: ['录入生命周期事件', 'Record a lifecycle event'],
  occurred_on: ['发生日期', 'Occurred on'],
  note: ['备注', 'Note'],
  document: ['附件（可选）', 'Document (optional)'],
  submit: ['提交', 'Submit'],
  cancel: ['取消', 'Cancel'],
  saving: ['提交中…', 'Saving…'],
  saved: ['已保存', 'Saved'],
  refused: ['不予录入', 'Refused'],
  write_failed: ['提交失败：{m}', 'Failed: {m}'],
  flags: ['提示', 'Flags'],
  edit_parcel: ['编辑地块', 'Edit parcel'],
  edit_boundary: ['拖动顶点修改边界', 'Drag vertices to edit the boundary'],
  reset_boundary: ['还原边界', 'Reset boundary'],
  stale_version: ['他人已修改此地块（版本 {n}），未保存您的修改。', 'Someone else changed this parcel (version {n}); your edit was not saved.'],
  reload: ['重新加载', 'Reload'],
  geometry_error: ['边界有误：{m}', 'Boundary error: {m}'],
  draw_parcel: ['绘制新地块', 'Draw a new parcel'],
  draw_hint: ['在地图上单击添加顶点，双击或点“完成”闭合边界；Esc 取消。', 'Click the map to add vertices; double-click or Finish closes the boundary; Esc cancels.'],
  draw_vertices: ['已添加 {n} 个顶点', '{n} vertices'],
  draw_undo: ['撤销顶点', 'Undo vertex'],
  draw_finish: ['完成', 'Finish'],
  draw_again: ['重新绘制', 'Draw again'],
  draw_need_three: ['至少需要 3 个顶点', 'At least 3 vertices are needed'],
  code_hint: ['字母、数字、-、_、.，最多 40 个字符', 'letters, digits, -, _ or ., at most 40'],
  review: ['会审', 'Review'],
  dashboard: ['看板', 'Dashboard'],
  map_view: ['地图', 'Map'],
  reviews: ['会审会议', 'Review sessions'],
  no_reviews: ['暂无会审会议', 'No review sessions'],
  new_review: ['新建会审', 'New session'],
  review_title: ['会议名称', 'Title'],
  held_on: ['会议日期', 'Held on'],
  participants: ['参会人员（逗号分隔）', 'Participants (comma separated)'],
  agenda: ['议程地块编码（逗号或换行分隔）', 'Agenda parcel codes (comma or newline separated)'],
  agenda_from_list: ['使用当前列表', 'Use the current list'],
  create: ['创建', 'Create'],
  present: ['上会演示', 'Present'],
  minutes_html: ['会议纪要（HTML）', 'Minutes (HTML)'],
  minutes_csv: ['会议纪要（CSV）', 'Minutes (CSV)'],
  item_n: ['第 {i} / {n} 项', 'Item {i} of {n}'],
  decision: ['决定', 'Decision'],
  conditions: ['条件', 'Conditions'],
  record_decision: ['记录决定', 'Record decision'],
  decision_with_event: ['同时记录相应的生命周期或土地事件', 'Also record the matching lifecycle or land event'],
  decision_event: ['随决定记录的事件', 'Event recorded with the decision'],
  decision_event_recorded: ['已记录事件：{kind}（#{id}）', 'Event recorded: {kind} (#{id})'],
  show_timeline: ['在地块时间轴中查看', 'Show in the parcel timeline'],
  latest_decision: ['最近决定', 'Latest decision'],
  no_decision: ['尚未决定', 'No decision yet'],
  dec_approve: ['同意', 'Approve'],
  dec_approve_with_conditions: ['附条件同意', 'Approve with conditions'],
  dec_defer: ['暂缓', 'Defer'],
  dec_reject: ['不同意', 'Reject'],
  safe_rates: ['安全利用率', 'Safe-utilization rates'],
  target: ['目标', 'Target'],
  no_denominator: ['本年度无统计对象', 'nothing to count this year'],
  overdue_filings: ['逾期备案', 'Overdue filings'],
  watchlist: ['执法关注名单', 'Enforcement watchlist'],
  watch_cases: ['各案情况', 'The cases'],
  watch_construction: ['开工建设', 'Construction'],
  watch_patch: ['卫片图斑', 'Remote-sensing patch'],
  plan_tasks: ['行动计划任务', 'Plan tasks'],
  measures_done: ['已完成措施', 'Measures done'],
  measures_at_risk: ['存在风险的措施', 'Measures at risk'],
  surveys_due: ['90日内应完成调查', 'Surveys due within 90 days'],
  show_parcels: ['在地图上显示这些地块', 'Show these parcels on the map'],
  code_filter: ['按编码筛选：{n} 个地块', 'Filtered by code: {n} parcels'],
  year: ['年度', 'Year'],
  contaminated_area: ['年末污染地块面积', 'Contaminated parcel area at year end'],
  clear_code_filter: ['取消', 'Clear'],
  geom_self_intersection: ['边界自相交', 'the boundary crosses itself'],
  geom_outside_extent: ['边界超出辖区范围', 'the boundary leaves the district'],
  geom_unclosed_ring: ['边界未闭合', 'the boundary ring is not closed'],
  geom_too_few_points: ['边界顶点过少', 'too few vertices'],
  geom_zero_area: ['边界面积为零', 'the boundary has no area'],
  geom_too_many_vertices: ['边界顶点过多', 'too many vertices'],
  geom_invalid_coordinates: ['坐标无效', 'invalid coordinates'],
  geom_wrong_geometry_type: ['几何类型不符', 'wrong geometry type'],
  geom_empty_geometry: ['边界为空', 'empty boundary'],
  tasks_year: ['（{n} 项任务 · {y}年度）', '({n} tasks · {y})'],
};

const STORE_KEY = 'soilreg.lang';
let lang = readStoredLang();
const listeners = [];

function readStoredLang() {
  try {
    return localStorage.getItem(STORE_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

export function getLang() {
  return lang;
}

export function setLang(next) {
  lang = next === 'en' ? 'en' : 'zh';
  try {
    localStorage.setItem(STORE_KEY, lang);
  } catch {
    // private mode: the choice lasts for this page only
  }
  applyStatic();
  for (const fn of listeners) fn(lang);
}

export function onLangChange(fn) {
  listeners.push(fn);
}

/** A UI string, with {name} placeholders filled from vars. */
export function t(key, vars = {}) {
  const entry = UI[key];
  let s = entry ? entry[lang === 'en' ? 1 : 0] : key;
  for (const [k, v] of Object.entries(vars)) s = s.replaceAll(`{${k}}`, String(v));
  return s;
}

const pick = (pair) => (pair ? pair[lang === 'en' ? 1 : 0] : null);
const byId = (list, id) => list.find((x) => x.id === id);

export const stageName = (id) => byId(STAGES, id)?.[lang] ?? id ?? '—';
export const groupName = (id) => byId(STAGE_GROUPS, id)?.[lang] ?? id;
export const townName = (id) => byId(TOWNS, id)?.[lang] ?? id ?? '—';
export const riskName = (id) => byId(RISKS, id)?.[lang] ?? id ?? '—';
/** An enumeration value's name (see ENUMS), or the raw value when unknown. */
export const enumName = (kind, value) => pick(ENUMS[kind]?.[value]) ?? value ?? '—';
/** A land-use code with its name, e.g. "0701 城镇住宅用地". */
export function useName(code) {
  if (!code) return '—';
  const name = pick(LAND_USES[code]);
  return name ? `${code} ${name}` : code;
}
/** A department code (or a town's 9-digit code) as a name. */
export function departmentName(code) {
  return pick(ENUMS.department[code]) ?? (byId(TOWNS, code) ? townName(code) : code);
}

/** Refreshes every element labelled with data-i18n*. */
export function applyStatic(root = document) {
  document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of root.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
}
