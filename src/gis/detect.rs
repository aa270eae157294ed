//! Which CRS a file's numbers are in, when the file does not say (or says it wrongly).
//!
//! Surveyors' files come in Gauss–Krüger 3° zones, with or without the zone number
//! prefixed to the easting, sometimes with X and Y swapped (Chinese survey X is the
//! northing), and sometimes in degrees. A candidate fits when every corner of the
//! file's box, and its centre, land inside the district once transformed; the district
//! is narrow enough (under 1°) that at most one zone fits a given easting.

use serde::Serialize;

use super::crs::{Crs, ToCgcs2000};
use super::extent::Extent;

/// How the CRS was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum How {
    /// Given by the user.
    Override,
    /// Read from the file (`.prj`, the GeoPackage's SRS).
    Declared,
    /// Eastings with the zone number prefixed (38xxxxxx.xx, 39xxxxxx.xx).
    ZonePrefix,
    /// Bare eastings that fit the district in one central meridian only.
    CentralMeridian,
    /// Longitude and latitude in degrees.
    Degrees,
}

/// What was detected: the CRS, whether X and Y are swapped in the file, and how.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Detection {
    #[serde(serialize_with = "crs_name")]
    pub crs: Crs,
    pub swap_axes: bool,
    pub how: How,
}

fn crs_name<S: serde::Serializer>(crs: &Crs, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&crs.name())
}

/// The file's box in its own units, as read (x = first coordinate).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FileBox {
    pub min_x: f64,
    pub min_y: f64,
    pub max_x: f64,
    pub max_y: f64,
}

impl FileBox {
    /// The smallest box holding every position; `None` for no positions.
    pub fn of(positions: impl IntoIterator<Item = (f64, f64)>) -> Option<Self> {
        positions.into_iter().fold(None, |b, (x, y)| {
            Some(match b {
                None => FileBox {
                    min_x: x,
                    min_y: y,
                    max_x: x,
                    max_y: y,
                },
                Some(b) => FileBox {
                    min_x: b.min_x.min(x),
                    min_y: b.min_y.min(y),
                    max_x: b.max_x.max(x),
                    max_y: b.max_y.max(y),
                },
            })
        })
    }

    fn probes(&self, swap: bool) -> [(f64, f64); 5] {
        let c = (
            (self.min_x + self.max_x) / 2.0,
            (self.min_y + self.max_y) / 2.0,
        );
        let ps = [
            (self.min_x, self.min_y),
            (self.min_x, self.max_y),
            (self.max_x, self.min_y),
            (self.max_x, self.max_y),
            c,
        ];
        ps.map(|(x, y)| if swap { (y, x) } else { (x, y) })
    }
}

/// Why nothing fits.
#[derive(Debug, Clone, PartialEq)]
pub struct NoFit(pub String);

fn fits(crs: Crs, swap: bool, b: &FileBox, district: &Extent) -> bool {
    let Ok(t) = ToCgcs2000::new(crs) else {
        return false;
    };
    b.probes(swap).iter().all(|&(x, y)| {
        t.apply(x, y)
            .is_some_and(|(lon, lat)| district.contains(lon, lat))
    })
}

/// Finds the CRS (and axis order) under which the file's box falls in the district.
///
/// `declared` (from `.prj` or the GeoPackage) is tried first, as is and swapped; then
/// degrees, zone-prefixed eastings and bare eastings in CM 114°E and 117°E.
pub fn detect(declared: Option<Crs>, b: &FileBox, district: &Extent) -> Result<Detection, NoFit> {
    if let Some(found) = declared.and_then(|crs| either_order(crs, How::Declared, b, district)) {
        return Ok(found);
    }
    let candidates = [
        (Crs::Cgcs2000, How::Degrees),
        (Crs::Gk38, How::ZonePrefix),
        (Crs::Gk39, How::ZonePrefix),
        (Crs::Cm114, How::CentralMeridian),
        (Crs::Cm117, How::CentralMeridian),
    ];
    // Every candidate in the file's axis order before any of them swapped.
    let found = [false, true].into_iter().find_map(|swap| {
        candidates
            .into_iter()
            .find_map(|(crs, how)| fit(crs, swap, how, b, district))
    });
    found.ok_or_else(|| {
        let said = declared.map_or(String::new(), |c| {
            format!(" (the file declares {})", c.name())
        });
        NoFit(format!(
            "the coordinates ({:.3}, {:.3})–({:.3}, {:.3}) fall inside the district in none of \
             CGCS2000 degrees, Gauss–Krüger zones 38/39 with the zone prefix, or CM 114°E/117°E{said}, \
             with either axis order; give the CRS explicitly",
            b.min_x, b.min_y, b.max_x, b.max_y
        ))
    })
}

/// Checks a CRS the user chose: it must put the file inside the district, swapped or not.
pub fn confirm(crs: Crs, b: &FileBox, district: &Extent) -> Result<Detection, NoFit> {
    either_order(crs, How::Override, b, district).ok_or_else(|| {
        NoFit(format!(
            "in {} the file's coordinates fall outside the district",
            crs.name()
        ))
    })
}

/// `crs` with the axes as they are or swapped, whichever first puts the file in the district.
fn either_order(crs: Crs, how: How, b: &FileBox, district: &Extent) -> Option<Detection> {
    [false, true]
        .into_iter()
        .find_map(|swap| fit(crs, swap, how, b, district))
}

/// `crs` (axes swapped or not) as the detection, when it puts the file in the district.
fn fit(crs: Crs, swap: bool, how: How, b: &FileBox, district: &Extent) -> Option<Detection> {
    fits(crs, swap, b, district).then_some(Detection {
        crs,
        swap_axes: swap,
        how,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const D: Extent = Extent::MENTOUGOU;

    /// A ~100 m box at 116.05°E 39.93°N (Yongding), in the given CRS.
    fn box_in(crs: Crs) -> FileBox {
        let to = proj::Proj::new_known_crs("EPSG:4490", &format!("EPSG:{}", crs.epsg()), None)
            .expect("proj");
        let p = |lon: f64, lat: f64| {
            let (a, b) = to.convert((lon, lat)).expect("convert");
            // PROJ gives authority order for EPSG:4490 → projected: easting, northing here.
            (a, b)
        };
        FileBox::of([p(116.05, 39.93), p(116.051, 39.931)]).expect("box")
    }

    fn swapped(b: FileBox) -> FileBox {
        FileBox {
            min_x: b.min_y,
            min_y: b.min_x,
            max_x: b.max_y,
            max_y: b.max_x,
        }
    }

    #[test]
    fn finds_each_zone_from_the_numbers_alone() {
        for crs in [Crs::Gk38, Crs::Gk39, Crs::Cm114, Crs::Cm117] {
            let b = box_in(crs);
            let d = detect(None, &b, &D).expect("fits");
            assert_eq!((d.crs, d.swap_axes), (crs, false), "{crs:?} {b:?}");
            let d = detect(None, &swapped(b), &D).expect("fits swapped");
            assert_eq!((d.crs, d.swap_axes), (crs, true), "{crs:?} swapped");
        }
    }

    #[test]
    fn zone_prefix_and_bare_easting_are_told_apart() {
        assert!(box_in(Crs::Gk39).min_x > 39_000_000.0);
        assert_eq!(
            detect(None, &box_in(Crs::Gk39), &D).map(|d| d.how),
            Ok(How::ZonePrefix)
        );
        assert_eq!(
            detect(None, &box_in(Crs::Cm117), &D).map(|d| d.how),
            Ok(How::CentralMeridian)
        );
    }

    #[test]
    fn degrees_in_either_order() {
        let b = FileBox::of([(116.0, 39.9), (116.01, 39.91)]).expect("box");
        let d = detect(None, &b, &D).expect("fits");
        assert_eq!(
            (d.crs, d.swap_axes, d.how),
            (Crs::Cgcs2000, false, How::Degrees)
        );
        let d = detect(None, &swapped(b), &D).expect("fits");
        assert_eq!((d.crs, d.swap_axes), (Crs::Cgcs2000, true));
    }

    #[test]
    fn a_declared_crs_wins_and_a_wrong_one_falls_back_to_the_numbers() {
        let b = box_in(Crs::Cm117);
        let d = detect(Some(Crs::Cm117), &b, &D).expect("fits");
        assert_eq!(d.how, How::Declared);
        // A .prj saying CM 114°E for eastings that only fit CM 117°E.
        let d = detect(Some(Crs::Cm114), &b, &D).expect("fits");
        assert_eq!((d.crs, d.how), (Crs::Cm117, How::CentralMeridian));
    }

    #[test]
    fn shanghai_fits_nowhere() {
        let b = FileBox::of([(121.4, 31.2), (121.5, 31.3)]).expect("box");
        assert!(detect(None, &b, &D).is_err());
        assert!(confirm(Crs::Cgcs2000, &b, &D).is_err());
    }

    #[test]
    fn an_override_is_checked_against_the_district() {
        let b = box_in(Crs::Cm114);
        assert_eq!(
            confirm(Crs::Cm114, &b, &D).map(|d| d.how),
            Ok(How::Override)
        );
        assert!(confirm(Crs::Cm117, &b, &D).is_err());
    }
}
