//! `/api/standards`: the GB 36600 and GB 15618 values, local background values, farmland screening.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde_json::{json, Value};

use super::extract::{Actor, JsonBody};
use super::AppState;
use crate::db;
use crate::domain::access::Action;
use crate::domain::parcel::FieldError;
use crate::domain::screening::{classify_farmland, FarmLandType, FarmMeasured, Gb36600, Unit};
use crate::error::{ApiError, ApiResult};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/standards/gb36600", get(gb36600))
        .route("/api/standards/gb15618", get(gb15618))
        .route("/api/standards/background", get(background))
        .route("/api/standards/background/{item_no}", put(set_background))
        .route("/api/screening/farmland", post(farmland))
}

async fn gb36600(State(state): State<AppState>) -> ApiResult<Json<Value>> {
    let items: Value = sqlx::query_scalar(
        "SELECT coalesce(json_agg(json_build_object(
                    'item_no', item_no, 'name_zh', name_zh, 'name_en', name_en, 'cas', cas, 'group', item_group,
                    'screening', json_build_object('class1', screen_class1, 'class2', screen_class2),
                    'intervention', json_build_object('class1', intervene_class1, 'class2', intervene_class2),
                    'background_footnote', background_footnote) ORDER BY item_no), '[]')
           FROM gb36600_items",
    )
    .fetch_one(&state.pool)
    .await?;
    Ok(Json(
        json!({"standard": "GB 36600-2018", "unit": "mg/kg", "items": items}),
    ))
}

async fn gb15618(State(state): State<AppState>) -> ApiResult<Json<Value>> {
    let values: Value = sqlx::query_scalar(
        "SELECT coalesce(json_agg(json_build_object(
                    'value_type', value_type, 'element', element, 'name_zh', name_zh, 'cas', cas,
                    'land_type', land_type, 'ph_band', ph_band, 'value_mgkg', value_mgkg)
                    ORDER BY value_type DESC, element, land_type, ph_band), '[]')
           FROM gb15618_values",
    )
    .fetch_one(&state.pool)
    .await?;
    Ok(Json(
        json!({"standard": "GB 15618-2018", "unit": "mg/kg", "values": values}),
    ))
}

async fn background(State(state): State<AppState>) -> ApiResult<Json<Value>> {
    Ok(Json(
        json!({"background": db::sampling::background(&state.pool).await?}),
    ))
}

/// Sets the local background value of a footnote-① item (arsenic, cobalt, vanadium).
async fn set_background(
    State(state): State<AppState>,
    Path(analyte): Path<String>,
    actor: Actor,
    JsonBody(body): JsonBody,
) -> ApiResult<Json<Value>> {
    actor.require(Action::RecordSoilEvent)?;
    let standard = Gb36600::get().map_err(ApiError::internal)?;
    let item = standard
        .items()
        .iter()
        .find(|i| i.item_no == analyte)
        .or_else(|| standard.find(&analyte))
        .ok_or_else(|| ApiError::not_found(format!("no GB 36600 item {analyte}")))?;
    if !item.background_footnote {
        return Err(FieldError::new(
            "item_no",
            "no_background_rule",
            format!(
                "{} has no background footnote in GB 36600 (only arsenic, cobalt and vanadium do)",
                item.name_zh
            ),
        )
        .into());
    }
    let value = body
        .get("value_mgkg")
        .and_then(Value::as_f64)
        .filter(|v| v.is_finite() && *v > 0.0)
        .ok_or_else(|| {
            FieldError::new(
                "value_mgkg",
                "invalid_value",
                "value_mgkg must be a positive number",
            )
        })?;
    let source = body
        .get("source")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty() && s.chars().count() <= 500)
        .ok_or_else(|| {
            FieldError::new(
                "source",
                "required",
                "the source of the background value is required",
            )
        })?;
    db::sampling::set_background(&state.pool, item.item_no, value, source, actor.0.id).await?;
    Ok(Json(
        json!({"item_no": item.item_no, "name": item.name_zh, "value_mgkg": value, "source": source}),
    ))
}

/// Classifies a farmland plot by GB 15618: `{"ph", "land_type", "results": [{"analyte", "value", "unit", "below_detection"}]}`.
async fn farmland(JsonBody(body): JsonBody) -> ApiResult<(StatusCode, Json<Value>)> {
    let ph = body
        .get("ph")
        .and_then(Value::as_f64)
        .ok_or_else(|| FieldError::new("ph", "required", "ph is required"))?;
    let land_type = body
        .get("land_type")
        .and_then(Value::as_str)
        .and_then(FarmLandType::parse)
        .ok_or_else(|| {
            FieldError::new(
                "land_type",
                "invalid_value",
                "land_type must be paddy (水田), orchard (果园) or other (其他)",
            )
        })?;
    let rows = body
        .get("results")
        .and_then(Value::as_array)
        .ok_or_else(|| FieldError::new("results", "required", "results must be a list"))?;
    let mut measured = Vec::with_capacity(rows.len());
    for (key, r) in rows.iter().enumerate() {
        let field = |f: &str| format!("results[{key}].{f}");
        let element = r
            .get("analyte")
            .and_then(Value::as_str)
            .ok_or_else(|| FieldError::new(field("analyte"), "required", "analyte is required"))?;
        let unit = match r.get("unit").and_then(Value::as_str) {
            None => Unit::MgPerKg,
            Some(u) => Unit::parse(u).ok_or_else(|| {
                FieldError::new(field("unit"), "invalid_value", format!("unknown unit {u}"))
            })?,
        };
        let value = r
            .get("value")
            .and_then(Value::as_f64)
            .filter(|v| v.is_finite() && *v >= 0.0)
            .ok_or_else(|| {
                FieldError::new(
                    field("value"),
                    "invalid_value",
                    "value must be a non-negative number",
                )
            })?;
        measured.push(FarmMeasured {
            key,
            element: element.to_owned(),
            value_mgkg: unit.to_mg_per_kg(value),
            below_detection: r
                .get("below_detection")
                .and_then(Value::as_bool)
                .unwrap_or(false),
        });
    }
    let s = classify_farmland(&measured, ph, land_type)
        .map_err(|m| FieldError::new("ph", "invalid_value", m))?;
    Ok((
        StatusCode::OK,
        Json(json!({
            "ph_band": s.ph_band.label(),
            "land_type": body["land_type"],
            "class": s.class,
            "items": s.items.iter().map(|e| json!({
                "element": e.element, "name": e.name_zh, "value_mgkg": e.value_mgkg, "limit_mgkg": e.limit_mgkg,
                "level": e.level, "ratio": e.ratio, "result": e.key,
            })).collect::<Vec<_>>(),
            "unknown": s.unknown,
        })),
    ))
}
