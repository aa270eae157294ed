//! The facts the plan's rules need, gathered from the register and the events.

use sqlx::PgConnection;
use time::Date;

use super::events::{self, StoredEvent};
use super::parcels::Current;
use crate::domain::land_use::{Gb36600Class, LandUse};
use crate::domain::lifecycle::{Event, Replay};
use crate::domain::rules::rates::Step;
use crate::domain::rules::supply::SupplyFacts;
use crate::domain::rules::survey::{survey_due, SurveyFacts};

/// A parcel's events, its replayed state, and the survey facts.
pub struct Facts {
    pub events: Vec<StoredEvent>,
    pub replay: Replay,
    pub survey: SurveyFacts,
}

/// Gathers the facts of a locked (or read) parcel.
pub async fn gather(
    conn: &mut PgConnection,
    parcel: &Current,
    today: Date,
) -> Result<Facts, sqlx::Error> {
    let events = events::for_parcel(conn, parcel.id).await?;
    let replay = events::derive(&events, &events::initial_state(parcel.land_right_initial))
        .map_err(|v| sqlx::Error::Decode(format!("stored history does not replay: {v}").into()))?;
    let planned_for: Option<Date> = sqlx::query_scalar(
        "SELECT planned_on FROM supply_plan_entries WHERE parcel_id = $1 AND year = $2",
    )
    .bind(parcel.id)
    .bind(today.year())
    .fetch_optional(&mut *conn)
    .await?
    .flatten();
    let a = &parcel.attributes;
    let live = live_events(&events, &replay);
    let survey = SurveyFacts {
        stage: replay.state.stage,
        risk: Some(a.risk),
        current_use: a.current_use.map(LandUse::code),
        planned_use: a.planned_use.map(LandUse::code),
        land_right: replay.state.land_right,
        supply_planned_for: planned_for,
        ..SurveyFacts::default()
    }
    .with_land_dates(
        live.iter()
            .map(|e| (&e.recorded.event, e.recorded.occurred_on)),
    );
    Ok(Facts {
        events,
        replay,
        survey,
    })
}

/// The events not voided by a correction, in recording order.
pub fn live_events<'a>(events: &'a [StoredEvent], replay: &Replay) -> Vec<&'a StoredEvent> {
    events
        .iter()
        .zip(&replay.steps)
        .filter(|(e, step)| !step.voided && !matches!(e.recorded.event, Event::Correction { .. }))
        .map(|(e, _)| e)
        .collect()
}

/// The class the survey's conclusion rests on: the last live phase-2 conclusion's stated
/// class, or the planned-use class when it was recorded.
pub fn concluded_class(facts: &Facts) -> Option<Gb36600Class> {
    live_events(&facts.events, &facts.replay)
        .iter()
        .rev()
        .find_map(|e| match &e.recorded.event {
            Event::Phase2Concluded { class, .. } => Some(class.unwrap_or(e.recorded.planned_class)),
            _ => None,
        })
}

/// The supply-check facts.
pub fn supply_facts(parcel: &Current, facts: &Facts, today: Date) -> SupplyFacts {
    SupplyFacts {
        stage: facts.replay.state.stage,
        risk: parcel.attributes.risk,
        survey_completed_on: facts.replay.state.survey_completed_on,
        concluded_with_class: concluded_class(facts),
        survey_due: survey_due(&facts.survey, today),
    }
}

/// The corrected history as steps (kind, date, stage before) for the rates.
pub fn steps(facts: &Facts) -> Vec<Step> {
    let mut before = crate::domain::lifecycle::Stage::Unknown;
    let mut out = Vec::new();
    for (e, step) in facts.events.iter().zip(&facts.replay.steps) {
        if !step.voided && !matches!(e.recorded.event, Event::Correction { .. }) {
            out.push(Step {
                kind: e.kind,
                on: e.recorded.occurred_on,
                stage_before: before,
            });
        }
        before = step.stage_after;
    }
    out
}
