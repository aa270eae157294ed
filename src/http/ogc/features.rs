//! Features read as columns and written as GeoJSON text by the service: the key, the id,
//! the geometry (GeoJSON text from PostGIS) and the properties — one JSON column, or the
//! collection's typed fields written here (see [`Props`]).

use sqlx::postgres::PgRow;
use sqlx::Row;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::collections::{Collection, Kind, Props};

/// The select list of a feature: key, id, `geometry` (an SQL GeoJSON text expression),
/// then the properties.
pub fn columns(c: &Collection, geometry: &str) -> String {
    let props = match c.props {
        Props::Sql(sql) => format!("({sql})::text"),
        Props::Fields(fields) => fields
            .iter()
            .map(|f| f.column_sql())
            .collect::<Vec<_>>()
            .join(", "),
    };
    format!("{}::bigint, ({})::text, {geometry}, {props}", c.key, c.fid)
}

/// Appends the feature whose [`columns`] start at `at` in `row` to a JSON buffer (written
/// in place, a page's features into one buffer); returns its key. The columns' types are
/// fixed by [`columns`] (casts, and an enum's binary form is its label), so they are read
/// without sqlx's per-cell type check.
pub fn write(
    row: &PgRow,
    at: usize,
    c: &Collection,
    out: &mut Vec<u8>,
) -> Result<i64, sqlx::Error> {
    let key: i64 = row.try_get_unchecked(at)?;
    let fid: Option<&str> = row.try_get_unchecked(at + 1)?;
    let geometry: Option<&str> = row.try_get_unchecked(at + 2)?;
    out.extend_from_slice(b"{\"type\":\"Feature\",\"id\":");
    push_json(out, &fid);
    out.extend_from_slice(b",\"geometry\":");
    out.extend_from_slice(geometry.unwrap_or("null").as_bytes());
    out.extend_from_slice(b",\"properties\":");
    match c.props {
        Props::Sql(_) => {
            let props: Option<&str> = row.try_get_unchecked(at + 3)?;
            out.extend_from_slice(props.unwrap_or("{}").as_bytes());
        }
        Props::Fields(fields) => {
            out.push(b'{');
            for (i, f) in fields.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                push_json(out, &f.name);
                out.push(b':');
                let col = at + 3 + i;
                match f.kind {
                    Kind::Text | Kind::Label => {
                        push_json(out, &row.try_get_unchecked::<Option<&str>, _>(col)?)
                    }
                    Kind::Int => push_json(out, &row.try_get_unchecked::<Option<i64>, _>(col)?),
                    Kind::Hundredths => {
                        let v = row.try_get_unchecked::<Option<f64>, _>(col)?;
                        push_json(out, &v.map(|v| (v * 100.0).round() / 100.0));
                    }
                    Kind::Timestamp => {
                        let t = row.try_get_unchecked::<Option<OffsetDateTime>, _>(col)?;
                        push_json(out, &t.and_then(|t| t.format(&Rfc3339).ok()));
                    }
                }
            }
            out.push(b'}');
        }
    }
    out.push(b'}');
    Ok(key)
}

/// A value as JSON, straight into the buffer (`None` and non-finite numbers are `null`).
fn push_json<T: serde::Serialize>(out: &mut Vec<u8>, v: &T) {
    if serde_json::to_writer(&mut *out, v).is_err() {
        out.extend_from_slice(b"null");
    }
}
