//! Writes need a token of a department that keeps the ledger; reads are open.

use axum::http::{Method, StatusCode};
use serde_json::json;
use soilreg::domain::access::Role;

use super::common::TestApp;
use super::refusals::assert_nothing_written;
use super::{create, enterprise, patch, row, uscc};

#[tokio::test]
async fn writes_need_a_token_of_a_department_that_keeps_the_ledger_and_reads_are_open() {
    let app = TestApp::new().await;
    let code = uscc(9);
    enterprise(&app, &code).await;
    let (eco, agri, planning) = (
        app.token("eco", Role::Editor).await,
        app.token("agri", Role::Editor).await,
        app.token("planning", Role::Editor).await,
    );
    let viewer = app.token("eco", Role::Viewer).await;
    let town_a = app.token("110109004", Role::Editor).await;
    let unauthorized = app
        .request(
            Method::POST,
            "/api/ledgers/buried-tanks",
            None,
            &[],
            Some(&row("buried-tanks", &code)),
        )
        .await;
    assert_eq!(
        (unauthorized.status, unauthorized.error_code()),
        (StatusCode::UNAUTHORIZED, "unauthorized")
    );
    let forged = create(
        &app,
        "no-such-token",
        "buried-tanks",
        &row("buried-tanks", &code),
    )
    .await;
    assert_eq!(forged.status, StatusCode::UNAUTHORIZED);
    for (token, ledger) in [
        (&viewer, "buried-tanks"),
        (&agri, "heavy-metal-firms"),
        (&agri, "new-projects"),
        (&eco, "farmland-plots"),
        (&planning, "waste-storage-sites"),
        (&agri, "unused-land-patrols"),
        (&town_a, "buried-tanks"),
    ] {
        let res = create(&app, token, ledger, &row(ledger, &code)).await;
        assert_eq!(
            (res.status, res.error_code()),
            (StatusCode::FORBIDDEN, "forbidden"),
            "{ledger}"
        );
    }
    assert_nothing_written(&app).await;

    let industry = app.token("industry", Role::Editor).await;
    for (token, ledger) in [
        (&industry, "buried-tanks"),
        (&planning, "unused-land-patrols"),
        (&agri, "farmland-plots"),
    ] {
        let res = create(&app, token, ledger, &row(ledger, &code)).await;
        assert_eq!(res.status, StatusCode::CREATED, "{ledger}: {}", res.text);
    }
    // Records and patches need the same action as the row.
    let inspection =
        json!({"inspected_on": "2023-01-01", "inspector": "x", "finding": "y", "passed": true});
    let res = app
        .post("/api/ledgers/buried-tanks/1/records", &agri, &inspection)
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = app
        .request(
            Method::POST,
            "/api/ledgers/buried-tanks/1/records",
            None,
            &[],
            Some(&inspection),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    let res = patch(
        &app,
        &eco,
        "/api/ledgers/farmland-plots/1",
        Some("\"1\""),
        &json!({"name": "x"}),
    )
    .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(app.count("tank_inspections").await, 0);
    assert_eq!(app.count("ledger_versions").await, 3);
    for path in [
        "/api/ledgers/buried-tanks",
        "/api/ledgers/buried-tanks/1",
        "/api/ledgers/buried-tanks/1/records",
        "/api/ledgers/buried-tanks/1/history",
    ] {
        assert_eq!(app.get(path).await.status, StatusCode::OK, "{path}");
    }
}
