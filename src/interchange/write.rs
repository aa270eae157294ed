//! Writing a selection to a file through GDAL: Shapefile (zipped, UTF-8 with a `.cpg`,
//! or GBK on request), GeoPackage, GeoJSON, CSV (WKT column, BOM for Excel) and XLSX; and
//! parcels as the boundary-point exchange text, without GDAL.
//! Blocking: call from `spawn_blocking`.

use std::io::Write as _;

use gdal::spatial_ref::{AxisMappingStrategy, SpatialRef};
use gdal::vector::{Feature, FieldDefn, Geometry, LayerAccess, LayerOptions, OGRFieldType};
use gdal::DriverManager;
use serde_json::{Map, Value};

use super::scratch::Scratch;
use crate::domain::import::exchange_txt::{self, ExchangeParcel};
use crate::gis::crs::Crs;

/// The formats written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Shapefile,
    GeoPackage,
    GeoJson,
    Csv,
    Xlsx,
    /// The boundary-point exchange text (界址点坐标交换格式) of land approval: parcels,
    /// in a Gauss–Krüger zone.
    ExchangeTxt,
    /// KML, for Google Earth and the web-map tools field staff carry: WGS 84 degrees.
    Kml,
}

impl ExportFormat {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s.to_ascii_lowercase().as_str() {
            "shp" | "shapefile" => ExportFormat::Shapefile,
            "gpkg" | "geopackage" => ExportFormat::GeoPackage,
            "geojson" | "json" => ExportFormat::GeoJson,
            "csv" => ExportFormat::Csv,
            "xlsx" => ExportFormat::Xlsx,
            "txt" | "exchange" => ExportFormat::ExchangeTxt,
            "kml" => ExportFormat::Kml,
            _ => return None,
        })
    }

    /// The GDAL driver that writes it; `None` for the exchange text, written without GDAL.
    fn driver(self) -> Option<&'static str> {
        Some(match self {
            ExportFormat::Shapefile => "ESRI Shapefile",
            ExportFormat::GeoPackage => "GPKG",
            ExportFormat::GeoJson => "GeoJSON",
            ExportFormat::Csv => "CSV",
            ExportFormat::Xlsx => "XLSX",
            ExportFormat::Kml => "LIBKML",
            ExportFormat::ExchangeTxt => return None,
        })
    }

    /// The extension of the file handed out (a Shapefile is a zip of its parts).
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Shapefile => "zip",
            ExportFormat::GeoPackage => "gpkg",
            ExportFormat::GeoJson => "geojson",
            ExportFormat::Csv => "csv",
            ExportFormat::Xlsx => "xlsx",
            ExportFormat::ExchangeTxt => "txt",
            ExportFormat::Kml => "kml",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            ExportFormat::Shapefile => "application/zip",
            ExportFormat::GeoPackage => "application/geopackage+sqlite3",
            ExportFormat::GeoJson => "application/geo+json",
            ExportFormat::Csv => "text/csv; charset=utf-8",
            ExportFormat::Xlsx => {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
            ExportFormat::ExchangeTxt => "text/plain",
            ExportFormat::Kml => "application/vnd.google-earth.kml+xml",
        }
    }
}

/// A Shapefile's attribute encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TextEncoding {
    #[default]
    Utf8,
    Gbk,
}

/// One feature to write: properties and WKB in the output CRS.
pub type Record = (Map<String, Value>, Vec<u8>);

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Integer,
    Real,
    Text,
}

/// Column types from the first records: numbers stay numbers, the rest is text; a
/// column that is empty in every sampled record is text.
fn columns(sample: &[Record]) -> Vec<(String, Kind)> {
    let mut seen: Vec<(String, Option<Kind>)> = Vec::new();
    for (props, _) in sample {
        for (k, v) in props {
            let kind = match v {
                Value::Null => None,
                Value::Number(n) if n.is_i64() => Some(Kind::Integer),
                Value::Number(_) => Some(Kind::Real),
                _ => Some(Kind::Text),
            };
            match seen.iter_mut().find(|(name, _)| name == k) {
                None => seen.push((k.clone(), kind)),
                Some((_, have)) => {
                    *have = match (*have, kind) {
                        (h, None) => h,
                        (None, k) => k,
                        (Some(Kind::Text), _) | (_, Some(Kind::Text)) => Some(Kind::Text),
                        (Some(Kind::Real), _) | (_, Some(Kind::Real)) => Some(Kind::Real),
                        _ => Some(Kind::Integer),
                    }
                }
            }
        }
    }
    seen.into_iter()
        .map(|(k, kind)| (k, kind.unwrap_or(Kind::Text)))
        .collect()
}

/// A DBF field name: at most 10 bytes (the API name cut; `_2`… when cut names collide).
fn dbf_name(key: &str, taken: &[String]) -> String {
    let cut: String = key.chars().take(10).collect();
    if !taken.contains(&cut) {
        return cut;
    }
    (2..100)
        .map(|i| {
            let suffix = format!("_{i}");
            format!("{}{suffix}", &cut[..cut.len().min(10 - suffix.len())])
        })
        .find(|n| !taken.contains(n))
        .unwrap_or(cut)
}

/// The file, ready to hand out.
pub struct ExportFile {
    pub bytes: Vec<u8>,
    pub file_name: String,
    pub content_type: &'static str,
    pub count: usize,
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// Writes parcels' records (in a Gauss–Krüger zone) as an exchange text, GB18030 (which
/// GBK readers read: it is GBK for every character GBK has) or UTF-8.
fn write_exchange(
    layer_name: &str,
    crs: Crs,
    encoding: TextEncoding,
    records: impl Iterator<Item = Record>,
) -> Result<ExportFile, gdal::errors::GdalError> {
    let Some(zone) = crs.zone() else {
        return Err(gdal::errors::GdalError::BadArgument(
            "the exchange text is in a Gauss–Krüger zone".into(),
        ));
    };
    let mut parcels = Vec::new();
    for (props, wkb) in records {
        let g: geo::Geometry<f64> = Geometry::from_wkb(&wkb)?.try_into()?;
        let parts = match g {
            geo::Geometry::MultiPolygon(m) => m,
            geo::Geometry::Polygon(p) => geo::MultiPolygon(vec![p]),
            _ => continue,
        };
        let get = |k: &str| props.get(k).and_then(text).unwrap_or_default();
        let area = props.get("area_m2").and_then(Value::as_f64).unwrap_or(0.0) / 10_000.0;
        let planned = crate::domain::land_use::LandUse::parse(&get("planned_use"))
            .map(|u| u.name_zh().to_owned())
            .unwrap_or_default();
        parcels.push(ExchangeParcel::from_boundary(
            &get("code"),
            &get("name"),
            area,
            &planned,
            &parts,
        ));
    }
    let text = exchange_txt::write(&exchange_txt::cgcs2000_description(zone), &parcels);
    let (bytes, content_type) = match encoding {
        TextEncoding::Gbk => (
            encoding_rs::GB18030.encode(&text).0.into_owned(),
            "text/plain; charset=GB18030",
        ),
        TextEncoding::Utf8 => (text.into_bytes(), "text/plain; charset=utf-8"),
    };
    Ok(ExportFile {
        bytes,
        file_name: format!("{layer_name}.txt"),
        content_type,
        count: parcels.len(),
    })
}

/// Writes `records` (the first `sample` of them decide the columns) to a new file.
pub fn write(
    format: ExportFormat,
    layer_name: &str,
    crs: Crs,
    encoding: TextEncoding,
    sample: Vec<Record>,
    rest: impl Iterator<Item = Record>,
) -> Result<ExportFile, gdal::errors::GdalError> {
    let Some(driver) = format.driver() else {
        return write_exchange(layer_name, crs, encoding, sample.into_iter().chain(rest));
    };
    let scratch =
        Scratch::new().map_err(|e| gdal::errors::GdalError::BadArgument(e.to_string()))?;
    let path = scratch.path().join(format!(
        "{layer_name}.{}",
        match format {
            ExportFormat::Shapefile => "shp",
            other => other.extension(),
        }
    ));
    let cols = columns(&sample);
    let driver = DriverManager::get_driver_by_name(driver)?;
    let mut ds = driver.create_vector_only(&path)?;
    let mut srs = SpatialRef::from_epsg(crs.epsg())?;
    srs.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
    let layer_options: Vec<&str> = match (format, encoding) {
        (ExportFormat::Shapefile, TextEncoding::Utf8) => vec!["ENCODING=UTF-8"],
        (ExportFormat::Shapefile, TextEncoding::Gbk) => vec!["ENCODING=CP936"],
        (ExportFormat::Csv, _) => vec!["GEOMETRY=AS_WKT", "WRITE_BOM=YES"],
        (ExportFormat::GeoJson, _) => vec!["WRITE_NAME=NO"],
        _ => vec![],
    };
    let write = |ds: &mut gdal::Dataset| {
        fill(
            ds,
            format,
            layer_name,
            &srs,
            &layer_options,
            &cols,
            sample,
            rest,
        )
    };
    // A GeoPackage is written in one transaction (one commit instead of one per feature).
    let count = if format == ExportFormat::GeoPackage {
        let mut txn = ds.start_transaction()?;
        let n = write(&mut txn)?;
        txn.commit()?;
        n
    } else {
        write(&mut ds)?
    };
    ds.close()?;
    let bytes = if format == ExportFormat::Shapefile {
        zip_parts(scratch.path(), layer_name)
    } else {
        std::fs::read(&path)
    }
    .map_err(|e| gdal::errors::GdalError::BadArgument(e.to_string()))?;
    Ok(ExportFile {
        bytes,
        file_name: format!("{layer_name}.{}", format.extension()),
        content_type: format.content_type(),
        count,
    })
}

/// Creates the layer and its fields and writes every record; returns how many.
#[allow(clippy::too_many_arguments)]
fn fill(
    ds: &mut gdal::Dataset,
    format: ExportFormat,
    layer_name: &str,
    srs: &SpatialRef,
    layer_options: &[&str],
    cols: &[(String, Kind)],
    sample: Vec<Record>,
    rest: impl Iterator<Item = Record>,
) -> Result<usize, gdal::errors::GdalError> {
    let with_geometry = format != ExportFormat::Xlsx;
    let layer = ds.create_layer(LayerOptions {
        name: layer_name,
        srs: with_geometry.then_some(srs),
        ty: if with_geometry {
            gdal::vector::OGRwkbGeometryType::wkbMultiPolygon
        } else {
            gdal::vector::OGRwkbGeometryType::wkbNone
        },
        options: Some(layer_options),
    })?;
    let mut names: Vec<String> = Vec::new();
    for (key, kind) in cols {
        let name = if format == ExportFormat::Shapefile {
            dbf_name(key, &names)
        } else {
            key.clone()
        };
        let ty = match kind {
            Kind::Integer => OGRFieldType::OFTInteger64,
            Kind::Real => OGRFieldType::OFTReal,
            Kind::Text => OGRFieldType::OFTString,
        };
        let defn = FieldDefn::new(&name, ty)?;
        if format == ExportFormat::Shapefile && *kind == Kind::Text {
            defn.set_width(254);
        }
        defn.add_to_layer(&layer)?;
        names.push(name);
    }
    if !with_geometry {
        FieldDefn::new("wkt", OGRFieldType::OFTString)?.add_to_layer(&layer)?;
    }
    let mut count = 0usize;
    for (props, wkb) in sample.into_iter().chain(rest) {
        let mut f = Feature::new(layer.defn())?;
        for (i, (key, kind)) in cols.iter().enumerate() {
            match (props.get(key), kind) {
                (None | Some(Value::Null), _) => {}
                (Some(Value::Number(n)), Kind::Integer) if n.is_i64() => {
                    f.set_field_integer64(i, n.as_i64().unwrap_or_default())?
                }
                (Some(Value::Number(n)), Kind::Real | Kind::Integer) => {
                    f.set_field_double(i, n.as_f64().unwrap_or_default())?
                }
                (Some(v), _) => {
                    if let Some(s) = text(v) {
                        f.set_field_string(i, &s)?
                    }
                }
            }
        }
        let g = Geometry::from_wkb(&wkb)?;
        if with_geometry {
            f.set_geometry(g)?;
        } else {
            // Excel holds at most 32,767 characters a cell.
            let wkt = g.wkt()?;
            if wkt.len() < 32_000 {
                f.set_field_string(cols.len(), &wkt)?;
            }
        }
        f.create(&layer)?;
        count += 1;
    }
    Ok(count)
}

/// The Shapefile's parts (`.shp`, `.shx`, `.dbf`, `.prj`, `.cpg`) in one zip.
fn zip_parts(dir: &std::path::Path, layer: &str) -> std::io::Result<Vec<u8>> {
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut parts: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.file_stem().and_then(|s| s.to_str()) == Some(layer))
        .collect();
    parts.sort();
    for p in parts {
        let name = p
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        out.start_file(name, opts).map_err(std::io::Error::other)?;
        out.write_all(&std::fs::read(&p)?)?;
    }
    Ok(out.finish().map_err(std::io::Error::other)?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dbf_names_are_cut_to_ten_and_kept_apart() {
        let mut taken = Vec::new();
        for k in ["responsible_party", "responsible_partner", "code"] {
            let n = dbf_name(k, &taken);
            taken.push(n);
        }
        assert_eq!(taken, ["responsibl", "responsi_2", "code"]);
    }

    #[test]
    fn column_types_follow_the_values() {
        let rec = |v: Value| (v.as_object().cloned().unwrap_or_default(), Vec::new());
        let cols = columns(&[
            rec(serde_json::json!({"a": 1, "b": null, "c": "x"})),
            rec(serde_json::json!({"a": 1.5, "b": 2, "c": 3})),
        ]);
        assert_eq!(
            cols,
            [
                ("a".to_owned(), Kind::Real),
                ("b".to_owned(), Kind::Integer),
                ("c".to_owned(), Kind::Text)
            ]
        );
    }
}
