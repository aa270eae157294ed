//! The enforcement watchlist (§16): construction on land whose survey is not complete,
//! whose values exceed the screening values without a completed risk assessment, or
//! that has not met its control or remediation targets; and remote-sensing patches.

use serde::{Deserialize, Serialize};
use serde_json::json;
use time::Date;

use super::survey::survey_complete;
use super::{Reason, Rule};
use crate::domain::lifecycle::Stage;

pub const BUILT_WITHOUT_SURVEY: Rule = Rule {
    id: "construction_without_completed_survey",
    clause: "《行动计划》§16",
    zh: "土壤污染状况调查未完成即开工建设。",
    en: "Construction started while the soil survey is not complete.",
};
pub const BUILT_OVER_SCREENING: Rule = Rule {
    id: "construction_over_screening_without_assessment",
    clause: "《行动计划》§16；土壤污染防治法 第六十条",
    zh: "土壤污染物含量超过筛选值但未完成风险评估即开工建设。",
    en: "Construction started where values exceed the screening values and no risk assessment is complete.",
};
pub const BUILT_BEFORE_TARGETS: Rule = Rule {
    id: "construction_before_targets_met",
    clause: "《行动计划》§16；土壤污染防治法 第六十六条",
    zh: "未达到风险管控、修复目标即开工建设。",
    en: "Construction started before the control or remediation targets were met.",
};
pub const PATCH_ON_FORBIDDEN_PARCEL: Rule = Rule {
    id: "remote_sensing_patch_on_restricted_parcel",
    clause: "《行动计划》§16",
    zh: "卫片图斑显示在调查未完成、超筛选值或名录内的地块上发生建设或占用。",
    en: "A remote-sensing patch shows construction or occupation on a parcel whose survey is incomplete, that exceeds the screening values, or that is on the list.",
};
pub const DUMPING_ON_UNUSED_LAND: Rule = Rule {
    id: "remote_sensing_dumping_on_unused_land",
    clause: "《行动计划》§9",
    zh: "卫片图斑显示未利用地上有倾倒、堆放行为。",
    en: "A remote-sensing patch shows dumping on unused land.",
};

/// What a remote-sensing patch (卫片图斑) shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, sqlx::Type)]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "patch_kind", rename_all = "snake_case")]
pub enum PatchKind {
    Construction,
    Dumping,
    Occupation,
}

impl PatchKind {
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "construction" | "建设" | "新增建设" => Some(PatchKind::Construction),
            "dumping" | "倾倒" | "堆放" | "倾倒堆放" => Some(PatchKind::Dumping),
            "occupation" | "占用" | "非法占用" => Some(PatchKind::Occupation),
            _ => None,
        }
    }
}

/// A stage in which building or occupying the land is a matter for enforcement.
pub fn stage_forbids_works(stage: Stage) -> bool {
    !survey_complete(stage) && stage != Stage::Unknown
        || stage == Stage::Contaminated
        || stage.is_use_restricted()
}

/// Why a parcel where construction started is on the watchlist.
pub fn construction_reasons(stage: Stage, construction_started_on: Option<Date>) -> Vec<Reason> {
    let Some(started) = construction_started_on else {
        return Vec::new();
    };
    let facts = json!({"stage": stage, "construction_started_on": started.to_string()});
    let mut out = Vec::new();
    if !survey_complete(stage) {
        out.push(BUILT_WITHOUT_SURVEY.fired(facts.clone()));
    }
    if stage == Stage::Contaminated {
        out.push(BUILT_OVER_SCREENING.fired(facts.clone()));
    }
    if stage.is_use_restricted() {
        out.push(BUILT_BEFORE_TARGETS.fired(facts));
    }
    out
}

/// Why a patch is a case: on a parcel in a forbidden stage, or dumping on unused land.
pub fn patch_reason(
    kind: PatchKind,
    parcel_stage: Option<Stage>,
    unused_land: bool,
    overlap_m2: f64,
) -> Option<Reason> {
    let facts = json!({"patch_kind": kind, "parcel_stage": parcel_stage, "unused_land": unused_land, "overlap_m2": overlap_m2});
    match kind {
        PatchKind::Dumping if unused_land => Some(DUMPING_ON_UNUSED_LAND.fired(facts)),
        PatchKind::Construction | PatchKind::Occupation
            if parcel_stage.is_some_and(stage_forbids_works) =>
        {
            Some(PATCH_ON_FORBIDDEN_PARCEL.fired(facts))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn rules(stage: Stage) -> Vec<&'static str> {
        construction_reasons(stage, Some(date!(2023 - 05 - 01)))
            .iter()
            .map(|r| r.rule)
            .collect()
    }

    #[test]
    fn each_construction_rule_fires_on_its_stage_and_not_elsewhere() {
        assert_eq!(
            rules(Stage::Surveying),
            vec!["construction_without_completed_survey"]
        );
        assert_eq!(
            rules(Stage::Contaminated),
            vec!["construction_over_screening_without_assessment"]
        );
        assert_eq!(
            rules(Stage::Remediating),
            vec!["construction_before_targets_met"]
        );
        assert!(rules(Stage::Cleared).is_empty());
        assert!(rules(Stage::Delisted).is_empty());
        assert!(
            construction_reasons(Stage::Surveying, None).is_empty(),
            "no construction, no case"
        );
    }

    #[test]
    fn patches_become_cases_only_where_the_plan_forbids_them() {
        assert!(patch_reason(PatchKind::Construction, Some(Stage::Listed), false, 10.0).is_some());
        assert!(patch_reason(PatchKind::Construction, Some(Stage::Cleared), false, 10.0).is_none());
        assert!(patch_reason(PatchKind::Construction, None, false, 0.0).is_none());
        assert!(patch_reason(PatchKind::Dumping, None, true, 0.0).is_some());
        assert!(patch_reason(PatchKind::Dumping, Some(Stage::Cleared), false, 5.0).is_none());
        assert!(patch_reason(PatchKind::Occupation, Some(Stage::Suspected), false, 5.0).is_some());
        assert_eq!(PatchKind::parse("倾倒"), Some(PatchKind::Dumping));
    }
}
