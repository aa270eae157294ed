//! Every bad input gets a 4xx in the one error shape, and no row is written.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{parcel, square, TestApp};
use serde_json::{json, Value};
use soilreg::domain::access::Role;

async fn refused(
    app: &TestApp,
    token: &str,
    body: &Value,
    status: StatusCode,
    code: &str,
    field: &str,
) -> Value {
    let res = app.post("/api/parcels", token, body).await;
    assert_eq!(res.status, status, "{body}: {}", res.text);
    assert_eq!(res.error_code(), code, "{}", res.text);
    assert_eq!(res.body["error"]["field"], field, "{}", res.text);
    assert_eq!(app.count("parcels").await, 0, "nothing written for {code}");
    res.body
}

fn with_geometry(g: Value) -> Value {
    let mut f = parcel("B-1", 116.1, 39.94);
    f["geometry"] = g;
    f
}

fn with_prop(k: &str, v: Value) -> Value {
    let mut f = parcel("B-1", 116.1, 39.94);
    f["properties"][k] = v;
    f
}

#[tokio::test]
async fn each_bad_geometry_is_refused_with_its_own_code() {
    let app = TestApp::new().await;
    let t = app.token("planning", Role::Editor).await;
    let unp = StatusCode::UNPROCESSABLE_ENTITY;
    refused(
        &app,
        &t,
        &with_geometry(json!({"type": "Point", "coordinates": [116.1, 39.94]})),
        unp,
        "wrong_geometry_type",
        "geometry",
    )
    .await;
    refused(
        &app,
        &t,
        &with_geometry(
            json!({"type": "LineString", "coordinates": [[116.1, 39.94], [116.2, 39.95]]}),
        ),
        unp,
        "wrong_geometry_type",
        "geometry",
    )
    .await;
    refused(&app, &t, &with_geometry(json!({"type": "Polygon", "coordinates": [[[116.1, 39.94], [116.11, 39.94], [116.11, 39.95], [116.1, 39.95]]]})), unp, "unclosed_ring", "geometry").await;
    refused(&app, &t, &with_geometry(json!({"type": "Polygon", "coordinates": [[[116.1, 39.94], [116.11, 39.94], [116.1, 39.94]]]})), unp, "too_few_points", "geometry").await;
    refused(
        &app,
        &t,
        &with_geometry(json!({"type": "Polygon", "coordinates": []})),
        unp,
        "empty_geometry",
        "geometry",
    )
    .await;
    refused(
        &app,
        &t,
        &with_geometry(json!({"type": "MultiPolygon", "coordinates": []})),
        unp,
        "empty_geometry",
        "geometry",
    )
    .await;
    refused(&app, &t, &with_geometry(json!({"type": "Polygon", "coordinates": [[[116.1, 39.94], [116.11, 39.94], [116.12, 39.94], [116.1, 39.94]]]})), unp, "zero_area", "geometry").await;
    refused(
        &app,
        &t,
        &with_geometry(square(116.40, 39.91, 0.01)),
        unp,
        "outside_extent",
        "geometry",
    )
    .await;
    refused(
        &app,
        &t,
        &with_geometry(square(-73.98, 40.75, 0.01)),
        unp,
        "outside_extent",
        "geometry",
    )
    .await;
    let mut f = parcel("B-1", 116.1, 39.94);
    f.as_object_mut().expect("obj").remove("geometry");
    refused(&app, &t, &f, unp, "required", "geometry").await;
}

#[tokio::test]
async fn a_self_intersecting_bowtie_is_refused_naming_where_it_crosses() {
    let app = TestApp::new().await;
    let t = app.token("planning", Role::Editor).await;
    let bowtie = json!({"type": "Polygon", "coordinates": [[[116.10, 39.94], [116.12, 39.96], [116.12, 39.94], [116.10, 39.96], [116.10, 39.94]]]});
    let body = refused(
        &app,
        &t,
        &with_geometry(bowtie),
        StatusCode::UNPROCESSABLE_ENTITY,
        "self_intersection",
        "geometry",
    )
    .await;
    let loc = &body["error"]["location"];
    assert!((loc[0].as_f64().expect("x") - 116.11).abs() < 1e-9, "{loc}");
    assert!((loc[1].as_f64().expect("y") - 39.95).abs() < 1e-9, "{loc}");
    assert!(body["error"]["message"]
        .as_str()
        .expect("msg")
        .contains("116.11"));
}

#[tokio::test]
async fn too_many_vertices_is_refused() {
    let app = TestApp::new().await;
    let t = app.token("planning", Role::Editor).await;
    let n = 2_500;
    let mut ring: Vec<Value> = (0..n)
        .map(|i| {
            let a = f64::from(i) / f64::from(n) * std::f64::consts::TAU;
            json!([116.1 + 0.01 * a.cos(), 39.94 + 0.01 * a.sin()])
        })
        .collect();
    ring.push(ring[0].clone());
    refused(
        &app,
        &t,
        &with_geometry(json!({"type": "Polygon", "coordinates": [ring]})),
        StatusCode::UNPROCESSABLE_ENTITY,
        "too_many_vertices",
        "geometry",
    )
    .await;
}

#[tokio::test]
async fn bad_attributes_are_refused_naming_the_field() {
    let app = TestApp::new().await;
    let t = app.token("planning", Role::Editor).await;
    let unp = StatusCode::UNPROCESSABLE_ENTITY;
    refused(
        &app,
        &t,
        &with_prop("town", json!("110109999")),
        unp,
        "unknown_town",
        "town",
    )
    .await;
    refused(
        &app,
        &t,
        &with_prop("town", json!("龙泉镇")),
        unp,
        "unknown_town",
        "town",
    )
    .await;
    refused(
        &app,
        &t,
        &with_prop("planned_use", json!("R2")),
        unp,
        "unknown_land_use",
        "planned_use",
    )
    .await;
    refused(
        &app,
        &t,
        &with_prop("current_use", json!("0799")),
        unp,
        "unknown_land_use",
        "current_use",
    )
    .await;
    refused(
        &app,
        &t,
        &with_prop("risk", json!("severe")),
        unp,
        "invalid_value",
        "risk",
    )
    .await;
    refused(
        &app,
        &t,
        &with_prop("land_right", json!("sold")),
        unp,
        "invalid_value",
        "land_right",
    )
    .await;
    refused(
        &app,
        &t,
        &with_prop("code", json!("has space")),
        unp,
        "invalid_code",
        "code",
    )
    .await;
    refused(
        &app,
        &t,
        &with_prop("name", json!("")),
        unp,
        "required",
        "name",
    )
    .await;
    refused(
        &app,
        &t,
        &with_prop("colour", json!("red")),
        unp,
        "unknown_field",
        "colour",
    )
    .await;
    refused(
        &app,
        &t,
        &json!({"type": "FeatureCollection", "features": []}),
        unp,
        "invalid_feature",
        "type",
    )
    .await;
}

#[tokio::test]
async fn malformed_json_wrong_content_type_and_oversized_bodies_are_refused() {
    let app = TestApp::new().await;
    let t = app.token("planning", Role::Editor).await;
    let send = |body: Body, ct: &str| {
        Request::builder()
            .method("POST")
            .uri("/api/parcels")
            .header("authorization", format!("Bearer {t}"))
            .header("content-type", ct)
            .body(body)
            .expect("request")
    };
    let res = app
        .send(send(
            Body::from("{\"type\": \"Feature\", "),
            "application/json",
        ))
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert_eq!(res.error_code(), "malformed_json");
    let res = app
        .send(send(
            Body::from(parcel("B-1", 116.1, 39.94).to_string()),
            "text/plain",
        ))
        .await;
    assert_eq!(res.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    res.error_code();
    let huge = format!("{{\"pad\": \"{}\"}}", "x".repeat(300 * 1024));
    let res = app
        .send(send(Body::from(huge), "application/geo+json"))
        .await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(res.error_code(), "body_too_large");
    let res = app
        .post(
            "/api/parcels?crs=EPSG:3857",
            &t,
            &parcel("B-1", 116.1, 39.94),
        )
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert_eq!(res.body["error"]["field"], "crs");
    assert_eq!(app.count("parcels").await, 0);
}

#[tokio::test]
async fn a_duplicate_code_gets_409_and_the_first_parcel_is_untouched() {
    let app = TestApp::new().await;
    let t = app.token("planning", Role::Editor).await;
    assert_eq!(
        app.post("/api/parcels", &t, &parcel("D-1", 116.1, 39.94))
            .await
            .status,
        StatusCode::CREATED
    );
    let mut again = parcel("D-1", 116.05, 39.90);
    again["properties"]["name"] = json!("impostor");
    let res = app.post("/api/parcels", &t, &again).await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert_eq!(res.error_code(), "duplicate_code");
    assert_eq!(res.body["error"]["field"], "code");
    assert_eq!(app.count("parcels").await, 1);
    assert_eq!(
        app.get("/api/parcels/D-1").await.body["properties"]["name"],
        "测试地块 D-1"
    );
    // Two at once with the same new code: one is created, the other gets the same 409.
    let (a, b) = (parcel("D-2", 116.11, 39.94), parcel("D-2", 116.12, 39.94));
    let (ra, rb) = tokio::join!(
        app.post("/api/parcels", &t, &a),
        app.post("/api/parcels", &t, &b)
    );
    let mut statuses = [ra.status, rb.status];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::CREATED, StatusCode::CONFLICT]);
    let loser = if ra.status == StatusCode::CONFLICT {
        ra
    } else {
        rb
    };
    assert_eq!(loser.error_code(), "duplicate_code");
    assert_eq!(app.count("parcels").await, 2);
}

#[tokio::test]
async fn unknown_routes_answer_in_the_error_shape() {
    let app = TestApp::new().await;
    let res = app.get("/api/nothing-here").await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert_eq!(res.error_code(), "not_found");
}

#[tokio::test]
async fn nul_characters_in_parameters_or_text_are_refused_not_a_server_error() {
    let app = TestApp::new().await;
    let t = app.token("planning", Role::Editor).await;
    let q = app.get("/api/parcels?q=a%00b").await;
    assert_eq!(q.status, StatusCode::BAD_REQUEST);
    let ogc = app.get("/ogc/collections/enterprises/items?uscc=%00").await;
    assert_eq!(ogc.status, StatusCode::BAD_REQUEST);
    let mut f = parcel("N-1", 116.1, 39.94);
    f["properties"]["name"] = json!("bad\u{0}name");
    let res = app.post("/api/parcels", &t, &f).await;
    assert!(res.status.is_client_error(), "{}", res.text);
    assert_eq!(app.count("parcels").await, 0);
}
