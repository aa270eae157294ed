//! Alerts raised by checks: overdue filings, screening verdicts that changed.

use serde::Serialize;
use sqlx::{PgExecutor, PgPool};
use time::OffsetDateTime;

/// Raises an alert about a parcel (not tied to a filing).
pub async fn raise(
    db: impl PgExecutor<'_>,
    kind: &str,
    parcel_id: i64,
    message: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO alerts (kind, parcel_id, message) VALUES ($1, $2, $3)")
        .bind(kind)
        .bind(parcel_id)
        .bind(message)
        .execute(db)
        .await?;
    Ok(())
}

/// An alert raised by a scheduled check.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Alert {
    pub id: i64,
    pub kind: String,
    pub filing_id: Option<i64>,
    pub parcel: Option<String>,
    pub message: String,
    #[serde(with = "time::serde::rfc3339")]
    pub raised_at: OffsetDateTime,
}

pub async fn alerts(pool: &PgPool) -> Result<Vec<Alert>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.id, a.kind, a.filing_id, p.code AS parcel, a.message, a.raised_at
           FROM alerts a LEFT JOIN parcels p ON p.id = a.parcel_id ORDER BY a.id DESC LIMIT 1000",
    )
    .fetch_all(pool)
    .await
}
