//! Filings: review steps, acceptance recording the lifecycle event, overdue detection and alerts.

mod common;

use axum::http::{Method, StatusCode};
use common::{parcel, TestApp};
use serde_json::{json, Value};
use soilreg::domain::access::Role;

async fn setup(app: &TestApp) -> String {
    let eco = app.token("eco", Role::Editor).await;
    let planning = app.token("planning", Role::Editor).await;
    app.post("/api/parcels", &planning, &parcel("FL-1", 116.1, 39.94))
        .await;
    app.event(&eco, "FL-1", "survey_started", json!({})).await;
    eco
}

async fn file(app: &TestApp, eco: &str, body: Value) -> common::Res {
    app.post("/api/filings", eco, &body).await
}

async fn review(app: &TestApp, eco: &str, id: i64, body: Value) -> common::Res {
    app.request(
        Method::PATCH,
        &format!("/api/filings/{id}"),
        Some(eco),
        &[],
        Some(&body),
    )
    .await
}

#[tokio::test]
async fn accepting_a_survey_report_records_the_phase_conclusion_in_the_same_step() {
    let app = TestApp::new().await;
    let eco = setup(&app).await;
    let doc = app
        .upload(&eco, "report.pdf", b"%PDF-1.5 phase 1")
        .await
        .body["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let f = file(&app, &eco, json!({"parcel": "FL-1", "kind": "survey_report", "submitter": "北京某调查单位",
                                   "received_on": "2023-03-01", "deadline": "2099-12-31", "documents": [doc]})).await;
    assert_eq!(f.status, StatusCode::CREATED, "{}", f.text);
    assert_eq!(f.body["status"], "received");
    let id = f.body["id"].as_i64().expect("id");

    assert_eq!(
        review(
            &app,
            &eco,
            id,
            json!({"status": "under_review", "reviewer": "张三"})
        )
        .await
        .status,
        StatusCode::OK
    );
    // The wrong event for this filing: nothing changes.
    let wrong = review(
        &app,
        &eco,
        id,
        json!({"status": "accepted", "event": {"kind": "listed", "occurred_on": "2023-04-01"}}),
    )
    .await;
    assert_eq!(
        wrong.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        wrong.text
    );
    assert_eq!(wrong.body["error"]["field"], "event.kind");
    // An event the lifecycle refuses (no phase 1 needed phase 2 here? phase 2 is allowed; risk is not): nothing changes.
    let refused = review(&app, &eco, id, json!({"status": "accepted", "event": {"kind": "phase1_concluded", "occurred_on": "2023-04-01", "payload": {"outcome": "bogus"}}})).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.body["error"]["field"], "event.payload.outcome");
    assert_eq!(
        app.get(&format!("/api/filings/{id}")).await.body["status"],
        "under_review"
    );

    let ok = review(&app, &eco, id, json!({"status": "accepted", "event": {"kind": "phase1_concluded", "occurred_on": "2023-04-01", "payload": {"outcome": "cleared"}}})).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text);
    assert_eq!(ok.body["status"], "accepted");
    assert!(ok.body["event_id"].is_i64());
    let p = app.get("/api/parcels/FL-1").await;
    assert_eq!(p.body["properties"]["stage"], "cleared");
    let h = app.get("/api/parcels/FL-1/history").await.body;
    assert_eq!(
        h["events"][1]["documents"][0]["id"],
        doc.as_str(),
        "the filing's report is on the event"
    );

    let after = review(
        &app,
        &eco,
        id,
        json!({"status": "returned", "reason": "too late"}),
    )
    .await;
    assert_eq!(after.status, StatusCode::CONFLICT, "acceptance is final");
}

#[tokio::test]
async fn an_accepted_filing_whose_event_breaks_a_rule_is_not_accepted() {
    let app = TestApp::new().await;
    let eco = setup(&app).await;
    let f = file(&app, &eco, json!({"parcel": "FL-1", "kind": "risk_assessment_report", "submitter": "x", "received_on": "2023-03-01"})).await;
    assert_eq!(f.status, StatusCode::CREATED, "{}", f.text);
    let id = f.body["id"].as_i64().expect("id");
    let res = review(&app, &eco, id, json!({"status": "accepted", "event": {"kind": "risk_assessed", "occurred_on": "2023-04-01", "payload": {"outcome": "acceptable"}}})).await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert_eq!(
        res.body["error"]["rule"],
        "risk_assessment_requires_contamination"
    );
    assert_eq!(
        app.get(&format!("/api/filings/{id}")).await.body["status"],
        "received"
    );
    assert_eq!(app.count("parcel_events").await, 1);
}

#[tokio::test]
async fn a_returned_filing_needs_reasons_and_bad_filings_are_refused() {
    let app = TestApp::new().await;
    let eco = setup(&app).await;
    let id = file(&app, &eco, json!({"parcel": "FL-1", "kind": "remediation_plan", "submitter": "x", "received_on": "2023-03-01"}))
        .await
        .body["id"]
        .as_i64()
        .expect("id");
    let no_reason = review(&app, &eco, id, json!({"status": "returned"})).await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(no_reason.body["error"]["field"], "reason");
    let returned = review(
        &app,
        &eco,
        id,
        json!({"status": "returned", "reason": "缺少地下水防护措施"}),
    )
    .await;
    assert_eq!(returned.body["return_reason"], "缺少地下水防护措施");

    for (body, field) in [
        (
            json!({"parcel": "NOPE", "kind": "survey_report", "submitter": "x", "received_on": "2023-03-01"}),
            "parcel",
        ),
        (
            json!({"parcel": "FL-1", "kind": "novel", "submitter": "x", "received_on": "2023-03-01"}),
            "kind",
        ),
        (
            json!({"parcel": "FL-1", "kind": "survey_report", "submitter": "", "received_on": "2023-03-01"}),
            "submitter",
        ),
        (
            json!({"parcel": "FL-1", "kind": "survey_report", "submitter": "x", "received_on": "2999-03-01"}),
            "received_on",
        ),
        (
            json!({"parcel": "FL-1", "kind": "survey_report", "submitter": "x", "received_on": "2023-03-01", "deadline": "soon"}),
            "deadline",
        ),
    ] {
        let res = file(&app, &eco, body.clone()).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(res.body["error"]["field"], field);
    }
    let planning = app.token("planning", Role::Editor).await;
    let res = file(&app, &planning, json!({"parcel": "FL-1", "kind": "survey_report", "submitter": "x", "received_on": "2023-03-01"})).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(app.count("filings").await, 1);
}

#[tokio::test]
async fn filings_past_their_deadline_are_listed_overdue_and_alerted_once() {
    let app = TestApp::new().await;
    let eco = setup(&app).await;
    let late = file(&app, &eco, json!({"parcel": "FL-1", "kind": "survey_report", "submitter": "x", "received_on": "2023-01-01", "deadline": "2023-06-30"})).await;
    let on_time = file(&app, &eco, json!({"parcel": "FL-1", "kind": "periodic_control_report", "submitter": "x", "received_on": "2023-01-01", "deadline": "2099-06-30"})).await;
    let done = file(&app, &eco, json!({"parcel": "FL-1", "kind": "soil_transport_plan", "submitter": "x", "received_on": "2023-01-01", "deadline": "2023-02-01"})).await;
    review(
        &app,
        &eco,
        done.body["id"].as_i64().expect("id"),
        json!({"status": "accepted"}),
    )
    .await;

    let overdue = app.get("/api/filings?status=overdue").await;
    assert_eq!(overdue.status, StatusCode::OK);
    let ids: Vec<&Value> = overdue.body["filings"]
        .as_array()
        .expect("filings")
        .iter()
        .map(|f| &f["id"])
        .collect();
    assert_eq!(ids, vec![&late.body["id"]]);
    assert_eq!(overdue.body["filings"][0]["overdue"], true);
    assert_eq!(app.get("/api/filings?parcel=FL-1").await.body["count"], 3);
    assert_eq!(
        app.get(&format!("/api/filings/{}", on_time.body["id"]))
            .await
            .body["overdue"],
        false
    );
    assert_eq!(
        app.get("/api/filings?status=late").await.status,
        StatusCode::BAD_REQUEST
    );

    // The scheduled check marks it and raises one alert, however often it runs.
    let today = soilreg::clock::today();
    assert_eq!(
        soilreg::db::filings::mark_overdue(&app.pool, today)
            .await
            .expect("check"),
        1
    );
    assert_eq!(
        soilreg::db::filings::mark_overdue(&app.pool, today)
            .await
            .expect("check"),
        0
    );
    let alerts = app.get("/api/alerts").await;
    assert_eq!(alerts.body["alerts"].as_array().expect("alerts").len(), 1);
    assert_eq!(alerts.body["alerts"][0]["filing_id"], late.body["id"]);
    assert_eq!(alerts.body["alerts"][0]["parcel"], "FL-1");
    assert_eq!(
        app.get(&format!("/api/filings/{}", late.body["id"]))
            .await
            .body["overdue_since"],
        json!(today.to_string())
    );
}
