//! `GET /api/exports/{collection}`: any selection the map shows (the same `filter`,
//! `bbox` and property filters as the OGC items) as a Shapefile, GeoPackage, GeoJSON,
//! CSV or XLSX file, in CGCS2000 or a chosen Gauss–Krüger zone; parcels also as the
//! boundary-point exchange text of land approval.

use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use futures_util::TryStreamExt;
use serde_json::{Map, Value};
use sqlx::{PgPool, QueryBuilder};

use super::extract::Params;
use super::ogc::items::{selection_params, Selection};
use super::ogc::{find, Collection};
use super::AppState;
use crate::error::{ApiError, ApiResult};
use crate::gis::crs::Crs;
use crate::interchange::write::{self, ExportFile, ExportFormat, Record, TextEncoding};

pub fn router() -> Router<AppState> {
    Router::new().route("/api/exports/{collection}", get(export))
}

fn bad(field: &str, message: impl Into<String>) -> ApiError {
    ApiError::bad_request("invalid_parameter", message).with_field(field)
}

/// What to write, parsed from `format`, `crs` and `encoding`.
pub struct Target {
    pub format: ExportFormat,
    pub crs: Crs,
    pub encoding: TextEncoding,
}

impl Target {
    pub fn parse(params: &Params) -> ApiResult<Self> {
        let format = params.get("format").ok_or_else(|| {
            bad(
                "format",
                "format is required: shp, gpkg, geojson, csv, xlsx, kml or txt",
            )
        })?;
        let format = ExportFormat::parse(format).ok_or_else(|| {
            bad(
                "format",
                "format must be shp, gpkg, geojson, csv, xlsx, kml or txt",
            )
        })?;
        let exchange = format == ExportFormat::ExchangeTxt;
        let crs = match params.get("crs") {
            // the exchange text is in metres: zone 39, where most of the district lies
            None if exchange => Crs::Gk39,
            None => Crs::Cgcs2000,
            Some(s) => Crs::parse(s)
                .filter(|c| *c != Crs::Gcj02)
                .ok_or_else(|| {
                    bad(
                        "crs",
                        "crs must be EPSG:4490 (CGCS2000), CRS84/EPSG:4326, or a Gauss–Krüger zone: EPSG:4526, 4527, 4547, 4548",
                    )
                })?,
        };
        if format == ExportFormat::Kml && !crs.is_geographic() {
            return Err(bad(
                "crs",
                "KML is in degrees: crs must be EPSG:4490 or CRS84",
            ));
        }
        if exchange && crs.zone().is_none() {
            return Err(bad(
                "crs",
                "the exchange text is in a Gauss–Krüger zone: crs must be EPSG:4526, 4527, 4547 or 4548",
            ));
        }
        let encoding = match params
            .get("encoding")
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            // the approval systems read the exchange text as GBK
            None if exchange => TextEncoding::Gbk,
            None | Some("utf-8" | "utf8") => TextEncoding::Utf8,
            Some("gbk" | "cp936" | "gb18030")
                if matches!(format, ExportFormat::Shapefile | ExportFormat::ExchangeTxt) =>
            {
                TextEncoding::Gbk
            }
            Some("gbk" | "cp936" | "gb18030") => {
                return Err(bad(
                    "encoding",
                    "GBK applies to Shapefiles and the exchange text only",
                ))
            }
            Some(_) => return Err(bad("encoding", "encoding must be utf-8 or gbk")),
        };
        Ok(Target {
            format,
            crs,
            encoding,
        })
    }
}

/// The parameters an export takes for a collection.
pub fn allowed_params(c: &Collection) -> Vec<&'static str> {
    let mut p = selection_params(c);
    p.extend(["format", "crs", "encoding"]);
    p
}

async fn export(
    State(state): State<AppState>,
    Path(id): Path<String>,
    uri: Uri,
) -> ApiResult<Response> {
    let c = find(&id).ok_or_else(|| ApiError::not_found(format!("no collection {id}")))?;
    let params = Params::from_uri(&uri, &allowed_params(c))?;
    let target = Target::parse(&params)?;
    let selection = Selection::parse(params)?;
    let file = export_file(&state.pool, c, &selection, &target).await?;
    let disposition =
        HeaderValue::from_str(&format!("attachment; filename=\"{}\"", file.file_name))
            .unwrap_or(HeaderValue::from_static("attachment"));
    Ok((
        StatusCode::OK,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(file.content_type),
            ),
            (header::CONTENT_DISPOSITION, disposition),
            (
                header::HeaderName::from_static("x-feature-count"),
                HeaderValue::from(file.count),
            ),
        ],
        file.bytes,
    )
        .into_response())
}

/// Rows decide the columns from this many first records.
const SAMPLE: usize = 200;

/// Streams the selection out of PostGIS into a GDAL writer thread.
pub async fn export_file(
    pool: &PgPool,
    c: &'static Collection,
    selection: &Selection,
    target: &Target,
) -> ApiResult<ExportFile> {
    if target.format == ExportFormat::ExchangeTxt && c.id != "parcels" {
        return Err(bad(
            "format",
            "the exchange text holds parcels: export the parcels collection",
        ));
    }
    let srid = if target.crs == Crs::Wgs84 {
        4326
    } else {
        target.crs.epsg()
    };
    let mut qb = QueryBuilder::new(format!(
        "SELECT ({props})::text, ST_AsBinary(ST_Transform({geom}, {srid}))",
        props = c.props_sql(),
        geom = c.geom,
    ));
    selection.push_where(&mut qb, c)?;
    qb.push(format!(" ORDER BY {}", c.key));
    let (send, mut recv) = tokio::sync::mpsc::channel::<Record>(1024);
    let (format, crs, encoding, layer) = (
        target.format,
        target.crs,
        target.encoding,
        c.id.replace('-', "_"),
    );
    let writer = tokio::task::spawn_blocking(move || {
        let mut sample = Vec::with_capacity(SAMPLE);
        while sample.len() < SAMPLE {
            match recv.blocking_recv() {
                Some(r) => sample.push(r),
                None => break,
            }
        }
        let rest = std::iter::from_fn(move || recv.blocking_recv());
        write::write(format, &layer, crs, encoding, sample, rest)
    });
    let mut rows = qb.build_query_as::<(String, Vec<u8>)>().fetch(pool);
    let mut failed = None;
    loop {
        match rows.try_next().await {
            Ok(Some((props, wkb))) => {
                let props: Map<String, Value> = serde_json::from_str(&props).unwrap_or_default();
                if send.send((props, wkb)).await.is_err() {
                    break;
                }
            }
            Ok(None) => break,
            Err(e) => {
                failed = Some(e);
                break;
            }
        }
    }
    drop(send);
    drop(rows);
    let written = writer.await.map_err(ApiError::internal)?;
    if let Some(e) = failed {
        return Err(super::ogc::items::db_or_filter(e));
    }
    written.map_err(|e| ApiError::internal(format!("writing the file: {e}")))
}
