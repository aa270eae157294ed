//! The plan's rules at work: supply checks, survey deadlines, the watchlist, rates.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{parcel, square, TestApp};
use serde_json::{json, Value};
use soilreg::domain::access::Role;

struct Officers {
    eco: String,
    planning: String,
    housing: String,
}

async fn officers(app: &TestApp) -> Officers {
    Officers {
        eco: app.token("eco", Role::Editor).await,
        planning: app.token("planning", Role::Editor).await,
        housing: app.token("housing", Role::Editor).await,
    }
}

/// A parcel at column `i` (0.003° apart) with the given risk, current and planned use.
async fn add(
    app: &TestApp,
    o: &Officers,
    code: &str,
    i: u32,
    risk: &str,
    current: &str,
    planned: Value,
) {
    let mut f = parcel(code, 116.05 + 0.003 * f64::from(i), 39.90);
    f["properties"]["risk"] = json!(risk);
    f["properties"]["current_use"] = json!(current);
    f["properties"]["planned_use"] = planned;
    let res = app.post("/api/parcels", &o.planning, &f).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
}

async fn event(
    app: &TestApp,
    token: &str,
    code: &str,
    kind: &str,
    on: &str,
    payload: Value,
) -> common::Res {
    app.post(
        &format!("/api/parcels/{code}/events"),
        token,
        &json!({"kind": kind, "occurred_on": on, "payload": payload}),
    )
    .await
}

async fn ok(app: &TestApp, token: &str, code: &str, steps: &[(&str, &str, Value)]) {
    for (kind, on, payload) in steps {
        let res = event(app, token, code, kind, on, payload.clone()).await;
        assert_eq!(
            res.status,
            StatusCode::CREATED,
            "{code} {kind}: {}",
            res.text
        );
    }
}

async fn verdict(app: &TestApp, code: &str, use_: &str) -> (String, Vec<String>) {
    let res = app
        .get(&format!("/api/parcels/{code}/supply-check?use={use_}"))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    let rules = res.body["reasons"]
        .as_array()
        .expect("reasons")
        .iter()
        .map(|r| r["rule"].as_str().expect("rule").to_owned())
        .collect();
    (
        res.body["verdict"].as_str().expect("verdict").to_owned(),
        rules,
    )
}

#[tokio::test]
async fn the_supply_check_explains_each_verdict_with_its_rule_and_clause() {
    let app = TestApp::new().await;
    let o = officers(&app).await;
    add(&app, &o, "H-1", 0, "high", "1001", json!("1001")).await;
    // Blocked by §5, and its survey (high risk) is still due: both reasons, the blocking one first.
    assert_eq!(
        verdict(&app, "H-1", "0701").await,
        (
            "blocked".into(),
            vec![
                "unsurveyed_risky_parcel_sensitive_use".into(),
                "survey_still_due".into()
            ]
        )
    );
    assert_eq!(
        verdict(&app, "H-1", "1001").await,
        ("conditional".into(), vec!["survey_still_due".into()])
    );
    assert_eq!(verdict(&app, "H-1", "080403").await.0, "blocked");
    let full = app.get("/api/parcels/H-1/supply-check?use=0701").await.body;
    assert!(full["reasons"][0]["clause"]
        .as_str()
        .expect("clause")
        .contains("§5"));
    assert!(full["reasons"][0]["message_zh"].is_string());
    assert_eq!(full["reasons"][0]["facts"]["risk"], "high");
    assert_eq!(full["facts"]["stage"], "unknown");

    add(&app, &o, "L-1", 1, "low", "0901", json!("0901")).await;
    assert_eq!(verdict(&app, "L-1", "0701").await.0, "allowed");

    // Listed: blocked for every use, with the Art 61 reason that fits the use.
    add(&app, &o, "N-1", 2, "high", "1001", json!("1001")).await;
    ok(
        &app,
        &o.eco,
        "N-1",
        &[
            ("survey_started", "2022-01-01", json!({})),
            (
                "phase2_concluded",
                "2022-03-01",
                json!({"outcome": "contaminated"}),
            ),
            (
                "risk_assessed",
                "2022-06-01",
                json!({"outcome": "control_needed"}),
            ),
            ("listed", "2022-07-01", json!({})),
        ],
    )
    .await;
    assert_eq!(
        verdict(&app, "N-1", "0701").await.1,
        vec!["listed_parcel_not_for_sensitive_use"]
    );
    assert_eq!(
        verdict(&app, "N-1", "1001").await.1,
        vec!["listed_parcel_no_unrelated_project"]
    );

    // Cleared against class-2 values (planned industry): not releasable for housing.
    add(&app, &o, "C-2", 3, "medium", "1001", json!("1001")).await;
    ok(
        &app,
        &o.eco,
        "C-2",
        &[
            ("survey_started", "2022-01-01", json!({})),
            (
                "phase2_concluded",
                "2022-03-01",
                json!({"outcome": "cleared", "class": 2}),
            ),
        ],
    )
    .await;
    assert_eq!(
        verdict(&app, "C-2", "0701").await,
        (
            "blocked".into(),
            vec!["class2_screening_not_valid_for_class1_use".into()]
        )
    );
    assert_eq!(verdict(&app, "C-2", "1101").await.0, "allowed");

    // A medium-risk unsurveyed parcel planned for housing: conditional on the survey.
    add(&app, &o, "M-1", 4, "medium", "0901", json!("0701")).await;
    let (v, rules) = verdict(&app, "M-1", "0701").await;
    assert_eq!(v, "conditional");
    assert!(
        rules.contains(&"unsurveyed_medium_risk_sensitive_use".to_owned())
            && rules.contains(&"survey_still_due".to_owned()),
        "{rules:?}"
    );

    assert_eq!(
        app.get("/api/parcels/H-1/supply-check?use=R2").await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        app.get("/api/parcels/H-1/supply-check").await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        app.get("/api/parcels/NOPE/supply-check?use=0701")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn survey_deadlines_follow_withdrawal_transfer_indicators_and_the_2019_boundary() {
    let app = TestApp::new().await;
    let o = officers(&app).await;
    let soon = (soilreg::clock::today() + time::Duration::days(30)).to_string();
    let later = (soilreg::clock::today() + time::Duration::days(400)).to_string();
    add(&app, &o, "D-1", 0, "high", "1001", json!("0701")).await;
    ok(
        &app,
        &o.planning,
        "D-1",
        &[(
            "withdrawal_planned",
            "2023-01-01",
            json!({"planned_on": soon}),
        )],
    )
    .await;
    add(&app, &o, "D-2", 1, "high", "1001", json!("0701")).await;
    ok(
        &app,
        &o.planning,
        "D-2",
        &[(
            "transfer_planned",
            "2023-01-01",
            json!({"planned_on": later}),
        )],
    )
    .await;
    add(&app, &o, "D-3", 2, "high", "1001", json!("1001")).await;
    add(&app, &o, "D-4", 3, "high", "1001", json!("1001")).await;
    ok(
        &app,
        &o.planning,
        "D-4",
        &[("right_withdrawn", "2018-12-31", json!({}))],
    )
    .await;
    add(&app, &o, "D-5", 4, "high", "1001", json!("1001")).await;
    let flagged = event(
        &app,
        &o.planning,
        "D-5",
        "right_withdrawn",
        "2019-01-01",
        json!({}),
    )
    .await;
    assert_eq!(
        flagged.status,
        StatusCode::CREATED,
        "withdrawal is recorded: {}",
        flagged.text
    );
    assert_eq!(
        flagged.body["flags"][0]["rule"],
        "survey_due_before_withdrawal"
    );
    add(&app, &o, "Q-1", 5, "low", "0901", json!("0901")).await;

    let due = app.get("/api/surveys/due?within=90d&all=true").await.body;
    let by: std::collections::HashMap<String, Value> = due["parcels"]
        .as_array()
        .expect("parcels")
        .iter()
        .map(|p| (p["parcel"].as_str().expect("code").to_owned(), p.clone()))
        .collect();
    assert_eq!(by["D-1"]["trigger"], "before_withdrawal");
    assert_eq!(by["D-1"]["due_by"], json!(soon));
    assert_eq!(by["D-2"]["trigger"], "before_transfer");
    assert_eq!(by["D-3"]["trigger"], "before_indicators");
    assert_eq!(
        by["D-4"]["trigger"], "before_supply",
        "withdrawn before 2019-01-01: due before supply"
    );
    assert_eq!(by["D-4"]["overdue"], false);
    assert_eq!(
        by["D-5"]["trigger"], "before_withdrawal",
        "withdrawn on 2019-01-01: the deadline has passed"
    );
    assert_eq!(by["D-5"]["overdue"], true);
    assert!(
        !by.contains_key("Q-1"),
        "a low-risk commercial parcel needs no survey"
    );

    let near = app.get("/api/surveys/due?within=90d").await.body;
    let codes: Vec<&str> = near["parcels"]
        .as_array()
        .expect("parcels")
        .iter()
        .map(|p| p["parcel"].as_str().expect("code"))
        .collect();
    assert_eq!(
        codes,
        vec!["D-5", "D-1"],
        "overdue first, then dated within 90 days"
    );

    let alerts = app.get("/api/alerts").await.body;
    assert_eq!(alerts["alerts"][0]["kind"], "survey_deadline_passed");
}

#[tokio::test]
async fn supplying_land_for_housing_without_a_survey_is_refused_but_industry_is_flagged() {
    let app = TestApp::new().await;
    let o = officers(&app).await;
    add(&app, &o, "S-1", 0, "high", "1001", json!("0701")).await;
    let refused = event(
        &app,
        &o.planning,
        "S-1",
        "land_supplied",
        "2023-05-01",
        json!({}),
    )
    .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert_eq!(refused.error_code(), "transition_forbidden");
    assert_eq!(
        refused.body["error"]["rule"],
        "no_supply_for_sensitive_use_without_survey"
    );
    assert_eq!(app.count("parcel_events").await, 0);

    add(&app, &o, "S-2", 1, "high", "1001", json!("1001")).await;
    let flagged = event(
        &app,
        &o.planning,
        "S-2",
        "land_supplied",
        "2023-05-01",
        json!({}),
    )
    .await;
    assert_eq!(flagged.status, StatusCode::CREATED);
    assert_eq!(flagged.body["flags"][0]["rule"], "survey_due_before_supply");

    ok(
        &app,
        &o.eco,
        "S-1",
        &[
            ("survey_started", "2023-01-01", json!({})),
            (
                "phase1_concluded",
                "2023-02-01",
                json!({"outcome": "cleared"}),
            ),
        ],
    )
    .await;
    assert_eq!(
        event(
            &app,
            &o.planning,
            "S-1",
            "land_supplied",
            "2023-05-01",
            json!({})
        )
        .await
        .status,
        StatusCode::CREATED
    );
    let _ = &o.housing;
}

async fn send(
    app: &TestApp,
    uri: &str,
    token: Option<&str>,
    ct: &str,
    body: String,
) -> common::Res {
    let mut b = Request::builder()
        .method("POST")
        .uri(uri)
        .header("content-type", ct);
    if let Some(t) = token {
        b = b.header("authorization", format!("Bearer {t}"));
    }
    app.send(b.body(Body::from(body)).expect("request")).await
}

#[tokio::test]
async fn a_whole_land_supply_plan_is_checked_from_json_csv_or_polygons_and_reported() {
    let app = TestApp::new().await;
    let o = officers(&app).await;
    add(&app, &o, "P-1", 0, "high", "1001", json!("0701")).await;
    add(&app, &o, "P-2", 1, "low", "0901", json!("0901")).await;
    let plan = json!({"entries": [{"code": "P-1", "use": "0701", "planned_on": "2030-01-01"}, {"code": "P-2", "use": "0901"},
                                  {"code": "P-9", "use": "0701"}, {"code": "P-2", "use": "R2"}]});
    let res = send(
        &app,
        "/api/supply-check",
        None,
        "application/json",
        plan.to_string(),
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    assert_eq!(
        res.body["summary"],
        json!({"entries": 4, "allowed": 1, "conditional": 0, "blocked": 1, "errors": 2,
                                           "year": soilreg::clock::today().year(), "stored": false})
    );
    assert_eq!(res.body["rows"][0]["verdict"], "blocked");

    // Polygons are matched to the parcel they mostly lie on (P-2 starts at 116.053).
    let fc = json!({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"use": "0901"}, "geometry": square(116.0531, 39.9001, 0.0015)},
        {"type": "Feature", "properties": {"use": "0901"}, "geometry": square(116.09, 39.99, 0.001)}]});
    let res = send(
        &app,
        "/api/supply-check",
        None,
        "application/geo+json",
        fc.to_string(),
    )
    .await;
    assert_eq!(res.body["rows"][0]["code"], "P-2");
    assert_eq!(res.body["rows"][0]["matched"]["by"], "overlap");
    assert!(res.body["rows"][1]["error"].is_string());

    let csv = send(
        &app,
        "/api/supply-check?format=csv",
        None,
        "text/csv",
        "code,use\nP-1,0701\nP-2,0901\n".into(),
    )
    .await;
    assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
    let lines: Vec<&str> = csv.text.trim_start_matches('\u{feff}').lines().collect();
    assert!(lines[0].starts_with("序号,地块编码,拟供地用途"));
    assert!(
        lines[1].contains("不得供地") && lines[1].contains("§5"),
        "{}",
        lines[1]
    );
    assert!(lines[2].contains("可以供地"));
    let html = send(
        &app,
        "/api/supply-check?format=html",
        None,
        "text/csv",
        "code,use\nP-1,0701\n".into(),
    )
    .await;
    assert!(html.text.contains("<table>") && html.text.contains("不得供地"));

    // Storing the plan is the planning bureau's, and gives survey deadlines their supply dates.
    let anon = send(
        &app,
        "/api/supply-check?store=true",
        None,
        "application/json",
        plan.to_string(),
    )
    .await;
    assert_eq!(anon.status, StatusCode::UNAUTHORIZED);
    let stored = send(
        &app,
        "/api/supply-check?store=true",
        Some(&o.planning),
        "application/json",
        plan.to_string(),
    )
    .await;
    assert_eq!(stored.body["summary"]["stored"], true);
    assert_eq!(app.count("supply_plan_entries").await, 2);
}

#[tokio::test]
async fn the_watchlist_holds_construction_without_a_survey_and_patches_that_overlap_forbidden_parcels(
) {
    let app = TestApp::new().await;
    let o = officers(&app).await;
    add(&app, &o, "W-1", 0, "medium", "1001", json!("1001")).await;
    ok(
        &app,
        &o.eco,
        "W-1",
        &[("survey_started", "2023-01-01", json!({}))],
    )
    .await;
    ok(
        &app,
        &o.housing,
        "W-1",
        &[("construction_started", "2023-03-01", json!({}))],
    )
    .await;
    add(&app, &o, "W-2", 1, "low", "1001", json!("1001")).await;
    ok(
        &app,
        &o.eco,
        "W-2",
        &[
            ("survey_started", "2023-01-01", json!({})),
            (
                "phase1_concluded",
                "2023-02-01",
                json!({"outcome": "cleared"}),
            ),
        ],
    )
    .await;
    ok(
        &app,
        &o.housing,
        "W-2",
        &[("construction_started", "2023-03-01", json!({}))],
    )
    .await;

    // W-1 spans 116.05–116.052: one patch overlaps it, one only touches its edge; dumping off any parcel.
    let patches = json!({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"patch_no": "RS-1", "kind": "construction", "detected_on": "2023-04-01"},
         "geometry": square(116.0515, 39.9005, 0.001)},
        {"type": "Feature", "properties": {"patch_no": "RS-2", "kind": "建设", "detected_on": "2023-04-01"},
         "geometry": {"type": "Polygon", "coordinates": [[[116.048, 39.9005], [116.05, 39.9005], [116.05, 39.9015], [116.048, 39.9015], [116.048, 39.9005]]]}},
        {"type": "Feature", "properties": {"patch_no": "RS-3", "kind": "dumping", "detected_on": "2023-04-02"},
         "geometry": square(116.10, 39.99, 0.001)}]});
    let res = app.post("/api/patches", &o.eco, &patches).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    assert_eq!(
        app.post("/api/patches", &o.eco, &patches).await.body["unchanged"],
        3,
        "re-import changes nothing"
    );
    let mut bad = patches.clone();
    bad["features"][0]["properties"]["kind"] = json!("ufo");
    bad["features"][1]["properties"]["patch_no"] = json!("RS-9");
    assert_eq!(
        app.post("/api/patches", &o.eco, &bad).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(app.count("rs_patches").await, 3);

    let w = app.get("/api/enforcement/watchlist").await.body;
    let cases = w["cases"].as_array().expect("cases");
    let construction: Vec<&str> = cases
        .iter()
        .filter(|c| c["source"] == "construction")
        .map(|c| c["parcel"].as_str().expect("p"))
        .collect();
    assert_eq!(construction, vec!["W-1"]);
    assert_eq!(
        cases[0]["reasons"][0]["rule"],
        "construction_without_completed_survey"
    );
    let rs: Vec<(&str, &str)> = cases
        .iter()
        .filter(|c| c["source"] == "remote_sensing")
        .map(|c| {
            (
                c["patch"].as_str().expect("patch"),
                c["reasons"][0]["rule"].as_str().expect("rule"),
            )
        })
        .collect();
    assert_eq!(
        rs,
        vec![
            ("RS-1", "remote_sensing_patch_on_restricted_parcel"),
            ("RS-3", "remote_sensing_dumping_on_unused_land")
        ]
    );
    let overlap = cases.iter().find(|c| c["patch"] == "RS-1").expect("RS-1")["overlap_m2"]
        .as_f64()
        .expect("area");
    assert!(
        (overlap - 0.0005 * 0.001 * 111_320.0 * 85_390.0).abs() / overlap < 0.02,
        "{overlap}"
    );
}

#[tokio::test]
async fn safe_utilization_rates_match_a_hand_made_district() {
    let app = TestApp::new().await;
    let o = officers(&app).await;
    let cleared = [
        ("survey_started", "2022-01-01", json!({})),
        (
            "phase1_concluded",
            "2022-02-01",
            json!({"outcome": "cleared"}),
        ),
    ];
    // Key land (housing): K-1 and K-2 surveyed then supplied in 2023 (safe), K-3 supplied for industry use
    // (not key land), K-4 planned for a school, supplied in 2023 without survey — flagged, not safe.
    for (i, code) in ["K-1", "K-2", "K-4"].iter().enumerate() {
        let planned = if *code == "K-4" { "1001" } else { "0701" };
        add(
            &app,
            &o,
            code,
            u32::try_from(i).expect("i"),
            "low",
            "1001",
            json!(planned),
        )
        .await;
    }
    ok(&app, &o.eco, "K-1", &cleared).await;
    ok(&app, &o.eco, "K-2", &cleared).await;
    ok(
        &app,
        &o.planning,
        "K-1",
        &[("land_supplied", "2023-03-01", json!({}))],
    )
    .await;
    ok(
        &app,
        &o.planning,
        "K-2",
        &[("land_supplied", "2023-04-01", json!({}))],
    )
    .await;
    ok(
        &app,
        &o.planning,
        "K-4",
        &[("land_supplied", "2023-05-01", json!({}))],
    )
    .await;
    // K-4's planned use becomes a school after supply: it now counts as key land, supplied unsurveyed.
    app.patch_current(
        &o.planning,
        "K-4",
        &json!({"properties": {"planned_use": "080403"}}),
    )
    .await;
    // Contaminated: X-1 delisted then supplied in 2023 (safe); X-2 contaminated, construction in 2023 (not safe).
    add(&app, &o, "X-1", 5, "high", "1001", json!("1001")).await;
    ok(
        &app,
        &o.eco,
        "X-1",
        &[
            ("survey_started", "2020-01-01", json!({})),
            (
                "phase2_concluded",
                "2020-06-01",
                json!({"outcome": "contaminated"}),
            ),
            (
                "risk_assessed",
                "2020-09-01",
                json!({"outcome": "control_needed"}),
            ),
            ("listed", "2020-10-01", json!({})),
            ("plan_filed", "2021-01-01", json!({"plan": "remediation"})),
            ("works_started", "2021-03-01", json!({})),
            ("works_finished", "2021-09-01", json!({})),
            (
                "effect_evaluated",
                "2021-12-01",
                json!({"evaluator": "甲", "contractor": "乙"}),
            ),
            ("delisted", "2022-06-01", json!({})),
        ],
    )
    .await;
    ok(
        &app,
        &o.planning,
        "X-1",
        &[("land_supplied", "2023-02-01", json!({}))],
    )
    .await;
    add(&app, &o, "X-2", 6, "high", "1001", json!("1001")).await;
    ok(
        &app,
        &o.eco,
        "X-2",
        &[
            ("survey_started", "2022-01-01", json!({})),
            (
                "phase2_concluded",
                "2022-06-01",
                json!({"outcome": "contaminated"}),
            ),
        ],
    )
    .await;
    ok(
        &app,
        &o.housing,
        "X-2",
        &[("construction_started", "2023-06-01", json!({}))],
    )
    .await;

    let s = app.get("/api/stats/safe-utilization?year=2023").await.body;
    let key = &s["rates"][0];
    assert_eq!(key["definition"]["id"], "key_construction_land");
    assert_eq!(
        (key["numerator"].as_f64(), key["denominator"].as_f64()),
        (Some(2.0), Some(3.0)),
        "{key}"
    );
    assert_eq!(key["not_safe"], json!(["K-4"]));
    assert_eq!(key["target_met"], false);
    let contaminated = &s["rates"][1];
    assert_eq!(
        (
            contaminated["numerator"].as_f64(),
            contaminated["denominator"].as_f64()
        ),
        (Some(1.0), Some(2.0))
    );
    assert_eq!(contaminated["safe"], json!(["X-1"]));
    assert_eq!(contaminated["not_safe"], json!(["X-2"]));
    let area: Vec<f64> = s["contaminated_construction_land"]["by_year"]
        .as_array()
        .expect("years")
        .iter()
        .map(|y| y["contaminated_area_m2"].as_f64().expect("area"))
        .collect();
    let one = app.get("/api/parcels/X-1").await.body["properties"]["area_m2"]
        .as_f64()
        .expect("area");
    assert!((area[1] - one).abs() < 1.0, "2020: X-1 listed: {area:?}");
    assert!(
        (area[3] - one).abs() < 1.0,
        "2022: X-1 delisted, X-2 contaminated: {area:?}"
    );
    assert_eq!(area[0], 0.0);
    // Farmland: a safe-use orchard with measures (safe) and a strict-control plot whose 2023 walnuts exceeded.
    let agri = app.token("agri", Role::Editor).await;
    for (name, class, x) in [
        ("果园甲", "safe_use", 115.95),
        ("地块乙", "strict_control", 115.96),
        ("地块丙", "priority_protection", 115.97),
    ] {
        let res = app
            .post(
                "/api/ledgers/farmland-plots",
                &agri,
                &json!({"name": name, "town": "110109105", "land_type": "orchard",
            "class": class, "measures": "石灰调酸（示例）", "boundary": square(x, 40.03, 0.002)}),
            )
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    }
    let plot: i64 = sqlx::query_scalar("SELECT id FROM farmland_plots WHERE name = '地块乙'")
        .fetch_one(&app.pool)
        .await
        .expect("plot");
    let test = app.post(&format!("/api/ledgers/farmland-plots/{plot}/records"), &agri,
        &json!({"harvested_on": "2023-09-01", "product": "核桃", "analyte": "cd", "value_mgkg": 0.5, "limit_mgkg": 0.2})).await;
    assert_eq!(test.status, StatusCode::CREATED, "{}", test.text);
    let s = app.get("/api/stats/safe-utilization?year=2023").await.body;
    let farmland = &s["rates"][2];
    assert_eq!(farmland["safe"], json!(["果园甲"]));
    assert_eq!(farmland["not_safe"], json!(["地块乙"]));
    let rate = farmland["rate"].as_f64().expect("rate");
    assert!(
        (rate - 0.5).abs() < 0.01,
        "two plots of equal area, one safe: {rate}"
    );
    let none = app.get("/api/stats/safe-utilization?year=2021").await.body;
    assert_eq!(none["rates"][0]["rate"], Value::Null);
}
