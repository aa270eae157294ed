//! The demo district: deterministic, synthetic, inside the district, and loadable twice.

mod common;

use common::{database, urlencode};

#[tokio::test]
async fn the_demo_district_loads_idempotently_with_plausible_parcels_and_histories() {
    let (pool, _) = database().await;
    soilreg::demo::load(&pool).await.expect("first load");
    let count = |sql: &'static str| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .fetch_one(&pool)
                .await
                .expect(sql)
        }
    };
    let parcels = count("SELECT count(*) FROM parcels").await;
    let events = count("SELECT count(*) FROM parcel_events").await;
    assert_eq!(parcels, i64::from(soilreg::demo::DEMO_PARCELS));
    assert!(events > 500, "{events} demo events");

    soilreg::demo::load(&pool).await.expect("second load");
    assert_eq!(
        count("SELECT count(*) FROM parcels").await,
        parcels,
        "no new parcels"
    );
    assert_eq!(
        count("SELECT count(*) FROM parcel_events").await,
        events,
        "no new events"
    );
    assert_eq!(
        count("SELECT count(*) FROM users WHERE name LIKE 'demo-%'").await,
        23
    );

    assert_eq!(count("SELECT count(*) FROM enterprises").await, 16);
    for (table, n) in [
        ("heavy_metal_firms", 5),
        ("buried_tanks", 4),
        ("tank_inspections", 4),
        ("waste_storage_sites", 3),
        ("new_projects", 2),
        ("farmland_plots", 6),
        ("unused_land_patrols", 3),
    ] {
        let got: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM {table}"))
            .fetch_one(&pool)
            .await
            .expect("count");
        assert_eq!(got, n, "{table}");
    }
    assert_eq!(count("SELECT count(*) FROM closed_sites").await, 10);
    assert_eq!(count("SELECT count(*) FROM closed_site_parcels").await, 10);
    assert_eq!(
        count("SELECT count(*) FROM key_unit_listings WHERE year = 2023 AND listed").await,
        6
    );
    assert!(
        count("SELECT count(*) FROM key_unit_duties WHERE done_on IS NULL").await > 0,
        "some duties are behind"
    );
    assert_eq!(
        count("SELECT count(*) FROM closed_sites c JOIN closed_site_parcels l ON l.site_id = c.id JOIN parcels p ON p.id = l.parcel_id
                WHERE c.risk_level = 'high' AND p.stage = 'unknown'").await,
        0,
        "high-risk sites put their parcels on the suspected path"
    );
    let app = common::TestApp {
        pool: pool.clone(),
        state: soilreg::AppState::new(pool.clone(), common::test_config("postgres://unused/x")),
    };
    let towns = app.get("/api/towns").await.body;
    assert_eq!(towns["features"].as_array().expect("towns").len(), 13);
    assert_eq!(towns["features"][0]["properties"]["synthetic"], true);
    assert_eq!(
        app.get("/api/district").await.body["geometry"]["type"],
        "MultiPolygon"
    );
    // Every parcel valid, inside the district and its own town, overlapping no other.
    assert_eq!(
        count("SELECT count(*) FROM parcels WHERE NOT ST_IsValid(geom)").await,
        0
    );
    assert_eq!(
        count("SELECT count(*) FROM parcels p, district d WHERE NOT ST_Within(p.geom, d.boundary)")
            .await,
        0
    );
    assert_eq!(count("SELECT count(*) FROM parcels p JOIN towns t ON t.code = p.town WHERE NOT ST_Within(p.geom, t.boundary)").await, 0);
    assert_eq!(count("SELECT count(*) FROM parcels a JOIN parcels b ON a.id < b.id AND ST_Intersects(a.geom, b.geom)").await, 0);
    assert_eq!(
        count("SELECT count(*) FROM parcels WHERE NOT synthetic OR name NOT LIKE '%示例%'").await,
        0
    );
    // Most construction land lies in the eastern valley towns.
    let east = count("SELECT count(*) FROM parcels WHERE town IN ('110109001','110109002','110109003','110109006','110109007','110109101','110109104')").await;
    assert!(east * 2 > parcels, "{east} of {parcels} in the east");
    // Histories reach every part of the lifecycle.
    for stage in [
        "suspected",
        "surveying",
        "contaminated",
        "listed",
        "remediating",
        "delisted",
        "cleared",
    ] {
        let n: i64 =
            sqlx::query_scalar("SELECT count(*) FROM parcels WHERE stage = $1::soil_stage")
                .bind(stage)
                .fetch_one(&pool)
                .await
                .expect("stage count");
        assert!(n > 0, "no demo parcel is {stage}");
    }
    // The area on the ellipsoid agrees with the Gauss–Krüger plane (CM 117E) to within 0.1%.
    let worst: f64 = sqlx::query_scalar(
        "SELECT max(abs(area_m2 / ST_Area(ST_Transform(geom, 4548)) - 1)) FROM parcels",
    )
    .fetch_one(&pool)
    .await
    .expect("areas");
    assert!(worst < 1e-3, "{worst}");
}

/// The demo's samples agree with its histories, and its patches show the watchlist's cases.
#[tokio::test]
async fn the_demo_samples_agree_with_the_histories_and_the_patches_are_on_the_watchlist() {
    let app = common::TestApp::new().await;
    soilreg::demo::load(&app.pool).await.expect("demo");
    let count = |sql: &'static str| {
        let pool = app.pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .fetch_one(&pool)
                .await
                .expect(sql)
        }
    };
    let concluded = count(
        "SELECT count(DISTINCT parcel_id) FROM parcel_events WHERE kind = 'phase2_concluded'",
    )
    .await;
    assert!(
        concluded > 10,
        "{concluded} demo parcels with a phase-two conclusion"
    );
    // Six points in each of them, none outside its parcel, and in no other parcel.
    assert_eq!(
        count("SELECT count(*) FROM sampling_points").await,
        6 * concluded
    );
    assert_eq!(
        count(
            "SELECT count(DISTINCT sp.parcel_id) FROM sampling_points sp JOIN parcel_events e
                 ON e.parcel_id = sp.parcel_id AND e.kind = 'phase2_concluded'"
        )
        .await,
        concluded
    );
    assert_eq!(
        count(
            "SELECT count(*) FROM sampling_points sp JOIN parcels p ON p.id = sp.parcel_id
                WHERE NOT ST_Intersects(sp.geom, p.geom)"
        )
        .await,
        0
    );
    let results = count("SELECT count(*) FROM results").await;
    let patches = count("SELECT count(*) FROM rs_patches").await;
    assert_eq!(patches, 4);
    soilreg::demo::load(&app.pool).await.expect("second load");
    assert_eq!(count("SELECT count(*) FROM results").await, results);
    assert_eq!(count("SELECT count(*) FROM rs_patches").await, patches);

    // A contaminated parcel's samples exceed the screening value where its history says.
    let code: String = sqlx::query_scalar(
        "SELECT p.code FROM parcels p JOIN parcel_events e ON e.parcel_id = p.id AND e.kind = 'phase2_concluded'
          ORDER BY p.id LIMIT 1",
    )
    .fetch_one(&app.pool)
    .await
    .expect("a concluded parcel");
    let ex = app
        .get(&format!("/api/parcels/{code}/exceedances?class=1"))
        .await;
    assert_eq!(ex.status, axum::http::StatusCode::OK, "{}", ex.text);
    assert_eq!(ex.body["verdict"], "over_screening", "{}", ex.text);
    let over: Vec<&serde_json::Value> = ex.body["items"]
        .as_array()
        .expect("items over a value")
        .iter()
        .collect();
    assert_eq!(over.len(), 1, "only the arsenic hotspot: {}", ex.text);
    assert_eq!(over[0]["value_mgkg"], 84.0, "{}", ex.text);

    // The watchlist flags the patches on restricted parcels and on unused land, not the
    // one where the permit was given.
    let watch = app.get("/api/enforcement/watchlist").await;
    assert_eq!(watch.status, axum::http::StatusCode::OK, "{}", watch.text);
    let flagged: Vec<&str> = watch.body["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .filter_map(|c| c["patch"].as_str())
        .collect();
    for no in ["WP-DEMO-001", "WP-DEMO-002", "WP-DEMO-003"] {
        assert!(flagged.contains(&no), "{no} not flagged: {flagged:?}");
    }
    assert!(!flagged.contains(&"WP-DEMO-004"), "{flagged:?}");
}

#[tokio::test]
async fn generation_is_deterministic_for_a_seed() {
    let (a, _) = database().await;
    let (b, _) = database().await;
    soilreg::demo::generate(&a, "GEN-", 500, 11, false)
        .await
        .expect("a");
    soilreg::demo::generate(&b, "GEN-", 500, 11, false)
        .await
        .expect("b");
    let digest = "SELECT md5(string_agg(code || name || ST_AsText(geom) || risk::text, ',' ORDER BY code)) FROM parcels";
    let da: String = sqlx::query_scalar(digest)
        .fetch_one(&a)
        .await
        .expect("digest a");
    let db: String = sqlx::query_scalar(digest)
        .fetch_one(&b)
        .await
        .expect("digest b");
    assert_eq!(da, db);
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM parcels")
        .fetch_one(&a)
        .await
        .expect("count");
    assert_eq!(n, 500);
}

#[tokio::test]
async fn the_land_use_classification_is_served_with_its_gb36600_classes() {
    let app = common::TestApp::new().await;
    let res = app.get("/api/land-uses").await;
    let uses = res.body["land_uses"].as_array().expect("uses");
    let school = uses
        .iter()
        .find(|u| u["code"] == "080403")
        .expect("schools");
    assert_eq!(school["gb36600_class"], 1);
    assert_eq!(
        uses.iter().find(|u| u["code"] == "1001").expect("industry")["gb36600_class"],
        2
    );
}

#[tokio::test]
async fn the_map_is_told_about_a_configured_basemap_and_its_gcj02_offset() {
    let app = common::TestApp::new().await;
    assert_eq!(
        app.get("/api/config").await.body["basemap"],
        serde_json::Value::Null,
        "no basemap: no outside request"
    );
    let mut config = common::test_config("postgres://unused/x");
    config.basemap_url = Some("https://example.invalid/{z}/{x}/{y}.png".into());
    config.basemap_gcj02 = true;
    let app = common::TestApp {
        pool: app.pool.clone(),
        state: soilreg::AppState::new(app.pool.clone(), config),
    };
    let c = app.get("/api/config").await.body;
    assert_eq!(c["basemap"]["gcj02"], true);
    assert!(c["basemap"]["url"].as_str().expect("url").contains("{z}"));
}

#[tokio::test]
async fn every_collection_of_the_demo_district_pages_its_features() {
    let app = common::TestApp::new().await;
    soilreg::demo::load(&app.pool).await.expect("demo");
    let list = app.get("/ogc/collections").await;
    let ids: Vec<String> = list.body["collections"]
        .as_array()
        .expect("collections")
        .iter()
        .map(|c| c["id"].as_str().expect("id").to_owned())
        .collect();
    assert!(ids.len() >= 12, "{ids:?}");
    let mut with_features = 0;
    for id in &ids {
        let first = app
            .get(&format!("/ogc/collections/{id}/items?limit=2"))
            .await;
        assert_eq!(
            first.status,
            axum::http::StatusCode::OK,
            "{id}: {}",
            first.text
        );
        let features = first.body["features"].as_array().expect("features");
        assert_eq!(first.body["numberReturned"], features.len(), "{id}");
        let Some(f) = features.first() else { continue };
        with_features += 1;
        assert!(
            f["id"].is_string() && f["properties"].is_object(),
            "{id}: {f}"
        );
        // The same feature read alone, and the next page continues after it.
        let fid = f["id"].as_str().expect("id");
        let one = app
            .get(&format!("/ogc/collections/{id}/items/{}", urlencode(fid)))
            .await;
        assert_eq!(
            &one.body, f,
            "{id}: the feature alone is the feature in the page"
        );
        if let Some(next) = first.body["links"]
            .as_array()
            .expect("links")
            .iter()
            .find(|l| l["rel"] == "next")
        {
            let href = next["href"].as_str().expect("href");
            let path = &href[href.find("/ogc/").expect("path")..];
            let second = app.get(path).await;
            assert_eq!(second.status, axum::http::StatusCode::OK, "{id}");
            let again = second.body["features"][0]["id"].clone();
            assert!(
                !features.iter().any(|g| g["id"] == again),
                "{id}: a new page"
            );
        }
    }
    assert!(
        with_features >= 8,
        "{with_features} collections with features"
    );
}
