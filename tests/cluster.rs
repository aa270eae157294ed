//! The embedded PostgreSQL cluster, and `/healthz` while the database goes away and returns.

mod common;

use axum::http::StatusCode;
use soilreg::pg::Cluster;
use soilreg::AppState;

const BIN: &str = "/usr/lib/postgresql/15/bin";

fn scratch_dir(name: &str) -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/test-clusters")
        .join(format!("{name}-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(dir.parent().expect("parent")).expect("mkdir");
    dir
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    tokio::task::spawn_blocking(f).await.expect("join")
}

#[tokio::test]
async fn the_cluster_is_initialised_once_reused_and_keeps_its_data() {
    let dir = scratch_dir("reuse");
    let port = free_port();
    let d = dir.clone();
    let first = blocking(move || Cluster::ensure(&d, BIN.as_ref(), port))
        .await
        .expect("first start");
    soilreg::pg::create_database(&first.admin_url())
        .await
        .expect("create db");
    let pool = soilreg::connect_and_migrate(&first.url(), 2)
        .await
        .expect("migrate");
    sqlx::query("INSERT INTO users (name, department, role) VALUES ('keep-me', 'eco', 'viewer')")
        .execute(&pool)
        .await
        .expect("insert");
    pool.close().await;

    // A second handle attaches to the running server instead of starting another.
    let d = dir.clone();
    let second = blocking(move || Cluster::ensure(&d, BIN.as_ref(), port))
        .await
        .expect("attach");
    drop(second);
    assert!(
        dir.join("postmaster.pid").exists(),
        "dropping an attached handle leaves the server up"
    );

    drop(first); // stops the server it started
    assert!(
        !dir.join("postmaster.pid").exists(),
        "the server stopped cleanly"
    );

    let d = dir.clone();
    let again = blocking(move || Cluster::ensure(&d, BIN.as_ref(), port))
        .await
        .expect("restart");
    let pool = soilreg::connect_and_migrate(&again.url(), 2)
        .await
        .expect("reconnect");
    let kept: i64 = sqlx::query_scalar("SELECT count(*) FROM users WHERE name = 'keep-me'")
        .fetch_one(&pool)
        .await
        .expect("count");
    assert_eq!(kept, 1);
    pool.close().await;
    drop(again);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_failed_start_is_not_left_half_started() {
    let dir = scratch_dir("busy");
    let busy = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = busy.local_addr().expect("addr").port();
    let d = dir.clone();
    let err = blocking(move || Cluster::ensure(&d, BIN.as_ref(), port))
        .await
        .expect_err("port taken");
    assert!(err.to_string().contains("did not start"), "{err}");
    assert!(
        !dir.join("postmaster.pid").exists(),
        "no server left behind"
    );
    drop(busy);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn healthz_answers_503_while_the_database_is_down_and_recovers_without_a_restart() {
    let dir = scratch_dir("health");
    let port = free_port();
    let d = dir.clone();
    let mut cluster = blocking(move || Cluster::ensure(&d, BIN.as_ref(), port))
        .await
        .expect("start");
    soilreg::pg::create_database(&cluster.admin_url())
        .await
        .expect("create db");
    let pool = soilreg::connect_and_migrate(&cluster.url(), 2)
        .await
        .expect("migrate");
    let app = common::TestApp {
        pool: pool.clone(),
        state: AppState::new(pool, common::test_config(&cluster.url())),
    };

    let up = app.get("/healthz").await;
    assert_eq!(up.status, StatusCode::OK);
    assert_eq!(up.body["database"], "up");

    cluster.stop(true).expect("stop");
    let down = app.get("/healthz").await;
    assert_eq!(down.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(down.body["database"], "down");

    let d = dir.clone();
    let restarted = blocking(move || Cluster::ensure(&d, BIN.as_ref(), port))
        .await
        .expect("restart");
    let back = app.get("/healthz").await;
    assert_eq!(back.status, StatusCode::OK, "{}", back.text);
    drop(restarted);
    let _ = std::fs::remove_dir_all(&dir);
}
