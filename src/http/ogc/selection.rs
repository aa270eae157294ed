//! A selection of features as the items API takes it — `bbox` (and `bbox-crs`), `datetime`,
//! property filters and a CQL2 `filter` — parsed once and compiled to one WHERE clause that
//! pages, counts and exports share, so that a file holds what the map and the list show.

use sqlx::{Postgres, QueryBuilder};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::collections::Collection;
use super::items::{bad, epsg_crs};
use crate::db::geometry::push_envelope;
use crate::error::ApiResult;
use crate::gis::cql2;
use crate::gis::crs::Crs;
use crate::http::extract::Params;

pub struct Bbox {
    env: [f64; 4],
    crs: Crs,
}

fn parse_bbox(params: &Params) -> ApiResult<Option<Bbox>> {
    let Some(raw) = params.get("bbox") else {
        return Ok(None);
    };
    let nums: Vec<f64> = raw
        .split(',')
        .map(|s| s.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| bad("bbox", "bbox must be 4 numbers"))?;
    let crs = params.parse("bbox-crs", epsg_crs)?.unwrap_or(Crs::Wgs84);
    let named84 = params
        .get("bbox-crs")
        .is_none_or(|c| c.to_ascii_uppercase().contains("CRS84"));
    let [a, b, c, d] = match nums[..] {
        [a, b, c, d] => [a, b, c, d],
        [a, b, _, d, e, _] => [a, b, d, e],
        _ => return Err(bad("bbox", "bbox must be 4 (or 6) numbers")),
    };
    if ![a, b, c, d].iter().all(|v| v.is_finite()) {
        return Err(bad("bbox", "bbox values must be finite"));
    }
    // Authority axis order (lat/lon, northing/easting) for EPSG codes; x/y for CRS84.
    let env = if crs == Crs::Wgs84 && named84 {
        [a, b, c, d]
    } else {
        [b, a, d, c]
    };
    if env[0] > env[2] || env[1] > env[3] {
        return Err(bad("bbox", "bbox minimum exceeds maximum"));
    }
    Ok(Some(Bbox { env, crs }))
}

/// `datetime`: an instant or an interval `start/end` with `..` for open ends.
fn parse_datetime(s: &str) -> Option<(Option<OffsetDateTime>, Option<OffsetDateTime>)> {
    let one = |t: &str| -> Option<Option<OffsetDateTime>> {
        match t.trim() {
            "" | ".." => Some(None),
            t => OffsetDateTime::parse(t, &Rfc3339)
                .ok()
                .or_else(|| crate::clock::parse_date(t).map(|d| d.midnight().assume_utc()))
                .map(Some),
        }
    };
    match s.split_once('/') {
        None => {
            let t = one(s)??;
            Some((Some(t), Some(t)))
        }
        Some((a, b)) => Some((one(a)?, one(b)?)),
    }
}

/// A selection as the items API takes it (bbox, datetime, property filters, CQL2 `filter`),
/// parsed once; exports use it so that a file holds what the map and list show.
pub struct Selection {
    pub params: Params,
    bbox: Option<Bbox>,
    filter: Option<cql2::Expr>,
    filter_srid: i32,
}

impl Selection {
    /// Parses the selection parameters; `params` must have been checked against
    /// [`selection_params`] (plus whatever else the caller takes).
    pub fn parse(params: Params) -> ApiResult<Self> {
        let bbox = parse_bbox(&params)?;
        let (filter, filter_srid) = parse_filter(&params)?;
        Ok(Selection {
            params,
            bbox,
            filter,
            filter_srid,
        })
    }
}

/// The parameters a selection reads, for a collection.
pub fn selection_params(c: &Collection) -> Vec<&'static str> {
    [
        "bbox",
        "bbox-crs",
        "datetime",
        "filter",
        "filter-lang",
        "filter-crs",
    ]
    .into_iter()
    .chain(c.queryables.iter().map(|q| q.0))
    .collect()
}

impl Selection {
    /// Appends ` FROM … WHERE …` for the collection: the clause pages, counts and exports share.
    pub fn push_where<'a>(
        &'a self,
        qb: &mut QueryBuilder<'a, Postgres>,
        c: &'static Collection,
    ) -> ApiResult<()> {
        let (params, bbox, filter, filter_srid) =
            (&self.params, &self.bbox, &self.filter, self.filter_srid);
        qb.push(format!(" FROM {} WHERE {}", c.from, c.base_where));
        if let Some(b) = bbox {
            let srid = if b.crs.is_geographic() {
                4490
            } else {
                b.crs.epsg()
            };
            // A scalar subquery, so that a prepared (generic) plan builds the window once
            // per statement rather than once per row.
            let envelope = |qb: &mut QueryBuilder<'a, Postgres>| {
                qb.push("(SELECT ST_Transform(");
                push_envelope(qb, b.env, srid);
                qb.push(", 4490))");
            };
            if srid == 4490 {
                // The window is a rectangle in the stored CRS: a feature whose bounding box
                // lies inside it intersects it, so only those across its edge need the
                // exact test (most of a dense window's features are inside).
                qb.push(format!(" AND {} && ", c.geom));
                envelope(qb);
                qb.push(format!(" AND ({} @ ", c.geom));
                envelope(qb);
                qb.push(format!(" OR ST_Intersects({}, ", c.geom));
                envelope(qb);
                qb.push("))");
            } else {
                qb.push(format!(" AND ST_Intersects({}, ", c.geom));
                envelope(qb);
                qb.push(")");
            }
        }
        if let Some(raw) = params.get("datetime") {
            let col = c
                .datetime
                .ok_or_else(|| bad("datetime", "this collection has no temporal property"))?;
            let (from, to) = parse_datetime(raw).ok_or_else(|| {
                bad(
                    "datetime",
                    "datetime must be an RFC 3339 instant or interval",
                )
            })?;
            if let Some(f) = from {
                qb.push(format!(" AND {col} >= ")).push_bind(f);
            }
            if let Some(t) = to {
                qb.push(format!(" AND {col} <= ")).push_bind(t);
            }
        }
        let queryables = c.queryables(crate::clock::today());
        for (name, _, _) in c.queryables {
            if let Some(v) = params.get(name) {
                qb.push(" AND ");
                queryables
                    .push_equals_text(name, v, qb)
                    .map_err(|e| bad(name, &e.message))?;
            }
        }
        if let Some(expr) = filter {
            qb.push(" AND ");
            cql2::push_sql(expr, &queryables, filter_srid, qb)
                .map_err(|e| bad("filter", &e.message))?;
        }
        Ok(())
    }
}

fn parse_filter(params: &Params) -> ApiResult<(Option<cql2::Expr>, i32)> {
    if let Some(lang) = params.get("filter-lang") {
        if lang != "cql2-text" {
            return Err(bad("filter-lang", "only cql2-text is supported"));
        }
    }
    let srid = match params.parse("filter-crs", epsg_crs)? {
        None | Some(Crs::Wgs84 | Crs::Cgcs2000) => 4490,
        Some(c) => i32::try_from(c.epsg()).unwrap_or(4490),
    };
    let expr = params
        .get("filter")
        .map(|f| {
            cql2::parse(f).map_err(|e| bad("filter", &format!("{} (at {})", e.message, e.position)))
        })
        .transpose()?;
    Ok((expr, srid))
}
