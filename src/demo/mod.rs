//! The demo district: synthetic, deterministic, plainly marked (see fixtures/README.md).

mod enterprises;
mod lifecycle;
mod patches;
mod samples;

pub use lifecycle::record_for as record_histories;

use anyhow::{Context, Result};
use sqlx::PgPool;

use crate::db::users;
use crate::domain::access::{Department, Role};
use crate::domain::land_use::LandUse;

const DISTRICT: &str = include_str!("../../fixtures/district.geojson");
const TOWNS: &str = include_str!("../../fixtures/towns.csv");

/// Parcels in the demo district.
pub const DEMO_PARCELS: i32 = 3_000;
const DEMO_SEED: i32 = 20_230_101;

/// Planned uses, repeated by how often the demo draws them; "" is an unknown planned use.
const PLANNED: &[&str] = &[
    "0701", "0701", "070102", "070102", "0702", "080403", "080404", "0806", "0807", "0901", "0901",
    "0902", "1001", "1001", "100101", "1101", "1208", "1303", "1401", "1402", "", "",
];
const CURRENT: &[&str] = &[
    "1001", "1001", "100102", "100103", "1002", "1101", "0701", "0703", "0901", "1208", "1303",
    "0103", "0201", "23",
];
const HOLDERS: &[&str] = &[
    "北京京西示例实业有限公司",
    "门头沟示例化工厂",
    "北京永定示例建材有限公司",
    "区示例土地储备中心",
    "北京龙泉示例机械厂",
    "示例煤矿有限责任公司",
    "北京示例物流有限公司",
    "示例房地产开发有限公司",
];

struct Seed {
    code: String,
    lon: f64,
    lat: f64,
    weight: f64,
}

fn seeds() -> Result<Vec<Seed>> {
    TOWNS
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            let num = |i: usize| -> Result<f64> {
                Ok(f.get(i).context("short towns.csv row")?.trim().parse()?)
            };
            Ok(Seed {
                code: f[0].to_owned(),
                lon: num(2)?,
                lat: num(3)?,
                weight: num(4)?,
            })
        })
        .collect()
}

/// Writes the synthetic district outline and town boundaries (idempotent).
pub async fn load_district(pool: &PgPool) -> Result<()> {
    let outline: serde_json::Value = serde_json::from_str(DISTRICT)?;
    let seeds = seeds()?;
    sqlx::query(include_str!("district.sql"))
        .bind(outline["geometry"].to_string())
        .bind(seeds.iter().map(|s| s.code.clone()).collect::<Vec<_>>())
        .bind(seeds.iter().map(|s| s.lon).collect::<Vec<_>>())
        .bind(seeds.iter().map(|s| s.lat).collect::<Vec<_>>())
        .execute(pool)
        .await?;
    Ok(())
}

/// Generates `n` parcels with codes `{prefix}0000001…`; deterministic for a seed, idempotent.
/// Towns get parcels by their weight and area, or by area alone when `uniform`.
/// Returns how many were inserted.
pub async fn generate(
    pool: &PgPool,
    prefix: &str,
    n: i32,
    seed: i32,
    uniform: bool,
) -> Result<u64> {
    load_district(pool).await?;
    let seeds = seeds()?;
    let classes: Vec<i16> = PLANNED
        .iter()
        .map(|c| crate::domain::land_use::Gb36600Class::for_planned_use(LandUse::parse(c)).number())
        .collect();
    let done = sqlx::query(include_str!("parcels.sql"))
        .bind(n)
        .bind(seed)
        .bind(prefix)
        .bind(seeds.iter().map(|s| s.code.clone()).collect::<Vec<_>>())
        .bind(
            seeds
                .iter()
                .map(|s| if uniform { 1.0 } else { s.weight })
                .collect::<Vec<_>>(),
        )
        .bind(PLANNED)
        .bind(classes)
        .bind(CURRENT)
        .bind(HOLDERS)
        .execute(pool)
        .await?;
    sqlx::query("ANALYZE parcels").execute(pool).await?;
    Ok(done.rows_affected())
}

/// A demo user per department, with a token anyone reading the README can use.
#[derive(Debug, Clone)]
pub struct DemoUser {
    pub name: String,
    pub department: Department,
    pub role: Role,
    pub token: String,
}

/// The demo users: an editor per department (`demo-<dept>`), an admin and a viewer.
pub fn demo_users() -> Vec<DemoUser> {
    let mut out: Vec<DemoUser> = Department::all()
        .map(|d| DemoUser {
            name: format!("demo-{}", d.code()),
            department: d,
            role: Role::Editor,
            token: format!("demo-{}-token", d.code()),
        })
        .collect();
    out.push(DemoUser {
        name: "demo-admin".into(),
        department: Department::Eco,
        role: Role::Admin,
        token: "demo-admin-token".into(),
    });
    out.push(DemoUser {
        name: "demo-viewer".into(),
        department: Department::Planning,
        role: Role::Viewer,
        token: "demo-viewer-token".into(),
    });
    out
}

/// Loads the whole demo district (idempotent): outline, towns, parcels, users, firms and
/// ledgers, histories, soil samples and remote-sensing patches.
pub async fn load(pool: &PgPool) -> Result<Vec<DemoUser>> {
    generate(pool, "DEMO-", DEMO_PARCELS, DEMO_SEED, false).await?;
    let users = demo_users();
    let mut tx = pool.begin().await?;
    for u in &users {
        let exists: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM users WHERE name = $1)")
                .bind(&u.name)
                .fetch_one(&mut *tx)
                .await?;
        if !exists {
            users::create(&mut tx, &u.name, u.department, u.role, &u.token).await?;
        }
    }
    tx.commit().await?;
    enterprises::load(pool).await?;
    lifecycle::record(pool).await?;
    samples::load(pool).await?;
    patches::load(pool).await?;
    Ok(users)
}
