//! `/api/reviews`: map-based review sessions — an agenda of parcels with their key facts and
//! supply check, a decision per parcel (which can record a lifecycle or land event), and minutes.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use sqlx::PgConnection;

use super::events::{append_checked, nested_event};
use super::extract::{Actor, JsonBody};
use super::html::escape;
use super::AppState;
use crate::clock;
use crate::db;
use crate::domain::access::Action;
use crate::domain::land_use::LandUse;
use crate::domain::parcel::FieldError;
use crate::domain::review::Decision;
use crate::domain::rules::supply::supply_check;
use crate::error::{ApiError, ApiResult};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/reviews", get(list).post(create))
        .route("/api/reviews/{id}", get(show))
        .route("/api/reviews/{id}/decisions", post(decide))
        .route("/api/reviews/{id}/minutes.html", get(minutes_html))
        .route("/api/reviews/{id}/minutes.csv", get(minutes_csv))
}

/// Review meetings are run by planning or ecology officers.
fn may_run(actor: &Actor) -> ApiResult<()> {
    actor.require(Action::EditRegister)
}

async fn create(
    State(state): State<AppState>,
    actor: Actor,
    JsonBody(body): JsonBody,
) -> ApiResult<(StatusCode, Json<Value>)> {
    may_run(&actor)?;
    let title = body["title"]
        .as_str()
        .map(str::trim)
        .filter(|s| !s.is_empty() && s.chars().count() <= 200)
        .ok_or_else(|| {
            FieldError::new(
                "title",
                "required",
                "a title of 1–200 characters is required",
            )
        })?;
    let held_on = body["held_on"]
        .as_str()
        .and_then(clock::parse_date)
        .ok_or_else(|| {
            FieldError::new(
                "held_on",
                "invalid_date",
                "held_on must be a date, YYYY-MM-DD",
            )
        })?;
    let participants: Vec<String> = body["participants"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let agenda: Vec<String> = body["agenda"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .filter(|a: &Vec<String>| !a.is_empty() && a.len() <= 500)
        .ok_or_else(|| {
            FieldError::new(
                "agenda",
                "required",
                "the agenda is a list of 1–500 parcel codes",
            )
        })?;
    let mut tx = state.pool.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO review_sessions (title, held_on, participants, created_by) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(title)
    .bind(held_on)
    .bind(&participants)
    .bind(actor.0.id)
    .fetch_one(&mut *tx)
    .await?;
    for (i, code) in agenda.iter().enumerate() {
        let parcel: Option<i64> = sqlx::query_scalar("SELECT id FROM parcels WHERE code = $1")
            .bind(code)
            .fetch_optional(&mut *tx)
            .await?;
        let parcel = parcel.ok_or_else(|| {
            FieldError::new(
                "agenda",
                "unknown_parcel",
                format!("no parcel with code {code}"),
            )
        })?;
        sqlx::query("INSERT INTO review_agenda (session_id, position, parcel_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
            .bind(id)
            .bind(i32::try_from(i + 1).unwrap_or(i32::MAX))
            .bind(parcel)
            .execute(&mut *tx)
            .await?;
    }
    let session = session_json(&mut tx, id).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(session)))
}

async fn list(State(state): State<AppState>) -> ApiResult<Json<Value>> {
    let sessions: Value = sqlx::query_scalar(
        "SELECT coalesce(json_agg(json_build_object('id', s.id, 'title', s.title, 'held_on', s.held_on,
                    'items', (SELECT count(*) FROM review_agenda a WHERE a.session_id = s.id)) ORDER BY s.held_on DESC, s.id DESC), '[]')
           FROM review_sessions s",
    )
    .fetch_one(&state.pool)
    .await?;
    Ok(Json(json!({"sessions": sessions})))
}

/// A session with each agenda item's key facts, supply check for its planned use, and latest decision.
async fn session_json(conn: &mut PgConnection, id: i64) -> ApiResult<Value> {
    let head: Option<(String, time::Date, Vec<String>)> =
        sqlx::query_as("SELECT title, held_on, participants FROM review_sessions WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    let (title, held_on, participants) =
        head.ok_or_else(|| ApiError::not_found("no such review session"))?;
    let items: Vec<(i32, String)> = sqlx::query_as(
        "SELECT a.position, p.code FROM review_agenda a JOIN parcels p ON p.id = a.parcel_id WHERE a.session_id = $1 ORDER BY a.position",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let today = clock::today();
    let mut agenda = Vec::with_capacity(items.len());
    for (position, code) in items {
        let Some(parcel) = db::parcels::read(conn, &code).await? else {
            continue;
        };
        let facts = db::rules::gather(conn, &parcel, today).await?;
        let supply = parcel
            .attributes
            .planned_use
            .map(|u| supply_check(&db::rules::supply_facts(&parcel, &facts, today), u));
        let (feature, _) = db::parcels::feature(&mut *conn, &code)
            .await?
            .ok_or_else(|| ApiError::internal("parcel vanished"))?;
        let decision: Option<Value> = sqlx::query_scalar(
            "SELECT json_build_object('decision', d.decision, 'conditions', d.conditions, 'decided_at', d.decided_at,
                                      'decided_by', u.name, 'department', u.department, 'event_id', d.event_id)
               FROM review_decisions d JOIN users u ON u.id = d.decided_by
              WHERE d.session_id = $1 AND d.parcel_id = $2 ORDER BY d.id DESC LIMIT 1",
        )
        .bind(id)
        .bind(parcel.id)
        .fetch_optional(&mut *conn)
        .await?;
        let feature: Value = serde_json::from_str(&feature).map_err(ApiError::internal)?;
        agenda.push(json!({
            "position": position, "parcel": code, "feature": feature,
            "planned_use": parcel.attributes.planned_use.map(LandUse::code),
            "supply_check": supply, "decision": decision,
        }));
    }
    Ok(
        json!({"id": id, "title": title, "held_on": held_on, "participants": participants, "agenda": agenda}),
    )
}

async fn show(State(state): State<AppState>, Path(id): Path<i64>) -> ApiResult<Json<Value>> {
    let mut conn = state.pool.acquire().await?;
    Ok(Json(session_json(&mut conn, id).await?))
}

/// `{"parcel", "decision", "conditions", "event"}`: the event, when given, is recorded in the same transaction.
async fn decide(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    actor: Actor,
    JsonBody(body): JsonBody,
) -> ApiResult<(StatusCode, Json<Value>)> {
    may_run(&actor)?;
    let code = body["parcel"]
        .as_str()
        .ok_or_else(|| FieldError::new("parcel", "required", "the parcel's code is required"))?;
    let decision = body["decision"]
        .as_str()
        .and_then(Decision::parse)
        .ok_or_else(|| {
            FieldError::new(
                "decision",
                "invalid_value",
                "decision must be approve, approve_with_conditions, defer or reject",
            )
        })?;
    let conditions = body["conditions"]
        .as_str()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned);
    if decision.needs_conditions() && conditions.is_none() {
        return Err(FieldError::new(
            "conditions",
            "required",
            "a conditional approval needs its conditions written down",
        )
        .into());
    }
    let event = nested_event(body.get("event"))?;
    let mut tx = state.pool.begin().await?;
    let on_agenda: Option<i64> = sqlx::query_scalar(
        "SELECT p.id FROM review_agenda a JOIN parcels p ON p.id = a.parcel_id WHERE a.session_id = $1 AND p.code = $2",
    )
    .bind(id)
    .bind(code)
    .fetch_optional(&mut *tx)
    .await?;
    let parcel_id = on_agenda.ok_or_else(|| {
        FieldError::new(
            "parcel",
            "not_on_agenda",
            format!("{code} is not on this session's agenda"),
        )
    })?;
    let mut event_id = None;
    if let Some(new) = &event {
        let parcel = db::parcels::lock(&mut tx, code)
            .await?
            .ok_or_else(|| ApiError::internal("parcel vanished"))?;
        event_id = Some(
            append_checked(&mut tx, &parcel, new, &actor)
                .await?
                .appended
                .id,
        );
    }
    let decision_id: i64 = sqlx::query_scalar(
        "INSERT INTO review_decisions (session_id, parcel_id, decision, conditions, event_id, decided_by)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(id)
    .bind(parcel_id)
    .bind(decision)
    .bind(&conditions)
    .bind(event_id)
    .bind(actor.0.id)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(
            json!({"id": decision_id, "parcel": code, "decision": decision, "conditions": conditions, "event_id": event_id}),
        ),
    ))
}

fn rows(session: &Value) -> Vec<[String; 7]> {
    session["agenda"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|i| {
                    let p = &i["feature"]["properties"];
                    let d = &i["decision"];
                    let label = d["decision"]
                        .as_str()
                        .and_then(Decision::parse)
                        .map_or("未决", Decision::label_zh);
                    [
                        i["position"].to_string(),
                        i["parcel"].as_str().unwrap_or("").to_owned(),
                        p["name"].as_str().unwrap_or("").to_owned(),
                        p["stage"].as_str().unwrap_or("").to_owned(),
                        label.to_owned(),
                        d["conditions"].as_str().unwrap_or("").to_owned(),
                        format!(
                            "{} {}",
                            d["decided_by"].as_str().unwrap_or(""),
                            d["decided_at"].as_str().unwrap_or("")
                        ),
                    ]
                })
                .collect()
        })
        .unwrap_or_default()
}

const HEADERS: [&str; 7] = [
    "序号",
    "地块编码",
    "地块名称",
    "阶段",
    "决定",
    "条件",
    "决定人及时间",
];

async fn minutes_csv(State(state): State<AppState>, Path(id): Path<i64>) -> ApiResult<Response> {
    let mut conn = state.pool.acquire().await?;
    let s = session_json(&mut conn, id).await?;
    super::csv_export::csv_response(&HEADERS, rows(&s), "review-minutes.csv")
}

async fn minutes_html(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult<Html<String>> {
    let mut conn = state.pool.acquire().await?;
    let s = session_json(&mut conn, id).await?;
    let body: String = rows(&s)
        .iter()
        .map(|r| {
            format!(
                "<tr>{}</tr>",
                r.iter()
                    .map(|c| format!("<td>{}</td>", escape(c)))
                    .collect::<String>()
            )
        })
        .collect();
    let participants = s["participants"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join("、")
        })
        .unwrap_or_default();
    Ok(Html(format!(
        "<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>会审纪要</title>\
         <style>body{{font:14px sans-serif;margin:2em}}table{{border-collapse:collapse}}td,th{{border:1px solid #999;padding:4px 8px}}@media print{{button{{display:none}}}}</style>\
         <h1>{}</h1><p>会议日期：{} · 参会：{}</p><table><tr>{}</tr>{body}</table><p><button onclick=\"print()\">打印 / Print</button></p></html>",
        escape(s["title"].as_str().unwrap_or("")),
        s["held_on"].as_str().unwrap_or(""),
        escape(&participants),
        HEADERS.iter().map(|h| format!("<th>{h}</th>")).collect::<String>(),
    )))
}
