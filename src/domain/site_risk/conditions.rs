//! The conditions a rule's `when` may hold, each named by its key.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use super::rules::{expected, whole};
use super::{IndustryCode, SiteFacts};

/// The keys `when` may use, in the canonical order of a rule's conditions.
pub(super) const CONDITION_KEYS: [&str; 6] = [
    "industry_divisions",
    "industry_codes",
    "years_operating_at_least",
    "hazardous_substances_at_least",
    "hazardous_substances_any_of",
    "incidents_at_least",
];

/// One condition of a rule, named by its key in `when`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Condition {
    IndustryDivisions(Vec<String>),
    IndustryCodes(Vec<String>),
    YearsOperatingAtLeast(u32),
    HazardousSubstancesAtLeast(u32),
    HazardousSubstancesAnyOf(Vec<String>),
    IncidentsAtLeast(u32),
}

impl Condition {
    /// Parses the value of `when.<key>`; the error omits the rule and field.
    pub(super) fn parse(key: &str, value: &Value) -> Result<Condition, String> {
        let at_least = || {
            let n = whole(Some(value), 1, i64::from(u32::MAX))?;
            u32::try_from(n).map_err(|e| e.to_string())
        };
        Ok(match key {
            "industry_divisions" => Condition::IndustryDivisions(list(value, |s| {
                IndustryCode::parse(s)
                    .filter(|code| code.code().len() == 2)
                    .map(|code| code.code().to_owned())
                    .ok_or_else(|| format!("\"{s}\" is not a GB/T 4754-2017 division (01–97)"))
            })?),
            "industry_codes" => Condition::IndustryCodes(list(value, |s| {
                IndustryCode::parse(s)
                    .map(|code| code.code().to_owned())
                    .ok_or_else(|| format!("\"{s}\" is not a GB/T 4754-2017 industry code"))
            })?),
            "hazardous_substances_any_of" => {
                Condition::HazardousSubstancesAnyOf(list(value, |s| {
                    let name = s.trim();
                    if name.is_empty() {
                        Err("a substance name is blank".to_owned())
                    } else {
                        Ok(name.to_owned())
                    }
                })?)
            }
            "years_operating_at_least" => Condition::YearsOperatingAtLeast(at_least()?),
            "hazardous_substances_at_least" => Condition::HazardousSubstancesAtLeast(at_least()?),
            "incidents_at_least" => Condition::IncidentsAtLeast(at_least()?),
            _ => {
                let known = CONDITION_KEYS.join(", ");
                return Err(format!("unknown condition; known conditions are {known}"));
            }
        })
    }

    pub(super) fn key(&self) -> &'static str {
        match self {
            Condition::IndustryDivisions(_) => "industry_divisions",
            Condition::IndustryCodes(_) => "industry_codes",
            Condition::YearsOperatingAtLeast(_) => "years_operating_at_least",
            Condition::HazardousSubstancesAtLeast(_) => "hazardous_substances_at_least",
            Condition::HazardousSubstancesAnyOf(_) => "hazardous_substances_any_of",
            Condition::IncidentsAtLeast(_) => "incidents_at_least",
        }
    }

    pub(super) fn to_json(&self) -> Value {
        match self {
            Condition::IndustryDivisions(items)
            | Condition::IndustryCodes(items)
            | Condition::HazardousSubstancesAnyOf(items) => json!(items),
            Condition::YearsOperatingAtLeast(n)
            | Condition::HazardousSubstancesAtLeast(n)
            | Condition::IncidentsAtLeast(n) => json!(n),
        }
    }

    pub(super) fn holds(&self, facts: &SiteFacts) -> bool {
        match self {
            Condition::IndustryDivisions(divisions) => {
                divisions.iter().any(|d| d == facts.industry.division())
            }
            Condition::IndustryCodes(codes) => codes.iter().any(|c| facts.industry.is_within(c)),
            Condition::YearsOperatingAtLeast(n) => facts.years_operating >= *n,
            Condition::HazardousSubstancesAtLeast(n) => {
                u32::try_from(distinct_substances(facts).len()).map_or(true, |len| len >= *n)
            }
            Condition::HazardousSubstancesAnyOf(names) => {
                let names: BTreeSet<String> = names.iter().map(|n| n.to_lowercase()).collect();
                distinct_substances(facts).iter().any(|s| names.contains(s))
            }
            Condition::IncidentsAtLeast(n) => facts.incidents >= *n,
        }
    }
}

/// The site's substances, trimmed and lower-cased, blanks and repeats dropped.
fn distinct_substances(facts: &SiteFacts) -> BTreeSet<String> {
    facts
        .hazardous_substances
        .iter()
        .map(|s| s.trim().to_lowercase())
        .filter(|s| !s.is_empty())
        .collect()
}

/// A non-empty array of strings, each checked by `item`.
fn list(
    value: &Value,
    item: impl Fn(&str) -> Result<String, String>,
) -> Result<Vec<String>, String> {
    let items = match value {
        Value::Array(items) if !items.is_empty() => items,
        Value::Array(_) => return Err("the list is empty, so the rule could never fire".to_owned()),
        other => return Err(expected("a list of strings", Some(other))),
    };
    items
        .iter()
        .map(|v| {
            v.as_str()
                .ok_or_else(|| expected("a string", Some(v)))
                .and_then(&item)
        })
        .collect()
}
