//! `/api/parcels`: the register as GeoJSON.

use axum::extract::{Path, State};
use axum::http::header::{ETAG, IF_MATCH, IF_NONE_MATCH, LOCATION};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Map, Value};

use super::extract::{
    etag, query_component, required_if_match, version_of, Actor, JsonBody, Params,
};
use super::AppState;
use crate::clock;
use crate::db;
use crate::db::parcels::ListFilter;
use crate::domain::access::Action;
use crate::domain::land_use::{Gb36600Class, LandUse};
use crate::domain::lifecycle::Stage;
use crate::domain::parcel::{FieldError, NewParcel, ParcelCode, Risk};
use crate::domain::parcel_history;
use crate::domain::town::Town;
use crate::error::{ApiError, ApiResult};
use crate::gis::crs::{Crs, ToCgcs2000};
use crate::gis::extent::Extent;
use crate::gis::geometry::{parse_boundary, Boundary};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/parcels", get(list).post(create))
        .route("/api/parcels/{code}", get(show).patch(update))
        .route("/api/parcels/{code}/retire", post(retire))
        .route("/api/parcels/{code}/versions", get(versions))
}

const GEOJSON: &str = "application/geo+json";
const DEFAULT_LIMIT: i64 = 100;
const MAX_LIMIT: i64 = 10_000;

fn geojson_response(status: StatusCode, body: String, version: Option<i32>) -> Response {
    let mut res = (status, [(axum::http::header::CONTENT_TYPE, GEOJSON)], body).into_response();
    if let Some(v) = version.and_then(|v| HeaderValue::from_str(&etag(v)).ok()) {
        res.headers_mut().insert(ETAG, v);
    }
    res
}

fn parse_bbox(s: &str) -> Option<Extent> {
    s.parse().ok()
}

async fn list(State(state): State<AppState>, uri: Uri, headers: HeaderMap) -> ApiResult<Response> {
    let params = Params::from_uri(
        &uri,
        &[
            "town",
            "planned_use",
            "risk",
            "bbox",
            "q",
            "limit",
            "cursor",
            "include_retired",
            "stage",
            "as_of",
        ],
    )?;
    let filter = ListFilter {
        town: params.parse("town", Town::parse)?,
        planned_use: params.parse("planned_use", LandUse::parse)?,
        risk: params.parse("risk", |s| {
            serde_json::from_value::<Risk>(Value::String(s.to_owned())).ok()
        })?,
        bbox: params.parse("bbox", parse_bbox)?,
        q: params.get("q").map(str::to_owned),
        stage: params.parse("stage", Stage::parse)?,
        as_of: params.parse("as_of", clock::parse_as_of)?,
        include_retired: params
            .parse("include_retired", |s| s.parse::<bool>().ok())?
            .unwrap_or(false),
    };
    let limit = params
        .parse("limit", |s| {
            s.parse::<i64>()
                .ok()
                .filter(|n| (1..=MAX_LIMIT).contains(n))
        })?
        .unwrap_or(DEFAULT_LIMIT);
    let after = params.parse("cursor", |s| s.parse::<i64>().ok().filter(|n| *n >= 0))?;

    let page = db::parcels::list(&state.pool, &filter, after, limit).await?;

    let base = format!(
        "http://{}/api/parcels",
        headers
            .get("host")
            .and_then(|h| h.to_str().ok())
            .unwrap_or("localhost")
    );
    let mut links = vec![
        serde_json::json!({"rel": "self", "type": GEOJSON, "href": format!("{base}?{}", uri.query().unwrap_or(""))}),
    ];
    if let Some(next) = page.next_after {
        let mut q: Vec<(String, String)> = params
            .0
            .iter()
            .filter(|(k, _)| k.as_str() != "cursor")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        q.sort();
        q.push(("cursor".into(), next.to_string()));
        let qs = q
            .iter()
            .map(|(k, v)| format!("{}={}", query_component(k), query_component(v)))
            .collect::<Vec<_>>()
            .join("&");
        links.push(
            serde_json::json!({"rel": "next", "type": GEOJSON, "href": format!("{base}?{qs}")}),
        );
    }
    let mut body =
        String::with_capacity(page.features.iter().map(String::len).sum::<usize>() + 256);
    body.push_str("{\"type\":\"FeatureCollection\",\"features\":[");
    for (i, f) in page.features.iter().enumerate() {
        if i > 0 {
            body.push(',');
        }
        body.push_str(f);
    }
    body.push_str("],\"numberReturned\":");
    body.push_str(&page.features.len().to_string());
    if let Some(n) = page.number_matched {
        body.push_str(",\"numberMatched\":");
        body.push_str(&n.to_string());
    }
    body.push_str(",\"links\":");
    body.push_str(&Value::Array(links).to_string());
    body.push('}');
    Ok(geojson_response(StatusCode::OK, body, None))
}

/// `GET /api/parcels/{code}/versions`: every version of the parcel's register row, the
/// oldest first — when it took effect, who wrote it, the import it came through, and what it
/// changed from the one before (`domain::parcel_history`).
async fn versions(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> ApiResult<Json<Value>> {
    let rows = db::parcels::versions(&state.pool, &code)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no parcel with code {code}")))?;
    let empty = Map::new();
    let mut before: &Map<String, Value> = &empty;
    let mut out = Vec::with_capacity(rows.len());
    for (version, valid_from, by, via, row) in &rows {
        let now = row.as_object().unwrap_or(&empty);
        let changes = if before.is_empty() {
            Vec::new()
        } else {
            parcel_history::changes(before, now)
        };
        out.push(serde_json::json!({
            "version": version, "valid_from": valid_from, "by": by, "via": via,
            "area_m2": now.get("area_m2"), "changes": changes,
        }));
        before = now;
    }
    Ok(Json(serde_json::json!({"parcel": code, "versions": out})))
}

async fn show(
    State(state): State<AppState>,
    Path(code): Path<String>,
    headers: HeaderMap,
    uri: Uri,
) -> ApiResult<Response> {
    let params = Params::from_uri(&uri, &["as_of"])?;
    let found = match params.parse("as_of", clock::parse_as_of)? {
        None => db::parcels::feature(&state.pool, &code).await?,
        Some(at) => db::parcels::feature_as_of(&state.pool, &code, at).await?,
    };
    let (feature, version) =
        found.ok_or_else(|| ApiError::not_found(format!("no parcel with code {code}")))?;
    let unchanged = headers
        .get(IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| version_of(t) == Some(version)));
    if unchanged {
        return Ok(geojson_response(
            StatusCode::NOT_MODIFIED,
            String::new(),
            Some(version),
        ));
    }
    Ok(geojson_response(StatusCode::OK, feature, Some(version)))
}

/// The `crs` of the request's coordinates, EPSG:4490 by default.
fn input_crs(params: &Params) -> ApiResult<ToCgcs2000> {
    let crs = params.parse("crs", Crs::parse)?.unwrap_or(Crs::Cgcs2000);
    ToCgcs2000::new(crs).map_err(ApiError::internal)
}

fn feature_parts(
    body: &Value,
    geometry_required: bool,
) -> ApiResult<(Map<String, Value>, Option<&Value>)> {
    let obj = body.as_object().ok_or_else(|| {
        ApiError::from(FieldError::new(
            "",
            "invalid_feature",
            "the body must be a GeoJSON Feature",
        ))
    })?;
    if obj.get("type").is_some_and(|t| t != "Feature")
        || (geometry_required && obj.get("type").is_none())
    {
        return Err(FieldError::new(
            "type",
            "invalid_feature",
            "the body must be a GeoJSON Feature",
        )
        .into());
    }
    let props = match obj.get("properties") {
        Some(Value::Object(m)) => m.clone(),
        None | Some(Value::Null) if !geometry_required => Map::new(),
        _ => {
            return Err(FieldError::new(
                "properties",
                "invalid_feature",
                "properties must be an object",
            )
            .into())
        }
    };
    let geometry = match obj.get("geometry") {
        None | Some(Value::Null) if geometry_required => {
            return Err(FieldError::new(
                "geometry",
                "required",
                "a parcel needs a boundary geometry",
            )
            .into())
        }
        None | Some(Value::Null) => None,
        Some(g) => Some(g),
    };
    Ok((props, geometry))
}

/// Checks PostGIS validity inside the write's transaction; names where it fails.
async fn check_valid(conn: &mut sqlx::PgConnection, boundary: &Boundary) -> ApiResult<()> {
    match db::geometry::invalidity(conn, &boundary.to_geojson()).await? {
        None => Ok(()),
        Some(inv) => {
            let mut e = ApiError::from(FieldError::new(
                "geometry",
                if inv.reason.contains("elf-intersection") {
                    "self_intersection"
                } else {
                    "invalid_geometry"
                },
                match inv.location {
                    Some((x, y)) => format!("{} at ({x:.7}, {y:.7})", inv.reason),
                    None => inv.reason.clone(),
                },
            ));
            if let Some((x, y)) = inv.location {
                e = e.with("location", serde_json::json!([x, y]));
            }
            Err(e)
        }
    }
}

async fn create(
    State(state): State<AppState>,
    uri: Uri,
    actor: Actor,
    JsonBody(body): JsonBody,
) -> ApiResult<Response> {
    actor.require(Action::EditRegister)?;
    let params = Params::from_uri(&uri, &["crs"])?;
    let (props, geometry) = feature_parts(&body, true)?;
    let parcel = NewParcel::parse(&props)?;
    let boundary = {
        let to_cgcs = input_crs(&params)?;
        parse_boundary(
            geometry.unwrap_or(&Value::Null),
            &to_cgcs,
            &state.config.limits(),
        )?
    };
    let mut tx = state.pool.begin().await?;
    check_valid(&mut tx, &boundary).await?;
    // A code already taken fails on the unique constraint: 409 duplicate_code (error.rs),
    // whichever of two concurrent requests comes second.
    let (feature, version) = db::parcels::insert(&mut tx, &parcel, &boundary, actor.0.id).await?;
    tx.commit().await?;
    let mut res = geojson_response(StatusCode::CREATED, feature, Some(version));
    if let Ok(loc) = HeaderValue::from_str(&format!("/api/parcels/{}", parcel.code.as_str())) {
        res.headers_mut().insert(LOCATION, loc);
    }
    Ok(res)
}

async fn update(
    State(state): State<AppState>,
    Path(code): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    actor: Actor,
    JsonBody(body): JsonBody,
) -> ApiResult<Response> {
    actor.require(Action::EditRegister)?;
    let params = Params::from_uri(&uri, &["crs"])?;
    let expected = required_if_match(&headers)?;
    let (props, geometry) = feature_parts(&body, false)?;
    let boundary = match geometry {
        None => None,
        Some(g) => {
            let to_cgcs = input_crs(&params)?;
            Some(parse_boundary(g, &to_cgcs, &state.config.limits())?)
        }
    };
    let code = ParcelCode::parse(&code)
        .map_err(|_| ApiError::not_found(format!("no parcel with code {code}")))?;
    let mut tx = state.pool.begin().await?;
    let current = db::parcels::lock(&mut tx, code.as_str())
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no parcel with code {}", code.as_str())))?;
    if current.version != expected {
        return Err(ApiError::new(
            StatusCode::PRECONDITION_FAILED,
            "stale_version",
            format!(
                "the parcel is at version {}, not {expected}: reload and retry",
                current.version
            ),
        )
        .with("current_version", current.version.into()));
    }
    if current.retired {
        return Err(ApiError::conflict(
            "retired",
            "a retired parcel cannot be edited",
        ));
    }
    let next = current.attributes.patched(&props)?;
    let follows_events = db::events::has_land_events(&mut tx, current.id).await?;
    if follows_events && next.land_right != current.attributes.land_right {
        return Err(ApiError::conflict(
            "land_right_follows_events",
            "this parcel's land right is derived from its land events: record a land event instead",
        )
        .with_field("land_right"));
    }
    if let Some(b) = &boundary {
        check_valid(&mut tx, b).await?;
    }
    let (feature, version) = db::parcels::update(
        &mut tx,
        current.id,
        &next,
        boundary.as_ref(),
        actor.0.id,
        follows_events,
    )
    .await?;
    db::sampling::flag_class_change(
        &mut tx,
        current.id,
        current.class,
        Gb36600Class::for_planned_use(next.planned_use),
    )
    .await?;
    tx.commit().await?;
    Ok(geojson_response(StatusCode::OK, feature, Some(version)))
}

async fn retire(
    State(state): State<AppState>,
    Path(code): Path<String>,
    headers: HeaderMap,
    actor: Actor,
    JsonBody(body): JsonBody,
) -> ApiResult<Response> {
    actor.require(Action::EditRegister)?;
    let reason = body
        .get("reason")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|r| !r.is_empty() && r.chars().count() <= 500)
        .ok_or_else(|| {
            FieldError::new(
                "reason",
                "required",
                "retiring a parcel needs a reason (1–500 characters)",
            )
        })?;
    let mut tx = state.pool.begin().await?;
    let current = db::parcels::lock(&mut tx, &code)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no parcel with code {code}")))?;
    if let Some(expected) = headers
        .get(IF_MATCH)
        .and_then(|v| v.to_str().ok())
        .and_then(version_of)
    {
        if expected != current.version {
            return Err(ApiError::new(
                StatusCode::PRECONDITION_FAILED,
                "stale_version",
                "the parcel has changed",
            ));
        }
    }
    if current.retired {
        return Err(ApiError::conflict(
            "already_retired",
            "the parcel is already retired",
        ));
    }
    let (feature, version) = db::parcels::retire(&mut tx, current.id, reason, actor.0.id).await?;
    tx.commit().await?;
    Ok(geojson_response(StatusCode::OK, feature, Some(version)))
}
