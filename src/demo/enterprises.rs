//! Demo firms, closed-factory sites on demo parcels, and the 2023 key-unit list (synthetic).

use anyhow::{anyhow, Result};
use sqlx::PgPool;
use time::macros::date;

use crate::db;
use crate::domain::closed_site::{LedgerEntryInput, SiteInput};
use crate::domain::enterprise::{EnterpriseInput, EnterpriseStatus, IndustryCode, Uscc};
use crate::domain::key_unit::DutyKind;
use crate::domain::lifecycle::Event;
use crate::domain::site_risk::{assess, RiskLevel, SiteFacts};

/// (name, industry, status, years operating, substances, incidents)
type Firm = (
    &'static str,
    &'static str,
    EnterpriseStatus,
    i32,
    &'static [&'static str],
    i32,
);

const FIRMS: &[Firm] = &[
    (
        "示例电镀厂",
        "3360",
        EnterpriseStatus::Closed,
        26,
        &["六价铬", "镍", "氰化物"],
        1,
    ),
    (
        "示例化工厂",
        "2614",
        EnterpriseStatus::Closed,
        31,
        &["苯", "氯乙烯"],
        0,
    ),
    (
        "示例焦化厂",
        "2521",
        EnterpriseStatus::Relocated,
        40,
        &["苯并[a]芘", "多环芳烃"],
        2,
    ),
    ("示例煤矿", "0610", EnterpriseStatus::Closed, 55, &["砷"], 0),
    ("示例水泥厂", "3011", EnterpriseStatus::Closed, 22, &[], 0),
    (
        "示例机械厂",
        "3311",
        EnterpriseStatus::Closed,
        12,
        &["石油烃"],
        0,
    ),
    (
        "示例塑料制品厂",
        "2927",
        EnterpriseStatus::Closed,
        8,
        &[],
        0,
    ),
    ("示例仓储公司", "5941", EnterpriseStatus::Closed, 3, &[], 0),
    (
        "示例冶炼厂",
        "3216",
        EnterpriseStatus::Relocated,
        28,
        &["铅", "镉", "砷"],
        1,
    ),
    ("示例印染厂", "1713", EnterpriseStatus::Closed, 15, &[], 0),
    (
        "示例制药厂",
        "2710",
        EnterpriseStatus::Operating,
        18,
        &["二氯甲烷"],
        0,
    ),
    (
        "示例热电厂",
        "4411",
        EnterpriseStatus::Operating,
        35,
        &[],
        0,
    ),
    (
        "示例建材厂",
        "3021",
        EnterpriseStatus::Operating,
        20,
        &[],
        0,
    ),
    (
        "示例金属表面处理厂",
        "3360",
        EnterpriseStatus::Operating,
        14,
        &["镍"],
        0,
    ),
    (
        "示例蓄电池厂",
        "3841",
        EnterpriseStatus::Operating,
        16,
        &["铅"],
        0,
    ),
    (
        "示例加油站",
        "5265",
        EnterpriseStatus::Operating,
        12,
        &["石油烃"],
        0,
    ),
];

fn demo_uscc(n: usize) -> Result<Uscc> {
    let first = format!("91110109MA0{:06}", 100 + n);
    let check = Uscc::check_character(&first).ok_or_else(|| anyhow!("demo code {first}"))?;
    Uscc::parse(&format!("{first}{check}")).map_err(|e| anyhow!("{e}"))
}

/// Loads the demo firms and their ledgers once (nothing when any exists).
pub async fn load(pool: &PgPool) -> Result<()> {
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM enterprises WHERE name LIKE '示例%')")
            .fetch_one(pool)
            .await?;
    if exists {
        return Ok(());
    }
    let eco: i64 = sqlx::query_scalar("SELECT id FROM users WHERE name = 'demo-eco'")
        .fetch_one(pool)
        .await?;
    // Industrial demo parcels with no history yet, in order: the firms' sites.
    let parcels: Vec<(i64, String, f64, f64)> = sqlx::query_as(
        "SELECT id, code, ST_X(ST_PointOnSurface(geom)), ST_Y(ST_PointOnSurface(geom)) FROM parcels p
          WHERE code LIKE 'DEMO-%' AND current_use LIKE '10%'
            AND NOT EXISTS (SELECT 1 FROM parcel_events e WHERE e.parcel_id = p.id)
          ORDER BY id LIMIT $1",
    )
    .bind(i64::try_from(FIRMS.len()).unwrap_or(0))
    .fetch_all(pool)
    .await?;
    let mut tx = pool.begin().await?;
    let rules = db::sites::current_rules(&mut tx).await?;
    for (n, ((name, industry, status, years, substances, incidents), (parcel_id, _code, x, y))) in
        FIRMS.iter().zip(parcels.iter()).enumerate()
    {
        let uscc = demo_uscc(n)?;
        let industry =
            IndustryCode::parse(industry).ok_or_else(|| anyhow!("demo industry {industry}"))?;
        let input = EnterpriseInput {
            uscc: uscc.clone(),
            name: (*name).to_owned(),
            industry: industry.clone(),
            address: format!("北京市门头沟区示例工业路{}号", n + 1),
            status: *status,
            closed_on: status.leaves_former_site().then_some(date!(2022 - 06 - 30)),
        };
        db::enterprises::insert(&mut tx, &input, Some((*x, *y)), eco).await?;
        let id: i64 = sqlx::query_scalar("SELECT id FROM enterprises WHERE uscc = $1")
            .bind(uscc.as_str())
            .fetch_one(&mut *tx)
            .await?;
        if status.leaves_former_site() {
            let site = SiteInput {
                enterprise: uscc.clone(),
                name: format!("原{name}"),
                closure_year: 2022,
                years_operating: *years,
                hazardous_substances: substances.iter().map(|s| (*s).to_owned()).collect(),
                incidents: *incidents,
            };
            let facts = SiteFacts {
                industry,
                years_operating: u32::try_from(*years).unwrap_or(0),
                hazardous_substances: site.hazardous_substances.clone(),
                incidents: u32::try_from(*incidents).unwrap_or(0),
            };
            let assessment = assess(&facts, &rules);
            // The footprint: the parcel, shrunk by 5 m.
            let footprint: String = sqlx::query_scalar(
                "SELECT ST_AsGeoJSON(ST_Transform(ST_Buffer(ST_Transform(geom, 4548), -5), 4490), 9, 0) FROM parcels WHERE id = $1",
            )
            .bind(parcel_id)
            .fetch_one(&mut *tx)
            .await?;
            let site_id =
                db::sites::insert(&mut tx, id, &site, &footprint, &assessment, eco).await?;
            let overlap: f64 = sqlx::query_scalar("SELECT area_m2 FROM closed_sites WHERE id = $1")
                .bind(site_id)
                .fetch_one(&mut *tx)
                .await?;
            db::sites::link(&mut tx, site_id, *parcel_id, overlap, eco).await?;
            let entry = LedgerEntryInput {
                entry_on: date!(2023 - 03 - 15),
                risk_level: None,
                current_state: "企业已停产，厂房闲置（示例）".into(),
                development_use: if n % 2 == 0 {
                    "拟收储后规划为居住用地（示例）".into()
                } else {
                    "暂无开发计划（示例）".into()
                },
                survey_info: "尚未开展土壤污染状况调查（示例）".into(),
                note: None,
            };
            db::sites::append_entry(&mut tx, site_id, &entry, assessment.level, eco).await?;
            if assessment.level == RiskLevel::High {
                suspect(&mut tx, _code, name, (eco, "eco")).await?;
            }
        } else {
            db::key_units::set_listing(
                &mut tx,
                id,
                2023,
                true,
                "列入2023年土壤污染重点监管单位名录（示例）",
                eco,
            )
            .await?;
            for (k, kind) in DutyKind::ALL.into_iter().enumerate() {
                let due = if k % 2 == 0 {
                    date!(2023 - 06 - 30)
                } else {
                    date!(2023 - 12 - 31)
                };
                let done = (n + k) % 3 != 0;
                db::key_units::set_duty(
                    &mut tx,
                    id,
                    2023,
                    kind,
                    due,
                    done.then_some(date!(2023 - 06 - 01)),
                    None,
                    None,
                    eco,
                )
                .await?;
            }
        }
    }
    // The other ledgers: a few rows each (statements run one by one).
    for statement in include_str!("ledgers.sql")
        .split(";\n")
        .filter(|s| s.trim().lines().any(|l| !l.trim_start().starts_with("--")))
    {
        sqlx::query(statement)
            .bind(eco)
            .execute(&mut *tx)
            .await
            .map_err(|e| anyhow!("demo ledgers: {e}"))?;
    }
    tx.commit().await?;
    Ok(())
}

/// A high-risk site puts its parcel on the suspected path, as the API does.
async fn suspect(
    conn: &mut sqlx::PgConnection,
    code: &str,
    firm: &str,
    user: (i64, &str),
) -> Result<()> {
    let parcel = db::parcels::lock(conn, code)
        .await?
        .ok_or_else(|| anyhow!("demo parcel {code}"))?;
    let day = date!(2023 - 03 - 15);
    let event = Event::parse(
        "suspicion_raised",
        &serde_json::json!({"reason": format!("高风险关停企业原址：原{firm}")}),
        day,
    )
    .map_err(|e| anyhow!(e.message))?;
    let existing = db::events::for_parcel(conn, parcel.id).await?;
    let new = db::events::NewEvent {
        event,
        occurred_on: day,
        note: Some("示例记录".into()),
        documents: vec![],
    };
    let initial = db::events::initial_state(parcel.land_right_initial);
    db::events::append(
        conn,
        parcel.id,
        &initial,
        parcel.class,
        &existing,
        &new,
        user,
    )
    .await
    .map_err(|e| anyhow!("demo suspicion on {code}: {e:?}"))?;
    Ok(())
}
