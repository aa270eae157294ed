//! `/ogc/collections/{id}/items` and `/items/{featureId}`: Part 1 Core, Part 2 CRS, Part 3 filters.

use axum::extract::{Path, State};
use axum::http::header::{HeaderName, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};
use sqlx::postgres::PgRow;
use sqlx::{Postgres, QueryBuilder, Row};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::collections::{find, Collection};
use super::features;
pub use super::selection::{selection_params, Selection};
use super::{base_url, ogc_error};
use crate::error::{ApiError, ApiResult};
use crate::gis::crs::Crs;
use crate::gis::gcj02;
use crate::http::extract::Params;
use crate::http::AppState;

const GEOJSON: &str = "application/geo+json";
const COMMON: [&str; 13] = [
    "f",
    "bbox",
    "bbox-crs",
    "crs",
    "limit",
    "datetime",
    "cursor",
    "before",
    "filter",
    "filter-lang",
    "filter-crs",
    "coords",
    "offset",
];
pub const DEFAULT_LIMIT: i64 = 10;
pub const MAX_LIMIT: i64 = 10_000;
/// Counting stops here: `numberMatched` is given only when exact and cheap.
const COUNT_CAP: i64 = 10_000;

/// The output CRS: CRS84 by default; EPSG codes in their authority axis order (lat/lon,
/// northing/easting), as OGC API – Features Part 2 requires.
pub fn output_crs(params: &Params) -> ApiResult<Crs> {
    Ok(params.parse("crs", epsg_crs)?.unwrap_or(Crs::Wgs84))
}

/// A CRS named in an OGC parameter: CRS84 or an EPSG code (GCJ-02 is `coords=gcj02`).
pub(super) fn epsg_crs(s: &str) -> Option<Crs> {
    Crs::parse(s).filter(|c| *c != Crs::Gcj02)
}

/// The geometry expression of a feature in `crs`.
fn geometry_sql(geom: &str, crs: Crs, named84: bool) -> String {
    match crs {
        Crs::Wgs84 if named84 => format!("ST_AsGeoJSON({geom}, 7, 0)"),
        Crs::Wgs84 | Crs::Cgcs2000 => format!("ST_AsGeoJSON(ST_FlipCoordinates({geom}), 7, 0)"),
        other => format!(
            "ST_AsGeoJSON(ST_FlipCoordinates(ST_Transform({geom}, {})), 3, 0)",
            other.epsg()
        ),
    }
}

/// Whether `crs=` named CRS84 itself (lon/lat) rather than EPSG:4326 (lat/lon).
fn named_crs84(params: &Params) -> bool {
    params
        .get("crs")
        .is_none_or(|c| c.to_ascii_uppercase().contains("CRS84"))
}

pub(super) fn bad(param: &str, message: &str) -> ApiError {
    ApiError::bad_request("invalid_parameter", message).with_field(param)
}

fn allowed_params(c: &Collection) -> Vec<&'static str> {
    COMMON
        .iter()
        .copied()
        .chain(c.queryables.iter().map(|q| q.0))
        .collect()
}

/// `coords=gcj02`: positions offset for AMap/Tencent basemaps (CRS84 output only).
fn gcj02_requested(params: &Params) -> ApiResult<bool> {
    match params.get("coords") {
        None => Ok(false),
        Some("gcj02") if named_crs84(params) => Ok(true),
        Some("gcj02") => Err(bad("coords", "coords=gcj02 applies to CRS84 output only")),
        Some(_) => Err(bad(
            "coords",
            "coords may only be gcj02 (for AMap/Tencent basemaps)",
        )),
    }
}

fn to_gcj02_text(feature: &[u8]) -> Vec<u8> {
    match serde_json::from_slice::<Value>(feature) {
        Ok(mut v) => {
            if let Some(g) = v.get_mut("geometry") {
                gcj02::map_positions(g, &gcj02::to_gcj02);
            }
            v.to_string().into_bytes()
        }
        Err(_) => feature.to_owned(),
    }
}

fn content_crs(crs: Crs, named84: bool) -> HeaderValue {
    let uri = if crs == Crs::Wgs84 && named84 {
        crs.uri()
    } else {
        format!("http://www.opengis.net/def/crs/EPSG/0/{}", crs.epsg())
    };
    HeaderValue::from_str(&format!("<{uri}>")).unwrap_or(HeaderValue::from_static(
        "<http://www.opengis.net/def/crs/OGC/1.3/CRS84>",
    ))
}

/// A page of features, keyset-paged: `cursor` continues after a key, `before` goes back.
pub async fn items(
    State(state): State<AppState>,
    Path(id): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let c = find(&id).ok_or_else(|| ogc_error(StatusCode::NOT_FOUND, "no such collection"))?;
    let params = Params::from_uri(&uri, &allowed_params(c))?;
    if params
        .get("f")
        .is_some_and(|f| f != "json" && f != "geojson")
    {
        return Err(bad("f", "f must be json"));
    }
    let crs = output_crs(&params)?;
    let named84 = named_crs84(&params);
    let limit = params
        .parse("limit", |s| s.parse::<i64>().ok().filter(|n| *n >= 1))?
        .unwrap_or(DEFAULT_LIMIT)
        .min(MAX_LIMIT);
    let cursor = params.parse("cursor", |s| s.parse::<i64>().ok())?;
    let before = params.parse("before", |s| s.parse::<i64>().ok())?;
    let gcj = gcj02_requested(&params)?;
    let selection = Selection::parse(params)?;
    let params = &selection.params;

    let columns = features::columns(c, &geometry_sql(c.geom, crs, named84));
    let (rows, at, matched) =
        read_page(&state, c, &selection, &columns, cursor, before, limit).await?;
    // The page's features straight into the body, in key order (a `before` page was read
    // descending): the keys at its ends make the links.
    let more = rows.len() as i64 > limit;
    let page = &rows[..rows.len().min(limit as usize)];
    let mut body: Vec<u8> = Vec::with_capacity(page.len() * 800 + 1024);
    body.extend_from_slice(b"{\"type\":\"FeatureCollection\",\"features\":[");
    let (mut first, mut last) = (None, None);
    let ordered: Box<dyn Iterator<Item = _>> = if before.is_some() {
        Box::new(page.iter().rev())
    } else {
        Box::new(page.iter())
    };
    for (i, row) in ordered.enumerate() {
        if i > 0 {
            body.push(b',');
        }
        let start = body.len();
        let key = features::write(row, at, c, &mut body)?;
        if gcj {
            let shifted = to_gcj02_text(&body[start..]);
            body.truncate(start);
            body.extend_from_slice(&shifted);
        }
        first.get_or_insert(key);
        last = Some(key);
    }

    let base = format!("{}/ogc/collections/{}/items", base_url(&headers), c.id);
    let query_without = |drop: &[&str]| -> String {
        let mut q: Vec<(String, String)> = params
            .0
            .iter()
            .filter(|(k, _)| !drop.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        q.sort();
        q.iter()
            .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
            .collect::<Vec<_>>()
            .join("&")
    };
    let rest = query_without(&["cursor", "before"]);
    let join = |extra: String| {
        if rest.is_empty() {
            extra
        } else {
            format!("{rest}&{extra}")
        }
    };
    let mut links = vec![
        json!({"rel": "self", "type": GEOJSON, "href": format!("{base}?{}", query_without(&[]))}),
        json!({"rel": "collection", "type": "application/json", "href": format!("{}/ogc/collections/{}", base_url(&headers), c.id)}),
    ];
    // Going back with `before`, the page we came from is always next.
    let has_next = before.is_some() || more;
    let has_prev = if before.is_some() {
        more
    } else {
        cursor.is_some()
    };
    if let (true, Some(last)) = (has_next, last) {
        links.push(json!({"rel": "next", "type": GEOJSON, "href": format!("{base}?{}", join(format!("cursor={last}")))}));
    }
    if let (true, Some(first)) = (has_prev, first) {
        links.push(json!({"rel": "prev", "type": GEOJSON, "href": format!("{base}?{}", join(format!("before={first}")))}));
    }
    let now = OffsetDateTime::now_utc()
        .format(&Rfc3339)
        .unwrap_or_default();
    let mut tail = format!("],\"numberReturned\":{}", page.len());
    if let Some(matched) = matched {
        tail.push_str(&format!(",\"numberMatched\":{matched}"));
    }
    tail.push_str(&format!(
        ",\"timeStamp\":{},\"links\":{}",
        Value::String(now),
        Value::Array(links)
    ));
    body.extend_from_slice(tail.as_bytes());
    body.push(b'}');
    Ok(respond(body, crs, named84))
}

fn respond(body: Vec<u8>, crs: Crs, named84: bool) -> Response {
    let mut res = (StatusCode::OK, [(CONTENT_TYPE, GEOJSON)], body).into_response();
    res.headers_mut().insert(
        HeaderName::from_static("content-crs"),
        content_crs(crs, named84),
    );
    res
}

/// A filter the database rejects (e.g. a value of the wrong type) is the client's error.
pub(crate) fn db_or_filter(e: sqlx::Error) -> ApiError {
    if let Some(db) = e.as_database_error() {
        if matches!(
            db.code().as_deref(),
            Some("22P02" | "22007" | "22008" | "22023" | "XX000" | "42883")
        ) {
            return bad("filter", "the filter or a parameter does not fit the data");
        }
    }
    e.into()
}

/// A page of rows (from column `at` on, as `features::columns` lists them) and the exact
/// count when at most `COUNT_CAP` match. One statement finds the selection (up to the cap),
/// counts it and reads the page from it, joined back by row position (ctid) rather than a
/// second index lookup per feature; past the cap the page is read in key order from the
/// table and no count is given.
async fn read_page(
    state: &AppState,
    c: &'static Collection,
    selection: &Selection,
    columns: &str,
    cursor: Option<i64>,
    before: Option<i64>,
    limit: i64,
) -> ApiResult<(Vec<PgRow>, usize, Option<i64>)> {
    let mut qb = QueryBuilder::new(format!(
        "WITH m AS MATERIALIZED (SELECT {} AS page_key, {}.ctid AS page_tid",
        c.key,
        c.key_table()
    ));
    selection.push_where(&mut qb, c)?;
    qb.push(" LIMIT ").push_bind(COUNT_CAP + 1);
    qb.push("), page AS (SELECT page_key, page_tid FROM m WHERE TRUE");
    push_keyset(&mut qb, "page_key", cursor, before, limit);
    qb.push(format!(
        ") SELECT (SELECT count(*) FROM m), {columns} FROM {} JOIN page ON page.page_tid = {}.ctid ORDER BY page.page_key{}",
        c.from,
        c.key_table(),
        if before.is_some() { " DESC" } else { "" }
    ));
    let rows = qb
        .build()
        .fetch_all(&state.pool)
        .await
        .map_err(db_or_filter)?;
    let counted: i64 = match rows.first() {
        Some(r) => r.try_get(0)?,
        // The first page is empty only when nothing matches.
        None if cursor.is_none() && before.is_none() => 0,
        None => {
            let mut count = QueryBuilder::new("SELECT count(*) FROM (SELECT 1");
            selection.push_where(&mut count, c)?;
            count
                .push(" LIMIT ")
                .push_bind(COUNT_CAP + 1)
                .push(") AS capped");
            count
                .build_query_scalar()
                .fetch_one(&state.pool)
                .await
                .map_err(db_or_filter)?
        }
    };
    if counted <= COUNT_CAP {
        return Ok((rows, 1, Some(counted)));
    }
    let mut qb = QueryBuilder::new(format!("SELECT {columns}"));
    selection.push_where(&mut qb, c)?;
    push_keyset(&mut qb, c.key, cursor, before, limit);
    let rows = qb
        .build()
        .fetch_all(&state.pool)
        .await
        .map_err(db_or_filter)?;
    Ok((rows, 0, None))
}

/// ` AND {key} > cursor ORDER BY {key} LIMIT n+1`, or going back from `before`, descending.
fn push_keyset(
    qb: &mut QueryBuilder<'_, Postgres>,
    key: &str,
    cursor: Option<i64>,
    before: Option<i64>,
    limit: i64,
) {
    match (cursor, before) {
        (_, Some(b)) => {
            qb.push(format!(" AND {key} < ")).push_bind(b);
            qb.push(format!(" ORDER BY {key} DESC LIMIT "));
        }
        (Some(a), None) => {
            qb.push(format!(" AND {key} > ")).push_bind(a);
            qb.push(format!(" ORDER BY {key} LIMIT "));
        }
        (None, None) => {
            qb.push(format!(" ORDER BY {key} LIMIT "));
        }
    }
    qb.push_bind(limit + 1);
}

pub async fn item(
    State(state): State<AppState>,
    Path((id, fid)): Path<(String, String)>,
    uri: Uri,
) -> ApiResult<Response> {
    let c = find(&id).ok_or_else(|| ogc_error(StatusCode::NOT_FOUND, "no such collection"))?;
    let params = Params::from_uri(&uri, &["f", "crs", "coords"])?;
    let crs = output_crs(&params)?;
    let named84 = named_crs84(&params);
    let gcj = gcj02_requested(&params)?;
    let sql = format!(
        "SELECT {} FROM {} WHERE {} AND {} = $1",
        features::columns(c, &geometry_sql(c.geom, crs, named84)),
        c.from,
        c.base_where,
        c.fid
    );
    let row = sqlx::query(&sql)
        .bind(&fid)
        .fetch_optional(&state.pool)
        .await?
        .ok_or_else(|| ogc_error(StatusCode::NOT_FOUND, "no such feature"))?;
    let mut f = Vec::with_capacity(1024);
    features::write(&row, 0, c, &mut f)?;
    Ok(respond(
        if gcj { to_gcj02_text(&f) } else { f },
        crs,
        named84,
    ))
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
