//! Turns a literal into the Rust value bound for a queryable of a given type.
//!
//! The queryable decides the parameter's type, so `floors = '3'` binds the
//! integer 3 and `code = 42` binds the text "42"; a literal that cannot be
//! read as the queryable's type is an error naming the property.

use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime};

use super::{Literal, ParseError, QType};

/// One bound parameter.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Value {
    Text(String),
    Integer(i64),
    Number(f64),
    Bool(bool),
    Date(Date),
    Timestamp(OffsetDateTime),
}

/// One bound array parameter, for `= ANY($n)`.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Values {
    Text(Vec<String>),
    Integer(Vec<i64>),
    Number(Vec<f64>),
    Bool(Vec<bool>),
    Date(Vec<Date>),
    Timestamp(Vec<OffsetDateTime>),
}

/// Why a literal does not fit; the caller adds the property.
type Misfit = &'static str;

/// Converts `lit` for a queryable named `prop` of type `ty`.
pub(super) fn value(lit: &Literal, ty: QType, prop: &str) -> Result<Value, ParseError> {
    let fit = match ty {
        QType::Text => to_text(lit).map(Value::Text),
        QType::Integer => to_integer(lit).map(Value::Integer),
        QType::Number => to_number(lit).map(Value::Number),
        QType::Boolean => to_bool(lit).map(Value::Bool),
        QType::Date => to_date(lit).map(Value::Date),
        QType::Timestamp => to_timestamp(lit).map(Value::Timestamp),
    };
    fit.map_err(|why| misfit(lit, ty, prop, why))
}

/// Converts every literal of an IN list for a queryable named `prop` of type `ty`.
pub(super) fn values(lits: &[Literal], ty: QType, prop: &str) -> Result<Values, ParseError> {
    fn all<T>(
        lits: &[Literal],
        ty: QType,
        prop: &str,
        f: fn(&Literal) -> Result<T, Misfit>,
    ) -> Result<Vec<T>, ParseError> {
        lits.iter()
            .map(|lit| f(lit).map_err(|why| misfit(lit, ty, prop, why)))
            .collect()
    }
    Ok(match ty {
        QType::Text => Values::Text(all(lits, ty, prop, to_text)?),
        QType::Integer => Values::Integer(all(lits, ty, prop, to_integer)?),
        QType::Number => Values::Number(all(lits, ty, prop, to_number)?),
        QType::Boolean => Values::Bool(all(lits, ty, prop, to_bool)?),
        QType::Date => Values::Date(all(lits, ty, prop, to_date)?),
        QType::Timestamp => Values::Timestamp(all(lits, ty, prop, to_timestamp)?),
    })
}

fn misfit(lit: &Literal, ty: QType, prop: &str, why: Misfit) -> ParseError {
    ParseError::new(
        0,
        format!(
            "property '{prop}' is {} property; {} {why}",
            ty.noun(),
            describe(lit)
        ),
    )
}

fn describe(lit: &Literal) -> String {
    match lit {
        Literal::Text(s) if s.chars().count() <= 40 => format!("the text '{s}'"),
        Literal::Text(_) => "the text".to_owned(),
        Literal::Number(n) => format!("the number {n}"),
        Literal::Integer(i) => format!("the integer {i}"),
        Literal::Bool(b) => format!("the boolean {b}"),
        Literal::Date(d) => format!("the date {d}"),
        Literal::Timestamp(_) => "the timestamp".to_owned(),
    }
}

fn to_text(lit: &Literal) -> Result<String, Misfit> {
    match lit {
        Literal::Text(s) => Ok(s.clone()),
        Literal::Integer(i) => Ok(i.to_string()),
        Literal::Number(n) => Ok(n.to_string()),
        _ => Err("cannot be compared with it"),
    }
}

fn to_integer(lit: &Literal) -> Result<i64, Misfit> {
    // i64::MIN is exactly representable; i64::MAX rounds up to 2^63, hence `<`.
    const LOW: f64 = -9_223_372_036_854_775_808.0;
    const HIGH: f64 = 9_223_372_036_854_775_808.0;
    match lit {
        Literal::Integer(i) => Ok(*i),
        #[allow(clippy::cast_possible_truncation)]
        Literal::Number(n) if n.fract() == 0.0 && *n >= LOW && *n < HIGH => Ok(*n as i64),
        Literal::Number(_) => Err("is not a whole number in range"),
        Literal::Text(s) => s.trim().parse().map_err(|_| "is not an integer"),
        _ => Err("cannot be compared with it"),
    }
}

fn to_number(lit: &Literal) -> Result<f64, Misfit> {
    match lit {
        #[allow(clippy::cast_precision_loss)]
        Literal::Integer(i) => Ok(*i as f64),
        Literal::Number(n) => Ok(*n),
        Literal::Text(s) => match s.trim().parse::<f64>() {
            Ok(n) if n.is_finite() => Ok(n),
            _ => Err("is not a number"),
        },
        _ => Err("cannot be compared with it"),
    }
}

fn to_bool(lit: &Literal) -> Result<bool, Misfit> {
    match lit {
        Literal::Bool(b) => Ok(*b),
        Literal::Text(s) if s.eq_ignore_ascii_case("true") => Ok(true),
        Literal::Text(s) if s.eq_ignore_ascii_case("false") => Ok(false),
        Literal::Text(_) => Err("is not TRUE or FALSE"),
        _ => Err("cannot be compared with it"),
    }
}

fn to_date(lit: &Literal) -> Result<Date, Misfit> {
    match lit {
        Literal::Date(d) => Ok(*d),
        Literal::Text(s) => Date::parse(s, format_description!("[year]-[month]-[day]"))
            .map_err(|_| "is not a date (YYYY-MM-DD)"),
        _ => Err("cannot be compared with it; write DATE('YYYY-MM-DD')"),
    }
}

fn to_timestamp(lit: &Literal) -> Result<OffsetDateTime, Misfit> {
    match lit {
        Literal::Timestamp(t) => Ok(*t),
        // A date stands for its first instant, in UTC.
        Literal::Date(d) => Ok(d.midnight().assume_utc()),
        Literal::Text(s) => {
            OffsetDateTime::parse(s, &Rfc3339).map_err(|_| "is not an RFC 3339 timestamp")
        }
        _ => Err("cannot be compared with it; write TIMESTAMP('YYYY-MM-DDThh:mm:ssZ')"),
    }
}
