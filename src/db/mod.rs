//! SQL, one module per aggregate; functions take a pool, a connection or a transaction.

pub mod alerts;
pub mod documents;
pub mod enterprises;
pub mod events;
pub mod filings;
pub mod geometry;
pub mod import_jobs;
pub mod import_stage;
pub mod import_updates;
pub mod imports;
pub mod key_units;
pub mod ledgers;
pub mod parcels;
pub mod patches;
pub mod plan;
pub mod rules;
pub mod sample_import;
pub mod sampling;
pub mod sites;
pub mod users;

use std::time::Duration;

use sqlx::postgres::{PgPool, PgPoolOptions};

/// The migrations, embedded in the binary.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// A pool that fails fast while the database is away and recovers by itself when it returns.
pub async fn connect(url: &str, max_connections: u32) -> Result<PgPool, sqlx::Error> {
    PgPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(3))
        .test_before_acquire(true)
        .connect(url)
        .await
}

/// The PostGIS version, which proves both the connection and the extension.
pub async fn postgis_version(pool: &PgPool) -> Result<String, sqlx::Error> {
    sqlx::query_scalar("SELECT postgis_lib_version()")
        .fetch_one(pool)
        .await
}
