//! `/api/district` and `/api/towns`: the district outline and town boundaries for the map
//! (synthetic in the demo district; see fixtures/README.md). `coords=gcj02` offsets them for
//! an AMap or Tencent basemap, as the tiles and items do.

use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde_json::Value;

use super::extract::Params;
use super::AppState;
use crate::error::{ApiError, ApiResult};
use crate::gis::gcj02;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/district", get(district))
        .route("/api/towns", get(towns))
        .route("/api/land-uses", get(land_uses))
        .route("/api/config", get(client_config))
}

fn geojson(v: Value) -> Response {
    ([(CONTENT_TYPE, "application/geo+json")], v.to_string()).into_response()
}

/// `coords=gcj02`, the only parameter of the geography endpoints; anything else is 400.
fn gcj02_requested(uri: &Uri) -> ApiResult<bool> {
    match Params::from_uri(uri, &["coords"])?.get("coords") {
        None => Ok(false),
        Some("gcj02") => Ok(true),
        Some(_) => Err(ApiError::bad_request(
            "invalid_parameter",
            "coords may only be gcj02 (for AMap/Tencent basemaps)",
        )
        .with_field("coords")),
    }
}

/// Offsets the geometry of a Feature, or of every Feature of a collection, to GCJ-02.
fn to_gcj02(v: &mut Value) {
    if let Some(features) = v.get_mut("features").and_then(Value::as_array_mut) {
        features.iter_mut().for_each(to_gcj02);
    } else if let Some(g) = v.get_mut("geometry") {
        gcj02::map_positions(g, &gcj02::to_gcj02);
    }
}

async fn district(State(state): State<AppState>, uri: Uri) -> ApiResult<Response> {
    let gcj = gcj02_requested(&uri)?;
    let v: Option<Value> = sqlx::query_scalar(
        "SELECT json_build_object('type', 'Feature', 'id', 'district', 'geometry', ST_AsGeoJSON(boundary, 6, 0)::json,
                'properties', json_build_object('name', name, 'synthetic', synthetic)) FROM district WHERE id = 1",
    )
    .fetch_optional(&state.pool)
    .await?;
    let mut v = v.unwrap_or(Value::Null);
    if gcj {
        to_gcj02(&mut v);
    }
    Ok(geojson(v))
}

async fn towns(State(state): State<AppState>, uri: Uri) -> ApiResult<Response> {
    let gcj = gcj02_requested(&uri)?;
    let mut v: Value = sqlx::query_scalar(
        "SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
                    'type', 'Feature', 'id', code, 'geometry', ST_AsGeoJSON(boundary, 6, 0)::json,
                    'properties', json_build_object('code', code, 'name_zh', name_zh, 'name_en', name_en, 'synthetic', synthetic))
                    ORDER BY code), '[]'))
           FROM towns",
    )
    .fetch_one(&state.pool)
    .await?;
    if gcj {
        to_gcj02(&mut v);
    }
    Ok(geojson(v))
}

/// The land-use classification the register uses, with the GB 36600 class each code implies.
async fn land_uses() -> axum::Json<Value> {
    use crate::domain::land_use::{LandUse, LAND_USES};
    let uses: Vec<Value> = LAND_USES
        .iter()
        .filter_map(|u| LandUse::parse(u.code))
        .map(|u| {
            serde_json::json!({"code": u.code(), "name_zh": u.name_zh(), "gb36600_class": u.gb36600_class().number(),
                               "residential": u.is_residential(), "public_service": u.is_public_service(),
                               "commercial": u.is_commercial()})
        })
        .collect();
    axum::Json(
        serde_json::json!({"classification": "国土空间调查、规划、用途管制用地用海分类指南", "land_uses": uses}),
    )
}

/// What the map needs to know: the optional basemap, and whether it is in GCJ-02.
async fn client_config(State(state): State<AppState>) -> axum::Json<Value> {
    let c = &state.config;
    let basemap = c.basemap_url.as_ref().map(|url| {
        serde_json::json!({"url": url, "gcj02": c.basemap_gcj02, "attribution": c.basemap_attribution})
    });
    axum::Json(
        serde_json::json!({"basemap": basemap, "extent": [c.extent.min_x, c.extent.min_y, c.extent.max_x, c.extent.max_y]}),
    )
}
