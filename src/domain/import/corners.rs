//! Corner-coordinate tables (界址点坐标表): one row per boundary point — parcel code,
//! point number, X, Y, and optionally a ring number — assembled into polygons.

use std::collections::BTreeMap;

use crate::domain::parcel::FieldError;

/// One row of the table.
#[derive(Debug, Clone, PartialEq)]
pub struct Corner {
    pub code: String,
    /// Ring within the parcel: 1 is the outer ring, further numbers are holes.
    pub ring: u32,
    pub point: u32,
    pub x: f64,
    pub y: f64,
}

/// The columns of a corner table, found from their names.
#[derive(Debug, Clone, PartialEq)]
pub struct CornerColumns {
    pub code: String,
    pub point: String,
    pub x: String,
    pub y: String,
    pub ring: Option<String>,
}

fn find<'a>(columns: &'a [String], names: &[&str]) -> Option<&'a String> {
    names.iter().find_map(|n| {
        columns
            .iter()
            .find(|c| c.trim().to_lowercase().replace(['_', ' '], "") == *n)
    })
}

impl CornerColumns {
    /// Some when the columns look like a corner table (code, point number, X and Y).
    pub fn find(columns: &[String]) -> Option<Self> {
        let code = find(
            columns,
            &["code", "地块编码", "地块编号", "宗地编码", "宗地号", "dkbm"],
        )?;
        let point = find(
            columns,
            &["point", "pointno", "点号", "界址点号", "序号", "jzdh"],
        )?;
        let x = find(columns, &["x", "x坐标", "xzb", "纵坐标"])?;
        let y = find(columns, &["y", "y坐标", "yzb", "横坐标"])?;
        let ring = find(columns, &["ring", "圈号", "环号", "ringno"]).cloned();
        Some(CornerColumns {
            code: code.clone(),
            point: point.clone(),
            x: x.clone(),
            y: y.clone(),
            ring,
        })
    }
}

/// The X and Y columns of a table of points (a ledger's firms or tanks by coordinates).
/// A column of WKT geometries in a table without geometries of its own (a spreadsheet:
/// our own XLSX export has one named `wkt`).
pub fn wkt_column(columns: &[String]) -> Option<String> {
    find(columns, &["wkt", "geometry", "geom", "几何", "shape"]).cloned()
}

pub fn point_columns(columns: &[String]) -> Option<(String, String)> {
    let x = find(
        columns,
        &[
            "x",
            "x坐标",
            "xzb",
            "lon",
            "lng",
            "longitude",
            "经度",
            "easting",
            "东坐标",
        ],
    )?;
    let y = find(
        columns,
        &[
            "y",
            "y坐标",
            "yzb",
            "lat",
            "latitude",
            "纬度",
            "northing",
            "北坐标",
        ],
    )?;
    Some((x.clone(), y.clone()))
}

/// A parcel's rings as read, in file order of point numbers, each closed.
pub type Rings = Vec<Vec<(f64, f64)>>;

/// Groups corners by parcel (in order of first appearance) and ring, orders them by
/// point number, and closes each ring. Two corners with the same point number in one
/// ring are an error for that parcel.
pub fn assemble(corners: Vec<Corner>) -> Vec<(String, Result<Rings, FieldError>)> {
    let mut order: Vec<String> = Vec::new();
    let mut by_code: BTreeMap<String, BTreeMap<u32, Vec<Corner>>> = BTreeMap::new();
    for c in corners {
        if !by_code.contains_key(&c.code) {
            order.push(c.code.clone());
        }
        by_code
            .entry(c.code.clone())
            .or_default()
            .entry(c.ring)
            .or_default()
            .push(c);
    }
    order
        .into_iter()
        .map(|code| {
            let rings = by_code.remove(&code).unwrap_or_default();
            let result = rings
                .into_values()
                .map(|mut pts| {
                    pts.sort_by_key(|c| c.point);
                    if let Some(w) = pts.windows(2).find(|w| w[0].point == w[1].point) {
                        return Err(FieldError::new(
                            "geometry",
                            "duplicate_point",
                            format!("point {} appears twice in ring {}", w[0].point, w[0].ring),
                        ));
                    }
                    let mut ring: Vec<(f64, f64)> = pts.iter().map(|c| (c.x, c.y)).collect();
                    if ring.first() != ring.last() {
                        if let Some(&first) = ring.first() {
                            ring.push(first);
                        }
                    }
                    Ok(ring)
                })
                .collect();
            (code, result)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(code: &str, ring: u32, point: u32, x: f64, y: f64) -> Corner {
        Corner {
            code: code.into(),
            ring,
            point,
            x,
            y,
        }
    }

    #[test]
    fn finds_chinese_corner_columns() {
        let cols: Vec<String> = ["地块编码", "界址点号", "X坐标", "Y坐标"]
            .map(String::from)
            .to_vec();
        let f = CornerColumns::find(&cols).expect("corner table");
        assert_eq!(
            (f.code.as_str(), f.x.as_str(), f.ring),
            ("地块编码", "X坐标", None)
        );
        let not: Vec<String> = ["地块编码", "名称", "WKT"].map(String::from).to_vec();
        assert_eq!(CornerColumns::find(&not), None);
    }

    #[test]
    fn finds_point_columns() {
        let cols: Vec<String> = ["名称", "经度", "纬度"].map(String::from).to_vec();
        assert_eq!(point_columns(&cols), Some(("经度".into(), "纬度".into())));
        let none: Vec<String> = ["名称", "WKT"].map(String::from).to_vec();
        assert_eq!(point_columns(&none), None);
    }

    #[test]
    fn orders_by_point_closes_rings_and_keeps_holes() {
        let got = assemble(vec![
            c("B", 1, 2, 1.0, 0.0),
            c("A", 1, 1, 0.0, 0.0),
            c("B", 1, 1, 0.0, 0.0),
            c("B", 1, 3, 1.0, 1.0),
            c("B", 2, 1, 0.2, 0.2),
            c("B", 2, 2, 0.3, 0.2),
            c("B", 2, 3, 0.3, 0.3),
        ]);
        assert_eq!(got[0].0, "B");
        let rings = got[0].1.as_ref().expect("B");
        assert_eq!(rings.len(), 2);
        assert_eq!(
            rings[0],
            vec![(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 0.0)]
        );
        assert_eq!(got[1].0, "A");
    }

    #[test]
    fn a_repeated_point_number_is_an_error() {
        let got = assemble(vec![c("A", 1, 1, 0.0, 0.0), c("A", 1, 1, 1.0, 0.0)]);
        assert_eq!(
            got[0].1.as_ref().map_err(|e| e.code),
            Err("duplicate_point")
        );
    }
}
