//! Files in and out: reading surveyors' Shapefiles, GeoPackages, GeoJSON and CSV
//! (through GDAL), and writing any filtered selection back to those formats.

pub mod cli;
pub mod encoding;
pub mod import;
mod ledger_import;
pub mod read;
pub mod scratch;
pub mod write;
