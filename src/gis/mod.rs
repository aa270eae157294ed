//! Coordinate systems, geometry parsing and checks, the district extent.

pub mod box_pairs;
pub mod cql2;
pub mod crs;
pub mod detect;
pub mod extent;
pub mod gcj02;
pub mod geometry;
