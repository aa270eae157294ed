//! OGC API – Features and vector tiles, in-process against real PostGIS.

mod common;

use axum::http::{Method, StatusCode};
use common::{parcel, urlencode, TestApp};
use serde_json::{json, Value};
use soilreg::domain::access::Role;
use soilreg::tiles::mvt;

/// Twelve parcels in a row, 0.003° apart, starting at 116.05E 39.90N.
async fn district(app: &TestApp) -> String {
    let t = app.token("planning", Role::Editor).await;
    for i in 0..12 {
        let mut f = parcel(&format!("O-{i:02}"), 116.05 + 0.003 * f64::from(i), 39.90);
        f["properties"]["risk"] = json!(if i < 3 { "high" } else { "low" });
        f["properties"]["planned_use"] = json!(if i % 2 == 0 { "0701" } else { "1001" });
        assert_eq!(
            app.post("/api/parcels", &t, &f).await.status,
            StatusCode::CREATED
        );
    }
    t
}

fn ids(r: &common::Res) -> Vec<String> {
    r.body["features"]
        .as_array()
        .expect("features")
        .iter()
        .map(|f| f["id"].as_str().expect("id").to_owned())
        .collect()
}

#[tokio::test]
async fn the_landing_page_conformance_collections_and_queryables_describe_the_service() {
    let app = TestApp::new().await;
    let landing = app.get("/ogc").await;
    assert_eq!(landing.status, StatusCode::OK);
    let rels: Vec<&str> = landing.body["links"]
        .as_array()
        .expect("links")
        .iter()
        .map(|l| l["rel"].as_str().expect("rel"))
        .collect();
    for rel in ["self", "service-desc", "conformance", "data"] {
        assert!(rels.contains(&rel), "{rel}");
    }
    let conf = app.get("/ogc/conformance").await.body;
    let classes = conf["conformsTo"].as_array().expect("classes");
    assert!(classes
        .iter()
        .any(|c| c == "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs"));
    assert!(classes
        .iter()
        .any(|c| c == "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text"));
    let cols = app.get("/ogc/collections").await.body;
    let names: Vec<&str> = cols["collections"]
        .as_array()
        .expect("c")
        .iter()
        .map(|c| c["id"].as_str().expect("id"))
        .collect();
    for c in [
        "parcels",
        "sampling-points",
        "closed-sites",
        "key-units",
        "farmland-plots",
        "patches",
    ] {
        assert!(names.contains(&c), "{c}");
    }
    let p = app.get("/ogc/collections/parcels").await.body;
    assert_eq!(
        p["storageCrs"],
        "http://www.opengis.net/def/crs/EPSG/0/4490"
    );
    assert!(p["crs"]
        .as_array()
        .expect("crs")
        .iter()
        .any(|c| c == "http://www.opengis.net/def/crs/EPSG/0/4548"));
    let q = app.get("/ogc/collections/parcels/queryables").await;
    assert_eq!(q.header("content-type"), Some("application/schema+json"));
    assert_eq!(q.body["properties"]["gb36600_class"]["type"], "integer");
    let api = app.get("/ogc/api").await;
    assert_eq!(api.body["openapi"], "3.0.3");
    assert!(api.body["paths"]["/ogc/collections/parcels/items"].is_object());
    assert_eq!(
        app.get("/ogc/collections/nope").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.get("/ogc?f=xml").await.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn items_page_forward_and_back_by_keyset_with_counts_and_a_timestamp() {
    let app = TestApp::new().await;
    district(&app).await;
    let first = app.get("/ogc/collections/parcels/items?limit=5").await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(
        first.header("content-crs"),
        Some("<http://www.opengis.net/def/crs/OGC/1.3/CRS84>")
    );
    assert_eq!(first.body["numberMatched"], 12);
    assert_eq!(first.body["numberReturned"], 5);
    assert!(first.body["timeStamp"].is_string());
    let link = |r: &common::Res, rel: &str| -> Option<String> {
        r.body["links"]
            .as_array()
            .expect("links")
            .iter()
            .find(|l| l["rel"] == rel)
            .map(|l| {
                l["href"]
                    .as_str()
                    .expect("href")
                    .replace("http://localhost", "")
            })
    };
    assert!(link(&first, "prev").is_none());
    let second = app.get(&link(&first, "next").expect("next")).await;
    let third = app.get(&link(&second, "next").expect("next")).await;
    assert_eq!(ids(&third), vec!["O-10", "O-11"]);
    assert!(link(&third, "next").is_none());
    let back = app.get(&link(&third, "prev").expect("prev")).await;
    assert_eq!(ids(&back), ids(&second));
    let all: Vec<String> = [&first, &second, &third]
        .iter()
        .flat_map(|r| ids(r))
        .collect();
    assert_eq!(all.len(), 12);
    for (q, code) in [
        ("limit=0", "invalid_parameter"),
        ("colour=red", "unknown_parameter"),
        ("bbox=1,2,3", "invalid_parameter"),
        ("crs=EPSG:3857", "invalid_parameter"),
        ("datetime=yesterday", "invalid_parameter"),
    ] {
        let r = app
            .get(&format!("/ogc/collections/parcels/items?{q}"))
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{q}");
        assert_eq!(r.error_code(), code, "{q}");
    }
    let big = app.get("/ogc/collections/parcels/items?limit=100000").await;
    assert_eq!(
        big.body["numberReturned"], 12,
        "limits over the maximum are clamped"
    );
}

#[tokio::test]
async fn bbox_and_crs_follow_part_2_with_authority_axis_order() {
    let app = TestApp::new().await;
    district(&app).await;
    // O-01 spans 116.053–116.055 E.
    let lonlat = app
        .get("/ogc/collections/parcels/items?bbox=116.0535,39.9005,116.0545,39.9015")
        .await;
    assert_eq!(ids(&lonlat), vec!["O-01"]);
    let latlon = app.get("/ogc/collections/parcels/items?bbox=39.9005,116.0535,39.9015,116.0545&bbox-crs=http://www.opengis.net/def/crs/EPSG/0/4326").await;
    assert_eq!(ids(&latlon), vec!["O-01"], "EPSG:4326 bbox is lat,lon");
    let proj = proj::Proj::new_known_crs("EPSG:4490", "EPSG:4548", None).expect("proj");
    let (e, n) = proj.convert((116.054, 39.901)).expect("convert");
    let gk = app.get(&format!("/ogc/collections/parcels/items?bbox={},{},{},{}&bbox-crs=http://www.opengis.net/def/crs/EPSG/0/4548", n - 10.0, e - 10.0, n + 10.0, e + 10.0)).await;
    assert_eq!(ids(&gk), vec!["O-01"], "EPSG:4548 bbox is northing,easting");

    let one = app
        .get("/ogc/collections/parcels/items/O-00?crs=http://www.opengis.net/def/crs/EPSG/0/4490")
        .await;
    assert_eq!(
        one.header("content-crs"),
        Some("<http://www.opengis.net/def/crs/EPSG/0/4490>")
    );
    let first = &one.body["geometry"]["coordinates"][0][0][0];
    assert_eq!(
        (first[0].as_f64(), first[1].as_f64()),
        (Some(39.90), Some(116.05)),
        "lat, lon"
    );
    let gk = app
        .get("/ogc/collections/parcels/items/O-00?crs=http://www.opengis.net/def/crs/EPSG/0/4548")
        .await;
    let p = &gk.body["geometry"]["coordinates"][0][0][0];
    let (e0, n0) = proj.convert((116.05, 39.90)).expect("convert");
    assert!(
        (p[0].as_f64().expect("n") - n0).abs() < 0.01
            && (p[1].as_f64().expect("e") - e0).abs() < 0.01,
        "{p} vs {n0},{e0}"
    );
    let gcj = app
        .get("/ogc/collections/parcels/items/O-00?coords=gcj02")
        .await;
    let g = &gcj.body["geometry"]["coordinates"][0][0][0];
    let shift = (g[0].as_f64().expect("x") - 116.05) * 85_400.0;
    assert!(
        (400.0..700.0).contains(&shift),
        "GCJ-02 moves points about half a kilometre east: {shift}"
    );
    // A page in GCJ-02 holds the same shifted positions, feature by feature.
    let page = app
        .get("/ogc/collections/parcels/items?coords=gcj02&filter=code%3D'O-00'")
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    assert_eq!(page.body["features"][0]["geometry"], gcj.body["geometry"]);
    assert_eq!(
        app.get("/ogc/collections/parcels/items/NOPE").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn cql2_filters_and_property_filters_select_the_same_parcels_as_the_register() {
    let app = TestApp::new().await;
    district(&app).await;
    let f = |q: &str| {
        format!(
            "/ogc/collections/parcels/items?limit=100&filter={}",
            urlencode(q)
        )
    };
    let cases: Vec<(&str, Vec<&str>)> = vec![
        ("risk = 'high'", vec!["O-00", "O-01", "O-02"]),
        ("risk = 'high' AND planned_use = '0701'", vec!["O-00", "O-02"]),
        ("NOT (risk = 'low') OR code = 'O-11'", vec!["O-00", "O-01", "O-02", "O-11"]),
        ("code IN ('O-03', 'O-04')", vec!["O-03", "O-04"]),
        ("code LIKE 'O-1%'", vec!["O-10", "O-11"]),
        ("gb36600_class = 2 AND code BETWEEN 'O-05' AND 'O-08'", vec!["O-05", "O-07"]),
        ("S_INTERSECTS(geometry, POLYGON((116.0535 39.9005, 116.0595 39.9005, 116.0595 39.9015, 116.0535 39.9015, 116.0535 39.9005)))", vec!["O-01", "O-02", "O-03"]),
        ("S_INTERSECTS(geometry, BBOX(116.0535, 39.9005, 116.0545, 39.9015))", vec!["O-01"]),
    ];
    for (q, expected) in cases {
        let r = app.get(&f(q)).await;
        assert_eq!(r.status, StatusCode::OK, "{q}: {}", r.text);
        assert_eq!(ids(&r), expected, "{q}");
    }
    let prop = app
        .get("/ogc/collections/parcels/items?risk=high&planned_use=1001")
        .await;
    assert_eq!(ids(&prop), vec!["O-01"]);
    for bad in [
        "risk = ",
        "colour = 'red'",
        "gb36600_class = 'two'",
        "code = 'x''; DROP TABLE parcels; --'",
    ] {
        let r = app.get(&f(bad)).await;
        if bad.contains("DROP") {
            assert_eq!(r.status, StatusCode::OK, "an injection is only a string");
            assert_eq!(r.body["numberReturned"], 0);
        } else {
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}");
            assert_eq!(r.body["error"]["field"], "filter");
        }
    }
    assert_eq!(app.count("parcels").await, 12);
    assert_eq!(
        app.get("/ogc/collections/parcels/items?filter-lang=cql2-json&filter=x")
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
}

/// The z14 tile holding 116.05E 39.90N.
fn tile_of(z: u32, lon: f64, lat: f64) -> (u32, u32) {
    let n = f64::from(1u32 << z);
    let x = ((lon + 180.0) / 360.0 * n).floor();
    let lat = lat.to_radians();
    let y = ((1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / std::f64::consts::PI) / 2.0 * n).floor();
    (x as u32, y as u32)
}

#[tokio::test]
async fn tiles_are_cached_with_etags_and_an_edit_shows_on_the_next_request() {
    let app = TestApp::new().await;
    let t = district(&app).await;
    let (x, y) = tile_of(16, 116.051, 39.901);
    let uri = format!("/tiles/parcels/16/{x}/{y}");
    let first = app.get(&uri).await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(
        first.header("content-type"),
        Some("application/vnd.mapbox-vector-tile")
    );
    assert!(
        first.text.contains("O-00") && first.text.contains("测试地块 O-00"),
        "the tile carries the parcel's properties"
    );
    let etag = first.header("etag").expect("etag").to_owned();
    let again = app
        .request(Method::GET, &uri, None, &[("if-none-match", &etag)], None)
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);

    // An edit through the API shows on the next request: the cached tile was dropped.
    let v = app
        .get("/api/parcels/O-00")
        .await
        .header("etag")
        .expect("etag")
        .to_owned();
    let res = app
        .request(
            Method::PATCH,
            "/api/parcels/O-00",
            Some(&t),
            &[("if-match", &v)],
            Some(&json!({"properties": {"name": "改名地块"}})),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK);
    let after = app
        .request(Method::GET, &uri, None, &[("if-none-match", &etag)], None)
        .await;
    assert_eq!(
        after.status,
        StatusCode::OK,
        "the old ETag no longer matches"
    );
    assert!(after.text.contains("改名地块"));

    // A tile far from any parcel is empty; a filter applies to tiles as to items.
    let (ex, ey) = tile_of(14, 115.6, 40.1);
    assert_eq!(
        app.get(&format!("/tiles/parcels/14/{ex}/{ey}"))
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    let (fx, fy) = tile_of(14, 116.051, 39.901);
    let filtered = app
        .get(&format!(
            "/tiles/parcels/14/{fx}/{fy}?filter={}",
            urlencode("risk = 'low'")
        ))
        .await;
    assert_eq!(filtered.status, StatusCode::OK);
    assert!(
        !filtered.text.contains("O-00") && filtered.text.contains("O-03"),
        "O-00 is high risk, O-03 low"
    );
    let none = app
        .get(&format!("{uri}?filter={}", urlencode("code = 'nothing'")))
        .await;
    assert_eq!(none.status, StatusCode::NO_CONTENT);
    // Low zooms aggregate.
    let (cx, cy) = tile_of(10, 116.06, 39.90);
    let cluster = app.get(&format!("/tiles/parcels/10/{cx}/{cy}")).await;
    assert_eq!(cluster.status, StatusCode::OK);
    assert!(cluster.text.contains("count") && !cluster.text.contains("O-00"));
    assert_eq!(
        app.get("/tiles/parcels/23/0/0").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/tiles/nope/1/0/0").await.status,
        StatusCode::NOT_FOUND
    );
    let tj = app.get("/tiles/parcels").await.body;
    assert_eq!(tj["tilejson"], "3.0.0");
    assert!(tj["tiles"][0]
        .as_str()
        .expect("url")
        .ends_with("/tiles/parcels/{z}/{x}/{y}"));
    let gcj = app.get(&format!("{uri}?coords=gcj02")).await;
    assert_ne!(gcj.text, after.text, "GCJ-02 tiles are shifted");
    let _: Value = Value::Null;
}

/// Codes of `O-00`…`O-11` present in a tile's bytes (each string is stored once per tile).
fn codes_in(text: &str) -> Vec<String> {
    (0..12)
        .map(|i| format!("O-{i:02}"))
        .filter(|c| text.contains(c.as_str()))
        .collect()
}

#[tokio::test]
async fn the_overdue_filing_filter_selects_exactly_the_parcels_with_an_overdue_filing_in_items_and_tiles(
) {
    let app = TestApp::new().await;
    district(&app).await;
    let eco = app.token("eco", Role::Editor).await;
    let file = |code: &str, kind: &str, deadline: &str| json!({"parcel": code, "kind": kind, "submitter": "示例咨询公司", "received_on": "2023-01-01", "deadline": deadline});
    let mut ids = std::collections::HashMap::new();
    for (code, kind, deadline) in [
        ("O-01", "survey_report", "2023-06-30"), // open, past: overdue
        ("O-04", "soil_transport_plan", "2023-02-01"), // past, but accepted below
        ("O-04", "periodic_control_report", "2099-06-30"), // open, not yet due
        ("O-07", "risk_assessment_report", "2023-03-31"), // under review, past: overdue
        ("O-09", "survey_report", "2023-04-30"), // two overdue: one parcel
        ("O-09", "periodic_control_report", "2023-05-31"),
    ] {
        let r = app
            .post("/api/filings", &eco, &file(code, kind, deadline))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        ids.insert((code, kind), r.body["id"].as_i64().expect("id"));
    }
    let review = |id: i64, status: &str| {
        let body = json!({"status": status});
        let eco = eco.clone();
        let app = &app;
        async move {
            let r = app
                .request(
                    Method::PATCH,
                    &format!("/api/filings/{id}"),
                    Some(&eco),
                    &[],
                    Some(&body),
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        }
    };
    review(ids[&("O-04", "soil_transport_plan")], "accepted").await;
    review(ids[&("O-07", "risk_assessment_report")], "under_review").await;

    // The register's own answer: the parcels of /api/filings?status=overdue.
    let listed = app.get("/api/filings?status=overdue").await;
    let mut expected: Vec<String> = listed.body["filings"]
        .as_array()
        .expect("filings")
        .iter()
        .map(|f| f["parcel"].as_str().expect("parcel").to_owned())
        .collect();
    expected.sort();
    expected.dedup();
    assert_eq!(expected, vec!["O-01", "O-07", "O-09"]);

    let items = |q: &str| {
        format!(
            "/ogc/collections/parcels/items?limit=100&filter={}",
            urlencode(q)
        )
    };
    let overdue = app.get(&items("overdue_filing = TRUE")).await;
    assert_eq!(overdue.status, StatusCode::OK, "{}", overdue.text);
    assert_eq!(ids_of(&overdue), expected);
    assert_eq!(
        overdue.body["numberMatched"], 3,
        "a parcel with two overdue filings counts once"
    );
    let rest = app.get(&items("overdue_filing = false")).await;
    assert_eq!(ids_of(&rest).len(), 9);
    assert!(ids_of(&rest).iter().all(|c| !expected.contains(c)));
    assert_eq!(
        ids_of(
            &app.get(&items("overdue_filing = true AND risk = 'high'"))
                .await
        ),
        vec!["O-01"]
    );
    assert_eq!(
        ids_of(
            &app.get("/ogc/collections/parcels/items?overdue_filing=true")
                .await
        ),
        expected,
        "the simple property filter agrees"
    );
    let bad = app.get(&items("overdue_filing = 'maybe'")).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.body["error"]["field"], "filter");
    let q = app.get("/ogc/collections/parcels/queryables").await;
    assert_eq!(q.body["properties"]["overdue_filing"]["type"], "boolean");

    // Tiles with the same filter draw the same parcels (z14: polygons with their codes).
    let tiles: std::collections::BTreeSet<(u32, u32)> = (0..12)
        .map(|i| tile_of(14, 116.051 + 0.003 * f64::from(i), 39.901))
        .collect();
    let drawn = |filter: &'static str| {
        let tiles = tiles.clone();
        let app = &app;
        async move {
            let mut codes = Vec::new();
            for (x, y) in tiles {
                let r = app
                    .get(&format!(
                        "/tiles/parcels/14/{x}/{y}?filter={}",
                        urlencode(filter)
                    ))
                    .await;
                assert!(
                    r.status == StatusCode::OK || r.status == StatusCode::NO_CONTENT,
                    "{}",
                    r.text
                );
                codes.extend(codes_in(&r.text));
            }
            codes.sort();
            codes.dedup();
            codes
        }
    };
    assert_eq!(drawn("overdue_filing = true").await, expected);
    assert_eq!(drawn("overdue_filing = false").await, ids_of(&rest));

    // Accepting O-01's report takes it off the map and the list at once (the cached
    // filtered tiles are dropped by the write).
    review(ids[&("O-01", "survey_report")], "accepted").await;
    assert_eq!(
        ids_of(&app.get(&items("overdue_filing = true")).await),
        vec!["O-07", "O-09"]
    );
    assert_eq!(drawn("overdue_filing = true").await, vec!["O-07", "O-09"]);
}

fn ids_of(r: &common::Res) -> Vec<String> {
    let mut v = ids(r);
    v.sort();
    v
}

/// Every stored cell holds exactly the live parcels whose Mercator point lies in it, and
/// the totals per zoom match the register (counted by position, not by the cell formula).
async fn cells_agree(app: &TestApp) {
    let wrong: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM parcel_cells c,
                LATERAL (SELECT 40075016.685578488 / 2 ^ c.z / 64 AS size) s
          WHERE c.count <> (SELECT count(*) FROM parcels p
                             WHERE p.retired_at IS NULL AND ST_Within(p.point_3857, ST_MakeEnvelope(
                                   -20037508.342789244 + c.gx * s.size, -20037508.342789244 + c.gy * s.size,
                                   -20037508.342789244 + (c.gx + 1) * s.size, -20037508.342789244 + (c.gy + 1) * s.size, 3857)))",
    )
    .fetch_one(&app.pool)
    .await
    .expect("cells");
    assert_eq!(wrong, 0, "cells that disagree with the parcels in them");
    let totals: Vec<(i16, i64, i64)> = sqlx::query_as(
        "SELECT z, sum(count)::bigint, sum(suspected)::bigint FROM parcel_cells GROUP BY z ORDER BY z",
    )
    .fetch_all(&app.pool)
    .await
    .expect("totals");
    let (live, suspected): (i64, i64) = sqlx::query_as(
        "SELECT count(*), count(*) FILTER (WHERE stage = 'suspected') FROM parcels WHERE retired_at IS NULL",
    )
    .fetch_one(&app.pool)
    .await
    .expect("live");
    assert_eq!(totals.len(), 6, "zooms 8–13");
    for (z, n, s) in totals {
        assert_eq!((n, s), (live, suspected), "zoom {z}");
    }
}

#[tokio::test]
async fn low_zoom_cells_follow_inserts_events_boundary_edits_and_retirement() {
    let app = TestApp::new().await;
    let planning = app.token("planning", Role::Editor).await;
    let eco = app.token("eco", Role::Editor).await;
    for (code, x) in [("CELL-1", 116.10), ("CELL-2", 116.1005), ("CELL-3", 116.12)] {
        let res = app
            .post("/api/parcels", &planning, &common::parcel(code, x, 39.94))
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    }
    cells_agree(&app).await;
    let ev = app
        .event(
            &eco,
            "CELL-1",
            "suspicion_raised",
            json!({"reason": "原电镀厂址"}),
        )
        .await;
    assert_eq!(ev.status, StatusCode::CREATED, "{}", ev.text);
    cells_agree(&app).await;
    let moved = app
        .request(
            axum::http::Method::PATCH,
            "/api/parcels/CELL-3",
            Some(&planning),
            &[("if-match", "\"1\"")],
            Some(&json!({"geometry": common::square(115.95, 40.02, 0.002)})),
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.text);
    cells_agree(&app).await;
    let retired = app
        .post(
            "/api/parcels/CELL-2/retire",
            &planning,
            &json!({"reason": "merged into CELL-1"}),
        )
        .await;
    assert_eq!(retired.status, StatusCode::OK, "{}", retired.text);
    cells_agree(&app).await;
    // The unfiltered z10–13 tiles come from the cells; a filtered one aggregates live.
    // Both show the parcels (a 200 with a body), and the cells' tile follows the edit.
    let (mx, my) = soilreg::tiles::coord_to_mercator(116.10, 39.94);
    let half = 20_037_508.342_789_244;
    let size = 2.0 * half / 4096.0;
    let (tx, ty) = (((mx + half) / size) as u32, ((half - my) / size) as u32);
    let cells = app.get(&format!("/tiles/parcels/12/{tx}/{ty}")).await;
    let live = app
        .get(&format!(
            "/tiles/parcels/12/{tx}/{ty}?filter=code%20LIKE%20'CELL%25'"
        ))
        .await;
    assert_eq!(
        (cells.status, live.status),
        (StatusCode::OK, StatusCode::OK)
    );
    assert!(!cells.text.is_empty() && !live.text.is_empty());
}

/// A tile's features as (code, rings of grid points).
fn decode_polygons(bytes: &[u8]) -> Vec<(String, mvt::Rings)> {
    use geozero::mvt::{Message, Tile};
    let tile = Tile::decode(bytes).expect("a vector tile");
    let layer = &tile.layers[0];
    assert_eq!(layer.extent, Some(4096));
    let code_key = layer
        .keys
        .iter()
        .position(|k| k == "code")
        .expect("a code key") as u32;
    layer
        .features
        .iter()
        .map(|f| {
            let code = f
                .tags
                .chunks(2)
                .find(|kv| kv[0] == code_key)
                .and_then(|kv| layer.values[kv[1] as usize].string_value.clone())
                .expect("a code");
            (code, mvt::decode_rings(&f.geometry))
        })
        .collect()
}

/// Surveyor's formula in grid units (y down: positive is clockwise on screen).
fn grid_area(ring: &[(i64, i64)]) -> f64 {
    mvt::twice_area(ring) as f64 / 2.0
}

#[tokio::test]
async fn parcel_tiles_encoded_by_the_service_match_postgis_own_encoding() {
    let app = TestApp::new().await;
    let t = district(&app).await;
    // A parcel with a hole, wound the "wrong" way round in the request.
    let (x0, y0, x1, y1) = (116.0605, 39.9005, 116.0625, 39.9025);
    let holed = json!({"type": "Feature",
        "properties": {"code": "O-HOLE", "name": "带洞地块", "town": "110109007", "planned_use": "0701", "current_use": "1001", "risk": "low"},
        "geometry": {"type": "Polygon", "coordinates": [
            [[x0, y0], [x0, y1], [x1, y1], [x1, y0], [x0, y0]],
            [[116.061, 39.901], [116.062, 39.901], [116.062, 39.902], [116.061, 39.902], [116.061, 39.901]]]}});
    assert_eq!(
        app.post("/api/parcels", &t, &holed).await.status,
        StatusCode::CREATED
    );
    let mut compared = 0;
    let tiles = [
        (14, 116.06, 39.90),
        (16, 116.051, 39.901),
        (16, 116.0615, 39.9015),
        (18, 116.0612, 39.9012),
    ];
    for (z, lon, lat) in tiles {
        let (x, y) = tile_of(z, lon, lat);
        let res = app.get(&format!("/tiles/parcels/{z}/{x}/{y}")).await;
        assert_eq!(res.status, StatusCode::OK, "z{z}");
        let ours = decode_polygons(&res.bytes);
        let theirs: Vec<(String, f64)> = sqlx::query_as(
            "SELECT code, ST_Area(g) FROM (SELECT code, ST_AsMVTGeom(geom_3857, ST_TileEnvelope($1, $2, $3), 4096, 64, true) g
               FROM parcels WHERE geom_3857 && ST_TileEnvelope($1, $2, $3) AND retired_at IS NULL) m
              WHERE g IS NOT NULL ORDER BY code",
        )
        .bind(z as i32)
        .bind(x as i32)
        .bind(y as i32)
        .fetch_all(&app.pool)
        .await
        .expect("postgis");
        let mut codes: Vec<&str> = ours.iter().map(|(c, _)| c.as_str()).collect();
        codes.sort();
        assert_eq!(
            codes,
            theirs.iter().map(|(c, _)| c.as_str()).collect::<Vec<_>>(),
            "z{z}: the same parcels"
        );
        for (code, rings) in &ours {
            let exterior = grid_area(&rings[0]);
            assert!(exterior > 0.0, "z{z} {code}: exterior clockwise on screen");
            for hole in &rings[1..] {
                assert!(grid_area(hole) < 0.0, "z{z} {code}: holes the other way");
            }
            let area: f64 = rings.iter().map(|r| grid_area(r)).sum();
            let (_, expected) = theirs.iter().find(|(c, _)| c == code).expect("listed");
            assert!(
                (area - expected).abs() <= expected * 0.01 + 4.0,
                "z{z} {code}: {area} grid units², PostGIS {expected}"
            );
            if code == "O-HOLE" {
                assert_eq!(rings.len(), 2, "z{z}: the hole is kept");
            }
            compared += 1;
        }
    }
    assert!(compared >= 8, "{compared}");
}

#[tokio::test]
async fn past_ten_thousand_matches_pages_stay_in_key_order_without_a_count() {
    let app = TestApp::new().await;
    district(&app).await;
    // 10,050 small parcels in a row along 39.95N (inserted directly: the API is not the point).
    sqlx::query(
        "INSERT INTO parcels (code, name, town, gb36600_class, geom, area_m2)
         SELECT 'B-' || i, 'b', '110109007', 1,
                ST_Multi(ST_MakeEnvelope(116.0 + i * 1e-5, 39.95, 116.0 + i * 1e-5 + 5e-6, 39.95001, 4490)), 4.7
           FROM generate_series(1, 10050) i",
    )
    .execute(&app.pool)
    .await
    .expect("insert");
    let bbox = "bbox=115.99,39.94,116.2,39.96";
    let first = app
        .get(&format!("/ogc/collections/parcels/items?{bbox}&limit=3"))
        .await;
    assert_eq!(first.status, StatusCode::OK);
    assert!(
        first.body.get("numberMatched").is_none(),
        "no count past the cap"
    );
    assert_eq!(ids(&first), ["B-1", "B-2", "B-3"], "the lowest keys first");
    let within = app
        .get(&format!(
            "/ogc/collections/parcels/items?{bbox}&limit=3&filter={}",
            urlencode("code LIKE 'B-1000%'")
        ))
        .await;
    assert_eq!(
        within.body["numberMatched"], 11,
        "B-1000 and B-10000…B-10009"
    );
    // A cursor past the last feature: an empty page that still knows the count.
    let last: i64 = sqlx::query_scalar("SELECT max(id) FROM parcels")
        .fetch_one(&app.pool)
        .await
        .expect("max");
    let empty = app
        .get(&format!(
            "/ogc/collections/parcels/items?bbox=116.049,39.899,116.1,39.91&cursor={last}"
        ))
        .await;
    assert_eq!(empty.body["numberReturned"], 0);
    assert_eq!(empty.body["numberMatched"], 12);
}

/// The value of a string property of an MVT feature.
fn tag(
    layer: &geozero::mvt::tile::Layer,
    f: &geozero::mvt::tile::Feature,
    key: &str,
) -> Option<String> {
    let k = layer.keys.iter().position(|k| k == key)? as u32;
    f.tags
        .chunks(2)
        .find(|kv| kv[0] == k)
        .and_then(|kv| layer.values.get(kv[1] as usize))
        .and_then(|v| v.string_value.clone())
}

#[tokio::test]
async fn every_collection_s_tiles_hold_its_features_where_they_are() {
    use geozero::mvt::{Message, Tile};
    let app = TestApp::new().await;
    soilreg::demo::load(&app.pool).await.expect("demo");
    // The demo district has no samples: one sampling point, on a parcel of its own.
    let eco = app.token("eco", Role::Editor).await;
    let res = app
        .post("/api/parcels", &eco, &parcel("TILE-SP", 116.10, 39.94))
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    let rows = json!([{"point_id": "T1", "x": 116.1005, "y": 39.9405, "depth_top_m": 0, "depth_bottom_m": 0.5,
                       "sampled_on": "2023-04-01", "analyte": "Pb", "value": 40, "unit": "mg/kg"}]);
    let res = app.post("/api/parcels/TILE-SP/samples", &eco, &rows).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    // nor remote-sensing patches
    let patches = json!({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"patch_no": "TILE-RS", "kind": "dumping", "detected_on": "2023-04-02"},
         "geometry": common::square(116.12, 39.96, 0.001)}]});
    let res = app.post("/api/patches", &eco, &patches).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    let mut checked = 0;
    for c in soilreg::http::ogc::COLLECTIONS {
        if c.id == "parcels" {
            continue; // its own tests above: cells, clusters and polygons
        }
        let items = app
            .get(&format!(
                "/ogc/collections/{}/items?limit=1&bbox=115,39,117,41",
                c.id
            ))
            .await;
        assert_eq!(items.status, StatusCode::OK, "{}: {}", c.id, items.text);
        let f = &items.body["features"][0];
        let id = match &f["id"] {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        // a point of the feature: a point's own, or a polygon's first vertex
        let mut at = &f["geometry"]["coordinates"];
        while at[0].is_array() {
            at = &at[0];
        }
        let (Some(lon), Some(lat)) = (at[0].as_f64(), at[1].as_f64()) else {
            panic!("{}: no point in {}", c.id, items.text)
        };
        let (x, y) = tile_of(14, lon, lat);
        let res = app.get(&format!("/tiles/{}/14/{x}/{y}", c.id)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", c.id);
        let tile = Tile::decode(res.bytes.as_slice()).expect("a vector tile");
        let layer = tile
            .layers
            .iter()
            .find(|l| l.name == c.id)
            .unwrap_or_else(|| panic!("{}: no layer in its tile at {lon},{lat}", c.id));
        assert!(
            layer
                .features
                .iter()
                .any(|g| tag(layer, g, "id").as_deref() == Some(id.as_str())),
            "{}: feature {id} is not in the tile at {lon},{lat}",
            c.id
        );
        // and a tile far from the district holds nothing: 204, as for parcels
        let (fx, fy) = tile_of(14, 100.0, 30.0);
        let far = app.get(&format!("/tiles/{}/14/{fx}/{fy}", c.id)).await;
        assert_eq!(far.status, StatusCode::NO_CONTENT, "{}", c.id);
        checked += 1;
    }
    assert_eq!(checked, soilreg::http::ogc::COLLECTIONS.len() - 1);
}
