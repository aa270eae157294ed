//! `/api/filings`: reports filed with the authority, their review, deadlines and alerts.

use axum::extract::{Path, State};
use axum::http::header::{ETAG, IF_MATCH};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

use super::events::{append_checked, document_ids, nested_event};
use super::extract::{Actor, JsonBody, Params};
use super::AppState;
use crate::clock;
use crate::db;
use crate::db::filings::{Filing, FilingFilter, NewFiling};
use crate::domain::access::Action;
use crate::domain::filing::{FilingKind, FilingStatus};
use crate::domain::parcel::FieldError;
use crate::error::{ApiError, ApiResult};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/filings", get(list).post(create))
        .route("/api/filings/{id}", get(show).patch(review))
        .route("/api/alerts", get(alerts))
}

fn with_etag(status: StatusCode, f: &Filing) -> Response {
    let mut res = (status, Json(json!(f))).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("\"{}\"", f.version)) {
        res.headers_mut().insert(ETAG, v);
    }
    res
}

fn enum_of<T: serde::de::DeserializeOwned>(s: &str) -> Option<T> {
    serde_json::from_value(Value::String(s.to_owned())).ok()
}

fn text(
    obj: &serde_json::Map<String, Value>,
    key: &str,
    required: bool,
) -> ApiResult<Option<String>> {
    match obj.get(key) {
        Some(Value::String(s)) if !s.trim().is_empty() && s.chars().count() <= 500 => {
            Ok(Some(s.trim().to_owned()))
        }
        None | Some(Value::Null) if !required => Ok(None),
        _ => Err(FieldError::new(
            key,
            "invalid_value",
            format!("{key} must be text of 1–500 characters"),
        )
        .into()),
    }
}

fn date(obj: &serde_json::Map<String, Value>, key: &str) -> ApiResult<Option<time::Date>> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v
            .as_str()
            .and_then(clock::parse_date)
            .map(Some)
            .ok_or_else(|| {
                FieldError::new(
                    key,
                    "invalid_date",
                    format!("{key} must be a date, YYYY-MM-DD"),
                )
                .into()
            }),
    }
}

async fn create(
    State(state): State<AppState>,
    actor: Actor,
    JsonBody(body): JsonBody,
) -> ApiResult<Response> {
    actor.require(Action::RecordSoilEvent)?;
    let obj = body
        .as_object()
        .ok_or_else(|| FieldError::new("", "invalid_filing", "the body must be a JSON object"))?;
    let allowed = [
        "parcel",
        "kind",
        "submitter",
        "received_on",
        "deadline",
        "reviewer",
        "documents",
    ];
    if let Some(k) = obj.keys().find(|k| !allowed.contains(&k.as_str())) {
        return Err(
            FieldError::new(k.clone(), "unknown_field", format!("unknown member '{k}'")).into(),
        );
    }
    let code = text(obj, "parcel", true)?.unwrap_or_default();
    let kind: FilingKind = obj
        .get("kind")
        .and_then(Value::as_str)
        .and_then(enum_of)
        .ok_or_else(|| {
            FieldError::new(
                "kind",
                "invalid_value",
                "kind must be a filing kind, e.g. survey_report",
            )
        })?;
    let received_on = date(obj, "received_on")?
        .ok_or_else(|| FieldError::new("received_on", "required", "received_on is required"))?;
    if received_on > clock::today() {
        return Err(FieldError::new(
            "received_on",
            "future_date",
            "a filing cannot be received in the future",
        )
        .into());
    }
    let deadline = date(obj, "deadline")?;
    let documents = document_ids(obj.get("documents"))?;
    let mut tx = state.pool.begin().await?;
    let parcel = db::parcels::lock(&mut tx, &code).await?.ok_or_else(|| {
        FieldError::new(
            "parcel",
            "unknown_parcel",
            format!("no parcel with code {code}"),
        )
    })?;
    let missing = db::documents::missing(&mut *tx, &documents).await?;
    if !missing.is_empty() {
        return Err(FieldError::new(
            "documents",
            "unknown_document",
            format!("no document with id {}", missing.join(", ")),
        )
        .into());
    }
    let new = NewFiling {
        parcel_id: parcel.id,
        kind,
        submitter: text(obj, "submitter", true)?.unwrap_or_default(),
        received_on,
        deadline,
        reviewer: text(obj, "reviewer", false)?,
        documents,
    };
    let filing = db::filings::insert(&mut tx, &new, actor.0.id, clock::today()).await?;
    tx.commit().await?;
    Ok(with_etag(StatusCode::CREATED, &filing))
}

async fn list(State(state): State<AppState>, uri: Uri) -> ApiResult<Json<Value>> {
    let params = Params::from_uri(&uri, &["status", "parcel", "kind"])?;
    let mut filter = FilingFilter {
        parcel: params.get("parcel").map(str::to_owned),
        kind: params.parse("kind", enum_of)?,
        ..FilingFilter::default()
    };
    match params.get("status") {
        Some("overdue") => filter.overdue = true,
        Some(_) => filter.status = params.parse("status", enum_of)?,
        None => {}
    }
    let filings = db::filings::list(&state.pool, &filter, clock::today()).await?;
    Ok(Json(json!({"filings": filings, "count": filings.len()})))
}

fn parse_filing_id(id: &str) -> ApiResult<i64> {
    id.parse()
        .map_err(|_| ApiError::not_found("no such filing"))
}

async fn show(State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<Response> {
    let f = db::filings::get(&state.pool, parse_filing_id(&id)?, clock::today(), false)
        .await?
        .ok_or_else(|| ApiError::not_found("no such filing"))?;
    Ok(with_etag(StatusCode::OK, &f))
}

/// A review step: `{"status", "reviewer", "reason", "event"}`. Accepting may record the
/// matching lifecycle event in the same transaction; if the event is refused, nothing changes.
async fn review(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    actor: Actor,
    JsonBody(body): JsonBody,
) -> ApiResult<Response> {
    actor.require(Action::RecordSoilEvent)?;
    let id = parse_filing_id(&id)?;
    let obj = body
        .as_object()
        .ok_or_else(|| FieldError::new("", "invalid_review", "the body must be a JSON object"))?;
    if let Some(k) = obj
        .keys()
        .find(|k| !["status", "reviewer", "reason", "event"].contains(&k.as_str()))
    {
        return Err(
            FieldError::new(k.clone(), "unknown_field", format!("unknown member '{k}'")).into(),
        );
    }
    let next: FilingStatus = obj
        .get("status")
        .and_then(Value::as_str)
        .and_then(enum_of)
        .ok_or_else(|| {
            FieldError::new(
                "status",
                "invalid_value",
                "status must be received, under_review, accepted or returned",
            )
        })?;
    let reason = text(obj, "reason", next == FilingStatus::Returned)?;
    let reviewer = text(obj, "reviewer", false)?;
    let event = nested_event(obj.get("event"))?;

    let mut tx = state.pool.begin().await?;
    let today = clock::today();
    let current = db::filings::get(&mut *tx, id, today, true)
        .await?
        .ok_or_else(|| ApiError::not_found("no such filing"))?;
    if let Some(v) = headers.get(IF_MATCH).and_then(|v| v.to_str().ok()) {
        if v.trim().trim_start_matches("W/").trim_matches('"') != current.version.to_string() {
            return Err(ApiError::new(
                StatusCode::PRECONDITION_FAILED,
                "stale_version",
                "the filing has changed",
            ));
        }
    }
    if !current.status.may_become(next) {
        return Err(ApiError::conflict(
            "invalid_review_step",
            format!("a {:?} filing cannot become {:?}", current.status, next),
        )
        .with_field("status"));
    }
    let mut event_id = None;
    if let Some(new) = &event {
        if next != FilingStatus::Accepted {
            return Err(FieldError::new(
                "event",
                "event_needs_acceptance",
                "an event is recorded only when a filing is accepted",
            )
            .into());
        }
        if !current.kind.matching_events().contains(&new.event.kind()) {
            return Err(FieldError::new(
                "event.kind",
                "event_does_not_match_filing",
                format!(
                    "accepting a {:?} records one of {:?}",
                    current.kind,
                    current.kind.matching_events()
                ),
            )
            .into());
        }
        let parcel = db::parcels::lock(&mut tx, &current.parcel)
            .await?
            .ok_or_else(|| ApiError::internal("filing without parcel"))?;
        let mut with_docs = new.clone();
        with_docs
            .documents
            .extend(current.documents.iter().cloned());
        with_docs.documents.sort();
        with_docs.documents.dedup();
        event_id = Some(
            append_checked(&mut tx, &parcel, &with_docs, &actor)
                .await?
                .appended
                .id,
        );
    }
    db::filings::set_status(
        &mut tx,
        id,
        next,
        reviewer.as_deref(),
        reason.as_deref(),
        event_id,
        actor.0.id,
    )
    .await?;
    let updated = db::filings::get(&mut *tx, id, today, false)
        .await?
        .ok_or_else(|| ApiError::internal("filing vanished"))?;
    tx.commit().await?;
    Ok(with_etag(StatusCode::OK, &updated))
}

async fn alerts(State(state): State<AppState>) -> ApiResult<Json<Value>> {
    Ok(Json(
        json!({"alerts": db::alerts::alerts(&state.pool).await?}),
    ))
}
