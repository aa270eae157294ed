//! The properties a collection lets a filter use, and where they live in SQL.

use sqlx::{Postgres, QueryBuilder};
use time::Date;

use super::ParseError;

/// The public name of the geometry queryable, the only one spatial operators accept.
pub const GEOMETRY: &str = "geometry";

/// Where a queryable's SQL needs the request's date ("overdue" depends on the day): the
/// marker is replaced by a bound parameter holding [`Queryables::on`]'s date, never by text.
pub const TODAY: &str = "{today}";

/// What a collection lets a filter use: property names → how to reach them in SQL.
///
/// The SQL expressions are trusted, static strings written in code; nothing
/// from a filter is ever spliced into SQL text.
#[derive(Debug, Clone)]
pub struct Queryables {
    geometry_sql: &'static str,
    geometry_srid: i32,
    props: Vec<(&'static str, &'static str, QType)>,
    today: Option<Date>,
}

/// A queryable's SQL ready to write: fixed text, or fixed text with the date bound into it.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Sql {
    Plain(&'static str),
    Dated(&'static str, Date),
}

impl Sql {
    /// Appends the expression; each [`TODAY`] becomes a bound `date` parameter.
    pub(crate) fn push(self, qb: &mut QueryBuilder<'_, Postgres>) {
        match self {
            Sql::Plain(sql) => {
                qb.push(sql);
            }
            Sql::Dated(sql, today) => {
                for (i, part) in sql.split(TODAY).enumerate() {
                    if i > 0 {
                        qb.push_bind(today);
                    }
                    qb.push(part);
                }
            }
        }
    }
}

/// The type of a queryable, which decides how a literal compared with it is bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QType {
    /// Bound as `String` (`text`).
    Text,
    /// Bound as `i64` (`int8`).
    Integer,
    /// Bound as `f64` (`float8`).
    Number,
    /// Bound as `bool`.
    Boolean,
    /// Bound as `time::Date` (`date`).
    Date,
    /// Bound as `time::OffsetDateTime` (`timestamptz`).
    Timestamp,
}

impl QType {
    /// A noun for error messages: "property 'floors' is an integer".
    #[must_use]
    pub fn noun(self) -> &'static str {
        match self {
            QType::Text => "a text",
            QType::Integer => "an integer",
            QType::Number => "a number",
            QType::Boolean => "a boolean",
            QType::Date => "a date",
            QType::Timestamp => "a timestamp",
        }
    }
}

impl Queryables {
    /// A collection whose geometry (public name `geometry`) is the SQL
    /// expression `geometry_sql`, stored in `geometry_srid`.
    #[must_use]
    pub fn new(geometry_sql: &'static str, geometry_srid: i32) -> Self {
        Queryables {
            geometry_sql,
            geometry_srid,
            props: Vec::new(),
            today: None,
        }
    }

    /// The date that queryables written with [`TODAY`] are evaluated on (Beijing's today
    /// for a request). Without it such queryables are refused.
    #[must_use]
    pub fn on(mut self, today: Date) -> Self {
        self.today = Some(today);
        self
    }

    /// Adds a queryable: its public name, the SQL expression it maps to (a
    /// trusted, static string such as `"p.town"`), and its type. A second
    /// queryable with the same name replaces the first.
    #[must_use]
    pub fn with(mut self, name: &'static str, sql: &'static str, ty: QType) -> Self {
        match self.props.iter_mut().find(|(n, _, _)| *n == name) {
            Some(slot) => *slot = (name, sql, ty),
            None => self.props.push((name, sql, ty)),
        }
        self
    }

    /// The SQL expression and type of a queryable, by its exact public name.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<(&'static str, QType)> {
        self.props
            .iter()
            .find(|(n, _, _)| *n == name)
            .map(|&(_, sql, ty)| (sql, ty))
    }

    /// The SQL of a queryable, ready to write: its date bound where it needs one.
    pub(crate) fn sql(&self, name: &str) -> Result<(Sql, QType), ParseError> {
        let (sql, ty) = self
            .get(name)
            .ok_or_else(|| ParseError::new(0, format!("unknown property '{name}'")))?;
        if !sql.contains(TODAY) {
            return Ok((Sql::Plain(sql), ty));
        }
        match self.today {
            Some(today) => Ok((Sql::Dated(sql, today), ty)),
            None => Err(ParseError::new(
                0,
                format!("property '{name}' depends on the date and cannot be used here"),
            )),
        }
    }

    /// Appends `(<queryable>)::text = $n`: the simple `?name=value` property filter.
    ///
    /// # Errors
    ///
    /// An unknown property, or one that needs a date this set was not given.
    pub fn push_equals_text<'a>(
        &self,
        name: &str,
        value: &'a str,
        qb: &mut QueryBuilder<'a, Postgres>,
    ) -> Result<(), ParseError> {
        let (sql, _) = self.sql(name)?;
        qb.push("(");
        sql.push(qb);
        qb.push(")::text = ").push_bind(value);
        Ok(())
    }

    /// Every non-geometry queryable, in the order added.
    pub fn names(&self) -> impl Iterator<Item = (&'static str, QType)> + '_ {
        self.props.iter().map(|&(name, _, ty)| (name, ty))
    }

    /// The SQL expression of the geometry.
    #[must_use]
    pub fn geometry_sql(&self) -> &'static str {
        self.geometry_sql
    }

    /// The SRID the geometry is stored in.
    #[must_use]
    pub fn geometry_srid(&self) -> i32 {
        self.geometry_srid
    }
}
