//! OGC API – Features under `/ogc`: Part 1 Core (GeoJSON, OpenAPI 3.0), Part 2 CRS, Part 3 CQL2 filters.

mod collections;
mod features;
pub mod items;
mod openapi;
mod selection;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

pub use collections::{find, Collection, COLLECTIONS};

use super::extract::Params;
use super::AppState;
use crate::error::{ApiError, ApiResult};
use crate::gis::crs::Crs;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/ogc", get(landing))
        .route("/ogc/", get(landing))
        .route("/ogc/conformance", get(conformance))
        .route("/ogc/api", get(openapi::document))
        .route("/ogc/collections", get(list))
        .route("/ogc/collections/{id}", get(collection))
        .route("/ogc/collections/{id}/queryables", get(queryables))
        .route("/ogc/collections/{id}/items", get(items::items))
        .route("/ogc/collections/{id}/items/{fid}", get(items::item))
}

/// The service's own address, from the Host header.
pub fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get("host")
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    format!("http://{host}")
}

pub fn ogc_error(status: StatusCode, message: &str) -> ApiError {
    ApiError::new(
        status,
        if status == StatusCode::NOT_FOUND {
            "not_found"
        } else {
            "invalid_request"
        },
        message,
    )
}

/// `f=html` or a browser's Accept header.
fn wants_html(params: &Params, headers: &HeaderMap) -> bool {
    match params.get("f") {
        Some(f) => f == "html",
        None => headers
            .get("accept")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|a| a.starts_with("text/html")),
    }
}

fn check_f(params: &Params) -> ApiResult<()> {
    match params.get("f") {
        None | Some("json" | "html") => Ok(()),
        Some(_) => Err(
            ApiError::bad_request("invalid_parameter", "f must be json or html").with_field("f"),
        ),
    }
}

fn html_page(title: &str, body: &str) -> Response {
    Html(format!(
        "<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>{title}</title>\
         <style>body{{font:14px sans-serif;margin:2em}}td,th{{border:1px solid #ccc;padding:3px 6px}}table{{border-collapse:collapse}}</style>\
         <h1>{title}</h1>{body}</html>"
    ))
    .into_response()
}

async fn landing(uri: Uri, headers: HeaderMap) -> ApiResult<Response> {
    let params = Params::from_uri(&uri, &["f"])?;
    check_f(&params)?;
    let b = base_url(&headers);
    let body = json!({
        "title": "soilreg — 门头沟区建设用地土壤环境管理 OGC API",
        "description": "Construction-land parcels, sampling points, closed-factory sites, key units and ledgers of the district, as OGC API – Features.",
        "links": [
            {"rel": "self", "type": "application/json", "href": format!("{b}/ogc")},
            {"rel": "alternate", "type": "text/html", "href": format!("{b}/ogc?f=html")},
            {"rel": "service-desc", "type": "application/vnd.oai.openapi+json;version=3.0", "href": format!("{b}/ogc/api")},
            {"rel": "conformance", "type": "application/json", "href": format!("{b}/ogc/conformance")},
            {"rel": "data", "type": "application/json", "href": format!("{b}/ogc/collections")},
        ]
    });
    if wants_html(&params, &headers) {
        return Ok(html_page("soilreg OGC API", "<p><a href=\"/ogc/collections?f=html\">Collections</a> · <a href=\"/ogc/api\">OpenAPI</a> · <a href=\"/ogc/conformance\">Conformance</a></p>"));
    }
    Ok(Json(body).into_response())
}

const CONFORMANCE: &[&str] = &[
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
    "http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
    "http://www.opengis.net/spec/cql2/1.0/conf/spatial-functions",
];

async fn conformance(uri: Uri) -> ApiResult<Json<Value>> {
    let params = Params::from_uri(&uri, &["f"])?;
    check_f(&params)?;
    Ok(Json(json!({"conformsTo": CONFORMANCE})))
}

/// The CRS list every collection offers.
pub fn crs_list() -> Vec<String> {
    let mut out = vec![Crs::Wgs84.uri()];
    out.extend(
        [
            Crs::Cgcs2000,
            Crs::Wgs84,
            Crs::Cm114,
            Crs::Cm117,
            Crs::Gk38,
            Crs::Gk39,
        ]
        .iter()
        .map(|c| format!("http://www.opengis.net/def/crs/EPSG/0/{}", c.epsg())),
    );
    out
}

async fn describe(state: &AppState, c: &Collection, b: &str) -> ApiResult<Value> {
    let extent: (Option<f64>, Option<f64>, Option<f64>, Option<f64>) = sqlx::query_as(&format!(
        "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent({}) AS e FROM {} WHERE {}) s",
        c.geom, c.from, c.base_where
    ))
    .fetch_one(&state.pool)
    .await?;
    let d = state.config.extent;
    let bbox = match extent {
        (Some(a), Some(b2), Some(c2), Some(d2)) => [a, b2, c2, d2],
        _ => [d.min_x, d.min_y, d.max_x, d.max_y],
    };
    Ok(json!({
        "id": c.id, "title": c.title, "description": c.description, "itemType": "feature",
        "extent": {"spatial": {"bbox": [bbox], "crs": Crs::Wgs84.uri()}},
        "crs": crs_list(), "storageCrs": "http://www.opengis.net/def/crs/EPSG/0/4490",
        "links": [
            {"rel": "self", "type": "application/json", "href": format!("{b}/ogc/collections/{}", c.id)},
            {"rel": "items", "type": "application/geo+json", "href": format!("{b}/ogc/collections/{}/items", c.id)},
            {"rel": "http://www.opengis.net/def/rel/ogc/1.0/queryables", "type": "application/schema+json", "href": format!("{b}/ogc/collections/{}/queryables", c.id)},
            {"rel": "tiles", "type": "application/json", "href": format!("{b}/tiles/{}", c.id)},
        ]
    }))
}

async fn list(State(state): State<AppState>, uri: Uri, headers: HeaderMap) -> ApiResult<Response> {
    let params = Params::from_uri(&uri, &["f"])?;
    check_f(&params)?;
    let b = base_url(&headers);
    let mut out = Vec::new();
    for c in COLLECTIONS {
        out.push(describe(&state, c, &b).await?);
    }
    if wants_html(&params, &headers) {
        let rows: String = COLLECTIONS
            .iter()
            .map(|c| format!("<tr><td><a href=\"/ogc/collections/{0}/items?f=json&limit=100\">{0}</a></td><td>{1}</td></tr>", c.id, c.title))
            .collect();
        return Ok(html_page("Collections", &format!("<table>{rows}</table>")));
    }
    Ok(Json(json!({"collections": out, "crs": crs_list(),
                   "links": [{"rel": "self", "type": "application/json", "href": format!("{b}/ogc/collections")}]}))
    .into_response())
}

async fn collection(
    State(state): State<AppState>,
    Path(id): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> ApiResult<Json<Value>> {
    let params = Params::from_uri(&uri, &["f"])?;
    check_f(&params)?;
    let c = find(&id).ok_or_else(|| ogc_error(StatusCode::NOT_FOUND, "no such collection"))?;
    Ok(Json(describe(&state, c, &base_url(&headers)).await?))
}

async fn queryables(Path(id): Path<String>, uri: Uri, headers: HeaderMap) -> ApiResult<Response> {
    let params = Params::from_uri(&uri, &["f"])?;
    check_f(&params)?;
    let c = find(&id).ok_or_else(|| ogc_error(StatusCode::NOT_FOUND, "no such collection"))?;
    let mut props = serde_json::Map::new();
    props.insert(
        "geometry".into(),
        json!({"format": "geometry-any", "x-ogc-role": "primary-geometry"}),
    );
    for (name, _, ty) in c.queryables {
        props.insert((*name).into(), json!(openapi::schema_of(*ty)));
    }
    let body = json!({
        "$schema": "https://json-schema.org/draft/2019-09/schema",
        "$id": format!("{}/ogc/collections/{}/queryables", base_url(&headers), c.id),
        "type": "object", "title": c.title, "properties": props, "additionalProperties": false,
    });
    Ok((
        [(axum::http::header::CONTENT_TYPE, "application/schema+json")],
        Json(body),
    )
        .into_response())
}
