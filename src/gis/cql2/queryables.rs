//! The properties a collection lets a filter use, and where they live in SQL.

/// The public name of the geometry queryable, the only one spatial operators accept.
pub const GEOMETRY: &str = "geometry";

/// What a collection lets a filter use: property names → how to reach them in SQL.
///
/// The SQL expressions are trusted, static strings written in code; nothing
/// from a filter is ever spliced into SQL text.
#[derive(Debug, Clone)]
pub struct Queryables {
    geometry_sql: &'static str,
    geometry_srid: i32,
    props: Vec<(&'static str, &'static str, QType)>,
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
        }
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
