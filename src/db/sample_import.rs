//! One import of a parcel's sampling results, in the caller's transaction: rows that
//! contradict what is stored are refused with the rows that are bad in themselves; all or
//! nothing unless partial; re-importing the same rows changes nothing.

use serde_json::{json, Value};
use sqlx::PgConnection;

use super::sampling::{self, key_of};
use crate::domain::sampling::{BadRow, Parsed, RowProblem, SampleRow};

/// What became of an import.
#[derive(Debug)]
pub enum Imported {
    /// Written: `new` results (0 when every row was already there), and the report.
    Written { new: u64, report: Value },
    /// Nothing written: some rows are bad and the import was not partial.
    Refused { message: String, report: Value },
}

/// Imports parsed rows into a parcel (whose row the caller has locked), recording the
/// import (the file's SHA-256, the counts, the report) as the user's.
pub async fn import(
    conn: &mut PgConnection,
    parcel_id: i64,
    parsed: Parsed,
    partial: bool,
    sha256: &str,
    user: i64,
) -> Result<Imported, sqlx::Error> {
    let Parsed { mut rows, mut bad } = parsed;
    let total = rows.len() + bad.len();
    check_against_stored(conn, parcel_id, &mut rows, &mut bad).await?;
    let mut report = json!({
        "rows_total": total, "rows_bad": bad.len(), "bad_rows": bad, "partial": partial,
    });
    if !bad.is_empty() && !partial {
        return Ok(Imported::Refused {
            message: format!(
                "{} of {total} rows cannot be imported; nothing was imported (use partial=true for the good rows)",
                bad.len()
            ),
            report,
        });
    }
    let import_id: i64 = sqlx::query_scalar(
        "INSERT INTO sample_imports (parcel_id, sha256, rows_total, rows_new, rows_bad, report, imported_by)
         VALUES ($1, $2, $3, 0, $4, $5, $6) RETURNING id",
    )
    .bind(parcel_id)
    .bind(sha256)
    .bind(count(total))
    .bind(count(bad.len()))
    .bind(&report)
    .bind(user)
    .fetch_one(&mut *conn)
    .await?;
    let new = sampling::write(conn, parcel_id, &rows, import_id).await?;
    let outside: Vec<String> = sqlx::query_scalar(
        "SELECT sp.point_id FROM sampling_points sp JOIN parcels p ON p.id = sp.parcel_id
          WHERE sp.parcel_id = $1 AND NOT ST_DWithin(sp.geom::geography, p.geom::geography, 1) ORDER BY 1",
    )
    .bind(parcel_id)
    .fetch_all(&mut *conn)
    .await?;
    report["import_id"] = json!(import_id);
    report["rows_imported"] = json!(new);
    report["rows_unchanged"] = json!((rows.len() as u64).saturating_sub(new));
    report["points_outside_parcel"] = json!(outside);
    sqlx::query("UPDATE sample_imports SET rows_new = $2, report = $3 WHERE id = $1")
        .bind(import_id)
        .bind(count(new))
        .bind(&report)
        .execute(&mut *conn)
        .await?;
    Ok(Imported::Written { new, report })
}

/// A count as its `integer` column holds it (a file of more rows than that is capped).
fn count(n: impl TryInto<i32>) -> i32 {
    n.try_into().unwrap_or(i32::MAX)
}

/// Moves the rows that contradict what is stored — a point stored elsewhere, a result
/// stored with another value — to the bad ones.
async fn check_against_stored(
    conn: &mut PgConnection,
    parcel_id: i64,
    rows: &mut Vec<SampleRow>,
    bad: &mut Vec<BadRow>,
) -> Result<(), sqlx::Error> {
    let points = sampling::points(conn, parcel_id).await?;
    let stored = sampling::result_values(conn, parcel_id).await?;
    let mut conflicts = Vec::new();
    rows.retain(|r| {
        let mut problems = Vec::new();
        if let Some((x, y)) = points.get(&r.point_id) {
            if (x - r.lon).abs() > 1e-6 || (y - r.lat).abs() > 1e-6 {
                problems.push(RowProblem {
                    field: "x",
                    message: format!("point {} is stored at ({x}, {y})", r.point_id),
                });
            }
        }
        if let Some((v, below)) = stored.get(&key_of(r)) {
            let same = *below == r.below_detection
                && match (v, r.value_mgkg) {
                    (Some(a), Some(b)) => (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0),
                    (None, None) => true,
                    _ => false,
                };
            if !same {
                problems.push(RowProblem {
                    field: "value",
                    message: format!(
                        "{} of this sample is already recorded with another value",
                        r.item.name_zh
                    ),
                });
            }
        }
        if problems.is_empty() {
            true
        } else {
            conflicts.push(BadRow {
                line: r.line,
                problems,
            });
            false
        }
    });
    bad.extend(conflicts);
    bad.sort_by_key(|b| b.line);
    Ok(())
}
