//! The other ledgers (§3, §6–§11) over HTTP, against a real PostGIS: creation, GeoJSON
//! lists, versions and history; child records and flags in `ledgers/records.rs`; refused
//! input and authorization in `ledgers/refusals.rs`.

#[path = "ledgers/auth.rs"]
mod auth;
mod common;
#[path = "ledgers/records.rs"]
mod records;
#[path = "ledgers/refusals.rs"]
mod refusals;

use axum::http::{Method, StatusCode};
use common::{square, Res, TestApp};
use serde_json::{json, Value};
use soilreg::domain::access::Role;
use soilreg::domain::enterprise::Uscc;

pub const LEDGERS: [&str; 6] = [
    "heavy-metal-firms",
    "buried-tanks",
    "waste-storage-sites",
    "new-projects",
    "farmland-plots",
    "unused-land-patrols",
];

/// A valid credit code registered in Mentougou, different for each `n`.
pub fn uscc(n: u32) -> String {
    let first17 = format!("91110109MA{n:07}");
    let check = Uscc::check_character(&first17).expect("17 characters of the alphabet");
    format!("{first17}{check}")
}

/// Registers an enterprise directly (the enterprises API is not ours).
pub async fn enterprise(app: &TestApp, code: &str) {
    sqlx::query(
        "INSERT INTO enterprises (uscc, name, industry, status) VALUES ($1, '某电镀厂', '3360', 'operating')",
    )
    .bind(code)
    .execute(&app.pool)
    .await
    .expect("enterprise");
}

pub fn point(x: f64, y: f64) -> Value {
    json!({"type": "Point", "coordinates": [x, y]})
}

/// A valid new row of each ledger; `code` must name a registered enterprise.
pub fn row(ledger: &str, code: &str) -> Value {
    match ledger {
        "heavy-metal-firms" => json!({"uscc": code, "metals": ["pb", "cd"], "electroplating": true,
            "status": "investigating", "location": point(116.10, 39.94)}),
        "buried-tanks" => json!({"owner": "某加油站", "owner_uscc": code, "substance": "汽油",
            "capacity_m3": 30, "installed_on": "2012-06-01", "anti_leak": ["double_wall", "leak_detection"],
            "location": point(116.08, 39.92)}),
        "waste-storage-sites" => json!({"operator": "某矿业公司", "waste_type": "煤矸石",
            "safety_measures": "围挡、苫盖、截排水沟", "footprint": square(115.90, 40.00, 0.002)}),
        "new-projects" => json!({"name": "某集成电路项目", "enterprise_uscc": code,
            "sector": "integrated_circuit", "baseline_survey_done_on": "2023-01-10",
            "location": point(116.12, 39.93)}),
        "farmland-plots" => {
            json!({"name": "雁翅果园1号", "town": "110109105", "land_type": "orchard",
            "class": "safe_use", "measures": "低积累品种、石灰调酸", "boundary": square(115.95, 40.03, 0.003)})
        }
        "unused-land-patrols" => json!({"patrolled_on": "2023-05-10", "patroller": "王五",
            "town": "110109004", "finding": "发现少量建筑垃圾倾倒", "follow_up": "已通知清运",
            "location": point(116.00, 39.95)}),
        other => panic!("no ledger {other}"),
    }
}

/// A token whose department keeps `ledger`.
pub async fn keeper(app: &TestApp, ledger: &str) -> String {
    let department = match ledger {
        "farmland-plots" => "agri",
        "unused-land-patrols" => "110109004",
        _ => "eco",
    };
    app.token(department, Role::Editor).await
}

pub fn table(ledger: &str) -> String {
    ledger.replace('-', "_")
}

pub async fn create(app: &TestApp, token: &str, ledger: &str, body: &Value) -> Res {
    app.post(&format!("/api/ledgers/{ledger}"), token, body)
        .await
}

pub async fn patch(
    app: &TestApp,
    token: &str,
    path: &str,
    etag: Option<&str>,
    body: &Value,
) -> Res {
    let headers: Vec<(&str, &str)> = etag.map(|e| vec![("if-match", e)]).unwrap_or_default();
    app.request(Method::PATCH, path, Some(token), &headers, Some(body))
        .await
}

#[tokio::test]
async fn each_ledger_creates_a_row_shown_as_a_geojson_feature_with_its_etag() {
    let app = TestApp::new().await;
    let code = uscc(1);
    enterprise(&app, &code).await;
    for ledger in LEDGERS {
        let token = keeper(&app, ledger).await;
        let res = create(&app, &token, ledger, &row(ledger, &code)).await;
        assert_eq!(res.status, StatusCode::CREATED, "{ledger}: {}", res.text);
        assert_eq!(res.header("etag"), Some("\"1\""), "{ledger}");
        assert_eq!(res.header("content-type"), Some("application/geo+json"));
        let location = res.header("location").expect("location").to_owned();
        assert!(
            location.starts_with(&format!("/api/ledgers/{ledger}/")),
            "{location}"
        );
        assert_eq!(res.body["type"], "Feature");
        assert!(res.body["geometry"].get("crs").is_none(), "no crs member");
        let kind = if matches!(ledger, "waste-storage-sites" | "farmland-plots") {
            "MultiPolygon"
        } else {
            "Point"
        };
        assert_eq!(res.body["geometry"]["type"], kind, "{ledger}");
        let p = &res.body["properties"];
        assert_eq!(
            (p["ledger"].as_str(), p["version"].as_i64()),
            (Some(ledger), Some(1))
        );
        assert_eq!(p["id"], res.body["id"]);

        let got = app.get(&location).await;
        assert_eq!(got.status, StatusCode::OK);
        assert_eq!(got.body, res.body);
        let cached = app
            .request(
                Method::GET,
                &location,
                None,
                &[("if-none-match", "\"1\"")],
                None,
            )
            .await;
        assert_eq!(cached.status, StatusCode::NOT_MODIFIED);
        assert_eq!(app.count(&table(ledger)).await, 1);
    }
    let firm = app.get("/api/ledgers/heavy-metal-firms/1").await.body;
    assert_eq!(firm["properties"]["metals"], json!(["cd", "pb"]), "sorted");
    assert_eq!(firm["properties"]["uscc"], code.as_str());
    let plot = app.get("/api/ledgers/farmland-plots/1").await.body;
    let area = plot["properties"]["area_m2"].as_f64().expect("area");
    assert!(
        (80_000.0..90_000.0).contains(&area),
        "0.003° square near 40°N: {area}"
    );
    assert_eq!(plot["properties"]["stop_direct_planting"], false);
}

#[tokio::test]
async fn a_ledger_lists_as_a_feature_collection_filtered_by_bbox_and_town_and_paged_by_cursor() {
    let app = TestApp::new().await;
    let agri = keeper(&app, "farmland-plots").await;
    for (i, town) in ["110109105", "110109105", "110109106"].iter().enumerate() {
        let mut body = row("farmland-plots", "");
        body["town"] = json!(town);
        body["boundary"] = square(115.70 + 0.01 * i as f64, 39.97, 0.002);
        assert_eq!(
            create(&app, &agri, "farmland-plots", &body).await.status,
            StatusCode::CREATED
        );
    }
    let all = app.get("/api/ledgers/farmland-plots").await;
    assert_eq!(all.status, StatusCode::OK);
    assert_eq!(all.header("content-type"), Some("application/geo+json"));
    assert_eq!(all.body["type"], "FeatureCollection");
    assert_eq!(all.body["numberReturned"], 3);

    let town = app.get("/api/ledgers/farmland-plots?town=110109106").await;
    assert_eq!(town.body["features"][0]["properties"]["town"], "110109106");
    assert_eq!(town.body["numberReturned"], 1);
    let bbox = app
        .get("/api/ledgers/farmland-plots?bbox=115.695,39.96,115.705,39.98")
        .await;
    assert_eq!(bbox.body["numberReturned"], 1);

    let first = app
        .get("/api/ledgers/farmland-plots?limit=2&town=110109105")
        .await;
    assert_eq!(first.body["numberReturned"], 2);
    assert!(first.body["links"]
        .as_array()
        .expect("links")
        .iter()
        .all(|l| l["rel"] != "next"));
    let first = app.get("/api/ledgers/farmland-plots?limit=2").await;
    let next = first.body["links"]
        .as_array()
        .expect("links")
        .iter()
        .find(|l| l["rel"] == "next")
        .and_then(|l| l["href"].as_str())
        .expect("a next link");
    let path = &next[next.find("/api/").expect("path")..];
    let second = app.get(path).await;
    assert_eq!(second.body["numberReturned"], 1);
    assert_eq!(second.body["features"][0]["id"], 3);

    // Town and flag filters exist only where the ledger has them.
    let res = app.get("/api/ledgers/buried-tanks?town=110109105").await;
    assert_eq!(
        (res.status, res.body["error"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("town"))
    );
    let res = app
        .get("/api/ledgers/unused-land-patrols?flagged=true")
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    let res = app.get("/api/ledgers/farmland-plots?town=999").await;
    assert_eq!(
        (res.status, res.error_code()),
        (StatusCode::BAD_REQUEST, "invalid_parameter")
    );
}

#[tokio::test]
async fn a_patch_with_if_match_writes_the_next_version_and_the_history_keeps_every_version() {
    let app = TestApp::new().await;
    let code = uscc(2);
    enterprise(&app, &code).await;
    let eco = keeper(&app, "buried-tanks").await;
    let created = create(&app, &eco, "buried-tanks", &row("buried-tanks", &code)).await;
    let path = created.header("location").expect("location").to_owned();

    let moved = json!({"capacity_m3": 45.5, "owner_uscc": null, "location": point(116.09, 39.93)});
    let res = patch(&app, &eco, &path, Some("\"1\""), &moved).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    assert_eq!(res.header("etag"), Some("\"2\""));
    let p = &res.body["properties"];
    assert_eq!(
        (p["capacity_m3"].as_f64(), p["version"].as_i64()),
        (Some(45.5), Some(2))
    );
    assert_eq!(
        p["owner_uscc"],
        Value::Null,
        "null clears an optional member"
    );
    assert_eq!(p["substance"], "汽油", "absent members stay");
    assert_eq!(res.body["geometry"]["coordinates"], json!([116.09, 39.93]));

    // A patch that changes nothing writes no version.
    let same = patch(
        &app,
        &eco,
        &path,
        Some("\"2\""),
        &json!({"substance": "汽油"}),
    )
    .await;
    assert_eq!(same.header("etag"), Some("\"2\""));

    let h = app.get(&format!("{path}/history")).await;
    assert_eq!(h.status, StatusCode::OK, "{}", h.text);
    let versions = h.body["versions"].as_array().expect("versions");
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0]["version"], 1);
    assert_eq!(versions[0]["properties"]["capacity_m3"], 30.0);
    assert_eq!(versions[0]["properties"]["owner_uscc"], code.as_str());
    assert_eq!(
        versions[0]["geometry"]["coordinates"],
        json!([116.08, 39.92])
    );
    assert_eq!(versions[1]["properties"]["capacity_m3"], 45.5);
    assert!(versions[0]["valid_from"].is_string());

    // An area's geometry is replaced and its area derived again.
    let agri = keeper(&app, "farmland-plots").await;
    let plot = create(&app, &agri, "farmland-plots", &row("farmland-plots", "")).await;
    let plot_path = plot.header("location").expect("location").to_owned();
    let bigger = json!({"boundary": square(115.95, 40.03, 0.006), "class": "strict_control"});
    let res = patch(&app, &agri, &plot_path, Some("\"1\""), &bigger).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    let (before, after) = (
        plot.body["properties"]["area_m2"].as_f64().expect("area"),
        res.body["properties"]["area_m2"].as_f64().expect("area"),
    );
    assert!((after / before - 4.0).abs() < 0.01, "{before} → {after}");
    assert_eq!(res.body["properties"]["class"], "strict_control");
}

#[tokio::test]
async fn a_stale_or_missing_if_match_is_refused_and_changes_nothing() {
    let app = TestApp::new().await;
    let town = keeper(&app, "unused-land-patrols").await;
    let created = create(
        &app,
        &town,
        "unused-land-patrols",
        &row("unused-land-patrols", ""),
    )
    .await;
    let path = created.header("location").expect("location").to_owned();
    let edit = json!({"follow_up": "已清运完毕"});
    assert_eq!(
        patch(&app, &town, &path, Some("\"1\""), &edit).await.status,
        StatusCode::OK
    );

    let stale = patch(
        &app,
        &town,
        &path,
        Some("\"1\""),
        &json!({"follow_up": "覆盖"}),
    )
    .await;
    assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED);
    assert_eq!(stale.error_code(), "stale_version");
    assert_eq!(stale.body["error"]["current_version"], 2);
    let missing = patch(&app, &town, &path, None, &edit).await;
    assert_eq!(missing.status, StatusCode::PRECONDITION_REQUIRED);
    let bad = patch(&app, &town, &path, Some("soon"), &edit).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);

    let now = app.get(&path).await;
    assert_eq!(now.body["properties"]["follow_up"], "已清运完毕");
    assert_eq!(now.header("etag"), Some("\"2\""));
    assert_eq!(app.count("ledger_versions").await, 2);
}

#[tokio::test]
async fn unknown_ledgers_rows_and_record_kinds_are_not_found() {
    let app = TestApp::new().await;
    let eco = keeper(&app, "buried-tanks").await;
    for path in [
        "/api/ledgers/parcels",
        "/api/ledgers/buried-tanks/999",
        "/api/ledgers/buried-tanks/abc",
        "/api/ledgers/buried-tanks/999/history",
        "/api/ledgers/buried-tanks/999/records",
        "/api/ledgers/heavy-metal-firms/1/records",
    ] {
        let res = app.get(path).await;
        assert_eq!(
            (res.status, res.error_code()),
            (StatusCode::NOT_FOUND, "not_found"),
            "{path}"
        );
    }
    let res = create(&app, &eco, "tanks", &json!({})).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    let res = patch(
        &app,
        &eco,
        "/api/ledgers/buried-tanks/999",
        Some("\"1\""),
        &json!({}),
    )
    .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn ledger_rows_and_their_history_cannot_be_changed_behind_the_versions() {
    let app = TestApp::new().await;
    let eco = keeper(&app, "waste-storage-sites").await;
    create(
        &app,
        &eco,
        "waste-storage-sites",
        &row("waste-storage-sites", ""),
    )
    .await;
    for sql in [
        "UPDATE waste_storage_sites SET operator = 'x'",
        "DELETE FROM waste_storage_sites",
        "UPDATE ledger_versions SET version = 9",
        "DELETE FROM ledger_versions",
    ] {
        let err = sqlx::query(sql).execute(&app.pool).await.expect_err(sql);
        assert!(
            err.to_string().contains("version") || err.to_string().contains("append-only"),
            "{sql}: {err}"
        );
    }
    sqlx::query("UPDATE waste_storage_sites SET operator = 'x', version = version + 1")
        .execute(&app.pool)
        .await
        .expect("a versioned update is allowed");
    assert_eq!(app.count("ledger_versions").await, 2);
}
