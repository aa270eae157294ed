//! Files in and out: reading surveyors' Shapefiles, GeoPackages, GeoJSON, CSV and XLSX
//! (through GDAL) and the boundary-point exchange text, and writing any filtered
//! selection back to those formats.

pub mod cli;
mod corner_rows;
pub mod encoding;
mod exchange_txt;
pub mod format;
mod gdal_errors;
pub mod import;
pub mod job;
mod ledger_import;
mod parcel_rows;
mod progress;
pub mod read;
pub mod running;
pub mod scratch;
mod srs;
pub mod write;
