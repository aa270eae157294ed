//! Survey deadlines due (§4a), the enforcement watchlist (§16) and remote-sensing patches.

use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

use super::extract::{Actor, JsonBody, Params};
use super::AppState;
use crate::clock;
use crate::db;
use crate::db::patches::PatchRow;
use crate::domain::access::Action;
use crate::domain::lifecycle::Stage;
use crate::domain::parcel::FieldError;
use crate::domain::rules::survey::survey_due;
use crate::domain::rules::watch::{construction_reasons, patch_reason, PatchKind};
use crate::error::{ApiError, ApiResult};
use crate::gis::crs::{Crs, ToCgcs2000};
use crate::gis::geometry::parse_boundary;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/surveys/due", get(due))
        .route("/api/enforcement/watchlist", get(watchlist))
        .route("/api/patches", post(import_patches).get(list_patches))
}

/// `within=90d` (or `90`): parcels whose survey is overdue or due within that many days;
/// `all=true` adds those whose trigger has no date yet.
async fn due(State(state): State<AppState>, uri: Uri) -> ApiResult<Json<Value>> {
    let params = Params::from_uri(&uri, &["within", "all", "town"])?;
    let within = params
        .parse("within", |s| {
            s.trim_end_matches('d')
                .parse::<i64>()
                .ok()
                .filter(|d| (0..=3650).contains(d))
        })?
        .unwrap_or(90);
    let all = params
        .parse("all", |s| s.parse::<bool>().ok())?
        .unwrap_or(false);
    let town = params.get("town").map(str::to_owned);
    let today = clock::today();
    let horizon = today + time::Duration::days(within);
    let mut conn = state.pool.acquire().await?;
    let candidates: Vec<String> = sqlx::query_scalar(
        "SELECT code FROM parcels
          WHERE retired_at IS NULL AND stage IN ('unknown', 'suspected', 'surveying', 'phase2_needed')
            AND (stage = 'suspected' OR risk IN ('medium', 'high') OR planned_use LIKE '07%' OR planned_use LIKE '08%'
                 OR ((current_use LIKE '10%' OR current_use LIKE '11%') AND land_right <> 'in_use'))
            AND ($1::text IS NULL OR town = $1)
          ORDER BY code",
    )
    .bind(&town)
    .fetch_all(&mut *conn)
    .await?;
    let mut items = Vec::new();
    for code in candidates {
        let Some(parcel) = db::parcels::read(&mut conn, &code).await? else {
            continue;
        };
        let facts = db::rules::gather(&mut conn, &parcel, today).await?;
        let Some(d) = survey_due(&facts.survey, today) else {
            continue;
        };
        let near = d.overdue || d.due_by.is_some_and(|by| by <= horizon);
        if near || all {
            items.push(json!({"parcel": code, "name": parcel.attributes.name, "town": parcel.attributes.town,
                              "stage": facts.replay.state.stage, "risk": parcel.attributes.risk,
                              "trigger": d.trigger, "due_by": d.due_by, "overdue": d.overdue}));
        }
    }
    items.sort_by_key(|i| {
        (
            i["overdue"] != true,
            i["due_by"]
                .as_str()
                .map(str::to_owned)
                .unwrap_or_else(|| "9999".into()),
        )
    });
    Ok(Json(
        json!({"today": today, "within_days": within, "count": items.len(), "parcels": items,
                   "rule": "《行动计划》§4a: before withdrawal or transfer; otherwise before the planning indicators are fixed; if the right was withdrawn before 2019-01-01, or in other cases, before supply"}),
    ))
}

/// A patch against a parcel it touches: number, kind, date, parcel code, stage, current use, overlap m².
type PatchCase = (
    String,
    PatchKind,
    time::Date,
    Option<String>,
    Option<Stage>,
    Option<String>,
    f64,
);

async fn watchlist(State(state): State<AppState>, uri: Uri) -> ApiResult<Json<Value>> {
    let params = Params::from_uri(&uri, &["town"])?;
    let town = params.get("town").map(str::to_owned);
    let built: Vec<(String, String, Stage, time::Date, String)> = sqlx::query_as(
        "SELECT code, name, stage, construction_started_on, town FROM parcels
          WHERE construction_started_on IS NOT NULL AND retired_at IS NULL AND ($1::text IS NULL OR town = $1)
          ORDER BY construction_started_on, code",
    )
    .bind(&town)
    .fetch_all(&state.pool)
    .await?;
    let mut cases: Vec<Value> = built
        .into_iter()
        .filter_map(|(code, name, stage, started, town)| {
            let reasons = construction_reasons(stage, Some(started));
            (!reasons.is_empty()).then(|| {
                json!({"source": "construction", "parcel": code, "name": name, "town": town,
                                                   "stage": stage, "reasons": reasons})
            })
        })
        .collect();
    // Each patch against the parcels it touches; dumping also where it touches no parcel or unused land (23…).
    let patches: Vec<PatchCase> = sqlx::query_as(
        "SELECT r.patch_no, r.kind, r.detected_on, p.code, p.stage, p.current_use,
                coalesce(ST_Area(ST_Intersection(r.geom, p.geom)::geography), 0)
           FROM rs_patches r LEFT JOIN parcels p ON ST_Intersects(r.geom, p.geom) AND p.retired_at IS NULL
                                                  AND NOT ST_Touches(r.geom, p.geom)
          WHERE $1::text IS NULL OR p.town = $1 OR p.id IS NULL
          ORDER BY r.detected_on, r.patch_no",
    )
    .bind(&town)
    .fetch_all(&state.pool)
    .await?;
    for (no, kind, on, code, stage, current_use, overlap) in patches {
        let unused = code.is_none() || current_use.as_deref().is_some_and(|u| u.starts_with("23"));
        if let Some(reason) = patch_reason(kind, stage, unused, overlap) {
            cases.push(json!({"source": "remote_sensing", "patch": no, "kind": kind, "detected_on": on,
                              "parcel": code, "stage": stage, "overlap_m2": overlap, "reasons": [reason]}));
        }
    }
    Ok(Json(json!({"count": cases.len(), "cases": cases})))
}

/// A FeatureCollection of patches, each with `patch_no`, `kind` (construction / dumping /
/// occupation, or 建设 / 倾倒 / 占用) and `detected_on`. All or nothing; re-importing a patch
/// number changes nothing.
async fn import_patches(
    State(state): State<AppState>,
    actor: Actor,
    JsonBody(body): JsonBody,
) -> ApiResult<(StatusCode, Json<Value>)> {
    if actor.require(Action::KeepScreeningLedger).is_err() {
        actor.require(Action::RecordLandEvent)?;
    }
    let features = body
        .get("features")
        .and_then(Value::as_array)
        .ok_or_else(|| {
            FieldError::new("features", "required", "send a GeoJSON FeatureCollection")
        })?;
    let (good, bad) = parse_patches(features, &state)?;
    if !bad.is_empty() {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_features",
            format!("{} features cannot be imported; nothing was", bad.len()),
        )
        .with("bad_features", json!(bad)));
    }
    let mut tx = state.pool.begin().await?;
    let new = db::patches::insert(&mut tx, &good, actor.0.id).await?;
    tx.commit().await?;
    let status = if new > 0 {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        Json(
            json!({"features": good.len(), "imported": new, "unchanged": good.len() as u64 - new}),
        ),
    ))
}

/// Parses every feature; the good ones, and the bad ones with their problems.
fn parse_patches(features: &[Value], state: &AppState) -> ApiResult<(Vec<PatchRow>, Vec<Value>)> {
    let t = ToCgcs2000::new(Crs::Cgcs2000).map_err(ApiError::internal)?;
    let mut good = Vec::new();
    let mut bad = Vec::new();
    for (i, f) in features.iter().enumerate() {
        let p = &f["properties"];
        let mut problems = Vec::new();
        let no = p["patch_no"]
            .as_str()
            .map(str::trim)
            .filter(|s| !s.is_empty() && s.len() <= 60);
        if no.is_none() {
            problems.push(json!({"field": "patch_no", "message": "a patch number is required"}));
        }
        let kind = p["kind"].as_str().and_then(PatchKind::parse);
        if kind.is_none() {
            problems.push(json!({"field": "kind", "message": "kind must be construction, dumping or occupation"}));
        }
        let on = p["detected_on"]
            .as_str()
            .and_then(clock::parse_date)
            .filter(|d| *d <= clock::today());
        if on.is_none() {
            problems.push(json!({"field": "detected_on", "message": "detected_on must be a past date, YYYY-MM-DD"}));
        }
        let geom = parse_boundary(&f["geometry"], &t, &state.config.limits());
        if let Err(e) = &geom {
            problems.push(json!({"field": "geometry", "message": e.message}));
        }
        match (no, kind, on, geom, problems.is_empty()) {
            (Some(no), Some(kind), Some(on), Ok(g), true) => {
                good.push((no.to_owned(), kind, on, g.to_geojson()))
            }
            _ => bad.push(json!({"feature": i, "problems": problems})),
        }
    }
    Ok((good, bad))
}

async fn list_patches(State(state): State<AppState>) -> ApiResult<Json<Value>> {
    let fc: Value = sqlx::query_scalar(
        "SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
                    'type', 'Feature', 'id', patch_no, 'geometry', ST_AsGeoJSON(geom, 7, 0)::json,
                    'properties', json_build_object('patch_no', patch_no, 'kind', kind, 'detected_on', detected_on,
                                                    'area_m2', round(area_m2::numeric, 1))) ORDER BY detected_on), '[]'))
           FROM rs_patches",
    )
    .fetch_one(&state.pool)
    .await?;
    Ok(Json(fc))
}
