//! Real GIS clients against the running service: GDAL's OGC API – Features driver,
//! OWSLib, and schemathesis on the OpenAPI document. `make test` installs them
//! (gdal-bin from Debian, OWSLib and schemathesis into target/pyenv) and sets
//! SOILREG_INTEROP=1; without it these tests say so and do nothing.

mod common;

use std::process::Command;

use axum::http::StatusCode;
use common::{parcel, TestApp};
use serde_json::json;
use soilreg::domain::access::Role;

fn enabled() -> bool {
    if std::env::var("SOILREG_INTEROP").is_ok_and(|v| v == "1") {
        return true;
    }
    eprintln!("interop tests need SOILREG_INTEROP=1 (make test sets it)");
    false
}

fn python() -> String {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/pyenv/bin/python");
    assert!(
        p.exists(),
        "{} is missing: run make test (it creates the Python venv)",
        p.display()
    );
    p.display().to_string()
}

/// The service on a free loopback port, with twelve parcels.
async fn running() -> (TestApp, String) {
    let app = TestApp::new().await;
    let t = app.token("planning", Role::Editor).await;
    for i in 0..12 {
        let mut f = parcel(&format!("I-{i:02}"), 116.05 + 0.003 * f64::from(i), 39.90);
        f["properties"]["risk"] = json!(if i < 3 { "high" } else { "low" });
        assert_eq!(
            app.post("/api/parcels", &t, &f).await.status,
            StatusCode::CREATED
        );
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let state = app.state.clone();
    tokio::spawn(soilreg::serve(listener, state, std::future::pending()));
    (app, format!("http://{addr}"))
}

fn run(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{cmd:?} failed:\n{text}");
    text
}

async fn blocking(mut cmd: Command) -> String {
    tokio::task::spawn_blocking(move || run(&mut cmd))
        .await
        .expect("join")
}

#[tokio::test(flavor = "multi_thread")]
async fn gdal_lists_the_collections_and_reads_features_with_a_bbox() {
    if !enabled() {
        return;
    }
    let (_app, base) = running().await;
    let ds = format!("OAPIF:{base}/ogc");
    let mut list = Command::new("ogrinfo");
    list.args(["-ro", "-so", &ds]);
    let layers = blocking(list).await;
    for l in [
        "parcels",
        "sampling-points",
        "closed-sites",
        "farmland-plots",
    ] {
        assert!(layers.contains(l), "{l} missing from:\n{layers}");
    }
    let mut all = Command::new("ogrinfo");
    all.args(["-ro", "-al", "-q", &ds, "parcels"]);
    let features = blocking(all).await;
    assert_eq!(
        features.matches("OGRFeature(parcels)").count(),
        12,
        "{features}"
    );
    assert!(features.contains("MULTIPOLYGON") && features.contains("I-11"));
    // A spatial filter becomes a bbox request: only I-01 lies in this window.
    let mut window = Command::new("ogrinfo");
    window.args([
        "-ro", "-al", "-q", "-spat", "116.0535", "39.9005", "116.0545", "39.9015", &ds, "parcels",
    ]);
    let some = blocking(window).await;
    assert_eq!(some.matches("OGRFeature(parcels)").count(), 1, "{some}");
    assert!(some.contains("I-01"));
    // Reprojected reading through GDAL, checked against PROJ directly.
    let mut gk = Command::new("ogr2ogr");
    gk.args([
        "-f",
        "GeoJSON",
        "/vsistdout/",
        &ds,
        "parcels",
        "-t_srs",
        "EPSG:4548",
        "-where",
        "code = 'I-00'",
    ]);
    let out = blocking(gk).await;
    let proj = proj::Proj::new_known_crs("EPSG:4490", "EPSG:4548", None).expect("proj");
    let (e, _): (f64, f64) = proj.convert((116.05_f64, 39.90_f64)).expect("convert");
    assert!(
        out.contains(&format!("{}", e.floor() as i64)),
        "easting {e} not in:\n{out}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn owslib_pages_through_a_collection() {
    if !enabled() {
        return;
    }
    let (_app, base) = running().await;
    let script = r#"
import json, sys
from owslib.ogcapi.features import Features
w = Features(sys.argv[1] + "/ogc")
ids = [c["id"] for c in w.collections()["collections"]]
assert "parcels" in ids, ids
seen, cursor = [], None
while True:
    kw = {"limit": 5}
    if cursor is not None:
        kw["cursor"] = cursor
    page = w.collection_items("parcels", **kw)
    seen += [f["id"] for f in page["features"]]
    nxt = [l for l in page["links"] if l["rel"] == "next"]
    if not nxt:
        break
    cursor = nxt[0]["href"].split("cursor=")[1].split("&")[0]
print(json.dumps({"seen": seen, "matched": page.get("numberMatched")}))
"#;
    let mut cmd = Command::new(python());
    cmd.args(["-c", script, &base]);
    let out = blocking(cmd).await;
    let v: serde_json::Value =
        serde_json::from_str(out.lines().last().unwrap_or("")).unwrap_or_else(|_| panic!("{out}"));
    let seen: Vec<String> = v["seen"]
        .as_array()
        .expect("seen")
        .iter()
        .map(|s| s.as_str().expect("id").to_owned())
        .collect();
    assert_eq!(
        seen,
        (0..12).map(|i| format!("I-{i:02}")).collect::<Vec<_>>()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn schemathesis_finds_no_server_error_in_the_ogc_api() {
    if !enabled() {
        return;
    }
    let (_app, base) = running().await;
    let st = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/pyenv/bin/schemathesis");
    let mut cmd = Command::new(st);
    cmd.args([
        "run",
        &format!("{base}/ogc/api"),
        "--checks",
        "not_a_server_error",
        "--max-examples",
        "30",
        "--url",
        &base,
        "--workers",
        "2",
        // A fixed seed keeps CI reproducible; change it to explore new cases.
        "--seed",
        "20261129",
    ])
    .env("SCHEMATHESIS_HOOKS", "")
    .env("NO_COLOR", "1");
    // Judge by what schemathesis reports, not its exit status: an internal error of its own
    // (e.g. in Hypothesis) is not a server error; a 5xx anywhere is.
    let out = tokio::task::spawn_blocking(move || {
        let o = cmd.output().expect("schemathesis runs");
        format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    })
    .await
    .expect("join");
    assert!(
        !out.contains("Server error") && !out.contains("ST101"),
        "{out}"
    );
    assert!(
        out.contains("Tested: 51") && out.contains(" generated, "),
        "schemathesis did not test every operation:\n{out}"
    );
}
