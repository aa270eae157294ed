//! When a parcel's soil survey is due (§4a), and what an event that passes the deadline does.
//!
//! §4a: the survey is due before the land-use right is withdrawn or transferred; where
//! neither is involved, before the planning indicators are fixed; where the right was
//! withdrawn before 2019-01-01 (the Soil Pollution Law's entry into force), or in other
//! cases, before the land is supplied.
//!
//! Decisions per rule (said in every answer): withdrawal, transfer and fixing indicators
//! without a completed survey are recorded and **flagged** — they are acts of other
//! authorities that the registry must reflect, and the flag feeds enforcement; supplying
//! land for housing or public services without a completed survey is **refused** (law
//! Art 59 ¶2 requires the survey before such a change of use); other supply is flagged.

use serde::Serialize;
use serde_json::json;
use time::{Date, Month};

use super::{Reason, Rule};
use crate::domain::land_use::LandUse;
use crate::domain::lifecycle::{Event, EventKind, LandRight, Stage};
use crate::domain::parcel::Risk;

pub const DUE_BEFORE_WITHDRAWAL: Rule = Rule {
    id: "survey_due_before_withdrawal",
    clause: "《行动计划》§4a",
    zh: "土地使用权收回前应完成土壤污染状况调查。（记录并标记）",
    en: "The survey is due before the land-use right is withdrawn. (Recorded and flagged.)",
};
pub const DUE_BEFORE_TRANSFER: Rule = Rule {
    id: "survey_due_before_transfer",
    clause: "《行动计划》§4a",
    zh: "土地使用权转让前应完成土壤污染状况调查。（记录并标记）",
    en: "The survey is due before the land-use right is transferred. (Recorded and flagged.)",
};
pub const DUE_BEFORE_INDICATORS: Rule = Rule {
    id: "survey_due_before_indicators",
    clause: "《行动计划》§4a",
    zh: "不涉及收回、转让的，应在确定规划条件（规划指标）前完成土壤污染状况调查。（记录并标记）",
    en: "Where no withdrawal or transfer is involved, the survey is due before the planning indicators are fixed. (Recorded and flagged.)",
};
pub const DUE_BEFORE_SUPPLY: Rule = Rule {
    id: "survey_due_before_supply",
    clause: "《行动计划》§4a",
    zh: "2019年1月1日前已收回土地使用权的，或其他情形，应在土地供应前完成土壤污染状况调查。（记录并标记）",
    en: "Where the right was withdrawn before 2019-01-01, or in other cases, the survey is due before the land is supplied. (Recorded and flagged.)",
};
pub const SUPPLY_WITHOUT_SURVEY: Rule = Rule {
    id: "no_supply_for_sensitive_use_without_survey",
    clause: "土壤污染防治法 第五十九条第二款；《行动计划》§4a、§5",
    zh: "用途变更为住宅、公共管理与公共服务用地的，变更前应当完成土壤污染状况调查；未完成调查不得供地。（拒绝）",
    en: "Land whose use changes to housing or public services must be surveyed before the change; it may not be supplied before the survey is complete. (Refused.)",
};

/// The Soil Pollution Law came into force on this day; rights withdrawn before it fall under "before supply".
pub const LAW_IN_FORCE: Date = match Date::from_calendar_date(2019, Month::January, 1) {
    Ok(d) => d,
    Err(_) => Date::MIN,
};

/// What the survey must precede.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    BeforeWithdrawal,
    BeforeTransfer,
    BeforeIndicators,
    BeforeSupply,
}

/// A survey that is due: before what, by when if known, and whether the moment has passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SurveyDue {
    pub trigger: Trigger,
    pub due_by: Option<Date>,
    pub overdue: bool,
}

/// The facts the deadline rules use.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct SurveyFacts {
    pub stage: Stage,
    pub risk: Option<Risk>,
    pub current_use: Option<&'static str>,
    pub planned_use: Option<&'static str>,
    pub land_right: LandRight,
    pub withdrawal_planned_for: Option<Date>,
    pub transfer_planned_for: Option<Date>,
    pub withdrawn_on: Option<Date>,
    pub transferred_on: Option<Date>,
    pub indicators_fixed_on: Option<Date>,
    pub supplied_on: Option<Date>,
    /// From the annual land-supply plan, when recorded.
    pub supply_planned_for: Option<Date>,
}

impl SurveyFacts {
    /// The dates of land events, from a parcel's non-voided events in recording order.
    pub fn with_land_dates<'a>(
        mut self,
        events: impl IntoIterator<Item = (&'a Event, Date)>,
    ) -> Self {
        for (e, on) in events {
            match e {
                Event::WithdrawalPlanned { planned_on } => {
                    self.withdrawal_planned_for = *planned_on
                }
                Event::TransferPlanned { planned_on } => self.transfer_planned_for = *planned_on,
                Event::RightWithdrawn => self.withdrawn_on = Some(on),
                Event::RightTransferred => self.transferred_on = Some(on),
                Event::IndicatorsFixed => self.indicators_fixed_on = Some(on),
                Event::LandSupplied => self.supplied_on = Some(on),
                _ => {}
            }
        }
        self
    }
}

fn use_of(code: Option<&str>) -> Option<LandUse> {
    code.and_then(LandUse::parse)
}

/// Whether the survey is complete: the stage is past the survey.
pub fn survey_complete(stage: Stage) -> bool {
    !matches!(
        stage,
        Stage::Unknown | Stage::Suspected | Stage::Surveying | Stage::Phase2Needed
    )
}

/// Whether the law and the plan call for a survey of this parcel: it is suspected or of
/// medium or high risk (Art 59 ¶1), its use is to change to housing or public services
/// (Art 59 ¶2), or it is industrial or warehouse land whose right is to change hands.
pub fn survey_required(f: &SurveyFacts) -> bool {
    if survey_complete(f.stage) {
        return false;
    }
    let planned = use_of(f.planned_use);
    let current = use_of(f.current_use);
    let to_sensitive = planned.is_some_and(|p| p.is_residential() || p.is_public_service())
        && current.is_none_or(|c| !(c.is_residential() || c.is_public_service()));
    let industrial =
        current.is_some_and(|c| c.code().starts_with("10") || c.code().starts_with("11"));
    let changing_hands = !matches!(f.land_right, LandRight::InUse);
    f.stage == Stage::Suspected
        || matches!(f.risk, Some(Risk::High | Risk::Medium))
        || to_sensitive
        || (industrial && changing_hands)
}

/// When the survey is due, if it is required and not complete.
pub fn survey_due(f: &SurveyFacts, today: Date) -> Option<SurveyDue> {
    if !survey_required(f) {
        return None;
    }
    let due = |trigger, due_by: Option<Date>, passed: bool| SurveyDue {
        trigger,
        due_by,
        overdue: passed || due_by.is_some_and(|d| d < today),
    };
    Some(match f.land_right {
        LandRight::WithdrawalPlanned => {
            due(Trigger::BeforeWithdrawal, f.withdrawal_planned_for, false)
        }
        LandRight::TransferPlanned => due(Trigger::BeforeTransfer, f.transfer_planned_for, false),
        LandRight::Withdrawn => match f.withdrawn_on {
            Some(on) if on >= LAW_IN_FORCE => due(Trigger::BeforeWithdrawal, Some(on), true),
            _ => due(Trigger::BeforeSupply, f.supply_planned_for, false),
        },
        LandRight::Transferred => due(Trigger::BeforeTransfer, f.transferred_on, true),
        LandRight::Supplied => due(Trigger::BeforeSupply, f.supplied_on, true),
        LandRight::InUse => match f.indicators_fixed_on {
            None => due(Trigger::BeforeIndicators, None, false),
            Some(on) => due(Trigger::BeforeIndicators, Some(on), true),
        },
    })
}

/// What an event does to a due survey.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum DeadlineCheck {
    Refuse { reason: Reason },
    Flag { reason: Reason },
}

/// Checks a land event against the survey deadline, before it is recorded.
/// `intended` is the use the land is supplied for (the planned use).
pub fn deadline_check(f: &SurveyFacts, kind: EventKind, today: Date) -> Option<DeadlineCheck> {
    let due = survey_due(f, today)?;
    let facts = json!({"stage": f.stage, "land_right": f.land_right, "planned_use": f.planned_use,
                       "survey_due": due, "event": kind.as_str()});
    let flag = |rule: Rule| {
        Some(DeadlineCheck::Flag {
            reason: rule.fired(facts.clone()),
        })
    };
    match kind {
        EventKind::RightWithdrawn => flag(DUE_BEFORE_WITHDRAWAL),
        EventKind::RightTransferred => flag(DUE_BEFORE_TRANSFER),
        EventKind::IndicatorsFixed if due.trigger == Trigger::BeforeIndicators => {
            flag(DUE_BEFORE_INDICATORS)
        }
        EventKind::LandSupplied => {
            let sensitive =
                use_of(f.planned_use).is_some_and(|p| p.is_residential() || p.is_public_service());
            if sensitive {
                Some(DeadlineCheck::Refuse {
                    reason: SUPPLY_WITHOUT_SURVEY.fired(facts),
                })
            } else {
                flag(DUE_BEFORE_SUPPLY)
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2023 - 06 - 01);

    fn facts(right: LandRight) -> SurveyFacts {
        SurveyFacts {
            risk: Some(Risk::High),
            current_use: Some("1001"),
            planned_use: Some("0701"),
            land_right: right,
            ..SurveyFacts::default()
        }
    }

    #[test]
    fn the_trigger_follows_the_land_right() {
        let mut f = facts(LandRight::WithdrawalPlanned);
        f.withdrawal_planned_for = Some(date!(2023 - 08 - 01));
        assert_eq!(
            survey_due(&f, TODAY),
            Some(SurveyDue {
                trigger: Trigger::BeforeWithdrawal,
                due_by: Some(date!(2023 - 08 - 01)),
                overdue: false
            })
        );
        let mut f = facts(LandRight::TransferPlanned);
        f.transfer_planned_for = Some(date!(2023 - 05 - 01));
        assert_eq!(
            survey_due(&f, TODAY).map(|d| (d.trigger, d.overdue)),
            Some((Trigger::BeforeTransfer, true))
        );
        let f = facts(LandRight::InUse);
        assert_eq!(
            survey_due(&f, TODAY).map(|d| (d.trigger, d.overdue)),
            Some((Trigger::BeforeIndicators, false))
        );
        let mut f = facts(LandRight::InUse);
        f.indicators_fixed_on = Some(date!(2023 - 01 - 01));
        assert_eq!(
            survey_due(&f, TODAY).map(|d| (d.trigger, d.overdue)),
            Some((Trigger::BeforeIndicators, true))
        );
    }

    #[test]
    fn a_right_withdrawn_before_2019_makes_the_survey_due_before_supply_and_after_it_overdue() {
        let mut f = facts(LandRight::Withdrawn);
        f.withdrawn_on = Some(date!(2018 - 12 - 31));
        f.supply_planned_for = Some(date!(2023 - 09 - 01));
        assert_eq!(
            survey_due(&f, TODAY),
            Some(SurveyDue {
                trigger: Trigger::BeforeSupply,
                due_by: Some(date!(2023 - 09 - 01)),
                overdue: false
            })
        );
        f.withdrawn_on = Some(date!(2019 - 01 - 01));
        assert_eq!(
            survey_due(&f, TODAY).map(|d| (d.trigger, d.overdue)),
            Some((Trigger::BeforeWithdrawal, true))
        );
    }

    #[test]
    fn no_survey_is_due_when_complete_or_not_required() {
        let mut f = facts(LandRight::InUse);
        f.stage = Stage::Cleared;
        assert_eq!(survey_due(&f, TODAY), None);
        let quiet = SurveyFacts {
            risk: Some(Risk::Low),
            current_use: Some("0901"),
            planned_use: Some("0901"),
            ..SurveyFacts::default()
        };
        assert_eq!(survey_due(&quiet, TODAY), None);
        let suspected = SurveyFacts {
            stage: Stage::Suspected,
            ..quiet.clone()
        };
        assert!(survey_due(&suspected, TODAY).is_some());
    }

    #[test]
    fn supplying_for_housing_without_a_survey_is_refused_and_other_steps_are_flagged() {
        let f = facts(LandRight::Withdrawn);
        assert!(matches!(
            deadline_check(&f, EventKind::LandSupplied, TODAY),
            Some(DeadlineCheck::Refuse { .. })
        ));
        let industry = SurveyFacts {
            planned_use: Some("1001"),
            ..facts(LandRight::Withdrawn)
        };
        assert!(
            matches!(deadline_check(&industry, EventKind::LandSupplied, TODAY), Some(DeadlineCheck::Flag { reason }) if reason.rule == "survey_due_before_supply")
        );
        let planned = facts(LandRight::WithdrawalPlanned);
        assert!(
            matches!(deadline_check(&planned, EventKind::RightWithdrawn, TODAY), Some(DeadlineCheck::Flag { reason }) if reason.rule == "survey_due_before_withdrawal")
        );
        assert_eq!(
            deadline_check(&planned, EventKind::PlanningPermit, TODAY),
            None
        );
        let done = SurveyFacts {
            stage: Stage::Cleared,
            ..facts(LandRight::Withdrawn)
        };
        assert_eq!(deadline_check(&done, EventKind::LandSupplied, TODAY), None);
    }

    #[test]
    fn land_dates_come_from_the_events() {
        let f = SurveyFacts::default().with_land_dates([
            (
                &Event::WithdrawalPlanned {
                    planned_on: Some(date!(2023 - 07 - 01)),
                },
                date!(2023 - 01 - 01),
            ),
            (&Event::RightWithdrawn, date!(2023 - 07 - 02)),
            (&Event::LandSupplied, date!(2023 - 10 - 01)),
        ]);
        assert_eq!(f.withdrawal_planned_for, Some(date!(2023 - 07 - 01)));
        assert_eq!(f.withdrawn_on, Some(date!(2023 - 07 - 02)));
        assert_eq!(f.supplied_on, Some(date!(2023 - 10 - 01)));
    }
}
