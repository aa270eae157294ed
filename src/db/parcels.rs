//! The parcel register in SQL. Features are built as GeoJSON by PostGIS itself
//! and pass through as text: no decode and re-encode in the service.

use sqlx::{PgConnection, PgExecutor, PgPool, Postgres, QueryBuilder};

use crate::domain::land_use::{Gb36600Class, LandUse};
use time::OffsetDateTime;

use crate::db::geometry::push_envelope;
use crate::domain::lifecycle::Stage;
use crate::domain::parcel::{Attributes, LandRight, NewParcel, Risk};
use crate::domain::town::Town;
use crate::gis::extent::Extent;
use crate::gis::geometry::Boundary;

/// One parcel as a GeoJSON Feature (text), from the row alias `p`.
pub const FEATURE_SQL: &str = "json_build_object(
    'type', 'Feature', 'id', p.code,
    'geometry', ST_AsGeoJSON(p.geom, 7, 0)::json,
    'properties', json_build_object(
        'code', p.code, 'name', p.name, 'town', p.town, 'address', p.address,
        'current_use', p.current_use, 'planned_use', p.planned_use,
        'gb36600_class', p.gb36600_class, 'land_right', p.land_right,
        'right_holder', p.right_holder, 'responsible_party', p.responsible_party,
        'risk', p.risk, 'stage', p.stage, 'area_m2', round(p.area_m2::numeric, 2), 'version', p.version,
        'created_at', p.created_at, 'updated_at', p.updated_at,
        'retired', p.retired_at IS NOT NULL, 'retired_at', p.retired_at,
        'retired_reason', p.retired_reason))::text";

/// Boundary from GeoJSON text, as stored, and its ellipsoidal area.
const GEOM_SQL: &str = "ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($11), 4490))";

/// Filters of the register's list.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub town: Option<Town>,
    /// Matches this code and every code under it (`07` matches `0701`).
    pub planned_use: Option<LandUse>,
    pub risk: Option<Risk>,
    pub bbox: Option<Extent>,
    /// Substring of the code, name, address, right holder or responsible party (firm).
    pub q: Option<String>,
    pub stage: Option<Stage>,
    pub include_retired: bool,
    /// What the register said at this time, from the parcels' versions.
    pub as_of: Option<OffsetDateTime>,
}

/// One page of features, keyset-paged by id.
#[derive(Debug)]
pub struct Page {
    pub features: Vec<String>,
    /// The id to continue after, when there are more.
    pub next_after: Option<i64>,
    /// Exact count when it is at most `COUNT_CAP`, otherwise `None`.
    pub number_matched: Option<i64>,
}

/// Counting stops here: an exact count of a huge match would make every page slow.
pub const COUNT_CAP: i64 = 10_000;

/// Every version of every parcel with the time it took effect: the versions left behind
/// (`parcel_versions`) and the current rows, in effect from their `updated_at` (migration 0014).
const VERSIONS: &str =
    "(SELECT (jsonb_populate_record(NULL::parcels, v.row)).*, v.valid_from AS effective
                           FROM parcel_versions v
                         UNION ALL SELECT c.*, c.updated_at FROM parcels c)";

/// `FROM` the live register, or from the versions in effect at `as_of`.
fn push_source<'a>(qb: &mut QueryBuilder<'a, Postgres>, f: &'a ListFilter) {
    match f.as_of {
        None => qb.push(" FROM parcels p"),
        Some(t) => qb
            .push(format!(
                " FROM (SELECT DISTINCT ON (h.id) h.* FROM {VERSIONS} h WHERE h.effective <= "
            ))
            .push_bind(t)
            .push(" ORDER BY h.id, h.version DESC) p"),
    };
}

fn push_filter<'a>(qb: &mut QueryBuilder<'a, Postgres>, f: &'a ListFilter) {
    push_source(qb, f);
    qb.push(" WHERE TRUE");
    if !f.include_retired {
        qb.push(" AND p.retired_at IS NULL");
    }
    if let Some(t) = f.town {
        qb.push(" AND p.town = ").push_bind(t.code());
    }
    if let Some(u) = f.planned_use {
        qb.push(" AND p.planned_use LIKE ")
            .push_bind(format!("{}%", u.code()));
    }
    if let Some(r) = f.risk {
        qb.push(" AND p.risk = ").push_bind(r);
    }
    if let Some(s) = f.stage {
        qb.push(" AND p.stage = ").push_bind(s);
    }
    if let Some(b) = f.bbox {
        qb.push(" AND ST_Intersects(p.geom, ");
        push_envelope(qb, [b.min_x, b.min_y, b.max_x, b.max_y], 4490);
        qb.push(")");
    }
    if let Some(q) = &f.q {
        let pattern = format!(
            "%{}%",
            q.replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        qb.push(" AND (p.code ILIKE ")
            .push_bind(pattern.clone())
            .push(" OR p.name ILIKE ")
            .push_bind(pattern.clone())
            .push(" OR p.address ILIKE ")
            .push_bind(pattern.clone())
            .push(" OR p.right_holder ILIKE ")
            .push_bind(pattern.clone())
            .push(" OR p.responsible_party ILIKE ")
            .push_bind(pattern)
            .push(")");
    }
}

/// A page of the register after `after` (exclusive), ordered by id.
#[tracing::instrument(skip(pool))]
pub async fn list(
    pool: &PgPool,
    f: &ListFilter,
    after: Option<i64>,
    limit: i64,
) -> Result<Page, sqlx::Error> {
    let mut qb = QueryBuilder::new(format!("SELECT p.id, {FEATURE_SQL}"));
    push_filter(&mut qb, f);
    if let Some(a) = after {
        qb.push(" AND p.id > ").push_bind(a);
    }
    qb.push(" ORDER BY p.id LIMIT ").push_bind(limit + 1);
    let mut rows: Vec<(i64, String)> = qb.build_query_as().fetch_all(pool).await?;
    let next_after = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|r| r.0)
    } else {
        None
    };

    let mut count = QueryBuilder::new("SELECT count(*) FROM (SELECT 1");
    push_filter(&mut count, f);
    count
        .push(" LIMIT ")
        .push_bind(COUNT_CAP + 1)
        .push(") AS capped");
    let n: i64 = count.build_query_scalar().fetch_one(pool).await?;
    Ok(Page {
        features: rows.into_iter().map(|r| r.1).collect(),
        next_after,
        number_matched: (n <= COUNT_CAP).then_some(n),
    })
}

/// One parcel's Feature and version, retired or not.
#[tracing::instrument(skip(db))]
pub async fn feature(
    db: impl PgExecutor<'_>,
    code: &str,
) -> Result<Option<(String, i32)>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {FEATURE_SQL}, p.version FROM parcels p WHERE p.code = $1"
    ))
    .bind(code)
    .fetch_optional(db)
    .await
}

/// One parcel's Feature and version as the register had it at `at`.
#[tracing::instrument(skip(db))]
pub async fn feature_as_of(
    db: impl PgExecutor<'_>,
    code: &str,
    at: OffsetDateTime,
) -> Result<Option<(String, i32)>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {FEATURE_SQL}, p.version
           FROM (SELECT h.* FROM parcels x, LATERAL (
                     SELECT (jsonb_populate_record(NULL::parcels, v.row)).* FROM parcel_versions v
                      WHERE v.parcel_id = x.id AND v.valid_from <= $2
                     UNION ALL SELECT c.* FROM parcels c WHERE c.id = x.id AND c.updated_at <= $2) h
                  WHERE x.code = $1 ORDER BY h.version DESC LIMIT 1) p"
    ))
    .bind(code)
    .bind(at)
    .fetch_optional(db)
    .await
}

/// A parcel's current state, locked for update.
#[derive(Debug)]
pub struct Current {
    pub id: i64,
    pub version: i32,
    pub attributes: Attributes,
    pub retired: bool,
    /// The land right when registered; land events move it from there.
    pub land_right_initial: LandRight,
    pub class: Gb36600Class,
}

#[derive(sqlx::FromRow)]
struct CurrentRow {
    id: i64,
    version: i32,
    name: String,
    town: String,
    address: String,
    current_use: Option<String>,
    planned_use: Option<String>,
    land_right: LandRight,
    right_holder: Option<String>,
    responsible_party: Option<String>,
    risk: Risk,
    retired: bool,
    land_right_initial: LandRight,
    gb36600_class: i16,
}

/// Reads and locks a parcel for the rest of the transaction.
#[tracing::instrument(skip(conn))]
pub async fn lock(conn: &mut PgConnection, code: &str) -> Result<Option<Current>, sqlx::Error> {
    current(conn, code, true).await
}

/// Reads a parcel's current state without locking it.
pub async fn read(conn: &mut PgConnection, code: &str) -> Result<Option<Current>, sqlx::Error> {
    current(conn, code, false).await
}

async fn current(
    conn: &mut PgConnection,
    code: &str,
    for_update: bool,
) -> Result<Option<Current>, sqlx::Error> {
    let row: Option<CurrentRow> = sqlx::query_as(&format!(
        "SELECT id, version, name, town, address, current_use, planned_use, land_right,
                right_holder, responsible_party, risk, retired_at IS NOT NULL AS retired,
                land_right_initial, gb36600_class
           FROM parcels WHERE code = $1{}",
        if for_update { " FOR UPDATE" } else { "" }
    ))
    .bind(code)
    .fetch_optional(conn)
    .await?;
    let Some(r) = row else {
        return Ok(None);
    };
    let stored = |what: &str| sqlx::Error::Decode(format!("stored {what} is not valid").into());
    let parse_use = |c: Option<String>| {
        c.map(|c| LandUse::parse(&c).ok_or_else(|| stored("land use")))
            .transpose()
    };
    let attributes = Attributes {
        name: r.name,
        town: Town::parse(&r.town).ok_or_else(|| stored("town"))?,
        address: r.address,
        current_use: parse_use(r.current_use)?,
        planned_use: parse_use(r.planned_use)?,
        land_right: r.land_right,
        right_holder: r.right_holder,
        responsible_party: r.responsible_party,
        risk: r.risk,
    };
    Ok(Some(Current {
        id: r.id,
        version: r.version,
        attributes,
        retired: r.retired,
        land_right_initial: r.land_right_initial,
        class: Gb36600Class::from_number(r.gb36600_class).ok_or_else(|| stored("class"))?,
    }))
}

fn bind_attributes<'q>(
    q: sqlx::query::QueryAs<'q, Postgres, (String, i32), sqlx::postgres::PgArguments>,
    a: &'q Attributes,
) -> sqlx::query::QueryAs<'q, Postgres, (String, i32), sqlx::postgres::PgArguments> {
    q.bind(&a.name)
        .bind(a.town.code())
        .bind(&a.address)
        .bind(a.current_use.map(LandUse::code))
        .bind(a.planned_use.map(LandUse::code))
        .bind(Gb36600Class::for_planned_use(a.planned_use).number())
        .bind(a.land_right)
        .bind(&a.right_holder)
        .bind(&a.responsible_party)
        .bind(a.risk)
}

/// Inserts a parcel; a duplicate code fails on `parcels_code_key`.
#[tracing::instrument(skip_all, fields(code = p.code.as_str()))]
pub async fn insert(
    conn: &mut PgConnection,
    p: &NewParcel,
    boundary: &Boundary,
    user: i64,
) -> Result<(String, i32), sqlx::Error> {
    let sql = format!(
        "WITH p AS (
            INSERT INTO parcels (name, town, address, current_use, planned_use, gb36600_class,
                                 land_right, right_holder, responsible_party, risk, geom, area_m2,
                                 code, updated_by, land_right_initial)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, {GEOM_SQL},
                    ST_Area({GEOM_SQL}::geography), $12, $13, $7)
            RETURNING *)
         SELECT {FEATURE_SQL}, p.version FROM p"
    );
    let geojson = boundary.to_geojson();
    bind_attributes(sqlx::query_as(&sql), &p.attributes)
        .bind(geojson)
        .bind(p.code.as_str())
        .bind(user)
        .fetch_one(conn)
        .await
}

/// Writes new attributes (and boundary, when given) and bumps the version.
#[tracing::instrument(skip_all, fields(id))]
pub async fn update(
    conn: &mut PgConnection,
    id: i64,
    a: &Attributes,
    boundary: Option<&Boundary>,
    user: i64,
    land_right_follows_events: bool,
) -> Result<(String, i32), sqlx::Error> {
    let sql = format!(
        "WITH p AS (
            UPDATE parcels SET name = $1, town = $2, address = $3, current_use = $4,
                   planned_use = $5, gb36600_class = $6, land_right = $7, right_holder = $8,
                   responsible_party = $9, risk = $10,
                   land_right_initial = CASE WHEN $14 THEN land_right_initial ELSE $7 END,
                   geom = CASE WHEN $11::text IS NULL THEN geom ELSE {GEOM_SQL} END,
                   area_m2 = CASE WHEN $11::text IS NULL THEN area_m2
                                  ELSE ST_Area({GEOM_SQL}::geography) END,
                   version = version + 1, updated_at = now(), updated_by = $13
             WHERE id = $12
            RETURNING *)
         SELECT {FEATURE_SQL}, p.version FROM p"
    );
    bind_attributes(sqlx::query_as(&sql), a)
        .bind(boundary.map(Boundary::to_geojson))
        .bind(id)
        .bind(user)
        .bind(land_right_follows_events)
        .fetch_one(conn)
        .await
}

/// Retires a parcel: the row stays, out of the default list.
#[tracing::instrument(skip(conn))]
pub async fn retire(
    conn: &mut PgConnection,
    id: i64,
    reason: &str,
    user: i64,
) -> Result<(String, i32), sqlx::Error> {
    sqlx::query_as(&format!(
        "WITH p AS (
            UPDATE parcels SET retired_at = now(), retired_reason = $2, version = version + 1,
                   updated_at = now(), updated_by = $3
             WHERE id = $1 RETURNING *)
         SELECT {FEATURE_SQL}, p.version FROM p"
    ))
    .bind(id)
    .bind(reason)
    .bind(user)
    .fetch_one(conn)
    .await
}

/// One version of a parcel as the register keeps it: its number, when it took effect, who
/// wrote it, the import it came through (`{import, file}`, or null), and the row (JSON).
pub type Version = (
    i32,
    serde_json::Value,
    Option<String>,
    Option<serde_json::Value>,
    serde_json::Value,
);

/// A parcel's versions, the oldest first: those it left behind and its current one. `None`
/// when there is no parcel with the code.
pub async fn versions(
    pool: &sqlx::PgPool,
    code: &str,
) -> Result<Option<Vec<Version>>, sqlx::Error> {
    let id: Option<i64> = sqlx::query_scalar("SELECT id FROM parcels WHERE code = $1")
        .bind(code)
        .fetch_optional(pool)
        .await?;
    let Some(id) = id else {
        return Ok(None);
    };
    let rows = sqlx::query_as(
        "WITH v AS (
            SELECT version, valid_from, row FROM parcel_versions WHERE parcel_id = $1
            UNION ALL
            SELECT p.version, p.updated_at, parcel_version_row(p) FROM parcels p WHERE p.id = $1)
         SELECT v.version, to_jsonb(v.valid_from), u.name,
                CASE WHEN i.id IS NOT NULL
                     THEN jsonb_build_object('import', i.id, 'file', i.file_name) END,
                v.row
           FROM v LEFT JOIN users u ON u.id = (v.row ->> 'updated_by')::bigint
                  LEFT JOIN imports i ON i.id = (v.row ->> 'updated_via')::uuid
          ORDER BY v.version",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    Ok(Some(rows))
}
