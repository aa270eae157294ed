//! The demo district's remote-sensing patches (卫片图斑): one of each case the watchlist
//! weighs — construction on a listed parcel and occupation of one still being surveyed
//! (both flagged), dumping on unused land (flagged), and construction where the permit was
//! given (not flagged) — each a small box on its parcel, written as the patch import writes.

use anyhow::Result;
use sqlx::PgPool;
use time::macros::date;

use crate::db::patches::{self, PatchRow};
use crate::domain::rules::watch::PatchKind;

/// (number, what it shows, which demo parcel: the first, by id, that matches).
const CASES: [(&str, PatchKind, &str); 4] = [
    (
        "WP-DEMO-001",
        PatchKind::Construction,
        "p.stage = 'listed'",
    ),
    (
        "WP-DEMO-002",
        PatchKind::Occupation,
        "p.stage = 'surveying'",
    ),
    ("WP-DEMO-003", PatchKind::Dumping, "p.current_use = '23'"),
    (
        "WP-DEMO-004",
        PatchKind::Construction,
        "EXISTS (SELECT 1 FROM parcel_events e WHERE e.parcel_id = p.id AND e.kind = 'construction_permit')",
    ),
];

/// Writes the patches not there yet (idempotent); returns how many were new.
pub async fn load(pool: &PgPool) -> Result<u64> {
    let eco: i64 = sqlx::query_scalar("SELECT id FROM users WHERE name = 'demo-eco'")
        .fetch_one(pool)
        .await?;
    let mut rows: Vec<PatchRow> = Vec::new();
    for (no, kind, which) in CASES {
        // a box about 50 m by 65 m around a point of the parcel
        let box_of_parcel: Option<String> = sqlx::query_scalar(&format!(
            "SELECT ST_AsGeoJSON(ST_Expand(ST_PointOnSurface(p.geom), 0.0003), 7, 0)
               FROM parcels p
              WHERE p.code LIKE 'DEMO-%' AND p.retired_at IS NULL AND {which}
              ORDER BY p.id LIMIT 1"
        ))
        .fetch_optional(pool)
        .await?;
        if let Some(g) = box_of_parcel {
            rows.push((no.to_owned(), kind, date!(2023 - 08 - 15), g));
        }
    }
    let mut tx = pool.begin().await?;
    let new = patches::insert(&mut tx, &rows, eco).await?;
    tx.commit().await?;
    Ok(new)
}
