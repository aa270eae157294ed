//! `GET /healthz`: 200 with the database's state, 503 while it is unreachable.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

use super::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/healthz", get(healthz))
}

async fn healthz(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    match crate::db::postgis_version(&state.pool).await {
        Ok(postgis) => (
            StatusCode::OK,
            Json(json!({"status": "ok", "database": "up", "postgis": postgis})),
        ),
        Err(e) => {
            tracing::warn!(error = %e, "health check: database unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({"status": "unavailable", "database": "down"})),
            )
        }
    }
}
