//! Every reason an event can be refused: a stable id, the law article or
//! Action Plan clause it rests on, and what must happen first. Rules whose
//! messages need the event's own data (names, dates, ids) leave the
//! message empty here; it is composed where the rule is checked.

use super::rules::RuleViolation;
use super::state::{LandRight, Stage};

// Arts 60, 61, 64 and 66: content sourced, numbering recalled (see
// reference/regulatory-workflow.md).
const LAW_35: &str = "土壤污染防治法 第三十五条 (Soil Pollution Law Art. 35)";
const LAW_59: &str = "土壤污染防治法 第五十九条 (Soil Pollution Law Art. 59)";
const LAW_60: &str = "土壤污染防治法 第六十条 (Soil Pollution Law Art. 60)";
const LAW_61: &str = "土壤污染防治法 第六十一条 (Soil Pollution Law Art. 61)";
const LAW_61_NOTICES: &str = "土壤污染防治法 第六十一条及省级名录公告 \
                              (Soil Pollution Law Art. 61 and provincial list notices)";
const LAW_64: &str = "土壤污染防治法 第六十四条 (Soil Pollution Law Art. 64)";
const LAW_65: &str = "土壤污染防治法 第六十五条 (Soil Pollution Law Art. 65)";
const LAW_66: &str = "土壤污染防治法 第六十六条 (Soil Pollution Law Art. 66)";
const LAW_41_PLAN_4E: &str =
    "土壤污染防治法 第四十一条；《行动计划》§4e (Soil Pollution Law Art. 41; Action Plan §4e)";
const PLAN_4A: &str = "《行动计划》§4a (Action Plan §4a)";
const PLAN_4E: &str = "《行动计划》§4e (Action Plan §4e)";

/// A refusal reason: id, source, and what must happen first.
pub(super) struct Rule {
    pub(super) id: &'static str,
    pub(super) clause: &'static str,
    zh: &'static str,
    en: &'static str,
}

impl Rule {
    pub(super) const fn new(
        id: &'static str,
        clause: &'static str,
        zh: &'static str,
        en: &'static str,
    ) -> Self {
        Rule { id, clause, zh, en }
    }

    pub(super) fn violation(&self, message_zh: String, message_en: String) -> RuleViolation {
        RuleViolation {
            rule: self.id,
            clause: self.clause,
            message_zh,
            message_en,
        }
    }

    pub(super) fn at_stage(&self, stage: Stage) -> RuleViolation {
        self.violation(
            format!("地块当前阶段为「{}」：{}。", stage.label_zh(), self.zh),
            format!(
                "The parcel is at stage \"{}\": {}.",
                stage.label_en(),
                self.en
            ),
        )
    }

    pub(super) fn at_right(&self, right: LandRight) -> RuleViolation {
        self.violation(
            format!(
                "土地使用权当前状态为「{}」：{}。",
                right.label_zh(),
                self.zh
            ),
            format!(
                "The land-use right is \"{}\": {}.",
                right.label_en(),
                self.en
            ),
        )
    }
}

pub(super) const SUSPICION: Rule = Rule::new(
    "suspicion_requires_unsurveyed_parcel",
    LAW_59,
    "疑似污染只能在调查开始前登记；调查已开始的，请登记调查结论",
    "suspicion can be recorded only before a survey starts; once one has, record its conclusions",
);
pub(super) const SURVEY_START: Rule = Rule::new(
    "survey_requires_unsurveyed_or_cleared_parcel",
    LAW_59,
    "只有未调查、疑似污染或已排除污染（如改为更敏感用途需重新调查）的地块才能开始调查；\
     进行中的调查须先登记结论，已确认污染的地块按风险评估和管控修复程序办理",
    "a survey can start only on a parcel not yet surveyed, suspected, or cleared (a re-survey, \
     e.g. for a stricter use); conclude the survey under way first, and a contaminated parcel \
     goes through risk assessment and control or remediation instead",
);
pub(super) const PHASE1: Rule = Rule::new(
    "phase1_requires_survey",
    LAW_59,
    "须先登记调查开始（survey_started），才能登记第一阶段调查结论",
    "a survey must be started (survey_started) before its phase-1 conclusion is recorded",
);
pub(super) const PHASE2: Rule = Rule::new(
    "phase2_requires_survey",
    LAW_59,
    "须先登记调查开始（survey_started），才能登记第二阶段调查结论",
    "a survey must be started (survey_started) before its phase-2 conclusion is recorded",
);
pub(super) const RISK: Rule = Rule::new(
    "risk_assessment_requires_contamination",
    LAW_60,
    "须先由第二阶段调查确认超过筛选值（phase2_concluded: contaminated），才能登记风险评估结论",
    "a phase-2 survey must first find values above the screening value \
     (phase2_concluded: contaminated) before a risk assessment is recorded",
);
pub(super) const LISTING: Rule = Rule::new(
    "listing_requires_unacceptable_risk",
    LAW_61,
    "须先由风险评估认定需要风险管控或修复（risk_assessed: control_needed），才能列入名录",
    "a risk assessment must first find that control or remediation is needed \
     (risk_assessed: control_needed) before the parcel is listed",
);
pub(super) const PLAN: Rule = Rule::new(
    "plan_requires_listing",
    LAW_64,
    "须先列入风险管控和修复名录（listed），才能备案风险管控或修复方案",
    "the parcel must be on the control and remediation list (listed) before a plan is filed",
);
pub(super) const WORKS_START: Rule = Rule::new(
    "works_require_filed_plan",
    LAW_64,
    "须先将风险管控或修复方案备案（plan_filed），才能开始施工",
    "a control or remediation plan must be filed (plan_filed) before works start",
);
pub(super) const TRANSPORT: Rule = Rule::new(
    "soil_transport_requires_works",
    LAW_41_PLAN_4E,
    "污染土壤转运只能在风险管控或修复施工期间申报（works_started 之后、works_finished 之前）",
    "contaminated-soil transport can be declared only while control or remediation works are \
     under way (after works_started, before works_finished)",
);
pub(super) const TRANSPORT_DEADLINE: Rule = Rule::new(
    "soil_transport_deadline_before_declaration",
    PLAN_4E,
    "",
    "",
);
pub(super) const WORKS_FINISH: Rule = Rule::new(
    "works_finish_requires_works_started",
    LAW_64,
    "须先开始施工（works_started），才能登记施工完成",
    "works must have started (works_started) before they are recorded as finished",
);
pub(super) const EVALUATION: Rule = Rule::new(
    "evaluation_requires_finished_works",
    LAW_65,
    "须先完成风险管控或修复施工（works_finished），才能备案效果评估报告",
    "control or remediation works must be finished (works_finished) before the effect \
     evaluation is filed",
);
pub(super) const EVALUATOR_IS_CONTRACTOR: Rule =
    Rule::new("evaluator_is_contractor", LAW_65, "", "");
pub(super) const DELISTING: Rule = Rule::new(
    "delisting_requires_effect_evaluation",
    LAW_66,
    "须先备案效果评估报告（effect_evaluated），才能移出名录",
    "the effect-evaluation report must be filed (effect_evaluated) before the parcel leaves \
     the list",
);
pub(super) const POST_MANAGEMENT: Rule = Rule::new(
    "post_management_requires_delisting",
    LAW_35,
    "后期管理只适用于已移出名录（delisted）的地块",
    "post-management applies only once the parcel has left the list (delisted)",
);
pub(super) const WITHDRAWAL_PLAN: Rule = Rule::new(
    "withdrawal_plan_requires_right_in_use",
    PLAN_4A,
    "只有使用中的土地使用权才能登记拟收回",
    "only a land-use right in use can be planned for withdrawal",
);
pub(super) const WITHDRAWAL: Rule = Rule::new(
    "withdrawal_requires_right_in_use",
    PLAN_4A,
    "只有使用中或拟收回的土地使用权才能登记收回",
    "only a land-use right in use or planned for withdrawal can be withdrawn",
);
pub(super) const TRANSFER_PLAN: Rule = Rule::new(
    "transfer_plan_requires_right_in_use_or_withdrawn",
    PLAN_4A,
    "只有使用中或已收回的土地使用权才能登记拟转让",
    "only a land-use right in use or withdrawn can be planned for transfer",
);
pub(super) const TRANSFER: Rule = Rule::new(
    "transfer_requires_transfer_plan",
    PLAN_4A,
    "须先登记拟转让（transfer_planned），才能登记转让",
    "a transfer must be planned (transfer_planned) before the right is transferred",
);
pub(super) const INDICATORS_ONCE: Rule = Rule::new("indicators_already_fixed", PLAN_4A, "", "");
pub(super) const SUPPLIED_ONCE: Rule = Rule::new(
    "land_already_supplied",
    PLAN_4A,
    "土地已供应，不能再次供地；如原记录有误，请先以更正事件作废原记录",
    "the land has already been supplied; if that record is wrong, void it with a correction first",
);
pub(super) const SENSITIVE_USE: Rule = Rule::new(
    "listed_parcel_not_for_sensitive_use",
    LAW_61,
    "列入（或待列入）风险管控和修复名录的地块不得供作第一类用地（住宅、中小学、医疗卫生、\
     社会福利设施等）；须先完成风险管控或修复、效果评估并移出名录",
    "a parcel on (or due for) the control and remediation list may not be supplied for class-1 \
     use (housing, schools, hospitals, social welfare); control or remediation, effect \
     evaluation and removal from the list must come first",
);
pub(super) const UNRELATED_PROJECT: Rule = Rule::new(
    "listed_parcel_no_unrelated_project",
    LAW_61_NOTICES,
    "列入（或待列入）风险管控和修复名录的地块不得许可或开工与风险管控、修复无关的建设项目；\
     须先完成风险管控或修复、效果评估并移出名录",
    "no project unrelated to control or remediation may be permitted or started on a parcel on \
     (or due for) the control and remediation list; control or remediation, effect evaluation \
     and removal from the list must come first",
);

// Corrections rest on the registry's own rule: nothing is overwritten, the
// history is the record (DOMAIN.md).
const REGISTRY: &str = "soilreg 登记规则：记录只增不改 (registry rule: the record is append-only)";

pub(super) const TARGET_UNKNOWN: Rule = Rule::new("correction_target_unknown", REGISTRY, "", "");
pub(super) const TARGET_IS_CORRECTION: Rule =
    Rule::new("correction_cannot_void_correction", REGISTRY, "", "");
pub(super) const TARGET_ALREADY_VOIDED: Rule =
    Rule::new("correction_target_already_voided", REGISTRY, "", "");
pub(super) const BREAKS_HISTORY: Rule = Rule::new("correction_breaks_history", REGISTRY, "", "");
pub(super) const DUPLICATE_ID: Rule = Rule::new("duplicate_event_id", REGISTRY, "", "");
