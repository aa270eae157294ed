//! Parsing and checking parcel boundaries before they reach the database.
//!
//! Checks that need no database run here (type, rings, vertex count, extent,
//! zero area); self-intersection is checked by PostGIS (`ST_IsValidDetail`),
//! which names the location, in the same transaction as the write.

use geo::{Area, ConvexHull, Coord, LineString, MultiPolygon, Polygon};
use serde_json::Value;

use super::crs::ToCgcs2000;
use super::extent::Extent;
use crate::domain::parcel::FieldError;

/// Limits applied to every boundary.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub extent: Extent,
    pub max_vertices: usize,
}

/// A boundary that passed every check that needs no database, in CGCS2000 lon/lat.
#[derive(Debug, Clone, PartialEq)]
pub struct Boundary(MultiPolygon<f64>);

impl Boundary {
    pub fn as_geo(&self) -> &MultiPolygon<f64> {
        &self.0
    }

    pub fn into_geo(self) -> MultiPolygon<f64> {
        self.0
    }

    /// GeoJSON text for `ST_GeomFromGeoJSON`.
    pub fn to_geojson(&self) -> String {
        geojson::Geometry::from(&self.0).to_string()
    }
}

fn err(code: &'static str, message: impl Into<String>) -> FieldError {
    FieldError::new("geometry", code, message)
}

/// Parses a GeoJSON Polygon or MultiPolygon, transforms it to CGCS2000 and checks it.
pub fn parse_boundary(
    value: &Value,
    to_cgcs: &ToCgcs2000,
    limits: &Limits,
) -> Result<Boundary, FieldError> {
    let obj = value
        .as_object()
        .ok_or_else(|| err("invalid_geometry", "geometry must be a GeoJSON object"))?;
    let coords = obj
        .get("coordinates")
        .ok_or_else(|| err("invalid_geometry", "geometry has no coordinates"))?;
    let polygons: Vec<&Value> = match obj.get("type").and_then(Value::as_str) {
        Some("Polygon") => vec![coords],
        Some("MultiPolygon") => coords
            .as_array()
            .ok_or_else(|| {
                err(
                    "invalid_geometry",
                    "MultiPolygon coordinates must be an array",
                )
            })?
            .iter()
            .collect(),
        Some(other) => return Err(wrong_type(other)),
        None => return Err(err("invalid_geometry", "geometry has no type")),
    };
    let mut rings = Vec::with_capacity(polygons.len());
    for (pi, poly) in polygons.iter().enumerate() {
        let json_rings = poly.as_array().ok_or_else(|| {
            err(
                "invalid_geometry",
                format!("polygon {pi} must be an array of rings"),
            )
        })?;
        let parsed = json_rings
            .iter()
            .enumerate()
            .map(|(ri, ring)| json_positions(ring, pi, ri))
            .collect::<Result<Vec<_>, _>>()?;
        rings.push(parsed);
    }
    checked(rings, to_cgcs, limits)
}

/// Checks a polygon or multipolygon read from a file (GDAL's geometry, as `geo` has it)
/// exactly as [`parse_boundary`] checks GeoJSON.
pub fn boundary_from_geo(
    geometry: geo::Geometry<f64>,
    to_cgcs: &ToCgcs2000,
    limits: &Limits,
) -> Result<Boundary, FieldError> {
    let polygons: Vec<Polygon<f64>> = match geometry {
        geo::Geometry::Polygon(p) => vec![p],
        geo::Geometry::MultiPolygon(mp) => mp.0,
        other => return Err(wrong_type(geo_type_name(&other))),
    };
    let rings = polygons
        .into_iter()
        .map(|p| {
            let (exterior, interiors) = p.into_inner();
            std::iter::once(exterior)
                .chain(interiors)
                .filter(|r| !r.0.is_empty())
                .map(|r| r.0)
                .collect()
        })
        .collect();
    checked(rings, to_cgcs, limits)
}

fn wrong_type(name: &str) -> FieldError {
    err(
        "wrong_geometry_type",
        format!("a parcel boundary must be a Polygon or MultiPolygon, not {name}"),
    )
}

/// The GeoJSON name of a geometry's type.
fn geo_type_name(g: &geo::Geometry<f64>) -> &'static str {
    match g {
        geo::Geometry::Point(_) => "Point",
        geo::Geometry::Line(_) | geo::Geometry::LineString(_) => "LineString",
        geo::Geometry::Polygon(_) | geo::Geometry::Rect(_) | geo::Geometry::Triangle(_) => {
            "Polygon"
        }
        geo::Geometry::MultiPoint(_) => "MultiPoint",
        geo::Geometry::MultiLineString(_) => "MultiLineString",
        geo::Geometry::MultiPolygon(_) => "MultiPolygon",
        geo::Geometry::GeometryCollection(_) => "GeometryCollection",
    }
}

/// The positions of a GeoJSON ring, each `[x, y]` (or `[x, y, z]`) of finite numbers.
fn json_positions(ring: &Value, pi: usize, ri: usize) -> Result<Vec<Coord<f64>>, FieldError> {
    let positions = ring.as_array().ok_or_else(|| {
        err(
            "invalid_geometry",
            format!("polygon {pi}, ring {ri} must be an array of positions"),
        )
    })?;
    positions
        .iter()
        .enumerate()
        .map(|(i, p)| {
            p.as_array()
                .and_then(|a| {
                    let x = a.first()?.as_f64()?;
                    let y = a.get(1)?.as_f64()?;
                    (a.len() <= 3).then_some(Coord { x, y })
                })
                .ok_or_else(|| {
                    err(
                        "invalid_coordinates",
                        format!("polygon {pi}, ring {ri}, position {i} must be [x, y] numbers"),
                    )
                })
        })
        .collect()
}

/// Checks polygons given as rings of positions in the source CRS (the first ring of each
/// the exterior) and transforms them to CGCS2000.
fn checked(
    polygons: Vec<Vec<Vec<Coord<f64>>>>,
    to_cgcs: &ToCgcs2000,
    limits: &Limits,
) -> Result<Boundary, FieldError> {
    if polygons.is_empty() {
        return Err(err("empty_geometry", "geometry is empty"));
    }
    let mut vertices = 0usize;
    let mut out = Vec::with_capacity(polygons.len());
    for (pi, rings) in polygons.into_iter().enumerate() {
        if rings.is_empty() {
            return Err(err("empty_geometry", format!("polygon {pi} has no rings")));
        }
        let mut parsed = Vec::with_capacity(rings.len());
        for (ri, ring) in rings.into_iter().enumerate() {
            let ring = checked_ring(ring, pi, ri, to_cgcs, limits, &mut vertices)?;
            parsed.push(LineString::new(ring));
        }
        let mut it = parsed.into_iter();
        let exterior = it
            .next()
            .ok_or_else(|| err("empty_geometry", "polygon without rings"))?;
        out.push(Polygon::new(exterior, it.collect()));
    }
    let mp = MultiPolygon(out);
    // The hull, not the polygon: a bowtie's lobes cancel out but it is a
    // self-intersection (reported by PostGIS with its location), not zero area.
    if mp.convex_hull().unsigned_area() <= 0.0 {
        return Err(err("zero_area", "the boundary encloses no area"));
    }
    Ok(Boundary(mp))
}

fn checked_ring(
    raw: Vec<Coord<f64>>,
    pi: usize,
    ri: usize,
    to_cgcs: &ToCgcs2000,
    limits: &Limits,
    vertices: &mut usize,
) -> Result<Vec<Coord<f64>>, FieldError> {
    let where_ = || format!("polygon {pi}, ring {ri}");
    let (Some(&first), Some(&last)) = (raw.first(), raw.last()) else {
        return Err(err("empty_geometry", format!("{} is empty", where_())));
    };
    *vertices += raw.len();
    if *vertices > limits.max_vertices {
        return Err(err(
            "too_many_vertices",
            format!(
                "the boundary has more than {} vertices",
                limits.max_vertices
            ),
        ));
    }
    if let Some(i) = raw
        .iter()
        .position(|c| !(c.x.is_finite() && c.y.is_finite()))
    {
        return Err(err(
            "invalid_coordinates",
            format!("{}, position {i} must be [x, y] numbers", where_()),
        ));
    }
    if first != last {
        return Err(err(
            "unclosed_ring",
            format!(
                "{} is not closed: it starts at {:?} and ends at {:?}",
                where_(),
                (first.x, first.y),
                (last.x, last.y)
            ),
        ));
    }
    // Distinct points of the open ring, repeats in a row counted once.
    let distinct = 1 + raw[..raw.len() - 1]
        .windows(2)
        .filter(|w| w[0] != w[1])
        .count();
    if raw.len() < 4 || distinct < 3 {
        return Err(err(
            "too_few_points",
            format!(
                "{} needs at least 3 distinct points and 4 positions",
                where_()
            ),
        ));
    }
    raw.into_iter()
        .enumerate()
        .map(|(i, c)| {
            let (lon, lat) = to_cgcs.apply(c.x, c.y).ok_or_else(|| {
                err(
                    "outside_extent",
                    format!("{}, position {i} cannot be transformed", where_()),
                )
            })?;
            if limits.extent.contains(lon, lat) {
                Ok(Coord { x: lon, y: lat })
            } else {
                Err(err(
                    "outside_extent",
                    format!(
                        "{}, position {i} ({lon:.6}, {lat:.6}) lies outside the district extent",
                        where_()
                    ),
                ))
            }
        })
        .collect()
}

/// Parses a GeoJSON Point inside the district, in CGCS2000 lon/lat; errors name `field`.
pub fn parse_point(
    value: &Value,
    field: &str,
    to_cgcs: &ToCgcs2000,
    extent: &Extent,
) -> Result<(f64, f64), FieldError> {
    let bad = |code: &'static str, m: String| FieldError::new(field, code, m);
    let obj = value.as_object().ok_or_else(|| {
        bad(
            "invalid_geometry",
            format!("{field} must be a GeoJSON Point"),
        )
    })?;
    match obj.get("type").and_then(Value::as_str) {
        Some("Point") => {}
        Some(other) => {
            return Err(bad(
                "wrong_geometry_type",
                format!("{field} must be a Point, not {other}"),
            ))
        }
        None => return Err(bad("invalid_geometry", format!("{field} has no type"))),
    }
    let (x, y) = obj
        .get("coordinates")
        .and_then(Value::as_array)
        .filter(|a| a.len() == 2 || a.len() == 3)
        .and_then(|a| Some((a[0].as_f64()?, a[1].as_f64()?)))
        .ok_or_else(|| {
            bad(
                "invalid_coordinates",
                format!("{field} coordinates must be [x, y] numbers"),
            )
        })?;
    located(x, y, field, to_cgcs, extent)
}

/// Checks a point read from a file (GDAL's geometry, as `geo` has it) exactly as
/// [`parse_point`] checks GeoJSON.
pub fn point_from_geo(
    geometry: &geo::Geometry<f64>,
    field: &str,
    to_cgcs: &ToCgcs2000,
    extent: &Extent,
) -> Result<(f64, f64), FieldError> {
    match geometry {
        geo::Geometry::Point(p) => located(p.x(), p.y(), field, to_cgcs, extent),
        other => Err(FieldError::new(
            field,
            "wrong_geometry_type",
            format!("{field} must be a Point, not {}", geo_type_name(other)),
        )),
    }
}

/// A position in the source CRS, transformed to CGCS2000 lon/lat and held to the extent.
fn located(
    x: f64,
    y: f64,
    field: &str,
    to_cgcs: &ToCgcs2000,
    extent: &Extent,
) -> Result<(f64, f64), FieldError> {
    let bad = |code: &'static str, m: String| FieldError::new(field, code, m);
    if !(x.is_finite() && y.is_finite()) {
        return Err(bad(
            "invalid_coordinates",
            format!("{field} coordinates must be [x, y] numbers"),
        ));
    }
    let (lon, lat) = to_cgcs.apply(x, y).ok_or_else(|| {
        bad(
            "outside_extent",
            format!("{field} ({x}, {y}) cannot be transformed"),
        )
    })?;
    if !extent.contains(lon, lat) {
        return Err(bad(
            "outside_extent",
            format!("{field} ({lon:.6}, {lat:.6}) lies outside the district extent"),
        ));
    }
    Ok((lon, lat))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gis::crs::Crs;
    use serde_json::json;

    const LIMITS: Limits = Limits {
        extent: Extent::MENTOUGOU,
        max_vertices: 20,
    };

    fn check(v: Value) -> Result<Boundary, FieldError> {
        parse_boundary(&v, &ToCgcs2000::new(Crs::Cgcs2000).expect("proj"), &LIMITS)
    }

    fn square(x: f64, y: f64, d: f64) -> Value {
        json!([[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]])
    }

    #[test]
    fn accepts_a_polygon_and_a_multipolygon() {
        assert!(
            check(json!({"type": "Polygon", "coordinates": square(116.1, 39.9, 0.001)})).is_ok()
        );
        let mp = json!({"type": "MultiPolygon", "coordinates": [square(116.1, 39.9, 0.001), square(116.11, 39.9, 0.001)]});
        assert_eq!(check(mp).expect("valid").as_geo().0.len(), 2);
    }

    #[test]
    fn each_bad_shape_has_its_own_code() {
        let cases = [
            (
                json!({"type": "Point", "coordinates": [116.1, 39.9]}),
                "wrong_geometry_type",
            ),
            (
                json!({"type": "Polygon", "coordinates": [[[116.1, 39.9], [116.2, 39.9], [116.2, 40.0], [116.1, 40.0]]]}),
                "unclosed_ring",
            ),
            (
                json!({"type": "Polygon", "coordinates": [[[116.1, 39.9], [116.2, 39.9], [116.1, 39.9]]]}),
                "too_few_points",
            ),
            (
                json!({"type": "Polygon", "coordinates": [[[116.1, 39.9], [116.11, 39.9], [116.12, 39.9], [116.1, 39.9]]]}),
                "zero_area",
            ),
            (
                json!({"type": "MultiPolygon", "coordinates": []}),
                "empty_geometry",
            ),
            (
                json!({"type": "Polygon", "coordinates": square(116.4, 39.9, 0.001)}),
                "outside_extent",
            ),
            (
                json!({"type": "Polygon", "coordinates": [[[116.1, "a"], [116.2, 39.9], [116.1, 39.9]]]}),
                "invalid_coordinates",
            ),
        ];
        for (v, code) in cases {
            assert_eq!(
                check(v.clone()).map(|_| ()).expect_err("invalid").code,
                code,
                "{v}"
            );
        }
    }

    #[test]
    fn too_many_vertices_is_refused() {
        let ring: Vec<Value> = (0..30)
            .map(|i| {
                let a = f64::from(i) / 30.0 * std::f64::consts::TAU;
                json!([116.1 + 0.001 * a.cos(), 39.9 + 0.001 * a.sin()])
            })
            .chain(std::iter::once(json!([116.101, 39.9])))
            .collect();
        let v = json!({"type": "Polygon", "coordinates": [ring]});
        assert_eq!(
            check(v).map(|_| ()).expect_err("too many").code,
            "too_many_vertices"
        );
    }

    fn from_geo(g: geo::Geometry<f64>) -> Result<Boundary, FieldError> {
        boundary_from_geo(g, &ToCgcs2000::new(Crs::Cgcs2000).expect("proj"), &LIMITS)
    }

    #[test]
    fn a_file_geometry_is_checked_as_geojson_is() {
        let v = json!({"type": "Polygon", "coordinates": square(116.1, 39.9, 0.001)});
        let g: geo::Geometry<f64> = geojson::Geometry::from_json_value(v.clone())
            .expect("geojson")
            .try_into()
            .expect("geo");
        assert_eq!(from_geo(g).expect("valid"), check(v).expect("valid"));

        let line =
            geo::Geometry::LineString(geo::LineString::from(vec![(116.1, 39.9), (116.2, 39.9)]));
        let e = from_geo(line).expect_err("a line");
        assert_eq!(e.code, "wrong_geometry_type");
        assert!(e.message.ends_with("not LineString"), "{}", e.message);

        // geo closes a polygon's open ring itself
        let open_ring = geo::Polygon::new(
            geo::LineString::from(vec![
                (116.1, 39.9),
                (116.101, 39.9),
                (116.101, 39.901),
                (116.1, 39.901),
            ]),
            vec![],
        );
        assert!(from_geo(geo::Geometry::Polygon(open_ring)).is_ok());

        let far = geo::Polygon::new(
            geo::LineString::from(vec![(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 0.0)]),
            vec![],
        );
        assert_eq!(
            from_geo(geo::Geometry::Polygon(far)).expect_err("far").code,
            "outside_extent"
        );
    }
}
