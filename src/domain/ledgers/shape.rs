//! The geometry of a ledger row: a point (a firm, a tank, a project, a patrol) or an area
//! (a storage site's footprint, a plot's boundary), parsed from GeoJSON, transformed to
//! CGCS2000 and held to the district's extent.

use serde_json::Value;

use crate::domain::parcel::FieldError;
use crate::gis::crs::ToCgcs2000;
use crate::gis::geometry::{
    boundary_from_geo, parse_boundary, parse_point, point_from_geo, Boundary, Limits,
};

/// Which geometry a ledger keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GeometryKind {
    /// `geometry(Point, 4490)`.
    Point,
    /// `geometry(MultiPolygon, 4490)`, with its area on the ellipsoid.
    Area,
}

/// A position inside the district, CGCS2000 longitude and latitude.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Location {
    lon: f64,
    lat: f64,
}

impl Location {
    pub fn lon(self) -> f64 {
        self.lon
    }

    pub fn lat(self) -> f64 {
        self.lat
    }
}

/// A checked geometry (an area's validity is checked by PostGIS in the write's transaction).
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    Point(Location),
    Area(Boundary),
}

impl Shape {
    fn point((lon, lat): (f64, f64)) -> Shape {
        Shape::Point(Location { lon, lat })
    }

    pub fn kind(&self) -> GeometryKind {
        match self {
            Shape::Point(_) => GeometryKind::Point,
            Shape::Area(_) => GeometryKind::Area,
        }
    }

    /// GeoJSON text for `ST_GeomFromGeoJSON`.
    pub fn to_geojson(&self) -> String {
        match self {
            Shape::Point(p) => {
                serde_json::json!({"type": "Point", "coordinates": [p.lon, p.lat]}).to_string()
            }
            Shape::Area(b) => b.to_geojson(),
        }
    }
}

/// Parses the geometry member `member` of a ledger whose geometry is `kind`.
pub fn parse_shape(
    kind: GeometryKind,
    member: &str,
    value: &Value,
    to_cgcs: &ToCgcs2000,
    limits: &Limits,
) -> Result<Shape, FieldError> {
    match kind {
        GeometryKind::Point => {
            parse_point(value, member, to_cgcs, &limits.extent).map(Shape::point)
        }
        GeometryKind::Area => parse_boundary(value, to_cgcs, limits)
            .map(Shape::Area)
            .map_err(|e| FieldError::new(member, e.code, e.message)),
    }
}

/// Checks the geometry of a ledger row read from a file (GDAL's, as `geo` has it) exactly
/// as [`parse_shape`] checks GeoJSON.
pub fn shape_from_geo(
    kind: GeometryKind,
    member: &str,
    geometry: geo::Geometry<f64>,
    to_cgcs: &ToCgcs2000,
    limits: &Limits,
) -> Result<Shape, FieldError> {
    match kind {
        GeometryKind::Point => {
            point_from_geo(&geometry, member, to_cgcs, &limits.extent).map(Shape::point)
        }
        GeometryKind::Area => boundary_from_geo(geometry, to_cgcs, limits)
            .map(Shape::Area)
            .map_err(|e| FieldError::new(member, e.code, e.message)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gis::crs::Crs;
    use crate::gis::extent::Extent;
    use serde_json::json;

    const LIMITS: Limits = Limits {
        extent: Extent::MENTOUGOU,
        max_vertices: 100,
    };

    fn point(v: Value) -> Result<Shape, FieldError> {
        let to = ToCgcs2000::new(Crs::Cgcs2000).expect("proj");
        parse_shape(GeometryKind::Point, "location", &v, &to, &LIMITS)
    }

    #[test]
    fn a_point_in_the_district_parses_and_each_bad_one_is_named() {
        let ok = point(json!({"type": "Point", "coordinates": [116.1, 39.94]})).expect("valid");
        assert_eq!(ok.kind(), GeometryKind::Point);
        assert!(ok.to_geojson().contains("116.1"));
        for (v, code) in [
            (
                json!({"type": "Point", "coordinates": [116.4, 39.9]}),
                "outside_extent",
            ),
            (
                json!({"type": "Polygon", "coordinates": []}),
                "wrong_geometry_type",
            ),
            (
                json!({"type": "Point", "coordinates": ["a", 39.9]}),
                "invalid_coordinates",
            ),
            (
                json!({"type": "Point", "coordinates": [116.1]}),
                "invalid_coordinates",
            ),
            (json!("116.1,39.9"), "invalid_geometry"),
        ] {
            let e = point(v.clone()).expect_err("invalid");
            assert_eq!((e.field.as_str(), e.code), ("location", code), "{v}");
        }
    }

    /// geodesy.md's reference point: E 428 941.00, N 4 423 197.98 in EPSG:4548.
    #[test]
    fn a_gauss_kruger_point_comes_back_as_longitude_latitude() {
        let to = ToCgcs2000::new(Crs::Cm117).expect("proj");
        let v = json!({"type": "Point", "coordinates": [428_941.00, 4_423_197.98]});
        let Ok(Shape::Point(p)) = parse_shape(GeometryKind::Point, "location", &v, &to, &LIMITS)
        else {
            panic!("inside the district");
        };
        assert!((p.lon() - 116.1686).abs() < 1e-6 && (p.lat() - 39.94).abs() < 1e-6);
    }

    #[test]
    fn an_area_error_names_the_ledgers_member() {
        let to = ToCgcs2000::new(Crs::Cgcs2000).expect("proj");
        let far = json!({"type": "Polygon", "coordinates": [[[116.4, 39.9], [116.41, 39.9], [116.41, 39.91], [116.4, 39.9]]]});
        let e =
            parse_shape(GeometryKind::Area, "footprint", &far, &to, &LIMITS).expect_err("outside");
        assert_eq!((e.field.as_str(), e.code), ("footprint", "outside_extent"));
    }
}
