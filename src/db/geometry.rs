//! Geometry checks only PostGIS can make.

use sqlx::{PgConnection, Postgres, QueryBuilder};

/// Appends `ST_MakeEnvelope(min_x, min_y, max_x, max_y, srid)`, the corners bound.
pub fn push_envelope(qb: &mut QueryBuilder<'_, Postgres>, corners: [f64; 4], srid: u32) {
    let [min_x, min_y, max_x, max_y] = corners;
    qb.push("ST_MakeEnvelope(")
        .push_bind(min_x)
        .push(", ")
        .push_bind(min_y)
        .push(", ")
        .push_bind(max_x)
        .push(", ")
        .push_bind(max_y)
        .push(format!(", {srid})"));
}

/// Why PostGIS finds a geometry invalid, and where.
#[derive(Debug, Clone, PartialEq)]
pub struct Invalidity {
    pub reason: String,
    pub location: Option<(f64, f64)>,
}

/// `ST_IsValidDetail` of a GeoJSON geometry in CGCS2000: `None` when valid.
#[tracing::instrument(skip_all)]
pub async fn invalidity(
    conn: &mut PgConnection,
    geojson: &str,
) -> Result<Option<Invalidity>, sqlx::Error> {
    let row: (bool, Option<String>, Option<f64>, Option<f64>) = sqlx::query_as(
        "SELECT d.valid, d.reason, ST_X(d.location), ST_Y(d.location)
           FROM ST_IsValidDetail(ST_SetSRID(ST_GeomFromGeoJSON($1), 4490)) AS d",
    )
    .bind(geojson)
    .fetch_one(conn)
    .await?;
    Ok(match row {
        (true, ..) => None,
        (false, reason, x, y) => Some(Invalidity {
            reason: reason.unwrap_or_else(|| "invalid geometry".to_owned()),
            location: x.zip(y),
        }),
    })
}
