//! Imports in SQL: the checks only PostGIS can make on the staged rows (validity,
//! district, overlaps, existing codes, areas) and the set-based write. The staging tables
//! are in `import_stage`, jobs and saved mappings in `import_jobs`.

use std::collections::{HashMap, HashSet};

use sqlx::PgConnection;

pub use super::import_stage::{
    copy_into_stage, copy_text, create_stage, drop_stage, Stage, Staged,
};
use super::import_updates::known_in_register;
pub use super::import_updates::{update, ChangedMeanwhile, Existing, Updated};
use crate::domain::import::report::{Change, Problem, ProblemKind};

/// Tolerances, as fractions (0.01 = 1 %).
#[derive(Debug, Clone, Copy)]
pub struct Tolerances {
    /// Of a feature's area that may overlap a parcel (or another feature).
    pub overlap: f64,
    /// Between the stated and the computed area.
    pub area: f64,
    /// Of a feature's area that may lie outside the district.
    pub outside: f64,
}

impl Default for Tolerances {
    fn default() -> Self {
        Tolerances {
            overlap: 0.01,
            area: 0.01,
            outside: 0.01,
        }
    }
}

/// What the checks found: problems by feature, the features already in the register as
/// the file has them, those that update a parcel, and those repaired.
#[derive(Debug, Default)]
pub struct Findings {
    pub problems: HashMap<i32, Vec<Problem>>,
    pub unchanged: HashSet<i32>,
    pub updated: HashSet<i32>,
    /// What each update changes.
    pub changes: HashMap<i32, Vec<Change>>,
    pub repaired: HashSet<i32>,
}

impl Findings {
    pub(super) fn add(&mut self, idx: i32, p: Problem) {
        self.problems.entry(idx).or_default().push(p);
    }
}

/// A point of a staged feature `s`, for the report to say where — on its surface, or its
/// centroid when PostGIS finds it invalid (GEOS finds no surface point of those) — as
/// `a.at`, joined laterally.
pub(super) const AT: &str = "(SELECT CASE WHEN s.valid THEN ST_PointOnSurface(s.geom) ELSE ST_Centroid(s.geom) END AS at) a";

/// SQL: the staged row `row` has a boundary to write — its code is not in the register
/// with this boundary, nor refused (`import_known`). The checks of what would be written
/// (district, overlaps, area) weigh only these.
fn writes_boundary(row: &str) -> String {
    format!("NOT EXISTS (SELECT 1 FROM import_known k WHERE k.idx = {row}.idx)")
}

/// A problem found at a point (x, y in CGCS2000 degrees).
pub(super) fn at(p: Problem, x: Option<f64>, y: Option<f64>) -> Problem {
    Problem {
        location: x.zip(y).map(|(x, y)| [x, y]),
        ..p
    }
}

fn pct(x: f64) -> String {
    format!("{:.2} %", x * 100.0)
}

/// A feature and a point of it.
pub(super) type Located = (i32, Option<f64>, Option<f64>);
/// A feature with a code also found earlier in the file: its code, the earlier one, where.
type Duplicate = (i32, String, i32, Option<f64>, Option<f64>);
/// A feature overlapping another (a parcel's code, or a feature of the file): the share
/// of it overlapped, and a point of the overlap.
type Overlap<T> = (i32, T, f64, Option<f64>, Option<f64>);
/// A feature's stated and computed areas, and a point of it.
type Areas = (i32, f64, f64, Option<f64>, Option<f64>);
/// A feature, the share of it a check found, and a point of that share.
type Shared = (i32, f64, Option<f64>, Option<f64>);
/// A feature PostGIS finds invalid: reason, location, and what the repair would make.
type InvalidRow = (
    i32,
    Option<String>,
    Option<f64>,
    Option<f64>,
    Option<String>,
);

/// Runs every check on the staged rows. With `repair`, invalid polygons are replaced by
/// what `ST_MakeValid` makes of them (polygonal part only) and reported as repaired.
/// `pairs` are the features whose boxes meet (`gis::box_pairs`), the only ones that can
/// overlap each other. `existing` says what becomes of the features whose code is in the
/// register. `on_phase` is told the name of each check as it starts.
pub async fn check(
    conn: &mut PgConnection,
    stage: &Stage,
    tol: Tolerances,
    repair: bool,
    pairs: &crate::gis::box_pairs::Pairs,
    existing: Existing<'_>,
    mut on_phase: impl FnMut(&'static str),
) -> Result<Findings, sqlx::Error> {
    let mut f = Findings::default();

    on_phase("validity");
    // Row counts for the planner, which then splits the checks across parallel workers.
    sqlx::query(&stage.sql("ANALYZE import_stage"))
        .execute(&mut *conn)
        .await?;
    let invalid: Vec<InvalidRow> = sqlx::query_as(&stage.sql(
        "SELECT s.idx, d.reason, ST_X(d.location), ST_Y(d.location),
                    (SELECT ST_GeometryType(m) || ' of ' || ST_NumGeometries(m) || ' part(s), '
                            || round(ST_Area(m::geography)::numeric, 1) || ' m²'
                       FROM (SELECT ST_CollectionExtract(ST_MakeValid(s.geom), 3) AS m) r)
               FROM import_stage s, LATERAL ST_IsValidDetail(s.geom) d
              -- tested in the scan's filter too, where parallel workers run it: the
              -- planner would otherwise call the function above the gather, on one core
              WHERE NOT (ST_IsValidDetail(s.geom)).valid ORDER BY s.idx",
    ))
    .fetch_all(&mut *conn)
    .await?;
    for (idx, reason, x, y, made) in invalid {
        if repair && made.as_deref().is_some_and(|m| !m.contains(" 0 part")) {
            f.repaired.insert(idx);
            continue;
        }
        f.add(
            idx,
            Problem {
                location: x.zip(y).map(|(x, y)| [x, y]),
                repair: made.map(|m| format!("ST_MakeValid would make a {m}")),
                ..Problem::new(
                    ProblemKind::SelfIntersection,
                    reason.unwrap_or_else(|| "invalid geometry".into()),
                )
            },
        );
    }
    if !f.repaired.is_empty() {
        let ids: Vec<i32> = f.repaired.iter().copied().collect();
        sqlx::query(&stage.sql(
            "UPDATE import_stage SET geom = ST_Multi(ST_CollectionExtract(ST_MakeValid(geom), 3))
              WHERE idx = ANY($1)",
        ))
        .bind(&ids)
        .execute(&mut *conn)
        .await?;
    }
    let invalid: Vec<i32> = f.problems.keys().copied().collect();
    sqlx::query(&stage.sql("UPDATE import_stage SET valid = false WHERE idx = ANY($1)"))
        .bind(&invalid)
        .execute(&mut *conn)
        .await?;

    on_phase("towns");
    sqlx::query(&stage.sql(
        "UPDATE import_stage s SET town = (
            SELECT t.code FROM towns t
             WHERE t.boundary IS NOT NULL AND ST_Intersects(t.boundary, ST_PointOnSurface(s.geom))
             ORDER BY t.code LIMIT 1)
          WHERE s.town IS NULL AND s.valid",
    ))
    .execute(&mut *conn)
    .await?;
    let no_town: Vec<Located> = sqlx::query_as(&stage.sql(&format!(
        "SELECT s.idx, ST_X(a.at), ST_Y(a.at) FROM import_stage s, LATERAL {AT}
          WHERE s.town IS NULL AND s.valid"
    )))
    .fetch_all(&mut *conn)
    .await?;
    for (idx, x, y) in no_town {
        let p = Problem::new(
            ProblemKind::NoTown,
            "the file gives no town and the polygon lies in no town's boundary",
        );
        f.add(idx, at(p, x, y));
    }

    on_phase("codes");
    let dups: Vec<Duplicate> = sqlx::query_as(&stage.sql(&format!(
        "SELECT d.idx, d.code, d.first, ST_X(a.at), ST_Y(a.at) FROM (
            -- the window sorts codes alone; the boundaries are read for the repeats only
            SELECT idx, code, min(idx) OVER (PARTITION BY code) AS first FROM import_stage) d
          JOIN import_stage s ON s.idx = d.idx, LATERAL {AT}
          WHERE d.idx <> d.first ORDER BY d.idx"
    )))
    .fetch_all(&mut *conn)
    .await?;
    for (idx, code, first, x, y) in dups {
        let p = Problem::new(
            ProblemKind::DuplicateInFile,
            format!("code {code} is also feature {first} of this file"),
        );
        f.add(idx, at(p, x, y));
    }
    known_in_register(conn, stage, existing, &mut f).await?;

    on_phase("district");
    // with a point of the part outside
    let outside: Vec<Shared> = sqlx::query_as(&stage.sql(&format!(
        "SELECT s.idx, ST_Area(o.g) / ST_Area(s.geom), ST_X(ST_PointOnSurface(o.g)), ST_Y(ST_PointOnSurface(o.g))
           FROM import_stage s, district d, LATERAL (SELECT ST_Difference(s.geom, d.boundary) AS g) o
          -- ST_Covers with the district first: PostGIS prepares the repeated argument once
          WHERE s.valid AND NOT ST_Covers(d.boundary, s.geom) AND {}",
        writes_boundary("s")
    )))
    .fetch_all(&mut *conn)
    .await?;
    for (idx, share, x, y) in outside.into_iter().filter(|o| o.1 > tol.outside) {
        let p = Problem::new(
            ProblemKind::OutsideDistrict,
            format!("{} of the polygon lies outside the district", pct(share)),
        );
        f.add(idx, at(p, x, y));
    }

    on_phase("overlaps");
    sqlx::query(
        &stage.sql("INSERT INTO import_pairs SELECT * FROM unnest($1::integer[], $2::integer[])"),
    )
    .bind(&pairs.0)
    .bind(&pairs.1)
    .execute(&mut *conn)
    .await?;
    sqlx::query(&stage.sql("ANALYZE import_pairs"))
        .execute(&mut *conn)
        .await?;
    // each with a point of the overlap
    let overlaps: Vec<Overlap<String>> = sqlx::query_as(&stage.sql(&format!(
        "SELECT DISTINCT ON (s.idx) s.idx, p.code, ST_Area(i.g) / ST_Area(s.geom) AS share,
                ST_X(ST_PointOnSurface(i.g)), ST_Y(ST_PointOnSurface(i.g))
           FROM import_stage s JOIN parcels p
             ON s.geom && p.geom AND p.code <> s.code AND p.retired_at IS NULL,
                LATERAL (SELECT ST_Intersection(s.geom, p.geom) AS g) i
          -- interiors meet: intersecting and not merely touching, in one relate
          WHERE s.valid AND ST_Relate(s.geom, p.geom, 'T********') AND {}
            -- a boundary this import replaces: the file's new one is checked among the
            -- file's own features
            AND ($1 OR NOT EXISTS (SELECT 1 FROM import_updates u WHERE u.parcel_id = p.id AND u.new_geom))
          ORDER BY s.idx, share DESC",
        writes_boundary("s")
    )))
    .bind(existing.against_replaced)
    .fetch_all(&mut *conn)
    .await?;
    for (idx, code, share, x, y) in overlaps.into_iter().filter(|o| o.2 > tol.overlap) {
        let p = Problem::new(
            ProblemKind::OverlapsRegister,
            format!("{} of the polygon overlaps parcel {code}", pct(share)),
        );
        f.add(idx, at(p, x, y));
    }
    let within: Vec<Overlap<i32>> = sqlx::query_as(&stage.sql(&format!(
        "SELECT DISTINCT ON (b.idx) b.idx, a.idx, ST_Area(i.g) / ST_Area(b.geom) AS share,
                ST_X(ST_PointOnSurface(i.g)), ST_Y(ST_PointOnSurface(i.g))
           FROM import_pairs p
           JOIN import_stage a ON a.idx = p.a JOIN import_stage b ON b.idx = p.b,
                LATERAL (SELECT ST_Intersection(a.geom, b.geom) AS g) i
          WHERE a.valid AND b.valid AND ST_Relate(a.geom, b.geom, 'T********') AND {}
          ORDER BY b.idx, share DESC",
        writes_boundary("b")
    )))
    .fetch_all(&mut *conn)
    .await?;
    for (idx, other, share, x, y) in within.into_iter().filter(|o| o.2 > tol.overlap) {
        let p = Problem::new(
            ProblemKind::OverlapsFile,
            format!(
                "{} of the polygon overlaps feature {other} of this file",
                pct(share)
            ),
        );
        f.add(idx, at(p, x, y));
    }

    on_phase("areas");
    // only the features whose areas differ, each with a point of it
    let areas: Vec<Areas> =
        sqlx::query_as(&stage.sql(&format!(
            "SELECT s.idx, s.stated_area, s.area, ST_X(a.at), ST_Y(a.at) FROM import_stage s, LATERAL {AT}
              WHERE s.stated_area IS NOT NULL AND s.valid AND abs(s.stated_area - s.area) > $1 * s.area
                AND {}",
            writes_boundary("s")
        )))
        .bind(tol.area)
        .fetch_all(&mut *conn)
        .await?;
    for (idx, stated, computed, x, y) in areas {
        let diff = (stated - computed).abs() / computed;
        let p = Problem::new(
            ProblemKind::AreaMismatch,
            format!(
                "the file states {stated:.1} m² but the polygon measures {computed:.1} m² ({} apart)",
                pct(diff)
            ),
        );
        f.add(idx, at(p, x, y));
    }
    Ok(f)
}

/// Marks the staged rows not to be written (rejected or unchanged).
pub async fn skip(conn: &mut PgConnection, stage: &Stage, rows: &[i32]) -> Result<(), sqlx::Error> {
    sqlx::query(&stage.sql("UPDATE import_stage SET ok = false WHERE idx = ANY($1)"))
        .bind(rows)
        .execute(conn)
        .await?;
    Ok(())
}

/// Inserts the staged rows that are neither rejected, unchanged nor updates, in one statement,
/// as written by `user` through import `job`;
/// returns how many. Its progress can be watched from another connection through
/// [`parcel_ids_drawn`].
pub async fn write(
    conn: &mut PgConnection,
    stage: &Stage,
    (user, job): (Option<i64>, Option<uuid::Uuid>),
) -> Result<u64, sqlx::Error> {
    // A parcel's history starts with its first change (migration 0014): the insert is all.
    let done = sqlx::query(&stage.sql(
        "INSERT INTO parcels (code, name, town, address, current_use, planned_use, gb36600_class,
                              land_right, right_holder, responsible_party, risk, geom, area_m2,
                              updated_by, land_right_initial, updated_via)
         SELECT code, name, town, address, current_use, planned_use, gb36600_class,
                land_right, right_holder, responsible_party, risk, geom, area,
                $1, land_right, $2
           FROM import_stage s
          WHERE ok AND NOT EXISTS (SELECT 1 FROM import_updates u WHERE u.idx = s.idx)
          ORDER BY idx",
    ))
    .bind(user)
    .bind(job)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected())
}

/// How many ids the parcels' sequence has handed out. A sequence is not transactional, so
/// another connection sees an import's `INSERT` draw one id per row while it runs: the
/// write's progress, at no cost to it (cutting the write into statements to count them
/// cost 10–15 % of a district-wide write, the low-zoom cell counts being updated once per
/// statement).
pub async fn parcel_ids_drawn<'e>(conn: impl sqlx::PgExecutor<'e>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT last_value - CASE WHEN is_called THEN 0 ELSE 1 END FROM parcels_id_seq",
    )
    .fetch_one(conn)
    .await
}

/// Whether a ledger row just inserted repeats an older one: the same members and the same
/// geometry (bookkeeping aside).
pub async fn ledger_row_repeats(
    conn: &mut PgConnection,
    ledger: crate::domain::ledgers::Ledger,
    id: i64,
) -> Result<bool, sqlx::Error> {
    let t = crate::db::ledgers::table(ledger);
    let strip =
        "- 'id' - 'version' - 'created_at' - 'created_by' - 'updated_at' - 'updated_by' - 'geom'";
    sqlx::query_scalar(&format!(
        "SELECT EXISTS (SELECT 1 FROM {t} n JOIN {t} o ON o.id <> n.id AND ST_OrderingEquals(o.geom, n.geom)
          WHERE n.id = $1 AND (to_jsonb(o) {strip}) = (to_jsonb(n) {strip}))"
    ))
    .bind(id)
    .fetch_one(conn)
    .await
}
