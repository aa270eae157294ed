//! Deriving a parcel's state from its stored events, corrections included.

use std::collections::HashSet;

use serde::Serialize;
use time::Date;

use super::event::Event;
use super::kind::EventKind;
use super::refusals::{
    BREAKS_HISTORY, DUPLICATE_ID, TARGET_ALREADY_VOIDED, TARGET_IS_CORRECTION, TARGET_UNKNOWN,
};
use super::rules::{apply, Context, RuleViolation};
use super::state::{ParcelState, Stage};
use super::Gb36600Class;

/// A stored event, in recording order.
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    pub id: i64,
    pub event: Event,
    pub occurred_on: Date,
    /// Class of the parcel's planned use when the event was recorded: a later
    /// change of planned use does not rewrite what was lawful then.
    pub planned_class: Gb36600Class,
}

/// The derived state and the stage after each event, for the history view.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Replay {
    pub state: ParcelState,
    pub steps: Vec<Step>,
}

/// One line of the history: for a voided event or a correction, the stage
/// the parcel had at that point of the corrected history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Step {
    pub id: i64,
    pub stage_after: Stage,
    pub voided: bool,
}

/// Replays `events` in recording order, skipping those voided by a
/// correction. Dates do not order events: back-dating is allowed.
///
/// # Errors
/// `duplicate_event_id`; a correction voiding an id that is not an earlier
/// event (`correction_target_unknown`), another correction
/// (`correction_cannot_void_correction`) or an event already voided
/// (`correction_target_already_voided`); otherwise the rule of the first
/// event that fails, or `correction_breaks_history` when it fails only
/// because of a correction.
pub fn replay(events: &[Recorded], initial: &ParcelState) -> Result<Replay, RuleViolation> {
    let voids = collect_voids(events)?;
    let voided: Vec<i64> = voids.iter().map(|v| v.target).collect();
    derive(events, &voided, initial).map_err(|failure| blame(events, initial, failure))
}

/// Checks a new event against a parcel's stored events and returns the
/// replay with it appended: the db layer calls it in the transaction that
/// stores the event, and stores the derived stage with it. A correction is
/// accepted only if every remaining event still replays; otherwise
/// `correction_breaks_history` (void the later dependent events first).
///
/// # Errors
/// As [`replay`], plus `duplicate_event_id` when `new.id` is already used.
pub fn check_append(
    events: &[Recorded],
    new: &Recorded,
    initial: &ParcelState,
) -> Result<Replay, RuleViolation> {
    if events.iter().any(|e| e.id == new.id) {
        return Err(duplicate(new.id));
    }
    let mut base = replay(events, initial)?;
    if let Event::Correction { voids } = new.event {
        let mut all = events.to_vec();
        all.push(new.clone());
        let voided: Vec<i64> = collect_voids(&all)?.iter().map(|v| v.target).collect();
        return derive(&all, &voided, initial)
            .map_err(|failure| breaks_history(new.id, voids, &failure));
    }
    let ctx = Context {
        planned_class: new.planned_class,
        occurred_on: new.occurred_on,
    };
    let state = apply(&base.state, &new.event, &ctx)?;
    base.steps.push(Step {
        id: new.id,
        stage_after: state.stage,
        voided: false,
    });
    Ok(Replay {
        state,
        steps: base.steps,
    })
}

struct Void {
    correction: i64,
    target: i64,
}

/// An event that broke a rule during a replay.
struct Failure {
    id: i64,
    kind: EventKind,
    violation: RuleViolation,
}

/// The corrections' targets, checked in recording order.
fn collect_voids(events: &[Recorded]) -> Result<Vec<Void>, RuleViolation> {
    let mut seen = HashSet::with_capacity(events.len());
    let mut voids: Vec<Void> = Vec::new();
    for (position, recorded) in events.iter().enumerate() {
        if !seen.insert(recorded.id) {
            return Err(duplicate(recorded.id));
        }
        let Event::Correction { voids: target } = recorded.event else {
            continue;
        };
        let correction = recorded.id;
        let Some(voided) = events[..position].iter().find(|e| e.id == target) else {
            return Err(TARGET_UNKNOWN.violation(
                format!(
                    "更正事件 #{correction} 要作废的事件 #{target} 不是本地块在此之前登记的事件。"
                ),
                format!(
                    "Correction #{correction} voids event #{target}, which is not an earlier \
                     event of this parcel."
                ),
            ));
        };
        if voided.event.kind() == EventKind::Correction {
            return Err(TARGET_IS_CORRECTION.violation(
                format!(
                    "事件 #{target} 本身是更正事件，不能被作废；如需恢复被它作废的事件，请重新登记该事件。"
                ),
                format!(
                    "Event #{target} is itself a correction and cannot be voided; to restore \
                     the event it voided, record that event again."
                ),
            ));
        }
        if let Some(earlier) = voids.iter().find(|v| v.target == target) {
            let by = earlier.correction;
            return Err(TARGET_ALREADY_VOIDED.violation(
                format!("事件 #{target} 已被更正事件 #{by} 作废。"),
                format!("Event #{target} was already voided by correction #{by}."),
            ));
        }
        voids.push(Void { correction, target });
    }
    Ok(voids)
}

/// Folds [`apply`] over the events not in `voided`.
fn derive(events: &[Recorded], voided: &[i64], initial: &ParcelState) -> Result<Replay, Failure> {
    let mut state = initial.clone();
    let mut steps = Vec::with_capacity(events.len());
    for recorded in events {
        let is_voided = voided.contains(&recorded.id);
        if !is_voided {
            let ctx = Context {
                planned_class: recorded.planned_class,
                occurred_on: recorded.occurred_on,
            };
            state = apply(&state, &recorded.event, &ctx).map_err(|violation| Failure {
                id: recorded.id,
                kind: recorded.event.kind(),
                violation,
            })?;
        }
        steps.push(Step {
            id: recorded.id,
            stage_after: state.stage,
            voided: is_voided,
        });
    }
    Ok(Replay { state, steps })
}

/// Attributes a failed replay as [`check_append`] would have when each
/// event was appended: the first prefix of the history that fails decides.
fn blame(events: &[Recorded], initial: &ParcelState, failure: Failure) -> RuleViolation {
    let mut voided = Vec::new();
    for (position, recorded) in events.iter().enumerate() {
        if let Event::Correction { voids } = recorded.event {
            voided.push(voids);
        }
        if let Err(early) = derive(&events[..=position], &voided, initial) {
            return match recorded.event {
                Event::Correction { voids } => breaks_history(recorded.id, voids, &early),
                _ => early.violation,
            };
        }
    }
    failure.violation
}

fn breaks_history(correction: i64, target: i64, failure: &Failure) -> RuleViolation {
    let (id, kind, inner) = (failure.id, failure.kind, &failure.violation);
    BREAKS_HISTORY.violation(
        format!(
            "更正事件 #{correction} 作废事件 #{target} 后，事件 #{id}（{kind}）不再成立：{} \
             请先作废依赖它的后续事件。",
            inner.message_zh
        ),
        format!(
            "Correction #{correction} voids event #{target}, after which event #{id} ({kind}) \
             no longer holds: {} Void the later dependent events first.",
            inner.message_en
        ),
    )
}

fn duplicate(id: i64) -> RuleViolation {
    DUPLICATE_ID.violation(
        format!("事件编号 #{id} 在本地块的记录中重复。"),
        format!("Event id #{id} occurs more than once in this parcel's record."),
    )
}
