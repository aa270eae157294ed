//! The demo district's soil samples: for each demo parcel whose phase-two survey
//! concluded, a campaign of six points inside it, at two depths, that agrees with the
//! conclusion its history records — arsenic at 84 mg/kg in the top soil of the first point
//! (the exceedance the phase-two event names), the rest at Beijing's background levels.
//! They go in through the same import as `POST /api/parcels/{code}/samples`, so the map's
//! sampling points and a parcel's exceedances have something to show.

use anyhow::{anyhow, Result};
use serde_json::{json, Value};
use sqlx::PgPool;
use time::{Date, Duration};

use crate::db::sample_import::{self, Imported};
use crate::domain::document::DocumentId;
use crate::domain::sampling::{parse_json, Placement};
use crate::gis::extent::Extent;

/// Points per campaign.
const POINTS: i32 = 6;
/// The arsenic the phase-two events of the demo histories record (mg/kg).
const HOTSPOT_ARSENIC: f64 = 84.0;

/// (CAS, lowest, spread) of each analyte in mg/kg: background levels of Beijing soils,
/// far below the GB 36600 screening values.
const ANALYTES: [(&str, f64, f64); 5] = [
    ("7440-38-2", 6.0, 10.0),  // arsenic
    ("7440-43-9", 0.1, 0.3),   // cadmium
    ("7439-92-1", 18.0, 40.0), // lead
    ("7440-02-0", 20.0, 25.0), // nickel
    ("7439-97-6", 0.05, 0.3),  // mercury
];

/// A fraction in [0, 1) from the parcel and the result's place in the campaign: the demo
/// is the same on every machine.
fn spread(parcel: i64, n: usize) -> f64 {
    let h = (parcel as u64)
        .wrapping_mul(2_654_435_761)
        .wrapping_add(n as u64 * 40_503)
        .wrapping_mul(2_246_822_519);
    (h >> 40) as f64 / (1u64 << 24) as f64
}

/// The rows of one campaign, as a surveyor's JSON would give them.
fn campaign(parcel: i64, points: &[(f64, f64)], sampled_on: Date) -> Vec<Value> {
    let mut rows = Vec::new();
    for (i, (x, y)) in points.iter().enumerate() {
        for (d, (top, bottom)) in [(0.0, 0.5), (1.0, 1.5)].into_iter().enumerate() {
            for (a, (cas, low, width)) in ANALYTES.iter().enumerate() {
                let n = (i * 2 + d) * (ANALYTES.len() + 1) + a;
                let hotspot = i == 0 && d == 0 && a == 0;
                let value = if hotspot {
                    HOTSPOT_ARSENIC
                } else {
                    ((low + width * spread(parcel, n)) * 100.0).round() / 100.0
                };
                rows.push(json!({
                    "point_id": format!("S{:02}", i + 1), "x": x, "y": y,
                    "depth_top_m": top, "depth_bottom_m": bottom, "sampled_on": sampled_on.to_string(),
                    "analyte": cas, "value": value, "unit": "mg/kg",
                    "lab": "示例检测实验室", "method": "HJ 803-2016（示例）",
                }));
            }
            // benzo[a]pyrene, below detection
            rows.push(json!({
                "point_id": format!("S{:02}", i + 1), "x": x, "y": y,
                "depth_top_m": top, "depth_bottom_m": bottom, "sampled_on": sampled_on.to_string(),
                "analyte": "50-32-8", "value": "ND", "detection_limit": 0.1, "unit": "mg/kg",
                "lab": "示例检测实验室", "method": "HJ 834-2017（示例）",
            }));
        }
    }
    rows
}

/// A parcel with a phase-two conclusion: id, code, the day, and its points' x and y.
type Concluded = (i64, String, Date, Vec<f64>, Vec<f64>);

/// Imports a campaign for each demo parcel with a phase-two conclusion and no points yet
/// (idempotent). Returns how many parcels got one.
pub async fn load(pool: &PgPool) -> Result<u64> {
    let eco: i64 = sqlx::query_scalar("SELECT id FROM users WHERE name = 'demo-eco'")
        .fetch_one(pool)
        .await?;
    // Six points inside each parcel (PostGIS's, seeded by the parcel: the same every
    // load), sampled three weeks before the conclusion.
    let parcels: Vec<Concluded> = sqlx::query_as(
        "SELECT p.id, p.code, e.occurred_on,
                array_agg(ST_X(d.geom) ORDER BY d.path), array_agg(ST_Y(d.geom) ORDER BY d.path)
           FROM parcels p
           JOIN parcel_events e ON e.parcel_id = p.id AND e.kind = 'phase2_concluded' AND e.voids IS NULL
           CROSS JOIN LATERAL ST_Dump(ST_GeneratePoints(p.geom, $1, p.id::int)) d
          WHERE p.code LIKE 'DEMO-%'
            AND NOT EXISTS (SELECT 1 FROM sampling_points sp WHERE sp.parcel_id = p.id)
          GROUP BY p.id, p.code, e.occurred_on
          ORDER BY p.id",
    )
    .bind(POINTS)
    .fetch_all(pool)
    .await?;
    let to_cgcs = |x: f64, y: f64| Some((x, y));
    let inside = |x: f64, y: f64| Extent::MENTOUGOU.contains(x, y);
    let place = Placement {
        to_cgcs: &to_cgcs,
        inside: &inside,
        today: crate::clock::today(),
    };
    let mut loaded = 0;
    let mut tx = pool.begin().await?;
    for (id, code, concluded, xs, ys) in parcels {
        let sampled_on = concluded - Duration::days(21);
        let points: Vec<(f64, f64)> = xs.into_iter().zip(ys).collect();
        let rows = campaign(id, &points, sampled_on);
        let parsed = parse_json(&rows, &place);
        if let Some(bad) = parsed.bad.first() {
            return Err(anyhow!("demo samples of {code}: {bad:?}"));
        }
        let sha = DocumentId::of(serde_json::to_string(&rows)?.as_bytes());
        match sample_import::import(&mut tx, id, parsed, false, sha.as_str(), eco).await? {
            Imported::Written { .. } => loaded += 1,
            Imported::Refused { message, report } => {
                return Err(anyhow!("demo samples of {code}: {message} {report}"))
            }
        }
    }
    tx.commit().await?;
    Ok(loaded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_campaign_has_its_hotspot_and_background_elsewhere() {
        let rows = campaign(7, &[(116.0, 39.9), (116.001, 39.9)], Date::MIN);
        assert_eq!(rows.len(), 2 * 2 * (ANALYTES.len() + 1));
        assert_eq!(rows[0]["analyte"], "7440-38-2");
        assert_eq!(rows[0]["value"], HOTSPOT_ARSENIC);
        for r in &rows[1..] {
            let (cas, value) = (r["analyte"].as_str(), r["value"].as_f64());
            if let Some((_, low, width)) = ANALYTES.iter().find(|a| Some(a.0) == cas) {
                let v = value.expect("a number");
                assert!(*low <= v && v <= low + width, "{r}");
            } else {
                assert_eq!(r["value"], "ND", "{r}");
            }
        }
        // the same parcel gives the same values
        assert_eq!(
            rows,
            campaign(7, &[(116.0, 39.9), (116.001, 39.9)], Date::MIN)
        );
        assert!((0..1000).all(|n| (0.0..1.0).contains(&spread(3, n))));
    }
}
