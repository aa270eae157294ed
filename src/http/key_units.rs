//! `/api/key-units`: the yearly list of key supervised units, their duties and self-monitoring.

use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde_json::{json, Value};

use super::events::evidence_document;
use super::extract::{Actor, JsonBody, Params};
use super::AppState;
use crate::clock;
use crate::db;
use crate::domain::access::Action;
use crate::domain::document::DocumentId;
use crate::domain::key_unit::{is_rising, DutyKind};
use crate::domain::land_use::Gb36600Class;
use crate::domain::parcel::FieldError;
use crate::domain::screening::{Gb36600, Unit};
use crate::error::{ApiError, ApiResult};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/key-units", get(list))
        .route("/api/key-units/{year}/{uscc}", put(set_listing))
        .route("/api/key-units/{year}/{uscc}/duties/{kind}", put(set_duty))
        .route(
            "/api/key-units/{year}/{uscc}/self-monitoring",
            post(self_monitoring),
        )
}

/// Values measured this many times in a row, each higher, are a rising trend.
const TREND_POINTS: usize = 3;

fn year_of(s: &str) -> ApiResult<i32> {
    s.parse::<i32>()
        .ok()
        .filter(|y| (2000..=2100).contains(y))
        .ok_or_else(|| ApiError::not_found(format!("no year {s}")))
}

async fn enterprise_id(conn: &mut sqlx::PgConnection, uscc: &str) -> ApiResult<i64> {
    sqlx::query_scalar("SELECT id FROM enterprises WHERE uscc = $1")
        .bind(uscc)
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no enterprise {uscc}")))
}

async fn list(State(state): State<AppState>, uri: Uri) -> ApiResult<Json<Value>> {
    let params = Params::from_uri(&uri, &["year", "overdue"])?;
    let year = params
        .parse("year", |s| {
            s.parse::<i32>().ok().filter(|y| (2000..=2100).contains(y))
        })?
        .unwrap_or_else(|| clock::today().year());
    let overdue = params
        .parse("overdue", |s| s.parse::<bool>().ok())?
        .unwrap_or(false);
    let units = db::key_units::list(&state.pool, year, overdue, clock::today()).await?;
    let count = units.as_array().map_or(0, Vec::len);
    Ok(Json(json!({"year": year, "count": count, "units": units})))
}

/// `{"listed": true, "reason": "…"}`: the firm is on the year's list or not, and why.
async fn set_listing(
    State(state): State<AppState>,
    Path((year, uscc)): Path<(String, String)>,
    actor: Actor,
    JsonBody(body): JsonBody,
) -> ApiResult<StatusCode> {
    actor.require(Action::EditEnterpriseLedgers)?;
    let year = year_of(&year)?;
    let listed = body
        .get("listed")
        .and_then(Value::as_bool)
        .ok_or_else(|| FieldError::new("listed", "required", "listed must be true or false"))?;
    let reason = body
        .get("reason")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty() && s.chars().count() <= 1000)
        .ok_or_else(|| {
            FieldError::new(
                "reason",
                "required",
                "the reason for the decision is required",
            )
        })?;
    let mut tx = state.pool.begin().await?;
    let id = enterprise_id(&mut tx, &uscc).await?;
    let created = db::key_units::set_listing(&mut tx, id, year, listed, reason, actor.0.id).await?;
    tx.commit().await?;
    Ok(if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    })
}

/// `{"due_on", "done_on", "evidence", "note"}` for one duty of a listed firm.
async fn set_duty(
    State(state): State<AppState>,
    Path((year, uscc, kind)): Path<(String, String, String)>,
    actor: Actor,
    JsonBody(body): JsonBody,
) -> ApiResult<StatusCode> {
    actor.require(Action::EditEnterpriseLedgers)?;
    let year = year_of(&year)?;
    let kind =
        DutyKind::parse(&kind).ok_or_else(|| ApiError::not_found(format!("no duty {kind}")))?;
    let date = |key: &str| -> ApiResult<Option<time::Date>> {
        match body.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => Ok(Some(v.as_str().and_then(clock::parse_date).ok_or_else(
                || {
                    FieldError::new(
                        key,
                        "invalid_date",
                        format!("{key} must be a date, YYYY-MM-DD"),
                    )
                },
            )?)),
        }
    };
    let due_on = date("due_on")?
        .ok_or_else(|| FieldError::new("due_on", "required", "due_on is required"))?;
    let done_on = date("done_on")?;
    if done_on.is_some_and(|d| d > clock::today()) {
        return Err(FieldError::new(
            "done_on",
            "future_date",
            "a duty cannot be done in the future",
        )
        .into());
    }
    let evidence = evidence_document(body.get("evidence"))?;
    let note = body
        .get("note")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let mut tx = state.pool.begin().await?;
    let id = enterprise_id(&mut tx, &uscc).await?;
    if !db::key_units::is_listed(&mut *tx, id, year).await? {
        return Err(FieldError::new(
            "year",
            "not_listed",
            format!("{uscc} is not on the {year} key-unit list"),
        )
        .into());
    }
    if let Some(doc) = &evidence {
        if !db::documents::missing(&mut *tx, &[doc.as_str().to_owned()])
            .await?
            .is_empty()
        {
            return Err(FieldError::new(
                "evidence",
                "unknown_document",
                "no document with this id",
            )
            .into());
        }
    }
    db::key_units::set_duty(
        &mut tx,
        id,
        year,
        kind,
        due_on,
        done_on,
        evidence.as_ref().map(DocumentId::as_str),
        note,
        actor.0.id,
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::OK)
}

/// `{"point_id", "sampled_on", "analyte", "value", "unit"}`: a soil self-monitoring result of a key
/// unit, screened against the GB 36600 class-2 screening value (production land); a value over it,
/// or a rising trend at the point, raises an alert (plan §16).
async fn self_monitoring(
    State(state): State<AppState>,
    Path((year, uscc)): Path<(String, String)>,
    actor: Actor,
    JsonBody(body): JsonBody,
) -> ApiResult<(StatusCode, Json<Value>)> {
    actor.require(Action::EditEnterpriseLedgers)?;
    let year = year_of(&year)?;
    let text = |key: &str| {
        body.get(key)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| {
                ApiError::from(FieldError::new(
                    key,
                    "required",
                    format!("{key} is required"),
                ))
            })
    };
    let point_id = text("point_id")?;
    let sampled_on = clock::parse_date(text("sampled_on")?)
        .filter(|d| *d <= clock::today())
        .ok_or_else(|| {
            FieldError::new(
                "sampled_on",
                "invalid_date",
                "sampled_on must be a past date, YYYY-MM-DD",
            )
        })?;
    let standard = Gb36600::get().map_err(ApiError::internal)?;
    let analyte = text("analyte")?;
    let item = standard.find(analyte).ok_or_else(|| {
        FieldError::new(
            "analyte",
            "unknown_analyte",
            format!("{analyte} is not a GB 36600 item"),
        )
    })?;
    let unit = Unit::parse(text("unit")?).ok_or_else(|| {
        FieldError::new(
            "unit",
            "invalid_value",
            "unit must be mg/kg, μg/kg or ng/kg",
        )
    })?;
    let value = body
        .get("value")
        .and_then(Value::as_f64)
        .filter(|v| v.is_finite() && *v >= 0.0)
        .map(|v| unit.to_mg_per_kg(v))
        .ok_or_else(|| {
            FieldError::new(
                "value",
                "invalid_value",
                "value must be a non-negative number",
            )
        })?;
    let mut tx = state.pool.begin().await?;
    let id = enterprise_id(&mut tx, &uscc).await?;
    if !db::key_units::is_listed(&mut *tx, id, year).await? {
        return Err(FieldError::new(
            "year",
            "not_listed",
            format!("{uscc} is not on the {year} key-unit list"),
        )
        .into());
    }
    let Some(series) = db::key_units::add_result(
        &mut tx,
        id,
        point_id,
        sampled_on,
        item.item_no,
        value,
        actor.0.id,
    )
    .await?
    else {
        return Ok((
            StatusCode::OK,
            Json(json!({"duplicate": true, "alerts": []})),
        ));
    };
    let mut alerts = Vec::new();
    let limit = item.screening_value(Gb36600Class::Two);
    if value > limit {
        let m = format!(
            "{uscc} point {point_id}: {} {value} mg/kg over the screening value {limit} mg/kg",
            item.name_zh
        );
        db::key_units::raise(&mut tx, "self_monitoring_exceeded", id, &m).await?;
        alerts.push(json!({"kind": "self_monitoring_exceeded", "message": m}));
    }
    if is_rising(&series, TREND_POINTS) {
        let m = format!(
            "{uscc} point {point_id}: {} rose in each of the last {TREND_POINTS} results",
            item.name_zh
        );
        db::key_units::raise(&mut tx, "self_monitoring_rising", id, &m).await?;
        alerts.push(json!({"kind": "self_monitoring_rising", "message": m}));
    }
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"item_no": item.item_no, "value_mgkg": value, "alerts": alerts})),
    ))
}
