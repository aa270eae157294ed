//! `/api/documents`: reports and images, stored once by content, typed by their bytes.

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

use super::extract::Actor;
use super::AppState;
use crate::db;
use crate::domain::access::Action;
use crate::domain::document::{clean_filename, DocumentId, DocumentType};
use crate::error::{ApiError, ApiResult};

pub fn router(max_document_bytes: usize) -> Router<AppState> {
    Router::new()
        .route(
            "/api/documents",
            post(upload).layer(DefaultBodyLimit::max(max_document_bytes + 64 * 1024)),
        )
        .route("/api/documents/{id}", get(download))
        .route("/api/documents/{id}/meta", get(meta))
}

fn too_large(max: usize) -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "document_too_large",
        format!("a document may be at most {max} bytes"),
    )
    .with_field("file")
}

/// `multipart/form-data` with one `file` part. Anyone who may record an event may upload.
async fn upload(
    State(state): State<AppState>,
    actor: Actor,
    mut form: Multipart,
) -> ApiResult<(StatusCode, Json<Value>)> {
    if actor.require(Action::RecordSoilEvent).is_err() {
        actor.require(Action::RecordLandEvent)?;
    }
    let max = state.config.max_document_bytes;
    let multipart_err = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            too_large(max)
        } else {
            ApiError::bad_request(
                "invalid_multipart",
                format!("the upload is not valid multipart: {}", e.body_text()),
            )
        }
    };
    let mut file = None;
    while let Some(field) = form.next_field().await.map_err(multipart_err)? {
        if field.name() == Some("file") {
            let name = clean_filename(field.file_name().unwrap_or("document"));
            let bytes = field.bytes().await.map_err(multipart_err)?;
            file = Some((name, bytes));
        }
    }
    let (filename, bytes) = file.ok_or_else(|| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "required",
            "the form needs a 'file' part",
        )
        .with_field("file")
    })?;
    if bytes.is_empty() {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "empty_document",
            "the file is empty",
        )
        .with_field("file"));
    }
    if bytes.len() > max {
        return Err(too_large(max));
    }
    let kind = DocumentType::sniff(&bytes).ok_or_else(|| {
        ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_document_type",
            "the content is not a PDF, PNG, JPEG, TIFF or Office document (the type is read from the bytes, not the name)",
        )
        .with_field("file")
    })?;
    let id = DocumentId::of(&bytes);
    let mut conn = state.pool.acquire().await?;
    let created =
        db::documents::store(&mut conn, &id, kind.mime(), &filename, &bytes, actor.0.id).await?;
    let meta = db::documents::meta(&mut *conn, &id)
        .await?
        .ok_or_else(|| ApiError::internal("stored document vanished"))?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        Json(
            json!({"id": id.as_str(), "href": format!("/api/documents/{}", id.as_str()), "document": meta, "duplicate": !created}),
        ),
    ))
}

fn parse_id(id: &str) -> ApiResult<DocumentId> {
    DocumentId::parse(id).ok_or_else(|| ApiError::not_found("no such document"))
}

async fn meta(State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    let id = parse_id(&id)?;
    let meta = db::documents::meta(&state.pool, &id)
        .await?
        .ok_or_else(|| ApiError::not_found("no such document"))?;
    Ok(Json(json!(meta)))
}

/// RFC 5987 `filename*` so Chinese names survive, with an ASCII fallback.
fn disposition(filename: &str) -> String {
    let ascii: String = filename
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = filename
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

async fn download(State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<Response> {
    let id = parse_id(&id)?;
    let (meta, bytes) = db::documents::content(&state.pool, &id)
        .await?
        .ok_or_else(|| ApiError::not_found("no such document"))?;
    let mut res = Body::from(bytes).into_response();
    let h = res.headers_mut();
    let put = |v: String| HeaderValue::from_str(&v).map_err(ApiError::internal);
    h.insert(header::CONTENT_TYPE, put(meta.content_type.clone())?);
    h.insert(
        header::CONTENT_DISPOSITION,
        put(disposition(&meta.filename))?,
    );
    h.insert(header::ETAG, put(format!("\"{}\"", meta.sha256))?);
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=31536000, immutable"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    Ok(res)
}
