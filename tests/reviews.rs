//! Map-based review sessions: agenda with key facts and supply check, decisions, minutes.

mod common;

use axum::http::StatusCode;
use common::{parcel, TestApp};
use serde_json::json;
use soilreg::domain::access::Role;

#[tokio::test]
async fn a_review_session_records_a_decision_per_parcel_and_exports_minutes() {
    let app = TestApp::new().await;
    let planning = app.token("planning", Role::Editor).await;
    for (i, code) in ["R-1", "R-2"].iter().enumerate() {
        let mut f = parcel(code, 116.05 + 0.01 * i as f64, 39.90);
        f["properties"]["risk"] = json!(if i == 0 { "high" } else { "low" });
        assert_eq!(
            app.post("/api/parcels", &planning, &f).await.status,
            StatusCode::CREATED
        );
    }
    let session = json!({"title": "2023年第3次图上会审", "held_on": "2023-09-01", "participants": ["区规自分局", "区生态环境局"],
                         "agenda": ["R-1", "R-2"]});
    let res = app.post("/api/reviews", &planning, &session).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    let id = res.body["id"].as_i64().expect("id");
    let agenda = res.body["agenda"].as_array().expect("agenda");
    assert_eq!(agenda.len(), 2);
    assert_eq!(
        agenda[0]["supply_check"]["verdict"], "blocked",
        "an unsurveyed high-risk parcel planned for housing"
    );
    assert_eq!(
        agenda[1]["supply_check"]["verdict"], "conditional",
        "planned for housing: its survey is due first"
    );

    let bad = app
        .post(
            &format!("/api/reviews/{id}/decisions"),
            &planning,
            &json!({"parcel": "R-1", "decision": "approve_with_conditions"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.body["error"]["field"], "conditions");
    let off = app
        .post(
            &format!("/api/reviews/{id}/decisions"),
            &planning,
            &json!({"parcel": "NOPE", "decision": "defer"}),
        )
        .await;
    assert_eq!(off.body["error"]["field"], "parcel");
    let defer = app
        .post(
            &format!("/api/reviews/{id}/decisions"),
            &planning,
            &json!({"parcel": "R-1", "decision": "defer"}),
        )
        .await;
    assert_eq!(defer.status, StatusCode::CREATED);
    // A decision that writes the matching land event, in the same transaction.
    let ok = app.post(&format!("/api/reviews/{id}/decisions"), &planning, &json!({
        "parcel": "R-2", "decision": "approve_with_conditions", "conditions": "开工前完成土壤污染状况调查",
        "event": {"kind": "indicators_fixed", "occurred_on": "2023-09-01"}})).await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.text);
    assert!(ok.body["event_id"].is_i64());
    // An event the rules refuse leaves no decision behind.
    let refused = app.post(&format!("/api/reviews/{id}/decisions"), &planning, &json!({
        "parcel": "R-1", "decision": "approve", "event": {"kind": "land_supplied", "occurred_on": "2023-09-01"}})).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert_eq!(app.count("review_decisions").await, 2);

    let shown = app.get(&format!("/api/reviews/{id}")).await.body;
    assert_eq!(shown["agenda"][0]["decision"]["decision"], "defer");
    assert_eq!(
        shown["agenda"][1]["decision"]["conditions"],
        "开工前完成土壤污染状况调查"
    );
    let csv = app.get(&format!("/api/reviews/{id}/minutes.csv")).await;
    assert!(
        csv.text.contains("暂缓")
            && csv.text.contains("有条件同意")
            && csv.text.contains("序号,地块编码")
    );
    let html = app.get(&format!("/api/reviews/{id}/minutes.html")).await;
    assert!(html.text.contains("2023年第3次图上会审") && html.text.contains("区规自分局"));
    let viewer = app.token("planning", Role::Viewer).await;
    assert_eq!(
        app.post("/api/reviews", &viewer, &session).await.status,
        StatusCode::FORBIDDEN
    );
}
