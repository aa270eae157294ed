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
    format!("{}, {}, {geometry}, {props}", c.key, c.fid)
}

/// Appends the feature whose [`columns`] start at `at` in `row`; returns its key.
pub fn write(row: &PgRow, at: usize, c: &Collection, out: &mut String) -> Result<i64, sqlx::Error> {
    let key: i64 = row.try_get(at)?;
    let fid: Option<&str> = row.try_get(at + 1)?;
    let geometry: Option<&str> = row.try_get(at + 2)?;
    out.push_str("{\"type\":\"Feature\",\"id\":");
    push_text(out, fid);
    out.push_str(",\"geometry\":");
    out.push_str(geometry.unwrap_or("null"));
    out.push_str(",\"properties\":");
    match c.props {
        Props::Sql(_) => out.push_str(row.try_get::<Option<&str>, _>(at + 3)?.unwrap_or("{}")),
        Props::Fields(fields) => {
            out.push('{');
            for (i, f) in fields.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                push_text(out, Some(f.name));
                out.push(':');
                let col = at + 3 + i;
                match f.kind {
                    Kind::Text | Kind::Label => push_text(out, row.try_get(col)?),
                    Kind::Int => match row.try_get::<Option<i64>, _>(col)? {
                        Some(n) => out.push_str(&n.to_string()),
                        None => out.push_str("null"),
                    },
                    Kind::Hundredths => {
                        let v = row.try_get::<Option<f64>, _>(col)?;
                        let n = v.and_then(|v| {
                            serde_json::Number::from_f64((v * 100.0).round() / 100.0)
                        });
                        match n {
                            Some(n) => out.push_str(&n.to_string()),
                            None => out.push_str("null"),
                        }
                    }
                    Kind::Timestamp => {
                        let t = row.try_get::<Option<OffsetDateTime>, _>(col)?;
                        push_text(out, t.and_then(|t| t.format(&Rfc3339).ok()).as_deref());
                    }
                }
            }
            out.push('}');
        }
    }
    out.push('}');
    Ok(key)
}

/// A JSON string (escaped), or `null`.
fn push_text(out: &mut String, s: Option<&str>) {
    match s {
        Some(s) => match serde_json::to_string(s) {
            Ok(json) => out.push_str(&json),
            Err(_) => out.push_str("null"),
        },
        None => out.push_str("null"),
    }
}
