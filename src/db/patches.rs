//! Remote-sensing patches (卫片图斑): polygons of change found on satellite images.

use sqlx::PgConnection;
use time::Date;

use crate::domain::rules::watch::PatchKind;

/// A patch as imported: its number, what it shows, when it was found, its polygon as
/// GeoJSON in CGCS2000.
pub type PatchRow = (String, PatchKind, Date, String);

/// Writes the patches that are not there yet (by number); returns how many were new.
pub async fn insert(
    conn: &mut PgConnection,
    patches: &[PatchRow],
    user: i64,
) -> Result<u64, sqlx::Error> {
    let mut new = 0;
    for (no, kind, on, g) in patches {
        new += sqlx::query(
            "INSERT INTO rs_patches (patch_no, kind, detected_on, geom, area_m2, imported_by)
             VALUES ($1, $2, $3, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($4), 4490)),
                     ST_Area(ST_SetSRID(ST_GeomFromGeoJSON($4), 4490)::geography), $5)
             ON CONFLICT ON CONSTRAINT rs_patches_no_key DO NOTHING",
        )
        .bind(no)
        .bind(kind)
        .bind(on)
        .bind(g)
        .bind(user)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    }
    Ok(new)
}
