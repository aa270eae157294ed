//! Child records (inspections, patrols, produce tests) and the flags they and the
//! baseline-survey rule derive.

use axum::http::{Method, StatusCode};
use serde_json::{json, Value};

use super::common::TestApp;
use super::{create, enterprise, keeper, patch, row, uscc};

async fn append(app: &TestApp, token: &str, path: &str, body: Value) -> super::common::Res {
    app.post(&format!("{path}/records"), token, &body).await
}

fn ids(res: &super::common::Res) -> Vec<i64> {
    res.body["features"]
        .as_array()
        .expect("features")
        .iter()
        .filter_map(|f| f["id"].as_i64())
        .collect()
}

#[tokio::test]
async fn tank_inspections_are_appended_in_date_order_and_a_failed_last_inspection_flags_the_tank() {
    let app = TestApp::new().await;
    let code = uscc(3);
    enterprise(&app, &code).await;
    let eco = keeper(&app, "buried-tanks").await;
    let tank = create(&app, &eco, "buried-tanks", &row("buried-tanks", &code)).await;
    let path = tank.header("location").expect("location").to_owned();
    let report = app
        .upload(&eco, "inspection.pdf", b"%PDF-1.5 inspection")
        .await
        .body["id"]
        .as_str()
        .expect("id")
        .to_owned();

    let failed = append(
        &app,
        &eco,
        &path,
        json!({"inspected_on": "2023-04-01", "inspector": "赵六",
        "finding": "渗漏检测报警", "passed": false, "document": report}),
    )
    .await;
    assert_eq!(failed.status, StatusCode::CREATED, "{}", failed.text);
    assert_eq!(failed.body["record"]["document"], report.as_str());
    assert_eq!(
        failed.body["parent"]["properties"]["last_inspection_failed"],
        true
    );
    assert_eq!(
        failed.header("etag"),
        Some("\"2\""),
        "the flag is a new version"
    );
    assert_eq!(
        ids(&app.get("/api/ledgers/buried-tanks?flagged=true").await),
        vec![1]
    );

    // Entered later, inspected earlier: listed first, and the later failure still decides.
    let earlier = append(
        &app,
        &eco,
        &path,
        json!({"inspected_on": "2023-01-15", "inspector": "赵六",
        "finding": "正常", "passed": true}),
    )
    .await;
    assert_eq!(
        earlier.body["parent"]["properties"]["last_inspection_failed"],
        true
    );
    assert_eq!(
        earlier.header("etag"),
        Some("\"2\""),
        "no change, no version"
    );
    let fixed = append(
        &app,
        &eco,
        &path,
        json!({"inspected_on": "2023-05-01", "inspector": "赵六",
        "finding": "更换检测探头后正常", "passed": true}),
    )
    .await;
    assert_eq!(
        fixed.body["parent"]["properties"]["last_inspection_failed"],
        false
    );
    assert!(ids(&app.get("/api/ledgers/buried-tanks?flagged=true").await).is_empty());

    let list = app.get(&format!("{path}/records")).await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.body["count"], 3);
    let dates: Vec<&str> = list.body["records"]
        .as_array()
        .expect("records")
        .iter()
        .filter_map(|r| r["inspected_on"].as_str())
        .collect();
    assert_eq!(dates, ["2023-01-15", "2023-04-01", "2023-05-01"]);

    let unknown = append(
        &app,
        &eco,
        &path,
        json!({"inspected_on": "2023-05-02", "inspector": "x",
        "finding": "y", "passed": true, "document": "ab".repeat(32)}),
    )
    .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        (
            unknown.error_code(),
            unknown.body["error"]["field"].as_str()
        ),
        ("unknown_document", Some("document"))
    );
    let future = append(
        &app,
        &eco,
        &path,
        json!({"inspected_on": "2999-01-01", "inspector": "x",
        "finding": "y", "passed": true}),
    )
    .await;
    assert_eq!(future.body["error"]["field"], "inspected_on");
    assert_eq!(app.count("tank_inspections").await, 3);
}

#[tokio::test]
async fn records_are_append_only() {
    let app = TestApp::new().await;
    let eco = keeper(&app, "waste-storage-sites").await;
    let site = create(
        &app,
        &eco,
        "waste-storage-sites",
        &row("waste-storage-sites", ""),
    )
    .await;
    let path = site.header("location").expect("location").to_owned();
    let patrol = append(
        &app,
        &eco,
        &path,
        json!({"patrolled_on": "2023-03-01", "patroller": "孙七",
        "finding": "苫盖破损", "issue_found": true}),
    )
    .await;
    assert_eq!(patrol.status, StatusCode::CREATED, "{}", patrol.text);
    assert_eq!(patrol.body["parent"]["properties"]["issue_open"], true);
    let agri = keeper(&app, "farmland-plots").await;
    let plot = create(&app, &agri, "farmland-plots", &row("farmland-plots", "")).await;
    let plot_path = plot.header("location").expect("location").to_owned();
    append(
        &app,
        &agri,
        &plot_path,
        json!({"harvested_on": "2023-06-01", "product": "樱桃",
        "analyte": "pb", "value_mgkg": 0.1, "limit_mgkg": 0.2}),
    )
    .await;
    let mut tank = row("buried-tanks", "");
    tank["owner_uscc"] = Value::Null;
    let tank = create(&app, &eco, "buried-tanks", &tank).await;
    let tank_path = tank.header("location").expect("location").to_owned();
    append(
        &app,
        &eco,
        &tank_path,
        json!({"inspected_on": "2023-06-01", "inspector": "x",
        "finding": "正常", "passed": true}),
    )
    .await;

    for sql in [
        "UPDATE waste_patrols SET issue_found = false",
        "DELETE FROM waste_patrols",
        "UPDATE produce_tests SET value_mgkg = 0",
        "DELETE FROM produce_tests",
        "UPDATE tank_inspections SET passed = false",
        "DELETE FROM tank_inspections",
    ] {
        let err = sqlx::query(sql).execute(&app.pool).await.expect_err(sql);
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    for method in [Method::PATCH, Method::DELETE, Method::PUT] {
        let res = app
            .request(
                method.clone(),
                &format!("{path}/records"),
                Some(&eco),
                &[],
                Some(&json!({})),
            )
            .await;
        assert_eq!(res.status, StatusCode::METHOD_NOT_ALLOWED, "{method}");
    }
    assert_eq!(app.count("waste_patrols").await, 1);
    assert_eq!(app.count("produce_tests").await, 1);
    assert_eq!(app.count("tank_inspections").await, 1);
}

#[tokio::test]
async fn a_produce_test_over_its_limit_stops_direct_planting_until_a_later_passing_harvest() {
    let app = TestApp::new().await;
    let forestry = app
        .token("forestry", soilreg::domain::access::Role::Editor)
        .await;
    let plot = create(
        &app,
        &forestry,
        "farmland-plots",
        &row("farmland-plots", ""),
    )
    .await;
    let path = plot.header("location").expect("location").to_owned();
    let test = |on: &str, analyte: &str, value: f64| json!({"harvested_on": on, "product": "核桃", "analyte": analyte, "value_mgkg": value, "limit_mgkg": 0.2});
    let flag =
        |res: &super::common::Res| res.body["parent"]["properties"]["stop_direct_planting"].clone();

    let pass = append(&app, &forestry, &path, test("2021-09-20", "cd", 0.05)).await;
    assert_eq!(pass.status, StatusCode::CREATED, "{}", pass.text);
    assert_eq!(pass.body["record"]["exceeds"], false);
    assert_eq!(flag(&pass), false);

    let over = append(&app, &forestry, &path, test("2022-09-20", "Cd", 0.35)).await;
    assert_eq!(over.body["record"]["exceeds"], true);
    assert_eq!(over.body["record"]["analyte"], "cd");
    assert_eq!(flag(&over), true);
    assert_eq!(
        over.body["parent"]["properties"]["blocked_products"],
        json!([{"product": "核桃", "analyte": "cd", "exceeded_on": "2022-09-20"}])
    );
    assert_eq!(
        ids(&app.get("/api/ledgers/farmland-plots?flagged=true").await),
        vec![1]
    );

    // Neither an older harvest nor another analyte clears it.
    assert_eq!(
        flag(&append(&app, &forestry, &path, test("2022-06-01", "cd", 0.01)).await),
        true
    );
    assert_eq!(
        flag(&append(&app, &forestry, &path, test("2023-09-20", "pb", 0.01)).await),
        true
    );
    let cleared = append(&app, &forestry, &path, test("2023-09-20", "cd", 0.12)).await;
    assert_eq!(flag(&cleared), false);
    assert_eq!(
        cleared.body["parent"]["properties"]["blocked_products"],
        json!([])
    );
    assert!(ids(&app.get("/api/ledgers/farmland-plots?flagged=true").await).is_empty());
    assert_eq!(
        ids(&app.get("/api/ledgers/farmland-plots?flagged=false").await),
        vec![1]
    );

    // The history shows when the flag was set and when it was cleared.
    let h = app.get(&format!("{path}/history")).await;
    let flags: Vec<&Value> = h.body["versions"]
        .as_array()
        .expect("versions")
        .iter()
        .map(|v| &v["properties"]["stop_direct_planting"])
        .collect();
    assert_eq!(flags, [&json!(false), &json!(true), &json!(false)]);
    assert_eq!(app.get(&format!("{path}/records")).await.body["count"], 5);
}

#[tokio::test]
async fn a_project_whose_construction_started_without_a_prior_baseline_survey_is_flagged() {
    let app = TestApp::new().await;
    let code = uscc(4);
    enterprise(&app, &code).await;
    let industry = app
        .token("industry", soilreg::domain::access::Role::Editor)
        .await;
    let project = |name: &str, survey: Option<&str>, started: Option<&str>| {
        let mut body = row("new-projects", &code);
        body["name"] = json!(name);
        body["baseline_survey_done_on"] = json!(survey);
        body["construction_started_on"] = json!(started);
        body
    };
    let mut flags = Vec::new();
    for (name, survey, started) in [
        ("未开工", None, None),
        ("先调查后开工", Some("2023-01-10"), Some("2023-03-01")),
        ("未调查即开工", None, Some("2023-03-01")),
        ("开工后补调查", Some("2023-04-01"), Some("2023-03-01")),
    ] {
        let res = create(
            &app,
            &industry,
            "new-projects",
            &project(name, survey, started),
        )
        .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
        flags.push(res.body["properties"]["baseline_missing"].clone());
    }
    assert_eq!(
        flags,
        [json!(false), json!(false), json!(true), json!(true)]
    );
    assert_eq!(
        ids(&app.get("/api/ledgers/new-projects?flagged=true").await),
        vec![3, 4]
    );

    // Starting construction on a project without a survey raises the flag.
    let res = patch(
        &app,
        &industry,
        "/api/ledgers/new-projects/1",
        Some("\"1\""),
        &json!({"construction_started_on": "2023-05-01"}),
    )
    .await;
    assert_eq!(res.body["properties"]["baseline_missing"], true);
    // Recording a survey completed before the start (a late entry) clears it.
    let res = patch(
        &app,
        &industry,
        "/api/ledgers/new-projects/3",
        Some("\"1\""),
        &json!({"baseline_survey_done_on": "2023-02-15"}),
    )
    .await;
    assert_eq!(res.body["properties"]["baseline_missing"], false);
    assert_eq!(
        ids(&app.get("/api/ledgers/new-projects?flagged=true").await),
        vec![1, 4]
    );
    // The flag is derived, never written.
    let res = patch(
        &app,
        &industry,
        "/api/ledgers/new-projects/4",
        Some("\"1\""),
        &json!({"baseline_missing": false}),
    )
    .await;
    assert_eq!(
        (res.status, res.error_code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "read_only")
    );
}
