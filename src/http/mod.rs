//! HTTP: one module per resource; handlers parse, call the domain and db, shape the response.

mod documents;
mod enforcement;
mod enterprises;
mod events;
pub mod extract;
mod filings;
mod health;
mod key_units;
mod ledgers;
mod parcels;
mod plan;
mod sampling;
mod sites;
mod standards;
mod stats;
mod supply;

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::Router;
use sqlx::PgPool;
use tower_http::trace::TraceLayer;

use crate::config::Config;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
    pub config: Arc<Config>,
}

/// The whole service.
pub fn router(state: AppState) -> Router {
    let limit = state.config.max_body_bytes;
    Router::new()
        .merge(health::router())
        .merge(parcels::router())
        .merge(events::router())
        .merge(enterprises::router())
        .merge(sampling::router())
        .merge(sites::router())
        .merge(key_units::router())
        .merge(standards::router())
        .merge(supply::router())
        .merge(enforcement::router())
        .merge(stats::router())
        .merge(filings::router())
        .merge(ledgers::router())
        .merge(plan::router())
        .merge(documents::router(state.config.max_document_bytes))
        .fallback(|| async { crate::error::ApiError::not_found("no such resource") })
        .layer(DefaultBodyLimit::max(limit))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
