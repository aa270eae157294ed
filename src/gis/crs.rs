//! The coordinate reference systems soilreg accepts and serves.
//!
//! Positions are always x, y — longitude, latitude or easting, northing —
//! whatever axis order the EPSG definition gives (GeoJSON and PostGIS
//! convention); PROJ transformations are normalised for that order.

use proj::Proj;

/// A supported CRS. CGCS2000 (EPSG:4490) is the stored truth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Crs {
    /// EPSG:4490, CGCS2000 geographic.
    Cgcs2000,
    /// EPSG:4326 / OGC CRS84. Within about a metre of CGCS2000; stored as is.
    Wgs84,
    /// EPSG:4526, Gauss–Krüger zone 38 (CM 114°E), zone number prefixed to the easting.
    Gk38,
    /// EPSG:4527, Gauss–Krüger zone 39 (CM 117°E), zone number prefixed to the easting.
    Gk39,
    /// EPSG:4547, Gauss–Krüger CM 114°E.
    Cm114,
    /// EPSG:4548, Gauss–Krüger CM 117°E.
    Cm117,
    /// GCJ-02, the offset lon/lat of AMap and Tencent maps: accepted on input only.
    Gcj02,
}

impl Crs {
    pub const ALL: [Crs; 6] = [
        Crs::Cgcs2000,
        Crs::Wgs84,
        Crs::Gk38,
        Crs::Gk39,
        Crs::Cm114,
        Crs::Cm117,
    ];

    /// Parses `EPSG:4548`, `4548`, `urn:ogc:def:crs:EPSG::4548`, the OGC URI
    /// `http://www.opengis.net/def/crs/EPSG/0/4548`, and `CRS84` in its forms.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        let upper = s.to_ascii_uppercase();
        if upper == "CRS84" || upper == "OGC:CRS84" || upper.ends_with("/OGC/1.3/CRS84") {
            return Some(Crs::Wgs84);
        }
        if matches!(upper.as_str(), "GCJ02" | "GCJ-02") {
            return Some(Crs::Gcj02);
        }
        let code = upper
            .strip_prefix("EPSG:")
            .or_else(|| upper.strip_prefix("URN:OGC:DEF:CRS:EPSG::"))
            .or_else(|| upper.rsplit_once("/DEF/CRS/EPSG/0/").map(|(_, c)| c))
            .unwrap_or(&upper);
        let code: u32 = code.parse().ok()?;
        Crs::ALL.into_iter().find(|c| c.epsg() == code)
    }

    pub fn epsg(self) -> u32 {
        match self {
            Crs::Cgcs2000 => 4490,
            Crs::Wgs84 => 4326,
            Crs::Gk38 => 4526,
            Crs::Gk39 => 4527,
            Crs::Cm114 => 4547,
            Crs::Cm117 => 4548,
            // Not an EPSG CRS; never used where a code is needed (output refuses it).
            Crs::Gcj02 => 0,
        }
    }

    /// The Gauss–Krüger 3° zone of a projected CRS (38: CM 114°E, 39: CM 117°E), whether
    /// or not its eastings carry the zone number.
    pub fn zone(self) -> Option<u8> {
        match self {
            Crs::Gk38 | Crs::Cm114 => Some(38),
            Crs::Gk39 | Crs::Cm117 => Some(39),
            Crs::Cgcs2000 | Crs::Wgs84 | Crs::Gcj02 => None,
        }
    }

    pub fn is_geographic(self) -> bool {
        matches!(self, Crs::Cgcs2000 | Crs::Wgs84 | Crs::Gcj02)
    }

    /// `EPSG:4548`, `CRS84`, `GCJ-02`: how reports and the command line name it.
    pub fn name(self) -> String {
        match self {
            Crs::Wgs84 => "CRS84".to_owned(),
            Crs::Gcj02 => "GCJ-02".to_owned(),
            c => format!("EPSG:{}", c.epsg()),
        }
    }

    /// The OGC URI (CRS84 for WGS84, whose GeoJSON axis order is lon, lat).
    pub fn uri(self) -> String {
        match self {
            Crs::Wgs84 => "http://www.opengis.net/def/crs/OGC/1.3/CRS84".to_owned(),
            Crs::Gcj02 => "gcj02".to_owned(),
            c => format!("http://www.opengis.net/def/crs/EPSG/0/{}", c.epsg()),
        }
    }
}

/// Transforms positions from one CRS to CGCS2000 longitude, latitude.
pub struct ToCgcs2000 {
    proj: Option<Proj>,
    gcj02: bool,
}

impl ToCgcs2000 {
    /// Geographic input passes through; projected input goes through PROJ.
    pub fn new(from: Crs) -> Result<Self, proj::ProjCreateError> {
        let proj = if from.is_geographic() {
            None
        } else {
            Some(Proj::new_known_crs(
                &format!("EPSG:{}", from.epsg()),
                "EPSG:4490",
                None,
            )?)
        };
        Ok(ToCgcs2000 {
            proj,
            gcj02: from == Crs::Gcj02,
        })
    }

    /// `None` when PROJ cannot transform the position (e.g. far outside the zone).
    pub fn apply(&self, x: f64, y: f64) -> Option<(f64, f64)> {
        match &self.proj {
            None if self.gcj02 => Some(super::gcj02::from_gcj02(x, y)),
            None => Some((x, y)),
            Some(p) => p
                .convert((x, y))
                .ok()
                .filter(|(a, b)| a.is_finite() && b.is_finite()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_usual_spellings() {
        assert_eq!(Crs::parse("EPSG:4548"), Some(Crs::Cm117));
        assert_eq!(Crs::parse("4527"), Some(Crs::Gk39));
        assert_eq!(
            Crs::parse("urn:ogc:def:crs:EPSG::4490"),
            Some(Crs::Cgcs2000)
        );
        assert_eq!(
            Crs::parse("http://www.opengis.net/def/crs/EPSG/0/4547"),
            Some(Crs::Cm114)
        );
        assert_eq!(
            Crs::parse("http://www.opengis.net/def/crs/OGC/1.3/CRS84"),
            Some(Crs::Wgs84)
        );
        assert_eq!(Crs::parse("EPSG:3857"), None);
        assert_eq!(Crs::parse("banana"), None);
    }

    /// Reference point from geodesy.md (computed with cs2cs): 39.94 N, 116.1686 E
    /// → N 4 423 197.98, E 428 941.00 in EPSG:4548.
    #[test]
    fn gauss_kruger_eastings_and_northings_come_back_as_longitude_latitude() {
        for (crs, easting) in [(Crs::Cm117, 428_941.00), (Crs::Gk39, 39_428_941.00)] {
            let t = ToCgcs2000::new(crs).expect("proj");
            let (lon, lat) = t.apply(easting, 4_423_197.98).expect("in zone");
            assert!((lon - 116.1686).abs() < 1e-6, "{crs:?} lon {lon}");
            assert!((lat - 39.94).abs() < 1e-6, "{crs:?} lat {lat}");
        }
    }
}
