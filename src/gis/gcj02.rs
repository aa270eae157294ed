//! GCJ-02, the offset coordinate system of AMap and Tencent basemaps in mainland China.
//!
//! The forward transform is the public algorithm (Krasovsky ellipsoid constants
//! a = 6378245.0, ee = 0.006693421622965943); the inverse is fixed-point iteration,
//! the common practice (sub-millimetre after a few rounds). In Mentougou the offset is
//! about 0.55 km (geodesy.md §4). CGCS2000 stays the stored truth: GCJ-02 is only
//! produced on request and converted back on input.

const A: f64 = 6_378_245.0;
const EE: f64 = 0.006_693_421_622_965_943;

fn transform_lat(x: f64, y: f64) -> f64 {
    use std::f64::consts::PI;
    let mut r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * x.abs().sqrt();
    r += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    r += (20.0 * (y * PI).sin() + 40.0 * (y / 3.0 * PI).sin()) * 2.0 / 3.0;
    r += (160.0 * (y / 12.0 * PI).sin() + 320.0 * (y * PI / 30.0).sin()) * 2.0 / 3.0;
    r
}

fn transform_lon(x: f64, y: f64) -> f64 {
    use std::f64::consts::PI;
    let mut r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * x.abs().sqrt();
    r += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    r += (20.0 * (x * PI).sin() + 40.0 * (x / 3.0 * PI).sin()) * 2.0 / 3.0;
    r += (150.0 * (x / 12.0 * PI).sin() + 300.0 * (x / 30.0 * PI).sin()) * 2.0 / 3.0;
    r
}

/// Whether the algorithm applies (it is defined for mainland China's rough box).
pub fn in_china(lon: f64, lat: f64) -> bool {
    (72.004..=137.8347).contains(&lon) && (0.8293..=55.8271).contains(&lat)
}

/// WGS84/CGCS2000 lon, lat → GCJ-02 lon, lat.
pub fn to_gcj02(lon: f64, lat: f64) -> (f64, f64) {
    use std::f64::consts::PI;
    if !in_china(lon, lat) {
        return (lon, lat);
    }
    let dlat = transform_lat(lon - 105.0, lat - 35.0);
    let dlon = transform_lon(lon - 105.0, lat - 35.0);
    let radlat = lat / 180.0 * PI;
    let magic = 1.0 - EE * radlat.sin() * radlat.sin();
    let sqrtmagic = magic.sqrt();
    let dlat = (dlat * 180.0) / ((A * (1.0 - EE)) / (magic * sqrtmagic) * PI);
    let dlon = (dlon * 180.0) / (A / sqrtmagic * radlat.cos() * PI);
    (lon + dlon, lat + dlat)
}

/// GCJ-02 lon, lat → WGS84/CGCS2000 lon, lat, by iterating the forward transform.
pub fn from_gcj02(lon: f64, lat: f64) -> (f64, f64) {
    let (mut x, mut y) = (lon, lat);
    for _ in 0..10 {
        let (gx, gy) = to_gcj02(x, y);
        let (dx, dy) = (gx - lon, gy - lat);
        x -= dx;
        y -= dy;
        if dx.abs() < 1e-10 && dy.abs() < 1e-10 {
            break;
        }
    }
    (x, y)
}

/// Shifts every position of a GeoJSON geometry (in place) with `f`.
pub fn map_positions(geometry: &mut serde_json::Value, f: &dyn Fn(f64, f64) -> (f64, f64)) {
    use serde_json::Value;
    fn walk(v: &mut Value, f: &dyn Fn(f64, f64) -> (f64, f64)) {
        if let Value::Array(items) = v {
            let is_position = items.len() >= 2 && items.iter().all(Value::is_number);
            if is_position {
                if let (Some(x), Some(y)) = (items[0].as_f64(), items[1].as_f64()) {
                    let (nx, ny) = f(x, y);
                    items[0] = serde_json::json!((nx * 1e7).round() / 1e7);
                    items[1] = serde_json::json!((ny * 1e7).round() / 1e7);
                }
            } else {
                items.iter_mut().for_each(|i| walk(i, f));
            }
        }
    }
    if let Some(c) = geometry.get_mut("coordinates") {
        walk(c, f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_published_test_vector_is_reproduced() {
        let (x, y) = to_gcj02(116.404, 39.915);
        assert!((x - 116.410_244_499_169_38).abs() < 1e-9, "{x}");
        assert!((y - 39.916_404_281_501_64).abs() < 1e-9, "{y}");
    }

    #[test]
    fn the_offset_in_mentougou_is_about_half_a_kilometre_and_inverts() {
        let (lon, lat) = (116.1, 39.94);
        let (gx, gy) = to_gcj02(lon, lat);
        let east = (gx - lon) * 111_320.0 * lat.to_radians().cos();
        let north = (gy - lat) * 110_574.0;
        let d = east.hypot(north);
        assert!((500.0..620.0).contains(&d), "offset {d} m");
        let (bx, by) = from_gcj02(gx, gy);
        assert!((bx - lon).abs() < 1e-8 && (by - lat).abs() < 1e-8);
    }

    #[test]
    fn outside_china_nothing_moves() {
        assert_eq!(to_gcj02(2.35, 48.85), (2.35, 48.85));
    }
}
