//! Soil-risk screening of closed or exited industrial firms' former sites
//! (关停退出工业企业原址用地筛查, Action Plan §4b): each site gets a score,
//! a level and the reasons behind it.
//!
//! The rules are data, not code: a JSON document that the database stores and
//! officers can revise without a release; the default is
//! `fixtures/site-scoring.json`. Its shape:
//!
//! ```json
//! {
//!   "version": 1,
//!   "description_zh": "…", "description_en": "…",
//!   "levels": {"high": 60, "medium": 30},
//!   "rules": [
//!     {"id": "long_operation", "group": "years",
//!      "description_zh": "…", "description_en": "…",
//!      "points": 15, "when": {"years_operating_at_least": 20}}
//!   ]
//! }
//! ```
//!
//! - `version`: a whole number ≥ 1, recorded with every assessment.
//! - `description_zh` / `description_en` at the top: optional notes on the
//!   document as a whole.
//! - `levels`: a score ≥ `high` is high, ≥ `medium` is medium, else low;
//!   `0 < medium < high`, so that a site no rule fires for is low.
//! - each rule: `id` (lower-case ASCII letters, digits and `_`, unique),
//!   optional `group` (same form), both descriptions (non-blank), `points`
//!   (a whole number ≥ 0) and `when`, one or more conditions that must all hold:
//!   - `industry_divisions`: two-digit GB/T 4754-2017 divisions, e.g. `["26"]`;
//!   - `industry_codes`: divisions, groups or classes; the site's code must lie
//!     within one (`"336"` covers `3360`, but a site coded only `33` is not
//!     within `3360`); a section letter may be given and is dropped;
//!   - `years_operating_at_least`, `hazardous_substances_at_least` (distinct
//!     non-blank names, ignoring case), `incidents_at_least`: whole numbers ≥ 1;
//!   - `hazardous_substances_any_of`: names, matched against the site's
//!     substances exactly but ignoring case and surrounding space.
//!
//! Where several rules of one `group` fire, only the one with the most points
//! counts (the earliest on a tie); the others are not among the reasons, so
//! the score is always the sum of the reasons' points. Anything else — an
//! unknown key at any level, a duplicate id, a rule without a condition, a
//! list that is empty — is refused by [`Rules::parse`] with a message naming
//! the rule and the field.

mod conditions;
mod rules;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

use super::enterprise::IndustryCode;
pub use rules::Rules;

/// What the screening knows about a former site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteFacts {
    /// The firm's industry, as precise as known.
    pub industry: IndustryCode,
    /// Whole years of production on the site.
    pub years_operating: u32,
    /// Toxic or hazardous substances produced, used or stored on the site.
    pub hazardous_substances: Vec<String>,
    /// Recorded pollution incidents: spills, leaks, dumping, fires.
    pub incidents: u32,
}

/// A site's screening level.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, sqlx::Type,
)]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "site_risk_level", rename_all = "snake_case")]
pub enum RiskLevel {
    /// A score below `levels.medium`.
    Low,
    /// A score from `levels.medium` up to, not including, `levels.high`.
    Medium,
    /// A score of `levels.high` or more.
    High,
}

impl RiskLevel {
    /// The wire and database name.
    pub fn as_str(self) -> &'static str {
        match self {
            RiskLevel::Low => "low",
            RiskLevel::Medium => "medium",
            RiskLevel::High => "high",
        }
    }

    /// The label used in the screening ledger (筛查台账).
    pub fn label_zh(self) -> &'static str {
        match self {
            RiskLevel::Low => "低",
            RiskLevel::Medium => "中",
            RiskLevel::High => "高",
        }
    }
}

/// A rule that fired and counted towards the score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reason {
    /// The rule's `id`.
    pub rule: String,
    /// The points it added.
    pub points: i32,
    /// What the rule means, from the rules document.
    pub description_zh: String,
    /// The same in English.
    pub description_en: String,
}

/// The outcome of screening one site under one version of the rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assessment {
    /// The level the score falls in.
    pub level: RiskLevel,
    /// The sum of the reasons' points.
    pub score: i32,
    /// The rules that fired and counted, in rule order.
    pub reasons: Vec<Reason>,
    /// The `version` of the rules applied, to be stored with the assessment.
    pub rules_version: i64,
}

/// Screens a site: every rule whose conditions all hold fires; within a
/// group only the highest-scoring rule counts.
pub fn assess(facts: &SiteFacts, rules: &Rules) -> Assessment {
    let fired: Vec<&rules::Rule> = rules.rules().iter().filter(|r| r.holds(facts)).collect();
    let counts = |index: usize, rule: &rules::Rule| match &rule.group {
        None => true,
        Some(group) => !fired.iter().enumerate().any(|(other, r)| {
            r.group.as_ref() == Some(group)
                && (r.points > rule.points || (r.points == rule.points && other < index))
        }),
    };
    let reasons: Vec<Reason> = fired
        .iter()
        .enumerate()
        .filter(|&(index, rule)| counts(index, rule))
        .map(|(_, rule)| Reason {
            rule: rule.id.clone(),
            points: rule.points,
            description_zh: rule.description_zh.clone(),
            description_en: rule.description_en.clone(),
        })
        .collect();
    let score = reasons
        .iter()
        .fold(0_i32, |sum, reason| sum.saturating_add(reason.points));
    Assessment {
        level: rules.level_for(score),
        score,
        reasons,
        rules_version: rules.version(),
    }
}
