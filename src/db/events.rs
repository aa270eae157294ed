//! Lifecycle events: append-only rows, replayed by the domain to derive the parcel's state.

use serde_json::Value;
use sqlx::PgConnection;
use time::{Date, OffsetDateTime};

use crate::domain::land_use::Gb36600Class;
use crate::domain::lifecycle::{
    check_append, replay, Event, EventKind, LandRight, ParcelState, Recorded, Replay, RuleViolation,
};

/// A stored event with who recorded it and its documents.
#[derive(Debug, Clone)]
pub struct StoredEvent {
    pub recorded: Recorded,
    pub kind: EventKind,
    pub recorded_at: OffsetDateTime,
    pub user: String,
    pub department: String,
    pub note: Option<String>,
    pub documents: Vec<String>,
}

type EventRow = (
    i64,
    String,
    Date,
    Value,
    i16,
    OffsetDateTime,
    String,
    String,
    Option<String>,
    Vec<String>,
);

/// A parcel's events in recording order.
#[tracing::instrument(skip(conn))]
pub async fn for_parcel(
    conn: &mut PgConnection,
    parcel_id: i64,
) -> Result<Vec<StoredEvent>, sqlx::Error> {
    let rows: Vec<EventRow> = sqlx::query_as(
        "SELECT e.id, e.kind::text, e.occurred_on, e.payload, e.planned_class, e.recorded_at,
                u.name, e.department, e.note,
                coalesce(array_agg(d.sha256 ORDER BY d.sha256) FILTER (WHERE d.sha256 IS NOT NULL), '{}')
           FROM parcel_events e
           JOIN users u ON u.id = e.recorded_by
           LEFT JOIN event_documents d ON d.event_id = e.id
          WHERE e.parcel_id = $1
          GROUP BY e.id, u.name
          ORDER BY e.id",
    )
    .bind(parcel_id)
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(
            |(
                id,
                kind,
                occurred_on,
                payload,
                class,
                recorded_at,
                user,
                department,
                note,
                documents,
            )| {
                let bad = |what: String| sqlx::Error::Decode(what.into());
                let event = Event::parse(&kind, &payload, occurred_on)
                    .map_err(|e| bad(format!("stored event {id} does not parse: {}", e.message)))?;
                let planned_class = Gb36600Class::from_number(class)
                    .ok_or_else(|| bad(format!("stored event {id}: class {class}")))?;
                Ok(StoredEvent {
                    kind: event.kind(),
                    recorded: Recorded {
                        id,
                        event,
                        occurred_on,
                        planned_class,
                    },
                    recorded_at,
                    user,
                    department,
                    note,
                    documents,
                })
            },
        )
        .collect()
}

/// The state a parcel's history starts from: its registered land right.
pub fn initial_state(land_right_initial: LandRight) -> ParcelState {
    ParcelState {
        land_right: land_right_initial,
        ..ParcelState::default()
    }
}

/// Replays stored events.
pub fn derive(events: &[StoredEvent], initial: &ParcelState) -> Result<Replay, RuleViolation> {
    let recorded: Vec<Recorded> = events.iter().map(|e| e.recorded.clone()).collect();
    replay(&recorded, initial)
}

/// A new event to append.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub event: Event,
    pub occurred_on: Date,
    pub note: Option<String>,
    pub documents: Vec<String>,
}

/// The outcome of an append: the stored event's id and time, and the parcel's new state.
#[derive(Debug, Clone)]
pub struct Appended {
    pub id: i64,
    pub recorded_at: OffsetDateTime,
    pub state: ParcelState,
    pub version: i32,
}

/// Why an append was refused.
#[derive(Debug)]
pub enum AppendError {
    Rule(RuleViolation),
    Db(sqlx::Error),
}

impl From<sqlx::Error> for AppendError {
    fn from(e: sqlx::Error) -> Self {
        AppendError::Db(e)
    }
}

/// Appends an event to a parcel already locked in this transaction: checks it
/// against the whole history, stores it, and stores the derived state on the parcel.
#[tracing::instrument(skip(conn, existing, new))]
pub async fn append(
    conn: &mut PgConnection,
    parcel_id: i64,
    initial: &ParcelState,
    planned_class: Gb36600Class,
    existing: &[StoredEvent],
    new: &NewEvent,
    user: (i64, &str),
) -> Result<Appended, AppendError> {
    let recorded: Vec<Recorded> = existing.iter().map(|e| e.recorded.clone()).collect();
    let candidate = Recorded {
        id: i64::MAX,
        event: new.event.clone(),
        occurred_on: new.occurred_on,
        planned_class,
    };
    let replayed = check_append(&recorded, &candidate, initial).map_err(AppendError::Rule)?;
    let voids = match new.event {
        Event::Correction { voids } => Some(voids),
        _ => None,
    };
    let (id, recorded_at): (i64, OffsetDateTime) = sqlx::query_as(
        "INSERT INTO parcel_events (parcel_id, kind, occurred_on, recorded_by, department, payload, note,
                                    planned_class, voids)
         VALUES ($1, $2::event_kind, $3, $4, $5, $6, $7, $8, $9)
         RETURNING id, recorded_at",
    )
    .bind(parcel_id)
    .bind(new.event.kind().as_str())
    .bind(new.occurred_on)
    .bind(user.0)
    .bind(user.1)
    .bind(new.event.payload())
    .bind(&new.note)
    .bind(planned_class.number())
    .bind(voids)
    .fetch_one(&mut *conn)
    .await?;
    if !new.documents.is_empty() {
        sqlx::query("INSERT INTO event_documents (event_id, sha256) SELECT $1, unnest($2::text[])")
            .bind(id)
            .bind(&new.documents)
            .execute(&mut *conn)
            .await?;
    }
    let s = &replayed.state;
    let version: i32 = sqlx::query_scalar(
        "UPDATE parcels SET stage = $2, land_right = $3, survey_completed_on = $4, indicators_fixed_on = $5,
                supplied_on = $6, construction_started_on = $7, version = version + 1,
                updated_at = now(), updated_by = $8
          WHERE id = $1 RETURNING version",
    )
    .bind(parcel_id)
    .bind(s.stage)
    .bind(s.land_right)
    .bind(s.survey_completed_on)
    .bind(s.indicators_fixed_on)
    .bind(s.supplied_on)
    .bind(s.construction_started_on)
    .bind(user.0)
    .fetch_one(&mut *conn)
    .await?;
    Ok(Appended {
        id,
        recorded_at,
        state: replayed.state,
        version,
    })
}

/// Whether any land event was recorded (then the land right follows the events).
pub async fn has_land_events(conn: &mut PgConnection, parcel_id: i64) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM parcel_events WHERE parcel_id = $1 AND kind::text = ANY($2))",
    )
    .bind(parcel_id)
    .bind(land_kinds())
    .fetch_one(conn)
    .await
}

/// The kinds of the events that decide a parcel's land right, as stored: bound as `text[]`
/// to find them in SQL.
pub fn land_kinds() -> Vec<&'static str> {
    EventKind::ALL
        .iter()
        .filter(|k| k.is_land())
        .map(|k| k.as_str())
        .collect()
}
