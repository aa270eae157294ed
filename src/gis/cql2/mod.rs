//! OGC CQL2 text filters (OGC 21-065): Basic CQL2, advanced comparison
//! (`LIKE`, `BETWEEN`, `IN`) and the spatial operators, parsed into an [`Expr`]
//! and compiled onto a `sqlx::QueryBuilder` with every literal bound.
//!
//! Filter text comes from the query string, so parsing never panics and never
//! recurses without bound: the text, the nesting and the coordinate count are
//! capped ([`MAX_FILTER_BYTES`], [`MAX_DEPTH`], [`MAX_COORDINATES`]), and each
//! failure is a [`ParseError`] with the byte offset where it was found.
//!
//! ```text
//! let expr = cql2::parse("town = 'Xiangyang' AND S_INTERSECTS(geometry, BBOX(112, 31, 113, 32))")?;
//! qb.push(" WHERE ");
//! cql2::push_sql(&expr, &queryables, 4326, &mut qb)?;
//! ```

mod ast;
mod coerce;
mod lexer;
mod parser;
mod queryables;
mod sql;
mod wkt;

#[cfg(test)]
mod tests;

use std::fmt;

pub use ast::{CmpOp, Expr, GeomKind, Geometry, Literal, SpatialOp};
pub use queryables::{QType, Queryables, GEOMETRY};
pub use sql::push_sql;

/// The longest filter text accepted, in bytes.
pub const MAX_FILTER_BYTES: usize = 10_000;
/// The deepest nesting accepted; parentheses, `NOT`s, spatial operators and
/// geometry collections each count as one level.
pub const MAX_DEPTH: usize = 50;
/// The most positions all geometry literals in one filter may have together.
pub const MAX_COORDINATES: usize = 10_000;

/// Why a filter was refused: where in the text, and what was wrong.
///
/// Errors from [`push_sql`] (unknown property, wrong literal type) have no
/// place in the text to point at, since [`Expr`] keeps no offsets; their
/// position is 0 and the message names the property.
#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    /// Byte offset into the filter text.
    pub position: usize,
    pub message: String,
}

impl ParseError {
    pub(crate) fn new(position: usize, message: impl Into<String>) -> Self {
        ParseError {
            position,
            message: message.into(),
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at byte {})", self.message, self.position)
    }
}

impl std::error::Error for ParseError {}

/// Parses CQL2 text into an [`Expr`]. Property names are not checked here;
/// [`push_sql`] checks them against a collection's [`Queryables`].
///
/// # Errors
///
/// Any text that is not a filter in the supported classes, or that exceeds
/// the limits, with the byte offset where the problem was found.
pub fn parse(text: &str) -> Result<Expr, ParseError> {
    parse_within(text, Limits::DEFAULT)
}

/// The caps a parse runs under; tests lower or raise them one at a time.
#[derive(Debug, Clone, Copy)]
struct Limits {
    bytes: usize,
    depth: usize,
    coordinates: usize,
}

impl Limits {
    const DEFAULT: Limits = Limits {
        bytes: MAX_FILTER_BYTES,
        depth: MAX_DEPTH,
        coordinates: MAX_COORDINATES,
    };
}

fn parse_within(text: &str, limits: Limits) -> Result<Expr, ParseError> {
    if text.len() > limits.bytes {
        return Err(ParseError::new(
            limits.bytes,
            format!("filter is longer than {} bytes", limits.bytes),
        ));
    }
    let tokens = lexer::tokenize(text)?;
    parser::Parser::new(tokens, text.len(), limits).filter()
}
