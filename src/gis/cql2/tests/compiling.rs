use sqlx::{Postgres, QueryBuilder};
use time::macros::{date, datetime};

use super::super::coerce::{value, values, Value, Values};
use super::super::{push_sql, Expr, Literal, QType, Queryables};
use super::{assert_placeholders, compile, compile_err, parcels, parse_ok, text, try_compile};

#[test]
fn comparisons_compile_to_the_column_the_operator_and_a_placeholder() {
    for op in ["=", "<>", "<", "<=", ">", ">="] {
        let c = compile(&format!("floors {op} 12"));
        assert_eq!(c.sql, format!("(p.floors {op} $1)"));
        assert_eq!(c.params, 1);
    }
    let c = compile("town = 'Xiangyang'");
    assert_eq!(c.sql, "(p.town = $1)");
    assert!(!c.sql.contains("Xiangyang"));
}

#[test]
fn like_compiles_to_sql_like_with_the_pattern_bound() {
    let c = compile("town LIKE 'Xiang%'");
    assert_eq!((c.sql.as_str(), c.params), ("(p.town LIKE $1)", 1));
    let c = compile("town NOT LIKE '_iang%'");
    assert_eq!(c.sql, "(p.town NOT LIKE $1)");
    assert!(!c.sql.contains("iang"));
}

#[test]
fn between_compiles_with_both_ends_bound() {
    let c = compile("area BETWEEN 100 AND 250.5");
    assert_eq!(
        (c.sql.as_str(), c.params),
        ("(p.area_m2 BETWEEN $1 AND $2)", 2)
    );
    let c = compile("area NOT BETWEEN 100 AND 250.5");
    assert_eq!(c.sql, "(p.area_m2 NOT BETWEEN $1 AND $2)");
}

#[test]
fn in_lists_compile_to_any_with_one_array_parameter() {
    let c = compile("town IN ('Xiangyang', 'Fancheng', 'Xiangzhou')");
    assert_eq!((c.sql.as_str(), c.params), ("(p.town = ANY($1))", 1));
    let c = compile("floors NOT IN (1, 2, 3)");
    assert_eq!(
        (c.sql.as_str(), c.params),
        ("(NOT (p.floors = ANY($1)))", 1)
    );
}

#[test]
fn is_null_compiles_without_parameters_and_reaches_the_geometry() {
    assert_eq!(compile("town IS NULL").sql, "(p.town IS NULL)");
    assert_eq!(compile("town IS NOT NULL").sql, "(p.town IS NOT NULL)");
    let c = compile("geometry IS NOT NULL");
    assert_eq!((c.sql.as_str(), c.params), ("(p.geom IS NOT NULL)", 0));
}

#[test]
fn boolean_structure_compiles_parenthesised() {
    let c = compile("town = 'a' AND (floors > 3 OR NOT surveyed = true)");
    assert_eq!(
        c.sql,
        "((p.town = $1) AND ((p.floors > $2) OR (NOT (p.surveyed = $3))))"
    );
    assert_eq!(compile("TRUE").sql, "TRUE");
    assert_eq!(
        compile("FALSE OR town IS NULL").sql,
        "(FALSE OR (p.town IS NULL))"
    );
}

#[test]
fn empty_and_or_lists_compile_to_their_identities() {
    for (expr, sql) in [(Expr::And(vec![]), "TRUE"), (Expr::Or(vec![]), "FALSE")] {
        let mut qb = QueryBuilder::<Postgres>::new("");
        push_sql(&expr, &parcels(), 4326, &mut qb).expect("compiles");
        assert_eq!(qb.sql(), sql);
    }
}

#[test]
fn spatial_literals_are_bound_as_wkt_and_transformed_only_when_srids_differ() {
    let c = compile("S_INTERSECTS(geometry, POINT(112.1 32.0))");
    assert_eq!(
        c.sql,
        "ST_Intersects(p.geom, ST_Transform(ST_GeomFromText($1, 4326), 4490))"
    );
    assert_eq!(c.params, 1);
    assert!(!c.sql.contains("112.1"));
    let same = try_compile(
        "S_WITHIN(geometry, BBOX(112, 31, 113, 32))",
        &parcels(),
        4490,
    )
    .expect("compiles");
    assert_eq!(
        same.sql,
        "ST_Within(p.geom, ST_MakeValid(ST_GeomFromText($1, 4490)))"
    );
    let projected = try_compile(
        "S_WITHIN(geometry, POINT(38500000 3500000))",
        &parcels(),
        4526,
    )
    .expect("compiles");
    assert!(projected
        .sql
        .contains("ST_Transform(ST_GeomFromText($1, 4526), 4490)"));
}

#[test]
fn polygonal_literals_are_made_valid_and_points_and_lines_are_not() {
    let c = compile("S_DISJOINT(geometry, POLYGON((0 0,2 2,0 2,2 0,0 0)))");
    assert_eq!(
        c.sql,
        "ST_Disjoint(p.geom, ST_MakeValid(ST_Transform(ST_GeomFromText($1, 4326), 4490)))"
    );
    for literal in [
        "MULTIPOLYGON(((0 0,1 0,1 1,0 0)))",
        "GEOMETRYCOLLECTION(POINT(1 2))",
        "BBOX(0,0,1,1)",
    ] {
        let c = compile(&format!("S_TOUCHES(geometry, {literal})"));
        assert!(c.sql.contains("ST_MakeValid("), "{literal}: {}", c.sql);
    }
    for literal in [
        "POINT(1 2)",
        "LINESTRING(0 0,1 1)",
        "MULTIPOINT(1 2)",
        "MULTILINESTRING((0 0,1 1))",
    ] {
        let c = compile(&format!("S_TOUCHES(geometry, {literal})"));
        assert!(!c.sql.contains("ST_MakeValid("), "{literal}: {}", c.sql);
    }
}

#[test]
fn each_spatial_operator_compiles_to_its_postgis_function() {
    for (cql, function) in [
        ("S_INTERSECTS", "ST_Intersects"),
        ("S_DISJOINT", "ST_Disjoint"),
        ("S_WITHIN", "ST_Within"),
        ("S_CONTAINS", "ST_Contains"),
        ("S_OVERLAPS", "ST_Overlaps"),
        ("S_TOUCHES", "ST_Touches"),
        ("S_CROSSES", "ST_Crosses"),
        ("S_EQUALS", "ST_Equals"),
    ] {
        let c = compile(&format!("{cql}(geometry, LINESTRING(0 0, 1 1))"));
        assert!(
            c.sql.starts_with(&format!("{function}(p.geom, ")),
            "{}",
            c.sql
        );
    }
}

#[test]
fn literals_are_bound_in_the_queryables_type() {
    let ok = |lit: Literal, ty| value(&lit, ty, "p").expect("fits");
    assert_eq!(
        ok(Literal::Integer(42), QType::Text),
        Value::Text("42".into())
    );
    assert_eq!(
        ok(Literal::Number(2.5), QType::Text),
        Value::Text("2.5".into())
    );
    assert_eq!(ok(text("17"), QType::Integer), Value::Integer(17));
    assert_eq!(ok(Literal::Number(3.0), QType::Integer), Value::Integer(3));
    assert_eq!(ok(Literal::Integer(3), QType::Number), Value::Number(3.0));
    assert_eq!(ok(text("0.5"), QType::Number), Value::Number(0.5));
    assert_eq!(ok(text("TRUE"), QType::Boolean), Value::Bool(true));
    assert_eq!(
        ok(text("2023-06-30"), QType::Date),
        Value::Date(date!(2023 - 06 - 30))
    );
    assert_eq!(
        ok(Literal::Date(date!(2023 - 06 - 30)), QType::Timestamp),
        Value::Timestamp(datetime!(2023-06-30 00:00 UTC))
    );
}

#[test]
fn literals_that_do_not_read_as_the_queryables_type_are_refused() {
    let bad = |lit: Literal, ty| value(&lit, ty, "p").expect_err("misfit").message;
    assert!(bad(text("ten"), QType::Integer).contains("is not an integer"));
    assert!(bad(text("NaN"), QType::Number).contains("is not a number"));
    assert!(bad(text("inf"), QType::Number).contains("is not a number"));
    assert!(bad(Literal::Number(3.5), QType::Integer).contains("whole number"));
    assert!(bad(Literal::Number(1e19), QType::Integer).contains("whole number"));
    assert!(bad(Literal::Bool(true), QType::Text).contains("cannot be compared"));
    assert!(bad(Literal::Integer(1), QType::Boolean).contains("cannot be compared"));
    assert!(bad(text("30/06/2023"), QType::Date).contains("is not a date"));
}

#[test]
fn in_list_members_are_converted_to_one_typed_array() {
    let lits = [text("1"), Literal::Integer(2), Literal::Number(3.0)];
    assert_eq!(
        values(&lits, QType::Integer, "floors"),
        Ok(Values::Integer(vec![1, 2, 3]))
    );
    let lits = [text("a"), Literal::Integer(7)];
    assert_eq!(
        values(&lits, QType::Text, "town"),
        Ok(Values::Text(vec!["a".into(), "7".into()]))
    );
    let e =
        values(&[Literal::Integer(1), text("x")], QType::Integer, "floors").expect_err("misfit");
    assert!(
        e.message.contains("'floors'") && e.message.contains("'x'"),
        "{}",
        e.message
    );
}

#[test]
fn an_injection_attempt_stays_a_bound_literal() {
    let filter = "town = 'x''; DROP TABLE parcels; --'";
    let c = compile(filter);
    assert_eq!((c.sql.as_str(), c.params), ("(p.town = $1)", 1));
    assert!(!c.sql.contains("DROP"));
    let payload = text("x'; DROP TABLE parcels; --");
    assert_eq!(
        parse_ok(filter),
        Expr::Compare {
            prop: "town".into(),
            op: super::super::CmpOp::Eq,
            value: payload.clone()
        }
    );
    assert_eq!(
        value(&payload, QType::Text, "town"),
        Ok(Value::Text("x'; DROP TABLE parcels; --".into()))
    );

    let e = compile_err("\"p.town = p.town OR 1\" = 1");
    assert!(e.message.contains("unknown property"), "{}", e.message);
    let c = compile("S_INTERSECTS(geometry, POINT(1 2)) OR town LIKE '%'') OR 1=1 --'");
    assert!(!c.sql.contains("1=1"), "{}", c.sql);
}

#[test]
fn queryables_replace_a_name_added_twice_and_list_in_order() {
    let q = Queryables::new("g", 4490)
        .with("a", "t.a", QType::Text)
        .with("b", "t.b", QType::Integer)
        .with("a", "t.a2", QType::Number);
    assert_eq!(q.get("a"), Some(("t.a2", QType::Number)));
    assert_eq!(q.get("A"), None);
    let names: Vec<_> = q.names().collect();
    assert_eq!(names, vec![("a", QType::Number), ("b", QType::Integer)]);
    assert_eq!((q.geometry_sql(), q.geometry_srid()), ("g", 4490));
}

#[test]
fn a_queryable_that_depends_on_the_date_binds_it_and_is_refused_without_it() {
    let overdue =
        "EXISTS (SELECT 1 FROM filings f WHERE f.parcel_id = p.id AND f.deadline < {today})";
    let q = parcels().with("overdue", overdue, QType::Boolean);
    let today = date!(2024 - 03 - 01);
    let dated = q.clone().on(today);
    let c = try_compile("overdue = TRUE AND town = 'x'", &dated, 4326).expect("compiles");
    assert_placeholders(&c);
    assert_eq!(c.params, 3, "the date, TRUE and 'x' are bound: {}", c.sql);
    assert!(
        !c.sql.contains("{today}") && !c.sql.contains("2024"),
        "{}",
        c.sql
    );
    for text in [
        "overdue IS NULL",
        "NOT overdue = false",
        "overdue IN (true)",
    ] {
        let c = try_compile(text, &dated, 4326).expect("compiles");
        assert_placeholders(&c);
        assert!(!c.sql.contains("{today}"), "{text}: {}", c.sql);
    }
    let e = try_compile("overdue = TRUE", &q, 4326).expect_err("no date given");
    assert!(e.message.contains("depends on the date"), "{}", e.message);
    assert!(
        try_compile("town = 'x'", &q, 4326).is_ok(),
        "other properties need no date"
    );
}
