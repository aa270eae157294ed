//! Test support: a real PostGIS, one database per test cloned from a migrated template.
#![allow(dead_code)]

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use soilreg::config::Config;
use soilreg::domain::access::{Department, Role};
use soilreg::gis::extent::Extent;
use soilreg::AppState;
use sqlx::{Connection, PgConnection, PgPool};
use tokio::sync::OnceCell;
use tower::ServiceExt;

static ADMIN_URL: OnceCell<String> = OnceCell::const_new();
static TEMPLATE: OnceCell<String> = OnceCell::const_new();

/// The maintenance URL of the test server: `TEST_ADMIN_URL`, or an embedded
/// cluster under target/test-pg started (and left running) on first use.
async fn admin_url() -> &'static str {
    ADMIN_URL
        .get_or_init(|| async {
            if let Ok(url) = std::env::var("TEST_ADMIN_URL") {
                return url;
            }
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-pg");
            let port = std::env::var("TEST_PG_PORT")
                .ok()
                .and_then(|p| p.parse().ok())
                .unwrap_or(54330);
            let bin = std::path::PathBuf::from("/usr/lib/postgresql/15/bin");
            let cluster =
                tokio::task::spawn_blocking(move || soilreg::pg::Cluster::ensure(&dir, &bin, port))
                    .await
                    .expect("join")
                    .expect("embedded test cluster");
            let url = cluster.admin_url();
            cluster.detach();
            url
        })
        .await
}

fn with_db(url: &str, db: &str) -> String {
    let (base, _) = url.rsplit_once('/').expect("url with a database");
    format!("{base}/{db}")
}

/// A migrated template database, named after the migrations' checksums so a change rebuilds it.
async fn template() -> &'static str {
    TEMPLATE
        .get_or_init(|| async {
            let admin = admin_url().await;
            let mut sum = 0u64;
            for m in soilreg::db::MIGRATOR.iter() {
                for b in m.checksum.iter() {
                    sum = sum.wrapping_mul(31).wrapping_add(u64::from(*b));
                }
            }
            let name = format!("soilreg_tpl_{sum:016x}");
            let mut conn = PgConnection::connect(admin)
                .await
                .expect("admin connection");
            sqlx::query("SELECT pg_advisory_lock(4242)")
                .execute(&mut conn)
                .await
                .expect("lock");
            let exists: bool =
                sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
                    .bind(&name)
                    .fetch_one(&mut conn)
                    .await
                    .expect("query");
            if !exists {
                let building = format!("{name}_building");
                sqlx::query(&format!("DROP DATABASE IF EXISTS {building}"))
                    .execute(&mut conn)
                    .await
                    .expect("drop");
                sqlx::query(&format!("CREATE DATABASE {building}"))
                    .execute(&mut conn)
                    .await
                    .expect("create");
                let pool = PgPool::connect(&with_db(admin, &building))
                    .await
                    .expect("template pool");
                soilreg::db::MIGRATOR.run(&pool).await.expect("migrations");
                pool.close().await;
                sqlx::query(&format!("ALTER DATABASE {building} RENAME TO {name}"))
                    .execute(&mut conn)
                    .await
                    .expect("rename");
            }
            sqlx::query("SELECT pg_advisory_unlock(4242)")
                .execute(&mut conn)
                .await
                .expect("unlock");
            name
        })
        .await
}

/// A fresh database for one test.
pub async fn database() -> (PgPool, String) {
    let tpl = template().await;
    let admin = admin_url().await;
    let name = format!("t_{}", uuid::Uuid::new_v4().simple());
    let mut conn = PgConnection::connect(admin)
        .await
        .expect("admin connection");
    sqlx::query(&format!("CREATE DATABASE {name} TEMPLATE {tpl}"))
        .execute(&mut conn)
        .await
        .expect("clone");
    let url = with_db(admin, &name);
    let pool = soilreg::db::connect(&url, 8).await.expect("test pool");
    (pool, url)
}

pub fn test_config(url: &str) -> Config {
    Config {
        database_url: Some(url.to_owned()),
        pg_dir: "./var/pg".into(),
        pg_port: 54329,
        pg_bin: "/usr/lib/postgresql/15/bin".into(),
        data_dir: std::env::temp_dir()
            .join(format!("soilreg-test-{}", uuid::Uuid::new_v4().simple())),
        extent: Extent::MENTOUGOU,
        max_vertices: 2_000,
        max_body_bytes: 256 * 1024,
        max_document_bytes: 512 * 1024,
        check_interval_secs: 3600,
        web_dir: std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("web/dist"),
        basemap_url: None,
        basemap_gcj02: false,
        basemap_attribution: String::new(),
        db_pool: 8,
    }
}

/// The service on a fresh database, driven in-process.
pub struct TestApp {
    pub pool: PgPool,
    pub state: AppState,
}

/// A response: status, headers, JSON body (Null when empty or not JSON), text, bytes.
pub struct Res {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
    pub text: String,
    pub bytes: Vec<u8>,
}

impl Res {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts the one error shape and returns the error code.
    pub fn error_code(&self) -> &str {
        let e = &self.body["error"];
        assert!(
            e["message"].is_string(),
            "error without message: {}",
            self.text
        );
        assert!(
            e.get("field").is_some(),
            "error without field member: {}",
            self.text
        );
        e["code"]
            .as_str()
            .unwrap_or_else(|| panic!("no error code: {}", self.text))
    }
}

impl TestApp {
    pub async fn new() -> Self {
        let _ = tracing_subscriber::fmt()
            .with_test_writer()
            .with_env_filter("soilreg=warn")
            .try_init();
        let (pool, url) = database().await;
        let state = AppState::new(pool.clone(), test_config(&url));
        TestApp { pool, state }
    }

    /// Creates a user and returns its token.
    pub async fn token(&self, department: &str, role: Role) -> String {
        let d = Department::parse(department).expect("department");
        let token = format!("t-{department}-{role:?}-{}", uuid::Uuid::new_v4().simple());
        let mut conn = self.pool.acquire().await.expect("conn");
        soilreg::db::users::create(&mut conn, &format!("user-{token}"), d, role, &token)
            .await
            .expect("user");
        token
    }

    pub async fn send(&self, req: Request<Body>) -> Res {
        let res = soilreg::router(self.state.clone())
            .oneshot(req)
            .await
            .expect("infallible");
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.expect("body").to_bytes();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Res {
            status,
            headers,
            body,
            text,
            bytes: bytes.to_vec(),
        }
    }

    pub async fn request(
        &self,
        method: Method,
        uri: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
        body: Option<&Value>,
    ) -> Res {
        let mut b = Request::builder().method(method).uri(uri);
        if let Some(t) = token {
            b = b.header("authorization", format!("Bearer {t}"));
        }
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        let req = match body {
            Some(v) => b
                .header("content-type", "application/json")
                .body(Body::from(v.to_string())),
            None => b.body(Body::empty()),
        }
        .expect("request");
        self.send(req).await
    }

    pub async fn get(&self, uri: &str) -> Res {
        self.request(Method::GET, uri, None, &[], None).await
    }

    pub async fn post(&self, uri: &str, token: &str, body: &Value) -> Res {
        self.request(Method::POST, uri, Some(token), &[], Some(body))
            .await
    }

    pub async fn count(&self, table: &str) -> i64 {
        sqlx::query_scalar(&format!("SELECT count(*) FROM {table}"))
            .fetch_one(&self.pool)
            .await
            .expect("count")
    }
}

/// A square parcel boundary of side `d` degrees at (x, y), CGCS2000.
pub fn square(x: f64, y: f64, d: f64) -> Value {
    serde_json::json!({"type": "Polygon", "coordinates": [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]]})
}

/// A parcel Feature with the given code at (x, y).
pub fn parcel(code: &str, x: f64, y: f64) -> Value {
    serde_json::json!({
        "type": "Feature",
        "properties": {"code": code, "name": format!("测试地块 {code}"), "town": "110109007",
                       "planned_use": "0701", "current_use": "1001", "risk": "high"},
        "geometry": square(x, y, 0.002)
    })
}

impl TestApp {
    /// PATCHes a parcel with the ETag it has now (an edit that expects no conflict).
    pub async fn patch_current(&self, token: &str, code: &str, body: &Value) -> Res {
        let uri = format!("/api/parcels/{code}");
        let etag = self
            .get(&uri)
            .await
            .header("etag")
            .expect("etag")
            .to_owned();
        self.request(
            axum::http::Method::PATCH,
            &uri,
            Some(token),
            &[("if-match", &etag)],
            Some(body),
        )
        .await
    }

    /// Records a lifecycle event; returns the response.
    pub async fn event(&self, token: &str, code: &str, kind: &str, payload: Value) -> Res {
        self.post(
            &format!("/api/parcels/{code}/events"),
            token,
            &serde_json::json!({"kind": kind, "occurred_on": "2023-05-01", "payload": payload}),
        )
        .await
    }

    /// Uploads bytes as a multipart `file` part.
    pub async fn upload(&self, token: &str, filename: &str, bytes: &[u8]) -> Res {
        let boundary = "soilregtestboundary";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .into_bytes();
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let req = Request::builder()
            .method("POST")
            .uri("/api/documents")
            .header("authorization", format!("Bearer {token}"))
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .expect("request");
        self.send(req).await
    }
}

/// A valid unified social credit code built from 17 characters.
pub fn uscc(first17: &str) -> String {
    let check =
        soilreg::domain::enterprise::Uscc::check_character(first17).expect("17 valid characters");
    format!("{first17}{check}")
}

/// Percent-encodes a query value.
pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
