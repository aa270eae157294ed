//! The district outline and town boundaries for the map, in CGCS2000 and offset to GCJ-02.

mod common;

use axum::http::StatusCode;
use common::TestApp;
use serde_json::Value;

/// Every position of a GeoJSON geometry.
fn positions(geometry: &Value) -> Vec<(f64, f64)> {
    fn walk(v: &Value, out: &mut Vec<(f64, f64)>) {
        let Some(items) = v.as_array() else { return };
        match (
            items.first().and_then(Value::as_f64),
            items.get(1).and_then(Value::as_f64),
        ) {
            (Some(x), Some(y)) => out.push((x, y)),
            _ => items.iter().for_each(|i| walk(i, out)),
        }
    }
    let mut out = Vec::new();
    walk(&geometry["coordinates"], &mut out);
    out
}

/// Metres between two lon/lat points (equirectangular; fine over a kilometre).
fn metres((x1, y1): (f64, f64), (x2, y2): (f64, f64)) -> f64 {
    let k = std::f64::consts::PI / 180.0;
    let dx = (x2 - x1) * k * ((y1 + y2) / 2.0 * k).cos();
    let dy = (y2 - y1) * k;
    dx.hypot(dy) * 6_371_000.0
}

/// Each GCJ-02 position is its CGCS2000 one moved by the published offset, a few hundred
/// metres here; the shapes keep their vertex count.
fn assert_offset(plain: &Value, gcj: &Value, what: &str) {
    let (a, b) = (positions(plain), positions(gcj));
    assert!(!a.is_empty(), "{what}: no positions");
    assert_eq!(a.len(), b.len(), "{what}: vertex count changed");
    for (p, q) in a.iter().zip(&b) {
        let d = metres(*p, *q);
        assert!((450.0..650.0).contains(&d), "{what}: {p:?} moved {d:.0} m");
        let expected = soilreg::gis::gcj02::to_gcj02(p.0, p.1);
        assert!(
            metres(expected, *q) < 0.05,
            "{what}: {q:?} is not GCJ-02 of {p:?}"
        );
        assert!(
            q.0 > p.0 && q.1 > p.1,
            "{what}: GCJ-02 moves Mentougou north-east"
        );
    }
}

#[tokio::test]
async fn the_outline_and_towns_come_offset_to_gcj02_when_asked() {
    let app = TestApp::new().await;
    soilreg::demo::load_district(&app.pool)
        .await
        .expect("district");

    let district = app.get("/api/district").await;
    let district_gcj = app.get("/api/district?coords=gcj02").await;
    assert_eq!(district_gcj.status, StatusCode::OK);
    assert_eq!(
        district_gcj.header("content-type"),
        Some("application/geo+json")
    );
    assert_eq!(district_gcj.body["properties"], district.body["properties"]);
    assert_offset(
        &district.body["geometry"],
        &district_gcj.body["geometry"],
        "district",
    );

    let towns = app.get("/api/towns").await.body;
    let towns_gcj = app.get("/api/towns?coords=gcj02").await.body;
    let (plain, gcj) = (
        towns["features"].as_array().expect("towns"),
        towns_gcj["features"].as_array().expect("towns"),
    );
    assert_eq!(plain.len(), 13);
    assert_eq!(gcj.len(), 13);
    for (p, g) in plain.iter().zip(gcj) {
        assert_eq!(p["id"], g["id"]);
        assert_offset(
            &p["geometry"],
            &g["geometry"],
            p["id"].as_str().unwrap_or("town"),
        );
    }

    for bad in [
        "/api/towns?coords=wgs84",
        "/api/district?coords=bd09",
        "/api/towns?colour=red",
    ] {
        let r = app.get(bad).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}");
    }
}
