//! Importing parcels from surveyors' files: the field mapping, corner tables, and the
//! validation report. Reading the formats is in `interchange`; the checks only PostGIS
//! can make are in `db::imports`.

pub mod corners;
pub mod exchange_txt;
pub mod existing;
pub mod ledger_columns;
pub mod mapping;
mod member;
pub mod mode;
pub mod report;
pub mod row;

/// Column names as a file's header gives them (for the tests).
#[cfg(test)]
pub(crate) fn cols(c: &[&str]) -> Vec<String> {
    c.iter().map(|s| s.to_string()).collect()
}
