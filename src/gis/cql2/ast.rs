//! The parsed form of a CQL2 filter: what `parse` returns and `push_sql` compiles.

/// A parsed filter.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// Every operand holds; an empty list is true.
    And(Vec<Expr>),
    /// At least one operand holds; an empty list is false.
    Or(Vec<Expr>),
    Not(Box<Expr>),
    /// `prop <op> value`.
    Compare {
        prop: String,
        op: CmpOp,
        value: Literal,
    },
    /// `prop [NOT] LIKE 'pattern'`, with CQL2's `%` and `_` wildcards and `\` escapes.
    Like {
        prop: String,
        pattern: String,
        negated: bool,
    },
    /// `prop [NOT] BETWEEN low AND high`, both ends inclusive.
    Between {
        prop: String,
        low: Literal,
        high: Literal,
        negated: bool,
    },
    /// `prop [NOT] IN (v1, v2, ...)`; the list is never empty when parsed.
    In {
        prop: String,
        values: Vec<Literal>,
        negated: bool,
    },
    /// `prop IS [NOT] NULL`.
    IsNull {
        prop: String,
        negated: bool,
    },
    /// `S_<OP>(prop, geometry)`. A filter written with the literal first is
    /// stored with the property first and the converse operator.
    Spatial {
        op: SpatialOp,
        prop: String,
        geom: Geometry,
    },
    /// `TRUE` or `FALSE` on its own.
    Bool(bool),
}

/// A binary comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CmpOp {
    /// The SQL spelling, which is also the CQL2 one.
    #[must_use]
    pub fn sql(self) -> &'static str {
        match self {
            CmpOp::Eq => "=",
            CmpOp::Ne => "<>",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }
}

/// A spatial relation between the geometry property and a literal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpatialOp {
    Intersects,
    Disjoint,
    Within,
    Contains,
    Overlaps,
    Touches,
    Crosses,
    Equals,
}

impl SpatialOp {
    /// Recognises `S_INTERSECTS` and the others, in any case.
    #[must_use]
    pub fn from_keyword(word: &str) -> Option<Self> {
        const OPS: [(&str, SpatialOp); 8] = [
            ("S_INTERSECTS", SpatialOp::Intersects),
            ("S_DISJOINT", SpatialOp::Disjoint),
            ("S_WITHIN", SpatialOp::Within),
            ("S_CONTAINS", SpatialOp::Contains),
            ("S_OVERLAPS", SpatialOp::Overlaps),
            ("S_TOUCHES", SpatialOp::Touches),
            ("S_CROSSES", SpatialOp::Crosses),
            ("S_EQUALS", SpatialOp::Equals),
        ];
        OPS.iter()
            .find(|(kw, _)| kw.eq_ignore_ascii_case(word))
            .map(|&(_, op)| op)
    }

    /// The `PostGIS` function that tests this relation.
    #[must_use]
    pub fn sql_function(self) -> &'static str {
        match self {
            SpatialOp::Intersects => "ST_Intersects",
            SpatialOp::Disjoint => "ST_Disjoint",
            SpatialOp::Within => "ST_Within",
            SpatialOp::Contains => "ST_Contains",
            SpatialOp::Overlaps => "ST_Overlaps",
            SpatialOp::Touches => "ST_Touches",
            SpatialOp::Crosses => "ST_Crosses",
            SpatialOp::Equals => "ST_Equals",
        }
    }

    /// The operator that holds for (b, a) exactly when `self` holds for (a, b).
    #[must_use]
    pub fn converse(self) -> Self {
        match self {
            SpatialOp::Within => SpatialOp::Contains,
            SpatialOp::Contains => SpatialOp::Within,
            symmetric => symmetric,
        }
    }
}

/// A scalar literal as written in the filter, before it meets a queryable's type.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Text(String),
    /// A finite number written with a decimal point or an exponent, or an
    /// integer too large for `i64`.
    Number(f64),
    Integer(i64),
    Bool(bool),
    /// `DATE('2023-06-30')`.
    Date(time::Date),
    /// `TIMESTAMP('2023-06-30T12:00:00Z')`.
    Timestamp(time::OffsetDateTime),
}

/// A geometry literal as WKT for `ST_GeomFromText`, with its kind; parsed and
/// re-serialised from the parsed numbers (never passed through raw). Always
/// two-dimensional: a Z ordinate in the filter is dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Geometry {
    pub kind: GeomKind,
    pub wkt: String,
}

/// The WKT type of a geometry literal. `BBOX`/`ENVELOPE` become a `Polygon`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GeomKind {
    Point,
    LineString,
    Polygon,
    MultiPoint,
    MultiLineString,
    MultiPolygon,
    GeometryCollection,
}
