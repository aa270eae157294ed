//! What an import found, feature by feature, before (and whether) anything was written.

use serde::Serialize;

use super::mode::{Mode, OnExisting};
use crate::domain::parcel::FieldError;
use crate::gis::detect::Detection;

/// Why a feature cannot go in as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
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
    /// The code is in the register with other attributes or another boundary (and the
    /// import was not asked to update parcels).
    CodeTaken,
    /// The code is in the register, but the parcel cannot be updated from a file: it is
    /// retired (`retired`), or the file changes a land right its land events decide
    /// (`land_right_follows_events`).
    NotUpdatable,
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
    /// Already in the register as the file has it (every column the file has, and the
    /// boundary): nothing to do.
    Unchanged,
    /// In the register with other attributes or another boundary, and the import was asked
    /// to update parcels: the columns the file has, and the boundary, are written over the
    /// parcel's, which keeps its history.
    Updated,
    /// Has problems: not written.
    Rejected,
}

/// What an update changes of a parcel: a member (`boundary` for the shape, its values
/// the areas in m²), from what the register holds to what the file has.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub member: String,
    pub from: Option<String>,
    pub to: Option<String>,
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
    /// An update's changes, for review before (or after) they are written.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<Change>,
}

impl FeatureReport {
    /// A line without changes.
    pub fn new(
        feature: usize,
        code: Option<String>,
        outcome: Outcome,
        problems: Vec<Problem>,
    ) -> Self {
        FeatureReport {
            feature,
            code,
            outcome,
            problems,
            changes: Vec::new(),
        }
    }

    /// Worth listing in a long report: a problem, or a change.
    fn notable(&self) -> bool {
        !self.problems.is_empty() || !self.changes.is_empty()
    }
}

/// Counts by outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub features: usize,
    pub new: usize,
    pub repaired: usize,
    pub unchanged: usize,
    pub updated: usize,
    pub rejected: usize,
    pub written: usize,
}

/// What the import was asked to do, kept with its report.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Asked {
    pub mode: Mode,
    pub existing: OnExisting,
    /// `ST_MakeValid`'s repairs accepted.
    pub repair: bool,
    /// The tolerances, as fractions.
    pub overlap_tolerance: f64,
    pub area_tolerance: f64,
    pub outside_tolerance: f64,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub file: String,
    pub asked: Asked,
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
    /// Every problem found, counted by kind and the parser's code: the whole file, also
    /// when `features` lists only part of it.
    pub problems: Vec<ProblemCount>,
    /// Features with problems or changes (and every feature, up to a limit, for small
    /// files), in file order; at most [`LIST_PROBLEMS_UP_TO`] of them.
    pub features: Vec<FeatureReport>,
    /// `features` stops short of the features with problems or changes (see `problems`
    /// and `counts` for all).
    pub truncated: bool,
}

/// One kind of problem and how many times the file has it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProblemCount {
    pub kind: ProblemKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<&'static str>,
    pub count: usize,
}

/// Most feature lines a report lists when nothing is wrong with them.
pub const LIST_ALL_UP_TO: usize = 1000;
/// Most features with problems a report lists: a file whose town column holds names the
/// district does not know has a problem on every row, and a million lines would fill the
/// job's row and hang the page. The counts by kind still cover every row.
pub const LIST_PROBLEMS_UP_TO: usize = 10_000;

/// The lines a report lists, in file order — every one of a small file, else those with
/// problems or changes, at most `problems_up_to` — and whether any of those were left out.
pub fn listed(
    mut lines: Vec<FeatureReport>,
    all_up_to: usize,
    problems_up_to: usize,
) -> (Vec<FeatureReport>, bool) {
    lines.sort_by_key(|l| l.feature);
    if lines.len() > all_up_to {
        lines.retain(FeatureReport::notable);
    }
    let truncated = lines.iter().filter(|l| l.notable()).count() > problems_up_to;
    if truncated {
        // cut, the list is of notable lines only: plain ones after the cut would read as the end
        lines.retain(FeatureReport::notable);
        lines.truncate(problems_up_to);
    }
    (lines, truncated)
}

/// Every problem of the lines, counted by kind and code, the most frequent first.
pub fn problem_counts(lines: &[FeatureReport]) -> Vec<ProblemCount> {
    let mut counts: std::collections::HashMap<(ProblemKind, Option<&'static str>), usize> =
        std::collections::HashMap::new();
    for p in lines.iter().flat_map(|l| &l.problems) {
        *counts.entry((p.kind, p.code)).or_default() += 1;
    }
    let mut out: Vec<ProblemCount> = counts
        .into_iter()
        .map(|((kind, code), count)| ProblemCount { kind, code, count })
        .collect();
    out.sort_by(|a, b| (b.count, a.kind, a.code).cmp(&(a.count, b.kind, b.code)));
    out
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
                Outcome::Updated => c.updated += 1,
                Outcome::Rejected => c.rejected += 1,
            }
        }
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(feature: usize, problems: usize) -> FeatureReport {
        FeatureReport {
            feature,
            code: None,
            changes: Vec::new(),
            outcome: if problems > 0 {
                Outcome::Rejected
            } else {
                Outcome::New
            },
            problems: (0..problems)
                .map(|i| Problem {
                    code: Some(if i == 0 {
                        "unknown_town"
                    } else {
                        "unknown_land_use"
                    }),
                    ..Problem::new(ProblemKind::InvalidAttribute, "x")
                })
                .collect(),
        }
    }

    #[test]
    fn a_small_file_lists_every_line_and_a_big_one_its_problems_up_to_the_cap() {
        let small = vec![line(3, 0), line(1, 1), line(2, 0)];
        let (got, cut) = listed(small, 10, 10);
        let order: Vec<usize> = got.iter().map(|l| l.feature).collect();
        assert_eq!((order, cut), (vec![1, 2, 3], false));

        // 20 features, every third with a problem (7 of them); list at most 3.
        let big: Vec<FeatureReport> = (1..=20).map(|i| line(i, usize::from(i % 3 == 1))).collect();
        let (got, cut) = listed(big.clone(), 5, 3);
        let order: Vec<usize> = got.iter().map(|l| l.feature).collect();
        assert_eq!((order, cut), (vec![1, 4, 7], true));
        let (got, cut) = listed(big.clone(), 5, 7);
        assert_eq!((got.len(), cut), (7, false));
        // an update's changes are listed like a problem
        let mut changed = big;
        changed[1].outcome = Outcome::Updated;
        changed[1].changes.push(Change {
            member: "name".into(),
            from: Some("a".into()),
            to: Some("b".into()),
        });
        let (got, cut) = listed(changed, 5, 8);
        let order: Vec<usize> = got.iter().map(|l| l.feature).collect();
        assert_eq!(
            (order[..3].to_vec(), got.len(), cut),
            (vec![1, 2, 4], 8, false)
        );
    }

    #[test]
    fn problems_are_counted_by_kind_and_code_over_every_line() {
        let lines: Vec<FeatureReport> = (1..=5)
            .map(|i| line(i, if i < 4 { 1 } else { 2 }))
            .collect();
        let counts = problem_counts(&lines);
        assert_eq!(
            counts,
            vec![
                ProblemCount {
                    kind: ProblemKind::InvalidAttribute,
                    code: Some("unknown_town"),
                    count: 5
                },
                ProblemCount {
                    kind: ProblemKind::InvalidAttribute,
                    code: Some("unknown_land_use"),
                    count: 2
                },
            ]
        );
    }
}
