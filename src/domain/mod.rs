//! Pure domain rules and types: no I/O, unit-tested without a database.

pub mod access;
pub mod closed_site;
pub mod document;
pub mod enterprise;
pub mod filing;
pub mod import;
pub mod key_unit;
pub mod land_use;
pub mod ledgers;
pub mod lifecycle;
pub mod parcel;
pub mod parcel_history;
pub mod plan;
pub mod review;
pub mod rules;
pub mod sampling;
pub mod screening;
pub mod site_risk;
pub mod town;
