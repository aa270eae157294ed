//! Spatial predicates and their geometry literals (WKT, `BBOX`, `ENVELOPE`).
//!
//! Geometries are parsed into numbers, checked (finite coordinates, enough
//! positions, closed rings, at most [`super::MAX_COORDINATES`]) and written back out
//! as fresh WKT, so nothing of the filter text reaches `PostGIS` unparsed.

use std::fmt::Write;

use super::lexer::Tok;
use super::parser::Parser;
use super::{Expr, GeomKind, Geometry, ParseError, SpatialOp};

/// The tags that open a geometry literal.
#[derive(Clone, Copy)]
enum Tag {
    Kind(GeomKind),
    Bbox,
}

const TAGS: [(&str, Tag); 9] = [
    ("POINT", Tag::Kind(GeomKind::Point)),
    ("LINESTRING", Tag::Kind(GeomKind::LineString)),
    ("POLYGON", Tag::Kind(GeomKind::Polygon)),
    ("MULTIPOINT", Tag::Kind(GeomKind::MultiPoint)),
    ("MULTILINESTRING", Tag::Kind(GeomKind::MultiLineString)),
    ("MULTIPOLYGON", Tag::Kind(GeomKind::MultiPolygon)),
    (
        "GEOMETRYCOLLECTION",
        Tag::Kind(GeomKind::GeometryCollection),
    ),
    ("BBOX", Tag::Bbox),
    ("ENVELOPE", Tag::Bbox),
];

fn tag_of(tok: &Tok<'_>) -> Option<(&'static str, Tag)> {
    let Tok::Word(w) = tok else { return None };
    TAGS.iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(w))
        .copied()
}

/// One argument of a spatial operator.
enum Arg {
    Prop(String),
    Geom(Geometry),
}

type Pos = (f64, f64);

impl Parser<'_> {
    /// `S_<OP>(a, b)` where one of a, b is a property and the other a geometry literal.
    pub(super) fn spatial(&mut self, op: SpatialOp) -> Result<Expr, ParseError> {
        self.advance();
        self.enter()?;
        self.expect(&Tok::LParen, "'('")?;
        let first = self.spatial_arg()?;
        self.expect(&Tok::Comma, "','")?;
        let second_pos = self.pos();
        let second = self.spatial_arg()?;
        self.expect(&Tok::RParen, "')' to close the spatial operator")?;
        self.leave();
        match (first, second) {
            (Arg::Prop(prop), Arg::Geom(geom)) => Ok(Expr::Spatial { op, prop, geom }),
            (Arg::Geom(geom), Arg::Prop(prop)) => Ok(Expr::Spatial {
                op: op.converse(),
                prop,
                geom,
            }),
            (Arg::Prop(_), Arg::Prop(_)) => Err(ParseError::new(
                second_pos,
                "a spatial operator compares a property with a geometry literal, not two properties",
            )),
            (Arg::Geom(_), Arg::Geom(_)) => Err(ParseError::new(
                second_pos,
                "a spatial operator needs the geometry property as one argument",
            )),
        }
    }

    fn spatial_arg(&mut self) -> Result<Arg, ParseError> {
        if let (Tok::Word(w), Tok::LParen) = (self.peek(), self.peek_nth(1)) {
            if tag_of(self.peek()).is_none() {
                return Err(self.error_here(format!("unsupported geometry type '{w}'")));
            }
        }
        let is_literal =
            tag_of(self.peek()).is_some() && !matches!(self.peek_nth(1), Tok::Comma | Tok::RParen);
        if is_literal {
            self.geometry().map(Arg::Geom)
        } else {
            self.property().map(Arg::Prop)
        }
    }

    /// A geometry literal, re-serialised as two-dimensional WKT.
    pub(super) fn geometry(&mut self) -> Result<Geometry, ParseError> {
        let Some((name, tag)) = tag_of(self.peek()) else {
            return Err(self.expected("a geometry literal"));
        };
        let nests = matches!(tag, Tag::Kind(GeomKind::GeometryCollection));
        if nests {
            self.enter()?;
        }
        self.advance();
        let kind = match tag {
            Tag::Bbox => return self.bbox(),
            Tag::Kind(kind) => kind,
        };
        self.eat_kw("Z");
        let mut wkt = name.to_owned();
        match kind {
            GeomKind::Point => {
                self.expect(&Tok::LParen, "'(' after POINT")?;
                let p = self.position()?;
                self.expect(&Tok::RParen, "')' after the point's coordinates")?;
                write_positions(&mut wkt, &[p]);
            }
            GeomKind::LineString => {
                let line = self.line()?;
                write_positions(&mut wkt, &line);
            }
            GeomKind::Polygon => {
                let rings = self.polygon()?;
                write_nested(&mut wkt, &rings, |w, ring| write_positions(w, ring));
            }
            GeomKind::MultiPoint => {
                let points = self.list(Self::multipoint_member)?;
                write_nested(&mut wkt, &points, |w, p| write_positions(w, &[*p]));
            }
            GeomKind::MultiLineString => {
                let lines = self.list(Self::line)?;
                write_nested(&mut wkt, &lines, |w, line| write_positions(w, line));
            }
            GeomKind::MultiPolygon => {
                let polygons = self.list(Self::polygon)?;
                write_nested(&mut wkt, &polygons, |w, rings| {
                    write_nested(w, rings, |w, ring| write_positions(w, ring));
                });
            }
            GeomKind::GeometryCollection => {
                let members = self.list(Self::geometry)?;
                write_nested(&mut wkt, &members, |w, g| w.push_str(&g.wkt));
            }
        }
        if nests {
            self.leave();
        }
        Ok(Geometry { kind, wkt })
    }

    /// `BBOX(minx, miny, maxx, maxy)` or with elevations
    /// `BBOX(minx, miny, minz, maxx, maxy, maxz)`, as a polygon.
    fn bbox(&mut self) -> Result<Geometry, ParseError> {
        let open = self.pos();
        self.expect(&Tok::LParen, "'(' after BBOX")?;
        let mut numbers = vec![self.coordinate()?];
        while self.eat(&Tok::Comma) {
            if numbers.len() == 6 {
                return Err(self.error_here("BBOX takes 4 or 6 numbers"));
            }
            numbers.push(self.coordinate()?);
        }
        self.expect(&Tok::RParen, "',' or ')' in BBOX")?;
        let ([x0, y0, x1, y1] | [x0, y0, _, x1, y1, _]) = numbers[..] else {
            return Err(ParseError::new(open, "BBOX takes 4 or 6 numbers"));
        };
        if x0 > x1 || y0 > y1 {
            return Err(ParseError::new(
                open,
                "BBOX minimum is greater than its maximum (boxes across the antimeridian are not supported)",
            ));
        }
        self.count_positions(5, open)?;
        let ring = [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)];
        let mut wkt = "POLYGON(".to_owned();
        write_positions(&mut wkt, &ring);
        wkt.push(')');
        Ok(Geometry {
            kind: GeomKind::Polygon,
            wkt,
        })
    }

    /// `( item {, item} )`.
    fn list<T>(
        &mut self,
        mut item: impl FnMut(&mut Self) -> Result<T, ParseError>,
    ) -> Result<Vec<T>, ParseError> {
        self.expect(&Tok::LParen, "'('")?;
        let mut items = vec![item(self)?];
        while self.eat(&Tok::Comma) {
            items.push(item(self)?);
        }
        self.expect(&Tok::RParen, "',' or ')'")?;
        Ok(items)
    }

    /// A line string body: at least two positions.
    fn line(&mut self) -> Result<Vec<Pos>, ParseError> {
        let open = self.pos();
        let line = self.list(Self::position)?;
        if line.len() < 2 {
            return Err(ParseError::new(
                open,
                "a line string needs at least 2 positions",
            ));
        }
        Ok(line)
    }

    /// A polygon body: rings of at least four positions, each closed.
    fn polygon(&mut self) -> Result<Vec<Vec<Pos>>, ParseError> {
        self.list(|p| {
            let open = p.pos();
            let ring = p.list(Self::position)?;
            if ring.len() < 4 {
                return Err(ParseError::new(
                    open,
                    "a polygon ring needs at least 4 positions",
                ));
            }
            if ring.first() != ring.last() {
                return Err(ParseError::new(
                    open,
                    "a polygon ring must be closed: its last position must equal its first",
                ));
            }
            Ok(ring)
        })
    }

    /// A MULTIPOINT member, written `(x y)` or bare `x y`.
    fn multipoint_member(&mut self) -> Result<Pos, ParseError> {
        if !self.eat(&Tok::LParen) {
            return self.position();
        }
        let p = self.position()?;
        self.expect(&Tok::RParen, "')' after the point's coordinates")?;
        Ok(p)
    }

    /// `x y [z]`; a z ordinate is read and dropped.
    fn position(&mut self) -> Result<Pos, ParseError> {
        let at = self.pos();
        self.count_positions(1, at)?;
        let x = self.coordinate()?;
        let y = self.coordinate()?;
        if matches!(self.peek(), Tok::Number(_)) {
            self.coordinate()?;
        }
        Ok((x, y))
    }

    fn count_positions(&mut self, n: usize, at: usize) -> Result<(), ParseError> {
        self.coordinates += n;
        let max = self.limits.coordinates;
        if self.coordinates > max {
            return Err(ParseError::new(
                at,
                format!("geometry literals have more than {max} coordinates"),
            ));
        }
        Ok(())
    }

    fn coordinate(&mut self) -> Result<f64, ParseError> {
        let Tok::Number(text) = *self.peek() else {
            return Err(self.expected("a coordinate"));
        };
        match text.parse::<f64>() {
            Ok(v) if v.is_finite() => {
                self.advance();
                Ok(v)
            }
            _ => Err(self.error_here(format!("coordinate '{text}' is not a finite number"))),
        }
    }
}

/// Writes `(x y,x y,...)`.
fn write_positions(out: &mut String, positions: &[Pos]) {
    out.push('(');
    for (i, (x, y)) in positions.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        // Writing to a String cannot fail.
        let _ = write!(out, "{x} {y}");
    }
    out.push(')');
}

/// Writes `(a,b,...)`, each member by `member`.
fn write_nested<T>(out: &mut String, items: &[T], member: impl Fn(&mut String, &T)) {
    out.push('(');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        member(out, item);
    }
    out.push(')');
}
