//! The parcel register over HTTP, against a real PostGIS.

mod common;

use axum::http::{Method, StatusCode};
use common::{parcel, square, TestApp};
use geo::GeodesicArea;
use serde_json::{json, Value};
use soilreg::domain::access::Role;

#[tokio::test]
async fn a_created_parcel_comes_back_with_its_ellipsoidal_area_class_and_etag() {
    let app = TestApp::new().await;
    let token = app.token("planning", Role::Editor).await;
    let res = app
        .post("/api/parcels", &token, &parcel("P-1", 116.10, 39.94))
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    assert_eq!(res.header("location"), Some("/api/parcels/P-1"));
    assert_eq!(res.header("etag"), Some("\"1\""));
    let p = &res.body["properties"];
    assert_eq!(p["code"], "P-1");
    assert_eq!(p["town"], "110109007");
    assert_eq!(p["gb36600_class"], 1);
    assert_eq!(p["land_right"], "in_use");
    assert_eq!(p["risk"], "high");
    assert_eq!(p["version"], 1);
    for key in [
        "code",
        "name",
        "town",
        "address",
        "current_use",
        "planned_use",
        "gb36600_class",
        "land_right",
        "right_holder",
        "responsible_party",
        "risk",
        "area_m2",
        "version",
        "created_at",
        "updated_at",
    ] {
        assert!(p.get(key).is_some(), "property {key} missing");
    }
    assert!(
        res.body["geometry"].get("crs").is_none(),
        "plain GeoJSON, no crs member"
    );
    assert_eq!(res.body["geometry"]["type"], "MultiPolygon");

    // The area PostGIS computes on the ellipsoid matches an independent geodesic computation.
    let poly: geo::Polygon<f64> = geo::Polygon::new(
        geo::LineString::from(vec![
            (116.10, 39.94),
            (116.102, 39.94),
            (116.102, 39.942),
            (116.10, 39.942),
            (116.10, 39.94),
        ]),
        vec![],
    );
    let expected = poly.geodesic_area_unsigned();
    let area = p["area_m2"].as_f64().expect("area");
    assert!(
        (area - expected).abs() / expected < 1e-4,
        "area {area} vs geodesic {expected}"
    );

    let got = app.get("/api/parcels/P-1").await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.header("etag"), Some("\"1\""));
    assert_eq!(got.header("content-type"), Some("application/geo+json"));
    let not_modified = app
        .request(
            Method::GET,
            "/api/parcels/P-1",
            None,
            &[("if-none-match", "\"1\"")],
            None,
        )
        .await;
    assert_eq!(not_modified.status, StatusCode::NOT_MODIFIED);
    assert_eq!(
        app.get("/api/parcels/NOPE").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn planned_use_decides_the_gb36600_class_and_unknown_use_takes_class_one() {
    let app = TestApp::new().await;
    let token = app.token("planning", Role::Editor).await;
    for (code, use_, class) in [
        ("C-1", json!("1001"), 2),
        ("C-2", json!("080403"), 1),
        ("C-3", Value::Null, 1),
        ("C-4", json!("0901"), 2),
    ] {
        let mut f = parcel(
            code,
            116.10 + 0.01 * f64::from(class),
            39.90 + 0.003 * f64::from(code.as_bytes()[2]),
        );
        f["properties"]["planned_use"] = use_;
        let res = app.post("/api/parcels", &token, &f).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
        assert_eq!(res.body["properties"]["gb36600_class"], class, "{code}");
    }
}

#[tokio::test]
async fn gauss_kruger_input_in_each_zone_is_stored_as_cgcs2000_longitude_latitude() {
    let app = TestApp::new().await;
    let token = app.token("planning", Role::Editor).await;
    // 39.94 N, 116.1686 E is E 428 941.00, N 4 423 197.98 in EPSG:4548 (geodesy.md, cs2cs).
    // The same point is in EPSG:4547 (CM 114E) at an easting computed by PROJ below.
    let cm114 = proj::Proj::new_known_crs("EPSG:4490", "EPSG:4547", None).expect("proj");
    let (e114, n114) = cm114.convert((116.1686, 39.94)).expect("convert");
    let cases = [
        ("EPSG:4548", 428_941.00, 4_423_197.98),
        ("EPSG:4527", 39_428_941.00, 4_423_197.98),
        ("EPSG:4547", e114, n114),
        ("EPSG:4526", e114 + 38_000_000.0, n114),
    ];
    for (i, (crs, e, n)) in cases.iter().enumerate() {
        let d = 200.0;
        let f = json!({"type": "Feature",
            "properties": {"code": format!("GK-{i}"), "name": "gk", "town": "110109001"},
            "geometry": {"type": "Polygon", "coordinates": [[[e, n], [e + d, n], [e + d, n + d], [e, n + d], [e, n]]]}});
        let res = app
            .post(&format!("/api/parcels?crs={crs}"), &token, &f)
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{crs}: {}", res.text);
        let first = &res.body["geometry"]["coordinates"][0][0][0];
        let (lon, lat) = (first[0].as_f64().expect("x"), first[1].as_f64().expect("y"));
        assert!(
            (lon - 116.1686).abs() < 1e-5 && (lat - 39.94).abs() < 1e-5,
            "{crs}: got {lon}, {lat}"
        );
        let area = res.body["properties"]["area_m2"].as_f64().expect("area");
        assert!(
            (area - 40_000.0).abs() < 40.0,
            "{crs}: a 200 m square has {area} m²"
        );
    }
}

#[tokio::test]
async fn the_list_filters_by_town_use_risk_bbox_and_text_and_pages_with_next_links() {
    let app = TestApp::new().await;
    let token = app.token("planning", Role::Editor).await;
    for i in 0..12 {
        let mut f = parcel(&format!("L-{i:02}"), 116.00 + 0.005 * f64::from(i), 39.90);
        f["properties"]["town"] = json!(if i % 2 == 0 { "110109007" } else { "110109101" });
        f["properties"]["planned_use"] = json!(if i % 3 == 0 { "070102" } else { "1001" });
        f["properties"]["risk"] = json!(if i < 4 { "high" } else { "low" });
        f["properties"]["name"] = json!(if i == 7 {
            "石龙工业区旧址"
        } else {
            "地块"
        });
        assert_eq!(
            app.post("/api/parcels", &token, &f).await.status,
            StatusCode::CREATED
        );
    }
    let codes = |r: &common::Res| -> Vec<String> {
        r.body["features"]
            .as_array()
            .expect("features")
            .iter()
            .map(|f| f["id"].as_str().expect("id").to_owned())
            .collect()
    };
    let all = app.get("/api/parcels").await;
    assert_eq!(all.body["numberMatched"], 12);
    assert_eq!(all.body["type"], "FeatureCollection");
    assert_eq!(
        codes(&app.get("/api/parcels?town=110109101").await).len(),
        6
    );
    assert_eq!(
        codes(&app.get("/api/parcels?planned_use=07").await),
        vec!["L-00", "L-03", "L-06", "L-09"]
    );
    assert_eq!(
        codes(&app.get("/api/parcels?planned_use=070102&risk=high").await),
        vec!["L-00", "L-03"]
    );
    assert_eq!(
        codes(&app.get("/api/parcels?q=%E7%9F%B3%E9%BE%99").await),
        vec!["L-07"]
    );
    assert_eq!(
        codes(&app.get("/api/parcels?q=l-1").await),
        vec!["L-10", "L-11"]
    );
    // A box around the 3rd and 4th parcels only (each 0.002° wide, 0.005° apart).
    assert_eq!(
        codes(
            &app.get("/api/parcels?bbox=116.0095,39.899,116.0155,39.91")
                .await
        ),
        vec!["L-02", "L-03"]
    );

    let mut seen = Vec::new();
    let mut url = "/api/parcels?limit=5&town=110109007".to_owned();
    loop {
        let page = app.get(&url).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text);
        assert_eq!(page.body["numberMatched"], 6);
        assert_eq!(
            page.body["numberReturned"].as_u64().expect("n") as usize,
            codes(&page).len()
        );
        seen.extend(codes(&page));
        let next = page.body["links"]
            .as_array()
            .expect("links")
            .iter()
            .find(|l| l["rel"] == "next")
            .cloned();
        match next {
            Some(l) => {
                url = l["href"]
                    .as_str()
                    .expect("href")
                    .replace("http://localhost", "")
            }
            None => break,
        }
    }
    assert_eq!(seen, vec!["L-00", "L-02", "L-04", "L-06", "L-08", "L-10"]);
}

#[tokio::test]
async fn list_parameters_that_do_not_parse_get_400_naming_the_parameter() {
    let app = TestApp::new().await;
    for (q, field) in [
        ("town=999", "town"),
        ("risk=severe", "risk"),
        ("bbox=1,2,3", "bbox"),
        ("limit=0", "limit"),
        ("limit=abc", "limit"),
        ("planned_use=R2", "planned_use"),
        ("colour=red", "colour"),
        ("cursor=-1", "cursor"),
    ] {
        let res = app.get(&format!("/api/parcels?{q}")).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{q}");
        res.error_code();
        assert_eq!(res.body["error"]["field"], field, "{q}");
    }
}

async fn patch(
    app: &TestApp,
    token: &str,
    code: &str,
    if_match: Option<&str>,
    body: &Value,
) -> common::Res {
    let headers: Vec<(&str, &str)> = if_match.map(|v| vec![("if-match", v)]).unwrap_or_default();
    app.request(
        Method::PATCH,
        &format!("/api/parcels/{code}"),
        Some(token),
        &headers,
        Some(body),
    )
    .await
}

#[tokio::test]
async fn patch_needs_if_match_and_a_stale_version_changes_nothing() {
    let app = TestApp::new().await;
    let token = app.token("planning", Role::Editor).await;
    app.post("/api/parcels", &token, &parcel("E-1", 116.1, 39.94))
        .await;

    let missing = patch(
        &app,
        &token,
        "E-1",
        None,
        &json!({"properties": {"name": "x"}}),
    )
    .await;
    assert_eq!(missing.status, StatusCode::PRECONDITION_REQUIRED);
    assert_eq!(missing.error_code(), "if_match_required");

    let ok = patch(
        &app,
        &token,
        "E-1",
        Some("\"1\""),
        &json!({"properties": {"name": "新名称", "planned_use": "1001"}}),
    )
    .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text);
    assert_eq!(ok.header("etag"), Some("\"2\""));
    assert_eq!(ok.body["properties"]["name"], "新名称");
    assert_eq!(ok.body["properties"]["gb36600_class"], 2);
    assert_eq!(
        ok.body["properties"]["risk"], "high",
        "absent keys are kept"
    );

    let stale = patch(
        &app,
        &token,
        "E-1",
        Some("\"1\""),
        &json!({"properties": {"name": "lost update"}}),
    )
    .await;
    assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED);
    assert_eq!(stale.error_code(), "stale_version");
    let now = app.get("/api/parcels/E-1").await;
    assert_eq!(now.body["properties"]["name"], "新名称");
    assert_eq!(now.body["properties"]["version"], 2);

    // A new boundary recomputes the area; a bad one changes nothing.
    let before = now.body["properties"]["area_m2"].as_f64().expect("area");
    let bigger = patch(
        &app,
        &token,
        "E-1",
        Some("\"2\""),
        &json!({"geometry": square(116.1, 39.94, 0.004)}),
    )
    .await;
    assert_eq!(bigger.status, StatusCode::OK, "{}", bigger.text);
    let after = bigger.body["properties"]["area_m2"].as_f64().expect("area");
    assert!((after / before - 4.0).abs() < 0.01, "{before} -> {after}");
    let bad = patch(
        &app,
        &token,
        "E-1",
        Some("\"3\""),
        &json!({"properties": {"town": "1"}, "geometry": square(116.1, 39.94, 0.001)}),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.get("/api/parcels/E-1").await.body["properties"]["version"],
        3
    );
    let code_change = patch(
        &app,
        &token,
        "E-1",
        Some("\"3\""),
        &json!({"properties": {"code": "E-2"}}),
    )
    .await;
    assert_eq!(code_change.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn retiring_keeps_the_row_out_of_the_default_list_and_frozen() {
    let app = TestApp::new().await;
    let token = app.token("eco", Role::Editor).await;
    app.post("/api/parcels", &token, &parcel("R-1", 116.1, 39.94))
        .await;
    app.post("/api/parcels", &token, &parcel("R-2", 116.11, 39.94))
        .await;

    let no_reason = app
        .post("/api/parcels/R-1/retire", &token, &json!({}))
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(no_reason.body["error"]["field"], "reason");

    let res = app
        .post(
            "/api/parcels/R-1/retire",
            &token,
            &json!({"reason": "merged into R-2"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    assert_eq!(res.body["properties"]["retired"], true);
    assert_eq!(res.body["properties"]["retired_reason"], "merged into R-2");
    assert_eq!(app.count("parcels").await, 2, "the row stays");
    assert_eq!(app.get("/api/parcels").await.body["numberMatched"], 1);
    assert_eq!(
        app.get("/api/parcels?include_retired=true").await.body["numberMatched"],
        2
    );
    assert_eq!(
        app.post(
            "/api/parcels/R-1/retire",
            &token,
            &json!({"reason": "again"})
        )
        .await
        .status,
        StatusCode::CONFLICT
    );
    let edit = patch(
        &app,
        &token,
        "R-1",
        Some("\"2\""),
        &json!({"properties": {"name": "x"}}),
    )
    .await;
    assert_eq!(edit.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn writes_need_a_token_and_a_department_that_keeps_the_register() {
    let app = TestApp::new().await;
    let no_token = app
        .request(
            Method::POST,
            "/api/parcels",
            None,
            &[],
            Some(&parcel("A-1", 116.1, 39.94)),
        )
        .await;
    assert_eq!(no_token.status, StatusCode::UNAUTHORIZED);
    assert_eq!(no_token.error_code(), "unauthorized");
    let bad_token = app
        .post("/api/parcels", "nope", &parcel("A-1", 116.1, 39.94))
        .await;
    assert_eq!(bad_token.status, StatusCode::UNAUTHORIZED);
    for (dept, role) in [
        ("planning", Role::Viewer),
        ("housing", Role::Editor),
        ("110109007", Role::Editor),
    ] {
        let token = app.token(dept, role).await;
        let res = app
            .post("/api/parcels", &token, &parcel("A-1", 116.1, 39.94))
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{dept} {role:?}");
        assert_eq!(res.error_code(), "forbidden");
    }
    let admin = app.token("agri", Role::Admin).await;
    assert_eq!(
        app.post("/api/parcels", &admin, &parcel("A-1", 116.1, 39.94))
            .await
            .status,
        StatusCode::CREATED
    );
    assert_eq!(app.count("parcels").await, 1);
}

#[tokio::test]
async fn coordinates_captured_on_a_gcj02_basemap_are_stored_in_cgcs2000() {
    let app = TestApp::new().await;
    let token = app.token("planning", Role::Editor).await;
    let (gx, gy) = soilreg::gis::gcj02::to_gcj02(116.10, 39.94);
    let mut f = parcel("G-1", 0.0, 0.0);
    f["geometry"] = square(gx, gy, 0.002);
    let res = app.post("/api/parcels?crs=gcj02", &token, &f).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    let first = &res.body["geometry"]["coordinates"][0][0][0];
    assert!(
        (first[0].as_f64().expect("x") - 116.10).abs() < 1e-6,
        "{first}"
    );
    assert!(
        (first[1].as_f64().expect("y") - 39.94).abs() < 1e-6,
        "{first}"
    );
}

#[tokio::test]
async fn me_tells_the_map_which_writes_a_token_may_make() {
    let app = TestApp::new().await;
    assert_eq!(app.get("/api/me").await.status, StatusCode::UNAUTHORIZED);
    for (dept, role, register, soil, land) in [
        ("planning", Role::Editor, true, false, true),
        ("eco", Role::Editor, true, true, false),
        ("housing", Role::Editor, false, false, true),
        ("planning", Role::Viewer, false, false, false),
        ("agri", Role::Admin, true, true, true),
    ] {
        let token = app.token(dept, role).await;
        let me = app
            .request(Method::GET, "/api/me", Some(&token), &[], None)
            .await;
        assert_eq!(me.status, StatusCode::OK, "{}", me.text);
        assert_eq!(me.body["department"], dept);
        let may = &me.body["may"];
        assert_eq!(may["edit_register"], register, "{dept} {role:?}");
        assert_eq!(may["record_soil_event"], soil, "{dept} {role:?}");
        assert_eq!(may["record_land_event"], land, "{dept} {role:?}");
        // What /api/me says is what a write finds.
        let code = format!("ME-{dept}-{role:?}");
        let res = app
            .post("/api/parcels", &token, &parcel(&code, 116.1, 39.94))
            .await;
        let expected = if register {
            StatusCode::CREATED
        } else {
            StatusCode::FORBIDDEN
        };
        assert_eq!(res.status, expected, "{dept} {role:?}: {}", res.text);
    }
}
