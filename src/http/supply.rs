//! The land-supply check: one parcel (`GET /api/parcels/{code}/supply-check?use=`) or a whole
//! annual land-supply plan (`POST /api/supply-check`), as JSON, CSV or printable HTML.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use sqlx::PgConnection;
use time::Date;

use super::extract::{Actor, Params};
use super::html::escape;
use super::AppState;
use crate::clock;
use crate::db;
use crate::domain::access::Action;
use crate::domain::land_use::LandUse;
use crate::domain::parcel::FieldError;
use crate::domain::rules::supply::{supply_check, SupplyCheck, Verdict};
use crate::error::{ApiError, ApiResult};
use crate::gis::crs::{Crs, ToCgcs2000};
use crate::gis::geometry::parse_boundary;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/parcels/{code}/supply-check", get(one))
        .route("/api/supply-check", post(plan))
}

/// Checks one parcel (read, not locked) for a use.
async fn check(
    conn: &mut PgConnection,
    code: &str,
    intended: LandUse,
    today: Date,
) -> ApiResult<Option<(i64, SupplyCheck, Value)>> {
    let Some(parcel) = db::parcels::read(conn, code).await? else {
        return Ok(None);
    };
    let facts = db::rules::gather(conn, &parcel, today).await?;
    let supply = db::rules::supply_facts(&parcel, &facts, today);
    let result = supply_check(&supply, intended);
    Ok(Some((parcel.id, result, json!(supply))))
}

fn parse_use(s: &str, field: &str) -> ApiResult<LandUse> {
    LandUse::parse(s).ok_or_else(|| {
        ApiError::from(FieldError::new(
            field,
            "unknown_land_use",
            format!("'{s}' is not a code of the 用地用海 classification"),
        ))
    })
}

async fn one(
    State(state): State<AppState>,
    Path(code): Path<String>,
    uri: Uri,
) -> ApiResult<Json<Value>> {
    let params = Params::from_uri(&uri, &["use"])?;
    let intended = parse_use(
        params.get("use").ok_or_else(|| {
            ApiError::bad_request("missing_parameter", "use (a land-use code) is required")
                .with_field("use")
        })?,
        "use",
    )
    .map_err(|e| ApiError::bad_request("invalid_parameter", e.message).with_field("use"))?;
    let mut conn = state.pool.acquire().await?;
    let (_, result, facts) = check(&mut conn, &code, intended, clock::today())
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no parcel with code {code}")))?;
    Ok(Json(json!({
        "parcel": code, "intended_use": intended.code(), "intended_use_name": intended.name_zh(),
        "verdict": result.verdict, "reasons": result.reasons, "facts": facts,
    })))
}

/// One line of a plan: a parcel (by code, or found by a polygon) and its intended use.
struct Entry {
    row: usize,
    code: Option<String>,
    intended: Result<LandUse, String>,
    planned_on: Option<Date>,
    /// A polygon to match to a parcel (GeoJSON in CGCS2000), or why it could not be read.
    polygon: Option<Result<String, String>>,
}

fn entries_from_json(state: &AppState, v: &Value) -> ApiResult<Vec<Entry>> {
    let list = v
        .get("entries")
        .or_else(|| v.get("features"))
        .and_then(Value::as_array)
        .ok_or_else(|| {
            ApiError::from(FieldError::new(
                "entries",
                "required",
                "send {\"entries\": [{\"code\", \"use\"}]} or a FeatureCollection",
            ))
        })?;
    let mut out = Vec::with_capacity(list.len());
    for (i, item) in list.iter().enumerate() {
        let props = item.get("properties").unwrap_or(item);
        let intended = props
            .get("use")
            .and_then(Value::as_str)
            .ok_or_else(|| "use is required".to_owned())
            .and_then(|u| LandUse::parse(u).ok_or_else(|| format!("'{u}' is not a land-use code")));
        let planned_on = props
            .get("planned_on")
            .and_then(Value::as_str)
            .and_then(clock::parse_date);
        let code = props.get("code").and_then(Value::as_str).map(str::to_owned);
        let geometry = item.get("geometry").filter(|g| !g.is_null()).map(|g| {
            let t = ToCgcs2000::new(Crs::Cgcs2000).map_err(|e| e.to_string())?;
            parse_boundary(g, &t, &state.config.limits())
                .map(|b| b.to_geojson())
                .map_err(|e| e.message)
        });
        out.push(Entry {
            row: i + 1,
            code,
            intended,
            planned_on,
            polygon: geometry,
        });
    }
    Ok(out)
}

fn entries_from_csv(text: &str) -> ApiResult<Vec<Entry>> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| ApiError::bad_request("invalid_csv", e.to_string()))?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_lowercase())
        .collect();
    let col = |names: &[&str]| headers.iter().position(|h| names.contains(&h.as_str()));
    let code = col(&["code", "地块编码"])
        .ok_or_else(|| FieldError::new("code", "missing_column", "the CSV needs a code column"))?;
    let use_ = col(&["use", "intended_use", "规划用途", "拟供地用途"])
        .ok_or_else(|| FieldError::new("use", "missing_column", "the CSV needs a use column"))?;
    let planned = col(&["planned_on", "计划供地时间"]);
    let mut out = Vec::new();
    for (i, r) in reader.records().enumerate() {
        let r = r.map_err(|e| ApiError::bad_request("invalid_csv", e.to_string()))?;
        let u = r.get(use_).unwrap_or("");
        out.push(Entry {
            row: i + 1,
            code: r.get(code).map(str::to_owned).filter(|s| !s.is_empty()),
            intended: LandUse::parse(u).ok_or_else(|| format!("'{u}' is not a land-use code")),
            planned_on: planned.and_then(|p| r.get(p)).and_then(clock::parse_date),
            polygon: None,
        });
    }
    Ok(out)
}

/// The parcel a polygon falls on: the one it overlaps most, when that is over half of it.
async fn match_polygon(conn: &mut PgConnection, geojson: &str) -> ApiResult<Option<(String, f64)>> {
    Ok(sqlx::query_as(
        "WITH g AS (SELECT ST_SetSRID(ST_GeomFromGeoJSON($1), 4490) AS g)
         SELECT p.code, ST_Area(ST_Intersection(p.geom, g.g)) / ST_Area(g.g) AS share
           FROM parcels p, g WHERE p.retired_at IS NULL AND ST_Intersects(p.geom, g.g)
          ORDER BY share DESC LIMIT 1",
    )
    .bind(geojson)
    .fetch_optional(conn)
    .await?
    .filter(|(_, share): &(String, f64)| *share > 0.5))
}

/// Checks a whole plan: `application/json` (entries or a FeatureCollection of polygons with
/// `use`) or `text/csv` (`code,use[,planned_on]`). `format=csv|html` for the report;
/// `store=true&year=` records the plan (planning bureau), so survey deadlines know the supply dates.
async fn plan(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    actor: Option<Actor>,
    body: Bytes,
) -> ApiResult<Response> {
    let params = Params::from_uri(&uri, &["format", "store", "year"])?;
    let format = params.get("format").unwrap_or("json").to_owned();
    if !["json", "csv", "html"].contains(&format.as_str()) {
        return Err(
            ApiError::bad_request("invalid_parameter", "format must be json, csv or html")
                .with_field("format"),
        );
    }
    let store = params
        .parse("store", |s| s.parse::<bool>().ok())?
        .unwrap_or(false);
    let today = clock::today();
    let year = params
        .parse("year", |s| {
            s.parse::<i32>().ok().filter(|y| (2000..=2100).contains(y))
        })?
        .unwrap_or(today.year());
    if store {
        actor
            .as_ref()
            .ok_or_else(ApiError::unauthorized)?
            .require(Action::RecordLandEvent)?;
    }
    let ct = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let entries = if ct.starts_with("text/csv") {
        entries_from_csv(
            std::str::from_utf8(&body)
                .map_err(|_| ApiError::bad_request("invalid_encoding", "the CSV must be UTF-8"))?,
        )?
    } else if ct.contains("json") {
        let v: Value = serde_json::from_slice(&body).map_err(|e| {
            ApiError::bad_request(
                "malformed_json",
                format!("malformed JSON at line {}, column {}", e.line(), e.column()),
            )
        })?;
        entries_from_json(&state, &v)?
    } else {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send application/json or text/csv",
        ));
    };
    if entries.len() > 20_000 {
        return Err(FieldError::new(
            "entries",
            "too_many",
            "a plan may have at most 20,000 entries",
        )
        .into());
    }
    let mut tx = state.pool.begin().await?;
    let mut rows = Vec::with_capacity(entries.len());
    let (mut allowed, mut conditional, mut blocked, mut errors) = (0, 0, 0, 0);
    for e in entries {
        let mut code = e.code.clone();
        let mut matched = Value::Null;
        let mut polygon_error = None;
        match (&code, &e.polygon) {
            (None, Some(Ok(g))) => {
                if let Some((c, share)) = match_polygon(&mut tx, g).await? {
                    matched = json!({"by": "overlap", "share": share});
                    code = Some(c);
                }
            }
            (None, Some(Err(m))) => polygon_error = Some(format!("the polygon is not valid: {m}")),
            _ => {}
        }
        let outcome = match (&code, &e.intended) {
            (None, _) => Err(polygon_error.unwrap_or_else(|| {
                "no parcel: give a code, or a polygon over half of which lies on one parcel"
                    .to_owned()
            })),
            (_, Err(m)) => Err(m.clone()),
            (Some(c), Ok(u)) => match check(&mut tx, c, *u, today).await? {
                None => Err(format!("no parcel with code {c}")),
                Some((id, r, _)) => Ok((id, *u, r)),
            },
        };
        match outcome {
            Err(message) => {
                errors += 1;
                rows.push(
                    json!({"row": e.row, "code": code, "error": message, "matched": matched}),
                );
            }
            Ok((id, u, r)) => {
                match r.verdict {
                    Verdict::Allowed => allowed += 1,
                    Verdict::Conditional => conditional += 1,
                    Verdict::Blocked => blocked += 1,
                }
                if store {
                    let user = actor.as_ref().map_or(0, |a| a.0.id);
                    sqlx::query(
                        "INSERT INTO supply_plan_entries (year, parcel_id, intended_use, planned_on, verdict, recorded_by)
                         VALUES ($1, $2, $3, $4, $5, $6)
                         ON CONFLICT ON CONSTRAINT supply_plan_key DO UPDATE
                            SET intended_use = $3, planned_on = $4, verdict = $5, recorded_by = $6, recorded_at = now()",
                    )
                    .bind(year)
                    .bind(id)
                    .bind(u.code())
                    .bind(e.planned_on)
                    .bind(json!(r.verdict).as_str().unwrap_or("blocked"))
                    .bind(user)
                    .execute(&mut *tx)
                    .await?;
                }
                rows.push(json!({"row": e.row, "code": code, "intended_use": u.code(), "intended_use_name": u.name_zh(),
                                 "planned_on": e.planned_on, "verdict": r.verdict, "reasons": r.reasons, "matched": matched}));
            }
        }
    }
    tx.commit().await?;
    let summary = json!({"entries": rows.len(), "allowed": allowed, "conditional": conditional, "blocked": blocked,
                         "errors": errors, "year": year, "stored": store});
    match format.as_str() {
        "csv" => csv_report(&rows),
        "html" => Ok(html_report(&rows, &summary).into_response()),
        _ => Ok(Json(json!({"summary": summary, "rows": rows})).into_response()),
    }
}

fn reason_text(row: &Value) -> String {
    match row.get("error").and_then(Value::as_str) {
        Some(e) => e.to_owned(),
        None => row["reasons"]
            .as_array()
            .map(|rs| {
                rs.iter()
                    .map(|r| {
                        format!(
                            "{}（{}）",
                            r["message_zh"].as_str().unwrap_or(""),
                            r["clause"].as_str().unwrap_or("")
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("；")
            })
            .unwrap_or_default(),
    }
}

fn verdict_zh(row: &Value) -> &'static str {
    match row["verdict"].as_str() {
        Some("allowed") => "可以供地",
        Some("conditional") => "有条件",
        Some("blocked") => "不得供地",
        _ => "无法判断",
    }
}

fn csv_report(rows: &[Value]) -> ApiResult<Response> {
    let lines = rows.iter().map(|r| {
        [
            r["row"].to_string(),
            r["code"].as_str().unwrap_or("").to_owned(),
            r["intended_use"].as_str().unwrap_or("").to_owned(),
            r["planned_on"].as_str().unwrap_or("").to_owned(),
            verdict_zh(r).to_owned(),
            reason_text(r),
        ]
    });
    super::csv_export::csv_response(
        &[
            "序号",
            "地块编码",
            "拟供地用途",
            "计划供地时间",
            "结论",
            "依据",
        ],
        lines,
        "supply-check.csv",
    )
}

fn html_report(rows: &[Value], summary: &Value) -> Html<String> {
    let mut body = String::new();
    for r in rows {
        body.push_str(&format!(
            "<tr class=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            r["verdict"].as_str().unwrap_or("error"),
            r["row"],
            escape(r["code"].as_str().unwrap_or("")),
            escape(
                r["intended_use_name"]
                    .as_str()
                    .unwrap_or(r["intended_use"].as_str().unwrap_or(""))
            ),
            verdict_zh(r),
            escape(&reason_text(r)),
        ));
    }
    Html(format!(
        "<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>年度供地计划土壤环境审查</title>\
         <style>body{{font:14px sans-serif;margin:2em}}table{{border-collapse:collapse}}td,th{{border:1px solid #999;padding:4px 8px}}\
         tr.blocked td{{background:#fde2e1}}tr.conditional td{{background:#fff4ce}}@media print{{button{{display:none}}}}</style>\
         <h1>年度供地计划土壤环境审查 / Land-supply plan check</h1>\
         <p>{} 年 · 共 {} 宗：可以供地 {}，有条件 {}，不得供地 {}，无法判断 {} · 生成于 {}</p>\
         <table><tr><th>序号</th><th>地块编码</th><th>拟供地用途</th><th>结论</th><th>依据</th></tr>{body}</table>\
         <p><button onclick=\"print()\">打印 / Print</button></p></html>",
        summary["year"], summary["entries"], summary["allowed"], summary["conditional"], summary["blocked"],
        summary["errors"], clock::today(),
    ))
}
