//! Enterprises, closed-factory sites and the screening ledger, key units and their duties.

mod common;

use axum::http::{Method, StatusCode};
use common::{parcel, square, uscc, TestApp};
use serde_json::{json, Value};
use soilreg::domain::access::Role;

fn firm(code: &str, status: &str, industry: &str) -> Value {
    let mut f = json!({"uscc": code, "name": format!("示例企业{}", &code[10..14]), "industry": industry,
                       "address": "门头沟区示例路1号", "location": {"type": "Point", "coordinates": [116.101, 39.941]},
                       "status": status});
    if status != "operating" {
        f["closed_on"] = json!("2022-06-30");
    }
    f
}

#[tokio::test]
async fn an_enterprise_is_registered_by_its_checked_credit_code() {
    let app = TestApp::new().await;
    let t = app.token("industry", Role::Editor).await;
    let code = uscc("91110109MA01AAAA1");
    let res = app
        .post("/api/enterprises", &t, &firm(&code, "closed", "C3360"))
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    assert_eq!(res.body["properties"]["industry"], "3360");
    assert_eq!(res.body["geometry"]["type"], "Point");
    assert_eq!(
        app.post("/api/enterprises", &t, &firm(&code, "closed", "3360"))
            .await
            .status,
        StatusCode::CONFLICT
    );

    let mut wrong_check = code.clone();
    wrong_check.pop();
    wrong_check.push(if code.ends_with('0') { '1' } else { '0' });
    for (body, field) in [
        (firm(&wrong_check, "operating", "3360"), "uscc"),
        (firm(&code.to_lowercase(), "operating", "3360"), "uscc"),
        (firm(&code[..17], "operating", "3360"), "uscc"),
        (
            firm(&uscc("91110109MA01AAAA2"), "operating", "9999"),
            "industry",
        ),
        (
            firm(&uscc("91110109MA01AAAA3"), "bankrupt", "3360"),
            "status",
        ),
    ] {
        let res = app.post("/api/enterprises", &t, &body).await;
        assert_eq!(
            res.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            res.text
        );
        assert_eq!(res.body["error"]["field"], field);
    }
    let mut far = firm(&uscc("91110109MA01AAAA4"), "operating", "3360");
    far["location"] = json!({"type": "Point", "coordinates": [121.47, 31.23]});
    assert_eq!(
        app.post("/api/enterprises", &t, &far).await.body["error"]["field"],
        "location"
    );
    let mut future = firm(&uscc("91110109MA01AAAA5"), "closed", "3360");
    future["closed_on"] = json!("2999-01-01");
    assert_eq!(
        app.post("/api/enterprises", &t, &future).await.body["error"]["field"],
        "closed_on"
    );
    assert_eq!(app.count("enterprises").await, 1);

    let housing = app.token("housing", Role::Editor).await;
    assert_eq!(
        app.post(
            "/api/enterprises",
            &housing,
            &firm(&uscc("91110109MA01AAAA6"), "operating", "3360")
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );

    let got = app.get(&format!("/api/enterprises/{code}")).await;
    let etag = got.header("etag").expect("etag").to_owned();
    let mut moved = firm(&code, "relocated", "3360");
    moved.as_object_mut().expect("obj").remove("uscc");
    let res = app
        .request(
            Method::PATCH,
            &format!("/api/enterprises/{code}"),
            Some(&t),
            &[("if-match", &etag)],
            Some(&moved),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    assert_eq!(res.body["properties"]["status"], "relocated");
    let stale = app
        .request(
            Method::PATCH,
            &format!("/api/enterprises/{code}"),
            Some(&t),
            &[("if-match", &etag)],
            Some(&moved),
        )
        .await;
    assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED);
}

async fn site_setup(app: &TestApp) -> (String, String) {
    soilreg::demo::load_district(&app.pool)
        .await
        .expect("town boundaries");
    let eco = app.token("eco", Role::Editor).await;
    let code = uscc("91110109MA02BBBB1");
    assert_eq!(
        app.post("/api/enterprises", &eco, &firm(&code, "closed", "3360"))
            .await
            .status,
        StatusCode::CREATED
    );
    assert_eq!(
        app.post("/api/parcels", &eco, &parcel("CS-1", 116.10, 39.94))
            .await
            .status,
        StatusCode::CREATED
    );
    assert_eq!(
        app.post("/api/parcels", &eco, &parcel("CS-2", 116.12, 39.94))
            .await
            .status,
        StatusCode::CREATED
    );
    (eco, code)
}

#[tokio::test]
async fn a_high_risk_site_is_scored_with_reasons_linked_to_its_parcel_and_puts_it_on_the_suspected_path(
) {
    let app = TestApp::new().await;
    let (eco, code) = site_setup(&app).await;
    let site = json!({"enterprise": code, "name": "原示例电镀厂", "footprint": square(116.1005, 39.9405, 0.001),
                      "closure_year": 2022, "years_operating": 25, "hazardous_substances": ["六价铬", "镍"], "incidents": 1});
    let res = app.post("/api/closed-sites", &eco, &site).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    assert_eq!(res.body["assessment"]["level"], "high");
    let rules: Vec<&str> = res.body["assessment"]["reasons"]
        .as_array()
        .expect("reasons")
        .iter()
        .map(|r| r["rule"].as_str().expect("rule"))
        .collect();
    assert!(
        rules.contains(&"electroplating") && rules.contains(&"incidents"),
        "{rules:?}"
    );
    assert_eq!(res.body["candidate_parcels"][0]["code"], "CS-1");
    assert_eq!(
        res.body["candidate_parcels"].as_array().expect("c").len(),
        1
    );
    let id = res.body["site"]["id"].as_i64().expect("id");

    let no = app
        .post(
            &format!("/api/closed-sites/{id}/parcels"),
            &eco,
            &json!({"parcel": "CS-2"}),
        )
        .await;
    assert_eq!(no.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(no.error_code(), "no_overlap");
    let link = app
        .post(
            &format!("/api/closed-sites/{id}/parcels"),
            &eco,
            &json!({"parcel": "CS-1"}),
        )
        .await;
    assert_eq!(link.status, StatusCode::CREATED, "{}", link.text);
    assert!(link.body["suspicion_event"].is_i64());
    assert_eq!(
        app.get("/api/parcels/CS-1").await.body["properties"]["stage"],
        "suspected"
    );
    let again = app
        .post(
            &format!("/api/closed-sites/{id}/parcels"),
            &eco,
            &json!({"parcel": "CS-1"}),
        )
        .await;
    assert_eq!(
        again.status,
        StatusCode::OK,
        "linking twice changes nothing"
    );
    assert_eq!(app.count("parcel_events").await, 1);

    let ledgers = app.get("/api/parcels/CS-1/ledgers").await.body;
    assert_eq!(ledgers["closed_sites"][0]["name"], "原示例电镀厂");
    assert_eq!(
        ledgers["closed_sites"][0]["ledger"],
        format!("/api/closed-sites/{id}/ledger")
    );
    assert_eq!(
        app.get("/api/parcels/CS-2/ledgers").await.body["closed_sites"],
        json!([])
    );
    let list = app.get("/api/closed-sites?level=high").await;
    assert_eq!(
        list.body["features"][0]["properties"]["parcels"][0]["code"],
        "CS-1"
    );
    assert_eq!(list.body["features"][0]["properties"]["town"], "110109001");
}

#[tokio::test]
async fn site_inputs_are_checked_and_an_operating_firm_has_no_former_site() {
    let app = TestApp::new().await;
    let (eco, code) = site_setup(&app).await;
    let running = uscc("91110109MA02BBBB2");
    app.post(
        "/api/enterprises",
        &eco,
        &firm(&running, "operating", "5941"),
    )
    .await;
    let base = json!({"enterprise": code, "name": "x", "footprint": square(116.1005, 39.9405, 0.001), "closure_year": 2022, "years_operating": 3});
    let mut cases = vec![];
    let mut v = base.clone();
    v["enterprise"] = json!(running);
    cases.push((v, "enterprise"));
    let mut v = base.clone();
    v["enterprise"] = json!(uscc("91110109MA02BBBB3"));
    cases.push((v, "enterprise"));
    let mut v = base.clone();
    v["footprint"] = square(117.5, 39.94, 0.001);
    cases.push((v, "footprint"));
    let mut v = base.clone();
    v["closure_year"] = json!(2999);
    cases.push((v, "closure_year"));
    for (body, field) in cases {
        let res = app.post("/api/closed-sites", &eco, &body).await;
        assert_eq!(
            res.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            res.text
        );
        assert_eq!(res.body["error"]["field"], field);
    }
    assert_eq!(app.count("closed_sites").await, 0);
    let low = app.post("/api/closed-sites", &eco, &base).await;
    assert_eq!(
        low.body["assessment"]["level"], "high",
        "electroplating alone is high by the default rules: {}",
        low.text
    );
}

#[tokio::test]
async fn the_screening_ledger_keeps_every_entry_and_exports_with_chinese_headers() {
    let app = TestApp::new().await;
    let (eco, code) = site_setup(&app).await;
    let site = json!({"enterprise": code, "name": "原示例电镀厂", "footprint": square(116.1005, 39.9405, 0.001),
                      "closure_year": 2022, "years_operating": 25});
    let id = app.post("/api/closed-sites", &eco, &site).await.body["site"]["id"]
        .as_i64()
        .expect("id");
    let first = json!({"entry_on": "2023-03-01", "current_state": "厂房闲置", "development_use": "未开发", "survey_info": "未调查"});
    let second = json!({"entry_on": "2023-09-01", "current_state": "厂房已拆除", "development_use": "规划为居住用地",
                        "survey_info": "第一阶段调查中", "risk_level": "medium"});
    assert_eq!(
        app.post(&format!("/api/closed-sites/{id}/ledger"), &eco, &first)
            .await
            .status,
        StatusCode::CREATED
    );
    assert_eq!(
        app.post(&format!("/api/closed-sites/{id}/ledger"), &eco, &second)
            .await
            .status,
        StatusCode::CREATED
    );
    let bad = app.post(&format!("/api/closed-sites/{id}/ledger"), &eco, &json!({"entry_on": "2999-01-01", "current_state": "x", "development_use": "x", "survey_info": "x"})).await;
    assert_eq!(bad.body["error"]["field"], "entry_on");
    let trail = app
        .get(&format!("/api/closed-sites/{id}/ledger"))
        .await
        .body;
    let entries = trail["entries"].as_array().expect("entries");
    assert_eq!(entries.len(), 2, "the previous state is kept");
    assert_eq!(entries[0]["current_state"], "厂房闲置");
    assert_eq!(entries[1]["risk_level"], "medium");
    assert_eq!(entries[1]["department"], "eco");
    assert!(
        sqlx::query("UPDATE screening_ledger SET current_state = 'x'")
            .execute(&app.pool)
            .await
            .is_err()
    );

    let csv = app.get("/api/closed-sites/export.csv").await;
    assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
    let mut lines = csv.text.trim_start_matches('\u{feff}').lines();
    assert!(lines
        .next()
        .expect("header")
        .starts_with("序号,企业名称,统一社会信用代码,所属镇街,行业代码,关停年份"));
    let row = lines.next().expect("row");
    assert!(
        row.contains(&code)
            && row.contains("厂房已拆除")
            && row.contains("大峪街道")
            && row.contains("中"),
        "{row}"
    );

    let xlsx = app.get("/api/closed-sites/export.xlsx").await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(xlsx.text.as_bytes().starts_with(b"PK"), "an xlsx is a zip");
    assert_eq!(
        soilreg::domain::document::DocumentType::sniff(xlsx.text.as_bytes()),
        Some(soilreg::domain::document::DocumentType::Xlsx)
    );
}

#[tokio::test]
async fn scoring_rules_are_data_that_an_admin_versions() {
    let app = TestApp::new().await;
    let rules = app.get("/api/closed-sites/scoring-rules").await.body;
    assert_eq!(rules["version"], 1);
    let mut next = rules.clone();
    next["version"] = json!(2);
    next["levels"]["high"] = json!(200);
    let eco = app.token("eco", Role::Editor).await;
    assert_eq!(
        app.request(
            Method::PUT,
            "/api/closed-sites/scoring-rules",
            Some(&eco),
            &[],
            Some(&next)
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let admin = app.token("eco", Role::Admin).await;
    let res = app
        .request(
            Method::PUT,
            "/api/closed-sites/scoring-rules",
            Some(&admin),
            &[],
            Some(&next),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    assert_eq!(
        app.request(
            Method::PUT,
            "/api/closed-sites/scoring-rules",
            Some(&admin),
            &[],
            Some(&next)
        )
        .await
        .status,
        StatusCode::CONFLICT
    );
    let mut broken = next.clone();
    broken["version"] = json!(3);
    broken["levels"]["medium"] = json!(500);
    assert_eq!(
        app.request(
            Method::PUT,
            "/api/closed-sites/scoring-rules",
            Some(&admin),
            &[],
            Some(&broken)
        )
        .await
        .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    // New sites are scored by version 2: electroplating for 25 years is no longer high.
    let (eco, code) = site_setup(&app).await;
    let site = json!({"enterprise": code, "name": "x", "footprint": square(116.1005, 39.9405, 0.001), "closure_year": 2022, "years_operating": 25});
    let res = app.post("/api/closed-sites", &eco, &site).await;
    assert_eq!(res.body["assessment"]["rules_version"], 2);
    assert_eq!(res.body["assessment"]["level"], "medium");
}

#[tokio::test]
async fn key_units_with_a_duty_behind_are_listed_overdue_and_self_monitoring_raises_alerts() {
    let app = TestApp::new().await;
    let t = app.token("eco", Role::Editor).await;
    let (a, b) = (uscc("91110109MA03CCCC1"), uscc("91110109MA03CCCC2"));
    app.post("/api/enterprises", &t, &firm(&a, "operating", "2614"))
        .await;
    app.post("/api/enterprises", &t, &firm(&b, "operating", "3360"))
        .await;
    let put = |uri: String, body: Value| {
        let t = t.clone();
        let app = &app;
        async move {
            app.request(Method::PUT, &uri, Some(&t), &[], Some(&body))
                .await
        }
    };
    assert_eq!(
        put(
            format!("/api/key-units/2023/{a}"),
            json!({"listed": true, "reason": "涉重金属排放"})
        )
        .await
        .status,
        StatusCode::CREATED
    );
    assert_eq!(
        put(
            format!("/api/key-units/2023/{b}"),
            json!({"listed": true, "reason": "电镀"})
        )
        .await
        .status,
        StatusCode::CREATED
    );
    assert_eq!(
        put(
            format!("/api/key-units/2023/{b}"),
            json!({"listed": true, "reason": "电镀工序"})
        )
        .await
        .status,
        StatusCode::OK
    );
    let doc = app
        .upload(&t, "报告.pdf", b"%PDF-1.4 hidden hazards")
        .await
        .body["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let done = put(
        format!("/api/key-units/2023/{a}/duties/hazard_investigation"),
        json!({"due_on": "2023-06-30", "done_on": "2023-06-01", "evidence": doc}),
    )
    .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text);
    assert_eq!(
        put(
            format!("/api/key-units/2023/{b}/duties/self_monitoring"),
            json!({"due_on": "2023-06-30"})
        )
        .await
        .status,
        StatusCode::OK
    );
    let future = put(
        format!("/api/key-units/2023/{a}/duties/self_monitoring"),
        json!({"due_on": "2023-06-30", "done_on": "2999-01-01"}),
    )
    .await;
    assert_eq!(future.body["error"]["field"], "done_on");
    assert_eq!(
        put(
            format!("/api/key-units/2024/{a}/duties/self_monitoring"),
            json!({"due_on": "2024-06-30"})
        )
        .await
        .body["error"]["field"],
        "year"
    );
    assert_eq!(
        put(
            format!("/api/key-units/2023/{a}/duties/paperwork"),
            json!({"due_on": "2023-06-30"})
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );

    let all = app.get("/api/key-units?year=2023").await.body;
    assert_eq!(all["count"], 2);
    let behind = app.get("/api/key-units?year=2023&overdue=true").await.body;
    assert_eq!(behind["count"], 1);
    assert_eq!(behind["units"][0]["uscc"], b.as_str());
    assert_eq!(behind["units"][0]["duties"][0]["overdue"], true);

    // Cadmium: class-2 screening value 65 mg/kg. Three rising values at one point are a trend.
    let mut raised = Vec::new();
    for (day, value) in [
        ("2023-01-10", 10.0),
        ("2023-04-10", 20.0),
        ("2023-07-10", 70.0),
    ] {
        let res = app.post(&format!("/api/key-units/2023/{a}/self-monitoring"), &t,
            &json!({"point_id": "M1", "sampled_on": day, "analyte": "镉", "value": value, "unit": "mg/kg"})).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
        raised.extend(
            res.body["alerts"]
                .as_array()
                .expect("alerts")
                .iter()
                .map(|a| a["kind"].as_str().expect("kind").to_owned()),
        );
    }
    assert_eq!(
        raised,
        vec!["self_monitoring_exceeded", "self_monitoring_rising"]
    );
    assert_eq!(
        app.get("/api/alerts").await.body["alerts"]
            .as_array()
            .expect("alerts")
            .len(),
        2
    );
}
