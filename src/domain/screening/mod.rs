//! Screening soil results against the national standards.
//!
//! - GB 36600-2018 (construction land): every item has a screening value
//!   (筛选值) and an intervention value (管制值) for class-1 and class-2 land;
//!   [`screen`] turns a parcel's results into exceedances and a verdict.
//! - GB 15618-2018 (farmland): screening values by soil pH band and land type,
//!   intervention values by pH band; [`classify_farmland`] gives the class
//!   (priority protection, safe use, strict control).
//!
//! Both tables are embedded from the CSV files next to this module
//! (`include_str!`) and parsed once, strictly: a malformed table is an error,
//! never a silently shorter standard. Values are in mg/kg throughout; [`Unit`]
//! converts what laboratories report.

mod aliases;
mod construction;
mod farmland;
mod gb15618;
mod reader;
mod standard;
#[cfg(test)]
mod tests;
mod unit;

pub use construction::{screen, Exceedance, Level, Measured, Screening, Verdict};
pub use farmland::{classify_farmland, FarmExceedance, FarmMeasured, FarmScreening, FarmlandClass};
pub use gb15618::{FarmLandType, FarmRow, Gb15618, PhBand};
pub use standard::{Gb36600, Item};
pub use unit::Unit;
