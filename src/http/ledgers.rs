//! `/api/ledgers/{ledger}`: the other ledgers of §3 and §6–§11, each a map layer of
//! GeoJSON Features with versions, history and (for three of them) child records.

mod list;
mod records;

use axum::extract::{Path, State};
use axum::http::header::{CONTENT_TYPE, ETAG, IF_NONE_MATCH, LOCATION};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde_json::{Map, Value};

use super::extract::{required_if_match, version_of, Actor, JsonBody, Params};
use super::AppState;
use crate::clock;
use crate::db;
use crate::domain::ledgers::{parse_shape, Entry, GeometryKind, Ledger, Shape};
use crate::domain::parcel::FieldError;
use crate::error::{ApiError, ApiResult};
use crate::gis::crs::{Crs, ToCgcs2000};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/ledgers/{ledger}", get(list::list).post(create))
        .route("/api/ledgers/{ledger}/{id}", get(show).patch(update))
        .route("/api/ledgers/{ledger}/{id}/history", get(history))
        .route(
            "/api/ledgers/{ledger}/{id}/records",
            get(records::list).post(records::append),
        )
}

const GEOJSON: &str = "application/geo+json";

/// The database's refusals a client can cause, by constraint: status, code, field, message.
const CONSTRAINTS: [(&str, StatusCode, &str, &str, &str); 8] = [
    (
        "heavy_metal_firms_uscc_key",
        StatusCode::CONFLICT,
        "duplicate_firm",
        "uscc",
        "this firm is already on the heavy-metal list: edit its row instead",
    ),
    (
        "heavy_metal_firms_uscc_fkey",
        StatusCode::UNPROCESSABLE_ENTITY,
        "unknown_enterprise",
        "uscc",
        "no enterprise with this credit code is registered",
    ),
    (
        "buried_tanks_owner_uscc_fkey",
        StatusCode::UNPROCESSABLE_ENTITY,
        "unknown_enterprise",
        "owner_uscc",
        "no enterprise with this credit code is registered",
    ),
    (
        "new_projects_enterprise_uscc_fkey",
        StatusCode::UNPROCESSABLE_ENTITY,
        "unknown_enterprise",
        "enterprise_uscc",
        "no enterprise with this credit code is registered",
    ),
    (
        "farmland_plots_town_fkey",
        StatusCode::UNPROCESSABLE_ENTITY,
        "unknown_town",
        "town",
        "unknown town",
    ),
    (
        "unused_land_patrols_town_fkey",
        StatusCode::UNPROCESSABLE_ENTITY,
        "unknown_town",
        "town",
        "unknown town",
    ),
    (
        "unused_land_patrols_photo_fkey",
        StatusCode::UNPROCESSABLE_ENTITY,
        "unknown_document",
        "photo",
        "no document with this id is stored: upload it first",
    ),
    (
        "tank_inspections_document_fkey",
        StatusCode::UNPROCESSABLE_ENTITY,
        "unknown_document",
        "document",
        "no document with this id is stored: upload it first",
    ),
];

/// Maps a refused write to the field that caused it; anything else is the usual error.
fn db_error(e: sqlx::Error) -> ApiError {
    let found = e
        .as_database_error()
        .and_then(|d| d.constraint())
        .and_then(|c| CONSTRAINTS.iter().find(|(name, ..)| *name == c));
    match found {
        Some((_, status, code, field, message)) => {
            ApiError::new(*status, code, *message).with_field(*field)
        }
        None => ApiError::from(e),
    }
}

fn ledger_of(slug: &str) -> ApiResult<Ledger> {
    Ledger::parse(slug).ok_or_else(|| ApiError::not_found(format!("no ledger named '{slug}'")))
}

fn id_of(ledger: Ledger, id: &str) -> ApiResult<i64> {
    id.parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| not_found(ledger, id))
}

fn not_found(ledger: Ledger, id: impl std::fmt::Display) -> ApiError {
    ApiError::not_found(format!("no row {id} in {}", ledger.slug()))
}

fn response(
    status: StatusCode,
    content_type: &'static str,
    body: String,
    version: Option<i32>,
) -> Response {
    let mut res = (status, [(CONTENT_TYPE, content_type)], body).into_response();
    if let Some(v) = version.and_then(|v| HeaderValue::from_str(&format!("\"{v}\"")).ok()) {
        res.headers_mut().insert(ETAG, v);
    }
    res
}

async fn show(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let ledger = ledger_of(&slug)?;
    let id = id_of(ledger, &id)?;
    let (feature, version) = db::ledgers::feature(&state.pool, ledger, id)
        .await?
        .ok_or_else(|| not_found(ledger, id))?;
    let unchanged = headers
        .get(IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| version_of(t) == Some(version)));
    if unchanged {
        return Ok(response(
            StatusCode::NOT_MODIFIED,
            GEOJSON,
            String::new(),
            Some(version),
        ));
    }
    Ok(response(StatusCode::OK, GEOJSON, feature, Some(version)))
}

/// The body as an object, with the ledger's geometry member taken out.
fn split(ledger: Ledger, body: &Value) -> ApiResult<(Map<String, Value>, Option<Value>)> {
    let mut props = body
        .as_object()
        .cloned()
        .ok_or_else(|| FieldError::new("", "invalid_body", "the body must be a JSON object"))?;
    let geometry = props
        .remove(ledger.geometry_member())
        .filter(|g| !g.is_null());
    Ok((props, geometry))
}

/// Parses the geometry member, in the CRS named by `?crs=` (CGCS2000 by default).
fn parse_geometry(
    state: &AppState,
    ledger: Ledger,
    params: &Params,
    value: &Value,
) -> ApiResult<Shape> {
    let crs = params.parse("crs", Crs::parse)?.unwrap_or(Crs::Cgcs2000);
    let to_cgcs = ToCgcs2000::new(crs).map_err(ApiError::internal)?;
    let member = ledger.geometry_member();
    Ok(parse_shape(
        ledger.geometry(),
        member,
        value,
        &to_cgcs,
        &state.config.limits(),
    )?)
}

/// An area's validity, checked by PostGIS inside the write's transaction.
async fn check_valid(
    conn: &mut sqlx::PgConnection,
    ledger: Ledger,
    shape: &Shape,
) -> ApiResult<()> {
    if shape.kind() != GeometryKind::Area {
        return Ok(());
    }
    match db::geometry::invalidity(conn, &shape.to_geojson()).await? {
        None => Ok(()),
        Some(inv) => {
            let code = if inv.reason.contains("elf-intersection") {
                "self_intersection"
            } else {
                "invalid_geometry"
            };
            let mut e = ApiError::from(FieldError::new(ledger.geometry_member(), code, inv.reason));
            if let Some((x, y)) = inv.location {
                e = e.with("location", serde_json::json!([x, y]));
            }
            Err(e)
        }
    }
}

async fn create(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    uri: Uri,
    actor: Actor,
    JsonBody(body): JsonBody,
) -> ApiResult<Response> {
    let ledger = ledger_of(&slug)?;
    actor.require(ledger.action())?;
    let params = Params::from_uri(&uri, &["crs"])?;
    let (props, geometry) = split(ledger, &body)?;
    let entry = Entry::parse(ledger, &props, clock::today())?;
    let member = ledger.geometry_member();
    let shape = match geometry {
        Some(g) => parse_geometry(&state, ledger, &params, &g)?,
        None => {
            return Err(FieldError::new(member, "required", format!("{member} is required")).into())
        }
    };
    let mut tx = state.pool.begin().await?;
    check_valid(&mut tx, ledger, &shape).await?;
    let (id, feature, version) = db::ledgers::insert(&mut tx, &entry, &shape, actor.0.id)
        .await
        .map_err(db_error)?;
    tx.commit().await?;
    let mut res = response(StatusCode::CREATED, GEOJSON, feature, Some(version));
    if let Ok(loc) = HeaderValue::from_str(&format!("/api/ledgers/{}/{id}", ledger.slug())) {
        res.headers_mut().insert(LOCATION, loc);
    }
    Ok(res)
}

/// A merge patch of a row's members (and geometry), against the version in `If-Match`.
async fn update(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    uri: Uri,
    headers: HeaderMap,
    actor: Actor,
    JsonBody(body): JsonBody,
) -> ApiResult<Response> {
    let ledger = ledger_of(&slug)?;
    actor.require(ledger.action())?;
    let id = id_of(ledger, &id)?;
    let expected = required_if_match(&headers)?;
    let params = Params::from_uri(&uri, &["crs"])?;
    let (patch, geometry) = split(ledger, &body)?;
    let shape = geometry
        .map(|g| parse_geometry(&state, ledger, &params, &g))
        .transpose()?;

    let mut tx = state.pool.begin().await?;
    let current = db::ledgers::lock(&mut tx, ledger, id)
        .await?
        .ok_or_else(|| not_found(ledger, id))?;
    if current.version != expected {
        return Err(ApiError::new(
            StatusCode::PRECONDITION_FAILED,
            "stale_version",
            format!(
                "the row is at version {}, not {expected}: reload and retry",
                current.version
            ),
        )
        .with("current_version", current.version.into()));
    }
    let today = clock::today();
    let next = Entry::patched(ledger, &current.props, &patch, today)?;
    let unchanged = shape.is_none()
        && Entry::patched(ledger, &current.props, &Map::new(), today).is_ok_and(|e| e == next);
    if unchanged {
        let (feature, version) = db::ledgers::feature(&mut *tx, ledger, id)
            .await?
            .ok_or_else(|| not_found(ledger, id))?;
        return Ok(response(StatusCode::OK, GEOJSON, feature, Some(version)));
    }
    if let Some(s) = &shape {
        check_valid(&mut tx, ledger, s).await?;
    }
    let (_, feature, version) = db::ledgers::update(&mut tx, id, &next, shape.as_ref(), actor.0.id)
        .await
        .map_err(db_error)?;
    tx.commit().await?;
    Ok(response(StatusCode::OK, GEOJSON, feature, Some(version)))
}

/// Every version of a row, oldest first.
async fn history(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
) -> ApiResult<Response> {
    let ledger = ledger_of(&slug)?;
    let id = id_of(ledger, &id)?;
    let versions = db::ledgers::history(&state.pool, ledger, id)
        .await?
        .ok_or_else(|| not_found(ledger, id))?;
    let body = format!(
        "{{\"ledger\":\"{}\",\"id\":{id},\"versions\":{versions}}}",
        ledger.slug()
    );
    Ok(response(StatusCode::OK, "application/json", body, None))
}
