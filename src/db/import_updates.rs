//! The register's parcels a file names (by code): compared with the file's features —
//! on the attributes the file fills and the boundary — then left unchanged, refused, or
//! updated over, each update a new version of its parcel with the old one kept.

use std::collections::HashMap;

use sqlx::PgConnection;

use super::import_stage::Stage;
use super::imports::{at, Findings, Located, AT};
use crate::domain::import::existing::{fate, Compared, Fate};
use crate::domain::import::mapping::{Member, Members};
use crate::domain::import::report::{Change, Problem};

/// What to do with the features whose code is in the register already.
#[derive(Debug, Clone, Copy)]
pub struct Existing<'a> {
    /// The parcel attributes the file has columns for: an existing parcel is compared on
    /// these (and its boundary), and an update writes these.
    pub compared: &'a [Member],
    /// Update the parcels the file differs from; else they are refused (`code_taken`).
    pub update: bool,
    /// Check the file's boundaries against the boundaries its updates replace, too. An
    /// import that writes everything or nothing replaces all of them, so it need not; one
    /// that writes the good rows only may refuse an update, whose parcel then keeps its
    /// boundary.
    pub against_replaced: bool,
}

/// A feature whose code is in the register: its code; whether the attributes the file has
/// and the boundary are the same; the parcel's id, version and class; whether it is
/// retired; and whether the file changes a land right the parcel's land events decide.
type Known = (i32, String, bool, bool, i64, i32, i16, bool, bool);

/// The register's column of a parcel attribute (see [`Member::is_attribute`]): named as the
/// API names the member (a test imports every attribute through these).
fn column(m: Member) -> Option<&'static str> {
    m.is_attribute().then(|| m.key())
}

/// The register's columns of the attributes compared (and written by an update), each with
/// the SQL that tells whether a staged row `s` left it blank.
fn columns(compared: &[Member]) -> Vec<(&'static str, String)> {
    compared
        .iter()
        .filter_map(|m| column(*m).map(|c| (c, blank(*m))))
        .collect()
}

/// Whether the staged row `s` has an empty cell for `m`.
fn blank(m: Member) -> String {
    format!("(s.blank & {} <> 0)", Members::bit_of(m))
}

/// The rows of `import_updates`, as the columns they are bound as.
#[derive(Default)]
struct Updates {
    idx: Vec<i32>,
    parcel: Vec<i64>,
    /// The parcel's version and class as the checks read them.
    version: Vec<i32>,
    class: Vec<i16>,
    /// Whether the boundary changes.
    new_geom: Vec<bool>,
}

/// The features whose code is in the register: unchanged (as the file has them), refused
/// (`code_taken`, or `not_updatable`), or updates. Those whose boundary will not be
/// written go into `import_known`, the updates into `import_updates`.
pub(super) async fn known_in_register(
    conn: &mut PgConnection,
    stage: &Stage,
    existing: Existing<'_>,
    f: &mut Findings,
) -> Result<(), sqlx::Error> {
    // an empty cell says nothing about the parcel
    let same = columns(existing.compared)
        .iter()
        .map(|(c, blank)| format!("({blank} OR p.{c} IS NOT DISTINCT FROM s.{c})"))
        .chain(std::iter::once("true".to_owned()))
        .collect::<Vec<_>>()
        .join(" AND ");
    let land_right_changes = if existing.compared.contains(&Member::LandRight) {
        format!(
            "NOT {} AND p.land_right IS DISTINCT FROM s.land_right",
            blank(Member::LandRight)
        )
    } else {
        "false".to_owned()
    };
    let rows: Vec<Known> = sqlx::query_as(&stage.sql(&format!(
        "SELECT s.idx, s.code, {same},
                s.valid AND (ST_OrderingEquals(p.geom, s.geom) OR ST_HausdorffDistance(p.geom, s.geom) < 1e-8),
                p.id, p.version, p.gb36600_class, p.retired_at IS NOT NULL,
                CASE WHEN {land_right_changes} THEN EXISTS (
                    SELECT 1 FROM parcel_events e WHERE e.parcel_id = p.id AND e.kind::text = ANY($1))
                ELSE false END
           FROM import_stage s JOIN parcels p ON p.code = s.code"
    )))
    .bind(super::events::land_kinds())
    .fetch_all(&mut *conn)
    .await?;
    let mut known: Vec<i32> = Vec::new();
    let mut refused: Vec<(i32, Problem)> = Vec::new();
    let mut updates = Updates::default();
    for (idx, code, same_attrs, same_geom, id, version, class, retired, follows) in rows {
        let compared = Compared {
            same_attributes: same_attrs,
            same_boundary: same_geom,
            retired,
            changes_event_land_right: follows,
        };
        match fate(&code, compared, existing.update) {
            Fate::Unchanged => {
                f.unchanged.insert(idx);
                known.push(idx);
            }
            Fate::Refused(p) => {
                known.push(idx);
                refused.push((idx, p));
            }
            Fate::Update { new_boundary } => {
                f.updated.insert(idx);
                if !new_boundary {
                    known.push(idx);
                }
                updates.idx.push(idx);
                updates.parcel.push(id);
                updates.version.push(version);
                updates.class.push(class);
                updates.new_geom.push(new_boundary);
            }
        }
    }
    sqlx::query(&stage.sql("INSERT INTO import_known SELECT unnest($1::integer[])"))
        .bind(&known)
        .execute(&mut *conn)
        .await?;
    sqlx::query(&stage.sql(
        "INSERT INTO import_updates
         SELECT * FROM unnest($1::integer[], $2::bigint[], $3::integer[], $4::smallint[], $5::boolean[])",
    ))
    .bind(&updates.idx)
    .bind(&updates.parcel)
    .bind(&updates.version)
    .bind(&updates.class)
    .bind(&updates.new_geom)
    .execute(&mut *conn)
    .await?;
    sqlx::query(&stage.sql("ANALYZE import_known"))
        .execute(&mut *conn)
        .await?;
    if !f.updated.is_empty() {
        f.changes = update_changes(conn, stage, existing.compared).await?;
    }
    // where they are: only the ones refused (a file imported again is all unchanged)
    let ids: Vec<i32> = refused.iter().map(|t| t.0).collect();
    let points: HashMap<i32, (Option<f64>, Option<f64>)> = sqlx::query_as::<_, Located>(
        &stage.sql(&format!(
            "SELECT s.idx, ST_X(a.at), ST_Y(a.at) FROM import_stage s, LATERAL {AT} WHERE s.idx = ANY($1)"
        )),
    )
    .bind(&ids)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|(idx, x, y)| (idx, (x, y)))
    .collect();
    for (idx, p) in refused {
        let (x, y) = points.get(&idx).copied().unwrap_or_default();
        f.add(idx, at(p, x, y));
    }
    Ok(())
}

/// What each staged update changes: the members whose filled cell differs from the parcel
/// (as text, from → to), and the boundary (its areas in m²) when it changes.
async fn update_changes(
    conn: &mut PgConnection,
    stage: &Stage,
    compared: &[Member],
) -> Result<HashMap<i32, Vec<Change>>, sqlx::Error> {
    let members: Vec<(&str, String)> = compared
        .iter()
        .filter_map(|m| column(*m).map(|c| (m.key(), format!(
            "CASE WHEN NOT {} AND p.{c} IS DISTINCT FROM s.{c} THEN ARRAY[p.{c}::text, s.{c}::text] END",
            blank(*m)
        ))))
        .chain(std::iter::once((
            "boundary",
            "CASE WHEN u.new_geom THEN ARRAY[round(p.area_m2::numeric, 1)::text, round(s.area::numeric, 1)::text] END".to_owned(),
        )))
        .collect();
    // one flat array of (from, to) pairs, a member's pair NULL, NULL when it is unchanged
    let sql = format!(
        "SELECT s.idx, {} FROM import_updates u
           JOIN import_stage s ON s.idx = u.idx JOIN parcels p ON p.id = u.parcel_id",
        members
            .iter()
            .map(|(_, e)| format!("coalesce({e}, ARRAY[NULL, NULL]::text[])"))
            .collect::<Vec<_>>()
            .join(" || ")
    );
    let rows: Vec<(i32, Vec<Option<String>>)> = sqlx::query_as(&stage.sql(&sql))
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(idx, values)| {
            let changes = members
                .iter()
                .zip(values.chunks(2))
                .filter(|(_, pair)| pair.iter().any(Option::is_some))
                .map(|((member, _), pair)| Change {
                    member: (*member).to_owned(),
                    from: pair.first().cloned().flatten(),
                    to: pair.get(1).cloned().flatten(),
                })
                .collect();
            (idx, changes)
        })
        .collect())
}

/// A parcel an import updated: its id, and its GB 36600 class before and after.
pub type Updated = (i64, i16, i16);

/// The parcels an import updated while it ran were changed by someone else.
#[derive(Debug, thiserror::Error)]
#[error("{0} of the parcels this import updates changed while it ran; nothing was written: import again")]
pub struct ChangedMeanwhile(pub usize);

/// Writes the staged updates that are not rejected over their parcels, in one statement:
/// the attributes the file has columns for (`compared`), the boundary where it changes,
/// and a new version — written by `user` through import `job` — the old one kept by the
/// history trigger. A parcel changed since the
/// checks read it is not written over: the import is refused ([`ChangedMeanwhile`]).
pub async fn update(
    conn: &mut PgConnection,
    stage: &Stage,
    compared: &[Member],
    (user, job): (Option<i64>, Option<uuid::Uuid>),
) -> Result<Result<Vec<Updated>, ChangedMeanwhile>, sqlx::Error> {
    // a member whose cell is empty stays as it is
    let mut set: Vec<String> = columns(compared)
        .iter()
        .map(|(c, blank)| format!("{c} = CASE WHEN {blank} THEN p.{c} ELSE s.{c} END"))
        .collect();
    if compared.contains(&Member::PlannedUse) {
        set.push(format!(
            "gb36600_class = CASE WHEN {} THEN p.gb36600_class ELSE s.gb36600_class END",
            blank(Member::PlannedUse)
        ));
    }
    if compared.contains(&Member::LandRight) {
        // as an edit does: the land right the parcel started with, until events decide it
        set.push(format!(
            "land_right_initial = CASE WHEN {} OR EXISTS (SELECT 1 FROM parcel_events e
                WHERE e.parcel_id = p.id AND e.kind::text = ANY($2))
                THEN p.land_right_initial ELSE s.land_right END",
            blank(Member::LandRight)
        ));
    }
    let set = set.iter().map(|c| format!("{c}, ")).collect::<String>();
    let expected: i64 = sqlx::query_scalar(&stage.sql(
        "SELECT count(*) FROM import_updates u JOIN import_stage s ON s.idx = u.idx WHERE s.ok",
    ))
    .fetch_one(&mut *conn)
    .await?;
    let done: Vec<Updated> = sqlx::query_as(&stage.sql(&format!(
        "UPDATE parcels p SET {set}
                geom = CASE WHEN u.new_geom THEN s.geom ELSE p.geom END,
                area_m2 = CASE WHEN u.new_geom THEN s.area ELSE p.area_m2 END,
                version = p.version + 1, updated_at = now(), updated_by = $1, updated_via = $3
           FROM import_updates u JOIN import_stage s ON s.idx = u.idx
          WHERE s.ok AND p.id = u.parcel_id AND p.version = u.version
         RETURNING p.id, u.class, p.gb36600_class"
    )))
    .bind(user)
    .bind(super::events::land_kinds())
    .bind(job)
    .fetch_all(&mut *conn)
    .await?;
    let missed = usize::try_from(expected)
        .unwrap_or(0)
        .saturating_sub(done.len());
    Ok(if missed > 0 {
        Err(ChangedMeanwhile(missed))
    } else {
        Ok(done)
    })
}
