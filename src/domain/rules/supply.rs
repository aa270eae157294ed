//! The land-supply and planned-use check (§5; law Art 61; GB 36600 class rules).

use serde::Serialize;
use serde_json::json;
use time::Date;

use super::survey::SurveyDue;
use super::{Reason, Rule};
use crate::domain::land_use::{Gb36600Class, LandUse};
use crate::domain::lifecycle::Stage;
use crate::domain::parcel::Risk;

pub const UNSURVEYED_RISKY_SENSITIVE: Rule = Rule {
    id: "unsurveyed_risky_parcel_sensitive_use",
    clause: "《行动计划》§5；土壤污染防治法 第五十九条",
    zh: "未开展土壤污染状况调查的高风险或疑似污染地块，不得规划为住宅、商业服务业用地或学校、医院、养老等公共管理与公共服务用地。",
    en: "An unsurveyed parcel of high or suspected soil-pollution risk may not be planned as residential, commercial service, or public-service land such as schools, hospitals and social welfare.",
};
pub const UNSURVEYED_MEDIUM_SENSITIVE: Rule = Rule {
    id: "unsurveyed_medium_risk_sensitive_use",
    clause: "《行动计划》§5",
    zh: "中风险地块未完成土壤污染状况调查，规划为住宅、商业或公共服务用地须以调查结论为前提。",
    en: "A medium-risk parcel without a completed survey may be planned for residential, commercial or public-service use only on the condition of the survey's conclusion.",
};
pub const LISTED_SENSITIVE: Rule = Rule {
    id: "listed_parcel_not_for_sensitive_use",
    clause: "土壤污染防治法 第六十一条",
    zh: "列入（或待列入）建设用地土壤污染风险管控和修复名录的地块，不得作为住宅、公共管理与公共服务用地。",
    en: "A parcel on (or due for) the risk-control and remediation list may not be used for housing or public-service land.",
};
pub const LISTED_UNRELATED: Rule = Rule {
    id: "listed_parcel_no_unrelated_project",
    clause: "土壤污染防治法 第六十一条；省级名录管理要求",
    zh: "名录内地块未达到风险管控、修复目标前，禁止开工建设与风险管控、修复无关的项目。",
    en: "Until a listed parcel meets its control or remediation targets, no project unrelated to its control or remediation may be built on it.",
};
pub const CONTAMINATED_UNASSESSED: Rule = Rule {
    id: "contaminated_parcel_needs_risk_assessment",
    clause: "土壤污染防治法 第六十条",
    zh: "超过筛选值的污染地块须先完成风险评估，方可确定其能否供地及用途。",
    en: "A parcel over the screening values needs a completed risk assessment before its supply and use can be decided.",
};
pub const CLASS2_FOR_CLASS1: Rule = Rule {
    id: "class2_screening_not_valid_for_class1_use",
    clause: "GB 36600-2018 §5",
    zh: "调查结论依据第二类用地筛选值得出，不能直接用于第一类用地；须按第一类用地筛选值重新筛查。",
    en: "The survey concluded against class-2 screening values; the parcel cannot be released for a class-1 use without screening against class-1 values.",
};
pub const SURVEY_DUE: Rule = Rule {
    id: "survey_still_due",
    clause: "《行动计划》§4a",
    zh: "该地块的土壤污染状况调查尚未完成且已到期或即将到期，供地须以完成调查为条件。",
    en: "The parcel's survey is still due; supply is conditional on completing it.",
};

/// The verdict of a supply check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Allowed,
    Conditional,
    Blocked,
}

/// The facts a supply check uses.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SupplyFacts {
    pub stage: Stage,
    pub risk: Risk,
    pub survey_completed_on: Option<Date>,
    /// The class of the values the survey's conclusion rests on, when recorded.
    pub concluded_with_class: Option<Gb36600Class>,
    pub survey_due: Option<SurveyDue>,
}

/// The answer: a verdict and every rule that fired.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SupplyCheck {
    pub verdict: Verdict,
    pub reasons: Vec<Reason>,
}

fn survey_complete(stage: Stage) -> bool {
    !matches!(
        stage,
        Stage::Unknown | Stage::Suspected | Stage::Surveying | Stage::Phase2Needed
    )
}

/// Whether the parcel may be planned or supplied for `intended` use.
pub fn supply_check(f: &SupplyFacts, intended: LandUse) -> SupplyCheck {
    let sensitive =
        intended.is_residential() || intended.is_public_service() || intended.is_commercial();
    let housing_or_public = intended.is_residential() || intended.is_public_service();
    let facts = json!({
        "stage": f.stage, "risk": f.risk, "survey_completed_on": f.survey_completed_on.map(|d| d.to_string()),
        "intended_use": intended.code(), "intended_use_name": intended.name_zh(),
        "intended_class": intended.gb36600_class().number(),
        "concluded_with_class": f.concluded_with_class.map(Gb36600Class::number),
    });
    let mut blocked = Vec::new();
    let mut conditional = Vec::new();
    let surveyed = survey_complete(f.stage);
    if !surveyed && sensitive {
        if f.risk == Risk::High || f.stage == Stage::Suspected {
            blocked.push(UNSURVEYED_RISKY_SENSITIVE.fired(facts.clone()));
        } else if f.risk == Risk::Medium {
            conditional.push(UNSURVEYED_MEDIUM_SENSITIVE.fired(facts.clone()));
        }
    }
    if f.stage.is_use_restricted() {
        if housing_or_public {
            blocked.push(LISTED_SENSITIVE.fired(facts.clone()));
        } else {
            blocked.push(LISTED_UNRELATED.fired(facts.clone()));
        }
    }
    if f.stage == Stage::Contaminated {
        let reason = CONTAMINATED_UNASSESSED.fired(facts.clone());
        if sensitive {
            blocked.push(reason);
        } else {
            conditional.push(reason);
        }
    }
    if surveyed
        && f.concluded_with_class == Some(Gb36600Class::Two)
        && intended.gb36600_class() == Gb36600Class::One
        && matches!(f.stage, Stage::Cleared)
    {
        blocked.push(CLASS2_FOR_CLASS1.fired(facts.clone()));
    }
    if let Some(due) = &f.survey_due {
        let mut facts = facts.clone();
        facts["survey_due"] = json!(due);
        conditional.push(SURVEY_DUE.fired(facts));
    }
    let verdict = if !blocked.is_empty() {
        Verdict::Blocked
    } else if !conditional.is_empty() {
        Verdict::Conditional
    } else {
        Verdict::Allowed
    };
    blocked.extend(conditional);
    SupplyCheck {
        verdict,
        reasons: blocked,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::rules::survey::Trigger;

    fn facts(stage: Stage, risk: Risk) -> SupplyFacts {
        SupplyFacts {
            stage,
            risk,
            survey_completed_on: None,
            concluded_with_class: None,
            survey_due: None,
        }
    }

    fn check(f: &SupplyFacts, use_: &str) -> (Verdict, Vec<&'static str>) {
        let c = supply_check(f, LandUse::parse(use_).expect("use"));
        (c.verdict, c.reasons.iter().map(|r| r.rule).collect())
    }

    #[test]
    fn an_unsurveyed_high_risk_parcel_is_blocked_for_housing_schools_and_shops_but_not_industry() {
        let f = facts(Stage::Unknown, Risk::High);
        for use_ in ["0701", "080403", "0806", "0807", "0901"] {
            assert_eq!(
                check(&f, use_),
                (
                    Verdict::Blocked,
                    vec!["unsurveyed_risky_parcel_sensitive_use"]
                ),
                "{use_}"
            );
        }
        assert_eq!(check(&f, "1001").0, Verdict::Allowed);
        assert_eq!(
            check(&facts(Stage::Suspected, Risk::Unknown), "0701").0,
            Verdict::Blocked,
            "suspected counts as risky"
        );
        assert_eq!(
            check(&facts(Stage::Unknown, Risk::Low), "0701").0,
            Verdict::Allowed
        );
        assert_eq!(
            check(&facts(Stage::Surveying, Risk::Medium), "0701").0,
            Verdict::Conditional
        );
    }

    #[test]
    fn a_listed_parcel_is_blocked_for_every_use_with_the_right_reason() {
        let f = facts(Stage::Listed, Risk::High);
        assert_eq!(
            check(&f, "0701").1,
            vec!["listed_parcel_not_for_sensitive_use"]
        );
        assert_eq!(
            check(&f, "1001"),
            (Verdict::Blocked, vec!["listed_parcel_no_unrelated_project"])
        );
        assert_eq!(
            check(&facts(Stage::Delisted, Risk::High), "0701").0,
            Verdict::Allowed
        );
    }

    #[test]
    fn a_class2_conclusion_does_not_release_a_parcel_for_class1_use() {
        let mut f = facts(Stage::Cleared, Risk::Low);
        f.concluded_with_class = Some(Gb36600Class::Two);
        assert_eq!(
            check(&f, "0701"),
            (
                Verdict::Blocked,
                vec!["class2_screening_not_valid_for_class1_use"]
            )
        );
        assert_eq!(check(&f, "1001").0, Verdict::Allowed);
        f.concluded_with_class = Some(Gb36600Class::One);
        assert_eq!(check(&f, "0701").0, Verdict::Allowed);
    }

    #[test]
    fn a_survey_still_due_makes_supply_conditional_and_contamination_needs_assessment() {
        let mut f = facts(Stage::Unknown, Risk::Low);
        f.survey_due = Some(SurveyDue {
            trigger: Trigger::BeforeSupply,
            due_by: None,
            overdue: false,
        });
        assert_eq!(
            check(&f, "1001"),
            (Verdict::Conditional, vec!["survey_still_due"])
        );
        let c = facts(Stage::Contaminated, Risk::High);
        assert_eq!(
            check(&c, "1001"),
            (
                Verdict::Conditional,
                vec!["contaminated_parcel_needs_risk_assessment"]
            )
        );
        assert_eq!(check(&c, "0701").0, Verdict::Blocked);
    }
}
