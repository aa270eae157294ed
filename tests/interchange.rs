//! Import and export against the real PostGIS, on files GDAL's `ogr2ogr` makes here:
//! GBK and UTF-8 Shapefiles, files without `.prj` in each zone, zone-prefixed eastings,
//! swapped axes, a two-layer GeoPackage, a bowtie, a file cut off half-way, an import
//! killed half-way, a boundary-point exchange text, updates from a corrected file, and
//! round trips through every export format.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::TestApp;
use serde_json::{json, Value};
use soilreg::domain::access::Role;
use soilreg::domain::import::report::{Outcome, ProblemKind, Report};
use soilreg::gis::crs::Crs;
use soilreg::gis::detect::How;
use soilreg::interchange::import::{self, ImportError, Mode, OnExisting, Options};
use sqlx::PgPool;

struct Dir(PathBuf);

impl Dir {
    fn new() -> Self {
        let d = std::env::temp_dir().join(format!("soilreg-it-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&d).expect("dir");
        Dir(d)
    }
    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A surveyor's feature: Chinese column names, the town by name, the area in m².
fn feature(code: &str, x: f64, y: f64, extra: Value) -> Value {
    let mut props = json!({"地块编码": code, "地块名称": format!("永定测试地块{code}"),
        "所属镇街": "永定镇", "规划用途": "0701", "用地性质": "1001"});
    if let (Some(p), Some(e)) = (props.as_object_mut(), extra.as_object()) {
        p.extend(e.clone());
    }
    json!({"type": "Feature", "properties": props,
           "geometry": common::square(x, y, 0.001)})
}

/// `n` non-overlapping parcels in a grid near 116.05°E 39.93°N.
fn grid(n: usize, prefix: &str) -> Vec<Value> {
    grid_at(n, prefix, 39.9)
}

fn grid_at(n: usize, prefix: &str, y0: f64) -> Vec<Value> {
    (0..n)
        .map(|i| {
            let (cx, cy) = ((i % 100) as f64, (i / 100) as f64);
            feature(
                &format!("{prefix}-{i:05}"),
                116.0 + cx * 0.0012,
                y0 + cy * 0.0012,
                json!({}),
            )
        })
        .collect()
}

fn write_geojson(path: &Path, features: &[Value]) {
    let fc = json!({"type": "FeatureCollection", "features": features});
    std::fs::write(path, fc.to_string()).expect("write geojson");
}

fn ogr2ogr(args: &[&str]) {
    let out = Command::new("ogr2ogr")
        .args(args)
        .output()
        .expect("ogr2ogr runs");
    assert!(
        out.status.success(),
        "ogr2ogr {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `ogr2ogr OPTIONS OUT SRC`: a file of another format (or CRS) made from `src`.
fn translate(src: &Path, out: &Path, options: &[&str]) {
    let paths = [
        out.to_str().expect("utf-8 path"),
        src.to_str().expect("utf-8 path"),
    ];
    ogr2ogr(&[options, &paths[..]].concat());
}

/// Options that check and report without writing.
fn dry_run() -> Options {
    Options {
        mode: Mode::DryRun,
        ..Options::default()
    }
}

fn limits() -> soilreg::gis::geometry::Limits {
    soilreg::gis::geometry::Limits {
        extent: soilreg::gis::extent::Extent::MENTOUGOU,
        max_vertices: 2_000,
    }
}

async fn run(pool: &PgPool, path: &Path, opts: &Options) -> Result<Report, ImportError> {
    run_watched(pool, path, opts, &Arc::default()).await
}

/// [`run`], its progress kept by `progress`.
async fn run_watched(
    pool: &PgPool,
    path: &Path,
    opts: &Options,
    progress: &Arc<import::Progress>,
) -> Result<Report, ImportError> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("f")
        .to_owned();
    let req = import::Request {
        path: path.to_owned(),
        file_name: name,
        opts: opts.clone(),
        limits: limits(),
        gate: None,
        job: None,
    };
    import::run(pool, &req, progress).await
}

async fn count(pool: &PgPool) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM parcels")
        .fetch_one(pool)
        .await
        .expect("count")
}

/// The district and Yongding's boundary (the rest of the towns have none here).
async fn with_district(pool: &PgPool) {
    sqlx::query(
        "INSERT INTO district (id, name, boundary, synthetic)
         VALUES (1, '门头沟区', ST_Multi(ST_MakeEnvelope(115.42, 39.81, 116.17, 40.18, 4490)), true)",
    )
    .execute(pool)
    .await
    .expect("district");
    sqlx::query(
        "UPDATE towns SET boundary = ST_Multi(ST_MakeEnvelope(115.99, 39.89, 116.17, 40.0, 4490))
          WHERE code = '110109006'",
    )
    .execute(pool)
    .await
    .expect("town");
}

fn outcome_of(r: &Report, feature: usize) -> (Outcome, Vec<ProblemKind>) {
    let f = r
        .features
        .iter()
        .find(|f| f.feature == feature)
        .expect("feature in report");
    (f.outcome, f.problems.iter().map(|p| p.kind).collect())
}

#[tokio::test]
async fn gbk_shapefiles_without_prj_or_cpg_are_read_in_every_zone() {
    let app = TestApp::new().await;
    let dir = Dir::new();
    let src = dir.path("in.geojson");
    write_geojson(&src, &grid(3, "Z"));
    for (epsg, crs, how) in [
        (4526, Crs::Gk38, How::ZonePrefix),
        (4527, Crs::Gk39, How::ZonePrefix),
        (4547, Crs::Cm114, How::CentralMeridian),
        (4548, Crs::Cm117, How::CentralMeridian),
    ] {
        let shp = dir.path(&format!("z{epsg}.shp"));
        translate(
            &src,
            &shp,
            &[
                "-f",
                "ESRI Shapefile",
                "-lco",
                "ENCODING=CP936",
                "-t_srs",
                &format!("EPSG:{epsg}"),
            ],
        );
        std::fs::remove_file(shp.with_extension("prj")).expect("no prj");
        std::fs::remove_file(shp.with_extension("cpg")).expect("no cpg");
        let dbf = std::fs::read(shp.with_extension("dbf")).expect("dbf");
        assert!(
            std::str::from_utf8(&dbf[dbf.len() / 2..]).is_err(),
            "the DBF really is GBK"
        );
        let r = run(&app.pool, &shp, &dry_run()).await.expect("import");
        assert_eq!(
            (r.crs.crs, r.crs.swap_axes, r.crs.how),
            (crs, false, how),
            "EPSG:{epsg}"
        );
        assert_eq!(r.encoding.as_deref(), Some("GB18030 (not utf-8)"));
        assert_eq!(r.mapping.get("code").map(String::as_str), Some("地块编码"));
        assert_eq!(r.counts.new, 3, "{:?}", r.features);
    }
    // Written for real from the last one: Chinese text intact, town from its name.
    let shp = dir.path("z4548.shp");
    let r = run(&app.pool, &shp, &Options::default())
        .await
        .expect("import");
    assert!(r.committed);
    let (name, town): (String, String) =
        sqlx::query_as("SELECT name, town FROM parcels WHERE code = 'Z-00001'")
            .fetch_one(&app.pool)
            .await
            .expect("row");
    assert_eq!(
        (name.as_str(), town.as_str()),
        ("永定测试地块Z-00001", "110109006")
    );
}

#[tokio::test]
async fn utf8_shapefile_with_cpg_and_prj_and_a_geopackage_with_two_layers() {
    let app = TestApp::new().await;
    let dir = Dir::new();
    let (a, b) = (dir.path("a.geojson"), dir.path("b.geojson"));
    write_geojson(&a, &grid(2, "A"));
    write_geojson(&b, &grid(5, "B"));
    let shp = dir.path("u.shp");
    translate(
        &a,
        &shp,
        &[
            "-f",
            "ESRI Shapefile",
            "-lco",
            "ENCODING=UTF-8",
            "-t_srs",
            "EPSG:4547",
        ],
    );
    let r = run(&app.pool, &shp, &dry_run()).await.expect("shp");
    assert_eq!(r.encoding.as_deref(), Some("UTF-8 (cpg)"));
    assert_eq!((r.crs.crs, r.crs.how), (Crs::Cm114, How::Declared));

    let gpkg = dir.path("two.gpkg");
    translate(
        &a,
        &gpkg,
        &["-f", "GPKG", "-nln", "first", "-a_srs", "EPSG:4490"],
    );
    translate(
        &b,
        &gpkg,
        &[
            "-f",
            "GPKG",
            "-update",
            "-nln",
            "second",
            "-a_srs",
            "EPSG:4490",
        ],
    );
    let opts = Options {
        layer: Some("second".into()),
        ..Options::default()
    };
    let r = run(&app.pool, &gpkg, &opts).await.expect("gpkg");
    assert_eq!(r.layers, ["first", "second"]);
    assert_eq!((r.layer.as_deref(), r.counts.written), (Some("second"), 5));
    let missing = Options {
        layer: Some("third".into()),
        ..Options::default()
    };
    assert!(matches!(
        run(&app.pool, &gpkg, &missing).await,
        Err(ImportError::Read(_))
    ));
}

#[tokio::test]
async fn a_corner_table_with_swapped_axes_becomes_polygons_from_csv_and_xlsx() {
    let app = TestApp::new().await;
    let dir = Dir::new();
    // Survey convention: X is the northing. Two parcels of four corners each, in CM 117°E.
    let to = proj::Proj::new_known_crs("EPSG:4490", "EPSG:4548", None).expect("proj");
    let mut csv = String::from("地块编码,界址点号,X坐标,Y坐标\n");
    for (code, x0) in [("C-1", 116.05), ("C-2", 116.06)] {
        for (i, (lon, lat)) in [
            (x0, 39.93),
            (x0 + 0.002, 39.93),
            (x0 + 0.002, 39.932),
            (x0, 39.932),
        ]
        .into_iter()
        .enumerate()
        {
            let (e, n) = to.convert((lon, lat)).expect("convert");
            csv.push_str(&format!("{code},{},{n:.3},{e:.3}\n", i + 1));
        }
    }
    let path = dir.path("corners.csv");
    std::fs::write(&path, csv).expect("csv");
    with_district(&app.pool).await;
    let r = run(&app.pool, &path, &Options::default())
        .await
        .expect("corners");
    assert_eq!((r.crs.crs, r.crs.swap_axes), (Crs::Cm117, true));
    assert_eq!(r.counts.written, 2, "{:?}", r.features);
    let area: f64 = sqlx::query_scalar("SELECT area_m2 FROM parcels WHERE code = 'C-1'")
        .fetch_one(&app.pool)
        .await
        .expect("area");
    // 0.002° × 0.002° at 39.93°N: about 171 m × 222 m.
    assert!((area - 37_960.0).abs() / 37_960.0 < 0.01, "area {area}");

    // The same table as a spreadsheet (a sheet of numbers, as Excel keeps them).
    let xlsx = dir.path("corners.xlsx");
    translate(&path, &xlsx, &["-f", "XLSX", "-oo", "AUTODETECT_TYPE=YES"]);
    let fresh = TestApp::new().await;
    with_district(&fresh.pool).await;
    let r = run(&fresh.pool, &xlsx, &Options::default())
        .await
        .expect("xlsx corners");
    assert_eq!(
        (r.format.as_str(), r.crs.crs, r.crs.swap_axes),
        ("XLSX", Crs::Cm117, true)
    );
    assert_eq!(r.counts.written, 2, "{:?}", r.features);
    let again: f64 = sqlx::query_scalar("SELECT area_m2 FROM parcels WHERE code = 'C-1'")
        .fetch_one(&fresh.pool)
        .await
        .expect("area");
    assert!((again - area).abs() < 1e-6, "{again} against {area}");
}

#[tokio::test]
async fn the_report_names_each_problem_and_all_or_nothing_writes_nothing() {
    let app = TestApp::new().await;
    with_district(&app.pool).await;
    let token = app.token("planning", Role::Editor).await;
    let existing = app
        .post(
            "/api/parcels",
            &token,
            &common::parcel("OLD-1", 116.1, 39.95),
        )
        .await;
    assert_eq!(existing.status, StatusCode::CREATED, "{}", existing.text);
    let bowtie = json!({"type": "Feature", "properties": {"地块编码": "BOW", "地块名称": "蝴蝶", "所属镇街": "永定镇"},
        "geometry": {"type": "Polygon", "coordinates": [[[116.05, 39.95], [116.051, 39.951], [116.051, 39.95], [116.05, 39.951], [116.05, 39.95]]]}});
    let features = vec![
        feature("OK-1", 116.02, 39.95, json!({})),
        feature("OK-1", 116.03, 39.95, json!({})), // 2: duplicate code
        feature("OV-1", 116.1005, 39.9505, json!({})), // 3: overlaps OLD-1
        feature("FAR", 115.4195, 39.95, json!({})), // 4: partly outside the district
        feature("AREA", 116.04, 39.95, json!({"面积": 99999.0})), // 5: stated area wrong
        feature("TOWN", 116.06, 39.95, json!({"所属镇街": "火星镇"})), // 6: unknown town
        bowtie,                                    // 7: self-intersection
        feature("IN-2", 116.0205, 39.9502, json!({})), // 8: overlaps feature 1
        feature("NOTOWN", 116.08, 39.95, json!({"所属镇街": ""})), // 9: town from polygon
    ];
    let dir = Dir::new();
    let path = dir.path("mixed.geojson");
    write_geojson(&path, &features);
    let r = run(&app.pool, &path, &Options::default())
        .await
        .expect("import runs");
    assert!(!r.committed);
    assert_eq!(count(&app.pool).await, 1, "all or nothing: nothing written");
    assert_eq!(staging_tables(&app.pool).await, 0);
    assert_eq!(
        outcome_of(&r, 1),
        (Outcome::New, vec![]),
        "{:?}",
        r.features[0]
    );
    assert_eq!(outcome_of(&r, 2).1, [ProblemKind::DuplicateInFile]);
    assert_eq!(outcome_of(&r, 3).1, [ProblemKind::OverlapsRegister]);
    assert_eq!(outcome_of(&r, 4).1, [ProblemKind::OutsideDistrict]);
    assert_eq!(outcome_of(&r, 5).1, [ProblemKind::AreaMismatch]);
    assert_eq!(outcome_of(&r, 6).1, [ProblemKind::InvalidAttribute]);
    let bow = r.features.iter().find(|f| f.feature == 7).expect("bowtie");
    assert_eq!(bow.problems[0].kind, ProblemKind::SelfIntersection);
    assert!(bow.problems[0].location.is_some());
    assert!(
        bow.problems[0]
            .repair
            .as_deref()
            .is_some_and(|m| m.contains("MultiPolygon of 2 part")),
        "{:?}",
        bow.problems
    );
    assert_eq!(outcome_of(&r, 8).1, [ProblemKind::OverlapsFile]);
    assert_eq!(outcome_of(&r, 9).0, Outcome::New);
    // Each problem of a shape says where: in the overlap, in the part outside, in the
    // feature (PostGIS decides, on the stored geometries).
    let located = |n: usize| {
        let f = r.features.iter().find(|f| f.feature == n).expect("listed");
        let [x, y] = f.problems[0]
            .location
            .unwrap_or_else(|| panic!("feature {n}: {:?}", f.problems));
        format!("ST_SetSRID(ST_MakePoint({x}, {y}), 4490)")
    };
    let square = |x: f64, y: f64| {
        format!(
            "ST_MakeEnvelope({x}, {y}, {}, {}, 4490)",
            x + 0.001,
            y + 0.001
        )
    };
    for (n, inside, outside) in [
        // in OLD-1 (116.1, 39.95) and OV-1 both
        (
            3,
            format!(
                "ST_Intersection({}, {})",
                square(116.1, 39.95),
                square(116.1005, 39.9505)
            ),
            None,
        ),
        // in FAR, not in the district
        (
            4,
            square(115.4195, 39.95),
            Some("(SELECT boundary FROM district)".to_owned()),
        ),
        (5, square(116.04, 39.95), None),
        // in feature 1 and feature 8 both
        (
            8,
            format!(
                "ST_Intersection({}, {})",
                square(116.02, 39.95),
                square(116.0205, 39.9502)
            ),
            None,
        ),
        (2, square(116.03, 39.95), None),
    ] {
        let point = located(n);
        let outside = outside.map_or("false".into(), |o| format!("ST_Intersects({o}, {point})"));
        let (is_in, is_out): (bool, bool) = sqlx::query_as(&format!(
            "SELECT ST_Intersects({inside}, {point}), {outside}"
        ))
        .fetch_one(&app.pool)
        .await
        .expect("where");
        assert!(is_in && !is_out, "feature {n}: {point}");
    }

    // Good rows only, with repairs accepted: the bowtie is repaired and written.
    let opts = Options {
        mode: Mode::GoodOnly,
        repair: true,
        ..Options::default()
    };
    let r = run(&app.pool, &path, &opts).await.expect("good only");
    assert!(r.committed);
    assert_eq!(staging_tables(&app.pool).await, 0);
    assert_eq!(outcome_of(&r, 7).0, Outcome::Repaired);
    assert_eq!(
        (r.counts.new, r.counts.repaired, r.counts.written),
        (2, 1, 3)
    );
    let town: String = sqlx::query_scalar("SELECT town FROM parcels WHERE code = 'NOTOWN'")
        .fetch_one(&app.pool)
        .await
        .expect("row");
    assert_eq!(town, "110109006", "the town its polygon falls in");
    let valid: bool = sqlx::query_scalar("SELECT ST_IsValid(geom) FROM parcels WHERE code = 'BOW'")
        .fetch_one(&app.pool)
        .await
        .expect("bow");
    assert!(valid);

    // The same file again changes nothing.
    let versions = app.count("parcel_versions").await;
    let r = run(&app.pool, &path, &opts).await.expect("again");
    assert_eq!((r.counts.unchanged, r.counts.written), (3, 0));
    assert_eq!(app.count("parcel_versions").await, versions);
}

/// The checks weigh what would be written: a feature already in the register exactly as
/// in the file is unchanged even when the register holds a parcel overlapping it (an old
/// record the file is not about), and a new feature overlapping that parcel is still refused.
#[tokio::test]
async fn rows_already_in_the_register_are_not_checked_again() {
    let app = TestApp::new().await;
    with_district(&app.pool).await;
    let dir = Dir::new();
    let path = dir.path("first.geojson");
    write_geojson(&path, &[feature("KEEP-1", 116.02, 39.95, json!({}))]);
    let r = run(&app.pool, &path, &Options::default())
        .await
        .expect("first");
    assert_eq!(r.counts.written, 1);
    // An older record overlapping KEEP-1 by half, put in by hand.
    sqlx::query(
        "INSERT INTO parcels (code, name, town, gb36600_class, geom, area_m2)
         VALUES ('LEGACY', '旧记录', '110109006', 1,
                 ST_Multi(ST_MakeEnvelope(116.0205, 39.95, 116.0215, 39.951, 4490)), 4000)",
    )
    .execute(&app.pool)
    .await
    .expect("legacy parcel");

    let again = dir.path("again.geojson");
    write_geojson(
        &again,
        &[
            feature("KEEP-1", 116.02, 39.95, json!({})),
            feature("NEW-1", 116.0212, 39.9502, json!({})), // overlaps LEGACY
        ],
    );
    let r = run(&app.pool, &again, &dry_run()).await.expect("again");
    assert_eq!(outcome_of(&r, 1), (Outcome::Unchanged, vec![]));
    assert_eq!(outcome_of(&r, 2).1, [ProblemKind::OverlapsRegister]);
}

/// The write's progress is read, from another connection, off the ids the import's one
/// `INSERT` draws: on a fresh register and after rows were written.
#[tokio::test]
async fn the_ids_drawn_count_the_rows_an_import_writes() {
    let app = TestApp::new().await;
    with_district(&app.pool).await;
    let drawn = || soilreg::db::imports::parcel_ids_drawn(&app.pool);
    assert_eq!(drawn().await.expect("fresh"), 0);
    let dir = Dir::new();
    for (n, name, y) in [(3usize, "a", 39.93), (4, "b", 39.94)] {
        let before = drawn().await.expect("before");
        let path = dir.path(&format!("{name}.geojson"));
        write_geojson(&path, &grid_at(n, name, y));
        let progress = Arc::default();
        let r = run_watched(&app.pool, &path, &Options::default(), &progress)
            .await
            .expect("import");
        assert_eq!(r.counts.written, n);
        assert_eq!(drawn().await.expect("after") - before, n as i64);
        // the cell counts and the commit are a phase of their own, not a full bar
        let phases: Vec<&str> = progress.timings().iter().map(|t| t.phase).collect();
        assert_eq!(phases[phases.len() - 3..], ["writing", "finishing", "done"]);
    }
    // With a pool of one connection the write's watch finds none free: the import still
    // goes through (only its bar stands still).
    let (_, url) = common::database().await;
    let one = soilreg::db::connect(&url, 1).await.expect("pool of one");
    with_district(&one).await;
    let path = dir.path("c.geojson");
    write_geojson(&path, &grid_at(2, "c", 39.95));
    let r = run(&one, &path, &Options::default())
        .await
        .expect("import on a pool of one");
    assert_eq!(r.counts.written, 2);
}

#[tokio::test]
async fn a_file_cut_off_half_way_is_refused_whole() {
    let app = TestApp::new().await;
    let dir = Dir::new();
    let src = dir.path("in.geojson");
    write_geojson(&src, &grid(200, "CUT"));
    let shp = dir.path("cut.shp");
    translate(
        &src,
        &shp,
        &["-f", "ESRI Shapefile", "-lco", "ENCODING=CP936"],
    );
    let bytes = std::fs::read(&shp).expect("shp");
    std::fs::write(&shp, &bytes[..bytes.len() / 2]).expect("cut");
    let err = run(&app.pool, &shp, &Options::default())
        .await
        .expect_err("refused");
    assert!(matches!(err, ImportError::Read(_)), "{err}");
    assert_eq!(count(&app.pool).await, 0);
    let gj = dir.path("cut.geojson");
    let text = std::fs::read_to_string(&src).expect("src");
    std::fs::write(&gj, &text[..text.len() / 2]).expect("cut");
    assert!(run(&app.pool, &gj, &Options::default()).await.is_err());
    assert_eq!(count(&app.pool).await, 0);
}

#[tokio::test]
async fn an_import_killed_half_way_leaves_nothing_behind() {
    let app = TestApp::new().await;
    let dir = Dir::new();
    let src = dir.path("big.geojson");
    write_geojson(&src, &grid(20_000, "K"));
    let gpkg = dir.path("big.gpkg");
    translate(&src, &gpkg, &["-f", "GPKG", "-a_srs", "EPSG:4490"]);
    let url = app.state.config.database_url.clone().expect("url");
    let mut child = Command::new(env!("CARGO_BIN_EXE_soilreg"))
        .args(["import", gpkg.to_str().expect("p"), "--report", "/dev/null"])
        .env("DATABASE_URL", &url)
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    // Kill it once rows are streaming in (progress is recorded every 500 ms).
    let mut seen = false;
    for _ in 0..600 {
        let done: Option<i64> =
            sqlx::query_scalar("SELECT done FROM imports ORDER BY created_at DESC LIMIT 1")
                .fetch_optional(&app.pool)
                .await
                .expect("job");
        if done.is_some_and(|d| d > 0) {
            seen = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    child.kill().expect("kill");
    let _ = child.wait();
    assert!(seen, "the import never reported progress");
    let status: String = sqlx::query_scalar("SELECT status::text FROM imports")
        .fetch_one(&app.pool)
        .await
        .expect("job");
    assert_eq!(status, "running", "killed before it finished");
    // Its transaction died with it (the server notices once the connection drops).
    for _ in 0..100 {
        let live: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'COPY import_stage%'",
        )
        .fetch_one(&app.pool)
        .await
        .expect("activity");
        if live == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(count(&app.pool).await, 0);
    assert_eq!(staging_tables(&app.pool).await, 0);
}

/// The import staging tables in the database (each import's are dropped before it commits
/// and vanish with a rollback).
async fn staging_tables(pool: &PgPool) -> i64 {
    sqlx::query_scalar(
        r"SELECT count(*) FROM pg_class WHERE relname ~ '^import_(stage|pairs|known)_'",
    )
    .fetch_one(pool)
    .await
    .expect("staging tables")
}

async fn export(app: &TestApp, query: &str) -> (StatusCode, Vec<u8>) {
    export_of(app, "parcels", query).await
}

async fn export_of(app: &TestApp, collection: &str, query: &str) -> (StatusCode, Vec<u8>) {
    let req = Request::builder()
        .uri(format!("/api/exports/{collection}?{query}"))
        .body(Body::empty())
        .expect("req");
    soilreg::router(app.state.clone()).oneshot_bytes(req).await
}

trait Oneshot {
    async fn oneshot_bytes(self, req: Request<Body>) -> (StatusCode, Vec<u8>);
}

impl Oneshot for axum::Router {
    async fn oneshot_bytes(self, req: Request<Body>) -> (StatusCode, Vec<u8>) {
        use http_body_util::BodyExt;
        use tower::ServiceExt;
        let res = self.oneshot(req).await.expect("infallible");
        let status = res.status();
        let bytes = res
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes()
            .to_vec();
        (status, bytes)
    }
}

type Row = (
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    String,
    f64,
);

async fn rows(pool: &PgPool) -> Vec<Row> {
    sqlx::query_as(
        "SELECT code, name, town, current_use, planned_use, risk::text, area_m2 FROM parcels ORDER BY code",
    )
    .fetch_all(pool)
    .await
    .expect("rows")
}

#[tokio::test]
async fn export_then_import_gives_the_same_parcels_in_every_format() {
    let app = TestApp::new().await;
    let dir = Dir::new();
    let src = dir.path("src.geojson");
    let mut features = grid(30, "RT");
    features[0]["properties"]["风险等级"] = json!("高");
    write_geojson(&src, &features);
    let r = run(&app.pool, &src, &Options::default())
        .await
        .expect("seed");
    assert_eq!(r.counts.written, 30);
    let before = rows(&app.pool).await;
    for (query, file) in [
        ("format=shp&encoding=gbk&crs=EPSG:4548", "rt.zip"),
        ("format=shp&crs=EPSG:4527", "rt-utf8.zip"),
        ("format=gpkg&crs=EPSG:4547", "rt.gpkg"),
        ("format=geojson", "rt.geojson"),
        ("format=csv", "rt.csv"),
        ("format=xlsx", "rt.xlsx"),
        ("format=xlsx&crs=EPSG:4548", "rt-4548.xlsx"),
        ("format=kml", "rt.kml"),
    ] {
        let (status, bytes) = export(&app, query).await;
        assert_eq!(status, StatusCode::OK, "{query}");
        let path = dir.path(file);
        std::fs::write(&path, bytes).expect("write");
        let fresh = TestApp::new().await;
        let r = run(&fresh.pool, &path, &Options::default())
            .await
            .expect(query);
        assert_eq!(r.counts.written, 30, "{query}: {:?}", r.features.first());
        let after = rows(&fresh.pool).await;
        assert_eq!(after.len(), before.len());
        for (a, b) in before.iter().zip(&after) {
            assert_eq!(
                (&a.0, &a.1, &a.2, &a.3, &a.4, &a.5),
                (&b.0, &b.1, &b.2, &b.3, &b.4, &b.5),
                "{query}"
            );
            assert!(
                (a.6 - b.6).abs() / a.6 < 1e-4,
                "{query}: area {} vs {}",
                a.6,
                b.6
            );
        }
    }
    // A KMZ from a web-map tool (written by GDAL from the seed file) goes in as well.
    let kmz = dir.path("field.kmz");
    translate(&src, &kmz, &["-f", "LIBKML"]);
    let fresh = TestApp::new().await;
    let r = run(&fresh.pool, &kmz, &Options::default())
        .await
        .expect("kmz");
    assert_eq!(
        (r.format.as_str(), r.counts.written),
        ("KML", 30),
        "{:?}",
        r.features.first()
    );
    // The filter the map uses selects what is exported; XLSX is written too.
    let (status, bytes) = export(
        &app,
        "format=xlsx&filter=code%20IN%20('RT-00001','RT-00002')",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(&bytes[..2], b"PK");
    let (status, bytes) = export(&app, "format=geojson&filter=code%20%3D%20'RT-00003'").await;
    assert_eq!(status, StatusCode::OK);
    let fc: Value = serde_json::from_slice(&bytes).expect("geojson");
    assert_eq!(fc["features"].as_array().map(Vec::len), Some(1));
    for bad in [
        "format=dwg",
        "format=csv&encoding=gbk",
        "format=gpkg&crs=gcj02",
        "format=shp&nope=1",
        "format=csv&filter=code%20%3D",
        "format=txt&crs=EPSG:4490",
        "format=kml&crs=EPSG:4548",
    ] {
        assert_eq!(export(&app, bad).await.0, StatusCode::BAD_REQUEST, "{bad}");
    }
}

/// `POST /api/imports` of a file with form fields, as `token`'s user.
fn upload(token: &str, file_name: &str, bytes: &[u8], fields: &[(&str, &str)]) -> Request<Body> {
    let (ct, body) = multipart(file_name, bytes, fields);
    Request::builder()
        .method("POST")
        .uri("/api/imports")
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", ct)
        .body(Body::from(body))
        .expect("req")
}

fn multipart(file_name: &str, bytes: &[u8], fields: &[(&str, &str)]) -> (String, Vec<u8>) {
    let b = "soilregimportboundary";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend(
            format!("--{b}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    body.extend(format!("--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\r\n").as_bytes());
    body.extend_from_slice(bytes);
    body.extend(format!("\r\n--{b}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={b}"), body)
}

#[tokio::test]
async fn the_api_runs_an_import_as_a_job_and_saves_the_mapping_per_source() {
    let app = TestApp::new().await;
    let editor = app.token("planning", Role::Editor).await;
    let viewer = app.token("planning", Role::Viewer).await;
    let dir = Dir::new();
    let mut features = grid(3, "API");
    code_column_named(&mut features, "图斑号");
    let path = dir.path("f.geojson");
    write_geojson(&path, &features);
    let bytes = std::fs::read(&path).expect("file");
    let post = |token: &str, fields: &[(&str, &str)]| upload(token, "f.geojson", &bytes, fields);
    assert_eq!(
        app.send(post(&viewer, &[])).await.status,
        StatusCode::FORBIDDEN
    );
    for (field, value) in [("mode", "sometimes"), ("existing", "overwrite")] {
        let bad = app.send(post(&editor, &[(field, value)])).await;
        assert_eq!(
            (bad.status, bad.error_code()),
            (StatusCode::UNPROCESSABLE_ENTITY, "invalid_value"),
            "{field}"
        );
    }
    let res = app.send(upload(&editor, "f.exe", &bytes, &[])).await;
    assert_eq!(
        (res.status, res.error_code()),
        (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_file_type")
    );
    let bad = app.send(post(&editor, &[("map", "colour=图斑号")])).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);

    // No column holds a code the guesses know: the job fails, and still describes the
    // file — its columns and what the guesses found — for the page's mapping chooser.
    let res = app.send(post(&editor, &[("mode", "dry_run")])).await;
    assert_eq!(res.status, StatusCode::ACCEPTED, "{}", res.text);
    let job = poll(&app, res.body["href"].as_str().expect("href")).await;
    assert_eq!(job["status"], "failed", "{job}");
    assert!(
        job["error"]
            .as_str()
            .is_some_and(|e| e.contains("parcel code")),
        "{job}"
    );
    let described = &job["report"];
    assert!(described["columns"]
        .as_array()
        .is_some_and(|c| c.iter().any(|c| c == "图斑号")));
    assert_eq!(described["mapping"]["name"], "地块名称");
    assert!(described["mapping"].get("code").is_none());
    assert_eq!(described["counts"]["written"], 0);
    assert_eq!(count(&app.pool).await, 0);
    // A column that is not in the file: the same.
    let res = app.send(post(&editor, &[("map", "code=宗地号")])).await;
    let job = poll(&app, res.body["href"].as_str().expect("href")).await;
    assert_eq!(job["status"], "failed", "{job}");
    assert_eq!(described["columns"], job["report"]["columns"]);

    // The code chosen, and `name=`: this surveyor's 地块名称 is not the parcel's name.
    let res = app
        .send(post(
            &editor,
            &[
                ("map", "code=图斑号\nname="),
                ("source", "测绘院"),
                ("mode", "all_or_nothing"),
            ],
        ))
        .await;
    assert_eq!(res.status, StatusCode::ACCEPTED, "{}", res.text);
    let href = res.body["href"].as_str().expect("href").to_owned();
    let job = poll(&app, &href).await;
    assert_eq!(job["status"], "committed", "{job}");
    assert_eq!(job["report"]["counts"]["written"], 3);
    assert_eq!(job["done"], 3);
    assert_eq!(job["sha256"].as_str().map(str::len), Some(64));
    assert!(job["report"]["mapping"].get("name").is_none(), "{job}");
    let parcel = app.get("/api/parcels/API-00000").await;
    assert_eq!(parcel.status, StatusCode::OK, "{}", parcel.text);
    // a parcel with no name is named by its code, not by the 地块名称 column
    assert_eq!(
        parcel.body["properties"]["name"], "API-00000",
        "{}",
        parcel.text
    );

    // Same columns, no mapping given: the saved one for this source applies.
    let mut next = grid_at(2, "NEXT", 39.95);
    code_column_named(&mut next, "图斑号");
    let path2 = dir.path("g.geojson");
    write_geojson(&path2, &next);
    let opts = Options {
        source: Some("测绘院".into()),
        ..Options::default()
    };
    let r = run(&app.pool, &path2, &opts).await.expect("saved mapping");
    assert_eq!(r.counts.written, 2);
    // the saved mapping keeps `name=` too
    assert!(!r.mapping.contains_key("name"), "{:?}", r.mapping);
    let without = run(&app.pool, &path2, &dry_run()).await;
    assert!(without.is_err_and(|e| matches!(e, ImportError::Unmapped { .. })));
    // The saved mapping is listed for the page: the code's column, and no name column.
    let saved = app.get("/api/imports/mappings").await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.text);
    let mapping = &saved.body["mappings"][0];
    assert_eq!(mapping["source"], "测绘院", "{}", saved.text);
    assert_eq!(mapping["mapping"]["code"], "图斑号", "{}", saved.text);
    assert_eq!(mapping["mapping"]["name"], Value::Null, "{}", saved.text);
    assert!(mapping["mapping"]
        .as_object()
        .is_some_and(|m| m.contains_key("name")));
    let list = app.get("/api/imports").await;
    assert!(list.body["imports"]
        .as_array()
        .is_some_and(|a| !a.is_empty()));
    assert_eq!(
        app.get("/api/imports/not-a-uuid").await.status,
        StatusCode::NOT_FOUND
    );
    let page = app.get("/imports").await;
    assert!(page.text.contains("/api/imports"));
    // The page imports into the register or any ledger with a geometry, titled as the
    // ledger's OGC collection is.
    for (slug, title) in [
        ("parcels", "地块 Parcels"),
        ("buried-tanks", "埋地储罐、管线 Buried tanks and pipelines"),
        ("unused-land-patrols", "未利用地巡查 Unused-land patrols"),
    ] {
        let option = format!(r#"<option value="{slug}" data-members="#);
        let at = page
            .text
            .find(&option)
            .expect("the ledger's option is on the page");
        let rest = &page.text[at..];
        let title_at = rest.find('>').map(|i| i + 1).expect("option ends");
        assert!(
            rest[title_at..].starts_with(&format!("{title}</option>")),
            "{slug}: {rest:.200}"
        );
    }
    // Each choice carries the members a column can fill, for the mapping chooser.
    assert!(page
        .text
        .contains("[[&quot;code&quot;,&quot;地块编码&quot;],"));
    assert!(page.text.contains("[&quot;capacity_m3&quot;,&quot;&quot;]"));
    assert_eq!(page.text.matches(" data-members=").count(), 1 + 6);
}

/// The id of the user a test token belongs to (imports of ledger rows are recorded as theirs).
async fn user_id(app: &TestApp, token: &str) -> i64 {
    soilreg::db::users::id_by_name(&app.pool, &format!("user-{token}"))
        .await
        .expect("query")
        .expect("user")
}

/// Renames the code column of generated features to one no guess knows.
fn code_column_named(features: &mut [Value], name: &str) {
    for f in features {
        let props = f["properties"].as_object_mut().expect("props");
        let code = props.remove("地块编码").expect("code");
        props.insert(name.into(), code);
    }
}

async fn poll(app: &TestApp, href: &str) -> Value {
    for _ in 0..400 {
        let job = app.get(href).await.body;
        if job["status"] != "running" {
            return job;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the import did not finish");
}

#[tokio::test]
async fn ledger_rows_with_a_geometry_round_trip_and_do_not_repeat() {
    let app = TestApp::new().await;
    let eco = app.token("eco", Role::Editor).await;
    let town = app.token("110109004", Role::Editor).await;
    for (i, (slug, token, body)) in [
        (
            "waste-storage-sites",
            &eco,
            json!({"operator": "某矿业公司", "waste_type": "煤矸石",
            "safety_measures": "围挡、苫盖", "footprint": common::square(115.90, 40.00, 0.002)}),
        ),
        (
            "waste-storage-sites",
            &eco,
            json!({"operator": "另一公司", "waste_type": "尾矿",
            "safety_measures": "截排水沟", "footprint": common::square(115.91, 40.00, 0.002)}),
        ),
        (
            "unused-land-patrols",
            &town,
            json!({"patrolled_on": "2023-05-10", "patroller": "王五",
            "town": "110109004", "finding": "发现少量建筑垃圾倾倒", "follow_up": "已通知清运",
            "location": {"type": "Point", "coordinates": [116.0, 39.95]}}),
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let res = app
            .post(&format!("/api/ledgers/{slug}"), token, &body)
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{i}: {}", res.text);
    }
    let dir = Dir::new();
    let fresh = TestApp::new().await;
    let fresh_eco = fresh.token("eco", Role::Editor).await;
    let user = user_id(&fresh, &fresh_eco).await;
    for (slug, format, n) in [
        ("waste-storage-sites", "shp", 2),
        ("unused-land-patrols", "gpkg", 1),
    ] {
        let req = Request::builder()
            .uri(format!("/api/exports/{slug}?format={format}&crs=EPSG:4548"))
            .body(Body::empty())
            .expect("req");
        let (status, bytes) = soilreg::router(app.state.clone()).oneshot_bytes(req).await;
        assert_eq!(status, StatusCode::OK, "{slug}");
        let path = dir.path(&format!(
            "{slug}.{}",
            if format == "shp" { "zip" } else { format }
        ));
        std::fs::write(&path, bytes).expect("write");
        let ledger = soilreg::domain::ledgers::Ledger::parse(slug).expect("ledger");
        let opts = Options {
            register: import::Register::Ledger(ledger),
            user: Some(user),
            ..Options::default()
        };
        let r = run(&fresh.pool, &path, &opts).await.expect(slug);
        assert_eq!(
            (r.counts.written, r.crs.crs),
            (n, Crs::Cm117),
            "{slug}: {:?}",
            r.features
        );
        let again = run(&fresh.pool, &path, &opts).await.expect("again");
        assert_eq!(
            (again.counts.unchanged, again.counts.written),
            (n, 0),
            "{slug}"
        );
        let without_user = Options { user: None, ..opts };
        assert!(run(&fresh.pool, &path, &without_user).await.is_err());
    }
    let op: String =
        sqlx::query_scalar("SELECT operator FROM waste_storage_sites ORDER BY id LIMIT 1")
            .fetch_one(&fresh.pool)
            .await
            .expect("row");
    assert_eq!(op, "某矿业公司");
    let finding: String = sqlx::query_scalar("SELECT finding FROM unused_land_patrols")
        .fetch_one(&fresh.pool)
        .await
        .expect("row");
    assert_eq!(finding, "发现少量建筑垃圾倾倒");
}

#[tokio::test]
async fn a_table_of_point_coordinates_fills_a_point_ledger() {
    let app = TestApp::new().await;
    let keeper = app.token("110109004", Role::Editor).await;
    let user = user_id(&app, &keeper).await;
    let dir = Dir::new();
    // Degrees in 经度/纬度, and survey coordinates (X is the northing) in CM 117°E.
    let to = proj::Proj::new_known_crs("EPSG:4490", "EPSG:4548", None).expect("proj");
    let (e, n) = to.convert((116.01, 39.96)).expect("convert");
    let files = [
        ("deg.csv", "patrolled_on,patroller,town,finding,follow_up,经度,纬度\n2023-05-10,王五,110109004,发现倾倒,已通知清运,116.0,39.95\n".to_owned(), Crs::Cgcs2000, false),
        ("gk.csv", format!("patrolled_on,patroller,town,finding,X坐标,Y坐标\n2023-06-01,赵六,110109004,未见异常,{n:.3},{e:.3}\n"), Crs::Cm117, true),
    ];
    for (name, text, crs, swapped) in files {
        let path = dir.path(name);
        std::fs::write(&path, text).expect("csv");
        let opts = Options {
            register: import::Register::Ledger(soilreg::domain::ledgers::Ledger::UnusedLandPatrols),
            user: Some(user),
            ..Options::default()
        };
        let r = run(&app.pool, &path, &opts).await.expect(name);
        assert_eq!(
            (r.crs.crs, r.crs.swap_axes, r.counts.written),
            (crs, swapped, 1),
            "{name}: {:?}",
            r.features
        );
    }
    let (x, y): (f64, f64) = sqlx::query_as(
        "SELECT ST_X(geom), ST_Y(geom) FROM unused_land_patrols WHERE patroller = '赵六'",
    )
    .fetch_one(&app.pool)
    .await
    .expect("row");
    assert!(
        (x - 116.01).abs() < 1e-6 && (y - 39.96).abs() < 1e-6,
        "({x}, {y})"
    );
}

/// The upload's `into` field sends the rows to a ledger, as its keepers' import.
#[tokio::test]
async fn an_upload_into_a_ledger_needs_its_keepers_and_fills_it() {
    let app = TestApp::new().await;
    let keeper = app.token("110109004", Role::Editor).await;
    let farmland = app.token("agri", Role::Editor).await;
    let csv = "patrolled_on,patroller,town,finding,经度,纬度\n2023-05-10,王五,110109004,发现倾倒,116.0,39.95\n";
    let into = |token: &str, ledger: &str| {
        upload(token, "patrol.csv", csv.as_bytes(), &[("into", ledger)])
    };
    let bad = app.send(into(&keeper, "sewage-pipes")).await;
    assert_eq!(
        (bad.status, bad.error_code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_value")
    );
    let not_theirs = app.send(into(&farmland, "unused-land-patrols")).await;
    assert_eq!(not_theirs.status, StatusCode::FORBIDDEN);
    // Only parcels are updated by an import: a ledger's rows have no code to match.
    let update = upload(
        &keeper,
        "patrol.csv",
        csv.as_bytes(),
        &[("into", "unused-land-patrols"), ("existing", "update")],
    );
    let refused = app.send(update).await;
    assert_eq!(
        (refused.status, refused.error_code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "parcels_only")
    );
    assert_eq!(app.count("unused_land_patrols").await, 0);
    let res = app.send(into(&keeper, "unused-land-patrols")).await;
    assert_eq!(res.status, StatusCode::ACCEPTED, "{}", res.text);
    let job = poll(&app, res.body["href"].as_str().expect("href")).await;
    assert_eq!(job["status"], "committed", "{job}");
    assert_eq!(job["report"]["counts"]["written"], 1);
    let patroller: String = sqlx::query_scalar("SELECT patroller FROM unused_land_patrols")
        .fetch_one(&app.pool)
        .await
        .expect("row");
    assert_eq!(patroller, "王五");
    // The job says what it went into and whose it was, in the list too.
    assert_eq!(job["into"], "unused-land-patrols", "{job}");
    assert_eq!(job["user"], format!("user-{keeper}"), "{job}");
    let list = app.get("/api/imports").await.body;
    assert_eq!(list["imports"][0]["into"], "unused-land-patrols", "{list}");
    // Every place an import can go is one the jobs' and the saved mappings' tables take.
    let mut tx = app.pool.begin().await.expect("tx");
    for register in std::iter::once(import::Register::Parcels)
        .chain(soilreg::domain::ledgers::Ledger::ALL.map(import::Register::Ledger))
    {
        for sql in [
            "INSERT INTO imports (id, file_name, file_sha256, register) VALUES (gen_random_uuid(), 'f', repeat('0', 64), $1)",
            "INSERT INTO import_mappings (source, register, mapping) VALUES ('s', $1, '{}')",
        ] {
            sqlx::query(sql)
                .bind(register.slug())
                .execute(&mut *tx)
                .await
                .unwrap_or_else(|e| panic!("{}: {e}", register.slug()));
        }
    }
}

/// A source's mapping is saved per ledger too: the next file from it needs no choices.
#[tokio::test]
async fn a_ledger_import_saves_its_mapping_for_the_source() {
    let app = TestApp::new().await;
    let keeper = app.token("110109004", Role::Editor).await;
    let file = |who: &str| {
        format!("patrolled_on,巡查人,town,finding,经度,纬度\n2023-05-10,{who},110109004,未见异常,116.0,39.95\n")
    };
    let send = |csv: String, fields: Vec<(&'static str, &'static str)>| {
        let fields = [
            vec![("into", "unused-land-patrols"), ("source", "镇巡查队")],
            fields,
        ]
        .concat();
        upload(&keeper, "patrol.csv", csv.as_bytes(), &fields)
    };
    let run = |req| async {
        let res = app.send(req).await;
        assert_eq!(res.status, StatusCode::ACCEPTED, "{}", res.text);
        poll(&app, res.body["href"].as_str().expect("href")).await
    };
    let job = run(send(file("王五"), vec![("map", "patroller=巡查人")])).await;
    assert_eq!(job["status"], "committed", "{job}");
    let saved = app.get("/api/imports/mappings").await.body;
    let mapping = &saved["mappings"][0];
    assert_eq!(
        (&mapping["source"], &mapping["into"]),
        (&json!("镇巡查队"), &json!("unused-land-patrols")),
        "{saved}"
    );
    assert_eq!(mapping["mapping"]["patroller"], "巡查人", "{saved}");
    // The next file from the same source: no choices, the saved ones apply.
    let job = run(send(file("李四"), vec![])).await;
    assert_eq!(job["status"], "committed", "{job}");
    assert_eq!(job["report"]["mapping"]["patroller"], "巡查人", "{job}");
    let who: Vec<String> =
        sqlx::query_scalar("SELECT patroller FROM unused_land_patrols ORDER BY id")
            .fetch_all(&app.pool)
            .await
            .expect("rows");
    assert_eq!(who, ["王五", "李四"]);
    // The same source's parcels keep a mapping of their own.
    assert_eq!(saved["mappings"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn an_imported_parcel_s_history_starts_with_its_first_change() {
    let app = TestApp::new().await;
    with_district(&app.pool).await;
    let dir = Dir::new();
    let path = dir.path("h.geojson");
    write_geojson(&path, &grid(30, "H"));
    let r = run(&app.pool, &path, &Options::default())
        .await
        .expect("import");
    assert_eq!(r.counts.written, 30);
    assert_eq!(
        app.count("parcel_versions").await,
        0,
        "no row repeats a parcel"
    );
    // As of now, the register holds the imported parcels as they are.
    let listed = app.get("/api/parcels?as_of=2100-01-01&q=H-0000").await;
    assert_eq!(listed.body["numberMatched"], 10, "{}", listed.text);
    // An edit keeps the version it replaces, exactly as the row was.
    let before: Value =
        sqlx::query_scalar("SELECT parcel_version_row(p) FROM parcels p WHERE code = 'H-00000'")
            .fetch_one(&app.pool)
            .await
            .expect("row");
    let t = app.token("planning", Role::Editor).await;
    let res = app
        .patch_current(&t, "H-00000", &json!({"properties": {"name": "改名"}}))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    let kept: Vec<(i32, Value)> = sqlx::query_as(
        "SELECT v.version, v.row FROM parcel_versions v JOIN parcels p ON p.id = v.parcel_id WHERE p.code = 'H-00000'",
    )
    .fetch_all(&app.pool)
    .await
    .expect("versions");
    assert_eq!(kept, vec![(1, before)]);
}

/// A rectangle of a parcel, in degrees.
fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> Value {
    json!({"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]})
}

/// A feature of `feature`'s columns with the given boundary.
fn shaped(code: &str, geometry: Value, extra: Value) -> Value {
    let mut f = feature(code, 0.0, 0.0, extra);
    f["geometry"] = geometry;
    f
}

/// One parcel's name, right holder, planned use, class, area and version.
async fn parcel_row(pool: &PgPool, code: &str) -> (String, Option<String>, String, i16, f64, i32) {
    sqlx::query_as(
        "SELECT name, right_holder, planned_use, gb36600_class, area_m2, version FROM parcels WHERE code = $1",
    )
    .bind(code)
    .fetch_one(pool)
    .await
    .expect("parcel")
}

/// A surveyor's corrected file, imported with updates: the parcels it names take the
/// columns it has and its boundaries, each in a new version with the old one kept, and the
/// members it has no column for stay. A retired parcel, and a land right the parcel's land
/// events decide, are refused. Without updates the same rows are refused as taken. The
/// low-zoom cell counts follow, and the same file again changes nothing.
#[tokio::test]
async fn an_import_with_updates_corrects_the_parcels_a_file_names_and_keeps_their_history() {
    let app = TestApp::new().await;
    with_district(&app.pool).await;
    let editor = app.token("planning", Role::Editor).await;
    let user = user_id(&app, &editor).await;
    let dir = Dir::new();
    let first = dir.path("first.geojson");
    let at = |i: u32| 116.02 + 0.01 * f64::from(i);
    write_geojson(
        &first,
        &[
            feature("U-1", at(0), 39.95, json!({"权利人": "甲公司"})),
            feature("U-2", at(1), 39.95, json!({"权利人": "乙公司"})),
            feature("U-3", at(2), 39.95, json!({})),
            feature("U-4", at(3), 39.95, json!({})),
        ],
    );
    let r = run(&app.pool, &first, &Options::default())
        .await
        .expect("first");
    assert_eq!(r.counts.written, 4);
    let res = app
        .post(
            "/api/parcels/U-3/retire",
            &editor,
            &json!({"reason": "合并入 U-2"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    let res = app
        .post(
            "/api/parcels/U-4/events",
            &editor,
            &json!({"kind": "withdrawal_planned", "occurred_on": "2024-03-01", "payload": {}}),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    let (_, _, _, _, area_2, _) = parcel_row(&app.pool, "U-2").await;
    // Arsenic at 50 mg/kg in U-2: over class 1's screening value (20), under class 2's (60).
    let eco = app.token("eco", Role::Editor).await;
    let samples = Request::builder()
        .method("POST")
        .uri("/api/parcels/U-2/samples")
        .header("authorization", format!("Bearer {eco}"))
        .header("content-type", "text/csv; charset=utf-8")
        .body(Body::from(
            "point_id,x,y,depth_top_m,depth_bottom_m,sampled_on,analyte,value,unit,detection_limit\n\
             S1,116.0305,39.9505,0,0.5,2023-04-01,砷,50,mg/kg,\n",
        ))
        .expect("request");
    let res = app.send(samples).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);

    // The corrected file: U-1 renamed, with another right holder; U-2 larger and planned
    // for industry (class 2), its right holder's cell empty; U-3 renamed though retired;
    // U-4 with the land right it started with; U-5 new.
    let land_right = |v: &str| json!({"土地权属状态": v});
    let mut renamed = feature("U-1", at(0), 39.95, land_right("in_use"));
    renamed["properties"]["地块名称"] = json!("永定更正名称");
    renamed["properties"]["权利人"] = json!("丁公司");
    let mut u3 = feature("U-3", at(2), 39.95, land_right("in_use"));
    u3["properties"]["地块名称"] = json!("已注销地块改名");
    let mut u2 = shaped(
        "U-2",
        rect(at(1), 39.95, at(1) + 0.0015, 39.9515),
        land_right("in_use"),
    );
    u2["properties"]["规划用途"] = json!("1001");
    u2["properties"]["权利人"] = json!("");
    let corrected = dir.path("corrected.geojson");
    write_geojson(
        &corrected,
        &[
            renamed,
            u2,
            u3,
            feature("U-4", at(3), 39.95, land_right("in_use")),
            feature("U-5", at(4), 39.95, land_right("in_use")),
        ],
    );

    // Without updates: every changed parcel is refused as taken, nothing is written.
    let r = run(&app.pool, &corrected, &dry_run())
        .await
        .expect("refused");
    for f in 1..=4 {
        assert_eq!(
            outcome_of(&r, f),
            (Outcome::Rejected, vec![ProblemKind::CodeTaken])
        );
    }
    assert_eq!(outcome_of(&r, 5), (Outcome::New, vec![]));

    let updates = Options {
        existing: OnExisting::Update,
        mode: Mode::GoodOnly,
        user: Some(user),
        ..Options::default()
    };
    let r = run(&app.pool, &corrected, &updates).await.expect("updates");
    // the report keeps what the import was asked to do
    assert_eq!(
        (r.asked.mode, r.asked.existing, r.asked.repair),
        (Mode::GoodOnly, OnExisting::Update, false)
    );
    assert_eq!(outcome_of(&r, 1), (Outcome::Updated, vec![]));
    assert_eq!(outcome_of(&r, 2), (Outcome::Updated, vec![]));
    let reason = |f: usize| {
        r.features
            .iter()
            .find(|l| l.feature == f)
            .and_then(|l| l.problems.first())
            .map(|p| (p.kind, p.code))
    };
    assert_eq!(
        reason(3),
        Some((ProblemKind::NotUpdatable, Some("retired")))
    );
    assert_eq!(
        reason(4),
        Some((ProblemKind::NotUpdatable, Some("land_right_follows_events")))
    );
    assert_eq!(outcome_of(&r, 5), (Outcome::New, vec![]));
    assert_eq!(
        (r.counts.updated, r.counts.new, r.counts.written),
        (2, 1, 3)
    );
    // the report says what each update changes, from what to what
    let changes = |f: usize| -> Vec<(String, Option<String>, Option<String>)> {
        r.features
            .iter()
            .find(|l| l.feature == f)
            .map(|l| {
                l.changes
                    .iter()
                    .map(|c| (c.member.clone(), c.from.clone(), c.to.clone()))
                    .collect()
            })
            .unwrap_or_default()
    };
    let some = |s: &str| Some(s.to_owned());
    assert_eq!(
        changes(1),
        [
            (
                "name".to_owned(),
                some("永定测试地块U-1"),
                some("永定更正名称")
            ),
            ("right_holder".to_owned(), some("甲公司"), some("丁公司"))
        ]
    );
    let two = changes(2);
    assert_eq!(
        two.iter().map(|c| c.0.as_str()).collect::<Vec<_>>(),
        ["planned_use", "boundary"],
        "{two:?}"
    );
    assert_eq!(
        (two[0].1.as_deref(), two[0].2.as_deref()),
        (Some("0701"), Some("1001"))
    );
    assert!(r.committed);

    let (name, holder, _, _, _, version) = parcel_row(&app.pool, "U-1").await;
    assert_eq!(
        (name.as_str(), holder.as_deref(), version),
        ("永定更正名称", Some("丁公司"), 2)
    );
    let (_, holder, planned, class, area, version) = parcel_row(&app.pool, "U-2").await;
    assert_eq!(
        (holder.as_deref(), planned.as_str(), class, version),
        (Some("乙公司"), "1001", 2, 2),
        "an empty cell leaves the right holder as it was"
    );
    assert!(
        (area / area_2 - 2.25).abs() < 0.01,
        "the boundary grew 1.5 × 1.5: {area} from {area_2}"
    );
    // planned for industry, U-2's arsenic no longer exceeds: flagged, as an edit flags it
    let alerts = app.get("/api/alerts").await.body;
    assert_eq!(alerts["alerts"][0]["kind"], "verdict_changed", "{alerts}");
    assert_eq!(alerts["alerts"][0]["parcel"], "U-2", "{alerts}");
    let (name, _, _, _, _, version) = parcel_row(&app.pool, "U-3").await;
    assert_eq!(
        (name.as_str(), version),
        ("永定测试地块U-3", 2),
        "retired, not renamed"
    );
    let kept: Vec<(String, i32, String)> = sqlx::query_as(
        "SELECT p.code, v.version, v.row->>'name' FROM parcel_versions v JOIN parcels p ON p.id = v.parcel_id
          WHERE p.code IN ('U-1', 'U-2') ORDER BY 1",
    )
    .fetch_all(&app.pool)
    .await
    .expect("history");
    assert_eq!(
        kept,
        [
            ("U-1".to_owned(), 1, "永定测试地块U-1".to_owned()),
            ("U-2".to_owned(), 1, "永定测试地块U-2".to_owned())
        ]
    );
    let by: Vec<Option<i64>> =
        sqlx::query_scalar("SELECT updated_by FROM parcels WHERE code IN ('U-1', 'U-2')")
            .fetch_all(&app.pool)
            .await
            .expect("updated_by");
    assert_eq!(by, [Some(user), Some(user)]);
    // the cells count what the register holds now: four parcels, U-2 at its new area
    let (cells, cell_area, held, held_area): (i64, f64, i64, f64) = sqlx::query_as(
        "SELECT (SELECT sum(count) FROM parcel_cells WHERE z = 13)::bigint,
                (SELECT sum(area_m2) FROM parcel_cells WHERE z = 13),
                count(*), sum(area_m2) FROM parcels WHERE retired_at IS NULL",
    )
    .fetch_one(&app.pool)
    .await
    .expect("cells");
    assert_eq!((cells, held), (4, 4));
    assert!(
        (cell_area - held_area).abs() < 1e-6,
        "{cell_area} against {held_area}"
    );

    // The same file again changes nothing.
    let versions = app.count("parcel_versions").await;
    let again = run(&app.pool, &corrected, &updates).await.expect("again");
    assert_eq!(
        (
            again.counts.unchanged,
            again.counts.updated,
            again.counts.written
        ),
        (3, 0, 0)
    );
    assert_eq!(app.count("parcel_versions").await, versions);
}

/// A boundary an update replaces is not held against the file: a parcel cut in two, its
/// west half kept and its east half a new parcel, goes in whole. Writing the good rows
/// only, the update could be refused and the old boundary stay, so the new half is held
/// against it too.
#[tokio::test]
async fn a_parcel_cut_in_two_by_an_update_is_checked_against_its_new_boundary() {
    let app = TestApp::new().await;
    with_district(&app.pool).await;
    let dir = Dir::new();
    let whole = dir.path("whole.geojson");
    write_geojson(
        &whole,
        &[shaped(
            "S-1",
            rect(116.02, 39.95, 116.022, 39.951),
            json!({}),
        )],
    );
    let r = run(&app.pool, &whole, &Options::default())
        .await
        .expect("whole");
    assert_eq!(r.counts.written, 1);
    let cut = dir.path("cut.geojson");
    write_geojson(
        &cut,
        &[
            shaped("S-1", rect(116.02, 39.95, 116.021, 39.951), json!({})),
            shaped("S-2", rect(116.021, 39.95, 116.022, 39.951), json!({})),
        ],
    );
    let updating = |mode| Options {
        existing: OnExisting::Update,
        mode,
        ..Options::default()
    };
    let r = run(&app.pool, &cut, &updating(Mode::DryRun))
        .await
        .expect("dry run");
    assert_eq!(outcome_of(&r, 1), (Outcome::Updated, vec![]));
    assert_eq!(outcome_of(&r, 2), (Outcome::New, vec![]));
    let r = run(&app.pool, &cut, &updating(Mode::GoodOnly))
        .await
        .expect("good only");
    assert_eq!(outcome_of(&r, 1), (Outcome::Updated, vec![]));
    assert_eq!(
        outcome_of(&r, 2),
        (Outcome::Rejected, vec![ProblemKind::OverlapsRegister])
    );
    // once S-1 has its new boundary, S-2 fits
    let r = run(&app.pool, &cut, &updating(Mode::AllOrNothing))
        .await
        .expect("again");
    assert_eq!(outcome_of(&r, 1), (Outcome::Unchanged, vec![]));
    assert_eq!(outcome_of(&r, 2), (Outcome::New, vec![]));
    assert_eq!(count(&app.pool).await, 2);
}

/// A parcel edited by someone else while an import that updates it runs is not written
/// over: the import fails and writes nothing.
#[tokio::test]
async fn an_update_does_not_write_over_a_parcel_changed_while_it_ran() {
    let app = TestApp::new().await;
    with_district(&app.pool).await;
    let dir = Dir::new();
    let first = dir.path("first.geojson");
    write_geojson(&first, &[feature("C-1", 116.02, 39.95, json!({}))]);
    run(&app.pool, &first, &Options::default())
        .await
        .expect("first");
    let renamed = dir.path("renamed.geojson");
    write_geojson(
        &renamed,
        &[feature(
            "C-1",
            116.02,
            39.95,
            json!({"地块名称": "导入的新名"}),
        )],
    );
    // Someone holds the parcel, so the import's update waits for them.
    let mut editor = app.pool.begin().await.expect("tx");
    sqlx::query("SELECT 1 FROM parcels WHERE code = 'C-1' FOR UPDATE")
        .execute(&mut *editor)
        .await
        .expect("lock");
    let progress: Arc<import::Progress> = Arc::default();
    let importing = {
        let (pool, progress) = (app.pool.clone(), progress.clone());
        let opts = Options {
            existing: OnExisting::Update,
            ..Options::default()
        };
        tokio::spawn(async move { run_watched(&pool, &renamed, &opts, &progress).await })
    };
    while progress.snapshot().0 != "updating" {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    sqlx::query("UPDATE parcels SET name = '编辑的新名', version = version + 1 WHERE code = 'C-1'")
        .execute(&mut *editor)
        .await
        .expect("edit");
    editor.commit().await.expect("commit");
    let result = importing.await.expect("join");
    assert!(
        matches!(&result, Err(ImportError::Changed(c)) if c.0 == 1),
        "{result:?}"
    );
    let name: String = sqlx::query_scalar("SELECT name FROM parcels WHERE code = 'C-1'")
        .fetch_one(&app.pool)
        .await
        .expect("name");
    assert_eq!(name, "编辑的新名");
}

/// The boundary-point exchange text a surveyor's software writes for land approval
/// (界址点坐标交换格式), GBK-encoded, X the northing and Y the easting with the zone
/// prefixed: its parcels go in where they belong, a second ring as a hole, and the stated
/// hectares are checked.
#[tokio::test]
async fn a_boundary_point_exchange_text_in_gbk_goes_in_with_its_holes() {
    let app = TestApp::new().await;
    with_district(&app.pool).await;
    let dir = Dir::new();
    // Two parcels in degrees, the second with a hole, projected to zone 39 by GDAL.
    let degrees = dir.path("degrees.geojson");
    let outer = rect(116.03, 39.95, 116.032, 39.952);
    let mut holed = outer.clone();
    holed["coordinates"]
        .as_array_mut()
        .expect("rings")
        .push(rect(116.0305, 39.9505, 116.0315, 39.9515)["coordinates"][0].clone());
    write_geojson(
        &degrees,
        &[
            shaped("TXT-1", rect(116.02, 39.95, 116.022, 39.952), json!({})),
            shaped("TXT-2", holed, json!({})),
        ],
    );
    let zone = dir.path("zone39.geojson");
    translate(
        &degrees,
        &zone,
        &[
            "-f",
            "GeoJSON",
            "-s_srs",
            "EPSG:4490",
            "-t_srs",
            "EPSG:4527",
        ],
    );
    let projected: Value =
        serde_json::from_str(&std::fs::read_to_string(&zone).expect("read")).expect("json");
    let mut text = String::from(
        "[属性描述]\r\n格式版本号=1.01版本\r\n坐标系=2000国家大地坐标系\r\n几度分带=3\r\n投影类型=高斯克吕格\r\n\
         计量单位=米\r\n带号=39\r\n精度=0.001\r\n转换参数=,,,,,,\r\n[地块坐标]\r\n",
    );
    for (i, f) in projected["features"]
        .as_array()
        .expect("features")
        .iter()
        .enumerate()
    {
        let rings = f["geometry"]["coordinates"].as_array().expect("rings");
        let ring = |r: &Value| -> Vec<(f64, f64)> {
            r.as_array()
                .expect("ring")
                .iter()
                .map(|p| (p[0].as_f64().expect("x"), p[1].as_f64().expect("y")))
                .collect()
        };
        let shoelace = |pts: &[(f64, f64)]| {
            pts.windows(2)
                .map(|w| w[0].0 * w[1].1 - w[1].0 * w[0].1)
                .sum::<f64>()
                .abs()
                / 2.0
        };
        let area: f64 = rings
            .iter()
            .enumerate()
            .map(|(n, r)| shoelace(&ring(r)) * if n == 0 { 1.0 } else { -1.0 })
            .sum();
        let points: usize = rings.iter().map(|r| ring(r).len()).sum();
        let code = f["properties"]["地块编码"].as_str().expect("code");
        text.push_str(&format!(
            "{points},{:.4},{code},交换格式地块{},面,,工业用地,,@\r\n",
            area / 10_000.0,
            i + 1
        ));
        for (n, r) in rings.iter().enumerate() {
            for (k, (e, north)) in ring(r).into_iter().enumerate() {
                assert!(e > 39_000_000.0, "GDAL wrote the easting first: {e}");
                text.push_str(&format!("J{},{},{north:.3},{e:.3}\r\n", k + 1, n + 1));
            }
        }
    }
    let (gbk, _, lossy) = encoding_rs::GBK.encode(&text);
    assert!(!lossy);
    let path = dir.path("报盘坐标.txt");
    std::fs::write(&path, &gbk).expect("write txt");

    let r = run(&app.pool, &path, &Options::default())
        .await
        .expect("import");
    assert_eq!(r.format, "界址点坐标交换格式 TXT");
    assert_eq!((r.crs.crs, r.crs.how), (Crs::Gk39, How::ZonePrefix));
    assert!(
        r.encoding
            .as_deref()
            .is_some_and(|e| e.starts_with("GB18030")),
        "{:?}",
        r.encoding
    );
    assert_eq!(r.mapping["area_ha"], "面积（公顷）");
    assert_eq!(
        (r.counts.written, r.counts.rejected),
        (2, 0),
        "{:?}",
        r.features
    );
    let stored: Vec<(String, String, f64, f64)> = sqlx::query_as(
        "SELECT code, name, area_m2, ST_Area(ST_MakePolygon(ST_ExteriorRing(ST_GeometryN(geom, 1)))::geography)
           FROM parcels ORDER BY code",
    )
    .fetch_all(&app.pool)
    .await
    .expect("parcels");
    assert_eq!(
        (stored[0].0.as_str(), stored[0].1.as_str()),
        ("TXT-1", "交换格式地块1")
    );
    let (outer_area, with_hole) = (stored[1].3, stored[1].2);
    assert!(
        (with_hole / outer_area - 0.75).abs() < 0.001,
        "the hole takes a quarter: {with_hole} of {outer_area}"
    );

    // Another datum is refused, naming it.
    let xian = text.replace("2000国家大地坐标系", "1980西安坐标系");
    let path = dir.path("xian80.txt");
    std::fs::write(&path, encoding_rs::GBK.encode(&xian).0).expect("write");
    let err = run(&app.pool, &path, &dry_run())
        .await
        .expect_err("xian 80");
    assert!(err.to_string().contains("1980西安"), "{err}");
}

/// The register's parcels go out as the exchange text an approval needs — GBK by default,
/// in zone 39 or another zone asked for — and come back in with the same codes, names and
/// areas. Only parcels are written so.
#[tokio::test]
async fn parcels_exported_as_an_exchange_text_come_back_the_same() {
    let app = TestApp::new().await;
    with_district(&app.pool).await;
    let dir = Dir::new();
    let src = dir.path("src.geojson");
    let mut features = grid_at(12, "EX", 39.93);
    let holed = rect(116.05, 39.95, 116.052, 39.952)["coordinates"][0].clone();
    let hole = rect(116.0505, 39.9505, 116.0515, 39.9515)["coordinates"][0].clone();
    features.push(shaped(
        "EX-HOLE",
        json!({"type": "Polygon", "coordinates": [holed, hole]}),
        json!({}),
    ));
    write_geojson(&src, &features);
    let r = run(&app.pool, &src, &Options::default())
        .await
        .expect("seed");
    assert_eq!(r.counts.written, 13);
    let parcels = |pool: PgPool| async move {
        sqlx::query_as::<_, (String, String, f64)>(
            "SELECT code, name, area_m2 FROM parcels ORDER BY code",
        )
        .fetch_all(&pool)
        .await
        .expect("parcels")
    };
    let before = parcels(app.pool.clone()).await;
    for (query, zone_line, gbk) in [
        ("format=txt", "带号=39", true),
        ("format=txt&crs=EPSG:4548&encoding=utf-8", "带号=39", false),
        ("format=txt&crs=EPSG:4526", "带号=38", true),
    ] {
        let (status, bytes) = export(&app, query).await;
        assert_eq!(status, StatusCode::OK, "{query}");
        let text = if gbk {
            let (t, _, bad) = encoding_rs::GBK.decode(&bytes);
            assert!(!bad, "{query}: not GBK");
            t.into_owned()
        } else {
            String::from_utf8(bytes.clone()).expect("utf-8")
        };
        assert!(
            text.contains(zone_line) && text.contains("\r\n[地块坐标]\r\n"),
            "{query}"
        );
        let path = dir.path("out.txt");
        std::fs::write(&path, &bytes).expect("write");
        let fresh = TestApp::new().await;
        with_district(&fresh.pool).await;
        let r = run(&fresh.pool, &path, &Options::default())
            .await
            .expect(query);
        assert_eq!(
            (r.counts.written, r.counts.rejected),
            (13, 0),
            "{query}: {:?}",
            r.features.iter().find(|f| !f.problems.is_empty())
        );
        let after = parcels(fresh.pool.clone()).await;
        for (a, b) in before.iter().zip(&after) {
            assert_eq!((&a.0, &a.1), (&b.0, &b.1), "{query}");
            assert!(
                (a.2 - b.2).abs() / a.2 < 1e-4,
                "{query}: {} area {} vs {}",
                a.0,
                a.2,
                b.2
            );
        }
    }
    let (status, _) = export_of(&app, "closed-sites", "format=txt").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

/// Every attribute a file can fill is compared with the parcel's and written by an update.
#[tokio::test]
async fn an_update_writes_every_attribute_a_file_can_fill() {
    let app = TestApp::new().await;
    with_district(&app.pool).await;
    let dir = Dir::new();
    let all = |name: &str,
               town: &str,
               address: &str,
               current: &str,
               planned: &str,
               right: &str,
               holder: &str,
               party: &str,
               risk: &str| {
        feature(
            "ALL-1",
            116.02,
            39.95,
            json!({"地块名称": name, "所属镇街": town, "地址": address, "用地性质": current,
                   "规划用途": planned, "土地权属状态": right, "权利人": holder,
                   "责任主体": party, "风险等级": risk}),
        )
    };
    let first = dir.path("first.geojson");
    write_geojson(
        &first,
        &[all(
            "甲",
            "永定镇",
            "一号",
            "1001",
            "0701",
            "in_use",
            "甲公司",
            "甲厂",
            "低",
        )],
    );
    let r = run(&app.pool, &first, &Options::default())
        .await
        .expect("first");
    assert_eq!(r.counts.written, 1);
    let second = dir.path("second.geojson");
    write_geojson(
        &second,
        &[all(
            "乙",
            "龙泉镇",
            "二号",
            "0701",
            "1001",
            "withdrawn",
            "乙公司",
            "乙厂",
            "高",
        )],
    );
    let updates = Options {
        existing: OnExisting::Update,
        ..Options::default()
    };
    let r = run(&app.pool, &second, &updates).await.expect("update");
    assert_eq!(
        (r.counts.updated, r.counts.written),
        (1, 1),
        "{:?}",
        r.features
    );
    let changed: Vec<&str> = r.features[0]
        .changes
        .iter()
        .map(|c| c.member.as_str())
        .collect();
    assert_eq!(
        changed,
        [
            "name",
            "town",
            "address",
            "current_use",
            "planned_use",
            "land_right",
            "right_holder",
            "responsible_party",
            "risk"
        ]
    );
    let row: Value = sqlx::query_scalar(
        "SELECT to_jsonb(p) - 'geom' - 'geom_3857' - 'point_3857' FROM parcels p WHERE code = 'ALL-1'",
    )
    .fetch_one(&app.pool)
    .await
    .expect("row");
    for (k, v) in [
        ("name", "乙"),
        ("address", "二号"),
        ("current_use", "0701"),
        ("planned_use", "1001"),
        ("land_right", "withdrawn"),
        ("land_right_initial", "withdrawn"),
        ("right_holder", "乙公司"),
        ("responsible_party", "乙厂"),
        ("risk", "high"),
    ] {
        assert_eq!(row[k], v, "{k}: {row}");
    }
    assert_ne!(row["town"], "110109006", "{row}");
    assert_eq!(row["gb36600_class"], 2, "{row}");
}

/// `POST /api/imports/{id}/cancel` as `token`'s user.
fn cancel(token: &str, id: &str) -> Request<Body> {
    Request::builder()
        .method("POST")
        .uri(format!("/api/imports/{id}/cancel"))
        .header("authorization", format!("Bearer {token}"))
        .body(Body::empty())
        .expect("request")
}

/// A running import is cancelled by the user who started it, not by another: nothing it
/// wrote stays, its staging tables go with it, and its job says it was cancelled.
#[tokio::test]
async fn a_running_import_is_cancelled_by_its_user_and_leaves_nothing() {
    let app = TestApp::new().await;
    with_district(&app.pool).await;
    let editor = app.token("planning", Role::Editor).await;
    let other = app.token("planning", Role::Editor).await;
    let dir = Dir::new();
    let path = dir.path("f.geojson");
    write_geojson(&path, &grid(5, "CAN"));
    let bytes = std::fs::read(&path).expect("file");
    // Someone holds the register: the import's write waits for them, still running.
    let mut holder = app.pool.begin().await.expect("tx");
    sqlx::query("LOCK TABLE parcels IN SHARE MODE")
        .execute(&mut *holder)
        .await
        .expect("lock");
    let res = app.send(upload(&editor, "f.geojson", &bytes, &[])).await;
    assert_eq!(res.status, StatusCode::ACCEPTED, "{}", res.text);
    let id = res.body["id"].as_str().expect("id").to_owned();
    let href = res.body["href"].as_str().expect("href").to_owned();
    let mut writing = false;
    for _ in 0..400 {
        let job = app.get(&href).await.body;
        assert_eq!(job["status"], "running", "{job}");
        if job["phase"] == "writing" {
            writing = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    assert!(writing, "the import never reached its write");

    let refused = app.send(cancel(&other, &id)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.text);
    let res = app.send(cancel(&editor, &id)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    assert_eq!(res.body["status"], "cancelled", "{}", res.text);
    assert!(res.body["error"]
        .as_str()
        .is_some_and(|e| e.contains("nothing was written")));
    holder.commit().await.expect("release");

    // The dropped write ends rolled back once the lock is gone.
    let busy = || async {
        sqlx::query_scalar::<_, i64>(
            "SELECT count(*) FROM pg_stat_activity
              WHERE datname = current_database() AND pid <> pg_backend_pid()
                AND state IN ('active', 'idle in transaction', 'idle in transaction (aborted)')",
        )
        .fetch_one(&app.pool)
        .await
        .expect("activity")
    };
    for _ in 0..400 {
        if busy().await == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    assert_eq!(busy().await, 0, "a transaction of the import is still open");
    assert_eq!(count(&app.pool).await, 0);
    assert_eq!(staging_tables(&app.pool).await, 0);
    assert_eq!(app.get(&href).await.body["status"], "cancelled");
    // Over: a second cancel finds nothing running; an unknown job is not found.
    let again = app.send(cancel(&editor, &id)).await;
    assert_eq!(
        (again.status, again.error_code()),
        (StatusCode::CONFLICT, "not_running")
    );
    let unknown = app
        .send(cancel(&editor, &uuid::Uuid::new_v4().to_string()))
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

/// A parcel's versions say where each came from: the import (its job and file) that wrote
/// it, or an edit through the API, and what each changed from the one before.
#[tokio::test]
async fn a_parcel_s_versions_name_the_imports_and_edits_that_wrote_them() {
    let app = TestApp::new().await;
    with_district(&app.pool).await;
    let editor = app.token("planning", Role::Editor).await;
    let dir = Dir::new();
    let upload_file = |name: &str, features: &[Value], fields: &[(&str, &str)]| {
        let path = dir.path(name);
        write_geojson(&path, features);
        upload(&editor, name, &std::fs::read(&path).expect("file"), fields)
    };
    let first = app
        .send(upload_file(
            "first.geojson",
            &[feature("V-1", 116.02, 39.95, json!({}))],
            &[],
        ))
        .await;
    let first_job = poll(&app, first.body["href"].as_str().expect("href")).await;
    assert_eq!(first_job["status"], "committed", "{first_job}");
    let res = app
        .patch_current(
            &editor,
            "V-1",
            &json!({"properties": {"name": "编辑的名称"}}),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    let moved = shaped(
        "V-1",
        rect(116.02, 39.95, 116.0215, 39.9515),
        json!({"地块名称": "编辑的名称"}),
    );
    let second = app
        .send(upload_file(
            "second.geojson",
            &[moved],
            &[("existing", "update")],
        ))
        .await;
    let second_job = poll(&app, second.body["href"].as_str().expect("href")).await;
    assert_eq!(second_job["report"]["counts"]["updated"], 1, "{second_job}");

    let v = app.get("/api/parcels/V-1/versions").await;
    assert_eq!(v.status, StatusCode::OK, "{}", v.text);
    let versions = v.body["versions"].as_array().expect("versions");
    assert_eq!(versions.len(), 3, "{}", v.text);
    let via = |i: usize| versions[i]["via"]["file"].as_str().map(str::to_owned);
    assert_eq!(
        (via(0), via(1), via(2)),
        (
            Some("first.geojson".into()),
            None,
            Some("second.geojson".into())
        )
    );
    assert_eq!(versions[2]["via"]["import"], second.body["id"]);
    assert!(
        versions.iter().all(|x| x["by"] == format!("user-{editor}")),
        "{}",
        v.text
    );
    let members = |i: usize| -> Vec<String> {
        versions[i]["changes"]
            .as_array()
            .expect("changes")
            .iter()
            .map(|c| c["member"].as_str().unwrap_or("").to_owned())
            .collect()
    };
    assert_eq!(members(1), ["name"]);
    assert_eq!(members(2), ["boundary"]);
    assert_eq!(versions[1]["changes"][0]["to"], "编辑的名称");
    // a lifecycle event's version shows the stage it moved the parcel to
    let eco = app.token("eco", Role::Editor).await;
    let res = app
        .event(
            &eco,
            "V-1",
            "suspicion_raised",
            json!({"reason": "原电镀厂"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    let v = app.get("/api/parcels/V-1/versions").await.body;
    let last = v["versions"]
        .as_array()
        .and_then(|a| a.last())
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        (
            &last["changes"][0]["member"],
            &last["changes"][0]["to"],
            &last["via"]
        ),
        (&json!("stage"), &json!("suspected"), &Value::Null),
        "{v}"
    );
    assert_eq!(
        app.get("/api/parcels/NOPE/versions").await.status,
        StatusCode::NOT_FOUND
    );
    // "as of" reads the versions with their new member still
    let now = app.get("/api/parcels/V-1?as_of=2100-01-01").await;
    assert_eq!(now.body["properties"]["version"], 4, "{}", now.text);
}
