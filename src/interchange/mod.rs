//! Files in and out: reading surveyors' Shapefiles, GeoPackages, GeoJSON and CSV
//! (through GDAL), and writing any filtered selection back to those formats.

pub mod cli;
mod corner_rows;
pub mod encoding;
mod gdal_errors;
pub mod import;
mod ledger_import;
mod parcel_rows;
mod progress;
pub mod read;
pub mod running;
pub mod scratch;
mod srs;
pub mod write;
