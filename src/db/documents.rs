//! Documents, content-addressed by SHA-256 and stored once.

use sqlx::{PgConnection, PgExecutor};
use time::OffsetDateTime;

use crate::domain::document::DocumentId;

/// A document's metadata.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DocumentMeta {
    pub sha256: String,
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub uploaded_at: OffsetDateTime,
}

/// Stores the bytes unless the same bytes are already stored; `true` when new.
#[tracing::instrument(skip(conn, content))]
pub async fn store(
    conn: &mut PgConnection,
    id: &DocumentId,
    content_type: &str,
    filename: &str,
    content: &[u8],
    user: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO documents (sha256, content_type, size_bytes, filename, content, uploaded_by)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (sha256) DO NOTHING",
    )
    .bind(id.as_str())
    .bind(content_type)
    .bind(i64::try_from(content.len()).unwrap_or(i64::MAX))
    .bind(filename)
    .bind(content)
    .bind(user)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn meta(
    db: impl PgExecutor<'_>,
    id: &DocumentId,
) -> Result<Option<DocumentMeta>, sqlx::Error> {
    let row: Option<(String, String, String, i64, OffsetDateTime)> = sqlx::query_as(
        "SELECT sha256, filename, content_type, size_bytes, uploaded_at FROM documents WHERE sha256 = $1",
    )
    .bind(id.as_str())
    .fetch_optional(db)
    .await?;
    Ok(row.map(
        |(sha256, filename, content_type, size_bytes, uploaded_at)| DocumentMeta {
            sha256,
            filename,
            content_type,
            size_bytes,
            uploaded_at,
        },
    ))
}

pub async fn content(
    db: impl PgExecutor<'_>,
    id: &DocumentId,
) -> Result<Option<(DocumentMeta, Vec<u8>)>, sqlx::Error> {
    let row: Option<(String, String, String, i64, OffsetDateTime, Vec<u8>)> = sqlx::query_as(
        "SELECT sha256, filename, content_type, size_bytes, uploaded_at, content FROM documents WHERE sha256 = $1",
    )
    .bind(id.as_str())
    .fetch_optional(db)
    .await?;
    Ok(row.map(
        |(sha256, filename, content_type, size_bytes, uploaded_at, content)| {
            (
                DocumentMeta {
                    sha256,
                    filename,
                    content_type,
                    size_bytes,
                    uploaded_at,
                },
                content,
            )
        },
    ))
}

/// The ids among `ids` that are not stored.
pub async fn missing(db: impl PgExecutor<'_>, ids: &[String]) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT i FROM unnest($1::text[]) AS i WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.sha256 = i)",
    )
    .bind(ids)
    .fetch_all(db)
    .await
}
