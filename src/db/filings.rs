//! Filings (备案), their reviews, and the overdue check's alerts.

use serde::Serialize;
use sqlx::{PgConnection, PgExecutor, PgPool};
use time::{Date, OffsetDateTime};

use crate::domain::filing::{FilingKind, FilingStatus};

/// The one definition of an overdue filing, as SQL on a filing `f`: still open (not
/// accepted) and past its deadline on `$today`, the SQL of the day's date (a placeholder).
/// The filings list, the scheduled check and the parcels' `overdue_filing` queryable all
/// expand it, so they cannot disagree.
macro_rules! overdue_sql {
    ($today:literal) => {
        concat!("(f.status <> 'accepted' AND f.deadline < ", $today, ")")
    };
}
pub(crate) use overdue_sql;

/// A filing as the API shows it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Filing {
    pub id: i64,
    pub parcel: String,
    pub kind: FilingKind,
    pub submitter: String,
    pub received_on: Date,
    pub status: FilingStatus,
    pub reviewer: Option<String>,
    pub return_reason: Option<String>,
    pub deadline: Option<Date>,
    pub overdue: bool,
    pub overdue_since: Option<Date>,
    pub event_id: Option<i64>,
    pub documents: Vec<String>,
    pub version: i32,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

const SELECT: &str = concat!(
    "SELECT f.id, p.code AS parcel, f.kind, f.submitter, f.received_on, f.status, f.reviewer,
        f.return_reason, f.deadline, coalesce(",
    overdue_sql!("$1"),
    ", false) AS overdue,
        f.overdue_since, f.event_id,
        coalesce((SELECT array_agg(d.sha256 ORDER BY d.sha256) FROM filing_documents d WHERE d.filing_id = f.id), '{}') AS documents,
        f.version, f.created_at, f.updated_at
   FROM filings f JOIN parcels p ON p.id = f.parcel_id"
);

/// A new filing.
#[derive(Debug, Clone)]
pub struct NewFiling {
    pub parcel_id: i64,
    pub kind: FilingKind,
    pub submitter: String,
    pub received_on: Date,
    pub deadline: Option<Date>,
    pub reviewer: Option<String>,
    pub documents: Vec<String>,
}

#[tracing::instrument(skip(conn, f))]
pub async fn insert(
    conn: &mut PgConnection,
    f: &NewFiling,
    user: i64,
    today: Date,
) -> Result<Filing, sqlx::Error> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO filings (parcel_id, kind, submitter, received_on, deadline, reviewer, created_by, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
    )
    .bind(f.parcel_id)
    .bind(f.kind)
    .bind(&f.submitter)
    .bind(f.received_on)
    .bind(f.deadline)
    .bind(&f.reviewer)
    .bind(user)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query("INSERT INTO filing_documents (filing_id, sha256) SELECT $1, unnest($2::text[])")
        .bind(id)
        .bind(&f.documents)
        .execute(&mut *conn)
        .await?;
    review(conn, id, FilingStatus::Received, None, user).await?;
    get(conn, id, today, false)
        .await?
        .ok_or(sqlx::Error::RowNotFound)
}

/// One filing; `lock` holds it for the rest of the transaction.
pub async fn get(
    db: impl PgExecutor<'_>,
    id: i64,
    today: Date,
    lock: bool,
) -> Result<Option<Filing>, sqlx::Error> {
    let sql = format!(
        "{SELECT} WHERE f.id = $2{}",
        if lock { " FOR UPDATE OF f" } else { "" }
    );
    sqlx::query_as(&sql)
        .bind(today)
        .bind(id)
        .fetch_optional(db)
        .await
}

/// Filters of the filings list.
#[derive(Debug, Clone, Default)]
pub struct FilingFilter {
    pub status: Option<FilingStatus>,
    /// Open filings past their deadline.
    pub overdue: bool,
    pub parcel: Option<String>,
    pub kind: Option<FilingKind>,
}

pub async fn list(
    pool: &PgPool,
    f: &FilingFilter,
    today: Date,
) -> Result<Vec<Filing>, sqlx::Error> {
    let sql = format!(
        "{SELECT}
          WHERE ($2::filing_status IS NULL OR f.status = $2)
            AND (NOT $3 OR {overdue})
            AND ($4::text IS NULL OR p.code = $4)
            AND ($5::filing_kind IS NULL OR f.kind = $5)
          ORDER BY f.deadline NULLS LAST, f.id
          LIMIT 1000",
        overdue = overdue_sql!("$1")
    );
    sqlx::query_as(&sql)
        .bind(today)
        .bind(f.status)
        .bind(f.overdue)
        .bind(&f.parcel)
        .bind(f.kind)
        .fetch_all(pool)
        .await
}

/// Records a review step (status change) in the filing's trail.
async fn review(
    conn: &mut PgConnection,
    id: i64,
    status: FilingStatus,
    reason: Option<&str>,
    user: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO filing_reviews (filing_id, status, reason, recorded_by) VALUES ($1, $2, $3, $4)")
        .bind(id)
        .bind(status)
        .bind(reason)
        .bind(user)
        .execute(conn)
        .await?;
    Ok(())
}

/// Moves a filing to a new status (the caller checked the move is allowed).
#[allow(clippy::too_many_arguments)]
pub async fn set_status(
    conn: &mut PgConnection,
    id: i64,
    status: FilingStatus,
    reviewer: Option<&str>,
    reason: Option<&str>,
    event_id: Option<i64>,
    user: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE filings SET status = $2, reviewer = coalesce($3, reviewer),
                return_reason = CASE WHEN $2 = 'returned' THEN $4 ELSE return_reason END,
                event_id = coalesce($5, event_id), version = version + 1, updated_at = now(), updated_by = $6
          WHERE id = $1",
    )
    .bind(id)
    .bind(status)
    .bind(reviewer)
    .bind(reason)
    .bind(event_id)
    .bind(user)
    .execute(&mut *conn)
    .await?;
    review(conn, id, status, reason, user).await
}

/// The scheduled check: marks open filings past their deadline and raises one alert each.
/// Returns the number newly marked.
#[tracing::instrument(skip(pool))]
pub async fn mark_overdue(pool: &PgPool, today: Date) -> Result<u64, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let marked: Vec<(i64, i64, String, Date)> = sqlx::query_as(concat!(
        "UPDATE filings f SET overdue_since = $1
           FROM parcels p
          WHERE p.id = f.parcel_id AND ",
        overdue_sql!("$1"),
        " AND f.overdue_since IS NULL
          RETURNING f.id, f.parcel_id, p.code || ' ' || f.kind::text, f.deadline"
    ))
    .bind(today)
    .fetch_all(&mut *tx)
    .await?;
    for (id, parcel, what, deadline) in &marked {
        sqlx::query(
            "INSERT INTO alerts (kind, filing_id, parcel_id, message) VALUES ('filing_overdue', $1, $2, $3)
             ON CONFLICT ON CONSTRAINT alerts_once DO NOTHING",
        )
        .bind(id)
        .bind(parcel)
        .bind(format!("filing {what} was due on {deadline} and is not accepted"))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(marked.len() as u64)
}
