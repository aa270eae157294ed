//! Users and their API tokens (stored as SHA-256 digests).

use sha2::{Digest, Sha256};
use sqlx::PgExecutor;

use crate::domain::access::{Department, Role};

/// A user as the HTTP layer sees it.
#[derive(Debug, Clone)]
pub struct User {
    pub id: i64,
    pub name: String,
    pub department: Department,
    pub role: Role,
}

pub fn token_digest(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// A fresh random token: `sr_` and 64 hex digits.
pub fn new_token() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    format!("sr_{}", hex::encode(bytes))
}

/// Creates a user with the given token (its digest is stored). Fails on a duplicate name.
#[tracing::instrument(skip(conn, token))]
pub async fn create(
    conn: &mut sqlx::PgConnection,
    name: &str,
    department: Department,
    role: Role,
    token: &str,
) -> Result<i64, sqlx::Error> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO users (name, department, role) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(name)
    .bind(department.code())
    .bind(role)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query("INSERT INTO api_tokens (user_id, token_hash) VALUES ($1, $2)")
        .bind(id)
        .bind(token_digest(token))
        .execute(&mut *conn)
        .await?;
    Ok(id)
}

/// The user holding an unrevoked token.
#[tracing::instrument(skip_all)]
pub async fn by_token(db: impl PgExecutor<'_>, token: &str) -> Result<Option<User>, sqlx::Error> {
    let row: Option<(i64, String, String, Role)> = sqlx::query_as(
        "SELECT u.id, u.name, u.department, u.role
           FROM api_tokens t JOIN users u ON u.id = t.user_id
          WHERE t.token_hash = $1 AND t.revoked_at IS NULL",
    )
    .bind(token_digest(token))
    .fetch_optional(db)
    .await?;
    Ok(row.and_then(|(id, name, department, role)| {
        Some(User {
            id,
            name,
            department: Department::parse(&department)?,
            role,
        })
    }))
}

/// A user's id by name (the command line names who an import is recorded as).
pub async fn id_by_name(db: impl PgExecutor<'_>, name: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM users WHERE name = $1")
        .bind(name)
        .fetch_optional(db)
        .await
}
