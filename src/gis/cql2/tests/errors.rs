use sqlx::{Postgres, QueryBuilder};

use super::super::{parse_within, push_sql, Expr, Limits, ParseError, MAX_DEPTH, MAX_FILTER_BYTES};
use super::{compile_err, parcels, parse_err, parse_ok};

/// Asserts the error's byte position and a fragment of its message.
fn assert_error(filter: &str, position: usize, fragment: &str) {
    let e = parse_err(filter);
    assert_eq!(e.position, position, "{filter:?}: {e}");
    assert!(e.message.contains(fragment), "{filter:?}: {e}");
}

#[test]
fn unterminated_strings_and_quoted_names_point_at_their_opening_quote() {
    assert_error("town = 'abc", 7, "unterminated string");
    assert_error("town = 'it''", 7, "unterminated string");
    assert_error("\"town = 1", 0, "unterminated property name");
    assert_error("\"\" = 1", 0, "empty quoted property name");
}

#[test]
fn trailing_garbage_and_stray_characters_are_refused_where_they_start() {
    assert_error("town = 'a' garbage", 11, "unexpected 'garbage'");
    assert_error("town = 'a' 'b'", 11, "unexpected the string 'b'");
    assert_error(
        "town = 'a' ; DROP TABLE parcels",
        11,
        "unexpected character ';'",
    );
    assert_error("town = 'a' -- comment", 11, "unexpected character '-'");
    assert_error("floors = 12abc", 9, "malformed number");
}

#[test]
fn unbalanced_parentheses_are_refused() {
    assert_error("town = 'a')", 10, "unmatched ')'");
    assert_error("(town = 'a'", 11, "expected ')' to close the '(' at byte 0");
    assert_error("((town = 'a')", 13, "'(' at byte 0");
    assert_error("()", 1, "expected a condition, found ')'");
}

#[test]
fn malformed_predicates_say_what_was_expected_and_where() {
    assert_error("", 0, "expected a condition, found the end of the filter");
    assert_error("   ", 3, "expected a condition");
    assert_error("town == 1", 6, "expected a literal value, found '='");
    assert_error("town 'a'", 5, "an operator after property 'town'");
    assert_error("town", 4, "an operator after property 'town'");
    assert_error("town NOT 'a'", 9, "LIKE, BETWEEN or IN after NOT");
    assert_error("town IS 'a'", 8, "expected NULL");
    assert_error("area BETWEEN 1 OR 2", 15, "expected AND");
    assert_error("town IN ()", 9, "expected a literal value");
    assert_error("town IN ('a' 'b')", 13, "',' or ')' in the IN list");
    assert_error("town LIKE 5", 10, "a quoted pattern after LIKE");
    assert_error(r"town LIKE 'abc\'", 10, "ends with an escape character");
    assert_error("AND = 1", 0, "expected a property name, found 'AND'");
    assert_error("town = 'a' AND", 14, "expected a condition");
    assert_error("town = nope", 7, "expected a literal value, found 'nope'");
}

#[test]
fn bad_literals_point_at_the_literal() {
    assert_error("registered_on = DATE('2023-02-30')", 21, "invalid date");
    assert_error("registered_on = DATE(2023)", 21, "a quoted date or time");
    assert_error(
        "updated > TIMESTAMP('2023-06-30 12:00')",
        20,
        "invalid timestamp",
    );
    assert_error("area = 1e999", 7, "out of range");
}

#[test]
fn functions_and_arithmetic_outside_the_supported_classes_are_refused() {
    assert_error("avg(windSpeed) < 4", 0, "unsupported function 'avg'");
    assert_error(
        "T_BEFORE(built, DATE('2015-01-01'))",
        0,
        "unsupported function 'T_BEFORE'",
    );
    assert_error(
        "CASEI(road_class) IN (CASEI('Οδος'))",
        0,
        "unsupported function 'CASEI'",
    );
    assert_error(
        "balance-150.0 > 0",
        7,
        "an operator after property 'balance'",
    );
}

#[test]
fn bad_wkt_is_refused_at_the_offending_token() {
    assert_error(
        "S_INTERSECTS(geometry, POINT(1))",
        30,
        "expected a coordinate, found ')'",
    );
    assert_error(
        "S_INTERSECTS(geometry, POINT 1 2)",
        29,
        "expected '(' after POINT",
    );
    assert_error(
        "S_INTERSECTS(geometry, POINT(1 2)",
        33,
        "')' to close the spatial operator",
    );
    assert_error(
        "S_INTERSECTS(geometry, POINT(1 2 3 4))",
        35,
        "')' after the point's coordinates",
    );
    assert_error(
        "S_INTERSECTS(geometry, LINESTRING(1 2))",
        33,
        "at least 2 positions",
    );
    assert_error(
        "S_INTERSECTS(geometry, POLYGON((0 0,1 0,0 0)))",
        31,
        "at least 4 positions",
    );
    assert_error(
        "S_INTERSECTS(geometry, POLYGON((0 0,1 0,1 1,0 1)))",
        31,
        "must be closed",
    );
    assert_error(
        "S_INTERSECTS(geometry, CIRCLE(1 2, 3))",
        23,
        "unsupported geometry type 'CIRCLE'",
    );
    assert_error(
        "S_INTERSECTS(geometry, POINT EMPTY)",
        29,
        "expected '(' after POINT",
    );
    assert_error("S_INTERSECTS(geometry, BBOX(1,2,3))", 27, "4 or 6 numbers");
    assert_error(
        "S_INTERSECTS(geometry, BBOX(3,2,1,4))",
        27,
        "greater than its maximum",
    );
    assert_error("S_INTERSECTS(town, floors)", 19, "not two properties");
    assert_error(
        "S_INTERSECTS(POINT(1 2), POINT(3 4))",
        25,
        "needs the geometry property",
    );
}

#[test]
fn non_finite_coordinates_are_refused() {
    assert_error(
        "S_INTERSECTS(geometry, POINT(1e999 0))",
        29,
        "'1e999' is not a finite number",
    );
    assert_error(
        "S_INTERSECTS(geometry, POINT(0 -1e400))",
        31,
        "not a finite number",
    );
    assert_error(
        "S_INTERSECTS(geometry, POINT(NaN 0))",
        29,
        "expected a coordinate, found 'NaN'",
    );
    assert_error(
        "S_INTERSECTS(geometry, POINT(inf 0))",
        29,
        "expected a coordinate, found 'inf'",
    );
    assert_error(
        "S_INTERSECTS(geometry, BBOX(0,0,1e400,1))",
        32,
        "not a finite number",
    );
}

#[test]
fn nesting_deeper_than_the_limit_is_an_error_not_a_stack_overflow() {
    let nested = |n: usize| format!("{}town IS NULL{}", "(".repeat(n), ")".repeat(n));
    parse_ok(&nested(MAX_DEPTH));
    assert_error(
        &nested(MAX_DEPTH + 1),
        MAX_DEPTH,
        "nested deeper than 50 levels",
    );
    assert_error(&"(".repeat(9_000), MAX_DEPTH, "nested deeper");

    let nots = |n: usize| format!("{}town IS NULL", "NOT ".repeat(n));
    parse_ok(&nots(MAX_DEPTH));
    assert_error(&nots(MAX_DEPTH + 1), 4 * MAX_DEPTH, "nested deeper");

    // The spatial operator is one level, each collection another.
    let collections = |n: usize| {
        format!(
            "S_INTERSECTS(geometry, {}POINT(1 2){})",
            "GEOMETRYCOLLECTION(".repeat(n),
            ")".repeat(n)
        )
    };
    parse_ok(&collections(MAX_DEPTH - 1));
    let at = 23 + (MAX_DEPTH - 1) * "GEOMETRYCOLLECTION(".len();
    assert_error(&collections(MAX_DEPTH), at, "nested deeper");
}

#[test]
fn filters_longer_than_the_limit_are_refused_before_lexing() {
    let fits = format!("town = '{}'", "x".repeat(MAX_FILTER_BYTES - 9));
    assert_eq!(fits.len(), MAX_FILTER_BYTES);
    parse_ok(&fits);
    let long = format!("town = '{}'", "x".repeat(MAX_FILTER_BYTES - 8));
    assert_error(&long, MAX_FILTER_BYTES, "longer than 10000 bytes");
}

#[test]
fn more_than_ten_thousand_coordinates_are_refused() {
    // 10,000 positions do not fit in 10,000 bytes, so lift only the byte cap.
    let limits = Limits {
        bytes: usize::MAX,
        ..Limits::DEFAULT
    };
    let points = |n: usize| {
        let body = vec!["1 2"; n].join(",");
        format!("S_INTERSECTS(geometry, MULTIPOINT({body}))")
    };
    assert!(parse_within(&points(10_000), limits).is_ok());
    let e = parse_within(&points(10_001), limits).expect_err("too many");
    assert!(e.message.contains("more than 10000 coordinates"), "{e}");
    assert_eq!(
        e.position,
        "S_INTERSECTS(geometry, MULTIPOINT(".len() + 10_000 * 4
    );
}

#[test]
fn unknown_properties_are_named_in_the_error() {
    let e = compile_err("parcel_no = 'x'");
    assert_eq!(e.position, 0);
    assert!(e.message.contains("unknown property 'parcel_no'"), "{e}");
    let e = compile_err("town = 'a' AND (floors > 1 OR \"Town\" IS NULL)");
    assert!(e.message.contains("'Town'"), "{e}");
    let e = compile_err("geometry = 'POINT(1 2)'");
    assert!(
        e.message.contains("only be used in spatial operators"),
        "{e}"
    );
}

#[test]
fn literals_of_the_wrong_type_for_their_property_are_refused() {
    let e = compile_err("area > 'big'");
    assert!(
        e.message.contains("property 'area' is a number property"),
        "{e}"
    );
    assert!(e.message.contains("'big' is not a number"), "{e}");
    assert!(compile_err("floors = 'three'")
        .message
        .contains("not an integer"));
    assert!(compile_err("floors BETWEEN 1 AND 2.5")
        .message
        .contains("whole number"));
    assert!(compile_err("surveyed = 1").message.contains("'surveyed'"));
    assert!(compile_err("registered_on = 20230630")
        .message
        .contains("DATE('YYYY-MM-DD')"));
    assert!(compile_err("town = TRUE")
        .message
        .contains("cannot be compared"));
    assert!(compile_err("floors IN (1, 'x')")
        .message
        .contains("'x' is not an integer"));
    assert!(compile_err("floors LIKE '1%'")
        .message
        .contains("LIKE needs a text property"));
}

#[test]
fn spatial_operators_take_only_the_geometry_property() {
    let e = compile_err("S_INTERSECTS(town, POINT(1 2))");
    assert!(
        e.message.contains("property 'town' is not a geometry"),
        "{e}"
    );
    let e = compile_err("S_WITHIN(footprint, BBOX(0,0,1,1))");
    assert!(e.message.contains("unknown property 'footprint'"), "{e}");
}

#[test]
fn a_refused_filter_leaves_the_query_builder_untouched() {
    let start = "SELECT p.id FROM parcels p WHERE ";
    let expr = parse_ok("town = 'a' AND (floors > 2 OR nope = 1)");
    let mut qb = QueryBuilder::<Postgres>::new(start);
    assert!(push_sql(&expr, &parcels(), 4326, &mut qb).is_err());
    assert_eq!(qb.sql(), start);
}

#[test]
fn an_expression_built_too_deep_in_code_is_refused_not_overflowed() {
    let mut expr = Expr::Bool(true);
    for _ in 0..10_000 {
        expr = Expr::Not(Box::new(expr));
    }
    let mut qb = QueryBuilder::<Postgres>::new("");
    let e = push_sql(&expr, &parcels(), 4326, &mut qb).expect_err("too deep");
    assert!(e.message.contains("nested too deeply"), "{e}");
    // Unwind by hand: dropping 10,000 nested boxes recursively is the test's
    // own risk, not the module's.
    while let Expr::Not(inner) = expr {
        expr = *inner;
    }
}

#[test]
fn errors_display_their_message_and_position() {
    let e = ParseError {
        position: 7,
        message: "unterminated string".into(),
    };
    assert_eq!(e.to_string(), "unterminated string (at byte 7)");
}
