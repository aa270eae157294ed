//! Closed-factory sites, their parcels, the screening ledger and the scoring rules.

use serde::Serialize;
use serde_json::Value;
use sqlx::{PgConnection, PgExecutor};
use time::Date;

use crate::domain::closed_site::{LedgerEntryInput, SiteInput};
use crate::domain::site_risk::{Assessment, RiskLevel, Rules};

/// The current scoring rules; the default rules are stored on first use.
pub async fn current_rules(conn: &mut PgConnection) -> Result<Rules, sqlx::Error> {
    let stored: Option<Value> =
        sqlx::query_scalar("SELECT rules FROM scoring_rules ORDER BY version DESC LIMIT 1")
            .fetch_optional(&mut *conn)
            .await?;
    let bad = |e: String| sqlx::Error::Decode(e.into());
    match stored {
        Some(v) => Rules::parse(&v).map_err(bad),
        None => {
            let rules = Rules::default_rules().map_err(bad)?;
            sqlx::query(
                "INSERT INTO scoring_rules (version, rules) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            )
            .bind(rules.version())
            .bind(rules.to_json())
            .execute(&mut *conn)
            .await?;
            Ok(rules)
        }
    }
}

/// Stores a new version of the rules; `false` if the version is not newer than the current one.
pub async fn store_rules(
    conn: &mut PgConnection,
    rules: &Rules,
    user: i64,
) -> Result<bool, sqlx::Error> {
    let current = current_rules(conn).await?;
    if rules.version() <= current.version() {
        return Ok(false);
    }
    sqlx::query("INSERT INTO scoring_rules (version, rules, created_by) VALUES ($1, $2, $3)")
        .bind(rules.version())
        .bind(rules.to_json())
        .bind(user)
        .execute(conn)
        .await?;
    Ok(true)
}

/// A site as a GeoJSON Feature, from the row alias `c`.
const FEATURE_SQL: &str = "json_build_object(
    'type', 'Feature', 'id', c.id,
    'geometry', ST_AsGeoJSON(c.footprint, 7, 0)::json,
    'properties', json_build_object(
        'id', c.id, 'name', c.name, 'enterprise', e.uscc, 'enterprise_name', e.name, 'industry', e.industry,
        'closure_year', c.closure_year, 'years_operating', c.years_operating,
        'hazardous_substances', c.hazardous_substances, 'incidents', c.incidents, 'area_m2', round(c.area_m2::numeric, 1),
        'risk_level', c.risk_level, 'risk_score', c.risk_score, 'risk_reasons', c.risk_reasons,
        'rules_version', c.rules_version,
        'town', (SELECT t.code FROM towns t WHERE ST_Intersects(t.boundary, c.footprint)
                  ORDER BY ST_Area(ST_Intersection(t.boundary, c.footprint)) DESC LIMIT 1),
        'parcels', (SELECT coalesce(json_agg(json_build_object('code', p.code, 'overlap_m2', round(l.overlap_m2::numeric, 1),
                                                               'confirmed_at', l.confirmed_at) ORDER BY p.code), '[]')
                      FROM closed_site_parcels l JOIN parcels p ON p.id = l.parcel_id WHERE l.site_id = c.id),
        'latest_entry', (SELECT row_to_json(s) FROM (SELECT entry_on, risk_level, current_state, development_use, survey_info
                                                         FROM screening_ledger WHERE site_id = c.id ORDER BY id DESC LIMIT 1) s),
        'created_at', c.created_at))";

/// Inserts a site with its assessment; returns its id.
pub async fn insert(
    conn: &mut PgConnection,
    enterprise_id: i64,
    s: &SiteInput,
    footprint_geojson: &str,
    a: &Assessment,
    user: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO closed_sites (enterprise_id, name, footprint, area_m2, closure_year, years_operating,
                                   hazardous_substances, incidents, risk_level, risk_score, risk_reasons, rules_version, created_by)
         VALUES ($1, $2, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($3), 4490)),
                 ST_Area(ST_SetSRID(ST_GeomFromGeoJSON($3), 4490)::geography), $4, $5, $6, $7, $8, $9, $10, $11, $12)
         RETURNING id",
    )
    .bind(enterprise_id)
    .bind(&s.name)
    .bind(footprint_geojson)
    .bind(s.closure_year)
    .bind(s.years_operating)
    .bind(&s.hazardous_substances)
    .bind(s.incidents)
    .bind(a.level)
    .bind(a.score)
    .bind(serde_json::to_value(&a.reasons).unwrap_or(Value::Null))
    .bind(a.rules_version)
    .bind(user)
    .fetch_one(conn)
    .await
}

pub async fn feature(db: impl PgExecutor<'_>, id: i64) -> Result<Option<Value>, sqlx::Error> {
    sqlx::query_scalar(&format!(
        "SELECT {FEATURE_SQL} FROM closed_sites c JOIN enterprises e ON e.id = c.enterprise_id WHERE c.id = $1"
    ))
    .bind(id)
    .fetch_optional(db)
    .await
}

/// Sites as a FeatureCollection, by closure year and level.
pub async fn list(
    db: impl PgExecutor<'_>,
    year: Option<i32>,
    level: Option<RiskLevel>,
) -> Result<Value, sqlx::Error> {
    sqlx::query_scalar(&format!(
        "SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(f ORDER BY id), '[]'))
           FROM (SELECT {FEATURE_SQL} AS f, c.id FROM closed_sites c JOIN enterprises e ON e.id = c.enterprise_id
                  WHERE ($1::int IS NULL OR c.closure_year = $1) AND ($2::site_risk_level IS NULL OR c.risk_level = $2)) s"
    ))
    .bind(year)
    .bind(level)
    .fetch_one(db)
    .await
}

/// Parcels the site overlaps, with the overlap on the ellipsoid (m²).
pub async fn candidates(
    db: impl PgExecutor<'_>,
    site_id: i64,
) -> Result<Vec<(String, i64, f64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT p.code, p.id, ST_Area(ST_Intersection(p.geom, c.footprint)::geography) AS overlap
           FROM closed_sites c JOIN parcels p ON ST_Intersects(p.geom, c.footprint)
          WHERE c.id = $1 AND p.retired_at IS NULL
          ORDER BY overlap DESC",
    )
    .bind(site_id)
    .fetch_all(db)
    .await
}

pub async fn link(
    conn: &mut PgConnection,
    site_id: i64,
    parcel_id: i64,
    overlap: f64,
    user: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO closed_site_parcels (site_id, parcel_id, overlap_m2, confirmed_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING",
    )
    .bind(site_id)
    .bind(parcel_id)
    .bind(overlap)
    .bind(user)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Appends a ledger entry.
pub async fn append_entry(
    conn: &mut PgConnection,
    site_id: i64,
    e: &LedgerEntryInput,
    level: RiskLevel,
    user: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO screening_ledger (site_id, entry_on, risk_level, current_state, development_use, survey_info, note, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(site_id)
    .bind(e.entry_on)
    .bind(level)
    .bind(&e.current_state)
    .bind(&e.development_use)
    .bind(&e.survey_info)
    .bind(&e.note)
    .bind(user)
    .fetch_one(conn)
    .await
}

/// The whole trail of a site's ledger, oldest first.
pub async fn trail(db: impl PgExecutor<'_>, site_id: i64) -> Result<Value, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT coalesce(json_agg(json_build_object(
                    'id', l.id, 'entry_on', l.entry_on, 'risk_level', l.risk_level, 'current_state', l.current_state,
                    'development_use', l.development_use, 'survey_info', l.survey_info, 'note', l.note,
                    'recorded_at', l.recorded_at, 'recorded_by', u.name, 'department', u.department) ORDER BY l.id), '[]')
           FROM screening_ledger l JOIN users u ON u.id = l.recorded_by WHERE l.site_id = $1",
    )
    .bind(site_id)
    .fetch_one(db)
    .await
}

/// One row of the ledger export: each site with its latest entry.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ExportRow {
    pub enterprise_name: String,
    pub uscc: String,
    pub town: Option<String>,
    pub industry: String,
    pub closure_year: i32,
    pub address: String,
    pub area_m2: f64,
    pub risk_level: RiskLevel,
    pub risk_score: i32,
    pub reasons: String,
    pub current_state: Option<String>,
    pub development_use: Option<String>,
    pub survey_info: Option<String>,
    pub parcels: String,
    pub entry_on: Option<Date>,
}

pub async fn export_rows(
    db: impl PgExecutor<'_>,
    year: Option<i32>,
) -> Result<Vec<ExportRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT e.name AS enterprise_name, e.uscc,
                (SELECT t.name_zh FROM towns t WHERE ST_Intersects(t.boundary, c.footprint)
                  ORDER BY ST_Area(ST_Intersection(t.boundary, c.footprint)) DESC LIMIT 1) AS town,
                e.industry, c.closure_year, e.address, c.area_m2, coalesce(l.risk_level, c.risk_level) AS risk_level,
                c.risk_score,
                coalesce((SELECT string_agg(r->>'description_zh', '；') FROM jsonb_array_elements(c.risk_reasons) r), '') AS reasons,
                l.current_state, l.development_use, l.survey_info,
                coalesce((SELECT string_agg(p.code, '、' ORDER BY p.code) FROM closed_site_parcels x
                            JOIN parcels p ON p.id = x.parcel_id WHERE x.site_id = c.id), '') AS parcels,
                l.entry_on
           FROM closed_sites c JOIN enterprises e ON e.id = c.enterprise_id
           LEFT JOIN LATERAL (SELECT * FROM screening_ledger s WHERE s.site_id = c.id ORDER BY s.id DESC LIMIT 1) l ON TRUE
          WHERE ($1::int IS NULL OR c.closure_year = $1)
          ORDER BY c.closure_year, e.name",
    )
    .bind(year)
    .fetch_all(db)
    .await
}
