//! Sampling data and screening against GB 36600 / GB 15618, over HTTP on real PostGIS.
#![allow(clippy::type_complexity)]

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use common::{parcel, TestApp};
use serde_json::{json, Value};
use soilreg::domain::access::Role;

const HEADER: &str =
    "point_id,x,y,depth_top_m,depth_bottom_m,sampled_on,analyte,value,unit,detection_limit";

/// A parcel 116.10–116.102 E, 39.94–39.942 N, planned for housing (class 1).
async fn setup(app: &TestApp) -> String {
    let eco = app.token("eco", Role::Editor).await;
    let res = app
        .post("/api/parcels", &eco, &parcel("SP-1", 116.10, 39.94))
        .await;
    assert_eq!(res.status, StatusCode::CREATED);
    eco
}

async fn send_csv(app: &TestApp, token: &str, query: &str, csv: &str) -> common::Res {
    let req = Request::builder()
        .method("POST")
        .uri(format!("/api/parcels/SP-1/samples{query}"))
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "text/csv; charset=utf-8")
        .body(Body::from(csv.to_owned()))
        .expect("request");
    app.send(req).await
}

fn csv(rows: &[&str]) -> String {
    let mut s = String::from(HEADER);
    for r in rows {
        s.push('\n');
        s.push_str(r);
    }
    s.push('\n');
    s
}

async fn verdict(app: &TestApp, query: &str) -> Value {
    let res = app
        .get(&format!("/api/parcels/SP-1/exceedances{query}"))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    res.body
}

#[tokio::test]
async fn a_csv_imports_converts_units_and_screens_each_boundary() {
    let app = TestApp::new().await;
    let eco = setup(&app).await;
    // Class 1: arsenic 20 / 120, cadmium 20 / 47, lead 400 / 800, benzo[a]pyrene 0.55 / 5.5.
    let file = csv(&[
        "S1,116.1005,39.9405,0,0.5,2023-04-01,7440-38-2,20,mg/kg,", // equal to screening: no
        "S1,116.1005,39.9405,0,0.5,2023-04-01,镉,20001,μg/kg,", // 20.001 mg/kg: just above screening
        "S1,116.1005,39.9405,0,0.5,2023-04-01,铅,399.999,mg/kg,", // just below
        "S2,116.1010,39.9410,0.5,1.0,2023-04-01,苯并[a]芘,5500000,ng/kg,", // 5.5 mg/kg: equal to intervention
        "S2,116.1010,39.9410,0.5,1.0,2023-04-01,六价铬,ND,mg/kg,0.5",      // below detection
        "S2,116.1010,39.9410,0.5,1.0,2023-04-01,Cr(VI),,mg/kg,",           // bad: no value
    ]);
    let refused = send_csv(&app, &eco, "", &file).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.text
    );
    assert_eq!(refused.error_code(), "invalid_rows");
    let bad = refused.body["error"]["report"]["bad_rows"]
        .as_array()
        .expect("bad rows");
    assert_eq!(bad.len(), 1);
    assert_eq!(bad[0]["line"], 7);
    assert_eq!(bad[0]["problems"][0]["field"], "value");
    assert_eq!(app.count("results").await, 0, "all or nothing");

    let partial = send_csv(&app, &eco, "?partial=true", &file).await;
    assert_eq!(partial.status, StatusCode::CREATED, "{}", partial.text);
    assert_eq!(partial.body["rows_imported"], 5);
    assert_eq!(partial.body["rows_bad"], 1);
    assert_eq!(app.count("results").await, 5);

    let v = verdict(&app, "").await;
    assert_eq!(v["class"], 1);
    assert_eq!(v["verdict"], "over_screening");
    let items = v["items"].as_array().expect("items");
    assert_eq!(
        items.len(),
        2,
        "cadmium over screening; BaP over screening but equal to intervention: {v}"
    );
    assert_eq!(items[0]["name"], "苯并[a]芘");
    assert_eq!(items[0]["level"], "screening");
    assert!((items[0]["ratio"].as_f64().expect("ratio") - 10.0).abs() < 1e-9);
    assert_eq!(items[0]["point_id"], "S2");
    assert_eq!(items[0]["depth_top_m"], 0.5);
    assert_eq!(items[1]["cas"], "7440-43-9");
    assert!((items[1]["value_mgkg"].as_f64().expect("v") - 20.001).abs() < 1e-9);
    assert_eq!(items[1]["limit_mgkg"], 20.0);
    assert_eq!(v["proposed_event"]["payload"]["outcome"], "contaminated");

    // Class 2 values are higher: only benzo[a]pyrene (class-2 screening 1.5) still exceeds.
    let class2 = verdict(&app, "?class=2").await;
    assert_eq!(class2["class"], 2);
    assert_eq!(class2["items"].as_array().expect("items").len(), 1);
    assert_eq!(class2["items"][0]["limit_mgkg"], 1.5);
    assert_eq!(
        app.get("/api/parcels/SP-1/exceedances?class=3")
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn over_the_intervention_value_lists_both_levels_and_reimport_changes_nothing() {
    let app = TestApp::new().await;
    let eco = setup(&app).await;
    let file = csv(&[
        "S1,116.1005,39.9405,0,0.5,2023-04-01,砷,121,mg/kg,",
        "S1,116.1005,39.9405,0,0.5,2023-04-01,汞,<0.002,mg/kg,",
    ]);
    let first = send_csv(&app, &eco, "", &file).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
    let again = send_csv(&app, &eco, "", &file).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text);
    assert_eq!(again.body["rows_imported"], 0);
    assert_eq!(again.body["rows_unchanged"], 2);
    assert_eq!(app.count("results").await, 2);
    assert_eq!(app.count("samples").await, 1);
    assert_eq!(app.count("sampling_points").await, 1);

    let v = verdict(&app, "").await;
    assert_eq!(v["verdict"], "over_intervention");
    let levels: Vec<&str> = v["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["level"].as_str().expect("level"))
        .collect();
    assert_eq!(
        levels,
        vec!["screening", "intervention"],
        "sorted by ratio: 121/20 then 121/120"
    );

    // The same result with another value is a conflict, not a silent overwrite.
    let changed = csv(&["S1,116.1005,39.9405,0,0.5,2023-04-01,砷,99,mg/kg,"]);
    let res = send_csv(&app, &eco, "", &changed).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        res.body["error"]["report"]["bad_rows"][0]["problems"][0]["field"],
        "value"
    );
}

#[tokio::test]
async fn chinese_headers_and_a_gauss_kruger_crs_are_understood() {
    let app = TestApp::new().await;
    let eco = setup(&app).await;
    let proj = proj::Proj::new_known_crs("EPSG:4490", "EPSG:4548", None).expect("proj");
    let (e, n) = proj.convert((116.1005, 39.9405)).expect("convert");
    let file = format!(
        "点位编号,X坐标,Y坐标,起始深度(m),终止深度(m),采样日期,检测项目,检测值,单位,检出限\nZ1,{e},{n},0,0.2,2023/4/1,铬（六价）,6,mg/kg,0.5\n"
    );
    let res = send_csv(&app, &eco, "?crs=EPSG:4548", &file).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    assert_eq!(res.body["points_outside_parcel"], json!([]));
    let list = app.get("/api/parcels/SP-1/samples").await;
    let r = &list.body["results"][0];
    assert_eq!(r["item_no"], "T1-03");
    assert!(
        (r["lon"].as_f64().expect("lon") - 116.1005).abs() < 1e-7,
        "{r}"
    );
    let v = verdict(&app, "").await;
    assert_eq!(v["items"][0]["name"], "铬（六价）");
    assert_eq!(v["items"][0]["ratio"], 2.0);
}

#[tokio::test]
async fn every_bad_row_is_reported_with_its_reasons() {
    let app = TestApp::new().await;
    let eco = setup(&app).await;
    let file = csv(&[
        "A,116.4,39.9,0,0.5,2023-04-01,砷,10,mg/kg,", // outside the district
        "B,116.1005,39.9405,1,0.5,2023-04-01,砷,10,mg/kg,", // bottom above top
        "C,116.1005,39.9405,0,0.5,2999-04-01,砷,10,mg/kg,", // future
        "D,116.1005,39.9405,0,0.5,2023-04-01,unobtainium,10,mg/kg,",
        "E,116.1005,39.9405,0,0.5,2023-04-01,砷,10,g/kg,",
        "F,116.1005,39.9405,0,0.5,2023-04-01,砷,-3,mg/kg,",
        "G,116.1005,39.9405,0,0.5,2023-04-01,砷,10,mg/kg,", // good
        "G,116.1006,39.9405,0,0.5,2023-04-01,镉,10,mg/kg,", // same point elsewhere
    ]);
    let res = send_csv(&app, &eco, "", &file).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let bad: Vec<(i64, String)> = res.body["error"]["report"]["bad_rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|b| {
            (
                b["line"].as_i64().expect("line"),
                b["problems"][0]["field"]
                    .as_str()
                    .expect("field")
                    .to_owned(),
            )
        })
        .collect();
    assert_eq!(
        bad,
        vec![
            (2, "x".into()),
            (3, "depth_bottom_m".into()),
            (4, "sampled_on".into()),
            (5, "analyte".into()),
            (6, "unit".into()),
            (7, "value".into()),
            (9, "x".into())
        ]
    );
    assert_eq!(res.body["error"]["report"]["rows_total"], 8);
    let missing = send_csv(&app, &eco, "", "point_id,x,y\nA,1,2\n").await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing.body["error"]["message"]
        .as_str()
        .expect("m")
        .contains("depth_top_m"));
    let planning = app.token("planning", Role::Editor).await;
    assert_eq!(
        send_csv(&app, &planning, "", &file).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(app.count("results").await, 0);
}

#[tokio::test]
async fn json_rows_import_like_csv() {
    let app = TestApp::new().await;
    let eco = setup(&app).await;
    let rows = json!([{"point_id": "J1", "x": 116.1005, "y": 39.9405, "depth_top_m": 0, "depth_bottom_m": 0.5,
                       "sampled_on": "2023-04-01", "analyte": "Pb", "value": 401, "unit": "mg/kg", "lab": "示例实验室"}]);
    let res = app.post("/api/parcels/SP-1/samples", &eco, &rows).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    assert_eq!(verdict(&app, "").await["verdict"], "over_screening");
    let bad = app
        .post(
            "/api/parcels/SP-1/samples",
            &eco,
            &json!({"rows": [{"point_id": "J2", "colour": "red"}]}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_arsenic_background_footnote_is_honoured_through_a_configured_value() {
    let app = TestApp::new().await;
    let eco = setup(&app).await;
    send_csv(
        &app,
        &eco,
        "",
        &csv(&["S1,116.1005,39.9405,0,0.5,2023-04-01,砷,35,mg/kg,"]),
    )
    .await;
    assert_eq!(verdict(&app, "").await["verdict"], "over_screening");
    let set = app
        .request(
            Method::PUT,
            "/api/standards/background/7440-38-2",
            Some(&eco),
            &[],
            Some(&json!({"value_mgkg": 40, "source": "北京市土壤背景值（示例）"})),
        )
        .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.text);
    let v = verdict(&app, "").await;
    assert_eq!(v["verdict"], "below_screening");
    assert_eq!(v["items"][0]["background_excused"], true);
    let cadmium = app
        .request(
            Method::PUT,
            "/api/standards/background/镉",
            Some(&eco),
            &[],
            Some(&json!({"value_mgkg": 40, "source": "x"})),
        )
        .await;
    assert_eq!(
        cadmium.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "cadmium has no footnote"
    );
}

#[tokio::test]
async fn the_verdict_is_confirmed_as_the_phase_two_conclusion_and_a_change_of_class_is_flagged() {
    let app = TestApp::new().await;
    let eco = setup(&app).await;
    send_csv(
        &app,
        &eco,
        "",
        &csv(&["S1,116.1005,39.9405,0,0.5,2023-04-01,砷,50,mg/kg,"]),
    )
    .await;
    app.event(&eco, "SP-1", "survey_started", json!({})).await;
    let res = app
        .post(
            "/api/parcels/SP-1/exceedances/confirm",
            &eco,
            &json!({"occurred_on": "2023-05-01"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    assert_eq!(res.body["stage"], "contaminated");
    assert_eq!(res.body["payload"]["exceedances"][0]["cas"], "7440-38-2");
    assert_eq!(res.body["payload"]["class"], 1);

    // Planned for industry (class 2: arsenic 60), the same values no longer exceed: flagged.
    let patched = app
        .patch_current(
            &eco,
            "SP-1",
            &json!({"properties": {"planned_use": "1001"}}),
        )
        .await;
    assert_eq!(patched.status, StatusCode::OK, "{}", patched.text);
    let alerts = app.get("/api/alerts").await.body;
    let alert = &alerts["alerts"][0];
    assert_eq!(alert["kind"], "verdict_changed", "{alerts}");
    assert_eq!(alert["parcel"], "SP-1");
}

#[tokio::test]
async fn the_standards_in_the_database_are_the_csv_values() {
    let app = TestApp::new().await;
    let standard = soilreg::domain::screening::Gb36600::get().expect("standard");
    let rows: Vec<(String, Option<String>, f64, f64, f64, f64, bool)> = sqlx::query_as(
        "SELECT item_no, cas, screen_class1, screen_class2, intervene_class1, intervene_class2, background_footnote
           FROM gb36600_items ORDER BY item_no",
    )
    .fetch_all(&app.pool)
    .await
    .expect("items");
    assert_eq!(rows.len(), 85);
    assert_eq!(standard.items().len(), 85);
    for (no, cas, s1, s2, i1, i2, note) in rows {
        let item = standard
            .items()
            .iter()
            .find(|i| i.item_no == no)
            .expect("same items");
        assert_eq!(item.cas.map(str::to_owned), cas, "{no}");
        assert_eq!(
            [
                item.screening[0],
                item.screening[1],
                item.intervention[0],
                item.intervention[1]
            ],
            [s1, s2, i1, i2],
            "{no}"
        );
        assert_eq!(item.background_footnote, note, "{no}");
    }
    assert_eq!(app.count("gb15618_values").await, 79);
    let api = app.get("/api/standards/gb36600").await;
    assert_eq!(api.body["items"].as_array().expect("items").len(), 85);
}

#[tokio::test]
async fn farmland_is_classed_by_ph_band_and_land_type() {
    let app = TestApp::new().await;
    let classify = |ph: f64, land: &str, cd: f64| json!({"ph": ph, "land_type": land, "results": [{"analyte": "Cd", "value": cd, "unit": "mg/kg"}]});
    // Paddy, pH 6.0: Cd screening 0.4, intervention 2.0.
    for (cd, class) in [
        (0.4, "priority_protection"),
        (0.41, "safe_use"),
        (2.0, "safe_use"),
        (2.01, "strict_control"),
    ] {
        let res = app
            .request(
                Method::POST,
                "/api/screening/farmland",
                None,
                &[],
                Some(&classify(6.0, "水田", cd)),
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);
        assert_eq!(res.body["class"], class, "Cd {cd}: {}", res.text);
        assert_eq!(res.body["ph_band"], "5.5<pH<=6.5");
    }
    let bad = app
        .request(
            Method::POST,
            "/api/screening/farmland",
            None,
            &[],
            Some(&classify(15.0, "水田", 0.1)),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.body["error"]["field"], "ph");
}
