//! Which of our CRSs a file's spatial reference is: by its EPSG code, by GDAL's
//! identification, or — for an ESRI `.prj` of a CGCS2000 Gauss–Krüger zone that carries
//! no code — by its central meridian and false easting.

use gdal::spatial_ref::SpatialRef;

use crate::gis::crs::Crs;

/// The CRS a layer declares, if it is one of ours.
pub fn declared_crs(srs: Option<SpatialRef>) -> Option<Crs> {
    let mut srs = srs?;
    let by_code = |srs: &SpatialRef| {
        srs.auth_code()
            .ok()
            .and_then(|c| Crs::parse(&format!("EPSG:{c}")))
    };
    if let Some(c) = by_code(&srs) {
        return Some(c);
    }
    if srs.auto_identify_epsg().is_ok() {
        if let Some(c) = by_code(&srs) {
            return Some(c);
        }
    }
    if srs.is_geographic() {
        // A GCS_China_Geodetic_Coordinate_System_2000 or WGS 84 without a code.
        return Some(Crs::Cgcs2000);
    }
    // An ESRI .prj of a CGCS2000 Gauss–Krüger zone: identify by its parameters.
    let cm = srs.get_proj_param("central_meridian").ok()??;
    let fe = srs.get_proj_param("false_easting").ok()??;
    match ((cm - 114.0).abs() < 1e-6, (cm - 117.0).abs() < 1e-6, fe) {
        (true, _, fe) if (fe - 500_000.0).abs() < 1.0 => Some(Crs::Cm114),
        (_, true, fe) if (fe - 500_000.0).abs() < 1.0 => Some(Crs::Cm117),
        (true, _, fe) if (fe - 38_500_000.0).abs() < 1.0 => Some(Crs::Gk38),
        (_, true, fe) if (fe - 39_500_000.0).abs() < 1.0 => Some(Crs::Gk39),
        _ => None,
    }
}
