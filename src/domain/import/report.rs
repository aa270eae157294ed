//! What an import found, feature by feature, before (and whether) anything was written.

use serde::Serialize;

use crate::domain::parcel::FieldError;
use crate::gis::detect::Detection;

/// Why a feature cannot go in as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// A member is missing or its value is not valid (the code names which).
    InvalidAttribute,
    /// Not a polygon, an unclosed ring, too few points, outside the extent …
    InvalidGeometry,
    /// Valid shape but self-intersecting or otherwise invalid to PostGIS; `repair` says
    /// what `ST_MakeValid` would make of it.
    SelfIntersection,
    /// More of the polygon lies outside the district than the tolerance.
    OutsideDistrict,
    /// Overlaps a parcel already in the register by more than the tolerance.
    OverlapsRegister,
    /// Overlaps another feature of the same file by more than the tolerance.
    OverlapsFile,
    /// The code appears earlier in the same file.
    DuplicateInFile,
    /// The code is in the register with other attributes or another boundary.
    CodeTaken,
    /// The area stated in the file differs from the computed area by more than the tolerance.
    AreaMismatch,
    /// No town column and the polygon lies in no town's boundary.
    NoTown,
}

/// One problem of one feature.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    pub kind: ProblemKind,
    /// The parser's code (`unknown_town`, `unclosed_ring` …) where there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    pub message: String,
    /// Where, in CGCS2000 lon/lat.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<[f64; 2]>,
    /// What PostGIS would make of an invalid polygon (applied only with `repair`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repair: Option<String>,
}

impl Problem {
    pub fn new(kind: ProblemKind, message: impl Into<String>) -> Self {
        Problem {
            kind,
            code: None,
            field: None,
            message: message.into(),
            location: None,
            repair: None,
        }
    }

    /// A parser's error, filed under attribute or geometry by its field.
    pub fn from_field(e: FieldError) -> Self {
        let kind = if e.field == "geometry" {
            ProblemKind::InvalidGeometry
        } else {
            ProblemKind::InvalidAttribute
        };
        Problem {
            kind,
            code: Some(e.code),
            field: Some(e.field),
            message: e.message,
            location: None,
            repair: None,
        }
    }
}

/// What becomes of a feature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Valid and new: written (or would be, in a dry run or an all-or-nothing import that failed).
    New,
    /// Invalid, repaired by `ST_MakeValid` because the user accepted repairs.
    Repaired,
    /// Already in the register exactly as in the file: nothing to do.
    Unchanged,
    /// Has problems: not written.
    Rejected,
}

/// One feature's line in the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FeatureReport {
    /// 1-based position in the file (row or feature number).
    pub feature: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    pub outcome: Outcome,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<Problem>,
}

/// Counts by outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub features: usize,
    pub new: usize,
    pub repaired: usize,
    pub unchanged: usize,
    pub rejected: usize,
    pub written: usize,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub file: String,
    pub format: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub layer: Option<String>,
    /// Every layer the file has (a GeoPackage may have several).
    pub layers: Vec<String>,
    /// The attribute encoding used, and why (`.cpg`, bytes not UTF-8 …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    pub crs: Detection,
    pub columns: Vec<String>,
    /// Member → column.
    pub mapping: std::collections::BTreeMap<String, String>,
    pub counts: Counts,
    /// Whether anything was written: false for a dry run, or when an all-or-nothing
    /// import found a rejected feature.
    pub committed: bool,
    /// Features with problems (and every feature, up to a limit, for small files).
    pub features: Vec<FeatureReport>,
}

impl Report {
    pub fn count(features: &[FeatureReport]) -> Counts {
        let mut c = Counts {
            features: features.len(),
            ..Counts::default()
        };
        for f in features {
            match f.outcome {
                Outcome::New => c.new += 1,
                Outcome::Repaired => c.repaired += 1,
                Outcome::Unchanged => c.unchanged += 1,
                Outcome::Rejected => c.rejected += 1,
            }
        }
        c
    }
}
