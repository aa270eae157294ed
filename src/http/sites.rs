//! `/api/closed-sites`: former sites of closed firms, their risk screening and the screening ledger.

use axum::extract::{Path, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

use super::extract::{Actor, JsonBody, Params};
use super::AppState;
use crate::clock;
use crate::db;
use crate::db::events::NewEvent;
use crate::domain::access::Action;
use crate::domain::closed_site::{LedgerEntryInput, SiteInput};
use crate::domain::enterprise::{EnterpriseStatus, IndustryCode};
use crate::domain::lifecycle::{Event, Stage};
use crate::domain::parcel::FieldError;
use crate::domain::site_risk::{assess, RiskLevel, Rules, SiteFacts};
use crate::error::{ApiError, ApiResult};
use crate::gis::crs::{Crs, ToCgcs2000};
use crate::gis::geometry::parse_boundary;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/closed-sites", get(list).post(create))
        .route("/api/closed-sites/scoring-rules", get(rules).put(set_rules))
        .route("/api/closed-sites/export.csv", get(export_csv))
        .route("/api/closed-sites/export.xlsx", get(export_xlsx))
        .route("/api/closed-sites/{id}", get(show))
        .route("/api/closed-sites/{id}/parcels", post(link_parcel))
        .route("/api/closed-sites/{id}/ledger", get(ledger).post(add_entry))
        .route("/api/parcels/{code}/ledgers", get(parcel_ledgers))
}

fn site_id(id: &str) -> ApiResult<i64> {
    id.parse().map_err(|_| ApiError::not_found("no such site"))
}

fn object(body: &Value) -> ApiResult<&serde_json::Map<String, Value>> {
    body.as_object()
        .ok_or_else(|| FieldError::new("", "invalid_body", "the body must be a JSON object").into())
}

/// Registers a site: the firm must be closed or relocated; the risk is assessed by the current rules.
async fn create(
    State(state): State<AppState>,
    actor: Actor,
    JsonBody(body): JsonBody,
) -> ApiResult<(StatusCode, Json<Value>)> {
    actor.require(Action::KeepScreeningLedger)?;
    let m = object(&body)?;
    let input = SiteInput::parse(m, clock::today())?;
    let footprint = {
        let t = ToCgcs2000::new(Crs::Cgcs2000).map_err(ApiError::internal)?;
        let g = m.get("footprint").ok_or_else(|| {
            FieldError::new("footprint", "required", "the site's footprint is required")
        })?;
        parse_boundary(g, &t, &state.config.limits()).map_err(|mut e| {
            e.field = "footprint".into();
            e
        })?
    };
    let mut tx = state.pool.begin().await?;
    let row: Option<(i64, String, EnterpriseStatus)> =
        sqlx::query_as("SELECT id, industry, status FROM enterprises WHERE uscc = $1")
            .bind(input.enterprise.as_str())
            .fetch_optional(&mut *tx)
            .await?;
    let (enterprise_id, industry, status) = row.ok_or_else(|| {
        FieldError::new(
            "enterprise",
            "unknown_enterprise",
            "no enterprise with this credit code",
        )
    })?;
    if !status.leaves_former_site() {
        return Err(FieldError::new(
            "enterprise",
            "still_operating",
            "the firm is still operating: it has no former site",
        )
        .into());
    }
    if let Some(inv) = db::geometry::invalidity(&mut tx, &footprint.to_geojson()).await? {
        return Err(FieldError::new("footprint", "invalid_geometry", inv.reason).into());
    }
    let rules = db::sites::current_rules(&mut tx).await?;
    let facts = SiteFacts {
        industry: IndustryCode::parse(&industry)
            .ok_or_else(|| ApiError::internal("stored industry code"))?,
        years_operating: u32::try_from(input.years_operating).unwrap_or(0),
        hazardous_substances: input.hazardous_substances.clone(),
        incidents: u32::try_from(input.incidents).unwrap_or(0),
    };
    let assessment = assess(&facts, &rules);
    let id = db::sites::insert(
        &mut tx,
        enterprise_id,
        &input,
        &footprint.to_geojson(),
        &assessment,
        actor.0.id,
    )
    .await?;
    let candidates = db::sites::candidates(&mut *tx, id).await?;
    let site = db::sites::feature(&mut *tx, id)
        .await?
        .ok_or_else(|| ApiError::internal("site vanished"))?;
    tx.commit().await?;
    let candidates: Vec<Value> = candidates
        .iter()
        .map(|(code, _, overlap)| json!({"code": code, "overlap_m2": overlap}))
        .collect();
    Ok((
        StatusCode::CREATED,
        Json(json!({"site": site, "assessment": assessment, "candidate_parcels": candidates})),
    ))
}

async fn list(State(state): State<AppState>, uri: Uri) -> ApiResult<Response> {
    let params = Params::from_uri(&uri, &["year", "level"])?;
    let year = params.parse("year", |s| s.parse::<i32>().ok())?;
    let level = params.parse("level", |s| {
        serde_json::from_value::<RiskLevel>(json!(s)).ok()
    })?;
    let fc = db::sites::list(&state.pool, year, level).await?;
    Ok(([(CONTENT_TYPE, "application/geo+json")], Json(fc)).into_response())
}

async fn show(State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    let id = site_id(&id)?;
    let site = db::sites::feature(&state.pool, id)
        .await?
        .ok_or_else(|| ApiError::not_found("no such site"))?;
    let candidates: Vec<Value> = db::sites::candidates(&state.pool, id)
        .await?
        .iter()
        .map(|(code, _, overlap)| json!({"code": code, "overlap_m2": overlap}))
        .collect();
    Ok(Json(json!({"site": site, "candidate_parcels": candidates})))
}

/// An officer confirms a parcel the site lies on. For a high-risk site the parcel
/// goes on the suspected path (a `suspicion_raised` event) in the same transaction.
async fn link_parcel(
    State(state): State<AppState>,
    Path(id): Path<String>,
    actor: Actor,
    JsonBody(body): JsonBody,
) -> ApiResult<(StatusCode, Json<Value>)> {
    actor.require(Action::KeepScreeningLedger)?;
    let id = site_id(&id)?;
    let code = body
        .get("parcel")
        .and_then(Value::as_str)
        .ok_or_else(|| FieldError::new("parcel", "required", "the parcel's code is required"))?;
    let mut tx = state.pool.begin().await?;
    let (level, name): (RiskLevel, String) =
        sqlx::query_as("SELECT risk_level, name FROM closed_sites WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| ApiError::not_found("no such site"))?;
    let parcel = db::parcels::lock(&mut tx, code).await?.ok_or_else(|| {
        FieldError::new(
            "parcel",
            "unknown_parcel",
            format!("no parcel with code {code}"),
        )
    })?;
    let overlap = db::sites::candidates(&mut *tx, id)
        .await?
        .into_iter()
        .find(|(_, pid, area)| *pid == parcel.id && *area > 0.0)
        .map(|(_, _, area)| area)
        .ok_or_else(|| {
            FieldError::new(
                "parcel",
                "no_overlap",
                format!("the site does not overlap parcel {code}"),
            )
        })?;
    let linked = db::sites::link(&mut tx, id, parcel.id, overlap, actor.0.id).await?;
    let stage: Stage = sqlx::query_scalar("SELECT stage FROM parcels WHERE id = $1")
        .bind(parcel.id)
        .fetch_one(&mut *tx)
        .await?;
    let mut suspicion = None;
    if linked && level == RiskLevel::High && matches!(stage, Stage::Unknown) {
        let today = clock::today();
        let new = NewEvent {
            event: Event::parse(
                "suspicion_raised",
                &json!({"reason": format!("高风险关停企业原址：{name}")}),
                today,
            )
            .map_err(|e| ApiError::internal(e.message))?,
            occurred_on: today,
            note: Some(format!("closed-factory site #{id}")),
            documents: vec![],
        };
        suspicion = Some(
            super::events::append_checked(&mut tx, &parcel, &new, &actor)
                .await?
                .appended
                .id,
        );
    }
    tx.commit().await?;
    let status = if linked {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        Json(
            json!({"site": id, "parcel": code, "overlap_m2": overlap, "suspicion_event": suspicion}),
        ),
    ))
}

async fn add_entry(
    State(state): State<AppState>,
    Path(id): Path<String>,
    actor: Actor,
    JsonBody(body): JsonBody,
) -> ApiResult<(StatusCode, Json<Value>)> {
    actor.require(Action::KeepScreeningLedger)?;
    let id = site_id(&id)?;
    let entry = LedgerEntryInput::parse(object(&body)?, clock::today())?;
    let mut tx = state.pool.begin().await?;
    let level: RiskLevel =
        sqlx::query_scalar("SELECT risk_level FROM closed_sites WHERE id = $1 FOR UPDATE")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| ApiError::not_found("no such site"))?;
    let entry_id = db::sites::append_entry(
        &mut tx,
        id,
        &entry,
        entry.risk_level.unwrap_or(level),
        actor.0.id,
    )
    .await?;
    let trail = db::sites::trail(&mut *tx, id).await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"id": entry_id, "ledger": trail})),
    ))
}

async fn ledger(State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    let id = site_id(&id)?;
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM closed_sites WHERE id = $1)")
            .bind(id)
            .fetch_one(&state.pool)
            .await?;
    if !exists {
        return Err(ApiError::not_found("no such site"));
    }
    Ok(Json(
        json!({"site": id, "entries": db::sites::trail(&state.pool, id).await?}),
    ))
}

async fn rules(State(state): State<AppState>) -> ApiResult<Json<Value>> {
    let mut conn = state.pool.acquire().await?;
    Ok(Json(db::sites::current_rules(&mut conn).await?.to_json()))
}

/// A new version of the scoring rules (admin); older assessments keep the version they used.
async fn set_rules(
    State(state): State<AppState>,
    actor: Actor,
    JsonBody(body): JsonBody,
) -> ApiResult<Json<Value>> {
    if actor.0.role != crate::domain::access::Role::Admin {
        return Err(ApiError::forbidden(
            "only an admin may change the scoring rules",
        ));
    }
    let rules = Rules::parse(&body).map_err(|m| FieldError::new("rules", "invalid_rules", m))?;
    let mut tx = state.pool.begin().await?;
    if !db::sites::store_rules(&mut tx, &rules, actor.0.id).await? {
        return Err(ApiError::conflict(
            "stale_rules_version",
            "the version must be higher than the current rules'",
        ));
    }
    tx.commit().await?;
    Ok(Json(rules.to_json()))
}

/// The ledger's columns, in the order officers use, with Chinese headers.
const HEADERS: [&str; 16] = [
    "序号",
    "企业名称",
    "统一社会信用代码",
    "所属镇街",
    "行业代码",
    "关停年份",
    "企业地址",
    "占地面积（平方米）",
    "风险等级",
    "风险得分",
    "筛查依据",
    "现状",
    "开发利用情况",
    "调查情况",
    "关联地块",
    "台账更新日期",
];

fn export_cells(rows: &[db::sites::ExportRow]) -> Vec<[String; 16]> {
    rows.iter()
        .enumerate()
        .map(|(i, r)| {
            [
                (i + 1).to_string(),
                r.enterprise_name.clone(),
                r.uscc.clone(),
                r.town.clone().unwrap_or_default(),
                r.industry.clone(),
                r.closure_year.to_string(),
                r.address.clone(),
                format!("{:.1}", r.area_m2),
                r.risk_level.label_zh().to_owned(),
                r.risk_score.to_string(),
                r.reasons.clone(),
                r.current_state.clone().unwrap_or_default(),
                r.development_use.clone().unwrap_or_default(),
                r.survey_info.clone().unwrap_or_default(),
                r.parcels.clone(),
                r.entry_on.map(|d| d.to_string()).unwrap_or_default(),
            ]
        })
        .collect()
}

async fn export_rows(state: &AppState, uri: &Uri) -> ApiResult<Vec<[String; 16]>> {
    let params = Params::from_uri(uri, &["year"])?;
    let year = params.parse("year", |s| s.parse::<i32>().ok())?;
    Ok(export_cells(
        &db::sites::export_rows(&state.pool, year).await?,
    ))
}

async fn export_csv(State(state): State<AppState>, uri: Uri) -> ApiResult<Response> {
    let rows = export_rows(&state, &uri).await?;
    super::csv_export::csv_response(&HEADERS, &rows, "screening-ledger.csv")
}

async fn export_xlsx(State(state): State<AppState>, uri: Uri) -> ApiResult<Response> {
    let rows = export_rows(&state, &uri).await?;
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("筛查台账").map_err(ApiError::internal)?;
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (c, h) in HEADERS.iter().enumerate() {
        let col = u16::try_from(c).map_err(ApiError::internal)?;
        sheet
            .write_string_with_format(0, col, *h, &bold)
            .map_err(ApiError::internal)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let line = u32::try_from(r + 1).map_err(ApiError::internal)?;
        for (c, cell) in row.iter().enumerate() {
            let col = u16::try_from(c).map_err(ApiError::internal)?;
            sheet
                .write_string(line, col, cell)
                .map_err(ApiError::internal)?;
        }
    }
    let bytes = book.save_to_buffer().map_err(ApiError::internal)?;
    Ok((
        [
            (
                CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
            (
                CONTENT_DISPOSITION,
                "attachment; filename=\"screening-ledger.xlsx\"",
            ),
        ],
        bytes,
    )
        .into_response())
}

/// `GET /api/parcels/{code}/ledgers`: the ledger entries that concern a parcel — the
/// closed-factory sites on it (with their screening ledger) and the review sessions that
/// discussed it (with the latest decision).
pub async fn parcel_ledgers(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> ApiResult<Json<Value>> {
    let id: Option<i64> = sqlx::query_scalar("SELECT id FROM parcels WHERE code = $1")
        .bind(&code)
        .fetch_optional(&state.pool)
        .await?;
    let id = id.ok_or_else(|| ApiError::not_found(format!("no parcel with code {code}")))?;
    let sites: Value = sqlx::query_scalar(
        "SELECT coalesce(json_agg(json_build_object(
                    'id', c.id, 'name', c.name, 'enterprise', e.name, 'risk_level', c.risk_level, 'closure_year', c.closure_year,
                    'overlap_m2', round(l.overlap_m2::numeric, 1),
                    'entries', (SELECT count(*) FROM screening_ledger s WHERE s.site_id = c.id),
                    'ledger', '/api/closed-sites/' || c.id || '/ledger') ORDER BY c.id), '[]')
           FROM closed_site_parcels l JOIN closed_sites c ON c.id = l.site_id JOIN enterprises e ON e.id = c.enterprise_id
          WHERE l.parcel_id = $1",
    )
    .bind(id)
    .fetch_one(&state.pool)
    .await?;
    let reviews: Value = sqlx::query_scalar(
        "SELECT coalesce(json_agg(json_build_object(
                    'id', r.id, 'title', r.title, 'held_on', r.held_on,
                    'decision', (SELECT d.decision FROM review_decisions d WHERE d.session_id = r.id AND d.parcel_id = a.parcel_id
                                  ORDER BY d.id DESC LIMIT 1),
                    'minutes', '/api/reviews/' || r.id || '/minutes.html') ORDER BY r.held_on DESC), '[]')
           FROM review_agenda a JOIN review_sessions r ON r.id = a.session_id WHERE a.parcel_id = $1",
    )
    .bind(id)
    .fetch_one(&state.pool)
    .await?;
    Ok(Json(
        json!({"parcel": code, "closed_sites": sites, "reviews": reviews}),
    ))
}
