//! soilreg: a registry, with a map, of a district's construction-land parcels and contaminated sites.

pub mod bulk;
pub mod clock;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod error;
pub mod gis;
pub mod http;
pub mod interchange;
pub mod pg;
pub mod tiles;

use std::future::Future;

use anyhow::{Context, Result};
use tokio::net::TcpListener;

pub use http::{router, AppState};

use config::Config;
use pg::Cluster;

/// Serves the router on a bound listener until `shutdown` resolves.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
}

/// The database to use: `DATABASE_URL`, or the embedded cluster (started if needed).
/// The returned cluster, if any, stops the server when dropped if it started it.
pub async fn database(config: &Config) -> Result<(String, Option<Cluster>)> {
    if let Some(url) = &config.database_url {
        return Ok((url.clone(), None));
    }
    let (dir, bin, port) = (config.pg_dir.clone(), config.pg_bin.clone(), config.pg_port);
    let cluster = tokio::task::spawn_blocking(move || Cluster::ensure(&dir, &bin, port))
        .await?
        .context("starting the embedded PostgreSQL cluster")?;
    pg::create_database(&cluster.admin_url()).await?;
    Ok((cluster.url(), Some(cluster)))
}

/// The scheduled checks, every `interval` (and once at start): overdue filings become alerts.
pub fn spawn_checks(
    pool: sqlx::PgPool,
    interval: std::time::Duration,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(interval);
        loop {
            tick.tick().await;
            match db::filings::mark_overdue(&pool, clock::today()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(n, "filings newly overdue"),
                Err(e) => tracing::warn!(error = %e, "overdue check failed"),
            }
        }
    })
}

/// Connects and runs the embedded migrations.
pub async fn connect_and_migrate(url: &str, pool_size: u32) -> Result<sqlx::PgPool> {
    let pool = db::connect(url, pool_size)
        .await
        .context("connecting to PostgreSQL")?;
    db::MIGRATOR
        .run(&pool)
        .await
        .context("running migrations")?;
    Ok(pool)
}
