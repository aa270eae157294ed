//! Tests: parsing, compiling, errors with their positions, and the
//! standard's own text-encoding examples.

mod compiling;
mod errors;
mod parsing;
mod robustness;
mod standard_examples;

use sqlx::{Arguments, Execute, Postgres, QueryBuilder};

use super::{parse, push_sql, Expr, Literal, ParseError, QType, Queryables};

/// The parcels collection as the tests see it.
fn parcels() -> Queryables {
    Queryables::new("p.geom", 4490)
        .with("town", "p.town", QType::Text)
        .with("code", "p.code", QType::Text)
        .with("floors", "p.floors", QType::Integer)
        .with("area", "p.area_m2", QType::Number)
        .with("surveyed", "p.surveyed", QType::Boolean)
        .with("registered_on", "p.registered_on", QType::Date)
        .with("updated", "p.updated_at", QType::Timestamp)
        .with("land use", "p.land_use", QType::Text)
}

/// The SQL a filter compiles to and how many parameters it binds.
#[derive(Debug)]
struct Compiled {
    sql: String,
    params: usize,
}

fn try_compile(text: &str, q: &Queryables, filter_srid: i32) -> Result<Compiled, ParseError> {
    let expr = parse(text)?;
    let mut qb = QueryBuilder::<Postgres>::new("");
    push_sql(&expr, q, filter_srid, &mut qb)?;
    let sql = qb.sql().to_owned();
    let mut query = qb.build();
    let params = query
        .take_arguments()
        .expect("arguments encode")
        .map_or(0, |args| args.len());
    Ok(Compiled { sql, params })
}

/// Compiles against [`parcels`] with CRS84 literals, and checks that the SQL
/// names exactly the placeholders `$1…$n` for the `n` parameters bound.
fn compile(text: &str) -> Compiled {
    let compiled = try_compile(text, &parcels(), 4326).expect("filter compiles");
    assert_placeholders(&compiled);
    compiled
}

fn assert_placeholders(c: &Compiled) {
    for n in 1..=c.params {
        assert!(
            c.sql.contains(&format!("${n}")),
            "${n} missing in {}",
            c.sql
        );
    }
    assert!(
        !c.sql.contains(&format!("${}", c.params + 1)),
        "extra placeholder in {}",
        c.sql
    );
    assert_eq!(c.sql.matches('$').count(), c.params, "{}", c.sql);
    assert!(!c.sql.contains('\''), "a quote reached the SQL: {}", c.sql);
}

fn parse_ok(text: &str) -> Expr {
    parse(text).unwrap_or_else(|e| panic!("{text:?} should parse: {e}"))
}

fn parse_err(text: &str) -> ParseError {
    match parse(text) {
        Ok(expr) => panic!("{text:?} should not parse, got {expr:?}"),
        Err(e) => e,
    }
}

fn compile_err(text: &str) -> ParseError {
    match try_compile(text, &parcels(), 4326) {
        Ok(c) => panic!("{text:?} should not compile, got {}", c.sql),
        Err(e) => e,
    }
}

fn text(s: &str) -> Literal {
    Literal::Text(s.to_owned())
}
