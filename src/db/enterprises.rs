//! Enterprises, identified by their unified social credit code.

use serde_json::Value;
use sqlx::{PgConnection, PgExecutor};

use crate::domain::enterprise::EnterpriseInput;

/// An enterprise as a GeoJSON Feature (text), from the row alias `e`.
pub const FEATURE_SQL: &str = "json_build_object(
    'type', 'Feature', 'id', e.uscc,
    'geometry', ST_AsGeoJSON(e.location, 7, 0)::json,
    'properties', json_build_object(
        'uscc', e.uscc, 'name', e.name, 'industry', e.industry, 'address', e.address, 'status', e.status,
        'closed_on', e.closed_on, 'version', e.version, 'created_at', e.created_at, 'updated_at', e.updated_at,
        'key_unit_years', (SELECT coalesce(json_agg(k.year ORDER BY k.year), '[]') FROM key_unit_listings k
                            WHERE k.enterprise_id = e.id AND k.listed)))";

/// The location from binds `$5` (x) and `$6` (y), NULL when no coordinates are given.
const LOCATION_SQL: &str =
    "CASE WHEN $5::float8 IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint($5, $6), 4490) END";

/// Inserts an enterprise; a duplicate code fails on `enterprises_uscc_key`.
pub async fn insert(
    conn: &mut PgConnection,
    e: &EnterpriseInput,
    location: Option<(f64, f64)>,
    user: i64,
) -> Result<Value, sqlx::Error> {
    sqlx::query_scalar(&format!(
        "WITH e AS (
            INSERT INTO enterprises (uscc, name, industry, address, location, status, closed_on, updated_by)
            VALUES ($1, $2, $3, $4, {LOCATION_SQL}, $7, $8, $9)
            RETURNING *)
         SELECT {FEATURE_SQL} FROM e"
    ))
    .bind(e.uscc.as_str())
    .bind(&e.name)
    .bind(e.industry.code())
    .bind(&e.address)
    .bind(location.map(|l| l.0))
    .bind(location.map(|l| l.1))
    .bind(e.status)
    .bind(e.closed_on)
    .bind(user)
    .fetch_one(conn)
    .await
}

/// Replaces an enterprise's record and bumps its version.
pub async fn update(
    conn: &mut PgConnection,
    id: i64,
    e: &EnterpriseInput,
    location: Option<(f64, f64)>,
    user: i64,
) -> Result<Value, sqlx::Error> {
    sqlx::query_scalar(&format!(
        "WITH e AS (
            UPDATE enterprises SET name = $2, industry = $3, address = $4,
                   location = {LOCATION_SQL},
                   status = $7, closed_on = $8, updated_by = $9, version = version + 1, updated_at = now()
             WHERE id = $1 RETURNING *)
         SELECT {FEATURE_SQL} FROM e"
    ))
    .bind(id)
    .bind(&e.name)
    .bind(e.industry.code())
    .bind(&e.address)
    .bind(location.map(|l| l.0))
    .bind(location.map(|l| l.1))
    .bind(e.status)
    .bind(e.closed_on)
    .bind(user)
    .fetch_one(conn)
    .await
}

/// The feature, id and version of an enterprise by its code.
pub async fn by_uscc(
    db: impl PgExecutor<'_>,
    uscc: &str,
    lock: bool,
) -> Result<Option<(Value, i64, i32)>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {FEATURE_SQL}, e.id, e.version FROM enterprises e WHERE e.uscc = $1{}",
        if lock { " FOR UPDATE" } else { "" }
    ))
    .bind(uscc)
    .fetch_optional(db)
    .await
}

/// Enterprises as a FeatureCollection, optionally by status or text.
pub async fn list(
    db: impl PgExecutor<'_>,
    status: Option<&str>,
    q: Option<&str>,
) -> Result<Value, sqlx::Error> {
    sqlx::query_scalar(&format!(
        "SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(f ORDER BY name), '[]'))
           FROM (SELECT {FEATURE_SQL} AS f, e.name FROM enterprises e
                  WHERE ($1::enterprise_status IS NULL OR e.status = $1::enterprise_status)
                    AND ($2::text IS NULL OR e.name ILIKE '%' || $2 || '%' OR e.uscc = upper($2))
                  ORDER BY e.name LIMIT 5000) s"
    ))
    .bind(status)
    .bind(q)
    .fetch_one(db)
    .await
}
