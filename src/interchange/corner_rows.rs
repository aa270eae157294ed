//! A corner-coordinate table (parcel code, ring, point number, X, Y per row) read as one
//! polygon row per parcel: the rows of a parcel are gathered, ordered and closed by
//! `domain::import::corners`, and the parcel takes the other cells of its first row.

use gdal::vector::LayerAccess;

use super::read::{cells_of, column, LayerInfo, ReadError, Row};
use crate::domain::import::corners::{self, Corner, CornerColumns};
use crate::domain::import::row::Cell;
use crate::domain::parcel::FieldError;

/// Reads the layer's rows as parcels, handing each to `each` until it returns false.
pub(super) fn read(
    layer: &mut gdal::vector::Layer<'_>,
    info: &LayerInfo,
    cols: &CornerColumns,
    swap_axes: bool,
    wanted: Option<&[bool]>,
    mut each: impl FnMut(Row) -> bool,
) -> Result<(), ReadError> {
    let idx = |c: &str| column(info, c);
    let (ci, pi, xi, yi) = (
        idx(&cols.code),
        idx(&cols.point),
        idx(&cols.x),
        idx(&cols.y),
    );
    let ri = cols.ring.as_deref().map(idx);
    let mut first_cells: std::collections::HashMap<String, Vec<Option<Cell>>> =
        std::collections::HashMap::new();
    let mut corners = Vec::new();
    let mut bad: Vec<(String, FieldError)> = Vec::new();
    for (n, f) in layer.features().enumerate() {
        let code = f.field_as_string(ci).ok().flatten().unwrap_or_default();
        let num = |i: usize| f.field_as_double(i).ok().flatten();
        let (Some(point), Some(x), Some(y)) = (num(pi), num(xi), num(yi)) else {
            bad.push((
                code,
                FieldError::new(
                    "geometry",
                    "invalid_coordinates",
                    format!("row {} lacks a point number, X or Y", n + 1),
                ),
            ));
            continue;
        };
        let ring = ri.and_then(num).unwrap_or(1.0);
        first_cells
            .entry(code.clone())
            .or_insert_with(|| cells_of(&f, info, wanted));
        let (x, y) = if swap_axes { (y, x) } else { (x, y) };
        corners.push(Corner {
            code,
            ring: ring as u32,
            point: point as u32,
            x,
            y,
        });
    }
    for (n, (code, rings)) in corners::assemble(corners).into_iter().enumerate() {
        let index = n + 1;
        let geometry = match bad.iter().find(|(c, _)| *c == code) {
            Some((_, e)) => Err(e.clone()),
            None => rings.map(|rs| {
                let mut rings = rs.into_iter().map(geo::LineString::from);
                let exterior = rings.next().unwrap_or_else(|| geo::LineString::new(vec![]));
                geo::Geometry::Polygon(geo::Polygon::new(exterior, rings.collect()))
            }),
        };
        let cells = first_cells.remove(&code).unwrap_or_default();
        if !each(Row {
            index,
            cells,
            geometry,
        }) {
            break;
        }
    }
    Ok(())
}
