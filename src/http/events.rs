//! `/api/parcels/{code}/events` and `/history`: the lifecycle on the wire.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use sqlx::PgConnection;

use super::extract::{Actor, JsonBody};
use super::AppState;
use crate::db;
use crate::db::events::{AppendError, Appended, NewEvent, StoredEvent};
use crate::db::parcels::Current;
use crate::domain::access::Action;
use crate::domain::document::DocumentId;
use crate::domain::lifecycle::{Event, EventKind, RuleViolation};
use crate::domain::parcel::FieldError;
use crate::domain::rules::survey::{deadline_check, DeadlineCheck};
use crate::domain::rules::Reason;
use crate::error::{ApiError, ApiResult};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/parcels/{code}/events", post(record))
        .route("/api/parcels/{code}/history", get(history))
}

/// 409 with the rule, the clause it rests on, and the sentence in both languages.
pub fn forbidden_transition(v: &RuleViolation) -> ApiError {
    ApiError::conflict("transition_forbidden", v.message_en.clone())
        .with("rule", json!(v.rule))
        .with("clause", json!(v.clause))
        .with("message_zh", json!(v.message_zh))
}

/// The action a kind of event needs: soil events are the ecology bureau's, land events planning's and housing's.
fn action_for(kind: EventKind) -> Action {
    if kind.is_land() {
        Action::RecordLandEvent
    } else {
        Action::RecordSoilEvent
    }
}

/// Parses `{"kind", "occurred_on", "payload", "documents", "note"}`.
pub fn parse_new_event(body: &Value) -> ApiResult<NewEvent> {
    let obj = body
        .as_object()
        .ok_or_else(|| FieldError::new("", "invalid_event", "the body must be a JSON object"))?;
    if let Some(k) = obj
        .keys()
        .find(|k| !["kind", "occurred_on", "payload", "documents", "note"].contains(&k.as_str()))
    {
        return Err(
            FieldError::new(k.clone(), "unknown_field", format!("unknown member '{k}'")).into(),
        );
    }
    let kind = obj
        .get("kind")
        .and_then(Value::as_str)
        .ok_or_else(|| FieldError::new("kind", "required", "kind is required"))?;
    let occurred_on = obj
        .get("occurred_on")
        .and_then(Value::as_str)
        .and_then(crate::clock::parse_date)
        .ok_or_else(|| {
            FieldError::new(
                "occurred_on",
                "invalid_date",
                "occurred_on must be a date, YYYY-MM-DD",
            )
        })?;
    if occurred_on > crate::clock::today() {
        return Err(FieldError::new(
            "occurred_on",
            "future_date",
            "an event cannot be recorded before it happens",
        )
        .into());
    }
    let payload = obj.get("payload").cloned().unwrap_or(Value::Null);
    let event = Event::parse(kind, &payload, occurred_on)
        .map_err(|e| FieldError::new(e.field, "invalid_payload", e.message))?;
    let documents = document_ids(obj.get("documents"))?;
    let note = match obj.get("note") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.chars().count() <= 2000 => {
            Some(s.trim().to_owned()).filter(|s| !s.is_empty())
        }
        Some(_) => {
            return Err(FieldError::new(
                "note",
                "invalid_note",
                "note must be text of at most 2000 characters",
            )
            .into())
        }
    };
    Ok(NewEvent {
        event,
        occurred_on,
        note,
        documents,
    })
}

/// What recording an event did: the stored event and state, and any deadline it passed.
pub struct Outcome {
    pub appended: Appended,
    /// Rules the event broke without being refused (e.g. a survey deadline passed, §4a).
    pub flags: Vec<Reason>,
}

/// 409 for an event a plan rule refuses outright (e.g. supply for housing without a survey).
fn refused_by(reason: &Reason) -> ApiError {
    ApiError::conflict("transition_forbidden", reason.message)
        .with("rule", json!(reason.rule))
        .with("clause", json!(reason.clause))
        .with("message_zh", json!(reason.message_zh))
        .with("facts", reason.facts.clone())
}

/// A list of document ids (SHA-256), as events and filings reference them; absent is empty.
pub fn document_ids(value: Option<&Value>) -> ApiResult<Vec<String>> {
    let bad = |m: &str| ApiError::from(FieldError::new("documents", "invalid_document", m));
    match value {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(ids)) => ids
            .iter()
            .map(|v| {
                v.as_str()
                    .and_then(DocumentId::parse)
                    .map(|d| d.as_str().to_owned())
            })
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| bad("documents must be SHA-256 document ids")),
        Some(_) => Err(bad("documents must be a list")),
    }
}

/// An optional single evidence document (a key-unit duty, a plan measure); absent is none.
pub fn evidence_document(value: Option<&Value>) -> Result<Option<DocumentId>, FieldError> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v
            .as_str()
            .and_then(DocumentId::parse)
            .map(Some)
            .ok_or_else(|| {
                FieldError::new(
                    "evidence",
                    "invalid_document",
                    "evidence must be a document id",
                )
            }),
    }
}

/// An optional event carried inside another request (a filing review, a review decision);
/// its errors name `event.<field>`.
pub fn nested_event(value: Option<&Value>) -> ApiResult<Option<NewEvent>> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(e) => parse_new_event(e).map(Some).map_err(|mut err| {
            err.field = err.field.map(|f| format!("event.{f}"));
            err
        }),
    }
}

/// Appends an event to a locked parcel, checking the actor's rights, the documents,
/// the lifecycle rules and the survey deadline (§4a). Shared by the events endpoint,
/// filing acceptance, screening confirmation and closed-site links.
pub async fn append_checked(
    conn: &mut PgConnection,
    parcel: &Current,
    new: &NewEvent,
    actor: &Actor,
) -> ApiResult<Outcome> {
    if parcel.retired {
        return Err(ApiError::conflict(
            "retired",
            "a retired parcel takes no new events",
        ));
    }
    let today = crate::clock::today();
    let facts = db::rules::gather(conn, parcel, today).await?;
    let existing = &facts.events;
    // A correction needs the rights of the event it voids.
    let kind = match new.event {
        Event::Correction { voids } => existing
            .iter()
            .find(|e| e.recorded.id == voids)
            .map(|e| e.kind),
        ref e => Some(e.kind()),
    };
    if let Some(kind) = kind {
        actor.require(action_for(kind))?;
    }
    let missing = db::documents::missing(&mut *conn, &new.documents).await?;
    if !missing.is_empty() {
        return Err(FieldError::new(
            "documents",
            "unknown_document",
            format!("no document with id {}", missing.join(", ")),
        )
        .into());
    }
    let mut flags = Vec::new();
    match deadline_check(&facts.survey, new.event.kind(), today) {
        Some(DeadlineCheck::Refuse { reason }) => return Err(refused_by(&reason)),
        Some(DeadlineCheck::Flag { reason }) => flags.push(reason),
        None => {}
    }
    let initial = db::events::initial_state(parcel.land_right_initial);
    let user = &actor.0;
    let appended = db::events::append(
        conn,
        parcel.id,
        &initial,
        parcel.class,
        existing,
        new,
        (user.id, user.department.code()),
    )
    .await
    .map_err(|e| match e {
        AppendError::Rule(v) => forbidden_transition(&v),
        AppendError::Db(e) => e.into(),
    })?;
    for f in &flags {
        let message = format!("event #{}: {} ({})", appended.id, f.message, f.clause);
        db::alerts::raise(&mut *conn, "survey_deadline_passed", parcel.id, &message).await?;
    }
    Ok(Outcome { appended, flags })
}

async fn record(
    State(state): State<AppState>,
    Path(code): Path<String>,
    actor: Actor,
    JsonBody(body): JsonBody,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let new = parse_new_event(&body)?;
    let mut tx = state.pool.begin().await?;
    let parcel = db::parcels::lock(&mut tx, &code)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no parcel with code {code}")))?;
    let Outcome {
        appended: done,
        flags,
    } = append_checked(&mut tx, &parcel, &new, &actor).await?;
    tx.commit().await?;
    let user = &actor.0;
    Ok((
        StatusCode::CREATED,
        Json(json!({
            "event": {
                "id": done.id, "kind": new.event.kind(), "occurred_on": new.occurred_on,
                "recorded_at": done.recorded_at.format(&time::format_description::well_known::Rfc3339).unwrap_or_default(),
                "recorded_by": {"user": user.name, "department": user.department.code()},
                "payload": new.event.payload(), "documents": new.documents, "note": new.note,
            },
            "stage": done.state.stage,
            "land_right": done.state.land_right,
            "state": done.state,
            "parcel_version": done.version,
            "flags": flags,
        })),
    ))
}

fn event_json(e: &StoredEvent, stage_after: Value, voided_by: Option<i64>) -> Value {
    json!({
        "id": e.recorded.id,
        "kind": e.kind,
        "occurred_on": e.recorded.occurred_on,
        "recorded_at": e.recorded_at.format(&time::format_description::well_known::Rfc3339).unwrap_or_default(),
        "recorded_by": {"user": e.user, "department": e.department},
        "payload": e.recorded.event.payload(),
        "note": e.note,
        "documents": e.documents.iter().map(|d| json!({"id": d, "href": format!("/api/documents/{d}")})).collect::<Vec<_>>(),
        "voided": voided_by.is_some(),
        "voided_by": voided_by,
        "stage_after": stage_after,
    })
}

async fn history(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> ApiResult<Json<Value>> {
    let mut conn = state.pool.acquire().await?;
    let (id, initial): (i64, crate::domain::lifecycle::LandRight) =
        sqlx::query_as("SELECT id, land_right_initial FROM parcels WHERE code = $1")
            .bind(&code)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or_else(|| ApiError::not_found(format!("no parcel with code {code}")))?;
    let events = db::events::for_parcel(&mut conn, id).await?;
    let replayed = db::events::derive(&events, &db::events::initial_state(initial))
        .map_err(ApiError::internal)?;
    let voided_by = |target: i64| {
        events.iter().find_map(|e| match e.recorded.event {
            Event::Correction { voids } if voids == target => Some(e.recorded.id),
            _ => None,
        })
    };
    let items: Vec<Value> = events
        .iter()
        .zip(&replayed.steps)
        .map(|(e, step)| event_json(e, json!(step.stage_after), voided_by(e.recorded.id)))
        .collect();
    Ok(Json(
        json!({"parcel": code, "events": items, "state": replayed.state, "stage": replayed.state.stage}),
    ))
}
