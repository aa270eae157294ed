use time::macros::{date, datetime};

use super::super::{CmpOp, Expr, GeomKind, Literal, SpatialOp};
use super::{parse_ok, text};

fn cmp(prop: &str, op: CmpOp, value: Literal) -> Expr {
    Expr::Compare {
        prop: prop.to_owned(),
        op,
        value,
    }
}

fn value_of(filter: &str) -> Literal {
    match parse_ok(filter) {
        Expr::Compare { value, .. } => value,
        other => panic!("{filter:?} gave {other:?}"),
    }
}

fn wkt_of(filter: &str) -> (GeomKind, String) {
    match parse_ok(filter) {
        Expr::Spatial { geom, .. } => (geom.kind, geom.wkt),
        other => panic!("{filter:?} gave {other:?}"),
    }
}

#[test]
fn each_comparison_operator_parses_into_a_compare_node() {
    for (sym, op) in [
        ("=", CmpOp::Eq),
        ("<>", CmpOp::Ne),
        ("<", CmpOp::Lt),
        ("<=", CmpOp::Le),
        (">", CmpOp::Gt),
        (">=", CmpOp::Ge),
    ] {
        assert_eq!(
            parse_ok(&format!("floors{sym}3")),
            cmp("floors", op, Literal::Integer(3))
        );
        assert_eq!(
            parse_ok(&format!("floors {sym} 3")),
            cmp("floors", op, Literal::Integer(3))
        );
    }
}

#[test]
fn numbers_are_integers_when_written_as_such_and_finite_floats_otherwise() {
    assert_eq!(value_of("a = 42"), Literal::Integer(42));
    assert_eq!(value_of("a = -7"), Literal::Integer(-7));
    assert_eq!(value_of("a = +3"), Literal::Integer(3));
    assert_eq!(value_of("a = 3.5"), Literal::Number(3.5));
    assert_eq!(value_of("a = -0.25"), Literal::Number(-0.25));
    assert_eq!(value_of("a = .5"), Literal::Number(0.5));
    assert_eq!(value_of("a = 7."), Literal::Number(7.0));
    assert_eq!(value_of("a = 1e3"), Literal::Number(1000.0));
    assert_eq!(value_of("a = 2.5E-2"), Literal::Number(0.025));
    assert_eq!(value_of("a = 99999999999999999999"), Literal::Number(1e20));
}

#[test]
fn strings_unescape_doubled_quotes_and_keep_everything_else() {
    assert_eq!(value_of("town = 'it''s'"), text("it's"));
    assert_eq!(value_of("town = ''"), text(""));
    assert_eq!(value_of("town = ''''"), text("'"));
    assert_eq!(value_of("town = '襄阳 AND \"x\"'"), text("襄阳 AND \"x\""));
    assert_eq!(value_of(r"town = 'C:\dir\'"), text(r"C:\dir\"));
    assert_eq!(value_of("town = 'two\nlines'"), text("two\nlines"));
}

#[test]
fn booleans_dates_and_timestamps_parse_as_typed_literals() {
    assert_eq!(value_of("surveyed = TRUE"), Literal::Bool(true));
    assert_eq!(value_of("surveyed = false"), Literal::Bool(false));
    assert_eq!(
        value_of("d = DATE('2023-06-30')"),
        Literal::Date(date!(2023 - 06 - 30))
    );
    assert_eq!(
        value_of("t = TIMESTAMP('2023-06-30T12:00:00Z')"),
        Literal::Timestamp(datetime!(2023-06-30 12:00:00 UTC))
    );
    assert_eq!(
        value_of("t = timestamp('2010-02-10T05:29:20.5+08:00')"),
        Literal::Timestamp(datetime!(2010-02-10 05:29:20.5 +08:00))
    );
}

#[test]
fn not_binds_tighter_than_and_which_binds_tighter_than_or() {
    let a = cmp("a", CmpOp::Eq, Literal::Integer(1));
    let b = cmp("b", CmpOp::Eq, Literal::Integer(2));
    let c = cmp("c", CmpOp::Eq, Literal::Integer(3));
    assert_eq!(
        parse_ok("a=1 OR b=2 AND NOT c=3"),
        Expr::Or(vec![
            a.clone(),
            Expr::And(vec![b.clone(), Expr::Not(Box::new(c.clone()))])
        ])
    );
    assert_eq!(
        parse_ok("NOT a=1 AND b=2"),
        Expr::And(vec![Expr::Not(Box::new(a.clone())), b.clone()])
    );
    assert_eq!(
        parse_ok("(a=1 OR b=2) AND c=3"),
        Expr::And(vec![Expr::Or(vec![a.clone(), b.clone()]), c.clone()])
    );
    assert_eq!(
        parse_ok("NOT (a=1 OR b=2)"),
        Expr::Not(Box::new(Expr::Or(vec![a, b])))
    );
}

#[test]
fn chains_of_and_or_or_become_one_node_and_extra_parentheses_vanish() {
    match parse_ok("a=1 AND b=2 AND c=3 AND d=4") {
        Expr::And(terms) => assert_eq!(terms.len(), 4),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        parse_ok("((( a = 1 )))"),
        cmp("a", CmpOp::Eq, Literal::Integer(1))
    );
    assert_eq!(parse_ok("TRUE"), Expr::Bool(true));
    assert_eq!(
        parse_ok("false OR true"),
        Expr::Or(vec![Expr::Bool(false), Expr::Bool(true)])
    );
}

#[test]
fn keywords_operators_and_literal_tags_are_case_insensitive() {
    let lower = parse_ok(
        "town like 'a%' and not floors between 1 and 3 or code not in ('x') and area is not null \
         and s_intersects(geometry, point(1 2)) and d = date('2020-01-01') and b = true",
    );
    let mixed = parse_ok(
        "town LiKe 'a%' AnD NoT floors BeTwEeN 1 aNd 3 Or code NOT In ('x') AND area Is NoT nUlL \
         aNd S_Intersects(geometry, Point(1 2)) AND d = Date('2020-01-01') AND b = True",
    );
    assert_eq!(lower, mixed);
}

#[test]
fn quoted_identifiers_may_hold_spaces_keywords_and_doubled_quotes() {
    assert_eq!(
        parse_ok("\"land use\" = 'x'"),
        cmp("land use", CmpOp::Eq, text("x"))
    );
    assert_eq!(
        parse_ok("\"AND\" = 1"),
        cmp("AND", CmpOp::Eq, Literal::Integer(1))
    );
    assert_eq!(
        parse_ok("\"a\"\"b\" = 1"),
        cmp("a\"b", CmpOp::Eq, Literal::Integer(1))
    );
    assert_eq!(
        parse_ok("\"geometry\" IS NULL"),
        Expr::IsNull {
            prop: "geometry".into(),
            negated: false
        }
    );
}

#[test]
fn bare_identifiers_take_colons_periods_digits_and_letters_beyond_ascii() {
    assert_eq!(
        parse_ok("eo:cloud_cover < 10"),
        cmp("eo:cloud_cover", CmpOp::Lt, Literal::Integer(10))
    );
    assert_eq!(
        parse_ok("a.b_2 = 1"),
        cmp("a.b_2", CmpOp::Eq, Literal::Integer(1))
    );
    assert_eq!(parse_ok("_x=1"), cmp("_x", CmpOp::Eq, Literal::Integer(1)));
    assert_eq!(parse_ok("用途 = '07'"), cmp("用途", CmpOp::Eq, text("07")));
}

#[test]
fn words_that_are_only_keywords_elsewhere_can_be_property_names() {
    let d = Literal::Date(time::macros::date!(2020 - 01 - 01));
    assert_eq!(
        parse_ok("date = DATE('2020-01-01')"),
        cmp("date", CmpOp::Eq, d)
    );
    assert_eq!(
        parse_ok("point = 1"),
        cmp("point", CmpOp::Eq, Literal::Integer(1))
    );
    assert_eq!(
        parse_ok("s_within = 1"),
        cmp("s_within", CmpOp::Eq, Literal::Integer(1))
    );
}

#[test]
fn like_between_in_and_is_null_parse_with_and_without_not() {
    for (filter, negated) in [("town LIKE 'X%'", false), ("town NOT LIKE 'X%'", true)] {
        let want = Expr::Like {
            prop: "town".into(),
            pattern: "X%".into(),
            negated,
        };
        assert_eq!(parse_ok(filter), want);
    }
    for (filter, negated) in [
        ("area BETWEEN 1 AND 2.5", false),
        ("area NOT BETWEEN 1 AND 2.5", true),
    ] {
        let want = Expr::Between {
            prop: "area".into(),
            low: Literal::Integer(1),
            high: Literal::Number(2.5),
            negated,
        };
        assert_eq!(parse_ok(filter), want);
    }
    for (filter, negated) in [
        ("code IN ('a', 'b',3)", false),
        ("code NOT IN ('a','b', 3)", true),
    ] {
        let want = Expr::In {
            prop: "code".into(),
            values: vec![text("a"), text("b"), Literal::Integer(3)],
            negated,
        };
        assert_eq!(parse_ok(filter), want);
    }
    for (filter, negated) in [("town IS NULL", false), ("town IS NOT NULL", true)] {
        assert_eq!(
            parse_ok(filter),
            Expr::IsNull {
                prop: "town".into(),
                negated
            }
        );
    }
}

#[test]
fn like_patterns_keep_wildcards_and_backslash_escapes() {
    let want = Expr::Like {
        prop: "code".into(),
        pattern: r"42\_%\\".into(),
        negated: false,
    };
    assert_eq!(parse_ok(r"code LIKE '42\_%\\'"), want);
}

#[test]
fn each_spatial_operator_parses_in_any_case() {
    for (word, op) in [
        ("S_INTERSECTS", SpatialOp::Intersects),
        ("s_disjoint", SpatialOp::Disjoint),
        ("S_Within", SpatialOp::Within),
        ("S_CONTAINS", SpatialOp::Contains),
        ("S_OVERLAPS", SpatialOp::Overlaps),
        ("S_TOUCHES", SpatialOp::Touches),
        ("S_CROSSES", SpatialOp::Crosses),
        ("S_EQUALS", SpatialOp::Equals),
    ] {
        match parse_ok(&format!("{word}(geometry, POINT(1 2))")) {
            Expr::Spatial { op: got, prop, .. } => {
                assert_eq!((got, prop.as_str()), (op, "geometry"));
            }
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn a_geometry_literal_written_first_takes_the_converse_operator() {
    let first = parse_ok("S_WITHIN(POINT(1 2), geometry)");
    assert_eq!(first, parse_ok("S_CONTAINS(geometry, POINT(1 2))"));
    let symmetric = parse_ok("S_INTERSECTS(POINT(1 2), geometry)");
    assert_eq!(symmetric, parse_ok("S_INTERSECTS(geometry, POINT(1 2))"));
}

#[test]
fn geometry_literals_are_rewritten_from_their_parsed_numbers() {
    let cases = [
        ("POINT( 1.50   -2 )", GeomKind::Point, "POINT(1.5 -2)"),
        ("POINT Z (1 2 3)", GeomKind::Point, "POINT(1 2)"),
        ("POINT(1e2 .5)", GeomKind::Point, "POINT(100 0.5)"),
        (
            "LINESTRING(0 0, 1 1,2 0)",
            GeomKind::LineString,
            "LINESTRING(0 0,1 1,2 0)",
        ),
        (
            "POLYGON((0 0,4 0,4 4,0 4,0 0),(1 1,2 1,2 2,1 1))",
            GeomKind::Polygon,
            "POLYGON((0 0,4 0,4 4,0 4,0 0),(1 1,2 1,2 2,1 1))",
        ),
        (
            "MULTIPOINT(1 2, 3 4)",
            GeomKind::MultiPoint,
            "MULTIPOINT((1 2),(3 4))",
        ),
        (
            "MULTIPOINT((1 2),(3 4))",
            GeomKind::MultiPoint,
            "MULTIPOINT((1 2),(3 4))",
        ),
        (
            "MULTILINESTRING((0 0,1 1),(2 2,3 3))",
            GeomKind::MultiLineString,
            "MULTILINESTRING((0 0,1 1),(2 2,3 3))",
        ),
        (
            "MULTIPOLYGON(((0 0,1 0,1 1,0 0)),((5 5,6 5,6 6,5 5)))",
            GeomKind::MultiPolygon,
            "MULTIPOLYGON(((0 0,1 0,1 1,0 0)),((5 5,6 5,6 6,5 5)))",
        ),
        (
            "GEOMETRYCOLLECTION(POINT(1 2), LINESTRING(0 0,1 1))",
            GeomKind::GeometryCollection,
            "GEOMETRYCOLLECTION(POINT(1 2),LINESTRING(0 0,1 1))",
        ),
    ];
    for (literal, kind, wkt) in cases {
        let got = wkt_of(&format!("S_INTERSECTS(geometry, {literal})"));
        assert_eq!(got, (kind, wkt.to_owned()), "{literal}");
    }
}

#[test]
fn bbox_and_envelope_become_closed_polygons_and_drop_elevations() {
    let square = "POLYGON((112 31,113 31,113 32,112 32,112 31))".to_owned();
    for literal in [
        "BBOX(112, 31, 113, 32)",
        "envelope(112,31,113,32)",
        "BBOX(112,31,-5,113,32,900)",
    ] {
        let got = wkt_of(&format!("S_WITHIN(geometry, {literal})"));
        assert_eq!(got, (GeomKind::Polygon, square.clone()), "{literal}");
    }
}
