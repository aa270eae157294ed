//! The yearly key-unit list, duties, and self-monitoring results.

use serde_json::Value;
use sqlx::{PgConnection, PgExecutor};
use time::Date;

use crate::domain::key_unit::DutyKind;

/// Puts a firm on (or off) a year's list; `true` when new.
pub async fn set_listing(
    conn: &mut PgConnection,
    enterprise_id: i64,
    year: i32,
    listed: bool,
    reason: &str,
    user: i64,
) -> Result<bool, sqlx::Error> {
    let inserted: bool = sqlx::query_scalar(
        "INSERT INTO key_unit_listings (enterprise_id, year, listed, reason, recorded_by) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (enterprise_id, year) DO UPDATE SET listed = $3, reason = $4, recorded_by = $5, recorded_at = now()
         RETURNING (xmax = 0)",
    )
    .bind(enterprise_id)
    .bind(year)
    .bind(listed)
    .bind(reason)
    .bind(user)
    .fetch_one(conn)
    .await?;
    Ok(inserted)
}

/// Whether the firm is on the year's list.
pub async fn is_listed(
    db: impl PgExecutor<'_>,
    enterprise_id: i64,
    year: i32,
) -> Result<bool, sqlx::Error> {
    let listed: Option<bool> = sqlx::query_scalar(
        "SELECT listed FROM key_unit_listings WHERE enterprise_id = $1 AND year = $2",
    )
    .bind(enterprise_id)
    .bind(year)
    .fetch_optional(db)
    .await?;
    Ok(listed == Some(true))
}

/// Sets a duty's due date, done date and evidence.
#[allow(clippy::too_many_arguments)]
pub async fn set_duty(
    conn: &mut PgConnection,
    enterprise_id: i64,
    year: i32,
    kind: DutyKind,
    due_on: Date,
    done_on: Option<Date>,
    evidence: Option<&str>,
    note: Option<&str>,
    user: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO key_unit_duties (enterprise_id, year, kind, due_on, done_on, evidence, note, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT ON CONSTRAINT key_unit_duties_key DO UPDATE
            SET due_on = $4, done_on = $5, evidence = $6, note = $7, updated_by = $8, updated_at = now()",
    )
    .bind(enterprise_id)
    .bind(year)
    .bind(kind)
    .bind(due_on)
    .bind(done_on)
    .bind(evidence)
    .bind(note)
    .bind(user)
    .execute(conn)
    .await?;
    Ok(())
}

/// The year's list with each firm's duties; `overdue_only` keeps firms behind on a duty.
pub async fn list(
    db: impl PgExecutor<'_>,
    year: i32,
    overdue_only: bool,
    today: Date,
) -> Result<Value, sqlx::Error> {
    sqlx::query_scalar(
        "WITH d AS (
            SELECT d.*, (d.done_on IS NULL AND d.due_on < $2) OR d.done_on > d.due_on AS overdue
              FROM key_unit_duties d WHERE d.year = $1)
         SELECT coalesce(json_agg(u ORDER BY u.name), '[]') FROM (
            SELECT e.uscc, e.name, e.industry, e.status, k.listed, k.reason,
                   ST_AsGeoJSON(e.location, 7, 0)::json AS location,
                   coalesce((SELECT json_agg(json_build_object('kind', d.kind, 'due_on', d.due_on, 'done_on', d.done_on,
                                                               'evidence', d.evidence, 'note', d.note, 'overdue', d.overdue)
                                             ORDER BY d.kind)
                               FROM d WHERE d.enterprise_id = e.id), '[]') AS duties,
                   EXISTS (SELECT 1 FROM d WHERE d.enterprise_id = e.id AND d.overdue) AS behind
              FROM key_unit_listings k JOIN enterprises e ON e.id = k.enterprise_id
             WHERE k.year = $1 AND (NOT $3 OR EXISTS (SELECT 1 FROM d WHERE d.enterprise_id = e.id AND d.overdue))) u",
    )
    .bind(year)
    .bind(today)
    .bind(overdue_only)
    .fetch_one(db)
    .await
}

/// Stores a self-monitoring result; returns the point's values of that item, oldest first.
pub async fn add_result(
    conn: &mut PgConnection,
    enterprise_id: i64,
    point_id: &str,
    sampled_on: Date,
    item_no: &str,
    value_mgkg: f64,
    user: i64,
) -> Result<Option<Vec<f64>>, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO self_monitoring_results (enterprise_id, point_id, sampled_on, item_no, value_mgkg, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT ON CONSTRAINT self_monitoring_key DO NOTHING",
    )
    .bind(enterprise_id)
    .bind(point_id)
    .bind(sampled_on)
    .bind(item_no)
    .bind(value_mgkg)
    .bind(user)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(None);
    }
    let series: Vec<f64> = sqlx::query_scalar(
        "SELECT value_mgkg FROM self_monitoring_results
          WHERE enterprise_id = $1 AND point_id = $2 AND item_no = $3 ORDER BY sampled_on, id",
    )
    .bind(enterprise_id)
    .bind(point_id)
    .bind(item_no)
    .fetch_all(conn)
    .await?;
    Ok(Some(series))
}

/// Raises an alert about an enterprise.
pub async fn raise(
    conn: &mut PgConnection,
    kind: &str,
    enterprise_id: i64,
    message: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO alerts (kind, enterprise_id, message) VALUES ($1, $2, $3)")
        .bind(kind)
        .bind(enterprise_id)
        .bind(message)
        .execute(conn)
        .await?;
    Ok(())
}
