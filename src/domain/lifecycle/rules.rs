//! The transition function: every lifecycle rule, each citing its source.

use serde::Serialize;
use time::Date;

use super::event::{Event, Phase1Outcome, Phase2Outcome, RiskOutcome};
use super::refusals::{
    Rule, DELISTING, EVALUATION, EVALUATOR_IS_CONTRACTOR, INDICATORS_ONCE, LISTING, PHASE1, PHASE2,
    PLAN, POST_MANAGEMENT, RISK, SENSITIVE_USE, SUPPLIED_ONCE, SURVEY_START, SUSPICION, TRANSFER,
    TRANSFER_PLAN, TRANSPORT, TRANSPORT_DEADLINE, UNRELATED_PROJECT, WITHDRAWAL, WITHDRAWAL_PLAN,
    WORKS_FINISH, WORKS_START,
};
use super::state::{iso_date, LandRight, ParcelState, Stage};
use super::Gb36600Class;

/// Facts the rules need besides the state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Context {
    /// Class of the parcel's planned use (class 1 when the use is unclear).
    pub planned_class: Gb36600Class,
    /// Date the event occurred (may be earlier than previous events).
    pub occurred_on: Date,
}

/// Why an event is refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleViolation {
    /// Stable `snake_case` id, e.g. `works_require_filed_plan`.
    pub rule: &'static str,
    /// The law article or Action Plan clause the rule rests on.
    pub clause: &'static str,
    pub message_zh: String,
    pub message_en: String,
}

impl std::fmt::Display for RuleViolation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.rule, self.message_en)
    }
}

impl std::error::Error for RuleViolation {}

fn expect_stage(stage: Stage, allowed: &[Stage], rule: &Rule) -> Result<(), RuleViolation> {
    if allowed.contains(&stage) {
        Ok(())
    } else {
        Err(rule.at_stage(stage))
    }
}

fn expect_right(right: LandRight, allowed: &[LandRight], rule: &Rule) -> Result<(), RuleViolation> {
    if allowed.contains(&right) {
        Ok(())
    } else {
        Err(rule.at_right(right))
    }
}

/// The transition function: the state after `event`, or the rule it breaks.
///
/// Soil events move the stage; land events move the land-use right and
/// record dates, and are refused only by the Art 61 list restrictions. A
/// correction leaves the state as it is: its effect is on the history, which
/// [`replay`](super::replay) handles.
///
/// # Errors
/// The [`RuleViolation`] the event breaks, naming the current stage or
/// land-right state and what must happen first.
pub fn apply(
    state: &ParcelState,
    event: &Event,
    ctx: &Context,
) -> Result<ParcelState, RuleViolation> {
    use Stage as S;
    let stage = state.stage;
    let right = state.land_right;
    let mut next = state.clone();
    match event {
        Event::SuspicionRaised { .. } => {
            expect_stage(stage, &[S::Unknown, S::Suspected], &SUSPICION)?;
            next.stage = S::Suspected;
        }
        Event::SurveyStarted => {
            expect_stage(
                stage,
                &[S::Unknown, S::Suspected, S::Cleared],
                &SURVEY_START,
            )?;
            next.stage = S::Surveying;
            // A re-survey supersedes the earlier conclusion until it concludes.
            next.survey_completed_on = None;
        }
        Event::Phase1Concluded { outcome } => {
            expect_stage(stage, &[S::Surveying], &PHASE1)?;
            match outcome {
                Phase1Outcome::Cleared => {
                    next.stage = S::Cleared;
                    next.survey_completed_on = Some(ctx.occurred_on);
                }
                Phase1Outcome::Phase2Needed => next.stage = S::Phase2Needed,
            }
        }
        Event::Phase2Concluded { outcome, .. } => {
            expect_stage(stage, &[S::Surveying, S::Phase2Needed], &PHASE2)?;
            next.stage = match outcome {
                Phase2Outcome::Cleared => S::Cleared,
                Phase2Outcome::Contaminated => S::Contaminated,
            };
            // Either way the survey is complete; exceeding values are its finding.
            next.survey_completed_on = Some(ctx.occurred_on);
        }
        Event::RiskAssessed { outcome } => {
            expect_stage(stage, &[S::Contaminated], &RISK)?;
            next.stage = match outcome {
                RiskOutcome::Acceptable => S::Cleared,
                RiskOutcome::ControlNeeded => S::ControlNeeded,
            };
        }
        Event::Listed => {
            expect_stage(stage, &[S::ControlNeeded], &LISTING)?;
            next.stage = S::Listed;
        }
        Event::PlanFiled { .. } => {
            expect_stage(stage, &[S::Listed], &PLAN)?;
            next.stage = S::PlanFiled;
        }
        Event::WorksStarted => {
            expect_stage(stage, &[S::PlanFiled], &WORKS_START)?;
            next.stage = S::Remediating;
        }
        Event::SoilTransportDeclared { deadline, .. } => {
            expect_stage(stage, &[S::Remediating], &TRANSPORT)?;
            if *deadline < ctx.occurred_on {
                let (deadline, declared) = (
                    iso_date::format(*deadline),
                    iso_date::format(ctx.occurred_on),
                );
                return Err(TRANSPORT_DEADLINE.violation(
                    format!("承诺的转运处置期限 {deadline} 早于申报日期 {declared}；须承诺申报日及以后的期限。"),
                    format!(
                        "The committed disposal deadline {deadline} is before the declaration \
                         date {declared}; commit to a deadline on or after the declaration."
                    ),
                ));
            }
        }
        Event::WorksFinished => {
            expect_stage(stage, &[S::Remediating], &WORKS_FINISH)?;
            next.stage = S::WorksFinished;
        }
        Event::EffectEvaluated {
            evaluator,
            contractor,
        } => {
            expect_stage(stage, &[S::WorksFinished], &EVALUATION)?;
            if same_unit(evaluator, contractor) {
                return Err(EVALUATOR_IS_CONTRACTOR.violation(
                    format!(
                        "效果评估单位「{evaluator}」与风险管控或修复施工单位「{contractor}」为同一单位；\
                         须另行委托其他单位开展效果评估。"
                    ),
                    format!(
                        "The effect evaluator \"{evaluator}\" is the works contractor \
                         \"{contractor}\"; a different unit must evaluate the effect."
                    ),
                ));
            }
            next.stage = S::EffectEvaluated;
        }
        Event::Delisted => {
            expect_stage(stage, &[S::EffectEvaluated], &DELISTING)?;
            next.stage = S::Delisted;
        }
        Event::PostManagement => {
            expect_stage(stage, &[S::Delisted, S::PostManagement], &POST_MANAGEMENT)?;
            next.stage = S::PostManagement;
        }
        Event::WithdrawalPlanned { .. } => {
            expect_right(right, &[LandRight::InUse], &WITHDRAWAL_PLAN)?;
            next.land_right = LandRight::WithdrawalPlanned;
        }
        Event::RightWithdrawn => {
            let allowed = [LandRight::InUse, LandRight::WithdrawalPlanned];
            expect_right(right, &allowed, &WITHDRAWAL)?;
            next.land_right = LandRight::Withdrawn;
        }
        Event::TransferPlanned { .. } => {
            expect_right(
                right,
                &[LandRight::InUse, LandRight::Withdrawn],
                &TRANSFER_PLAN,
            )?;
            next.land_right = LandRight::TransferPlanned;
        }
        Event::RightTransferred => {
            expect_right(right, &[LandRight::TransferPlanned], &TRANSFER)?;
            next.land_right = LandRight::Transferred;
        }
        Event::IndicatorsFixed => {
            if let Some(fixed_on) = state.indicators_fixed_on {
                let fixed_on = iso_date::format(fixed_on);
                return Err(INDICATORS_ONCE.violation(
                    format!(
                        "规划指标已于 {fixed_on} 确定；如原记录有误，请先以更正事件作废原记录。"
                    ),
                    format!(
                        "The planning indicators were already fixed on {fixed_on}; if that \
                         record is wrong, void it with a correction first."
                    ),
                ));
            }
            next.indicators_fixed_on = Some(ctx.occurred_on);
        }
        Event::LandSupplied => {
            if right == LandRight::Supplied {
                return Err(SUPPLIED_ONCE.at_right(right));
            }
            if ctx.planned_class == Gb36600Class::One && stage.is_use_restricted() {
                return Err(SENSITIVE_USE.at_stage(stage));
            }
            next.land_right = LandRight::Supplied;
            next.supplied_on = Some(ctx.occurred_on);
        }
        Event::ConstructionPermit => {
            if stage.is_use_restricted() {
                return Err(UNRELATED_PROJECT.at_stage(stage));
            }
        }
        Event::ConstructionStarted => {
            if stage.is_use_restricted() {
                return Err(UNRELATED_PROJECT.at_stage(stage));
            }
            // Events may be back-dated: keep the earliest start.
            next.construction_started_on = Some(
                state
                    .construction_started_on
                    .map_or(ctx.occurred_on, |earlier| earlier.min(ctx.occurred_on)),
            );
        }
        // Permits are recorded for sharing (§15); a correction acts on the history.
        Event::PlanningPermit | Event::Correction { .. } => {}
    }
    Ok(next)
}

/// Whether two unit names denote the same unit (Art 65): compared ignoring
/// surrounding and repeated whitespace, whitespace next to a bracket, ASCII
/// case, and full-width versus half-width brackets.
fn same_unit(a: &str, b: &str) -> bool {
    unit_key(a) == unit_key(b)
}

fn unit_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len());
    for word in name.split_whitespace() {
        let word: String = word
            .chars()
            .map(|c| match c {
                '（' => '(',
                '）' => ')',
                c => c.to_ascii_lowercase(),
            })
            .collect();
        let touches_bracket = key.ends_with(['(', ')']) || word.starts_with(['(', ')']);
        if !key.is_empty() && !touches_bracket {
            key.push(' ');
        }
        key.push_str(&word);
    }
    key
}
