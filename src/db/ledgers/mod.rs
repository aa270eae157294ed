//! The other ledgers (§3, §6–§11) in SQL. Every ledger table has the same bookkeeping
//! columns and a `geom`, so one set of queries serves all six; features are built as
//! GeoJSON by PostGIS and pass through as text.

mod columns;
pub mod records;

use serde_json::{Map, Value};
use sqlx::types::Json;
use sqlx::{PgConnection, PgExecutor, PgPool, Postgres, QueryBuilder};

use crate::domain::ledgers::{Entry, GeometryKind, Ledger, Shape};
use crate::domain::town::Town;
use crate::gis::extent::Extent;
use columns::{columns, geom_columns, push_geom_assignments, push_geom_values};

/// The table of a ledger (a constant, safe to format into SQL).
pub fn table(ledger: Ledger) -> &'static str {
    match ledger {
        Ledger::HeavyMetalFirms => "heavy_metal_firms",
        Ledger::BuriedTanks => "buried_tanks",
        Ledger::WasteStorageSites => "waste_storage_sites",
        Ledger::NewProjects => "new_projects",
        Ledger::FarmlandPlots => "farmland_plots",
        Ledger::UnusedLandPatrols => "unused_land_patrols",
    }
}

/// One row of alias `t` as a GeoJSON Feature (text): every column but `geom` is a property.
fn feature_sql(ledger: Ledger) -> String {
    let area = match ledger.geometry() {
        GeometryKind::Area => ", 'area_m2', round(t.area_m2::numeric, 2)",
        GeometryKind::Point => "",
    };
    format!(
        "json_build_object('type', 'Feature', 'id', t.id,
            'geometry', ST_AsGeoJSON(t.geom, 7, 0)::json,
            'properties', (to_jsonb(t) - 'geom')
                || jsonb_build_object('ledger', '{}'{area}))::text",
        ledger.slug()
    )
}

/// Filters of a ledger's list; `town` and `flagged` only where the ledger has them.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub bbox: Option<Extent>,
    pub town: Option<Town>,
    pub flagged: Option<bool>,
}

/// One page of features, keyset-paged by id.
#[derive(Debug)]
pub struct Page {
    pub features: Vec<String>,
    /// The id to continue after, when there are more.
    pub next_after: Option<i64>,
}

/// A page of a ledger after id `after` (exclusive), ordered by id.
#[tracing::instrument(skip(pool))]
pub async fn list(
    pool: &PgPool,
    ledger: Ledger,
    f: &ListFilter,
    after: Option<i64>,
    limit: i64,
) -> Result<Page, sqlx::Error> {
    let mut qb = QueryBuilder::new(format!(
        "SELECT t.id, {} FROM {} t WHERE TRUE",
        feature_sql(ledger),
        table(ledger)
    ));
    if let Some(b) = f.bbox {
        qb.push(" AND ST_Intersects(t.geom, ");
        crate::db::geometry::push_envelope(&mut qb, [b.min_x, b.min_y, b.max_x, b.max_y], 4490);
        qb.push(")");
    }
    if let (Some(town), true) = (f.town, ledger.has_town()) {
        qb.push(" AND t.town = ").push_bind(town.code());
    }
    if let (Some(flagged), Some(column)) = (f.flagged, ledger.flag()) {
        qb.push(format!(" AND t.{column} = ")).push_bind(flagged);
    }
    if let Some(a) = after {
        qb.push(" AND t.id > ").push_bind(a);
    }
    qb.push(" ORDER BY t.id LIMIT ").push_bind(limit + 1);
    let mut rows: Vec<(i64, String)> = qb.build_query_as().fetch_all(pool).await?;
    let more = usize::try_from(limit).is_ok_and(|l| rows.len() > l);
    let next_after = if more {
        rows.pop();
        rows.last().map(|r| r.0)
    } else {
        None
    };
    Ok(Page {
        features: rows.into_iter().map(|r| r.1).collect(),
        next_after,
    })
}

/// One row's Feature and version.
#[tracing::instrument(skip(db))]
pub async fn feature(
    db: impl PgExecutor<'_>,
    ledger: Ledger,
    id: i64,
) -> Result<Option<(String, i32)>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {}, t.version FROM {} t WHERE t.id = $1",
        feature_sql(ledger),
        table(ledger)
    ))
    .bind(id)
    .fetch_optional(db)
    .await
}

/// A row's stored members (without its geometry) and version, locked for the transaction.
#[derive(Debug)]
pub struct Current {
    pub props: Map<String, Value>,
    pub version: i32,
}

#[tracing::instrument(skip(conn))]
pub async fn lock(
    conn: &mut PgConnection,
    ledger: Ledger,
    id: i64,
) -> Result<Option<Current>, sqlx::Error> {
    let row: Option<(Json<Map<String, Value>>, i32)> = sqlx::query_as(&format!(
        "SELECT to_jsonb(t) - 'geom', t.version FROM {} t WHERE t.id = $1 FOR UPDATE",
        table(ledger)
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(Json(props), version)| Current { props, version }))
}

/// A written row: its id, Feature and version.
pub type Written = (i64, String, i32);

/// Inserts a row at version 1 (the trigger keeps it in `ledger_versions`).
#[tracing::instrument(skip_all, fields(ledger = entry.ledger().slug()))]
pub async fn insert(
    conn: &mut PgConnection,
    entry: &Entry,
    shape: &Shape,
    user: i64,
) -> Result<Written, sqlx::Error> {
    let ledger = entry.ledger();
    let cols = columns(entry);
    let names: Vec<&str> = cols.iter().map(|(n, _)| *n).collect();
    let mut qb = QueryBuilder::<Postgres>::new(format!(
        "WITH t AS (INSERT INTO {} ({}, {}, created_by, updated_by) VALUES (",
        table(ledger),
        names.join(", "),
        geom_columns(shape)
    ));
    for (_, col) in cols {
        col.push(&mut qb);
        qb.push(", ");
    }
    push_geom_values(&mut qb, shape);
    qb.push(", ")
        .push_bind(user)
        .push(", ")
        .push_bind(user)
        .push(format!(
            ") RETURNING *) SELECT t.id, {}, t.version FROM t",
            feature_sql(ledger)
        ));
    qb.build_query_as().fetch_one(conn).await
}

/// Writes a row's new attributes (and geometry, when given) as its next version.
#[tracing::instrument(skip_all, fields(ledger = entry.ledger().slug(), id))]
pub async fn update(
    conn: &mut PgConnection,
    id: i64,
    entry: &Entry,
    shape: Option<&Shape>,
    user: i64,
) -> Result<Written, sqlx::Error> {
    let ledger = entry.ledger();
    let mut qb = QueryBuilder::<Postgres>::new(format!("WITH t AS (UPDATE {} SET ", table(ledger)));
    for (name, col) in columns(entry) {
        qb.push(name).push(" = ");
        col.push(&mut qb);
        qb.push(", ");
    }
    if let Some(s) = shape {
        push_geom_assignments(&mut qb, s);
        qb.push(", ");
    }
    qb.push("version = version + 1, updated_at = now(), updated_by = ")
        .push_bind(user)
        .push(" WHERE id = ")
        .push_bind(id)
        .push(format!(
            " RETURNING *) SELECT t.id, {}, t.version FROM t",
            feature_sql(ledger)
        ));
    qb.build_query_as().fetch_one(conn).await
}

/// Every version of a row, oldest first (JSON text), or `None` when there is no such row.
#[tracing::instrument(skip(db))]
pub async fn history(
    db: impl PgExecutor<'_>,
    ledger: Ledger,
    id: i64,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT json_agg(json_build_object(
                    'version', v.version, 'valid_from', v.valid_from,
                    'properties', v.row || jsonb_build_object('ledger', $3::text),
                    'geometry', ST_AsGeoJSON(v.geom, 7, 0)::json) ORDER BY v.version)::text
           FROM ledger_versions v WHERE v.ledger = $1 AND v.row_id = $2",
    )
    .bind(table(ledger))
    .bind(id)
    .bind(ledger.slug())
    .fetch_one(db)
    .await
}
