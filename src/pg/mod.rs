//! The embedded PostgreSQL + PostGIS cluster used when no `DATABASE_URL` is given.

mod cluster;

pub use cluster::{create_database, Cluster};
