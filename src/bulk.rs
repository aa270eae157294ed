//! Whole-district operations run from the command line (and timed by the benchmarks).

use std::collections::HashMap;
use std::time::Instant;

use anyhow::{anyhow, Result};
use serde::Serialize;
use sqlx::PgPool;

use crate::domain::land_use::Gb36600Class;
use crate::domain::screening::{screen, Gb36600, Measured, Verdict};

/// One soil result: parcel, item, value, detection limit, below detection.
type ResultRow = (i64, String, Option<f64>, Option<f64>, bool);

/// What screening every parcel found.
#[derive(Debug, Serialize)]
pub struct ScreenSummary {
    pub parcels: usize,
    pub results: usize,
    pub verdicts: HashMap<String, usize>,
    pub exceedances: usize,
    pub millis: u128,
}

/// Screens every parcel that has soil results against the values of its class,
/// reading the results in batches of parcels.
pub async fn screen_all(pool: &PgPool) -> Result<ScreenSummary> {
    let started = Instant::now();
    let standard = Gb36600::get().map_err(|e| anyhow!(e))?;
    let by_no: HashMap<&str, _> = standard.items().iter().map(|i| (i.item_no, i)).collect();
    let background = crate::db::sampling::background(pool).await?;
    let parcels: Vec<(i64, i16)> = sqlx::query_as(
        "SELECT p.id, p.gb36600_class FROM parcels p
          WHERE EXISTS (SELECT 1 FROM sampling_points sp WHERE sp.parcel_id = p.id) ORDER BY p.id",
    )
    .fetch_all(pool)
    .await?;
    let mut summary = ScreenSummary {
        parcels: 0,
        results: 0,
        verdicts: HashMap::new(),
        exceedances: 0,
        millis: 0,
    };
    for chunk in parcels.chunks(500) {
        let ids: Vec<i64> = chunk.iter().map(|p| p.0).collect();
        let rows: Vec<ResultRow> = sqlx::query_as(
            "SELECT sp.parcel_id, r.item_no, r.value_mgkg, r.detection_limit_mgkg, r.below_detection
               FROM results r JOIN samples s ON s.id = r.sample_id JOIN sampling_points sp ON sp.id = s.point_id
              WHERE sp.parcel_id = ANY($1) AND s.matrix = 'soil'",
        )
        .bind(&ids)
        .fetch_all(pool)
        .await?;
        let mut grouped: HashMap<i64, Vec<Measured<'_>>> = HashMap::new();
        for (key, (parcel, item_no, value, limit, below)) in rows.iter().enumerate() {
            if let Some(item) = by_no.get(item_no.as_str()) {
                grouped.entry(*parcel).or_default().push(Measured {
                    key,
                    item,
                    value_mgkg: value.or(*limit).unwrap_or(0.0),
                    below_detection: *below,
                });
            }
        }
        summary.results += rows.len();
        for (id, class) in chunk {
            let measured = grouped.remove(id).unwrap_or_default();
            let class = Gb36600Class::from_number(*class).unwrap_or(Gb36600Class::One);
            let s = screen(&measured, class, &background);
            summary.parcels += 1;
            summary.exceedances += s.items.len();
            let name = match s.verdict {
                Verdict::NoData => "no_data",
                Verdict::BelowScreening => "below_screening",
                Verdict::OverScreening => "over_screening",
                Verdict::OverIntervention => "over_intervention",
            };
            *summary.verdicts.entry(name.to_owned()).or_default() += 1;
        }
    }
    summary.millis = started.elapsed().as_millis();
    Ok(summary)
}
