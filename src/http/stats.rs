//! `GET /api/stats/safe-utilization`: the safe-utilization rates, computed from the record.

use axum::extract::State;
use axum::http::Uri;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};
use time::{Date, Month};

use super::extract::Params;
use super::AppState;
use crate::clock;
use crate::db;
use crate::domain::lifecycle::replay;
use crate::domain::rules::rates::{
    contaminated_case, contaminated_on, key_land_case, steps_of, Rate, CONTAMINATED_PARCELS,
    FARMLAND, KEY_LAND,
};
use crate::domain::town::Town;
use crate::error::ApiResult;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/stats/safe-utilization", get(safe_utilization))
}

async fn safe_utilization(State(state): State<AppState>, uri: Uri) -> ApiResult<Json<Value>> {
    let params = Params::from_uri(&uri, &["year", "town"])?;
    let today = clock::today();
    let year = params
        .parse("year", |s| {
            s.parse::<i32>().ok().filter(|y| (2000..=2100).contains(y))
        })?
        .unwrap_or(today.year());
    let town = params.parse("town", Town::parse)?;
    // Parcels with a history: only they can be supplied, developed or contaminated.
    let histories = db::rules::histories(&state.pool, town.map(Town::code)).await?;
    let years: Vec<i32> = (2019..=today.year().max(year)).collect();
    let ends: Vec<Date> = years
        .iter()
        .filter_map(|y| Date::from_calendar_date(*y, Month::December, 31).ok())
        .collect();
    let mut area_by_year = vec![0.0_f64; years.len()];
    let (mut key_cases, mut contaminated_cases) = (Vec::new(), Vec::new());
    for h in &histories {
        let Ok(full) = replay(&h.events, &h.initial) else {
            continue;
        };
        let steps = steps_of(&h.events, &full);
        if h.sensitive_use {
            key_cases.extend(key_land_case(&h.code, &steps, year));
        }
        contaminated_cases.extend(contaminated_case(&h.code, &steps, year));
        for (area, contaminated) in area_by_year
            .iter_mut()
            .zip(contaminated_on(&h.events, &h.initial, &ends))
        {
            if contaminated {
                *area += h.area_m2;
            }
        }
    }
    let mut conn = state.pool.acquire().await?;
    let farmland = farmland_rate(&mut conn, year).await?;
    let area: Vec<Value> = years
        .iter()
        .zip(&area_by_year)
        .map(|(y, a)| json!({"year": y, "contaminated_area_m2": (a * 10.0).round() / 10.0}))
        .collect();
    let shrinking = area_by_year.windows(2).all(|w| w[1] <= w[0]);
    Ok(Json(json!({
        "year": year,
        "town": town.map(Town::code),
        "rates": [Rate::of_cases(KEY_LAND, &key_cases), Rate::of_cases(CONTAMINATED_PARCELS, &contaminated_cases), farmland],
        "contaminated_construction_land": {"by_year": area, "shrinking_every_year": shrinking,
                                            "definition": "area of parcels contaminated, awaiting or under control/remediation, or listed, at each year end (stages contaminated … effect_evaluated)"},
    })))
}

/// The farmland rate from the farmland ledger: contaminated plots (safe use, strict control),
/// counted safe when measures are recorded and no produce test of the year exceeded its limit.
async fn farmland_rate(conn: &mut sqlx::PgConnection, year: i32) -> ApiResult<Rate> {
    let rows: Vec<(String, f64, bool)> = sqlx::query_as(
        "SELECT f.name, f.area_m2,
                coalesce(f.measures, '') <> ''
                AND NOT EXISTS (SELECT 1 FROM produce_tests t WHERE t.plot_id = f.id
                                 AND extract(year FROM t.harvested_on) = $1 AND t.exceeds)
           FROM farmland_plots f WHERE f.class IN ('safe_use', 'strict_control') ORDER BY f.name",
    )
    .bind(year)
    .fetch_all(conn)
    .await?;
    let (mut num, mut den) = (0.0, 0.0);
    let (mut safe, mut not_safe) = (vec![], vec![]);
    for (name, area, ok) in rows {
        den += area;
        if ok {
            num += area;
            safe.push(name);
        } else {
            not_safe.push(name);
        }
    }
    Ok(Rate::of_parts(FARMLAND, num, den, safe, not_safe))
}
