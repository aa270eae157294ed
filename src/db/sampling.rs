//! Sampling points, samples and results; the background values of the GB 36600 footnote.

use std::collections::HashMap;

use serde::Serialize;
use sqlx::{PgConnection, PgExecutor};
use time::Date;

use crate::domain::land_use::Gb36600Class;
use crate::domain::sampling::{Matrix, SampleRow};
use crate::domain::screening::{screen, Gb36600, Measured, Screening};

/// Identifies one result: point, depths, date, matrix and item.
pub type ResultKey = (String, u64, u64, Date, Matrix, String);

pub fn key_of(r: &SampleRow) -> ResultKey {
    (
        r.point_id.clone(),
        r.depth_top_m.to_bits(),
        r.depth_bottom_m.to_bits(),
        r.sampled_on,
        r.matrix,
        r.item.item_no.to_owned(),
    )
}

/// The parcel's points, by point id: (lon, lat).
pub async fn points(
    conn: &mut PgConnection,
    parcel_id: i64,
) -> Result<HashMap<String, (f64, f64)>, sqlx::Error> {
    let rows: Vec<(String, f64, f64)> = sqlx::query_as(
        "SELECT point_id, ST_X(geom), ST_Y(geom) FROM sampling_points WHERE parcel_id = $1",
    )
    .bind(parcel_id)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|(p, x, y)| (p, (x, y))).collect())
}

/// The parcel's stored results by key: (value mg/kg, below detection).
pub async fn result_values(
    conn: &mut PgConnection,
    parcel_id: i64,
) -> Result<HashMap<ResultKey, (Option<f64>, bool)>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        point_id: String,
        depth_top_m: f64,
        depth_bottom_m: f64,
        sampled_on: Date,
        matrix: Matrix,
        item_no: String,
        value_mgkg: Option<f64>,
        below_detection: bool,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT sp.point_id, s.depth_top_m, s.depth_bottom_m, s.sampled_on, s.matrix, r.item_no,
                r.value_mgkg, r.below_detection
           FROM results r JOIN samples s ON s.id = r.sample_id JOIN sampling_points sp ON sp.id = s.point_id
          WHERE sp.parcel_id = $1",
    )
    .bind(parcel_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let key = (
                r.point_id,
                r.depth_top_m.to_bits(),
                r.depth_bottom_m.to_bits(),
                r.sampled_on,
                r.matrix,
                r.item_no,
            );
            (key, (r.value_mgkg, r.below_detection))
        })
        .collect())
}

fn matrix_name(m: Matrix) -> &'static str {
    match m {
        Matrix::Soil => "soil",
        Matrix::Groundwater => "groundwater",
        Matrix::Sediment => "sediment",
    }
}

/// Writes the rows (points, samples, results) in bulk; existing ones are left as they are.
/// Returns the number of new results.
#[tracing::instrument(skip(conn, rows), fields(rows = rows.len()))]
pub async fn write(
    conn: &mut PgConnection,
    parcel_id: i64,
    rows: &[SampleRow],
    import_id: i64,
) -> Result<u64, sqlx::Error> {
    let col = |f: &dyn Fn(&SampleRow) -> String| rows.iter().map(f).collect::<Vec<String>>();
    let num = |f: &dyn Fn(&SampleRow) -> f64| rows.iter().map(f).collect::<Vec<f64>>();
    let points = col(&|r| r.point_id.clone());
    let boreholes: Vec<Option<String>> = rows.iter().map(|r| r.borehole.clone()).collect();
    let (lon, lat) = (num(&|r| r.lon), num(&|r| r.lat));
    let (top, bottom) = (num(&|r| r.depth_top_m), num(&|r| r.depth_bottom_m));
    let dates: Vec<Date> = rows.iter().map(|r| r.sampled_on).collect();
    let matrices = col(&|r| matrix_name(r.matrix).to_owned());

    sqlx::query(
        "INSERT INTO sampling_points (parcel_id, point_id, borehole, geom)
         SELECT DISTINCT ON (p) $1, p, b, ST_SetSRID(ST_MakePoint(x, y), 4490)
           FROM unnest($2::text[], $3::text[], $4::float8[], $5::float8[]) AS t (p, b, x, y)
         ON CONFLICT ON CONSTRAINT sampling_points_key DO NOTHING",
    )
    .bind(parcel_id)
    .bind(&points)
    .bind(&boreholes)
    .bind(&lon)
    .bind(&lat)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO samples (point_id, depth_top_m, depth_bottom_m, sampled_on, matrix)
         SELECT DISTINCT sp.id, t.top, t.bottom, t.d, t.m::sample_matrix
           FROM unnest($2::text[], $3::float8[], $4::float8[], $5::date[], $6::text[]) AS t (p, top, bottom, d, m)
           JOIN sampling_points sp ON sp.parcel_id = $1 AND sp.point_id = t.p
         ON CONFLICT ON CONSTRAINT samples_key DO NOTHING",
    )
    .bind(parcel_id)
    .bind(&points)
    .bind(&top)
    .bind(&bottom)
    .bind(&dates)
    .bind(&matrices)
    .execute(&mut *conn)
    .await?;
    let items = col(&|r| r.item.item_no.to_owned());
    let reported = col(&|r| r.analyte_as_reported.clone());
    let values: Vec<Option<f64>> = rows.iter().map(|r| r.value_mgkg).collect();
    let reported_values = col(&|r| r.reported_value.clone());
    let units = col(&|r| r.reported_unit.as_str().to_owned());
    let limits: Vec<Option<f64>> = rows.iter().map(|r| r.detection_limit_mgkg).collect();
    let below: Vec<bool> = rows.iter().map(|r| r.below_detection).collect();
    let labs: Vec<Option<String>> = rows.iter().map(|r| r.lab.clone()).collect();
    let methods: Vec<Option<String>> = rows.iter().map(|r| r.method.clone()).collect();
    let done = sqlx::query(
        "INSERT INTO results (sample_id, item_no, analyte_as_reported, value_mgkg, reported_value, reported_unit,
                              detection_limit_mgkg, below_detection, lab, method, import_id)
         SELECT s.id, t.item, t.rep, t.v, t.rv, t.u, t.dl, t.bd, t.lab, t.method, $16
           FROM unnest($2::text[], $3::float8[], $4::float8[], $5::date[], $6::text[], $7::text[], $8::text[],
                       $9::float8[], $10::text[], $11::text[], $12::float8[], $13::bool[], $14::text[], $15::text[])
                AS t (p, top, bottom, d, m, item, rep, v, rv, u, dl, bd, lab, method)
           JOIN sampling_points sp ON sp.parcel_id = $1 AND sp.point_id = t.p
           JOIN samples s ON s.point_id = sp.id AND s.depth_top_m = t.top AND s.depth_bottom_m = t.bottom
                         AND s.sampled_on = t.d AND s.matrix = t.m::sample_matrix
         ON CONFLICT ON CONSTRAINT results_key DO NOTHING",
    )
    .bind(parcel_id)
    .bind(&points)
    .bind(&top)
    .bind(&bottom)
    .bind(&dates)
    .bind(&matrices)
    .bind(&items)
    .bind(&reported)
    .bind(&values)
    .bind(&reported_values)
    .bind(&units)
    .bind(&limits)
    .bind(&below)
    .bind(&labs)
    .bind(&methods)
    .bind(import_id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected())
}

/// A stored soil result with where and when it was taken.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct StoredResult {
    pub id: i64,
    pub item_no: String,
    pub analyte_as_reported: String,
    pub value_mgkg: Option<f64>,
    pub detection_limit_mgkg: Option<f64>,
    pub below_detection: bool,
    pub reported_value: String,
    pub reported_unit: String,
    pub lab: Option<String>,
    pub method: Option<String>,
    pub point_id: String,
    pub lon: f64,
    pub lat: f64,
    pub depth_top_m: f64,
    pub depth_bottom_m: f64,
    pub sampled_on: Date,
    pub matrix: Matrix,
}

/// A parcel's results, soil only unless `all_matrices`.
pub async fn results(
    db: impl PgExecutor<'_>,
    parcel_id: i64,
    all_matrices: bool,
) -> Result<Vec<StoredResult>, sqlx::Error> {
    sqlx::query_as(
        "SELECT r.id, r.item_no, r.analyte_as_reported, r.value_mgkg, r.detection_limit_mgkg, r.below_detection,
                r.reported_value, r.reported_unit, r.lab, r.method, sp.point_id, ST_X(sp.geom) AS lon,
                ST_Y(sp.geom) AS lat, s.depth_top_m, s.depth_bottom_m, s.sampled_on, s.matrix
           FROM results r JOIN samples s ON s.id = r.sample_id JOIN sampling_points sp ON sp.id = s.point_id
          WHERE sp.parcel_id = $1 AND ($2 OR s.matrix = 'soil')
          ORDER BY sp.point_id, s.depth_top_m, r.item_no",
    )
    .bind(parcel_id)
    .bind(all_matrices)
    .fetch_all(db)
    .await
}

/// Configured background values by item number.
pub async fn background(db: impl PgExecutor<'_>) -> Result<HashMap<String, f64>, sqlx::Error> {
    let rows: Vec<(String, f64)> =
        sqlx::query_as("SELECT item_no, value_mgkg FROM background_values")
            .fetch_all(db)
            .await?;
    Ok(rows.into_iter().collect())
}

pub async fn set_background(
    db: impl PgExecutor<'_>,
    item_no: &str,
    value_mgkg: f64,
    source: &str,
    user: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO background_values (item_no, value_mgkg, source, updated_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (item_no) DO UPDATE SET value_mgkg = $2, source = $3, updated_by = $4, updated_at = now()",
    )
    .bind(item_no)
    .bind(value_mgkg)
    .bind(source)
    .bind(user)
    .execute(db)
    .await?;
    Ok(())
}

/// Why a parcel could not be screened.
#[derive(Debug, thiserror::Error)]
pub enum ScreeningError {
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    /// The embedded standard did not load: a fault of the build, not of the data.
    #[error("the GB 36600 table did not load: {0}")]
    Standard(String),
}

/// A parcel's stored results, screened against GB 36600 for `class`.
pub async fn screen_parcel(
    conn: &mut PgConnection,
    parcel_id: i64,
    class: Gb36600Class,
) -> Result<(Vec<StoredResult>, Screening), ScreeningError> {
    let standard = Gb36600::get().map_err(ScreeningError::Standard)?;
    let results = results(&mut *conn, parcel_id, false).await?;
    let background = background(&mut *conn).await?;
    let by_no: HashMap<&str, _> = standard.items().iter().map(|i| (i.item_no, i)).collect();
    let measured: Vec<Measured<'_>> = results
        .iter()
        .enumerate()
        .filter_map(|(key, r)| {
            by_no.get(r.item_no.as_str()).map(|item| Measured {
                key,
                item,
                value_mgkg: r.value_mgkg.or(r.detection_limit_mgkg).unwrap_or(0.0),
                below_detection: r.below_detection,
            })
        })
        .collect();
    let screening = screen(&measured, class, &background);
    Ok((results, screening))
}

/// A change of planned use moved the parcel to another GB 36600 class: when that changes
/// its screening verdict, an alert (`verdict_changed`) says so. Whoever changed the use —
/// an edit or an import — calls this in the same transaction.
pub async fn flag_class_change(
    conn: &mut PgConnection,
    parcel_id: i64,
    before: Gb36600Class,
    after: Gb36600Class,
) -> Result<(), ScreeningError> {
    if before == after {
        return Ok(());
    }
    let (_, old) = screen_parcel(conn, parcel_id, before).await?;
    let (_, new) = screen_parcel(conn, parcel_id, after).await?;
    if old.verdict != new.verdict {
        let message = format!(
            "planned use moved the parcel from GB 36600 class {} to class {}: screening verdict {:?} became {:?}",
            before.number(),
            after.number(),
            old.verdict,
            new.verdict
        );
        super::alerts::raise(&mut *conn, "verdict_changed", parcel_id, &message).await?;
    }
    Ok(())
}
