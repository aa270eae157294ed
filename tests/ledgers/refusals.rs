//! Bad input is refused with 4xx naming the field, and nothing is written; writes need a
//! token of a department that keeps the ledger.

use axum::http::{Method, StatusCode};
use serde_json::{json, Value};

use super::common::{square, TestApp};
use super::{create, enterprise, keeper, patch, point, row, table, uscc, LEDGERS};

/// `row(ledger)` with `changes` merged in (`null` removes a member).
fn with(ledger: &str, code: &str, changes: Value) -> Value {
    let mut body = row(ledger, code);
    if let (Some(b), Some(c)) = (body.as_object_mut(), changes.as_object()) {
        for (k, v) in c {
            if v.is_null() {
                b.remove(k);
            } else {
                b.insert(k.clone(), v.clone());
            }
        }
    }
    body
}

async fn assert_refused(app: &TestApp, ledger: &str, body: Value, status: StatusCode, field: &str) {
    let token = keeper(app, ledger).await;
    let res = create(app, &token, ledger, &body).await;
    assert_eq!(res.status, status, "{ledger} {body}: {}", res.text);
    res.error_code();
    let got = res.body["error"]["field"].as_str().unwrap_or_default();
    assert!(
        got.ends_with(field),
        "{ledger} {body}: field {got}, expected {field}"
    );
}

pub async fn assert_nothing_written(app: &TestApp) {
    for ledger in LEDGERS {
        assert_eq!(app.count(&table(ledger)).await, 0, "{ledger}");
    }
    assert_eq!(app.count("ledger_versions").await, 0);
}

#[tokio::test]
async fn a_bad_credit_code_is_refused_naming_the_field_and_nothing_is_written() {
    let app = TestApp::new().await;
    let good = uscc(5);
    enterprise(&app, &good).await;
    let wrong_check = format!(
        "{}{}",
        &good[..17],
        if good.ends_with('0') { '1' } else { '0' }
    );
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    for bad in [
        wrong_check.as_str(),
        "91110109MA0000005",
        &good.to_lowercase(),
        "91110109MA000000IO",
    ] {
        assert_refused(
            &app,
            "heavy-metal-firms",
            with("heavy-metal-firms", bad, json!({})),
            unprocessable,
            "uscc",
        )
        .await;
        assert_refused(
            &app,
            "buried-tanks",
            with("buried-tanks", bad, json!({})),
            unprocessable,
            "owner_uscc",
        )
        .await;
        assert_refused(
            &app,
            "new-projects",
            with("new-projects", bad, json!({})),
            unprocessable,
            "enterprise_uscc",
        )
        .await;
    }
    let token = keeper(&app, "heavy-metal-firms").await;
    let res = create(
        &app,
        &token,
        "heavy-metal-firms",
        &row("heavy-metal-firms", &wrong_check),
    )
    .await;
    assert_eq!(res.error_code(), "invalid_uscc");
    assert!(res.body["error"]["message"]
        .as_str()
        .is_some_and(|m| m.contains("check character")));
    assert_nothing_written(&app).await;
}

#[tokio::test]
async fn an_unregistered_enterprise_is_refused_and_a_firm_is_listed_once() {
    let app = TestApp::new().await;
    let unregistered = uscc(6);
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    for (ledger, field) in [
        ("heavy-metal-firms", "uscc"),
        ("buried-tanks", "owner_uscc"),
        ("new-projects", "enterprise_uscc"),
    ] {
        assert_refused(
            &app,
            ledger,
            row(ledger, &unregistered),
            unprocessable,
            field,
        )
        .await;
    }
    assert_nothing_written(&app).await;

    let registered = uscc(7);
    enterprise(&app, &registered).await;
    let eco = keeper(&app, "heavy-metal-firms").await;
    let first = create(
        &app,
        &eco,
        "heavy-metal-firms",
        &row("heavy-metal-firms", &registered),
    )
    .await;
    assert_eq!(first.status, StatusCode::CREATED);
    let again = create(
        &app,
        &eco,
        "heavy-metal-firms",
        &row("heavy-metal-firms", &registered),
    )
    .await;
    assert_eq!(
        (again.status, again.error_code()),
        (StatusCode::CONFLICT, "duplicate_firm")
    );
    let path = first.header("location").expect("location").to_owned();
    // A patch naming an unregistered firm is refused too, and the row keeps its version.
    let res = patch(
        &app,
        &eco,
        &path,
        Some("\"1\""),
        &json!({"uscc": unregistered}),
    )
    .await;
    assert_eq!(
        (res.status, res.error_code()),
        (unprocessable, "unknown_enterprise")
    );
    assert_eq!(app.get(&path).await.header("etag"), Some("\"1\""));
    assert_eq!(app.count("ledger_versions").await, 1);
}

#[tokio::test]
async fn each_bad_input_is_refused_with_its_field_and_nothing_is_written() {
    let app = TestApp::new().await;
    let code = uscc(8);
    enterprise(&app, &code).await;
    let far = point(116.40, 39.90); // Tiananmen, outside the district
    let bowtie = json!({"type": "Polygon", "coordinates": [[[115.90, 40.0], [115.91, 40.01], [115.91, 40.0], [115.90, 40.01], [115.90, 40.0]]]});
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    let cases: Vec<(&str, Value, &str)> = vec![
        ("farmland-plots", json!({"town": "110109999"}), "town"),
        ("unused-land-patrols", json!({"town": "大台街道"}), "town"),
        ("heavy-metal-firms", json!({"location": far}), "location"),
        ("buried-tanks", json!({"location": far}), "location"),
        ("new-projects", json!({"location": far}), "location"),
        ("unused-land-patrols", json!({"location": far}), "location"),
        (
            "waste-storage-sites",
            json!({"footprint": square(116.40, 39.90, 0.002)}),
            "footprint",
        ),
        (
            "farmland-plots",
            json!({"boundary": square(116.40, 39.90, 0.002)}),
            "boundary",
        ),
        (
            "waste-storage-sites",
            json!({"footprint": bowtie}),
            "footprint",
        ),
        (
            "waste-storage-sites",
            json!({"footprint": point(115.9, 40.0)}),
            "footprint",
        ),
        ("heavy-metal-firms", json!({"location": null}), "location"),
        (
            "new-projects",
            json!({"baseline_survey_done_on": "2999-01-01"}),
            "baseline_survey_done_on",
        ),
        (
            "new-projects",
            json!({"construction_started_on": "2999-01-01"}),
            "construction_started_on",
        ),
        (
            "unused-land-patrols",
            json!({"patrolled_on": "2999-01-01"}),
            "patrolled_on",
        ),
        (
            "buried-tanks",
            json!({"installed_on": "2999-01-01"}),
            "installed_on",
        ),
        (
            "buried-tanks",
            json!({"installed_on": "2023-02-30"}),
            "installed_on",
        ),
        ("buried-tanks", json!({"capacity_m3": -30}), "capacity_m3"),
        ("buried-tanks", json!({"capacity_m3": "30"}), "capacity_m3"),
        (
            "buried-tanks",
            json!({"anti_leak": ["none", "double_wall"]}),
            "anti_leak",
        ),
        (
            "buried-tanks",
            json!({"anti_leak": ["concrete"]}),
            "anti_leak",
        ),
        (
            "heavy-metal-firms",
            json!({"metals": ["cd", "u"]}),
            "metals",
        ),
        ("heavy-metal-firms", json!({"status": "finished"}), "status"),
        (
            "heavy-metal-firms",
            json!({"metals": [], "electroplating": false}),
            "metals",
        ),
        ("new-projects", json!({"sector": "battery"}), "sector"),
        (
            "farmland-plots",
            json!({"land_type": "forest"}),
            "land_type",
        ),
        ("farmland-plots", json!({"class": "contaminated"}), "class"),
        ("farmland-plots", json!({"measures": null}), "measures"),
        (
            "unused-land-patrols",
            json!({"photo": "not-a-sha"}),
            "photo",
        ),
        (
            "unused-land-patrols",
            json!({"photo": "ab".repeat(32)}),
            "photo",
        ),
        ("waste-storage-sites", json!({"operator": ""}), "operator"),
        ("waste-storage-sites", json!({"colour": "red"}), "colour"),
        (
            "farmland-plots",
            json!({"stop_direct_planting": false}),
            "stop_direct_planting",
        ),
        ("new-projects", json!({"version": 3}), "version"),
    ];
    for (ledger, changes, field) in cases {
        assert_refused(
            &app,
            ledger,
            with(ledger, &code, changes),
            unprocessable,
            field,
        )
        .await;
    }
    let eco = keeper(&app, "buried-tanks").await;
    let res = create(&app, &eco, "buried-tanks", &json!([1, 2])).await;
    assert_eq!(res.status, unprocessable);
    let res = app
        .request(
            Method::POST,
            "/api/ledgers/buried-tanks",
            Some(&eco),
            &[("content-type", "text/plain")],
            None,
        )
        .await;
    assert_eq!(res.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let res = app
        .post(
            "/api/ledgers/buried-tanks?srid=4326",
            &eco,
            &row("buried-tanks", &code),
        )
        .await;
    assert_eq!(
        (res.status, res.body["error"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("srid"))
    );
    assert_nothing_written(&app).await;
}

#[tokio::test]
async fn a_bad_patch_is_refused_and_the_row_keeps_its_version() {
    let app = TestApp::new().await;
    let agri = keeper(&app, "farmland-plots").await;
    let plot = create(&app, &agri, "farmland-plots", &row("farmland-plots", "")).await;
    let path = plot.header("location").expect("location").to_owned();
    for (body, field) in [
        (json!({"town": "999"}), "town"),
        (
            json!({"class": "strict_control", "measures": null}),
            "measures",
        ),
        (
            json!({"boundary": square(116.40, 39.90, 0.002)}),
            "boundary",
        ),
        (json!({"area_m2": 1}), "area_m2"),
        (json!({"name": null}), "name"),
    ] {
        let res = patch(&app, &agri, &path, Some("\"1\""), &body).await;
        assert_eq!(
            res.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            res.text
        );
        assert_eq!(res.body["error"]["field"], field, "{body}");
    }
    assert_eq!(app.get(&path).await.body, plot.body);
    assert_eq!(app.count("ledger_versions").await, 1);

    let test = json!({"harvested_on": "2999-09-01", "product": "核桃", "analyte": "cd", "value_mgkg": 0.1, "limit_mgkg": 0.2});
    let res = app.post(&format!("{path}/records"), &agri, &test).await;
    assert_eq!(res.body["error"]["field"], "harvested_on");
    let res = app.post(&format!("{path}/records"), &agri, &json!({"harvested_on": "2023-09-01", "product": "核桃", "analyte": "cd", "value_mgkg": 0.1, "limit_mgkg": -1})).await;
    assert_eq!(res.body["error"]["field"], "limit_mgkg");
    let eco = keeper(&app, "waste-storage-sites").await;
    let site = create(
        &app,
        &eco,
        "waste-storage-sites",
        &row("waste-storage-sites", ""),
    )
    .await;
    let site_path = site.header("location").expect("location").to_owned();
    let res = app.post(&format!("{site_path}/records"), &eco, &json!({"patrolled_on": "2999-01-01", "patroller": "x", "finding": "y", "issue_found": false})).await;
    assert_eq!(res.body["error"]["field"], "patrolled_on");
    assert_eq!(
        app.count("produce_tests").await + app.count("waste_patrols").await,
        0
    );
}
