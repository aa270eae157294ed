//! The soil-management lifecycle over HTTP: events, rules, corrections, history, as_of, concurrency.

mod common;

use axum::http::{Method, StatusCode};
use common::{parcel, TestApp};
use serde_json::{json, Value};
use soilreg::domain::access::Role;

struct Officers {
    eco: String,
    planning: String,
    housing: String,
}

async fn setup(app: &TestApp, code: &str) -> Officers {
    let o = Officers {
        eco: app.token("eco", Role::Editor).await,
        planning: app.token("planning", Role::Editor).await,
        housing: app.token("housing", Role::Editor).await,
    };
    let res = app
        .post("/api/parcels", &o.planning, &parcel(code, 116.10, 39.94))
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    o
}

fn stage(res: &common::Res) -> &str {
    res.body["stage"]
        .as_str()
        .unwrap_or_else(|| panic!("no stage: {}", res.text))
}

#[tokio::test]
async fn a_parcel_walks_the_whole_lifecycle_by_the_right_departments_with_documents_in_its_history()
{
    let app = TestApp::new().await;
    let o = setup(&app, "W-1").await;
    let report = app
        .upload(&o.eco, "调查报告.pdf", b"%PDF-1.7 survey report")
        .await;
    assert_eq!(report.status, StatusCode::CREATED, "{}", report.text);
    let doc = report.body["id"].as_str().expect("id").to_owned();

    let steps: Vec<(&str, &str, Value, &str)> = vec![
        (
            &o.eco,
            "suspicion_raised",
            json!({"reason": "2022年关停的电镀企业原址"}),
            "suspected",
        ),
        (&o.planning, "withdrawal_planned", json!({}), "suspected"),
        (&o.eco, "survey_started", json!({}), "surveying"),
        (
            &o.eco,
            "phase1_concluded",
            json!({"outcome": "phase2_needed"}),
            "phase2_needed",
        ),
        (
            &o.eco,
            "phase2_concluded",
            json!({"outcome": "contaminated", "exceedances": [{"cas": "7440-38-2", "ratio": 2.4}]}),
            "contaminated",
        ),
        (
            &o.eco,
            "risk_assessed",
            json!({"outcome": "control_needed"}),
            "control_needed",
        ),
        (&o.eco, "listed", json!({}), "listed"),
        (&o.planning, "right_withdrawn", json!({}), "listed"),
        (
            &o.eco,
            "plan_filed",
            json!({"plan": "remediation"}),
            "plan_filed",
        ),
        (&o.eco, "works_started", json!({}), "remediating"),
        (
            &o.eco,
            "soil_transport_declared",
            json!({"quantity_m3": 1200.5, "destination": "北京某水泥窑协同处置厂", "deadline": "2023-12-31"}),
            "remediating",
        ),
        (&o.eco, "works_finished", json!({}), "works_finished"),
        (
            &o.eco,
            "effect_evaluated",
            json!({"evaluator": "北京甲评估公司", "contractor": "北京乙修复公司"}),
            "effect_evaluated",
        ),
        (&o.eco, "delisted", json!({}), "delisted"),
        (&o.planning, "indicators_fixed", json!({}), "delisted"),
        (&o.planning, "land_supplied", json!({}), "delisted"),
        (&o.housing, "construction_permit", json!({}), "delisted"),
        (&o.housing, "construction_started", json!({}), "delisted"),
        (&o.eco, "post_management", json!({}), "post_management"),
    ];
    for (i, (token, kind, payload, expected)) in steps.iter().enumerate() {
        let mut body = json!({"kind": kind, "occurred_on": format!("2023-{:02}-01", 1 + i % 12), "payload": payload, "note": format!("step {i}")});
        if *kind == "phase2_concluded" {
            body["documents"] = json!([doc]);
        }
        let res = app.post("/api/parcels/W-1/events", token, &body).await;
        assert_eq!(res.status, StatusCode::CREATED, "{kind}: {}", res.text);
        assert_eq!(stage(&res), *expected, "after {kind}");
        assert_eq!(res.body["event"]["kind"], *kind);
    }
    let feature = app.get("/api/parcels/W-1").await;
    assert_eq!(feature.body["properties"]["stage"], "post_management");
    assert_eq!(feature.body["properties"]["land_right"], "supplied");
    assert_eq!(
        feature.body["properties"]["version"],
        1 + steps.len() as i64
    );

    let history = app.get("/api/parcels/W-1/history").await;
    assert_eq!(history.status, StatusCode::OK);
    let events = history.body["events"].as_array().expect("events");
    assert_eq!(events.len(), steps.len());
    for (e, (_, kind, _, expected)) in events.iter().zip(&steps) {
        assert_eq!(e["kind"], *kind);
        assert_eq!(e["stage_after"], *expected);
        assert!(e["recorded_by"]["department"].is_string());
    }
    let sampling = &events[4];
    assert_eq!(sampling["recorded_by"]["department"], "eco");
    assert_eq!(sampling["payload"]["exceedances"][0]["cas"], "7440-38-2");
    let href = sampling["documents"][0]["href"].as_str().expect("href");
    let download = app.get(href).await;
    assert_eq!(download.status, StatusCode::OK);
    assert_eq!(download.header("content-type"), Some("application/pdf"));
    assert_eq!(download.text, "%PDF-1.7 survey report");
}

#[tokio::test]
async fn a_forbidden_step_gets_409_with_its_rule_and_clause_and_changes_nothing() {
    let app = TestApp::new().await;
    let o = setup(&app, "F-1").await;
    let res = app.event(&o.eco, "F-1", "works_started", json!({})).await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert_eq!(res.error_code(), "transition_forbidden");
    assert_eq!(res.body["error"]["rule"], "works_require_filed_plan");
    assert!(
        res.body["error"]["clause"]
            .as_str()
            .expect("clause")
            .contains("64"),
        "{}",
        res.text
    );
    assert!(res.body["error"]["message_zh"].is_string());
    assert_eq!(app.count("parcel_events").await, 0);
    assert_eq!(
        app.get("/api/parcels/F-1").await.body["properties"]["version"],
        1
    );
}

#[tokio::test]
async fn the_effect_evaluator_may_not_be_the_works_contractor() {
    let app = TestApp::new().await;
    let o = setup(&app, "E-1").await;
    for (kind, payload) in [
        ("survey_started", json!({})),
        ("phase2_concluded", json!({"outcome": "contaminated"})),
        ("risk_assessed", json!({"outcome": "control_needed"})),
        ("listed", json!({})),
        ("plan_filed", json!({"plan": "control"})),
        ("works_started", json!({})),
        ("works_finished", json!({})),
    ] {
        assert_eq!(
            app.event(&o.eco, "E-1", kind, payload).await.status,
            StatusCode::CREATED,
            "{kind}"
        );
    }
    let same = app
        .event(
            &o.eco,
            "E-1",
            "effect_evaluated",
            json!({"evaluator": "北京乙修复公司（北京）", "contractor": " 北京乙修复公司(北京) "}),
        )
        .await;
    assert_eq!(same.status, StatusCode::CONFLICT, "{}", same.text);
    assert_eq!(same.body["error"]["rule"], "evaluator_is_contractor");
    assert!(same.body["error"]["clause"]
        .as_str()
        .expect("clause")
        .contains("65"));
    let other = app
        .event(
            &o.eco,
            "E-1",
            "effect_evaluated",
            json!({"evaluator": "北京甲评估公司", "contractor": "北京乙修复公司"}),
        )
        .await;
    assert_eq!(other.status, StatusCode::CREATED);
}

#[tokio::test]
async fn a_listed_class_one_parcel_cannot_be_supplied_or_built_on() {
    let app = TestApp::new().await;
    let o = setup(&app, "S-1").await;
    for (kind, payload) in [
        ("survey_started", json!({})),
        ("phase2_concluded", json!({"outcome": "contaminated"})),
        ("risk_assessed", json!({"outcome": "control_needed"})),
        ("listed", json!({})),
    ] {
        assert_eq!(
            app.event(&o.eco, "S-1", kind, payload).await.status,
            StatusCode::CREATED
        );
    }
    let supply = app
        .event(&o.planning, "S-1", "land_supplied", json!({}))
        .await;
    assert_eq!(supply.status, StatusCode::CONFLICT);
    assert_eq!(
        supply.body["error"]["rule"],
        "listed_parcel_not_for_sensitive_use"
    );
    let build = app
        .event(&o.housing, "S-1", "construction_started", json!({}))
        .await;
    assert_eq!(build.status, StatusCode::CONFLICT);
    assert_eq!(
        build.body["error"]["rule"],
        "listed_parcel_no_unrelated_project"
    );
}

#[tokio::test]
async fn soil_events_are_the_ecology_bureaus_and_land_events_planning_and_housing() {
    let app = TestApp::new().await;
    let o = setup(&app, "A-1").await;
    let res = app
        .event(&o.planning, "A-1", "survey_started", json!({}))
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(res.error_code(), "forbidden");
    assert_eq!(
        app.event(&o.eco, "A-1", "land_supplied", json!({}))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let viewer = app.token("eco", Role::Viewer).await;
    assert_eq!(
        app.event(&viewer, "A-1", "survey_started", json!({}))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let none = app
        .request(
            Method::POST,
            "/api/parcels/A-1/events",
            None,
            &[],
            Some(&json!({"kind": "survey_started", "occurred_on": "2023-01-01"})),
        )
        .await;
    assert_eq!(none.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.event(&o.housing, "A-1", "construction_permit", json!({}))
            .await
            .status,
        StatusCode::CREATED
    );
    // A correction needs the rights of the event it voids.
    let id = app.get("/api/parcels/A-1/history").await.body["events"][0]["id"]
        .as_i64()
        .expect("id");
    assert_eq!(
        app.event(&o.eco, "A-1", "correction", json!({"voids": id}))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.event(&o.planning, "A-1", "correction", json!({"voids": id}))
            .await
            .status,
        StatusCode::CREATED
    );
    assert_eq!(app.count("parcel_events").await, 2);
}

#[tokio::test]
async fn bad_event_bodies_name_the_field_and_write_nothing() {
    let app = TestApp::new().await;
    let o = setup(&app, "B-1").await;
    let cases = [
        (
            json!({"kind": "bulldozed", "occurred_on": "2023-01-01"}),
            "kind",
        ),
        (
            json!({"kind": "phase1_concluded", "occurred_on": "2023-01-01", "payload": {"outcome": "maybe"}}),
            "payload.outcome",
        ),
        (
            json!({"kind": "survey_started", "occurred_on": "01/02/2023"}),
            "occurred_on",
        ),
        (
            json!({"kind": "survey_started", "occurred_on": "2999-01-01"}),
            "occurred_on",
        ),
        (
            json!({"kind": "survey_started", "occurred_on": "2023-01-01", "documents": ["nope"]}),
            "documents",
        ),
        (
            json!({"kind": "survey_started", "occurred_on": "2023-01-01", "documents": ["a".repeat(64)]}),
            "documents",
        ),
        (
            json!({"kind": "survey_started", "occurred_on": "2023-01-01", "colour": "red"}),
            "colour",
        ),
    ];
    for (body, field) in cases {
        let res = app.post("/api/parcels/B-1/events", &o.eco, &body).await;
        assert_eq!(
            res.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            res.text
        );
        assert_eq!(res.body["error"]["field"], field, "{}", res.text);
    }
    assert_eq!(app.count("parcel_events").await, 0);
    assert_eq!(
        app.event(&o.eco, "NOPE", "survey_started", json!({}))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_correction_voids_an_event_and_the_stage_is_derived_again() {
    let app = TestApp::new().await;
    let o = setup(&app, "K-1").await;
    app.event(&o.eco, "K-1", "survey_started", json!({})).await;
    let wrong = app
        .event(
            &o.eco,
            "K-1",
            "phase1_concluded",
            json!({"outcome": "cleared"}),
        )
        .await;
    assert_eq!(stage(&wrong), "cleared");
    let wrong_id = wrong.body["event"]["id"].as_i64().expect("id");

    let fixed = app
        .event(&o.eco, "K-1", "correction", json!({"voids": wrong_id}))
        .await;
    assert_eq!(fixed.status, StatusCode::CREATED, "{}", fixed.text);
    assert_eq!(stage(&fixed), "surveying");
    let right = app
        .event(
            &o.eco,
            "K-1",
            "phase1_concluded",
            json!({"outcome": "phase2_needed"}),
        )
        .await;
    assert_eq!(stage(&right), "phase2_needed");

    let again = app
        .event(&o.eco, "K-1", "correction", json!({"voids": wrong_id}))
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(
        again.body["error"]["rule"],
        "correction_target_already_voided"
    );

    // Voiding the survey start would leave the later conclusion without a survey.
    let first = app.get("/api/parcels/K-1/history").await.body["events"][0]["id"]
        .as_i64()
        .expect("id");
    let breaks = app
        .event(&o.eco, "K-1", "correction", json!({"voids": first}))
        .await;
    assert_eq!(breaks.status, StatusCode::CONFLICT);
    assert_eq!(breaks.body["error"]["rule"], "correction_breaks_history");

    let h = app.get("/api/parcels/K-1/history").await.body;
    let events = h["events"].as_array().expect("events");
    assert_eq!(events.len(), 4, "events are never deleted");
    assert_eq!(events[1]["voided"], true);
    assert_eq!(events[1]["voided_by"], fixed.body["event"]["id"]);
    assert_eq!(events[0]["voided"], false);
    assert_eq!(h["stage"], "phase2_needed");
}

#[tokio::test]
async fn events_cannot_be_edited_or_deleted_even_in_sql() {
    let app = TestApp::new().await;
    let o = setup(&app, "X-1").await;
    app.event(&o.eco, "X-1", "survey_started", json!({})).await;
    let update = sqlx::query("UPDATE parcel_events SET note = 'rewritten'")
        .execute(&app.pool)
        .await;
    assert!(update.is_err(), "UPDATE must be refused");
    let delete = sqlx::query("DELETE FROM parcel_events")
        .execute(&app.pool)
        .await;
    assert!(delete.is_err(), "DELETE must be refused");
    assert_eq!(app.count("parcel_events").await, 1);
}

#[tokio::test]
async fn once_land_events_exist_the_land_right_follows_them_not_patches() {
    let app = TestApp::new().await;
    let o = setup(&app, "L-1").await;
    let patch = |v: &str, right: &str| {
        let body = json!({"properties": {"land_right": right}});
        let etag = format!("\"{v}\"");
        let app = &app;
        let token = o.planning.clone();
        async move {
            app.request(
                Method::PATCH,
                "/api/parcels/L-1",
                Some(&token),
                &[("if-match", &etag)],
                Some(&body),
            )
            .await
        }
    };
    // Before any land event the registered right can be corrected.
    assert_eq!(patch("1", "withdrawn").await.status, StatusCode::OK);
    let res = app
        .event(&o.planning, "L-1", "transfer_planned", json!({}))
        .await;
    assert_eq!(res.body["land_right"], "transfer_planned", "{}", res.text);
    let refused = patch("3", "in_use").await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.text);
    assert_eq!(refused.error_code(), "land_right_follows_events");
}

#[tokio::test]
async fn as_of_answers_what_the_register_said_at_each_point_of_the_history() {
    let app = TestApp::new().await;
    let o = setup(&app, "T-1").await;
    let mut stamps = Vec::new();
    for (kind, payload) in [
        ("survey_started", json!({})),
        ("phase2_concluded", json!({"outcome": "contaminated"})),
        ("risk_assessed", json!({"outcome": "control_needed"})),
    ] {
        let res = app.event(&o.eco, "T-1", kind, payload).await;
        stamps.push((
            res.body["event"]["recorded_at"]
                .as_str()
                .expect("recorded_at")
                .to_owned(),
            stage(&res).to_owned(),
        ));
    }
    let renamed = app
        .patch_current(
            &o.planning,
            "T-1",
            &json!({"properties": {"name": "改名后"}}),
        )
        .await;
    assert_eq!(renamed.status, StatusCode::OK);

    let history = app.get("/api/parcels/T-1/history").await.body;
    for ((at, expected), event) in stamps
        .iter()
        .zip(history["events"].as_array().expect("events"))
    {
        let uri = format!("/api/parcels/T-1?as_of={}", urlencode(at));
        let then = app.get(&uri).await;
        assert_eq!(then.status, StatusCode::OK, "{uri}: {}", then.text);
        assert_eq!(then.body["properties"]["stage"], *expected, "as_of {at}");
        assert_eq!(event["stage_after"], *expected, "history and as_of agree");
        assert_eq!(
            then.body["properties"]["name"], "测试地块 T-1",
            "the old name as of {at}"
        );
        let listed = app
            .get(&format!(
                "/api/parcels?stage={expected}&as_of={}",
                urlencode(at)
            ))
            .await;
        assert_eq!(listed.body["numberMatched"], 1, "{}", listed.text);
    }
    let now = app.get("/api/parcels/T-1").await;
    assert_eq!(now.body["properties"]["name"], "改名后");
    // As of a time after the last change: the version in effect is the parcel's own row.
    let later = app.get("/api/parcels/T-1?as_of=2100-01-01").await;
    assert_eq!(later.body["properties"]["name"], "改名后", "{}", later.text);
    assert_eq!(later.body["geometry"], now.body["geometry"]);
    assert_eq!(
        app.get("/api/parcels?as_of=2100-01-01&stage=control_needed")
            .await
            .body["numberMatched"],
        1
    );
    assert_eq!(
        app.get("/api/parcels/T-1?as_of=2020-01-01").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/api/parcels?as_of=2020-01-01").await.body["numberMatched"],
        0
    );
    assert_eq!(
        app.get("/api/parcels/T-1?as_of=someday").await.status,
        StatusCode::BAD_REQUEST
    );
}

fn urlencode(s: &str) -> String {
    s.replace('+', "%2B").replace(':', "%3A")
}

#[tokio::test]
async fn concurrent_writers_lose_no_event_and_leave_the_stage_consistent() {
    let app = TestApp::new().await;
    let o = setup(&app, "C-1").await;
    // Twenty permits at once: all recorded, each version once.
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let state = app.state.clone();
        let token = o.planning.clone();
        tasks.push(tokio::spawn(async move {
            let app = TestApp {
                pool: state.pool.clone(),
                state,
            };
            app.event(&token, "C-1", "planning_permit", json!({}))
                .await
                .status
        }));
    }
    for t in tasks {
        assert_eq!(t.await.expect("join"), StatusCode::CREATED);
    }
    assert_eq!(app.count("parcel_events").await, 20);
    assert_eq!(
        app.get("/api/parcels/C-1").await.body["properties"]["version"],
        21
    );

    // Two surveys started at once: exactly one wins, the other is refused by the rules.
    let mut tasks = Vec::new();
    for _ in 0..2 {
        let state = app.state.clone();
        let token = o.eco.clone();
        tasks.push(tokio::spawn(async move {
            let app = TestApp {
                pool: state.pool.clone(),
                state,
            };
            app.event(&token, "C-1", "survey_started", json!({}))
                .await
                .status
        }));
    }
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.expect("join"));
    }
    statuses.sort();
    assert_eq!(statuses, vec![StatusCode::CREATED, StatusCode::CONFLICT]);
    let h = app.get("/api/parcels/C-1/history").await.body;
    assert_eq!(h["events"].as_array().expect("events").len(), 21);
    assert_eq!(h["stage"], "surveying");
    assert_eq!(
        app.get("/api/parcels/C-1").await.body["properties"]["stage"],
        "surveying"
    );
}
