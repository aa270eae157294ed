//! `/api/plan`: the action plan's 16 tasks, their measures, and the progress departments report.
//!
//! The plan's rows are loaded on first use, inside the request's transaction.

use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Map, Value};
use sqlx::{Postgres, Transaction};
use time::{Date, Month};

use super::events::evidence_document;
use super::extract::{Actor, JsonBody, Params};
use super::AppState;
use crate::clock;
use crate::db;
use crate::db::plan::{MeasureRecord, NewReport, TaskRecord};
use crate::domain::access::{Department, Role};
use crate::domain::document::DocumentId;
use crate::domain::parcel::FieldError;
use crate::domain::plan::{self, assess, may_report, Latest, Plan, ProgressStatus, UnitDept};
use crate::error::{ApiError, ApiResult};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/plan/tasks", get(list))
        .route("/api/plan/tasks/{no}", get(show))
        .route("/api/plan/measures/{id}/progress", get(trail).post(report))
}

/// A transaction in which the plan is loaded.
async fn begin(state: &AppState) -> ApiResult<(Transaction<'static, Postgres>, &'static Plan)> {
    let plan = plan::plan_2023().map_err(ApiError::internal)?;
    let mut tx = state.pool.begin().await?;
    db::plan::ensure_loaded(&mut tx, plan).await?;
    Ok((tx, plan))
}

/// Which measures a list shows.
#[derive(Debug, Clone, Copy, Default)]
struct Filter {
    department: Option<Department>,
    at_risk: Option<bool>,
}

fn measure_json(m: &MeasureRecord, year: i32, today: Date, filter: Filter) -> Option<Value> {
    if let Some(d) = filter.department {
        let mut units = m.lead.iter().chain(&m.responsible);
        if !units.any(|u| u.department.is_some_and(|u| u.includes(d))) {
            return None;
        }
    }
    let latest: Vec<Latest> = m
        .latest
        .iter()
        .filter_map(|r| {
            Some(Latest {
                department: Department::parse(&r.department)?,
                status: r.status,
                reported_on: r.reported_on,
            })
        })
        .collect();
    let leads: Vec<UnitDept> = m.lead.iter().filter_map(|u| u.department).collect();
    let a = assess(m.deadline, &leads, &latest, year, today);
    if filter.at_risk.is_some_and(|want| want != a.at_risk()) {
        return None;
    }
    let status: Map<String, Value> = m
        .latest
        .iter()
        .map(|r| (r.department.clone(), json!(r)))
        .collect();
    Some(json!({
        "id": m.id,
        "text": m.text,
        "deadline": m.deadline,
        "lead": m.lead,
        "responsible": m.responsible,
        "status": status,
        "overall": a.overall,
        "at_risk": a.at_risk(),
        "at_risk_reason": a.risk,
    }))
}

/// A task with the measures the filter keeps; `None` when it keeps none.
fn task_json(t: &TaskRecord, year: i32, today: Date, filter: Filter) -> Option<Value> {
    let measures: Vec<Value> = t
        .measures
        .iter()
        .filter_map(|m| measure_json(m, year, today, filter))
        .collect();
    (!measures.is_empty())
        .then(|| json!({"no": t.no, "section": t.section, "title": t.title, "measures": measures}))
}

/// `?department=eco` (a department's measures, as lead or responsible; a town matches the
/// plan's 各镇街 / 相关镇街), `?at_risk=true|false`.
async fn list(State(state): State<AppState>, uri: Uri) -> ApiResult<Json<Value>> {
    let params = Params::from_uri(&uri, &["department", "at_risk"])?;
    let filter = Filter {
        department: params.parse("department", Department::parse)?,
        at_risk: params.parse("at_risk", |s| s.parse::<bool>().ok())?,
    };
    let (mut tx, plan) = begin(&state).await?;
    let tasks = db::plan::tasks(&mut tx, plan.year, None).await?;
    tx.commit().await?;
    let today = clock::today();
    let tasks: Vec<Value> = tasks
        .iter()
        .filter_map(|t| task_json(t, plan.year, today, filter))
        .collect();
    Ok(Json(json!({"year": plan.year, "tasks": tasks})))
}

async fn show(State(state): State<AppState>, Path(no): Path<String>) -> ApiResult<Json<Value>> {
    let missing = || ApiError::not_found(format!("no task {no} in the plan"));
    let n = no
        .parse::<i16>()
        .ok()
        .filter(|n| (1..=99).contains(n))
        .ok_or_else(missing)?;
    let (mut tx, plan) = begin(&state).await?;
    let tasks = db::plan::tasks(&mut tx, plan.year, Some(n)).await?;
    tx.commit().await?;
    let mut task = tasks
        .first()
        .and_then(|t| task_json(t, plan.year, clock::today(), Filter::default()))
        .ok_or_else(missing)?;
    task["year"] = json!(plan.year);
    Ok(Json(task))
}

fn measure_id(id: &str) -> ApiResult<i64> {
    id.parse()
        .map_err(|_| ApiError::not_found(format!("no measure {id}")))
}

async fn trail(State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    let id = measure_id(&id)?;
    let (mut tx, plan) = begin(&state).await?;
    db::plan::measure_units(&mut tx, plan.year, id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no measure {id}")))?;
    let progress = db::plan::trail(&mut *tx, id).await?;
    tx.commit().await?;
    Ok(Json(json!({"measure": id, "progress": progress})))
}

/// A report's fields, checked; `department` only when the body names one.
struct ReportInput {
    department: Option<Department>,
    status: ProgressStatus,
    percent: i16,
    text: String,
    evidence: Option<DocumentId>,
    reported_on: Date,
}

const FIELDS: [&str; 6] = [
    "status",
    "percent",
    "text",
    "evidence",
    "reported_on",
    "department",
];

/// Checks a report body; each failure names its field.
fn parse_report(body: &Value, year: i32, today: Date) -> Result<ReportInput, FieldError> {
    let obj = body
        .as_object()
        .ok_or_else(|| FieldError::new("", "invalid_report", "the body must be a JSON object"))?;
    if let Some(k) = obj.keys().find(|k| !FIELDS.contains(&k.as_str())) {
        return Err(FieldError::new(
            k.clone(),
            "unknown_field",
            format!("unknown member '{k}'"),
        ));
    }
    let status: ProgressStatus = obj
        .get("status")
        .and_then(|v| serde_json::from_value(v.clone()).ok())
        .ok_or_else(|| {
            FieldError::new(
                "status",
                "invalid_value",
                "status must be not_started, in_progress, done or blocked",
            )
        })?;
    let percent = obj
        .get("percent")
        .and_then(Value::as_i64)
        .filter(|p| (0..=100).contains(p))
        .and_then(|p| i16::try_from(p).ok())
        .ok_or_else(|| {
            FieldError::new(
                "percent",
                "invalid_value",
                "percent must be a whole number from 0 to 100",
            )
        })?;
    if status == ProgressStatus::Done && percent != 100 {
        return Err(FieldError::new(
            "percent",
            "inconsistent_percent",
            "a done measure is 100 percent done",
        ));
    }
    let text = obj
        .get("text")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty() && s.chars().count() <= 2000)
        .ok_or_else(|| FieldError::new("text", "invalid_value", "text must be 1–2000 characters"))?
        .to_owned();
    let evidence = evidence_document(obj.get("evidence"))?;
    let reported_on = obj
        .get("reported_on")
        .and_then(Value::as_str)
        .and_then(clock::parse_date)
        .ok_or_else(|| {
            FieldError::new(
                "reported_on",
                "invalid_date",
                "reported_on must be a date, YYYY-MM-DD",
            )
        })?;
    if reported_on > today {
        return Err(FieldError::new(
            "reported_on",
            "future_date",
            "progress cannot be reported for a day still to come",
        ));
    }
    if Date::from_calendar_date(year, Month::January, 1).is_ok_and(|start| reported_on < start) {
        return Err(FieldError::new(
            "reported_on",
            "before_plan",
            format!("the plan runs from {year}-01-01"),
        ));
    }
    let department = match obj.get("department") {
        None | Some(Value::Null) => None,
        Some(v) => Some(v.as_str().and_then(Department::parse).ok_or_else(|| {
            FieldError::new(
                "department",
                "invalid_value",
                "department must be a department code",
            )
        })?),
    };
    Ok(ReportInput {
        department,
        status,
        percent,
        text,
        evidence,
        reported_on,
    })
}

/// `{"status", "percent", "text", "evidence", "reported_on"}` by a user of one of the measure's
/// units (an admin may report for any unit, naming it in `department`).
async fn report(
    State(state): State<AppState>,
    Path(id): Path<String>,
    actor: Actor,
    JsonBody(body): JsonBody,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let id = measure_id(&id)?;
    let user = &actor.0;
    let (mut tx, plan) = begin(&state).await?;
    let units = db::plan::measure_units(&mut tx, plan.year, id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no measure {id}")))?;
    if !may_report(user.department, user.role, &units) {
        return Err(ApiError::forbidden(format!(
            "{} ({}) is not a lead or responsible unit of measure {id}",
            user.name,
            user.department.code()
        )));
    }
    let input = parse_report(&body, plan.year, clock::today())?;
    let department = input.department.unwrap_or(user.department);
    if department != user.department && user.role != Role::Admin {
        return Err(
            ApiError::forbidden("only an admin reports for another department")
                .with_field("department"),
        );
    }
    if !units.iter().any(|u| u.includes(department)) {
        return Err(FieldError::new(
            "department",
            "not_a_unit",
            format!("{} is not a unit of measure {id}", department.code()),
        )
        .into());
    }
    let evidence = input.evidence.map(|d| d.as_str().to_owned());
    if let Some(doc) = &evidence {
        if !db::documents::missing(&mut *tx, std::slice::from_ref(doc))
            .await?
            .is_empty()
        {
            return Err(FieldError::new(
                "evidence",
                "unknown_document",
                format!("no document with id {doc}"),
            )
            .into());
        }
    }
    let new = NewReport {
        measure_id: id,
        department: department.code().to_owned(),
        reported_on: input.reported_on,
        status: input.status,
        percent: input.percent,
        text: input.text,
        evidence,
    };
    let saved = db::plan::insert_report(&mut tx, &new, user.id).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(json!(saved))))
}
