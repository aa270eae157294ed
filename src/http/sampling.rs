//! Sampling data and screening: `/api/parcels/{code}/samples`, `/exceedances`, `/sampling-points`.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use sqlx::PgConnection;

use super::extract::{Actor, Params};
use super::html::escape;
use super::AppState;
use crate::clock;
use crate::db;
use crate::db::sample_import::Imported;
use crate::db::sampling::StoredResult;
use crate::domain::access::Action;
use crate::domain::document::DocumentId;
use crate::domain::land_use::Gb36600Class;
use crate::domain::sampling::{parse_csv, parse_json, Placement};
use crate::domain::screening::{Gb36600, Level, Screening, Verdict};
use crate::error::{ApiError, ApiResult};
use crate::gis::crs::{Crs, ToCgcs2000};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/parcels/{code}/samples", post(import).get(list))
        .route("/api/parcels/{code}/sampling-points", get(points))
        .route("/api/parcels/{code}/exceedances", get(exceedances))
        .route("/api/parcels/{code}/exceedances.html", get(report))
        .route("/api/parcels/{code}/exceedances/confirm", post(confirm))
}

async fn parcel_id(conn: &mut PgConnection, code: &str) -> ApiResult<(i64, Gb36600Class)> {
    let row: Option<(i64, i16)> =
        sqlx::query_as("SELECT id, gb36600_class FROM parcels WHERE code = $1")
            .bind(code)
            .fetch_optional(&mut *conn)
            .await?;
    let (id, class) =
        row.ok_or_else(|| ApiError::not_found(format!("no parcel with code {code}")))?;
    Ok((
        id,
        Gb36600Class::from_number(class).unwrap_or(Gb36600Class::One),
    ))
}

/// Imports results from CSV (`text/csv`) or JSON (a list of rows, or `{"rows": [...]}`).
/// All or nothing unless `partial=true`; re-importing the same rows changes nothing.
async fn import(
    State(state): State<AppState>,
    Path(code): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    actor: Actor,
    body: Bytes,
) -> ApiResult<Response> {
    actor.require(Action::RecordSoilEvent)?;
    let params = Params::from_uri(&uri, &["partial", "crs"])?;
    let partial = params
        .parse("partial", |s| s.parse::<bool>().ok())?
        .unwrap_or(false);
    let crs = params.parse("crs", Crs::parse)?.unwrap_or(Crs::Cgcs2000);
    let content_type = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let extent = state.config.extent;
    let parsed = {
        let proj = ToCgcs2000::new(crs).map_err(ApiError::internal)?;
        let to_cgcs = |x: f64, y: f64| proj.apply(x, y);
        let inside = |x: f64, y: f64| extent.contains(x, y);
        let place = Placement {
            to_cgcs: &to_cgcs,
            inside: &inside,
            today: clock::today(),
        };
        if content_type.starts_with("text/csv") || content_type.starts_with("text/plain") {
            let text = std::str::from_utf8(&body)
                .map_err(|_| ApiError::bad_request("invalid_encoding", "the CSV must be UTF-8"))?;
            parse_csv(text, &place).map_err(|m| {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_file", m)
                    .with_field("header")
            })?
        } else if content_type.contains("json") {
            let v: Value = serde_json::from_slice(&body).map_err(|e| {
                ApiError::bad_request(
                    "malformed_json",
                    format!("malformed JSON at line {}, column {}", e.line(), e.column()),
                )
            })?;
            let rows = v
                .as_array()
                .or_else(|| v.get("rows").and_then(Value::as_array))
                .ok_or_else(|| {
                    ApiError::new(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "invalid_file",
                        "expected a list of rows or {\"rows\": [...]}",
                    )
                    .with_field("rows")
                })?;
            parse_json(rows, &place)
        } else {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send text/csv or application/json",
            ));
        }
    };
    let sha = DocumentId::of(&body);
    let mut tx = state.pool.begin().await?;
    let (id, _) = parcel_id(&mut tx, &code).await?;
    sqlx::query("SELECT 1 FROM parcels WHERE id = $1 FOR UPDATE")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    match db::sample_import::import(&mut tx, id, parsed, partial, sha.as_str(), actor.0.id).await? {
        Imported::Refused { message, report } => {
            Err(
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_rows", message)
                    .with("report", report),
            )
        }
        Imported::Written { new, report } => {
            tx.commit().await?;
            let status = if new > 0 {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            };
            Ok((status, Json(report)).into_response())
        }
    }
}

async fn list(State(state): State<AppState>, Path(code): Path<String>) -> ApiResult<Json<Value>> {
    let mut conn = state.pool.acquire().await?;
    let (id, _) = parcel_id(&mut conn, &code).await?;
    let results = db::sampling::results(&mut *conn, id, true).await?;
    Ok(Json(
        json!({"parcel": code, "count": results.len(), "results": results}),
    ))
}

fn level_name(l: &Level) -> &'static str {
    match l {
        Level::Screening => "screening",
        Level::Intervention => "intervention",
    }
}

fn screening_json(results: &[StoredResult], s: &Screening) -> Value {
    let items: Vec<Value> = s
        .items
        .iter()
        .map(|e| {
            let r = &results[e.key];
            json!({
                "item_no": e.item_no, "cas": e.cas, "name": e.name_zh, "name_en": e.name_en,
                "value_mgkg": e.value_mgkg, "limit_mgkg": e.limit_mgkg, "level": level_name(&e.level), "ratio": e.ratio,
                "background_excused": e.background_excused,
                "point_id": r.point_id, "depth_top_m": r.depth_top_m, "depth_bottom_m": r.depth_bottom_m,
                "sampled_on": r.sampled_on, "result_id": r.id,
            })
        })
        .collect();
    json!({"class": s.class.number(), "verdict": s.verdict, "results": results.len(), "items": items})
}

fn proposed_event(screening: &Value) -> Value {
    let outcome = match screening["verdict"].as_str() {
        Some("over_screening" | "over_intervention") => "contaminated",
        _ => "cleared",
    };
    let exceedances: Vec<Value> = screening["items"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter(|i| i["background_excused"] != true)
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    json!({"kind": "phase2_concluded", "payload": {"outcome": outcome, "class": screening["class"], "exceedances": exceedances}})
}

fn requested_class(params: &Params, default: Gb36600Class) -> ApiResult<Gb36600Class> {
    Ok(params
        .parse("class", |s| {
            s.parse::<i16>().ok().and_then(Gb36600Class::from_number)
        })?
        .unwrap_or(default))
}

async fn exceedances(
    State(state): State<AppState>,
    Path(code): Path<String>,
    uri: Uri,
) -> ApiResult<Json<Value>> {
    let params = Params::from_uri(&uri, &["class"])?;
    let mut conn = state.pool.acquire().await?;
    let (id, class) = parcel_id(&mut conn, &code).await?;
    let class = requested_class(&params, class)?;
    let (results, s) = db::sampling::screen_parcel(&mut conn, id, class).await?;
    let mut body = screening_json(&results, &s);
    body["parcel"] = json!(code);
    if s.verdict != Verdict::NoData {
        body["proposed_event"] = proposed_event(&body);
    }
    Ok(Json(body))
}

/// Records the screening verdict as the phase-2 conclusion, as proposed; `{"occurred_on"}`.
async fn confirm(
    State(state): State<AppState>,
    Path(code): Path<String>,
    actor: Actor,
    super::extract::JsonBody(body): super::extract::JsonBody,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let mut tx = state.pool.begin().await?;
    let parcel = db::parcels::lock(&mut tx, &code)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no parcel with code {code}")))?;
    let (results, s) = db::sampling::screen_parcel(&mut tx, parcel.id, parcel.class).await?;
    if s.verdict == Verdict::NoData {
        return Err(ApiError::conflict(
            "no_results",
            "the parcel has no soil results to conclude from",
        ));
    }
    let proposal = proposed_event(&screening_json(&results, &s));
    let mut event = json!({"kind": "phase2_concluded", "payload": proposal["payload"].clone(),
                           "occurred_on": body.get("occurred_on").cloned().unwrap_or(Value::Null)});
    if let Some(note) = body.get("note") {
        event["note"] = note.clone();
    }
    let new = super::events::parse_new_event(&event)?;
    let done = super::events::append_checked(&mut tx, &parcel, &new, &actor)
        .await?
        .appended;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(
            json!({"event_id": done.id, "stage": done.state.stage, "payload": new.event.payload()}),
        ),
    ))
}

/// GeoJSON of a parcel's sampling points, each with its worst screening ratio.
async fn points(State(state): State<AppState>, Path(code): Path<String>) -> ApiResult<Response> {
    let mut conn = state.pool.acquire().await?;
    let (id, class) = parcel_id(&mut conn, &code).await?;
    let (results, s) = db::sampling::screen_parcel(&mut conn, id, class).await?;
    let standard = Gb36600::get().map_err(ApiError::internal)?;
    let mut worst: HashMap<&str, (f64, f64, f64, String)> = HashMap::new();
    for r in &results {
        let ratio = standard
            .items()
            .iter()
            .find(|i| i.item_no == r.item_no)
            .filter(|_| !r.below_detection)
            .map_or(0.0, |i| {
                r.value_mgkg.unwrap_or(0.0) / i.screening_value(class)
            });
        let e = worst
            .entry(r.point_id.as_str())
            .or_insert((r.lon, r.lat, -1.0, String::new()));
        if ratio > e.2 {
            e.2 = ratio;
            e.3.clone_from(&r.item_no);
        }
    }
    let features: Vec<Value> = worst
        .iter()
        .map(|(p, (x, y, ratio, item))| {
            json!({"type": "Feature", "id": p, "geometry": {"type": "Point", "coordinates": [x, y]},
                   "properties": {"point_id": p, "parcel": code, "worst_ratio": ratio, "worst_item": item,
                                  "exceeds": *ratio > 1.0}})
        })
        .collect();
    let body = json!({"type": "FeatureCollection", "features": features, "verdict": s.verdict});
    Ok(([(CONTENT_TYPE, "application/geo+json")], Json(body)).into_response())
}

/// A printable exceedance report.
async fn report(
    State(state): State<AppState>,
    Path(code): Path<String>,
    uri: Uri,
) -> ApiResult<Html<String>> {
    let params = Params::from_uri(&uri, &["class"])?;
    let mut conn = state.pool.acquire().await?;
    let (id, class) = parcel_id(&mut conn, &code).await?;
    let class = requested_class(&params, class)?;
    let name: String = sqlx::query_scalar("SELECT name FROM parcels WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
    let (results, s) = db::sampling::screen_parcel(&mut conn, id, class).await?;
    let body = screening_json(&results, &s);
    let verdict = match s.verdict {
        Verdict::NoData => "无检测数据 / no data",
        Verdict::BelowScreening => "未超过筛选值 / below screening values",
        Verdict::OverScreening => "超过筛选值 / over screening values",
        Verdict::OverIntervention => "超过管制值 / over intervention values",
    };
    let mut rows = String::new();
    for i in body["items"].as_array().into_iter().flatten() {
        rows.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}–{}</td><td>{}</td><td>{}</td><td>{}</td><td>{:.2}</td><td>{}</td></tr>",
            escape(i["name"].as_str().unwrap_or("")),
            escape(i["cas"].as_str().unwrap_or("—")),
            escape(i["point_id"].as_str().unwrap_or("")),
            i["depth_top_m"],
            i["depth_bottom_m"],
            i["value_mgkg"],
            i["limit_mgkg"],
            if i["level"] == "intervention" { "管制值" } else { "筛选值" },
            i["ratio"].as_f64().unwrap_or(0.0),
            if i["background_excused"] == true { "背景值以内" } else { "" },
        ));
    }
    Ok(Html(format!(
        "<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>超标情况 {code}</title>\
         <style>body{{font:14px sans-serif;margin:2em}}table{{border-collapse:collapse}}td,th{{border:1px solid #999;padding:4px 8px}}\
         @media print{{button{{display:none}}}}</style>\
         <h1>地块土壤检测超标情况 / Exceedance report</h1>\
         <p>地块 {} {} · GB 36600-2018 第{}类用地 · {} · 检测结果 {} 条 · 生成于 {}</p>\
         <table><tr><th>项目</th><th>CAS</th><th>点位</th><th>深度 m</th><th>检测值 mg/kg</th><th>限值 mg/kg</th><th>限值类型</th><th>倍数</th><th>备注</th></tr>{rows}</table>\
         <p><button onclick=\"print()\">打印 / Print</button></p></html>",
        escape(&code),
        escape(&name),
        class.number(),
        verdict,
        results.len(),
        clock::today(),
    )))
}
