//! The plan's task tracker: loading the 16 tasks, progress reports, at-risk and filters.

mod common;
#[path = "plan/progress.rs"]
mod progress;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::TestApp;
use serde_json::{json, Value};
use soilreg::domain::access::Role;
use soilreg::domain::plan::plan_2023;
use tower::ServiceExt;

const JUNZHUANG: &str = "110109104";

fn today() -> String {
    soilreg::clock::today().to_string()
}

fn days_ago(n: i64) -> String {
    (soilreg::clock::today() - time::Duration::days(n)).to_string()
}

/// The id of measure `index` (1-based) of task `no`.
async fn measure(app: &TestApp, no: i16, index: usize) -> i64 {
    let task = app.get(&format!("/api/plan/tasks/{no}")).await;
    assert_eq!(task.status, StatusCode::OK, "{}", task.text);
    task.body["measures"][index - 1]["id"]
        .as_i64()
        .expect("measure id")
}

async fn report(app: &TestApp, token: &str, id: i64, body: Value) -> common::Res {
    app.post(&format!("/api/plan/measures/{id}/progress"), token, &body)
        .await
}

/// Reports and asserts it was recorded.
async fn reported(app: &TestApp, token: &str, id: i64, body: Value) {
    let res = report(app, token, id, body).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
}

/// Measure `index` (1-based) of task `no` as the API shows it.
async fn measure_at(app: &TestApp, no: i16, index: usize) -> Value {
    app.get(&format!("/api/plan/tasks/{no}")).await.body["measures"][index - 1].clone()
}

/// A measure's overall state and why it is at risk.
fn verdict(m: &Value) -> (&str, Option<&str>) {
    (
        m["overall"].as_str().unwrap_or("?"),
        m["at_risk_reason"].as_str(),
    )
}

fn progress(status: &str, percent: i64, reported_on: &str) -> Value {
    json!({"status": status, "percent": percent, "text": "按计划推进", "reported_on": reported_on})
}

/// (task number, measure count) of a list response.
fn shape(body: &Value) -> Vec<(i64, usize)> {
    body["tasks"]
        .as_array()
        .expect("tasks")
        .iter()
        .map(|t| {
            let n = t["no"].as_i64().expect("no");
            (n, t["measures"].as_array().map_or(0, Vec::len))
        })
        .collect()
}

fn measure_count(body: &Value) -> usize {
    shape(body).iter().map(|(_, n)| n).sum()
}

#[tokio::test]
async fn the_sixteen_tasks_load_on_first_use_and_only_once() {
    let app = TestApp::new().await;
    assert_eq!(app.count("plan_tasks").await, 0, "nothing before first use");
    let res = app.get("/api/plan/tasks").await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    assert_eq!(res.body["year"], 2023);
    let numbers: Vec<i64> = shape(&res.body).iter().map(|(n, _)| *n).collect();
    assert_eq!(numbers, (1..=16).collect::<Vec<i64>>());
    assert_eq!(measure_count(&res.body), 32);
    let t2 = &res.body["tasks"][1];
    assert_eq!(t2["title"], "保障建设用地土壤环境安全");
    assert_eq!(t2["section"], "二、全面加强建设用地风险防控");
    assert_eq!(t2["measures"][0]["deadline"], "ongoing");
    assert_eq!(
        res.body["tasks"][0]["measures"][0]["lead"][4],
        json!({"name": "区应急局", "department": null})
    );
    assert_eq!(
        res.body["tasks"][0]["measures"][0]["responsible"][3],
        json!({"name": "区住建委", "department": "housing"})
    );

    let units: usize = plan_2023()
        .expect("plan")
        .tasks
        .iter()
        .flat_map(|t| &t.measures)
        .map(|m| m.lead.len() + m.responsible.len())
        .sum();
    let counts = (
        app.count("plan_tasks").await,
        app.count("plan_measures").await,
        app.count("plan_measure_units").await,
    );
    assert_eq!(counts, (16, 32, i64::try_from(units).expect("small")));
    app.get("/api/plan/tasks/7").await;
    app.get("/api/plan/tasks").await;
    let mut conn = app.pool.acquire().await.expect("conn");
    let loaded = soilreg::db::plan::ensure_loaded(&mut conn, plan_2023().expect("plan"))
        .await
        .expect("load");
    assert!(!loaded, "already loaded");
    assert_eq!(
        (
            app.count("plan_tasks").await,
            app.count("plan_measures").await,
            app.count("plan_measure_units").await
        ),
        counts
    );
}

#[tokio::test]
async fn concurrent_first_requests_load_the_plan_exactly_once() {
    let app = TestApp::new().await;
    let mut set = tokio::task::JoinSet::new();
    for i in 0..8 {
        let router = soilreg::router(app.state.clone());
        let uri = if i % 2 == 0 {
            "/api/plan/tasks".to_owned()
        } else {
            format!("/api/plan/tasks/{i}")
        };
        set.spawn(async move {
            let req = Request::get(uri).body(Body::empty()).expect("request");
            router.oneshot(req).await.expect("infallible").status()
        });
    }
    while let Some(status) = set.join_next().await {
        assert_eq!(status.expect("join"), StatusCode::OK);
    }
    assert_eq!(app.count("plan_tasks").await, 16);
    assert_eq!(app.count("plan_measures").await, 32);
}

#[tokio::test]
async fn at_risk_follows_the_deadline_the_reports_and_blocks() {
    let app = TestApp::new().await;
    let all = app.get("/api/plan/tasks").await.body;
    // Any date from 2023-10-01 on: year-end measures not done are at risk, and no ongoing
    // measure has a report yet.
    let t1 = &all["tasks"][0]["measures"][0];
    assert_eq!(verdict(t1), ("not_started", Some("year_end_not_done")));
    let t2 = &all["tasks"][1]["measures"][0];
    assert_eq!(verdict(t2), ("not_started", Some("no_recent_report")));

    let eco = app.token("eco", Role::Editor).await;
    let planning = app.token("planning", Role::Editor).await;
    // §2 (ongoing, led by eco and planning): a report today clears it; a block does not.
    let ongoing = measure(&app, 2, 1).await;
    reported(&app, &eco, ongoing, progress("in_progress", 30, &today())).await;
    let m = measure_at(&app, 2, 1).await;
    assert_eq!(
        (verdict(&m), m["at_risk"].clone()),
        (("in_progress", None), json!(false))
    );
    reported(&app, &planning, ongoing, progress("blocked", 30, &today())).await;
    assert_eq!(
        verdict(&measure_at(&app, 2, 1).await),
        ("blocked", Some("blocked"))
    );

    // §4's first measure (ongoing): a report 120 days old is not recent.
    let stale = measure(&app, 4, 1).await;
    reported(
        &app,
        &eco,
        stale,
        progress("in_progress", 60, &days_ago(120)),
    )
    .await;
    let m = measure_at(&app, 4, 1).await;
    assert_eq!(verdict(&m), ("in_progress", Some("no_recent_report")));

    // §4's second measure (year end, led by eco, industry and planning).
    let year_end = measure(&app, 4, 2).await;
    reported(&app, &eco, year_end, progress("done", 100, &today())).await;
    reported(&app, &planning, year_end, progress("done", 100, &today())).await;
    let m = measure_at(&app, 4, 2).await;
    assert_eq!(verdict(&m), ("in_progress", Some("year_end_not_done")));
    let industry = app.token("industry", Role::Editor).await;
    reported(&app, &industry, year_end, progress("done", 100, &today())).await;
    let m = measure_at(&app, 4, 2).await;
    assert_eq!(
        (verdict(&m), m["at_risk"].clone()),
        (("done", None), json!(false))
    );
    assert_eq!(app.count("plan_progress").await, 6);
}

#[tokio::test]
async fn filters_keep_a_departments_measures_and_the_at_risk_ones() {
    let app = TestApp::new().await;
    let water = app.get("/api/plan/tasks?department=water").await;
    assert_eq!(water.status, StatusCode::OK, "{}", water.text);
    assert_eq!(shape(&water.body), [(1, 1), (12, 1), (16, 2)]);
    // A town: every measure of 各镇街, 相关镇街 or X等相关镇街 (all but §1 of task 3, §12, §15).
    let town = app
        .get(&format!("/api/plan/tasks?department={JUNZHUANG}"))
        .await;
    assert_eq!(measure_count(&town.body), 29);
    assert_eq!(shape(&town.body).len(), 14);
    let park = app.get("/api/plan/tasks?department=park").await;
    assert!(
        shape(&park.body).iter().any(|(n, _)| *n == 13),
        "park leads §13"
    );

    assert_eq!(
        measure_count(&app.get("/api/plan/tasks?at_risk=true").await.body),
        32
    );
    assert!(shape(&app.get("/api/plan/tasks?at_risk=false").await.body).is_empty());
    let eco = app.token("eco", Role::Editor).await;
    let id = measure(&app, 3, 4).await;
    report(&app, &eco, id, progress("done", 100, &today())).await;
    let calm = app
        .get("/api/plan/tasks?department=eco&at_risk=false")
        .await;
    assert_eq!(shape(&calm.body), [(3, 1)]);
    assert_eq!(calm.body["tasks"][0]["measures"][0]["id"], id);
    assert_eq!(
        measure_count(&app.get("/api/plan/tasks?at_risk=true").await.body),
        31
    );

    for (query, field) in [
        ("department=police", "department"),
        ("at_risk=maybe", "at_risk"),
        ("year=2023", "year"),
    ] {
        let res = app.get(&format!("/api/plan/tasks?{query}")).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(res.body["error"]["field"], field);
    }
    for missing in ["17", "0", "abc"] {
        let res = app.get(&format!("/api/plan/tasks/{missing}")).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{missing}");
        res.error_code();
    }
    let t7 = app.get("/api/plan/tasks/7").await.body;
    assert_eq!(t7["year"], 2023);
    assert_eq!(t7["title"], "加强种植业土壤污染源头防控");
    assert_eq!(t7["measures"].as_array().map(Vec::len), Some(3));
}
