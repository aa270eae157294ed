//! Child records (append-only) and the flags they derive on their parent row.

use serde_json::Value;
use sqlx::types::Json;
use sqlx::{PgConnection, PgExecutor};
use time::Date;

use super::table;
use crate::domain::ledgers::rules::{self, ProduceResult};
use crate::domain::ledgers::{Ledger, NewRecord, RecordKind};

/// The table of a record kind, its parent column and its date column (constants).
fn layout(kind: RecordKind) -> (&'static str, &'static str, &'static str) {
    match kind {
        RecordKind::TankInspection => ("tank_inspections", "tank_id", "inspected_on"),
        RecordKind::WastePatrol => ("waste_patrols", "site_id", "patrolled_on"),
        RecordKind::ProduceTest => ("produce_tests", "plot_id", "harvested_on"),
    }
}

/// Locks a parent row, so that appends to it (and the flag they derive) are serialised.
#[tracing::instrument(skip(conn))]
pub async fn lock_parent(
    conn: &mut PgConnection,
    ledger: Ledger,
    id: i64,
) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar(&format!(
        "SELECT id FROM {} WHERE id = $1 FOR UPDATE",
        table(ledger)
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?;
    Ok(found.is_some())
}

/// Appends a record to a parent row; returns the record as JSON.
#[tracing::instrument(skip(conn, record))]
pub async fn append(
    conn: &mut PgConnection,
    parent: i64,
    record: &NewRecord,
    user: i64,
) -> Result<Value, sqlx::Error> {
    let q = match record {
        NewRecord::TankInspection(r) => sqlx::query_scalar(
            "WITH r AS (INSERT INTO tank_inspections
                            (tank_id, inspected_on, inspector, finding, passed, document, recorded_by)
                        VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *)
             SELECT to_jsonb(r) FROM r",
        )
        .bind(parent)
        .bind(r.inspected_on)
        .bind(&r.inspector)
        .bind(&r.finding)
        .bind(r.passed)
        .bind(r.document.as_ref().map(|d| d.as_str().to_owned()))
        .bind(user),
        NewRecord::WastePatrol(r) => sqlx::query_scalar(
            "WITH r AS (INSERT INTO waste_patrols
                            (site_id, patrolled_on, patroller, finding, issue_found, recorded_by)
                        VALUES ($1, $2, $3, $4, $5, $6) RETURNING *)
             SELECT to_jsonb(r) FROM r",
        )
        .bind(parent)
        .bind(r.patrolled_on)
        .bind(&r.patroller)
        .bind(&r.finding)
        .bind(r.issue_found)
        .bind(user),
        NewRecord::ProduceTest(r) => sqlx::query_scalar(
            "WITH r AS (INSERT INTO produce_tests
                            (plot_id, harvested_on, product, analyte, value_mgkg, limit_mgkg,
                             exceeds, recorded_by)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *)
             SELECT to_jsonb(r) FROM r",
        )
        .bind(parent)
        .bind(r.harvested_on)
        .bind(&r.product)
        .bind(&r.analyte)
        .bind(r.value_mgkg)
        .bind(r.limit_mgkg)
        .bind(r.exceeds())
        .bind(user),
    };
    let Json(v): Json<Value> = q.fetch_one(conn).await?;
    Ok(v)
}

/// A parent's records, by date then recording order.
#[tracing::instrument(skip(db))]
pub async fn list(
    db: impl PgExecutor<'_>,
    kind: RecordKind,
    parent: i64,
) -> Result<Vec<Value>, sqlx::Error> {
    let (table, parent_col, date_col) = layout(kind);
    let Json(records): Json<Vec<Value>> = sqlx::query_scalar(&format!(
        "SELECT coalesce(jsonb_agg(to_jsonb(r) ORDER BY r.{date_col}, r.id), '[]')
           FROM {table} r WHERE r.{parent_col} = $1"
    ))
    .bind(parent)
    .fetch_one(db)
    .await?;
    Ok(records)
}

/// Derives the parent's flag again from all its records, writing a new version of the
/// parent only when the flag changed. Returns whether it did.
#[tracing::instrument(skip(conn))]
pub async fn refresh_flag(
    conn: &mut PgConnection,
    kind: RecordKind,
    parent: i64,
    user: i64,
) -> Result<bool, sqlx::Error> {
    let (table, parent_col, date_col) = layout(kind);
    let changed = match kind {
        RecordKind::TankInspection | RecordKind::WastePatrol => {
            let (ledger_table, flag, bad) = match kind {
                RecordKind::TankInspection => {
                    ("buried_tanks", "last_inspection_failed", "NOT passed")
                }
                _ => ("waste_storage_sites", "issue_open", "issue_found"),
            };
            let checks: Vec<(Date, bool)> = sqlx::query_as(&format!(
                "SELECT {date_col}, {bad} FROM {table} WHERE {parent_col} = $1"
            ))
            .bind(parent)
            .fetch_all(&mut *conn)
            .await?;
            let flagged = rules::latest_is_bad(checks);
            sqlx::query(&format!(
                "UPDATE {ledger_table} SET {flag} = $2, version = version + 1,
                        updated_at = now(), updated_by = $3
                  WHERE id = $1 AND {flag} IS DISTINCT FROM $2"
            ))
            .bind(parent)
            .bind(flagged)
            .bind(user)
            .execute(&mut *conn)
            .await?
            .rows_affected()
        }
        RecordKind::ProduceTest => {
            let rows: Vec<(Date, String, String, f64, f64)> = sqlx::query_as(
                "SELECT harvested_on, product, analyte, value_mgkg, limit_mgkg
                   FROM produce_tests WHERE plot_id = $1",
            )
            .bind(parent)
            .fetch_all(&mut *conn)
            .await?;
            let tests: Vec<ProduceResult<'_>> = rows
                .iter()
                .map(|(on, product, analyte, value, limit)| ProduceResult {
                    harvested_on: *on,
                    product,
                    analyte,
                    value_mgkg: *value,
                    limit_mgkg: *limit,
                })
                .collect();
            let blocked = rules::blocked_products(&tests);
            sqlx::query(
                "UPDATE farmland_plots SET stop_direct_planting = $2, blocked_products = $3,
                        version = version + 1, updated_at = now(), updated_by = $4
                  WHERE id = $1
                    AND (stop_direct_planting, blocked_products) IS DISTINCT FROM ($2, $3)",
            )
            .bind(parent)
            .bind(!blocked.is_empty())
            .bind(Json(&blocked))
            .bind(user)
            .execute(&mut *conn)
            .await?
            .rows_affected()
        }
    };
    Ok(changed > 0)
}
