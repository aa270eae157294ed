//! `GET /api/ledgers/{ledger}`: a ledger as a GeoJSON FeatureCollection, a map layer,
//! filtered by `bbox` (and `town`, `flagged` where the ledger has them), keyset-paged.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use serde_json::Value;

use super::{ledger_of, response, GEOJSON};
use crate::db;
use crate::db::ledgers::ListFilter;
use crate::domain::town::Town;
use crate::error::ApiResult;
use crate::http::extract::{query_component, Params};
use crate::http::AppState;

const DEFAULT_LIMIT: i64 = 100;
const MAX_LIMIT: i64 = 10_000;

pub async fn list(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let ledger = ledger_of(&slug)?;
    let mut allowed = vec!["bbox", "limit", "cursor"];
    if ledger.has_town() {
        allowed.push("town");
    }
    if ledger.flag().is_some() {
        allowed.push("flagged");
    }
    let params = Params::from_uri(&uri, &allowed)?;
    let filter = ListFilter {
        bbox: params.parse("bbox", |s| s.parse().ok())?,
        town: params.parse("town", Town::parse)?,
        flagged: params.parse("flagged", |s| s.parse::<bool>().ok())?,
    };
    let limit = params
        .parse("limit", |s| {
            s.parse::<i64>()
                .ok()
                .filter(|n| (1..=MAX_LIMIT).contains(n))
        })?
        .unwrap_or(DEFAULT_LIMIT);
    let after = params.parse("cursor", |s| s.parse::<i64>().ok().filter(|n| *n >= 0))?;
    let page = db::ledgers::list(&state.pool, ledger, &filter, after, limit).await?;

    let host = headers
        .get("host")
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let base = format!("http://{host}/api/ledgers/{}", ledger.slug());
    let mut links = vec![serde_json::json!({"rel": "self", "type": GEOJSON,
        "href": format!("{base}?{}", uri.query().unwrap_or(""))})];
    if let Some(next) = page.next_after {
        let mut q: Vec<(&String, &String)> = params
            .0
            .iter()
            .filter(|(k, _)| k.as_str() != "cursor")
            .collect();
        q.sort();
        let mut qs: Vec<String> = q
            .iter()
            .map(|(k, v)| format!("{}={}", query_component(k), query_component(v)))
            .collect();
        qs.push(format!("cursor={next}"));
        links.push(serde_json::json!({"rel": "next", "type": GEOJSON,
            "href": format!("{base}?{}", qs.join("&"))}));
    }
    let body = format!(
        "{{\"type\":\"FeatureCollection\",\"ledger\":\"{}\",\"features\":[{}],\"numberReturned\":{},\"links\":{}}}",
        ledger.slug(),
        page.features.join(","),
        page.features.len(),
        Value::Array(links)
    );
    Ok(response(StatusCode::OK, GEOJSON, body, None))
}
