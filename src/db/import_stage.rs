//! The staging of an import: the tables parsed rows are copied into (named for the import,
//! dropped before it commits) and the COPY text the rows travel as.

use std::io::Write as _;

use geozero::{CoordDimensions, ToWkb};
use sqlx::postgres::PgCopyIn;
use sqlx::PgConnection;

use crate::domain::import::mapping::Members;
use crate::domain::land_use::{Gb36600Class, LandUse};
use crate::domain::parcel::NewParcel;
use crate::gis::geometry::Boundary;

/// A parsed row on its way into the staging table.
pub struct Staged {
    /// 1-based feature number in the file.
    pub idx: i32,
    pub parcel: NewParcel,
    /// The town is to be taken from the polygon (the file had none).
    pub town_from_polygon: bool,
    pub stated_area_m2: Option<f64>,
    /// The attributes with a column whose cell is empty: an update leaves them be.
    pub blank: Members,
    pub boundary: Boundary,
}

/// One import's staging tables — its rows, the pairs of rows whose boxes meet, the rows
/// whose boundary the register has already and the rows that update a parcel — named
/// for the import. They are unlogged tables created in the import's transaction, not
/// temporary ones, so that PostgreSQL may scan them with parallel workers (the checks are
/// the import's longest GEOS work); nobody else ever sees them, since the transaction drops
/// them before it commits ([`drop_stage`]) and a rollback or a killed import takes them
/// with it.
pub struct Stage {
    suffix: String,
}

impl Stage {
    /// A query on the staging tables: `import_stage` and `import_pairs` name this import's.
    pub(super) fn sql(&self, query: &str) -> String {
        query
            .replace("import_stage", &format!("import_stage_{}", self.suffix))
            .replace("import_pairs", &format!("import_pairs_{}", self.suffix))
            .replace("import_known", &format!("import_known_{}", self.suffix))
            .replace("import_updates", &format!("import_updates_{}", self.suffix))
    }
}

/// Creates an import's staging tables in its transaction.
pub async fn create_stage(conn: &mut PgConnection) -> Result<Stage, sqlx::Error> {
    let stage = Stage {
        suffix: uuid::Uuid::new_v4().simple().to_string(),
    };
    sqlx::query(&stage.sql(
        "CREATE UNLOGGED TABLE import_stage (
            idx integer PRIMARY KEY, code text NOT NULL, name text NOT NULL, town text,
            address text NOT NULL, current_use text, planned_use text, gb36600_class smallint NOT NULL,
            land_right land_right NOT NULL, right_holder text, responsible_party text,
            risk soil_risk NOT NULL, stated_area double precision, blank smallint NOT NULL,
            geom geometry(MultiPolygon, 4490) NOT NULL,
            -- computed once, for the area check and the register's area_m2
            area double precision GENERATED ALWAYS AS (ST_Area(geom::geography)) STORED,
            valid boolean NOT NULL DEFAULT true, ok boolean NOT NULL DEFAULT true
         )",
    ))
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        &stage.sql("CREATE UNLOGGED TABLE import_pairs (a integer NOT NULL, b integer NOT NULL)"),
    )
    .execute(&mut *conn)
    .await?;
    // Rows whose code is in the register already and whose boundary will not be written
    // (unchanged, refused, or an update of attributes alone), so the checks of the
    // boundaries to be written (district, overlaps, area) leave them out. A table of their
    // numbers, since marking them in the staging rows rewrites every one.
    sqlx::query(&stage.sql("CREATE UNLOGGED TABLE import_known (idx integer PRIMARY KEY)"))
        .execute(&mut *conn)
        .await?;
    // Rows that update a parcel: which one, at the version and class the checks saw, and
    // whether its boundary changes.
    sqlx::query(&stage.sql(
        "CREATE UNLOGGED TABLE import_updates (
            idx integer PRIMARY KEY, parcel_id bigint NOT NULL, version integer NOT NULL,
            class smallint NOT NULL, new_geom boolean NOT NULL)",
    ))
    .execute(&mut *conn)
    .await?;
    Ok(stage)
}

/// Drops the staging tables: before the import's transaction commits.
pub async fn drop_stage(conn: &mut PgConnection, stage: &Stage) -> Result<(), sqlx::Error> {
    sqlx::query(&stage.sql("DROP TABLE import_stage, import_pairs, import_known, import_updates"))
        .execute(conn)
        .await?;
    Ok(())
}

/// COPY text escaping: backslash, tab, newline and carriage return. Byte-wise: the four
/// are ASCII, and no byte of a multi-byte UTF-8 character is ASCII.
fn field(out: &mut Vec<u8>, v: Option<&str>) {
    match v {
        None => out.extend_from_slice(b"\\N"),
        Some(s)
            if !s
                .bytes()
                .any(|b| matches!(b, b'\\' | b'\t' | b'\n' | b'\r')) =>
        {
            out.extend_from_slice(s.as_bytes())
        }
        Some(s) => {
            for &b in s.as_bytes() {
                match b {
                    b'\\' => out.extend_from_slice(b"\\\\"),
                    b'\t' => out.extend_from_slice(b"\\t"),
                    b'\n' => out.extend_from_slice(b"\\n"),
                    b'\r' => out.extend_from_slice(b"\\r"),
                    b => out.push(b),
                }
            }
        }
    }
    out.push(b'\t');
}

/// A boundary as hex EWKB (SRID 4490), which the server reads without parsing decimals
/// (a double's bits go through unchanged, so nothing is lost).
fn ewkb_hex(out: &mut Vec<u8>, b: Boundary) -> Result<(), sqlx::Error> {
    let geom = geo::Geometry::MultiPolygon(b.into_geo());
    let wkb = geom
        .to_ewkb(CoordDimensions::xy(), Some(4490))
        .map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.reserve(wkb.len() * 2);
    for b in wkb {
        out.push(HEX[usize::from(b >> 4)]);
        out.push(HEX[usize::from(b & 15)]);
    }
    Ok(())
}

/// Starts the one COPY the parsed rows stream into: the server reads a batch while the
/// next is being parsed and written ([`copy_text`]).
pub async fn copy_into_stage<'c>(
    conn: &'c mut PgConnection,
    stage: &Stage,
) -> Result<PgCopyIn<&'c mut PgConnection>, sqlx::Error> {
    conn.copy_in_raw(&stage.sql(
        "COPY import_stage (idx, code, name, town, address, current_use, planned_use,
            gb36600_class, land_right, right_holder, responsible_party, risk, stated_area, blank, geom)
         FROM STDIN",
    ))
    .await
}

/// A batch of rows as COPY text for [`copy_into_stage`] (the boundaries move into it).
pub fn copy_text(rows: Vec<Staged>) -> Result<Vec<u8>, sqlx::Error> {
    let mut buf = Vec::with_capacity(rows.len() * 512);
    for r in rows {
        let a = &r.parcel.attributes;
        let _ = write!(buf, "{}\t", r.idx);
        field(&mut buf, Some(r.parcel.code.as_str()));
        field(&mut buf, Some(&a.name));
        field(&mut buf, (!r.town_from_polygon).then(|| a.town.code()));
        field(&mut buf, Some(&a.address));
        field(&mut buf, a.current_use.map(LandUse::code));
        field(&mut buf, a.planned_use.map(LandUse::code));
        let _ = write!(
            buf,
            "{}\t",
            Gb36600Class::for_planned_use(a.planned_use).number()
        );
        field(&mut buf, Some(a.land_right.as_str()));
        field(&mut buf, a.right_holder.as_deref());
        field(&mut buf, a.responsible_party.as_deref());
        field(&mut buf, Some(a.risk.as_str()));
        match r.stated_area_m2 {
            Some(v) => {
                let _ = write!(buf, "{v}\t");
            }
            None => buf.extend_from_slice(b"\\N\t"),
        }
        let _ = write!(buf, "{}\t", r.blank.bits());
        ewkb_hex(&mut buf, r.boundary)?;
        buf.push(b'\n');
    }
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn copy_fields_escape_the_four_bytes_copy_reads_and_nothing_else() {
        let mut out = Vec::new();
        field(&mut out, Some("永定镇 1号"));
        field(&mut out, Some("a\\b\tc\nd\re"));
        field(&mut out, None);
        assert_eq!(
            String::from_utf8(out).expect("utf-8"),
            "永定镇 1号\ta\\\\b\\tc\\nd\\re\t\\N\t"
        );
    }
}
