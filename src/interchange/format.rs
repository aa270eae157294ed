//! The file formats an import reads, by extension, and the GDAL driver of each.

use std::path::Path;

/// The formats read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Format {
    #[serde(rename = "ESRI Shapefile")]
    Shapefile,
    #[serde(rename = "GPKG")]
    GeoPackage,
    #[serde(rename = "GeoJSON")]
    GeoJson,
    #[serde(rename = "CSV")]
    Csv,
    /// A spreadsheet: each sheet a layer, read as a table of corner or point coordinates.
    #[serde(rename = "XLSX")]
    Xlsx,
    /// The boundary-point exchange text (界址点坐标交换格式, `.txt`), read into a GeoJSON
    /// copy (`domain::import::exchange_txt`).
    #[serde(rename = "界址点坐标交换格式")]
    ExchangeTxt,
    /// KML or KMZ (Google Earth, 奥维 and other web-map tools): WGS 84 degrees.
    #[serde(rename = "LIBKML")]
    Kml,
}

/// Whether a file name is one `open` reads (a zip, or one of the formats).
pub fn readable_name(name: &str) -> bool {
    let path = Path::new(name);
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
        || Format::of(path).is_some()
}

impl Format {
    pub(super) fn of(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "shp" => Format::Shapefile,
            "gpkg" => Format::GeoPackage,
            "geojson" | "json" => Format::GeoJson,
            "csv" | "txt" => Format::Csv,
            "xlsx" => Format::Xlsx,
            "kml" | "kmz" => Format::Kml,
            _ => return None,
        })
    }

    /// The GDAL driver that reads it.
    pub fn driver(self) -> &'static str {
        match self {
            Format::Shapefile => "ESRI Shapefile",
            Format::GeoPackage => "GPKG",
            Format::GeoJson | Format::ExchangeTxt => "GeoJSON",
            Format::Csv => "CSV",
            Format::Xlsx => "XLSX",
            Format::Kml => "LIBKML",
        }
    }

    /// The format's name in a report.
    pub fn label(self) -> &'static str {
        match self {
            Format::ExchangeTxt => "界址点坐标交换格式 TXT",
            Format::Kml => "KML",
            other => other.driver(),
        }
    }
}
