//! Demo histories: a deterministic share of the demo parcels walked through the
//! lifecycle by the demo departments, through the same rules as the API.

use anyhow::{anyhow, Context, Result};
use serde_json::{json, Value};
use sqlx::PgPool;
use time::{Date, Duration};

use crate::db;
use crate::db::events::NewEvent;
use crate::domain::lifecycle::{Event, LandRight};

/// Who records a step: the demo ecology, planning or housing editor.
#[derive(Clone, Copy)]
enum By {
    Eco,
    Planning,
    Housing,
}

type Step = (By, &'static str, Value);

/// The scenarios, each a prefix of one plausible history.
fn scenario(n: i64) -> Vec<Step> {
    let exceed = json!([{"cas": "7440-38-2", "name": "砷", "value_mgkg": 84.0, "limit_mgkg": 20.0, "ratio": 4.2}]);
    let full: Vec<Step> = vec![
        (
            By::Eco,
            "suspicion_raised",
            json!({"reason": "关停退出工业企业原址（示例）"}),
        ),
        (By::Planning, "withdrawal_planned", json!({})),
        (By::Eco, "survey_started", json!({})),
        (
            By::Eco,
            "phase1_concluded",
            json!({"outcome": "phase2_needed"}),
        ),
        (
            By::Eco,
            "phase2_concluded",
            json!({"outcome": "contaminated", "exceedances": exceed}),
        ),
        (
            By::Eco,
            "risk_assessed",
            json!({"outcome": "control_needed"}),
        ),
        (By::Eco, "listed", json!({})),
        (By::Eco, "plan_filed", json!({"plan": "remediation"})),
        (By::Eco, "works_started", json!({})),
        (By::Eco, "works_finished", json!({})),
        (
            By::Eco,
            "effect_evaluated",
            json!({"evaluator": "示例评估单位", "contractor": "示例修复单位"}),
        ),
        (By::Eco, "delisted", json!({})),
    ];
    let cleared: Vec<Step> = vec![
        (By::Eco, "survey_started", json!({})),
        (By::Eco, "phase1_concluded", json!({"outcome": "cleared"})),
        (By::Planning, "indicators_fixed", json!({})),
        (By::Planning, "land_supplied", json!({})),
        (By::Housing, "construction_permit", json!({})),
    ];
    let cut = |len: usize| full[..len].to_vec();
    match n % 10 {
        0 => cut(1),
        1 => cut(3),
        2 => cut(4),
        3 => cut(5),
        4 => cut(7),
        5 => cut(9),
        6 => cut(12),
        7 => cleared[..2].to_vec(),
        8 => cleared.clone(),
        _ => cut(6),
    }
}

/// Records the demo histories for demo parcels with none yet (idempotent).
pub async fn record(pool: &PgPool) -> Result<u64> {
    record_for(pool, "DEMO-", i64::MAX).await
}

/// Records histories for up to `limit` medium- or high-risk parcels whose code starts with `prefix`.
pub async fn record_for(pool: &PgPool, prefix: &str, limit: i64) -> Result<u64> {
    let user = |name: &'static str| async move {
        sqlx::query_as::<_, (i64, String)>("SELECT id, department FROM users WHERE name = $1")
            .bind(name)
            .fetch_one(pool)
            .await
            .with_context(|| format!("demo user {name}"))
    };
    let eco = user("demo-eco").await?;
    let planning = user("demo-planning").await?;
    let housing = user("demo-housing").await?;
    let parcels: Vec<(i64, i64, String)> = sqlx::query_as(
        "SELECT p.id, row_number() OVER (ORDER BY p.id), p.code FROM parcels p
          WHERE p.code LIKE $1 || '%' AND p.risk IN ('high', 'medium')
            AND NOT EXISTS (SELECT 1 FROM parcel_events e WHERE e.parcel_id = p.id)
          ORDER BY p.id LIMIT $2",
    )
    .bind(prefix)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    let start = Date::from_calendar_date(2022, time::Month::March, 1)?;
    let mut tx = pool.begin().await?;
    let mut recorded = 0;
    for (id, n, code) in parcels {
        let current = db::parcels::lock(&mut tx, &code)
            .await?
            .ok_or_else(|| anyhow!("demo parcel {code} vanished"))?;
        let initial = db::events::initial_state(current.land_right_initial);
        // Land steps only where the registered right allows them.
        let steps: Vec<Step> = scenario(n)
            .into_iter()
            .filter(|(_, k, _)| {
                *k != "withdrawal_planned" || current.land_right_initial == LandRight::InUse
            })
            .filter(|(_, k, _)| {
                *k != "land_supplied" || current.land_right_initial != LandRight::Supplied
            })
            .collect();
        for (i, (by, kind, payload)) in steps.iter().enumerate() {
            let day = start + Duration::days(n % 200 + 30 * i as i64);
            let event = Event::parse(kind, payload, day)
                .map_err(|e| anyhow!("demo event {kind}: {}", e.message))?;
            let existing = db::events::for_parcel(&mut tx, id).await?;
            let who = match by {
                By::Eco => &eco,
                By::Planning => &planning,
                By::Housing => &housing,
            };
            let new = NewEvent {
                event,
                occurred_on: day,
                note: Some("示例记录".into()),
                documents: vec![],
            };
            db::events::append(
                &mut tx,
                id,
                &initial,
                current.class,
                &existing,
                &new,
                (who.0, &who.1),
            )
            .await
            .map_err(|e| anyhow!("demo history of {code}: {e:?}"))?;
            recorded += 1;
        }
    }
    tx.commit().await?;
    Ok(recorded)
}
