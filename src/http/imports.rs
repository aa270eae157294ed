//! `/api/imports`: upload a surveyor's file; the import runs as a job whose progress and
//! report the page at `/imports` polls. Options are form fields beside the `file` part.

use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use uuid::Uuid;

use super::extract::Actor;
use super::html::escape;
use super::AppState;
use crate::db;
use crate::db::import_jobs::Status;
use crate::domain::access::{Action, Role};
use crate::domain::document::clean_filename;
use crate::domain::import::mapping::{Choices, Member};
use crate::domain::ledgers::Ledger;
use crate::error::{ApiError, ApiResult};
use crate::gis::crs::Crs;
use crate::interchange::import::{self, Options, Progress, Register};
use crate::interchange::running::Cancel;
use crate::interchange::scratch::Scratch;

/// Largest upload: a district's parcels as a zipped Shapefile or a GeoPackage.
const MAX_UPLOAD: usize = 1024 * 1024 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/imports",
            get(list)
                .post(upload)
                .layer(DefaultBodyLimit::max(MAX_UPLOAD)),
        )
        .route("/api/imports/mappings", get(mappings))
        .route("/api/imports/{id}", get(job))
        .route("/api/imports/{id}/cancel", post(cancel))
        .route("/imports", get(page))
}

fn unprocessable(field: &str, code: &'static str, message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, message).with_field(field)
}

fn fraction(field: &str, v: &str) -> ApiResult<f64> {
    v.trim()
        .parse::<f64>()
        .ok()
        .filter(|f| (0.0..=1.0).contains(f))
        .ok_or_else(|| {
            unprocessable(
                field,
                "invalid_value",
                format!("{field} must be a fraction between 0 and 1"),
            )
        })
}

/// Parses one option field into the options.
fn option(opts: &mut Options, pairs: &mut Vec<String>, name: &str, v: String) -> ApiResult<()> {
    let v = v.trim().to_owned();
    match name {
        "layer" if !v.is_empty() => opts.layer = Some(v),
        "crs" if !v.is_empty() => {
            opts.crs = Some(Crs::parse(&v).ok_or_else(|| {
                unprocessable(
                    "crs",
                    "invalid_crs",
                    "crs must be EPSG:4490, 4326, 4526, 4527, 4547, 4548 or GCJ-02",
                )
            })?)
        }
        "encoding" if !v.is_empty() => opts.encoding = Some(v),
        "into" => {
            opts.register = match v.as_str() {
                "" | "parcels" => Register::Parcels,
                slug => Register::Ledger(Ledger::parse(slug).ok_or_else(|| {
                    unprocessable(
                        "into",
                        "invalid_value",
                        "into must be parcels or a ledger with a geometry (e.g. buried-tanks)",
                    )
                })?),
            }
        }
        "map" => pairs.extend(
            v.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned),
        ),
        "source" if !v.is_empty() => {
            if v.chars().count() > 200 {
                return Err(unprocessable(
                    "source",
                    "too_long",
                    "source is at most 200 characters",
                ));
            }
            opts.source = Some(v)
        }
        "mode" => {
            opts.mode = serde_json::from_value(Value::String(v)).map_err(|_| {
                unprocessable(
                    "mode",
                    "invalid_value",
                    "mode must be all_or_nothing, good_only or dry_run",
                )
            })?
        }
        "existing" => {
            opts.existing = serde_json::from_value(Value::String(v)).map_err(|_| {
                unprocessable(
                    "existing",
                    "invalid_value",
                    "existing must be refuse or update",
                )
            })?
        }
        "repair" => opts.repair = matches!(v.as_str(), "true" | "on" | "1" | "yes"),
        "overlap_tolerance" => opts.tolerances.overlap = fraction(name, &v)?,
        "area_tolerance" => opts.tolerances.area = fraction(name, &v)?,
        "outside_tolerance" => opts.tolerances.outside = fraction(name, &v)?,
        "layer" | "crs" | "encoding" | "source" => {}
        other => {
            return Err(unprocessable(
                other,
                "unknown_field",
                format!("unknown form field '{other}'"),
            ))
        }
    }
    Ok(())
}

/// `multipart/form-data`: a `file` part (a .zip of a Shapefile, .gpkg, .geojson or .csv)
/// and option fields. Answers 202 with the job; the import runs in the background.
async fn upload(
    State(state): State<AppState>,
    actor: Actor,
    mut form: Multipart,
) -> ApiResult<Response> {
    let multipart_err = |e: axum::extract::multipart::MultipartError| {
        ApiError::new(
            e.status(),
            "invalid_multipart",
            format!("the upload is not valid multipart: {}", e.body_text()),
        )
    };
    let scratch = Scratch::new().map_err(ApiError::internal)?;
    let mut opts = Options {
        user: Some(actor.0.id),
        ..Options::default()
    };
    let mut pairs = Vec::new();
    let mut file = None;
    while let Some(field) = form.next_field().await.map_err(multipart_err)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            let file_name = clean_filename(field.file_name().unwrap_or("upload"));
            if !crate::interchange::read::readable_name(&file_name) {
                return Err(ApiError::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "unsupported_file_type",
                    "upload a .zip of a Shapefile, a .gpkg, .geojson/.json, .csv, .xlsx, .kml/.kmz or a boundary-point exchange .txt",
                )
                .with_field("file"));
            }
            let bytes = field.bytes().await.map_err(multipart_err)?;
            if bytes.is_empty() {
                return Err(unprocessable("file", "empty_file", "the file is empty"));
            }
            let path = scratch.path().join(&file_name);
            tokio::fs::write(&path, &bytes)
                .await
                .map_err(ApiError::internal)?;
            file = Some((file_name, path));
        } else {
            let text = field.text().await.map_err(multipart_err)?;
            option(&mut opts, &mut pairs, &name, text)?;
        }
    }
    let (file_name, path) =
        file.ok_or_else(|| unprocessable("file", "required", "the form needs a 'file' part"))?;
    match opts.register {
        Register::Parcels => {
            actor.require(Action::EditRegister)?;
            // Checked here so that a bad choice is a 422, not a failed job.
            Choices::parse_pairs(pairs.iter().map(String::as_str))?;
        }
        Register::Ledger(l) => {
            actor.require(l.action())?;
            if let Some(e) = import::ledgers_are_not_updated(&opts) {
                return Err(e.into());
            }
        }
    }
    opts.map = pairs;
    let id = Uuid::new_v4();
    let progress = Arc::new(Progress::default());
    let limits = state.config.limits();
    let job_state = state.clone();
    let mut req = import::Request {
        path,
        file_name,
        opts,
        limits,
        gate: None,
        job: Some(id),
    };
    import::start_job(&state.pool, id, &req)
        .await
        .map_err(|e| ApiError::internal(e.to_string()))?;
    req.gate = Some(state.imports.gate(id));
    state.imports.spawn(id, async move {
        let _scratch = scratch;
        let result = import::run_started(&job_state.pool, id, &req, progress).await;
        if matches!(&result, Ok(r) if r.committed) {
            job_state.tiles.invalidate(req.opts.register.slug(), None);
        }
        if let Err(e) = result {
            tracing::info!(%id, error = %e, "import failed");
        }
    });
    let href = format!("/api/imports/{id}");
    let mut res = (
        StatusCode::ACCEPTED,
        Json(json!({"id": id, "href": href, "page": format!("/imports#{id}")})),
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(&href) {
        res.headers_mut().insert(axum::http::header::LOCATION, v);
    }
    Ok(res)
}

async fn job(State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    let id = Uuid::parse_str(&id).map_err(|_| ApiError::not_found("no such import"))?;
    db::import_jobs::job(&state.pool, id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found("no such import"))
}

async fn list(State(state): State<AppState>) -> ApiResult<Json<Value>> {
    Ok(Json(
        json!({"imports": db::import_jobs::jobs(&state.pool, 50).await?}),
    ))
}

/// `POST /api/imports/{id}/cancel`: stops a running import before it commits — nothing it
/// wrote stays — by the user who started it or an administrator. 409 when it has begun to
/// commit or has ended, or runs elsewhere (the command line, another server).
async fn cancel(
    State(state): State<AppState>,
    Path(id): Path<String>,
    actor: Actor,
) -> ApiResult<Json<Value>> {
    let id = Uuid::parse_str(&id).map_err(|_| ApiError::not_found("no such import"))?;
    let not_running = || {
        ApiError::conflict(
            "not_running",
            "the import is not running: it has ended (see its status)",
        )
    };
    let Some(owner) = db::import_jobs::running_job_owner(&state.pool, id).await? else {
        return match db::import_jobs::job(&state.pool, id).await? {
            Some(_) => Err(not_running()),
            None => Err(ApiError::not_found("no such import")),
        };
    };
    if owner != Some(actor.0.id) && actor.0.role != Role::Admin {
        return Err(ApiError::forbidden(
            "only the user who started an import, or an administrator, cancels it",
        ));
    }
    match state.imports.cancel(id).await {
        Cancel::Cancelled => {
            let why = format!("cancelled by {}: nothing was written", actor.0.name);
            db::import_jobs::finish_job(&state.pool, id, Status::Cancelled, None, Some(&why))
                .await?;
        }
        Cancel::TooLate => {
            return Err(ApiError::conflict(
                "committing",
                "the import has begun to commit: it can no longer be cancelled",
            ))
        }
        Cancel::NotHere => {
            return Err(ApiError::conflict(
                "not_here",
                "the import runs in another process (the command line or another server): stop it there",
            ))
        }
    }
    db::import_jobs::job(&state.pool, id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found("no such import"))
}

/// The mappings saved per source (`member: column`, or `null` for a member chosen to have
/// no column), for the page's choice of source.
async fn mappings(State(state): State<AppState>) -> ApiResult<Json<Value>> {
    Ok(Json(
        json!({"mappings": db::import_jobs::saved_mappings(&state.pool).await?}),
    ))
}

/// The upload page, its choice of registers filled in: built once, it never changes.
async fn page() -> Html<&'static str> {
    static PAGE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    Html(PAGE.get_or_init(page_html))
}

/// The upload page: a form, a progress bar polled from the job, and the report. What the
/// rows are — parcels or a ledger with a geometry — is chosen from the ledgers the service
/// has, named as their OGC collections are; each choice carries the members a column can
/// fill (with their Chinese names, for parcels), for the page's mapping chooser.
fn page_html() -> String {
    let option = |slug: &str, title: &str, members: Vec<(&str, &str)>| {
        let members = serde_json::to_string(&members).unwrap_or_default();
        format!(
            r#"<option value="{slug}" data-members="{}">{}</option>"#,
            escape(&members),
            escape(title)
        )
    };
    let mut options = option(
        "parcels",
        "地块 Parcels",
        Member::ALL.iter().map(|m| (m.key(), m.label())).collect(),
    );
    for l in Ledger::ALL {
        let title = crate::http::ogc::find(l.slug()).map_or(l.slug(), |c| c.title);
        options.push_str(&option(
            l.slug(),
            title,
            l.fields().iter().map(|f| (*f, "")).collect(),
        ));
    }
    include_str!("imports.html").replace("<!-- registers -->", &options)
}
