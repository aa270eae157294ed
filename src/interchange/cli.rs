//! `soilreg import` and `soilreg export`: the same import and export as the API, with a
//! progress bar (rate and ETA) on the terminal and the report as JSON.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{anyhow, Context, Result};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use sqlx::PgPool;

use super::import::{self, Mode, OnExisting, Options, Progress, Register};
use crate::db::imports::Tolerances;
use crate::domain::ledgers::Ledger;
use crate::gis::crs::Crs;
use crate::gis::geometry::Limits;
use crate::http::exports::{allowed_params, export_file, Target};
use crate::http::extract::Params;
use crate::http::ogc::find;
use crate::http::ogc::items::Selection;

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// The file: .shp (or a .zip holding one), .gpkg, .geojson/.json or .csv.
    pub file: PathBuf,
    /// The layer to read (GeoPackage); the first by default.
    #[arg(long)]
    pub layer: Option<String>,
    /// The file's CRS when it does not say, or says wrongly (EPSG:4548, CRS84, GCJ-02 …).
    #[arg(long)]
    pub crs: Option<String>,
    /// A Shapefile's attribute encoding when there is no .cpg (GBK, UTF-8 …).
    #[arg(long)]
    pub encoding: Option<String>,
    /// member=column, repeatable: which column fills which member; `member=` for none
    /// (where a column the guesses would take holds something else).
    #[arg(long = "map", value_name = "MEMBER=COLUMN")]
    pub map: Vec<String>,
    /// What the rows are: parcels (default) or a ledger with a geometry (buried-tanks,
    /// heavy-metal-firms, waste-storage-sites, new-projects, farmland-plots, unused-land-patrols).
    #[arg(long, default_value = "parcels")]
    pub into: String,
    /// The user the rows are recorded as written by (required for ledgers).
    #[arg(long)]
    pub user: Option<String>,
    /// Name of the source; its mapping is saved and reused next time.
    #[arg(long)]
    pub source: Option<String>,
    /// Write the good features and report the rest (default: all or nothing).
    #[arg(long, conflicts_with = "dry_run")]
    pub good_only: bool,
    /// Check and report only; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Parcels whose code is in the register with other attributes or another boundary
    /// are updated (the columns the file has, and the boundary), keeping their history,
    /// instead of refused.
    #[arg(long)]
    pub update: bool,
    /// Accept PostGIS's repair (ST_MakeValid) of invalid polygons.
    #[arg(long)]
    pub repair: bool,
    /// Share of a feature's area that may overlap a parcel or another feature.
    #[arg(long, default_value_t = 0.01)]
    pub overlap_tolerance: f64,
    /// Allowed difference between the stated and the computed area.
    #[arg(long, default_value_t = 0.01)]
    pub area_tolerance: f64,
    /// Write the JSON report here (default: standard output).
    #[arg(long)]
    pub report: Option<PathBuf>,
}

/// Runs an import; true when something was committed or nothing needed to be.
pub async fn import(pool: &PgPool, limits: Limits, a: ImportArgs) -> Result<bool> {
    let crs = a
        .crs
        .as_deref()
        .map(|c| Crs::parse(c).ok_or_else(|| anyhow!("unknown CRS {c}")))
        .transpose()?;
    for (name, v) in [("overlap", a.overlap_tolerance), ("area", a.area_tolerance)] {
        if !(0.0..=1.0).contains(&v) {
            return Err(anyhow!("--{name}-tolerance must be between 0 and 1"));
        }
    }
    let register = match a.into.as_str() {
        "parcels" => Register::Parcels,
        slug => Register::Ledger(
            Ledger::parse(slug)
                .ok_or_else(|| anyhow!("--into must be parcels or a ledger slug"))?,
        ),
    };
    let user = match &a.user {
        None => None,
        Some(name) => Some(
            crate::db::users::id_by_name(pool, name)
                .await?
                .ok_or_else(|| anyhow!("no user named {name}"))?,
        ),
    };
    let opts = Options {
        layer: a.layer,
        crs,
        encoding: a.encoding,
        register,
        map: a.map,
        source: a.source,
        mode: match (a.good_only, a.dry_run) {
            (_, true) => Mode::DryRun,
            (true, _) => Mode::GoodOnly,
            _ => Mode::AllOrNothing,
        },
        existing: if a.update {
            OnExisting::Update
        } else {
            OnExisting::Refuse
        },
        repair: a.repair,
        tolerances: Tolerances {
            overlap: a.overlap_tolerance,
            area: a.area_tolerance,
            ..Tolerances::default()
        },
        user,
    };
    let progress = Arc::new(Progress::default());
    // A counted phase (reading features, writing rows) gets a bar with its rate and ETA; a
    // check, one statement that cannot be counted, a spinner and the time it has taken.
    let counted = ProgressStyle::with_template(
        "{msg:>10} [{bar:40}] {human_pos}/{human_len} features  {rate}  ETA {eta}",
    )
    .map_err(|e| anyhow!(e))?
    .with_key(
        "rate",
        |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = write!(w, "{:.0}/s", state.per_sec());
        },
    )
    .progress_chars("=> ");
    let uncounted =
        ProgressStyle::with_template("{msg:>10} {spinner} {elapsed}").map_err(|e| anyhow!(e))?;
    let bar = ProgressBar::new(0);
    let drawer = {
        let (bar, progress) = (bar.clone(), progress.clone());
        tokio::spawn(async move {
            let mut shown = "";
            loop {
                let (phase, done, total) = progress.snapshot();
                if phase != shown {
                    // Length, style and name before any redraw shows them; then rate
                    // and ETA start again.
                    bar.set_length(total.max(done));
                    let style = if total > 0 { &counted } else { &uncounted };
                    bar.set_style(style.clone());
                    bar.set_message(phase);
                    bar.reset();
                    shown = phase;
                }
                bar.set_length(total.max(done));
                bar.set_position(done);
                bar.tick();
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        })
    };
    let name = a
        .file
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("file")
        .to_owned();
    let id = uuid::Uuid::new_v4();
    let req = import::Request {
        path: a.file.clone(),
        file_name: name,
        opts,
        limits,
        gate: None,
        job: Some(id),
    };
    let result = import::run_job(pool, id, &req, progress).await;
    drawer.abort();
    bar.finish_and_clear();
    let report = result.with_context(|| format!("importing {}", a.file.display()))?;
    let json = serde_json::to_string_pretty(&report)?;
    match &a.report {
        Some(p) => std::fs::write(p, json)?,
        None => println!("{json}"),
    }
    let c = report.counts;
    eprintln!(
        "{}: {} features — {} new, {} repaired, {} unchanged, {} updated, {} rejected; {} written{} (import {id})",
        report.file,
        c.features,
        c.new,
        c.repaired,
        c.unchanged,
        c.updated,
        c.rejected,
        c.written,
        if report.committed { "" } else { ", nothing committed" },
    );
    // What is wrong, counted over the whole file, most frequent first.
    for p in &report.problems {
        let code = p.code.map(|c| format!(" ({c})")).unwrap_or_default();
        let kind = serde_json::to_value(p.kind).unwrap_or_default();
        eprintln!(
            "  {} × {}{code}",
            p.count,
            kind.as_str().unwrap_or("problem")
        );
    }
    // A failure only when rejected rows kept an import from being written.
    Ok(report.committed || c.rejected == 0 || req.opts.mode == Mode::DryRun)
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    /// Output file; its extension picks the format unless --format is given.
    #[arg(long, short)]
    pub out: PathBuf,
    /// shp (a zip), gpkg, geojson, csv or xlsx.
    #[arg(long)]
    pub format: Option<String>,
    /// The collection (as in /ogc/collections).
    #[arg(long, default_value = "parcels")]
    pub collection: String,
    /// Output CRS: EPSG:4490 (default), CRS84, EPSG:4526/4527/4547/4548.
    #[arg(long)]
    pub crs: Option<String>,
    /// Shapefile attribute encoding: utf-8 (default, with a .cpg) or gbk.
    #[arg(long)]
    pub encoding: Option<String>,
    /// CQL2-text filter, as for the map and the OGC items.
    #[arg(long)]
    pub filter: Option<String>,
    /// minx,miny,maxx,maxy in CRS84.
    #[arg(long)]
    pub bbox: Option<String>,
}

pub async fn export(pool: &PgPool, a: ExportArgs) -> Result<()> {
    let c = find(&a.collection).ok_or_else(|| anyhow!("no collection {}", a.collection))?;
    let format = a.format.clone().or_else(|| {
        a.out.extension().and_then(|e| e.to_str()).map(|e| {
            if e == "zip" {
                "shp".to_owned()
            } else {
                e.to_owned()
            }
        })
    });
    let mut map = HashMap::new();
    for (k, v) in [
        ("format", format),
        ("crs", a.crs),
        ("encoding", a.encoding),
        ("filter", a.filter),
        ("bbox", a.bbox),
    ] {
        if let Some(v) = v {
            map.insert(k.to_owned(), v);
        }
    }
    debug_assert!(map.keys().all(|k| allowed_params(c).contains(&k.as_str())));
    let params = Params(map);
    let target = Target::parse(&params).map_err(|e| anyhow!(e.message))?;
    let selection = Selection::parse(params).map_err(|e| anyhow!(e.message))?;
    let file = export_file(pool, c, &selection, &target)
        .await
        .map_err(|e| anyhow!(e.message))?;
    std::fs::write(&a.out, &file.bytes)?;
    eprintln!("{} features written to {}", file.count, a.out.display());
    Ok(())
}
