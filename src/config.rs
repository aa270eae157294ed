//! One typed configuration, from flags and environment variables.

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Args;

use crate::gis::extent::Extent;
use crate::gis::geometry::Limits;

/// Where the database is and how the service behaves.
#[derive(Args, Clone)]
pub struct Config {
    /// PostgreSQL + PostGIS URL; without it soilreg runs its own embedded cluster.
    #[arg(long, env = "DATABASE_URL", global = true, hide_env_values = true)]
    pub database_url: Option<String>,
    /// Data directory of the embedded PostgreSQL cluster.
    #[arg(
        long,
        env = "SOILREG_PG_DIR",
        default_value = "./var/pg",
        global = true
    )]
    pub pg_dir: PathBuf,
    /// Loopback port of the embedded cluster.
    #[arg(long, env = "SOILREG_PG_PORT", default_value_t = 54329, global = true)]
    pub pg_port: u16,
    /// Directory of the PostgreSQL 15 binaries (initdb, pg_ctl).
    #[arg(
        long,
        env = "SOILREG_PG_BIN",
        default_value = "/usr/lib/postgresql/15/bin",
        global = true
    )]
    pub pg_bin: PathBuf,
    /// Directory for documents and other files.
    #[arg(long, env = "SOILREG_DATA_DIR", default_value = "./var", global = true)]
    pub data_dir: PathBuf,
    /// District extent, CGCS2000 degrees: minx,miny,maxx,maxy.
    #[arg(
        long,
        env = "SOILREG_EXTENT",
        default_value = "115.41167,39.80444,116.17361,40.18194",
        global = true
    )]
    pub extent: Extent,
    /// Most vertices a boundary may have.
    #[arg(
        long,
        env = "SOILREG_MAX_VERTICES",
        default_value_t = 20_000,
        global = true
    )]
    pub max_vertices: usize,
    /// Largest request body, bytes.
    #[arg(long, env = "SOILREG_MAX_BODY", default_value_t = 8 * 1024 * 1024, global = true)]
    pub max_body_bytes: usize,
    /// Largest document upload, bytes.
    #[arg(long, env = "SOILREG_MAX_DOCUMENT", default_value_t = 20 * 1024 * 1024, global = true)]
    pub max_document_bytes: usize,
    /// Seconds between the scheduled checks (overdue filings).
    #[arg(
        long,
        env = "SOILREG_CHECK_INTERVAL",
        default_value_t = 3600,
        global = true
    )]
    pub check_interval_secs: u64,
    /// An optional raster basemap for the map, an XYZ template such as a Tianditu
    /// `…/DataServer?T=vec_w&x={x}&y={y}&l={z}&tk=KEY` URL. Without it the map needs no outside request.
    #[arg(
        long,
        env = "SOILREG_BASEMAP_URL",
        global = true,
        hide_env_values = true
    )]
    pub basemap_url: Option<String>,
    /// The basemap is in GCJ-02 (AMap, Tencent): the map then asks for offset tiles.
    #[arg(
        long,
        env = "SOILREG_BASEMAP_GCJ02",
        default_value_t = false,
        global = true
    )]
    pub basemap_gcj02: bool,
    /// Attribution shown for the basemap.
    #[arg(
        long,
        env = "SOILREG_BASEMAP_ATTRIBUTION",
        default_value = "",
        global = true
    )]
    pub basemap_attribution: String,
    /// The built web front end (`npm run build` in web/).
    #[arg(
        long,
        env = "SOILREG_WEB_DIR",
        default_value = "web/dist",
        global = true
    )]
    pub web_dir: PathBuf,
    /// Database connections in the pool.
    #[arg(long, env = "SOILREG_DB_POOL", default_value_t = 16, global = true)]
    pub db_pool: u32,
}

impl Config {
    pub fn limits(&self) -> Limits {
        Limits {
            extent: self.extent,
            max_vertices: self.max_vertices,
        }
    }
}

/// Where `serve` listens.
#[derive(Args, Clone, Debug)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "SOILREG_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Load the demo district (idempotent) before serving.
    #[arg(long)]
    pub demo: bool,
}

impl fmt::Debug for Config {
    /// The database URL may hold a password: never print it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field(
                "database_url",
                &self.database_url.as_ref().map(|_| "<redacted>"),
            )
            .field("pg_dir", &self.pg_dir)
            .field("pg_port", &self.pg_port)
            .field("data_dir", &self.data_dir)
            .field("extent", &self.extent)
            .field("max_vertices", &self.max_vertices)
            .field("max_body_bytes", &self.max_body_bytes)
            .finish_non_exhaustive()
    }
}
