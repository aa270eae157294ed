//! The boundary-point exchange text (界址点坐标交换格式) read through a GeoJSON copy,
//! so that GDAL reads it like any other file and every check applies.

use std::path::PathBuf;

use super::read::ReadError;
use super::scratch::Scratch;
use crate::domain::import::exchange_txt;

/// The parcels of an exchange text as a GeoJSON file in `scratch`, in the file's own
/// metres (easting, northing), for GDAL to read like any other: its header's fields are
/// the columns (地块编码, 地块名称, 面积（公顷）, 图幅号, 地块用途, 地类编码). Its CRS is
/// found from the numbers, as for any file without one.
pub(super) fn geojson_copy(text: &str, scratch: &Scratch) -> Result<PathBuf, ReadError> {
    let file = exchange_txt::parse(text).map_err(|e| ReadError::Damaged(e.to_string()))?;
    if let Some(why) = file.not_cgcs2000() {
        return Err(ReadError::Open(why));
    }
    let features: Vec<serde_json::Value> = file
        .parcels
        .iter()
        .map(|p| {
            let ring = |r: &geo::LineString<f64>| -> Vec<[f64; 2]> {
                r.coords().map(|c| [c.x, c.y]).collect()
            };
            let parts: Vec<Vec<Vec<[f64; 2]>>> = p
                .polygons()
                .iter()
                .map(|poly| {
                    std::iter::once(poly.exterior())
                        .chain(poly.interiors())
                        .map(ring)
                        .collect()
                })
                .collect();
            let geometry = (!parts.is_empty())
                .then(|| serde_json::json!({"type": "MultiPolygon", "coordinates": parts}));
            serde_json::json!({
                "type": "Feature",
                "properties": {
                    "地块编码": p.code, "地块名称": p.name, "面积（公顷）": p.area_ha,
                    "图幅号": p.sheet, "地块用途": p.land_use, "地类编码": p.class_code,
                },
                "geometry": geometry,
            })
        })
        .collect();
    let copy = scratch.path().join("exchange.geojson");
    let fc = serde_json::json!({"type": "FeatureCollection", "features": features});
    std::fs::write(&copy, fc.to_string())?;
    Ok(copy)
}
