//! `/api/ledgers/{ledger}/{id}/records`: a tank's inspections, a storage site's patrols,
//! a plot's produce tests. Appended, never edited; each append derives the parent's flag
//! again in the same transaction.

use axum::extract::{Path, State};
use axum::http::header::LOCATION;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::{db_error, id_of, ledger_of, not_found, response};
use crate::clock;
use crate::db;
use crate::domain::ledgers::{Ledger, NewRecord, RecordKind};
use crate::domain::parcel::FieldError;
use crate::error::{ApiError, ApiResult};
use crate::http::extract::{Actor, JsonBody};
use crate::http::AppState;

/// The ledger and its record kind; a ledger without records has no such resource.
fn kind_of(slug: &str) -> ApiResult<(Ledger, RecordKind)> {
    let ledger = ledger_of(slug)?;
    let kind = ledger.records().ok_or_else(|| {
        ApiError::not_found(format!("rows of {} have no child records", ledger.slug()))
    })?;
    Ok((ledger, kind))
}

pub async fn list(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let (ledger, kind) = kind_of(&slug)?;
    let id = id_of(ledger, &id)?;
    if db::ledgers::feature(&state.pool, ledger, id)
        .await?
        .is_none()
    {
        return Err(not_found(ledger, id));
    }
    let records = db::ledgers::records::list(&state.pool, kind, id).await?;
    Ok(Json(json!({
        "ledger": ledger.slug(),
        "id": id,
        "count": records.len(),
        "records": records,
    })))
}

/// Appends one record: `201 {"record", "parent"}`, the parent's Feature after the append
/// (with its flag derived again) and its ETag.
pub async fn append(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    actor: Actor,
    JsonBody(body): JsonBody,
) -> ApiResult<Response> {
    let (ledger, kind) = kind_of(&slug)?;
    actor.require(ledger.action())?;
    let id = id_of(ledger, &id)?;
    let props = body
        .as_object()
        .ok_or_else(|| FieldError::new("", "invalid_body", "the body must be a JSON object"))?;
    let record = NewRecord::parse(kind, props, clock::today())?;

    let mut tx = state.pool.begin().await?;
    if !db::ledgers::records::lock_parent(&mut tx, ledger, id).await? {
        return Err(not_found(ledger, id));
    }
    let written = db::ledgers::records::append(&mut tx, id, &record, actor.0.id)
        .await
        .map_err(db_error)?;
    db::ledgers::records::refresh_flag(&mut tx, kind, id, actor.0.id).await?;
    let (feature, version) = db::ledgers::feature(&mut *tx, ledger, id)
        .await?
        .ok_or_else(|| ApiError::internal("a locked ledger row vanished"))?;
    tx.commit().await?;

    let parent: Value = serde_json::from_str(&feature).map_err(ApiError::internal)?;
    let body = json!({"record": written, "parent": parent}).to_string();
    let mut res = response(StatusCode::CREATED, "application/json", body, Some(version));
    let location = format!("/api/ledgers/{}/{id}/records", ledger.slug());
    if let Ok(loc) = HeaderValue::from_str(&location) {
        res.headers_mut().insert(LOCATION, loc);
    }
    Ok(res.into_response())
}
