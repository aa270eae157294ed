//! Web Mercator tile coordinates.

/// Half the Web Mercator world width, metres.
/// Half the Web Mercator world's width, metres.
pub const HALF: f64 = 20_037_508.342_789_244;

/// A valid z/x/y tile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TileCoord {
    pub z: u8,
    pub x: u32,
    pub y: u32,
}

/// A box in Web Mercator metres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mercator {
    pub min_x: f64,
    pub min_y: f64,
    pub max_x: f64,
    pub max_y: f64,
}

impl Mercator {
    /// min x, min y, max x, max y.
    pub fn corners(&self) -> [f64; 4] {
        [self.min_x, self.min_y, self.max_x, self.max_y]
    }

    pub fn intersects(&self, o: &Mercator) -> bool {
        self.min_x <= o.max_x
            && o.min_x <= self.max_x
            && self.min_y <= o.max_y
            && o.min_y <= self.max_y
    }
}

impl TileCoord {
    /// The highest zoom served.
    pub const MAX_ZOOM: u8 = 22;

    /// `None` unless z ≤ 22 and x, y < 2^z.
    pub fn new_checked(z: u32, x: u32, y: u32) -> Option<Self> {
        let z = u8::try_from(z).ok().filter(|z| *z <= Self::MAX_ZOOM)?;
        let n = 1u64 << z;
        (u64::from(x) < n && u64::from(y) < n).then_some(TileCoord { z, x, y })
    }

    /// The tile's extent in Web Mercator metres (y grows northward, tile y southward).
    pub fn bounds(self) -> Mercator {
        let size = 2.0 * HALF / f64::from(1u32 << self.z);
        let min_x = -HALF + f64::from(self.x) * size;
        let max_y = HALF - f64::from(self.y) * size;
        Mercator {
            min_x,
            min_y: max_y - size,
            max_x: min_x + size,
            max_y,
        }
    }

    /// Width of one tile pixel (of 256) in metres.
    pub fn pixel_m(self) -> f64 {
        2.0 * HALF / f64::from(1u32 << self.z) / 256.0
    }

    /// The tile's centre as longitude, latitude.
    pub fn center_lonlat(self) -> (f64, f64) {
        let b = self.bounds();
        to_lonlat((b.min_x + b.max_x) / 2.0, (b.min_y + b.max_y) / 2.0)
    }

    /// The tile's box in longitude and latitude (min lon, min lat, max lon, max lat): Web
    /// Mercator maps each on its own, so a tile is a box in both. Widened by 1e-9°
    /// (0.1 mm) so that it holds every geometry whose Web Mercator copy, as PostGIS
    /// computes it, meets the tile.
    pub fn lonlat_corners(self) -> [f64; 4] {
        const PAD: f64 = 1e-9;
        let b = self.bounds();
        let (w, s) = to_lonlat(b.min_x, b.min_y);
        let (e, n) = to_lonlat(b.max_x, b.max_y);
        [w - PAD, s - PAD, e + PAD, n + PAD]
    }
}

/// Web Mercator metres → longitude, latitude.
pub fn to_lonlat(x: f64, y: f64) -> (f64, f64) {
    let lon = x / HALF * 180.0;
    let lat = (2.0 * (y / HALF * std::f64::consts::PI).exp().atan() - std::f64::consts::FRAC_PI_2)
        .to_degrees();
    (lon, lat)
}

/// Longitude, latitude → Web Mercator metres.
pub fn to_mercator(lon: f64, lat: f64) -> (f64, f64) {
    let x = lon / 180.0 * HALF;
    let y =
        (((90.0 + lat) * std::f64::consts::PI / 360.0).tan()).ln() / std::f64::consts::PI * HALF;
    (x, y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_tiles_inside_the_pyramid_exist() {
        assert!(TileCoord::new_checked(0, 0, 0).is_some());
        assert!(TileCoord::new_checked(1, 2, 0).is_none());
        assert!(TileCoord::new_checked(23, 0, 0).is_none());
        assert!(TileCoord::new_checked(14, 13_476, 6_200).is_some());
    }

    #[test]
    fn a_tiles_lonlat_box_maps_back_onto_the_tile() {
        let t = TileCoord::new_checked(14, 13_476, 6_200).expect("tile");
        let [w, s, e, n] = t.lonlat_corners();
        let b = t.bounds();
        let (x0, y0) = to_mercator(w, s);
        let (x1, y1) = to_mercator(e, n);
        // outside the tile on every side by the padding (1e-9° ≈ 0.1 mm), never inside it
        for d in [b.min_x - x0, b.min_y - y0, x1 - b.max_x, y1 - b.max_y] {
            assert!(d > 0.0 && d < 1e-3, "{d} m");
        }
    }

    #[test]
    fn a_tile_over_mentougou_contains_the_district_seat() {
        // z12 tile containing 116.095E 39.939N.
        let (mx, my) = to_mercator(116.095, 39.939);
        let t = TileCoord::new_checked(12, 3368, 1551).expect("tile");
        let b = t.bounds();
        assert!(
            b.min_x <= mx && mx <= b.max_x && b.min_y <= my && my <= b.max_y,
            "{b:?} {mx} {my}"
        );
        let (lon, lat) = t.center_lonlat();
        assert!(
            (lon - 116.06).abs() < 0.1 && (lat - 39.93).abs() < 0.1,
            "{lon} {lat}"
        );
    }
}
