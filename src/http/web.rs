//! The map front end, served from the built `web/dist`: every asset from soilreg
//! itself, no CDN. Unknown API paths keep the JSON error shape.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

use super::AppState;
use crate::error::ApiError;

/// Serves `web/dist` (the single-page app falls back to its `index.html`).
pub async fn fallback(State(state): State<AppState>, req: Request) -> Response {
    let path = req.uri().path();
    if ["/api/", "/ogc/", "/tiles/"]
        .iter()
        .any(|p| path.starts_with(p))
        || path == "/healthz"
    {
        return ApiError::not_found("no such resource").into_response();
    }
    let dir = &state.config.web_dir;
    let index = dir.join("index.html");
    if !index.exists() {
        return (
            StatusCode::NOT_FOUND,
            "the web front end is not built: run `make run` (or `npm ci && npm run build` in web/)",
        )
            .into_response();
    }
    let service = ServeDir::new(dir)
        .precompressed_gzip()
        .fallback(ServeFile::new(index));
    match service.oneshot(req).await {
        Ok(res) => res.map(Body::new),
        Err(e) => ApiError::internal(e).into_response(),
    }
}
