//! The facts the plan's rules need, gathered from the register and the events.

use sqlx::PgConnection;
use time::Date;

use super::events::{self, StoredEvent};
use super::parcels::Current;
use crate::domain::land_use::{Gb36600Class, LandUse};
use crate::domain::lifecycle::{Event, Replay};
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

/// One parcel's corrected history, read in bulk for district-wide figures.
pub struct History {
    pub code: String,
    pub sensitive_use: bool,
    pub area_m2: f64,
    pub initial: crate::domain::lifecycle::ParcelState,
    pub events: Vec<crate::domain::lifecycle::Recorded>,
}

/// Every parcel with events (in a town, if given) and its events, in two queries.
pub async fn histories(
    pool: &sqlx::PgPool,
    town: Option<&str>,
) -> Result<Vec<History>, sqlx::Error> {
    use crate::domain::lifecycle::{LandRight, Recorded};
    use std::collections::HashMap;
    let parcels: Vec<(i64, String, bool, f64, LandRight)> = sqlx::query_as(
        "SELECT p.id, p.code, coalesce(p.planned_use LIKE '07%' OR p.planned_use LIKE '08%', false), p.area_m2,
                p.land_right_initial
           FROM parcels p
          WHERE EXISTS (SELECT 1 FROM parcel_events e WHERE e.parcel_id = p.id) AND ($1::text IS NULL OR p.town = $1)
          ORDER BY p.code",
    )
    .bind(town)
    .fetch_all(pool)
    .await?;
    let ids: Vec<i64> = parcels.iter().map(|p| p.0).collect();
    let rows: Vec<(i64, i64, String, Date, serde_json::Value, i16)> = sqlx::query_as(
        "SELECT parcel_id, id, kind::text, occurred_on, payload, planned_class FROM parcel_events
          WHERE parcel_id = ANY($1) ORDER BY parcel_id, id",
    )
    .bind(&ids)
    .fetch_all(pool)
    .await?;
    let mut by_parcel: HashMap<i64, Vec<Recorded>> = HashMap::new();
    for (parcel, id, kind, on, payload, class) in rows {
        let event = Event::parse(&kind, &payload, on)
            .map_err(|e| sqlx::Error::Decode(format!("stored event {id}: {}", e.message).into()))?;
        let planned_class = Gb36600Class::from_number(class).unwrap_or(Gb36600Class::One);
        by_parcel.entry(parcel).or_default().push(Recorded {
            id,
            event,
            occurred_on: on,
            planned_class,
        });
    }
    Ok(parcels
        .into_iter()
        .map(|(id, code, sensitive_use, area_m2, right)| History {
            code,
            sensitive_use,
            area_m2,
            initial: events::initial_state(right),
            events: by_parcel.remove(&id).unwrap_or_default(),
        })
        .collect())
}
