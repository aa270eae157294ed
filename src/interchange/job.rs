//! An import run as a job: its `imports` row, recorded as it starts, kept up to date with
//! its progress while it runs (the page polls it), and closed with its status and report.

use std::path::Path;
use std::sync::Arc;

use sha2::{Digest, Sha256};
use sqlx::PgPool;
use uuid::Uuid;

use super::import::{run, ImportError, Mode, Progress, Request};
use super::read::ReadError;
use crate::db::import_jobs::{self as jobs, Status};
use crate::domain::import::report::Report;

/// The SHA-256 of a file, hex.
pub fn sha256_of(path: &Path) -> std::io::Result<String> {
    let mut h = Sha256::new();
    let mut f = std::fs::File::open(path)?;
    std::io::copy(&mut f, &mut h)?;
    Ok(hex::encode(h.finalize()))
}

/// Runs an import and records it as a job (`imports` row) with its progress and report.
pub async fn run_job(
    pool: &PgPool,
    id: Uuid,
    req: &Request,
    progress: Arc<Progress>,
) -> Result<Report, ImportError> {
    start_job(pool, id, req).await?;
    run_started(pool, id, req, progress).await
}

/// Writes a job's progress (phase, done, total) to its row.
async fn record_progress(pool: &PgPool, id: Uuid, progress: &Progress) -> Result<(), sqlx::Error> {
    let (phase, done, total) = progress.snapshot();
    let total = i64::try_from(total).ok().filter(|t| *t > 0);
    let done = i64::try_from(done).unwrap_or(i64::MAX);
    jobs::progress(pool, id, phase, done, total).await
}

/// Records a job as started (its file's SHA-256, source and user).
pub async fn start_job(pool: &PgPool, id: Uuid, req: &Request) -> Result<(), ImportError> {
    let sha = sha256_of(&req.path).map_err(ReadError::Io)?;
    let opts = &req.opts;
    jobs::start_job(
        pool,
        id,
        &req.file_name,
        &sha,
        (opts.register.slug(), opts.source.as_deref()),
        opts.user,
    )
    .await?;
    Ok(())
}

/// Runs a job recorded by [`start_job`], keeping its progress and, at the end, its
/// status and report.
pub async fn run_started(
    pool: &PgPool,
    id: Uuid,
    req: &Request,
    progress: Arc<Progress>,
) -> Result<Report, ImportError> {
    // stopped when this ends, or is dropped (a cancelled job)
    let ticker = AbortOnDrop({
        let (pool, progress) = (pool.clone(), progress.clone());
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(std::time::Duration::from_millis(500));
            loop {
                tick.tick().await;
                let _ = record_progress(&pool, id, &progress).await;
            }
        })
    });
    let result = run(pool, req, &progress).await;
    drop(ticker);
    record_progress(pool, id, &progress).await?;
    match &result {
        Ok(report) => {
            let status = match (report.committed, req.opts.mode) {
                (true, _) => Status::Committed,
                (false, Mode::DryRun) => Status::DryRun,
                (false, _) => Status::Rejected,
            };
            let json = serde_json::to_value(report).ok();
            jobs::finish_job(pool, id, status, json.as_ref(), None).await?;
        }
        Err(e) => {
            let described = match e {
                ImportError::Unmapped { file, .. } => serde_json::to_value(file).ok(),
                _ => None,
            };
            let error = e.to_string();
            jobs::finish_job(pool, id, Status::Failed, described.as_ref(), Some(&error)).await?;
        }
    }
    result
}

/// A task aborted when this is dropped.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}
