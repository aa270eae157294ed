//! `/tiles/{layer}/{z}/{x}/{y}`: Mapbox vector tiles by ST_AsMVT, with the same CQL2
//! `filter` as the features API, a cache that writes invalidate, ETags and 304s.
//!
//! Parcels are served from a stored Web Mercator copy. At zoom 13 and below they are
//! aggregated on a 64 × 64 grid per tile (a point per cell with counts by stage), so a
//! tile of the whole district stays small; from zoom 14 each parcel is a polygon, encoded
//! by the service itself (see `parcel_polygons`).

use std::hash::{Hash, Hasher};

use axum::extract::{Path, State};
use axum::http::header::{CONTENT_TYPE, ETAG, IF_NONE_MATCH};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use futures_util::TryStreamExt;
use serde_json::{json, Value};
use sqlx::{Postgres, QueryBuilder, Row};
use time::Date;

use super::extract::Params;
use super::ogc::{base_url, find, Collection};
use super::AppState;
use crate::db::geometry::push_envelope;
use crate::error::{ApiError, ApiResult};
use crate::gis::{cql2, gcj02};
use crate::tiles::mvt::{PolygonLayer, Prop};
use crate::tiles::{Mercator, TileCoord, TileKey, HALF};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/tiles/{layer}", get(tilejson))
        .route("/tiles/{layer}/{z}/{x}/{y}", get(tile))
}

const MVT: &str = "application/vnd.mapbox-vector-tile";
/// Zooms up to this one aggregate parcels.
const CLUSTER_MAX_ZOOM: u8 = 13;
const CLUSTER_GRID: f64 = 64.0;
/// From this zoom to `CLUSTER_MAX_ZOOM`, unfiltered aggregates come from `parcel_cells`.
const CELLS_MIN_ZOOM: u8 = 8;
/// From this zoom parcels carry every property (name, town, class, land right).
const DETAIL_MIN_ZOOM: u8 = 16;

fn layer_of(id: &str) -> ApiResult<&'static Collection> {
    find(id).ok_or_else(|| ApiError::not_found(format!("no tile layer {id}")))
}

async fn tilejson(
    State(state): State<AppState>,
    Path(layer): Path<String>,
    headers: HeaderMap,
    uri: Uri,
) -> ApiResult<Json<Value>> {
    let c = layer_of(&layer)?;
    let params = Params::from_uri(&uri, &["filter", "coords"])?;
    let q = uri
        .query()
        .filter(|_| !params.0.is_empty())
        .map(|q| format!("?{q}"))
        .unwrap_or_default();
    let d = state.config.extent;
    let mut fields: serde_json::Map<String, Value> = c
        .queryables
        .iter()
        .map(|(n, _, t)| ((*n).to_owned(), json!(format!("{t:?}"))))
        .collect();
    if c.id == "parcels" {
        for (f, d) in [
            ("count", "z≤13: parcels in the cell"),
            ("area_m2", "z≤13: their area"),
            ("listed", "z≤13: listed or under control"),
            ("contaminated", "z≤13: contaminated"),
            ("suspected", "z≤13: suspected or being surveyed"),
        ] {
            fields.insert(f.to_owned(), json!(d));
        }
    } else {
        fields.insert(
            "props".to_owned(),
            json!("the feature's properties as in /ogc/collections/{id}/items"),
        );
    }
    Ok(Json(json!({
        "tilejson": "3.0.0", "name": c.title, "description": c.description,
        "tiles": [format!("{}/tiles/{}/{{z}}/{{x}}/{{y}}{q}", base_url(&headers), c.id)],
        "minzoom": 0, "maxzoom": TileCoord::MAX_ZOOM,
        "bounds": [d.min_x, d.min_y, d.max_x, d.max_y], "center": [116.1, 39.94, 12],
        "vector_layers": [{"id": c.id, "fields": fields, "minzoom": 0, "maxzoom": TileCoord::MAX_ZOOM,
                           "description": if c.id == "parcels" { "z≤13: clusters (count, listed, contaminated, suspected, worst); z≥14: parcels" } else { "" }}],
    })))
}

/// The cache variant of a tile: its filter and offset, and for a filtered tile the date,
/// since a filter may depend on it (`overdue_filing`): yesterday's tile is not today's.
fn variant_of(filter: Option<&str>, gcj: bool, today: Date) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    filter.hash(&mut h);
    gcj.hash(&mut h);
    if filter.is_some() {
        today.hash(&mut h);
    }
    h.finish()
}

fn etag_of(key: &TileKey, body: &[u8]) -> String {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    key.layer.hash(&mut h);
    body.hash(&mut h);
    format!("\"{:016x}\"", h.finish())
}

async fn tile(
    State(state): State<AppState>,
    Path((layer, z, x, y)): Path<(String, u32, u32, String)>,
    headers: HeaderMap,
    uri: Uri,
) -> ApiResult<Response> {
    let c = layer_of(&layer)?;
    let y: u32 = y
        .trim_end_matches(".pbf")
        .trim_end_matches(".mvt")
        .parse()
        .map_err(|_| ApiError::not_found("no such tile"))?;
    let t = TileCoord::new_checked(z, x, y).ok_or_else(|| ApiError::not_found("no such tile"))?;
    let params = Params::from_uri(&uri, &["filter", "coords"])?;
    let gcj = match params.get("coords") {
        None => false,
        Some("gcj02") => true,
        Some(_) => {
            return Err(
                ApiError::bad_request("invalid_parameter", "coords may only be gcj02")
                    .with_field("coords"),
            )
        }
    };
    let filter = params
        .get("filter")
        .map(|f| {
            cql2::parse(f).map_err(|e| {
                ApiError::bad_request(
                    "invalid_parameter",
                    format!("{} (at {})", e.message, e.position),
                )
                .with_field("filter")
            })
        })
        .transpose()?;
    let today = crate::clock::today();
    let key = TileKey {
        layer: c.id,
        tile: t,
        variant: variant_of(params.get("filter"), gcj, today),
    };
    let (body, etag) = match state.tiles.get(&key) {
        Some(hit) => hit,
        None => {
            let bytes = render(&state, c, t, filter.as_ref(), gcj, today).await?;
            let body = (!bytes.is_empty()).then(|| bytes::Bytes::from(bytes));
            let etag = etag_of(&key, body.as_deref().unwrap_or_default());
            state.tiles.put(key, body.clone(), etag.clone());
            (body, etag)
        }
    };
    let tag = HeaderValue::from_str(&etag).map_err(ApiError::internal)?;
    let unchanged = headers
        .get(IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|e| e.trim() == etag));
    let mut res = match (unchanged, body) {
        (true, _) => StatusCode::NOT_MODIFIED.into_response(),
        (false, None) => StatusCode::NO_CONTENT.into_response(),
        (false, Some(b)) => ([(CONTENT_TYPE, MVT)], b).into_response(),
    };
    res.headers_mut().insert(ETAG, tag);
    res.headers_mut()
        .insert("cache-control", HeaderValue::from_static("no-cache"));
    Ok(res)
}

/// The GCJ-02 offset at the tile's centre, in Web Mercator metres: applied as a translation
/// (the offset varies by metres across a z10 tile and centimetres across a z14 one).
fn gcj_shift(t: TileCoord) -> (f64, f64) {
    let (lon, lat) = t.center_lonlat();
    let (glon, glat) = gcj02::to_gcj02(lon, lat);
    let (x0, y0) = crate::tiles::coord_to_mercator(lon, lat);
    let (x1, y1) = crate::tiles::coord_to_mercator(glon, glat);
    (x1 - x0, y1 - y0)
}

async fn render(
    state: &AppState,
    c: &'static Collection,
    t: TileCoord,
    filter: Option<&cql2::Expr>,
    gcj: bool,
    today: Date,
) -> ApiResult<Vec<u8>> {
    let b = t.bounds();
    let (dx, dy) = if gcj { gcj_shift(t) } else { (0.0, 0.0) };
    let parcels = c.id == "parcels";
    if parcels && t.z > CLUSTER_MAX_ZOOM {
        return parcel_polygons(state, c, t, filter, (dx, dy), today).await;
    }
    let mut qb: QueryBuilder<'_, Postgres> = QueryBuilder::new("WITH env AS (SELECT ");
    push_envelope(&mut qb, b.corners(), 3857);
    // The tile's box in longitude and latitude too, for the boundary's index (see
    // parcel_polygons). In the CTE, like `e`, it is not seen by the planner, which then
    // keeps to the index even for a district-wide tile: many such tiles at once run
    // faster that way than as parallel scans of the whole table.
    qb.push(" AS e, ");
    push_envelope(&mut qb, t.lonlat_corners(), 4490);
    qb.push(" AS g), ");
    let geom3857 = format!("ST_Transform({}, 3857)", c.geom);
    let shifted = if gcj {
        format!("ST_Translate({geom3857}, {dx}, {dy})")
    } else {
        geom3857
    };
    if parcels && filter.is_none() && (CELLS_MIN_ZOOM..=CLUSTER_MAX_ZOOM).contains(&t.z) {
        // The unfiltered aggregate is kept per cell by triggers (migration 0013): read the
        // tile's 64 × 64 cells instead of aggregating its parcels.
        let cell = (b.max_x - b.min_x) / CLUSTER_GRID;
        let gx0 = ((b.min_x + HALF) / cell).round() as i64;
        let gy0 = ((b.min_y + HALF) / cell).round() as i64;
        qb.push(format!(
            "mvt AS (SELECT ST_AsMVTGeom(ST_Translate(ST_SetSRID(ST_MakePoint(
                                 {origin} + (c.gx + 0.5) * {cell}, {origin} + (c.gy + 0.5) * {cell}), 3857), {dx}, {dy}),
                                 env.e, 4096, 64, true) AS geom,
                             c.count, round(c.area_m2)::bigint AS area_m2, c.listed, c.contaminated, c.suspected
                        FROM parcel_cells c, env
                       WHERE c.z = {z} AND c.count > 0
                         AND c.gx BETWEEN {gx0} AND {gx1} AND c.gy BETWEEN {gy0} AND {gy1})
             SELECT coalesce(ST_AsMVT(mvt.*, 'parcels', 4096, 'geom'), '') FROM mvt WHERE geom IS NOT NULL",
            origin = -HALF,
            z = t.z,
            gx1 = gx0 + CLUSTER_GRID as i64 - 1,
            gy1 = gy0 + CLUSTER_GRID as i64 - 1,
        ));
    } else if parcels && t.z <= CLUSTER_MAX_ZOOM {
        let cell = (b.max_x - b.min_x) / CLUSTER_GRID;
        qb.push(format!(
            "src AS (SELECT floor((ST_X(p.point_3857) - {minx}) / {cell}) AS gx,
                            floor((ST_Y(p.point_3857) - {miny}) / {cell}) AS gy,
                            p.stage, p.area_m2
                       FROM parcels p, env
                      WHERE p.geom && env.g AND p.point_3857 && env.e AND p.retired_at IS NULL",
            minx = b.min_x,
            miny = b.min_y
        ));
        push_filter(&mut qb, c, filter, today)?;
        qb.push(format!(
            "), mvt AS (SELECT ST_AsMVTGeom(ST_Translate(ST_SetSRID(ST_MakePoint({minx} + (gx + 0.5) * {cell}, {miny} + (gy + 0.5) * {cell}), 3857), {dx}, {dy}),
                                          env.e, 4096, 64, true) AS geom,
                             count(*)::int AS count, round(sum(area_m2))::bigint AS area_m2,
                             count(*) FILTER (WHERE stage IN ('control_needed', 'listed', 'plan_filed', 'remediating', 'works_finished', 'effect_evaluated'))::int AS listed,
                             count(*) FILTER (WHERE stage = 'contaminated')::int AS contaminated,
                             count(*) FILTER (WHERE stage IN ('suspected', 'surveying', 'phase2_needed'))::int AS suspected
                        FROM src, env GROUP BY gx, gy, env.e)
             SELECT coalesce(ST_AsMVT(mvt.*, 'parcels', 4096, 'geom'), '') FROM mvt WHERE geom IS NOT NULL",
            minx = b.min_x,
            miny = b.min_y
        ));
    } else {
        let props = format!("{} AS id, ({})::jsonb AS props", c.fid, c.props_sql());
        let bbox_test = format!("{} && env.g", c.geom);
        qb.push(format!(
            "mvt AS (SELECT ST_AsMVTGeom({shifted}, env.e, 4096, 64, true) AS geom, {props}
                       FROM {from}, env WHERE {bbox_test} AND {base}",
            from = c.from,
            base = c.base_where
        ));
        push_filter(&mut qb, c, filter, today)?;
        qb.push(format!(") SELECT coalesce(ST_AsMVT(mvt.*, '{}', 4096, 'geom'), '') FROM mvt WHERE geom IS NOT NULL", c.id));
    }
    let bytes: Vec<u8> = qb.build_query_scalar().fetch_one(&state.pool).await?;
    Ok(bytes)
}

/// Parcels as polygons (zoom 14 and above): the database finds them by their boundary
/// and hands over the WKB of their stored Web Mercator copy; the service encodes the tile
/// (`tiles::mvt`).
/// From zoom 14 each parcel carries what colours and filters need (code, stage, risk,
/// planned use), from zoom 16 all its register properties; the rest is one click away.
async fn parcel_polygons(
    state: &AppState,
    c: &'static Collection,
    t: TileCoord,
    filter: Option<&cql2::Expr>,
    shift: (f64, f64),
    today: Date,
) -> ApiResult<Vec<u8>> {
    let detail = t.z >= DETAIL_MIN_ZOOM;
    let b = t.bounds();
    let mut qb: QueryBuilder<'_, Postgres> = QueryBuilder::new(
        "SELECT ST_AsBinary(p.geom_3857), p.code, p.stage::text, p.risk::text, p.planned_use",
    );
    if detail {
        qb.push(", p.name, p.town, p.gb36600_class::bigint, p.land_right::text");
    }
    // The boundary's index, with the tile's box in longitude and latitude (CGCS2000 is
    // taken as WGS 84 by Web Mercator, as PostGIS does for the stored copy).
    qb.push(" FROM parcels p WHERE p.geom && ");
    push_envelope(&mut qb, t.lonlat_corners(), 4490);
    qb.push(" AND ").push(c.base_where);
    push_filter(&mut qb, c, filter, today)?;
    let mut layer = PolygonLayer::new(c.id, b, shift);
    let mut rows = qb.build().fetch(&state.pool);
    while let Some(row) = rows.try_next().await? {
        let text = |i: usize| {
            row.try_get::<Option<String>, _>(i)
                .map(|v| v.map(Prop::Text))
        };
        let mut props = vec![
            ("code", text(1)?),
            ("stage", text(2)?),
            ("risk", text(3)?),
            ("planned_use", text(4)?),
        ];
        if detail {
            props.extend([
                ("name", text(5)?),
                ("town", text(6)?),
                (
                    "gb36600_class",
                    row.try_get::<Option<i64>, _>(7)?.map(Prop::Int),
                ),
                ("land_right", text(8)?),
            ]);
        }
        let wkb: &[u8] = row.try_get(0)?;
        layer.add(wkb, &props).map_err(ApiError::internal)?;
    }
    Ok(layer.finish())
}

fn push_filter<'a>(
    qb: &mut QueryBuilder<'a, Postgres>,
    c: &Collection,
    filter: Option<&'a cql2::Expr>,
    today: Date,
) -> ApiResult<()> {
    if let Some(expr) = filter {
        qb.push(" AND ");
        cql2::push_sql(expr, &c.queryables(today), 4490, qb).map_err(|e| {
            ApiError::bad_request("invalid_parameter", e.message).with_field("filter")
        })?;
    }
    Ok(())
}

/// Drops the cached parcel tiles that meet a parcel's boundary (call before and after an edit).
pub async fn parcel_area(pool: &sqlx::PgPool, code: &str) -> Option<Mercator> {
    let row: Option<(f64, f64, f64, f64)> = sqlx::query_as(
        "SELECT ST_XMin(geom_3857), ST_YMin(geom_3857), ST_XMax(geom_3857), ST_YMax(geom_3857) FROM parcels WHERE code = $1",
    )
    .bind(code)
    .fetch_optional(pool)
    .await
    .ok()
    .flatten();
    // GCJ-02 tiles are shifted by up to ~600 m: widen the box so they are dropped too.
    row.map(|(a, b, c, d)| Mercator {
        min_x: a - 1000.0,
        min_y: b - 1000.0,
        max_x: c + 1000.0,
        max_y: d + 1000.0,
    })
}

/// After every successful write, drops the cached tiles it affects: the parcel's own area
/// (before and after the write) for parcel writes; the whole layer for the smaller layers.
pub async fn follow_writes(
    axum::extract::State(state): axum::extract::State<AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    use axum::http::Method;
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let path = req.uri().path().to_owned();
    let parcel = path
        .strip_prefix("/api/parcels/")
        .and_then(|rest| rest.split('/').next())
        .filter(|c| !c.is_empty())
        .map(str::to_owned);
    let before = match &parcel {
        Some(code) => parcel_area(&state.pool, code).await,
        None => None,
    };
    let res = next.run(req).await;
    if !res.status().is_success() {
        return res;
    }
    let created = res
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .and_then(|l| l.strip_prefix("/api/parcels/"))
        .map(str::to_owned);
    let cache = &state.tiles;
    if let Some(code) = parcel.or(created) {
        if let Some(area) = before {
            cache.invalidate("parcels", Some(area));
        }
        if let Some(area) = parcel_area(&state.pool, &code).await {
            cache.invalidate("parcels", Some(area));
        }
        if path.ends_with("/samples") {
            cache.invalidate("sampling-points", None);
        }
        return res;
    }
    let segments: Vec<&str> = path.trim_start_matches("/api/").split('/').collect();
    match segments.first().copied() {
        Some("closed-sites") => {
            cache.invalidate("closed-sites", None);
            cache.invalidate("parcels", None);
        }
        Some("filings") => {
            cache.invalidate("parcels", None);
        }
        Some("enterprises" | "key-units") => {
            cache.invalidate("enterprises", None);
            cache.invalidate("key-units", None);
        }
        Some("patches") => {
            cache.invalidate("patches", None);
        }
        Some("ledgers") => {
            if let Some(c) = segments.get(1).and_then(|l| find(l)) {
                cache.invalidate(c.id, None);
            }
        }
        _ => {}
    }
    res
}
