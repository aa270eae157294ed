//! HTTP: one module per resource; handlers parse, call the domain and db, shape the response.

mod csv_export;
mod documents;
mod enforcement;
mod enterprises;
mod events;
pub mod exports;
pub mod extract;
mod filings;
mod geography;
mod health;
mod html;
mod imports;
mod key_units;
mod ledgers;
mod me;
pub mod ogc;
mod parcels;
mod plan;
mod reviews;
mod sampling;
mod sites;
mod standards;
mod stats;
mod supply;
mod tiles;
mod web;

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
    pub tiles: Arc<crate::tiles::TileCache>,
    /// The imports this process runs, to cancel one.
    pub imports: Arc<crate::interchange::running::Running>,
}

/// Tile cache size: enough for a review meeting's working set, well inside the memory budget.
const TILE_CACHE_BYTES: usize = 64 * 1024 * 1024;

impl AppState {
    pub fn new(pool: PgPool, config: Config) -> Self {
        AppState {
            pool,
            config: Arc::new(config),
            tiles: Arc::new(crate::tiles::TileCache::new(TILE_CACHE_BYTES)),
            imports: Arc::default(),
        }
    }
}

/// The whole service.
pub fn router(state: AppState) -> Router {
    let limit = state.config.max_body_bytes;
    Router::new()
        .merge(health::router())
        .merge(geography::router())
        .merge(parcels::router())
        .merge(me::router())
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
        .merge(exports::router())
        .merge(imports::router())
        .merge(ledgers::router())
        .merge(plan::router())
        .merge(reviews::router())
        .merge(ogc::router())
        .merge(tiles::router())
        .merge(documents::router(state.config.max_document_bytes))
        .fallback(web::fallback)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            tiles::follow_writes,
        ))
        .layer(DefaultBodyLimit::max(limit))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
