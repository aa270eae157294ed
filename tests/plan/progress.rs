//! Progress reports: who may report, what a report must hold, and what it changes.

use axum::http::{Method, StatusCode};
use serde_json::{json, Value};
use soilreg::domain::access::Role;

use super::common::TestApp;
use super::{days_ago, measure, progress, report, today, JUNZHUANG};

#[tokio::test]
async fn a_lead_unit_reports_progress_and_the_measure_shows_it() {
    let app = TestApp::new().await;
    let eco = app.token("eco", Role::Editor).await;
    // §3, the heavy-metal firms: led by the ecology bureau alone.
    let id = measure(&app, 3, 4).await;
    let doc = app
        .upload(&eco, "方案.pdf", b"%PDF-1.5 work plan")
        .await
        .body["id"]
        .as_str()
        .expect("document id")
        .to_owned();
    let first = report(&app, &eco, id, progress("in_progress", 40, &days_ago(30))).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
    let mut body = progress("done", 100, &today());
    body["evidence"] = json!(doc);
    let done = report(&app, &eco, id, body).await;
    assert_eq!(done.status, StatusCode::CREATED, "{}", done.text);
    assert_eq!(done.body["department"], "eco");
    assert_eq!(done.body["evidence"], doc.as_str());

    let task = app.get("/api/plan/tasks/3").await.body;
    let m = &task["measures"][3];
    assert_eq!(m["id"], id);
    assert_eq!(m["status"]["eco"]["status"], "done");
    assert_eq!(m["status"]["eco"]["percent"], 100);
    assert_eq!(m["overall"], "done");
    assert_eq!(m["at_risk"], false);

    let trail = app
        .get(&format!("/api/plan/measures/{id}/progress"))
        .await
        .body;
    let entries = trail["progress"].as_array().expect("trail");
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["status"], "in_progress");
    assert!(entries[1]["recorded_by"]
        .as_str()
        .is_some_and(|n| n.contains("eco")));
    let update = sqlx::query("UPDATE plan_progress SET percent = 0")
        .execute(&app.pool)
        .await;
    assert!(update.is_err(), "progress is append-only");
}

#[tokio::test]
async fn a_town_reports_on_a_measure_of_the_related_towns() {
    let app = TestApp::new().await;
    let town = app.token(JUNZHUANG, Role::Editor).await;
    // §4, remediation plans: responsible 军庄等相关镇街.
    let id = measure(&app, 4, 3).await;
    let res = report(&app, &town, id, progress("in_progress", 20, &today())).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    let task = app.get("/api/plan/tasks/4").await.body;
    let m = &task["measures"][2];
    assert_eq!(m["status"][JUNZHUANG]["percent"], 20);
    assert_eq!(m["overall"], "in_progress");
    assert_eq!(
        m["responsible"][0],
        json!({"name": "军庄等相关镇街", "department": "towns"})
    );
}

#[tokio::test]
async fn only_the_measures_units_report_and_admins_name_the_unit() {
    let app = TestApp::new().await;
    let id = measure(&app, 3, 4).await;
    let body = progress("in_progress", 10, &today());
    let water = app.token("water", Role::Editor).await;
    let res = report(&app, &water, id, body.clone()).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", res.text);
    assert_eq!(res.error_code(), "forbidden");
    let viewer = app.token("eco", Role::Viewer).await;
    assert_eq!(
        report(&app, &viewer, id, body.clone()).await.status,
        StatusCode::FORBIDDEN
    );
    let eco = app.token("eco", Role::Editor).await;
    let mut other = body.clone();
    other["department"] = json!("industry");
    let res = report(&app, &eco, id, other.clone()).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", res.text);
    assert_eq!(res.body["error"]["field"], "department");
    let anonymous = app
        .request(
            Method::POST,
            &format!("/api/plan/measures/{id}/progress"),
            None,
            &[],
            Some(&body),
        )
        .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.count("plan_progress").await, 0);

    let admin = app.token("water", Role::Admin).await;
    let res = report(&app, &admin, id, body.clone()).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.text);
    assert_eq!(res.body["error"]["field"], "department");
    let res = report(&app, &admin, id, other).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    assert_eq!(res.body["department"], "industry");
    assert_eq!(app.count("plan_progress").await, 1);
}

#[tokio::test]
async fn each_bad_input_is_refused_naming_its_field_and_nothing_is_written() {
    let app = TestApp::new().await;
    let eco = app.token("eco", Role::Editor).await;
    let id = measure(&app, 3, 4).await;
    let good = progress("in_progress", 50, &today());
    let with = |key: &str, value: Value| {
        let mut b = good.clone();
        b[key] = value;
        b
    };
    let without = |key: &str| {
        let mut b = good.clone();
        b.as_object_mut().expect("object").remove(key);
        b
    };
    let cases = [
        (without("status"), "status"),
        (with("status", json!("finished")), "status"),
        (with("status", json!(3)), "status"),
        (without("percent"), "percent"),
        (with("percent", json!(101)), "percent"),
        (with("percent", json!(-1)), "percent"),
        (with("percent", json!(50.5)), "percent"),
        (with("percent", json!("50")), "percent"),
        (
            json!({"status": "done", "percent": 90, "text": "x", "reported_on": today()}),
            "percent",
        ),
        (without("text"), "text"),
        (with("text", json!("   ")), "text"),
        (with("text", json!("字".repeat(2001))), "text"),
        (with("evidence", json!("not-a-hash")), "evidence"),
        (with("evidence", json!("ab".repeat(32))), "evidence"),
        (without("reported_on"), "reported_on"),
        (with("reported_on", json!("2023-02-30")), "reported_on"),
        (with("reported_on", json!("2099-01-01")), "reported_on"),
        (with("reported_on", json!("2022-12-31")), "reported_on"),
        (with("department", json!("police")), "department"),
        (with("owner", json!("x")), "owner"),
        (json!([1, 2]), ""),
    ];
    for (body, field) in cases {
        let res = report(&app, &eco, id, body.clone()).await;
        assert_eq!(
            res.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            res.text
        );
        res.error_code();
        assert_eq!(res.body["error"]["field"], field, "{body}");
    }
    let malformed = app
        .request(
            Method::POST,
            &format!("/api/plan/measures/{id}/progress"),
            Some(&eco),
            &[("content-type", "application/json")],
            None,
        )
        .await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
    for missing in ["9999", "abc"] {
        let res = app
            .post(
                &format!("/api/plan/measures/{missing}/progress"),
                &eco,
                &good,
            )
            .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{missing}");
        let res = app
            .get(&format!("/api/plan/measures/{missing}/progress"))
            .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{missing}");
    }
    assert_eq!(app.count("plan_progress").await, 0);
}
