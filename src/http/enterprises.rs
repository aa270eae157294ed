//! `/api/enterprises`: firms by their unified social credit code.

use axum::extract::{Path, State};
use axum::http::header::ETAG;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Map, Value};

use super::extract::{required_if_match, Actor, JsonBody, Params};
use super::AppState;
use crate::clock;
use crate::db;
use crate::domain::access::Action;
use crate::domain::enterprise::{EnterpriseInput, EnterpriseStatus};
use crate::domain::parcel::FieldError;
use crate::error::{ApiError, ApiResult};
use crate::gis::crs::{Crs, ToCgcs2000};
use crate::gis::geometry::parse_point;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/enterprises", get(list).post(create))
        .route("/api/enterprises/{uscc}", get(show).patch(update))
}

fn feature(status: StatusCode, body: Value, version: i32) -> Response {
    let mut res = (
        status,
        [(axum::http::header::CONTENT_TYPE, "application/geo+json")],
        Json(body),
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("\"{version}\"")) {
        res.headers_mut().insert(ETAG, v);
    }
    res
}

fn object(body: &Value) -> ApiResult<&Map<String, Value>> {
    body.as_object().ok_or_else(|| {
        FieldError::new("", "invalid_enterprise", "the body must be a JSON object").into()
    })
}

fn location(state: &AppState, m: &Map<String, Value>) -> ApiResult<Option<(f64, f64)>> {
    match m.get("location") {
        None | Some(Value::Null) => Ok(None),
        Some(v) => {
            let t = ToCgcs2000::new(Crs::Cgcs2000).map_err(ApiError::internal)?;
            Ok(Some(parse_point(v, "location", &t, &state.config.extent)?))
        }
    }
}

async fn create(
    State(state): State<AppState>,
    actor: Actor,
    JsonBody(body): JsonBody,
) -> ApiResult<Response> {
    actor.require(Action::EditEnterpriseLedgers)?;
    let m = object(&body)?;
    let input = EnterpriseInput::parse(m, clock::today())?;
    let loc = location(&state, m)?;
    let mut tx = state.pool.begin().await?;
    if db::enterprises::by_uscc(&mut *tx, input.uscc.as_str(), false)
        .await?
        .is_some()
    {
        return Err(ApiError::conflict(
            "duplicate_uscc",
            "an enterprise with this credit code exists",
        )
        .with_field("uscc"));
    }
    let f = db::enterprises::insert(&mut tx, &input, loc, actor.0.id).await?;
    tx.commit().await?;
    Ok(feature(StatusCode::CREATED, f, 1))
}

async fn list(State(state): State<AppState>, uri: Uri) -> ApiResult<Json<Value>> {
    let params = Params::from_uri(&uri, &["status", "q"])?;
    let status = params.parse("status", |s| {
        EnterpriseStatus::ALL
            .into_iter()
            .find(|x| x.as_str() == s)
            .map(EnterpriseStatus::as_str)
    })?;
    Ok(Json(
        db::enterprises::list(&state.pool, status, params.get("q")).await?,
    ))
}

async fn show(State(state): State<AppState>, Path(uscc): Path<String>) -> ApiResult<Response> {
    let (f, _, version) = db::enterprises::by_uscc(&state.pool, &uscc, false)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no enterprise {uscc}")))?;
    Ok(feature(StatusCode::OK, f, version))
}

/// Replaces the record (send every field); `If-Match` required, the credit code cannot change.
async fn update(
    State(state): State<AppState>,
    Path(uscc): Path<String>,
    headers: HeaderMap,
    actor: Actor,
    JsonBody(body): JsonBody,
) -> ApiResult<Response> {
    actor.require(Action::EditEnterpriseLedgers)?;
    let expected = required_if_match(&headers)?;
    let mut m = object(&body)?.clone();
    m.insert("uscc".into(), Value::String(uscc.clone()));
    let input = EnterpriseInput::parse(&m, clock::today())?;
    let loc = location(&state, &m)?;
    let mut tx = state.pool.begin().await?;
    let (_, id, version) = db::enterprises::by_uscc(&mut *tx, &uscc, true)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no enterprise {uscc}")))?;
    if version != expected {
        return Err(ApiError::new(
            StatusCode::PRECONDITION_FAILED,
            "stale_version",
            "the enterprise has changed",
        ));
    }
    let f = db::enterprises::update(&mut tx, id, &input, loc, actor.0.id).await?;
    tx.commit().await?;
    Ok(feature(StatusCode::OK, f, version + 1))
}
