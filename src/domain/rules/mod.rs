//! The plan's rules as pure functions, each with an identifier, the clause it
//! enforces, and a sentence in Chinese and English. Every answer lists the rules
//! that fired, why, and the facts used.
//!
//! - [`supply`]: may a parcel be planned or supplied for a use (§5, law Art 61, GB 36600)?
//! - [`survey`]: when is a parcel's survey due (§4a), and does an event pass that deadline?
//! - [`watch`]: the enforcement watchlist (§16).
//! - [`rates`]: the safe-utilization rates (§2, §6), with their definitions.

pub mod rates;
pub mod supply;
pub mod survey;
pub mod watch;

use serde::Serialize;
use serde_json::Value;

/// A rule of the plan or the law.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub id: &'static str,
    pub clause: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
}

/// A rule that fired, with the facts it used.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reason {
    pub rule: &'static str,
    pub clause: &'static str,
    pub message: &'static str,
    pub message_zh: &'static str,
    pub facts: Value,
}

impl Rule {
    pub fn fired(&self, facts: Value) -> Reason {
        Reason {
            rule: self.id,
            clause: self.clause,
            message: self.en,
            message_zh: self.zh,
            facts,
        }
    }
}

/// Every rule, for the API's list of rules.
pub const ALL: &[Rule] = &[
    supply::UNSURVEYED_RISKY_SENSITIVE,
    supply::UNSURVEYED_MEDIUM_SENSITIVE,
    supply::LISTED_SENSITIVE,
    supply::LISTED_UNRELATED,
    supply::CONTAMINATED_UNASSESSED,
    supply::CLASS2_FOR_CLASS1,
    supply::SURVEY_DUE,
    survey::DUE_BEFORE_WITHDRAWAL,
    survey::DUE_BEFORE_TRANSFER,
    survey::DUE_BEFORE_INDICATORS,
    survey::DUE_BEFORE_SUPPLY,
    survey::SUPPLY_WITHOUT_SURVEY,
    watch::BUILT_WITHOUT_SURVEY,
    watch::BUILT_OVER_SCREENING,
    watch::BUILT_BEFORE_TARGETS,
    watch::PATCH_ON_FORBIDDEN_PARCEL,
    watch::DUMPING_ON_UNUSED_LAND,
];
