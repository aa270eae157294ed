//! Importing the rows of a ledger with a geometry (heavy-metal firms, buried tanks, waste
//! sites, new projects, farmland plots, patrols): each row through the ledger's own parser
//! and insert, in one transaction. Ledger rows have no natural key, so a row identical to
//! one already in the ledger (members and geometry) counts as unchanged and is not added
//! again: re-importing a file changes nothing.

use std::sync::Arc;

use serde_json::Map;
use sqlx::{Acquire, PgPool};

use super::import::{should_write, ImportError, Opened, Progress, Request};
use crate::db;
use crate::domain::import::ledger_columns;
use crate::domain::import::mapping::split_pair;
use crate::domain::import::report::{FeatureReport, Outcome, Problem, ProblemKind, Report};
use crate::domain::ledgers::{shape_from_geo, Entry, GeometryKind, Ledger, Shape};
use crate::domain::parcel::FieldError;
use crate::gis::crs::ToCgcs2000;
use crate::gis::detect::NoFit;

type Parsed = (usize, Result<(Entry, Shape), Vec<Problem>>);

pub(super) async fn run(
    pool: &PgPool,
    ledger: Ledger,
    opened: Opened,
    req: &Request,
    progress: &Arc<Progress>,
) -> Result<Report, ImportError> {
    let (opts, limits, file_name) = (&req.opts, req.limits, req.file_name.as_str());
    let user = opts.user.ok_or_else(|| {
        ImportError::Mapping(FieldError::new(
            "user",
            "required",
            "ledger rows record who wrote them: name the importing user",
        ))
    })?;
    let chosen: Vec<(String, String)> = opts
        .map
        .iter()
        .map(|p| {
            split_pair(p)
                .map(|(m, c)| (m.to_owned(), c.to_owned()))
                .map_err(ImportError::Mapping)
        })
        .collect::<Result<_, _>>()?;
    // the source's saved choices first, where they still fit this file; the user's over them
    let saved = match &opts.source {
        Some(s) => {
            db::import_jobs::saved_mapping::<ledger_columns::Saved>(pool, s, ledger.slug()).await?
        }
        None => None,
    };
    let mut pairs = saved.map_or_else(Vec::new, |s| {
        ledger_columns::saved_pairs(ledger.fields(), &opened.info.columns, &s)
    });
    pairs.extend(chosen);
    let columns =
        ledger_columns::resolve(ledger.fields(), &opened.info.columns, &pairs).map_err(|e| {
            let guessed = ledger_columns::resolve(ledger.fields(), &opened.info.columns, &[])
                .unwrap_or_default();
            opened.unmapped(file_name, guessed, e)
        })?;

    progress.start("reading", opened.info.count.unwrap_or(0));
    let parsed: Vec<Parsed> = {
        let (source, info, detection) =
            (opened.source.clone(), opened.info.clone(), opened.detection);
        let (columns, progress) = (columns.clone(), progress.clone());
        tokio::task::spawn_blocking(move || {
            let to_cgcs = ToCgcs2000::new(detection.crs)
                .map_err(|e| ImportError::Crs(NoFit(format!("PROJ: {e}"))))?;
            let today = crate::clock::today();
            let mut out = Vec::new();
            source.read(&info, detection.swap_axes, None, |row| {
                let mut props = Map::new();
                for (member, col) in &columns {
                    let cell = info
                        .columns
                        .iter()
                        .position(|c| c == col)
                        .and_then(|i| row.cells.get(i).cloned().flatten());
                    if let Some(v) = cell.as_ref().and_then(ledger_columns::value) {
                        props.insert(member.clone(), v);
                    }
                }
                let entry = Entry::parse(ledger, &props, today).map_err(Problem::from_field);
                let member = ledger.geometry_member();
                let shape = row
                    .geometry
                    .map_err(|e| FieldError::new(member, e.code, e.message))
                    .and_then(|g| shape_from_geo(ledger.geometry(), member, g, &to_cgcs, &limits))
                    .map_err(|e| Problem {
                        kind: ProblemKind::InvalidGeometry,
                        ..Problem::from_field(e)
                    });
                progress.advance(1);
                out.push((
                    row.index,
                    match (entry, shape) {
                        (Ok(e), Ok(s)) => Ok((e, s)),
                        (e, s) => Err(e.err().into_iter().chain(s.err()).collect()),
                    },
                ));
                true
            })?;
            Ok::<_, ImportError>(out)
        })
        .await
        .map_err(|e| ImportError::Interrupted(e.to_string()))??
    };
    if parsed.is_empty() {
        return Err(ImportError::Empty);
    }

    progress.start("writing", parsed.len() as u64);
    let mut tx = pool.begin().await?;
    let mut lines = Vec::with_capacity(parsed.len());
    let mut added = 0usize;
    for (feature, result) in parsed {
        progress.advance(1);
        let (entry, shape) = match result {
            Ok(ok) => ok,
            Err(problems) => {
                lines.push(line(feature, Outcome::Rejected, problems));
                continue;
            }
        };
        if shape.kind() == GeometryKind::Area {
            if let Some(inv) = db::geometry::invalidity(&mut tx, &shape.to_geojson()).await? {
                let p = Problem {
                    location: inv.location.map(|(x, y)| [x, y]),
                    ..Problem::new(ProblemKind::SelfIntersection, inv.reason)
                };
                lines.push(line(feature, Outcome::Rejected, vec![p]));
                continue;
            }
        }
        let mut sp = tx.begin().await?;
        let (id, _, _) = db::ledgers::insert(&mut sp, &entry, &shape, user).await?;
        if db::imports::ledger_row_repeats(&mut sp, ledger, id).await? {
            sp.rollback().await?;
            lines.push(line(feature, Outcome::Unchanged, vec![]));
        } else {
            sp.commit().await?;
            added += 1;
            lines.push(line(feature, Outcome::New, vec![]));
        }
    }
    let rejected = lines
        .iter()
        .filter(|l| l.outcome == Outcome::Rejected)
        .count();
    let written = if should_write(opts.mode, rejected, added) {
        if let Some(s) = &opts.source {
            let saving = ledger_columns::to_save(&columns, &pairs);
            db::import_jobs::save_mapping(&mut tx, (s, ledger.slug()), &saving).await?;
        }
        req.may_commit()?;
        tx.commit().await?;
        added
    } else {
        tx.rollback().await?;
        0
    };
    progress.finish(lines.len() as u64);
    Ok(opened.report(file_name, columns, lines, written, written > 0))
}

fn line(feature: usize, outcome: Outcome, problems: Vec<Problem>) -> FeatureReport {
    FeatureReport::new(feature, None, outcome, problems)
}
