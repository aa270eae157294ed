//! One import, start to end: open the file, find its CRS and field mapping, parse every
//! row (a reader thread) while the rows stream into the staging table (COPY), run the
//! checks, and write — all in one transaction, so an import that fails or is killed
//! half-way leaves nothing behind, and one that finds a bad row writes nothing unless
//! the good rows only were asked for.

use std::path::PathBuf;
use std::sync::Arc;

use sqlx::PgPool;

pub use super::job::{run_job, run_started, sha256_of, start_job};
use super::parcel_rows::{read_rows, Msg};
pub use super::progress::{PhaseTime, Progress};
use super::read::{self, ReadError, Source};
use super::running::Gate;
use crate::db::import_jobs as jobs;
use crate::db::imports::{self as db, Tolerances};
use crate::db::sampling::{self as db_sampling, ScreeningError};
use crate::domain::import::mapping::{Choices, Mapping, Member};
pub use crate::domain::import::mode::{Mode, OnExisting};
use crate::domain::import::report::{self, Asked, FeatureReport, Outcome, Report};
use crate::domain::land_use::Gb36600Class;
use crate::domain::parcel::FieldError;
use crate::gis::box_pairs;
use crate::gis::crs::Crs;
use crate::gis::detect::{self, Detection, NoFit};
use crate::gis::geometry::Limits;

/// The user's choices.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub layer: Option<String>,
    /// Overrides detection (checked against the district).
    pub crs: Option<Crs>,
    /// Overrides a Shapefile's encoding (`GBK`, `UTF-8` …).
    pub encoding: Option<String>,
    /// What the rows are: parcels (default) or the rows of a ledger.
    pub register: Register,
    /// `member=column` choices, over the saved mapping and the guesses.
    pub map: Vec<String>,
    /// Names the source whose mapping is saved and reused.
    pub source: Option<String>,
    pub mode: Mode,
    /// Parcels only: what becomes of a feature whose parcel is in the register already.
    pub existing: OnExisting,
    /// Accept `ST_MakeValid`'s repair of invalid polygons.
    pub repair: bool,
    pub tolerances: Tolerances,
    pub user: Option<i64>,
}

/// Where the rows go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Register {
    #[default]
    Parcels,
    Ledger(crate::domain::ledgers::Ledger),
}

impl Register {
    /// `parcels`, or the ledger's slug: as the API's `into` and the tile layers name it.
    pub fn slug(self) -> &'static str {
        match self {
            Register::Parcels => "parcels",
            Register::Ledger(l) => l.slug(),
        }
    }
}

/// One import to run: the file, the name it came under (an upload's, or the path's), the
/// user's choices and the limits every boundary is held to.
#[derive(Debug, Clone)]
pub struct Request {
    pub path: PathBuf,
    pub file_name: String,
    pub opts: Options,
    pub limits: Limits,
    /// Asked before committing, when the import can be cancelled (a job of the service).
    pub gate: Option<Gate>,
    /// The job it runs as: the parcels it writes say so (`updated_via`).
    pub job: Option<uuid::Uuid>,
}

impl Request {
    /// Whether the import may commit: not when it was cancelled meanwhile.
    pub(super) fn may_commit(&self) -> Result<(), ImportError> {
        match &self.gate {
            Some(g) if !g.may_commit() => Err(ImportError::Cancelled),
            _ => Ok(()),
        }
    }
}

/// Why an import could not run at all (as opposed to rows that were rejected).
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    Read(#[from] ReadError),
    #[error("{}", .0.0)]
    Crs(NoFit),
    #[error("{}", .0.message)]
    Mapping(FieldError),
    /// The file was read but its columns do not fill the register: a column chosen is not
    /// in it, or nothing holds the code. The report describes the file (layers, columns,
    /// the mapping as far as it went) so that a person can choose.
    #[error("{}", .error.message)]
    Unmapped {
        error: FieldError,
        file: Box<Report>,
    },
    #[error("the layer has no features")]
    Empty,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(
        "more than {0} pairs of features have meeting boxes: parcels meet a few neighbours \
         each, so this file cannot be checked for overlaps (are its polygons parcels?)"
    )]
    Crowded(usize),
    #[error("the import was interrupted: {0}")]
    Interrupted(String),
    #[error(transparent)]
    Changed(#[from] db::ChangedMeanwhile),
    #[error("the import was cancelled: nothing was written")]
    Cancelled,
    #[error(transparent)]
    Screening(#[from] ScreeningError),
}

/// Most pairs of features with meeting boxes an import checks for overlaps (160 MB of
/// pairs; a district of 1,000,000 adjacent parcels has about 4,000,000).
const MAX_PAIRS: usize = 20_000_000;
/// Rows the reader thread sends at a time.
pub(super) const BATCH: usize = 2000;

/// A file opened, its layer described and its CRS found.
pub(super) struct Opened {
    pub source: Arc<Source>,
    pub info: read::LayerInfo,
    pub detection: Detection,
    /// What the import was asked to do, for its report.
    pub asked: Asked,
}

impl Opened {
    /// The error for a file whose columns do not fill the register, with its description.
    pub fn unmapped(
        &self,
        file_name: &str,
        mapping: std::collections::BTreeMap<String, String>,
        error: FieldError,
    ) -> ImportError {
        ImportError::Unmapped {
            error,
            file: Box::new(self.report(file_name, mapping, Vec::new(), 0, false)),
        }
    }

    /// The report of this file, for the given outcome.
    pub fn report(
        &self,
        file_name: &str,
        mapping: std::collections::BTreeMap<String, String>,
        lines: Vec<FeatureReport>,
        written: usize,
        committed: bool,
    ) -> Report {
        let mut counts = Report::count(&lines);
        counts.written = written;
        let problems = report::problem_counts(&lines);
        let (features, truncated) =
            report::listed(lines, report::LIST_ALL_UP_TO, report::LIST_PROBLEMS_UP_TO);
        Report {
            file: file_name.to_owned(),
            asked: self.asked,
            format: self.source.format.label().to_owned(),
            layer: Some(self.info.name.clone()),
            layers: self.source.layers.clone(),
            encoding: self
                .source
                .encoding
                .as_ref()
                .map(|e| format!("{} ({})", e.name, e.why)),
            crs: self.detection,
            columns: self.info.columns.clone(),
            mapping,
            counts,
            committed,
            problems,
            features,
            truncated,
        }
    }
}

/// Opens the file and finds its CRS (or checks the one chosen).
async fn open(req: &Request) -> Result<Opened, ImportError> {
    let (opts, limits) = (&req.opts, &req.limits);
    let (p, enc, layer) = (req.path.clone(), opts.encoding.clone(), opts.layer.clone());
    let (source, info, file_box) = tokio::task::spawn_blocking(move || {
        let source = read::open(&p, enc.as_deref())?;
        let info = source.layer_info(layer.as_deref())?;
        let file_box = source.file_box(&info)?;
        Ok::<_, ReadError>((source, info, file_box))
    })
    .await
    .map_err(|e| ImportError::Interrupted(e.to_string()))??;
    let file_box = file_box.ok_or(ImportError::Empty)?;
    let detection = match opts.crs {
        Some(c) => detect::confirm(c, &file_box, &limits.extent),
        None => detect::detect(info.declared, &file_box, &limits.extent),
    }
    .map_err(ImportError::Crs)?;
    let tol = opts.tolerances;
    Ok(Opened {
        source: Arc::new(source),
        info,
        detection,
        asked: Asked {
            mode: opts.mode,
            existing: opts.existing,
            repair: opts.repair,
            overlap_tolerance: tol.overlap,
            area_tolerance: tol.area,
            outside_tolerance: tol.outside,
        },
    })
}

/// Runs an import (see the module documentation).
pub async fn run(
    pool: &PgPool,
    req: &Request,
    progress: &Arc<Progress>,
) -> Result<Report, ImportError> {
    progress.start("opening", 0);
    let opened = open(req).await?;
    match req.opts.register {
        Register::Parcels => run_parcels(pool, opened, req, progress).await,
        Register::Ledger(l) => match ledgers_are_not_updated(&req.opts) {
            Some(e) => Err(ImportError::Mapping(e)),
            None => super::ledger_import::run(pool, l, opened, req, progress).await,
        },
    }
}

/// An import into a ledger cannot update rows: a ledger's rows have no code to match a
/// file's by, and are edited through the ledger's API.
pub fn ledgers_are_not_updated(opts: &Options) -> Option<FieldError> {
    (matches!(opts.register, Register::Ledger(_)) && opts.existing == OnExisting::Update).then(
        || {
            FieldError::new(
                "existing",
                "parcels_only",
                "only parcels are updated by an import: a ledger's rows are edited through its API",
            )
        },
    )
}

async fn run_parcels(
    pool: &PgPool,
    opened: Opened,
    req: &Request,
    progress: &Progress,
) -> Result<Report, ImportError> {
    let (opts, limits) = (&req.opts, req.limits);
    let info = &opened.info;
    let detection = opened.detection;
    let saved = match &opts.source {
        Some(s) => jobs::saved_mapping::<Choices>(pool, s, opts.register.slug()).await?,
        None => None,
    };
    let chosen =
        Choices::parse_pairs(opts.map.iter().map(String::as_str)).map_err(ImportError::Mapping)?;
    let mapping = Mapping::resolve(&info.columns, saved.as_ref(), &chosen)
        .map_err(|e| opened.unmapped(&req.file_name, keys(&Mapping::guess(&info.columns)), e))?;
    if mapping.column(Member::Code).is_none() {
        let error = FieldError::new(
            "code",
            "unmapped",
            format!(
                "no column was recognised as the parcel code; choose one with code=COLUMN (columns: {})",
                info.columns.join(", ")
            ),
        );
        return Err(opened.unmapped(&req.file_name, keys(&mapping), error));
    }

    let mut tx = pool.begin().await?;
    let stage = db::create_stage(&mut tx).await?;

    // The reader thread parses rows while this task copies them in.
    progress.start("reading", info.count.unwrap_or(0));
    let (send, mut recv) = tokio::sync::mpsc::channel::<Msg>(4);
    let reader = {
        let (mapping, info, source) = (mapping.clone(), info.clone(), opened.source.clone());
        tokio::task::spawn_blocking(move || {
            read_rows(&source, &info, &mapping, detection, limits, send)
        })
    };
    let mut rejected: Vec<FeatureReport> = Vec::new();
    let mut codes: Vec<(i32, String)> = Vec::new();
    let mut boxes: Vec<(i32, geo::Rect<f64>)> = Vec::new();
    let mut copy = db::copy_into_stage(&mut tx, &stage).await?;
    while let Some(msg) = recv.recv().await {
        match msg {
            Msg::Rows(rows) => {
                boxes.extend(rows.iter().filter_map(|r| {
                    geo::BoundingRect::bounding_rect(r.boundary.as_geo()).map(|b| (r.idx, b))
                }));
                let n = rows.len() as u64;
                copy.send(db::copy_text(rows)?).await?;
                progress.advance(n);
            }
            Msg::Rejected(r) => {
                progress.advance(1);
                rejected.push(r);
            }
            Msg::Codes(c) => codes.extend(c),
        }
    }
    copy.finish().await?;
    reader
        .await
        .map_err(|e| ImportError::Interrupted(e.to_string()))??;
    let features = codes.len() + rejected.len();
    if features == 0 {
        return Err(ImportError::Empty);
    }

    // The pairs of features whose boxes meet: the only ones the in-file overlap check reads.
    let pairs = tokio::task::spawn_blocking(move || box_pairs::meeting_pairs(boxes, MAX_PAIRS))
        .await
        .map_err(|e| ImportError::Interrupted(e.to_string()))?
        .map_err(|box_pairs::TooMany(n)| ImportError::Crowded(n))?;
    let compared = mapping.attributes();
    let existing = db::Existing {
        compared: &compared,
        update: opts.existing == OnExisting::Update,
        against_replaced: opts.mode == Mode::GoodOnly,
    };
    let mut findings = db::check(
        &mut tx,
        &stage,
        opts.tolerances,
        opts.repair,
        &pairs,
        existing,
        |p| progress.start(p, 0),
    )
    .await?;

    let mut lines: Vec<FeatureReport> = rejected;
    for (idx, code) in codes {
        let problems = findings.problems.get(&idx).cloned().unwrap_or_default();
        let outcome = if !problems.is_empty() {
            Outcome::Rejected
        } else if findings.unchanged.contains(&idx) {
            Outcome::Unchanged
        } else if findings.updated.contains(&idx) {
            Outcome::Updated
        } else if findings.repaired.contains(&idx) {
            Outcome::Repaired
        } else {
            Outcome::New
        };
        lines.push(FeatureReport {
            changes: findings.changes.remove(&idx).unwrap_or_default(),
            ..FeatureReport::new(idx as usize, Some(code), outcome, problems)
        });
    }
    let counts = Report::count(&lines);
    let mut written = 0;
    let changes = counts.new + counts.repaired + counts.updated;
    if should_write(opts.mode, counts.rejected, changes) {
        let skip: Vec<i32> = lines
            .iter()
            .filter(|l| matches!(l.outcome, Outcome::Rejected | Outcome::Unchanged))
            .map(|l| l.feature as i32)
            .collect();
        db::skip(&mut tx, &stage, &skip).await?;
        if counts.updated > 0 {
            progress.start("updating", 0);
            let updated = db::update(&mut tx, &stage, &compared, (opts.user, req.job)).await??;
            written += updated.len();
            // a planned use that moves a parcel to another class may change its verdict
            for (id, before, after) in updated {
                let class = Gb36600Class::from_number;
                if let (Some(before), Some(after)) = (class(before), class(after)) {
                    db_sampling::flag_class_change(&mut tx, id, before, after).await?;
                }
            }
        }
        let inserts = counts.new + counts.repaired;
        if inserts > 0 {
            progress.start("writing", inserts as u64);
            // Read on the import's own connection: the watch may find no other free (a
            // pool of one), and then only the bar stands still.
            let before = db::parcel_ids_drawn(&mut *tx).await?;
            let watch = watch_ids(pool, before, progress);
            written += tokio::select! {
                w = db::write(&mut tx, &stage, (opts.user, req.job)) => w? as usize,
                never = watch => match never {},
            };
        }
        if progress.snapshot().0 != FINISHING {
            progress.start(FINISHING, 0);
        }
        if let Some(s) = &opts.source {
            let saving = mapping.to_save(saved.as_ref(), &chosen);
            jobs::save_mapping(&mut tx, (s, opts.register.slug()), &saving).await?;
        }
        db::drop_stage(&mut tx, &stage).await?;
        req.may_commit()?;
        tx.commit().await?;
    } else {
        tx.rollback().await?;
    }
    let timings = progress.timings();
    progress.finish(features as u64);
    tracing::info!(?timings, "import phases");
    let committed = written > 0;
    Ok(opened.report(&req.file_name, keys(&mapping), lines, written, committed))
}

/// A mapping by the members' API names, as reports give it.
fn keys(mapping: &Mapping) -> std::collections::BTreeMap<String, String> {
    mapping
        .0
        .iter()
        .map(|(m, c)| (m.key().to_owned(), c.clone()))
        .collect()
}

/// Counts the rows an import's `INSERT` has written so far, from the ids it has drawn
/// (seen from another connection: see [`db::parcel_ids_drawn`]), until dropped. Once every
/// row has its id the statement still updates the low-zoom cell counts, and the
/// transaction must commit: that is the phase `finishing`, uncounted, rather than a bar
/// standing full for seconds.
async fn watch_ids(pool: &PgPool, before: i64, progress: &Progress) -> std::convert::Infallible {
    let total = progress.total();
    let mut written = false;
    loop {
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        if written {
            continue;
        }
        if let Ok(now) = db::parcel_ids_drawn(pool).await {
            let drawn = u64::try_from(now - before).unwrap_or(0);
            if drawn >= total {
                progress.start(FINISHING, 0);
                written = true;
            } else {
                progress.set_done(drawn);
            }
        }
    }
}

/// The phase after the last row is written: the cell counts and the commit.
const FINISHING: &str = "finishing";

/// Whether to write: never in a dry run; all or nothing writes only when nothing was
/// rejected; and only when there is something new.
pub(super) fn should_write(mode: Mode, rejected: usize, new: usize) -> bool {
    new > 0
        && match mode {
            Mode::DryRun => false,
            Mode::AllOrNothing => rejected == 0,
            Mode::GoodOnly => true,
        }
}
