//! Import jobs (the `imports` rows the web page polls) and the field mappings saved per source.

use serde_json::Value;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// The mapping a source saved for a register (`parcels` or a ledger's slug), as stored:
/// member → column, or `null` for a member chosen to have none.
pub async fn saved_mapping<T: serde::de::DeserializeOwned>(
    pool: &PgPool,
    source: &str,
    register: &str,
) -> Result<Option<T>, sqlx::Error> {
    let v: Option<Value> = sqlx::query_scalar(
        "SELECT mapping FROM import_mappings WHERE source = $1 AND register = $2",
    )
    .bind(source)
    .bind(register)
    .fetch_optional(pool)
    .await?;
    Ok(v.and_then(|v| serde_json::from_value(v).ok()))
}

/// Every saved mapping, the latest first: `[{source, into, mapping, updated_at}]`.
pub async fn saved_mappings(pool: &PgPool) -> Result<Value, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT coalesce(json_agg(json_build_object('source', source, 'into', register, 'mapping', mapping,
                                                    'updated_at', updated_at)
                                  ORDER BY updated_at DESC, source, register), '[]')
           FROM import_mappings",
    )
    .fetch_one(pool)
    .await
}

/// Saves a source's mapping for a register, over the one it had.
pub async fn save_mapping(
    conn: &mut PgConnection,
    (source, register): (&str, &str),
    mapping: &impl serde::Serialize,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO import_mappings (source, register, mapping) VALUES ($1, $2, $3)
         ON CONFLICT (source, register) DO UPDATE SET mapping = EXCLUDED.mapping, updated_at = now()",
    )
    .bind(source)
    .bind(register)
    .bind(sqlx::types::Json(mapping))
    .execute(conn)
    .await?;
    Ok(())
}

/// How a job ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type, serde::Serialize)]
#[sqlx(type_name = "import_status", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Running,
    Committed,
    Rejected,
    DryRun,
    Failed,
    /// Stopped by a person before it committed (migration 0019).
    Cancelled,
}

pub async fn start_job(
    pool: &PgPool,
    id: Uuid,
    file_name: &str,
    sha256: &str,
    (register, source): (&str, Option<&str>),
    user: Option<i64>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO imports (id, file_name, file_sha256, register, source, created_by)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(file_name)
    .bind(sha256)
    .bind(register)
    .bind(source)
    .bind(user)
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn progress(
    pool: &PgPool,
    id: Uuid,
    phase: &str,
    done: i64,
    total: Option<i64>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE imports SET phase = $2, done = $3, total = $4, heartbeat_at = now()
          WHERE id = $1 AND status = 'running'",
    )
    .bind(id)
    .bind(phase)
    .bind(done)
    .bind(total)
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn finish_job(
    pool: &PgPool,
    id: Uuid,
    status: Status,
    report: Option<&Value>,
    error: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE imports SET status = $2, report = $3, error = $4, finished_at = now(),
                heartbeat_at = now(), phase = 'done'
          WHERE id = $1",
    )
    .bind(id)
    .bind(status)
    .bind(report)
    .bind(error)
    .execute(pool)
    .await?;
    Ok(())
}

/// Who started a running job: `None` when the job is not running (or not there).
pub async fn running_job_owner(
    pool: &PgPool,
    id: Uuid,
) -> Result<Option<Option<i64>>, sqlx::Error> {
    sqlx::query_scalar("SELECT created_by FROM imports WHERE id = $1 AND status = 'running'")
        .bind(id)
        .fetch_optional(pool)
        .await
}

/// A job's status as shown: a running job whose heartbeat stopped (the process died)
/// shows as `interrupted` — its transaction was rolled back with it.
const STATUS_SQL: &str =
    "CASE WHEN status = 'running' AND heartbeat_at < now() - interval '60 seconds'
                               THEN 'interrupted' ELSE status::text END";

/// A job as the web page sees it.
pub async fn job(pool: &PgPool, id: Uuid) -> Result<Option<Value>, sqlx::Error> {
    sqlx::query_scalar(&format!(
        "SELECT jsonb_build_object('id', i.id, 'file', file_name, 'sha256', file_sha256,
                'into', register, 'source', source, 'status', {STATUS_SQL}, 'user', u.name,
                'phase', phase, 'done', done, 'total', total, 'error', error, 'report', report,
                'created_at', i.created_at, 'finished_at', finished_at)
           FROM imports i LEFT JOIN users u ON u.id = i.created_by WHERE i.id = $1"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await
}

/// The latest jobs, newest first (without their reports).
pub async fn jobs(pool: &PgPool, limit: i64) -> Result<Vec<Value>, sqlx::Error> {
    sqlx::query_scalar(&format!(
        "SELECT jsonb_build_object('id', i.id, 'file', file_name, 'into', register, 'source', source,
                'status', {STATUS_SQL}, 'user', u.name,
                'done', done, 'total', total, 'created_at', i.created_at, 'finished_at', finished_at,
                'counts', report -> 'counts')
           FROM imports i LEFT JOIN users u ON u.id = i.created_by
          ORDER BY i.created_at DESC LIMIT $1"
    ))
    .bind(limit)
    .fetch_all(pool)
    .await
}
