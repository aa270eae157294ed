//! Compiles an [`Expr`] onto a `QueryBuilder`.
//!
//! Two passes: [`resolve`] checks every property and literal against the
//! queryables and converts the literals, then [`emit`] writes SQL and binds
//! values and cannot fail — so a refused filter leaves the builder untouched.
//! The only text written besides fixed SQL is the queryables' trusted SQL
//! expressions and the two SRIDs, formatted from `i32`.
//!
//! Spatial literals are `ST_GeomFromText($n, filter_srid)`, inside
//! `ST_Transform(…, collection_srid)` when the SRIDs differ, inside
//! `ST_MakeValid(…)` when polygonal.

use sqlx::{Postgres, QueryBuilder};

use super::coerce::{self, Value, Values};
use super::queryables::{Sql, GEOMETRY};
use super::{Expr, GeomKind, ParseError, QType, Queryables, MAX_DEPTH};

/// Deepest `Expr` accepted; parsed filters stay well within it (each level
/// of parentheses adds at most an OR and an AND).
const MAX_EXPR_DEPTH: usize = 4 * MAX_DEPTH;

/// A checked filter, ready to write.
enum Node {
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
    Compare {
        sql: Sql,
        op: &'static str,
        value: Value,
    },
    Like {
        sql: Sql,
        pattern: String,
        negated: bool,
    },
    Between {
        sql: Sql,
        low: Value,
        high: Value,
        negated: bool,
    },
    In {
        sql: Sql,
        values: Values,
        negated: bool,
    },
    IsNull {
        sql: Sql,
        negated: bool,
    },
    Spatial(Spatial),
    Bool(bool),
}

/// A spatial test of the geometry column against a bound WKT literal.
struct Spatial {
    function: &'static str,
    sql: &'static str,
    wkt: String,
    from_srid: i32,
    to_srid: i32,
    /// Polygonal literals may be invalid (a self-crossing ring), which makes
    /// GEOS raise `TopologyException` in most predicates; `ST_MakeValid`
    /// repairs them and returns valid ones unchanged.
    make_valid: bool,
}

/// Checks property names and literal types against the queryables (unknown
/// property → error naming it; a literal that does not read as the
/// property's type → error) and appends SQL. `filter_srid`: SRID of geometry
/// literals (4326 for the CRS84 default, or what `filter-crs` says); literals
/// are transformed to the collection's SRID with `ST_Transform` when they differ.
///
/// # Errors
///
/// An unknown property, a literal that does not fit its property's type, a
/// non-geometry property in a spatial operator, or LIKE on a non-text
/// property. Nothing is appended then. Errors carry position 0 (see [`ParseError`]).
pub fn push_sql<'a>(
    expr: &'a Expr,
    q: &Queryables,
    filter_srid: i32,
    qb: &mut QueryBuilder<'a, Postgres>,
) -> Result<(), ParseError> {
    let node = resolve(expr, q, filter_srid, 0)?;
    emit(node, qb);
    Ok(())
}

fn lookup(q: &Queryables, prop: &str) -> Result<(Sql, QType), ParseError> {
    if prop == GEOMETRY && q.get(prop).is_none() {
        return Err(ParseError::new(
            0,
            "property 'geometry' can only be used in spatial operators and IS NULL",
        ));
    }
    q.sql(prop)
}

fn resolve(expr: &Expr, q: &Queryables, srid: i32, depth: usize) -> Result<Node, ParseError> {
    if depth > MAX_EXPR_DEPTH {
        return Err(ParseError::new(0, "filter is nested too deeply"));
    }
    let all = |exprs: &[Expr]| -> Result<Vec<Node>, ParseError> {
        exprs
            .iter()
            .map(|e| resolve(e, q, srid, depth + 1))
            .collect()
    };
    Ok(match expr {
        Expr::And(exprs) => Node::And(all(exprs)?),
        Expr::Or(exprs) => Node::Or(all(exprs)?),
        Expr::Not(inner) => Node::Not(Box::new(resolve(inner, q, srid, depth + 1)?)),
        Expr::Bool(b) => Node::Bool(*b),
        Expr::Compare { prop, op, value } => {
            let (sql, ty) = lookup(q, prop)?;
            let value = coerce::value(value, ty, prop)?;
            Node::Compare {
                sql,
                op: op.sql(),
                value,
            }
        }
        Expr::Like {
            prop,
            pattern,
            negated,
        } => {
            let (sql, ty) = lookup(q, prop)?;
            if ty != QType::Text {
                return Err(ParseError::new(
                    0,
                    format!(
                        "LIKE needs a text property; '{prop}' is {} property",
                        ty.noun()
                    ),
                ));
            }
            Node::Like {
                sql,
                pattern: pattern.clone(),
                negated: *negated,
            }
        }
        Expr::Between {
            prop,
            low,
            high,
            negated,
        } => {
            let (sql, ty) = lookup(q, prop)?;
            let low = coerce::value(low, ty, prop)?;
            let high = coerce::value(high, ty, prop)?;
            Node::Between {
                sql,
                low,
                high,
                negated: *negated,
            }
        }
        Expr::In {
            prop,
            values,
            negated,
        } => {
            let (sql, ty) = lookup(q, prop)?;
            let values = coerce::values(values, ty, prop)?;
            Node::In {
                sql,
                values,
                negated: *negated,
            }
        }
        Expr::IsNull { prop, negated } => Node::IsNull {
            sql: nullable(q, prop)?,
            negated: *negated,
        },
        Expr::Spatial { op, prop, geom } => {
            geometry_only(q, prop)?;
            Node::Spatial(Spatial {
                function: op.sql_function(),
                sql: q.geometry_sql(),
                wkt: geom.wkt.clone(),
                from_srid: srid,
                to_srid: q.geometry_srid(),
                make_valid: matches!(
                    geom.kind,
                    GeomKind::Polygon | GeomKind::MultiPolygon | GeomKind::GeometryCollection
                ),
            })
        }
    })
}

/// The column an IS NULL tests: any queryable, the geometry included.
fn nullable(q: &Queryables, prop: &str) -> Result<Sql, ParseError> {
    match q.get(prop) {
        None if prop == GEOMETRY => Ok(Sql::Plain(q.geometry_sql())),
        _ => q.sql(prop).map(|(sql, _)| sql),
    }
}

/// Spatial operators take the geometry and nothing else.
fn geometry_only(q: &Queryables, prop: &str) -> Result<(), ParseError> {
    if prop == GEOMETRY {
        return Ok(());
    }
    let message = match q.get(prop) {
        Some(_) => {
            format!("property '{prop}' is not a geometry; spatial operators take '{GEOMETRY}'")
        }
        None => format!("unknown property '{prop}'; spatial operators take '{GEOMETRY}'"),
    };
    Err(ParseError::new(0, message))
}

fn emit(node: Node, qb: &mut QueryBuilder<'_, Postgres>) {
    match node {
        Node::And(nodes) => join(nodes, " AND ", "TRUE", qb),
        Node::Or(nodes) => join(nodes, " OR ", "FALSE", qb),
        Node::Not(inner) => {
            qb.push("(NOT ");
            emit(*inner, qb);
            qb.push(")");
        }
        Node::Bool(b) => {
            qb.push(if b { "TRUE" } else { "FALSE" });
        }
        Node::Compare { sql, op, value } => {
            qb.push("(");
            sql.push(qb);
            qb.push(" ").push(op).push(" ");
            bind(value, qb);
            qb.push(")");
        }
        Node::Like {
            sql,
            pattern,
            negated,
        } => {
            let op = if negated { " NOT LIKE " } else { " LIKE " };
            qb.push("(");
            sql.push(qb);
            qb.push(op).push_bind(pattern).push(")");
        }
        Node::Between {
            sql,
            low,
            high,
            negated,
        } => {
            let op = if negated {
                " NOT BETWEEN "
            } else {
                " BETWEEN "
            };
            qb.push("(");
            sql.push(qb);
            qb.push(op);
            bind(low, qb);
            qb.push(" AND ");
            bind(high, qb);
            qb.push(")");
        }
        Node::In {
            sql,
            values,
            negated,
        } => {
            qb.push(if negated { "(NOT (" } else { "(" });
            sql.push(qb);
            qb.push(" = ANY(");
            bind_array(values, qb);
            qb.push(if negated { ")))" } else { "))" });
        }
        Node::IsNull { sql, negated } => {
            let test = if negated {
                " IS NOT NULL)"
            } else {
                " IS NULL)"
            };
            qb.push("(");
            sql.push(qb);
            qb.push(test);
        }
        Node::Spatial(spatial) => emit_spatial(spatial, qb),
    }
}

/// `ST_<Op>(col, [ST_MakeValid(][ST_Transform(]ST_GeomFromText($n, from)[, to)][)])`.
fn emit_spatial(s: Spatial, qb: &mut QueryBuilder<'_, Postgres>) {
    let transform = s.from_srid != s.to_srid;
    qb.push(s.function).push("(").push(s.sql).push(", ");
    if s.make_valid {
        qb.push("ST_MakeValid(");
    }
    if transform {
        qb.push("ST_Transform(");
    }
    qb.push("ST_GeomFromText(")
        .push_bind(s.wkt)
        .push(", ")
        .push(s.from_srid)
        .push(")");
    if transform {
        qb.push(", ").push(s.to_srid).push(")");
    }
    if s.make_valid {
        qb.push(")");
    }
    qb.push(")");
}

/// `(a <sep> b ...)`, or `empty` for no operands.
fn join(nodes: Vec<Node>, sep: &str, empty: &str, qb: &mut QueryBuilder<'_, Postgres>) {
    if nodes.is_empty() {
        qb.push(empty);
        return;
    }
    qb.push("(");
    for (i, node) in nodes.into_iter().enumerate() {
        if i > 0 {
            qb.push(sep);
        }
        emit(node, qb);
    }
    qb.push(")");
}

fn bind(value: Value, qb: &mut QueryBuilder<'_, Postgres>) {
    match value {
        Value::Text(v) => qb.push_bind(v),
        Value::Integer(v) => qb.push_bind(v),
        Value::Number(v) => qb.push_bind(v),
        Value::Bool(v) => qb.push_bind(v),
        Value::Date(v) => qb.push_bind(v),
        Value::Timestamp(v) => qb.push_bind(v),
    };
}

fn bind_array(values: Values, qb: &mut QueryBuilder<'_, Postgres>) {
    match values {
        Values::Text(v) => qb.push_bind(v),
        Values::Integer(v) => qb.push_bind(v),
        Values::Number(v) => qb.push_bind(v),
        Values::Bool(v) => qb.push_bind(v),
        Values::Date(v) => qb.push_bind(v),
        Values::Timestamp(v) => qb.push_bind(v),
    };
}
