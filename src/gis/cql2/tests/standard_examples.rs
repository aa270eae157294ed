//! The text-encoding examples of OGC 21-065 (the standard's
//! `schema/examples/text/*.txt`), against queryables shaped like the ones they
//! assume. Examples that name their geometry `footprint`, `location` or `road`
//! use `geometry` here, the only geometry name soilreg serves.

use super::super::{CmpOp, Expr, Literal, QType, Queryables, SpatialOp};
use super::{assert_placeholders, parse_ok, text, try_compile, Compiled};

fn catalogue() -> Queryables {
    Queryables::new("s.footprint", 4326)
        .with("landsat:scene_id", "s.scene_id", QType::Text)
        .with("landsat:wrs_path", "s.wrs_path", QType::Text)
        .with("landsat:wrs_row", "s.wrs_row", QType::Integer)
        .with("eo:instrument", "s.instrument", QType::Text)
        .with("eo:cloud_cover", "s.cloud_cover", QType::Number)
        .with("beamMode", "s.beam_mode", QType::Text)
        .with("swathDirection", "s.swath_direction", QType::Text)
        .with("polarization", "s.polarization", QType::Text)
        .with("id", "s.id", QType::Text)
        .with("value", "s.value", QType::Number)
}

fn buildings() -> Queryables {
    Queryables::new("b.geom", 4326)
        .with("city", "b.city", QType::Text)
        .with("cityName", "b.city_name", QType::Text)
        .with("name", "b.name", QType::Text)
        .with("owner", "b.owner", QType::Text)
        .with("material", "b.material", QType::Text)
        .with("floors", "b.floors", QType::Integer)
        .with("taxes", "b.taxes", QType::Number)
        .with("depth", "b.depth", QType::Number)
        .with("swimming_pool", "b.swimming_pool", QType::Boolean)
        .with("updated", "b.updated", QType::Date)
}

/// Compiles an example and checks its placeholders and parameter count.
fn example(filter: &str, q: &Queryables, params: usize) -> Compiled {
    let c = try_compile(filter, q, 4326).unwrap_or_else(|e| panic!("{filter:?}: {e}"));
    assert_placeholders(&c);
    assert_eq!(c.params, params, "{filter:?} → {}", c.sql);
    c
}

#[test]
fn basic_cql2_examples_compile() {
    let c = example("city='Toronto'", &buildings(), 1);
    assert_eq!(c.sql, "(b.city = $1)");
    let c = example("updated >= date('1970-01-01')", &buildings(), 1);
    assert_eq!(c.sql, "(b.updated >= $1)");
    let c = example("geometry IS NOT NULL", &buildings(), 0);
    assert_eq!(c.sql, "(b.geom IS NOT NULL)");
    example("floors>5", &buildings(), 1);
    example("taxes <= 500", &buildings(), 1);
    example("swimming_pool = true", &buildings(), 1);
    let c = example("floors>5 AND swimming_pool=true", &buildings(), 2);
    assert_eq!(c.sql, "((b.floors > $1) AND (b.swimming_pool = $2))");
}

#[test]
fn boolean_structure_examples_keep_their_grouping() {
    let c = example(
        "swimming_pool=true AND (floors>5 \n OR  material LIKE 'brick%'\n OR  material LIKE '%brick')",
        &buildings(),
        4,
    );
    assert_eq!(
        c.sql,
        "((b.swimming_pool = $1) AND ((b.floors > $2) OR (b.material LIKE $3) OR (b.material LIKE $4)))"
    );
    let c = example(
        "(floors>5 AND material='brick') OR swimming_pool=true",
        &buildings(),
        3,
    );
    assert_eq!(
        c.sql,
        "(((b.floors > $1) AND (b.material = $2)) OR (b.swimming_pool = $3))"
    );
    let c = example("NOT (floors<5) OR swimming_pool=true", &buildings(), 2);
    assert_eq!(c.sql, "((NOT (b.floors < $1)) OR (b.swimming_pool = $2))");
    let c = example(
        "(owner LIKE 'mike%' OR owner LIKE 'Mike%') AND floors<4",
        &buildings(),
        3,
    );
    assert!(c
        .sql
        .starts_with("(((b.owner LIKE $1) OR (b.owner LIKE $2)) AND"));
}

#[test]
fn advanced_comparison_examples_compile() {
    example("name LIKE 'Smith%'", &buildings(), 1);
    example("owner LIKE '%Jones%'", &buildings(), 1);
    example("owner LIKE 'Mike%'", &buildings(), 1);
    assert_eq!(
        example("owner NOT LIKE '%Mike%'", &buildings(), 1).sql,
        "(b.owner NOT LIKE $1)"
    );
    assert_eq!(
        example("depth BETWEEN 100.0 and 150.0", &buildings(), 2).sql,
        "(b.depth BETWEEN $1 AND $2)"
    );
    let c = example(
        "cityName IN ('Toronto','Frankfurt','Tokyo','New York')",
        &buildings(),
        1,
    );
    assert_eq!(c.sql, "(b.city_name = ANY($1))");
    assert!(!c.sql.contains("Tokyo"));
}

#[test]
fn stac_style_examples_with_prefixed_names_compile() {
    let q = catalogue();
    example("landsat:scene_id = 'LC82030282019133LGN00'", &q, 1);
    example("eo:instrument LIKE 'OLI%'", &q, 1);
    example("landsat:wrs_path IN ('153','154','15X')", &q, 1);
    // wrs_path is text in the examples, yet compared with a number here: it binds "203".
    let c = example(
        "eo:cloud_cover < 0.1 AND landsat:wrs_row=28 AND landsat:wrs_path=203",
        &q,
        3,
    );
    assert_eq!(
        c.sql,
        "((s.cloud_cover < $1) AND (s.wrs_row = $2) AND (s.wrs_path = $3))"
    );
    example("eo:cloud_cover=0.1 OR eo:cloud_cover=0.2", &q, 2);
    example(
        "    eo:cloud_cover BETWEEN 0.1 AND 0.2\nAND landsat:wrs_row=28\nAND landsat:wrs_path=203\n",
        &q,
        4,
    );
}

#[test]
fn quoted_property_examples_compile() {
    let q = catalogue();
    assert_eq!(
        example("\"id\" = 'fa7e1920-9107-422d-a3db-c468cbc5d6df'", &q, 1).sql,
        "(s.id = $1)"
    );
    assert_eq!(
        example("\"id\" <> 'fa7e1920-9107-422d-a3db-c468cbc5d6df'", &q, 1).sql,
        "(s.id <> $1)"
    );
    assert_eq!(example("\"value\" < 10", &q, 1).sql, "(s.value < $1)");
    assert_eq!(
        example("\"value\" BETWEEN 10 AND 20", &q, 2).sql,
        "(s.value BETWEEN $1 AND $2)"
    );
}

#[test]
fn spatial_examples_compile() {
    let b = buildings();
    let c = example("S_INTERSECTS(geometry,POINT(36.319836 32.288087))", &b, 1);
    assert_eq!(c.sql, "ST_Intersects(b.geom, ST_GeomFromText($1, 4326))");
    let c = example("S_WITHIN(geometry,BBOX(-118,33.8,-117.9,34))", &b, 1);
    assert_eq!(
        c.sql,
        "ST_Within(b.geom, ST_MakeValid(ST_GeomFromText($1, 4326)))"
    );
    example(
        "S_INTERSECTS(geometry,POLYGON((-10.0 -10.0,10.0 -10.0,10.0 10.0,-10.0 -10.0)))",
        &b,
        1,
    );
    let c = example(
        "floors>5 AND S_WITHIN(geometry,BBOX(-118,33.8,-117.9,34))",
        &b,
        2,
    );
    assert_eq!(
        c.sql,
        "((b.floors > $1) AND ST_Within(b.geom, ST_MakeValid(ST_GeomFromText($2, 4326))))"
    );
    example(
        "S_INTERSECTS(\"geometry\", BBOX(-128.098193, -1.1, -99999.0, 180.0, 90.0, 100000.0))",
        &catalogue(),
        1,
    );
    let c = example(
        "S_CROSSES(geometry,POLYGON((43.7286 -79.2986, 43.7311 -79.2996, 43.7323 -79.2972,
                        43.7326 -79.2971, 43.7350 -79.2981, 43.7350 -79.2982,
                        43.7352 -79.2982, 43.7357 -79.2956, 43.7337 -79.2948,
                        43.7343 -79.2933, 43.7339 -79.2923, 43.7327 -79.2947,
                        43.7320 -79.2942, 43.7322 -79.2937, 43.7306 -79.2930,
                        43.7303 -79.2930, 43.7299 -79.2928, 43.7286 -79.2986)))",
        &b,
        1,
    );
    assert!(c.sql.starts_with("ST_Crosses(b.geom, "));
}

#[test]
fn mixed_scalar_and_spatial_examples_compile() {
    let c = example(
        "eo:instrument LIKE 'OLI%'
                AND S_INTERSECTS(geometry,POLYGON((43.5845 -79.5442,
                                                    43.6079 -79.4893,
                                                    43.5677 -79.4632,
                                                    43.6129 -79.3925,
                                                    43.6223 -79.3238,
                                                    43.6576 -79.3163,
                                                    43.7945 -79.1178,
                                                    43.8144 -79.1542,
                                                    43.8555 -79.1714,
                                                    43.7509 -79.6390,
                                                    43.5845 -79.5442)))",
        &catalogue(),
        2,
    );
    assert_eq!(
        c.sql,
        "((s.instrument LIKE $1) AND ST_Intersects(s.footprint, ST_MakeValid(ST_GeomFromText($2, 4326))))"
    );
    example(
        "    beamMode='ScanSAR Narrow'
AND swathDirection='ascending'
AND polarization='HH+VV+HV+VH'
AND s_intersects(geometry,POLYGON((-77.117938 38.936860,
                                   -77.040604 39.995648,
                                   -76.910536 38.892912,
                                   -77.039359 38.791753,
                                   -77.047906 38.841462,
                                   -77.034183 38.840655,
                                   -77.033142 38.857490,
                                   -77.117938 38.936860)))",
        &catalogue(),
        4,
    );
}

#[test]
fn example_trees_match_the_standards_reading() {
    assert_eq!(
        parse_ok("swimming_pool = true"),
        Expr::Compare {
            prop: "swimming_pool".into(),
            op: CmpOp::Eq,
            value: Literal::Bool(true)
        }
    );
    assert_eq!(
        parse_ok("cityName IN ('Toronto','Frankfurt','Tokyo','New York')"),
        Expr::In {
            prop: "cityName".into(),
            values: vec![
                text("Toronto"),
                text("Frankfurt"),
                text("Tokyo"),
                text("New York")
            ],
            negated: false,
        }
    );
    match parse_ok("S_WITHIN(geometry,BBOX(-118,33.8,-117.9,34))") {
        Expr::Spatial { op, geom, .. } => {
            assert_eq!(op, SpatialOp::Within);
            assert_eq!(
                geom.wkt,
                "POLYGON((-118 33.8,-117.9 33.8,-117.9 34,-118 34,-118 33.8))"
            );
        }
        other => panic!("{other:?}"),
    }
}
