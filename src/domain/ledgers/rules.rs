//! The ledgers' rules, as pure functions: what flags a row.

use serde::Serialize;
use time::Date;

/// §3: a new vehicle, display-panel or integrated-circuit project must complete its soil
/// baseline survey (土壤环境现状调查) before construction starts. Flagged when construction
/// has started and the survey is missing or was completed after the start. Dates carry no
/// time of day, so a survey completed on the day construction started counts as before it.
pub fn baseline_missing(
    survey_done_on: Option<Date>,
    construction_started_on: Option<Date>,
) -> bool {
    match (construction_started_on, survey_done_on) {
        (None, _) => false,
        (Some(_), None) => true,
        (Some(started), Some(done)) => done > started,
    }
}

/// One produce test as the rule sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProduceResult<'a> {
    pub harvested_on: Date,
    pub product: &'a str,
    pub analyte: &'a str,
    pub value_mgkg: f64,
    pub limit_mgkg: f64,
}

impl ProduceResult<'_> {
    /// Above the limit; a value equal to the limit meets it.
    pub fn exceeds(&self) -> bool {
        exceeds(self.value_mgkg, self.limit_mgkg)
    }
}

/// Whether a measured value is over its limit (equal meets the limit).
pub fn exceeds(value_mgkg: f64, limit_mgkg: f64) -> bool {
    value_mgkg > limit_mgkg
}

/// A product that may not be planted directly, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Blocked {
    pub product: String,
    pub analyte: String,
    /// The latest harvest whose test exceeded the limit.
    pub exceeded_on: Date,
}

/// §9 (产出一季、检测一季): a product whose test exceeded the limit is no longer planted
/// directly, until a later harvest of the same product passes for the same analyte.
///
/// Order is by harvest date, not by when a test was recorded, so a late entry of an old
/// passing test clears nothing. A pass and an exceedance of the same harvest leave the
/// product blocked. A pass for another analyte does not clear an exceedance (a passing
/// cadmium test says nothing of lead). Sorted by product, then analyte.
pub fn blocked_products(tests: &[ProduceResult<'_>]) -> Vec<Blocked> {
    let mut keys: Vec<(&str, &str)> = tests.iter().map(|t| (t.product, t.analyte)).collect();
    keys.sort_unstable();
    keys.dedup();
    keys.into_iter()
        .filter_map(|(product, analyte)| {
            let same = tests
                .iter()
                .filter(|t| t.product == product && t.analyte == analyte);
            let last_exceeded = same
                .clone()
                .filter(|t| t.exceeds())
                .map(|t| t.harvested_on)
                .max()?;
            let cleared = same
                .clone()
                .any(|t| !t.exceeds() && t.harvested_on > last_exceeded);
            (!cleared).then(|| Blocked {
                product: product.to_owned(),
                analyte: analyte.to_owned(),
                exceeded_on: last_exceeded,
            })
        })
        .collect()
}

/// The state a series of dated checks leaves: the latest date decides, and on that date
/// any bad finding counts (an inspection that failed, a patrol that found an issue).
pub fn latest_is_bad(checks: impl IntoIterator<Item = (Date, bool)>) -> bool {
    let mut latest: Option<(Date, bool)> = None;
    for (on, bad) in checks {
        latest = match latest {
            Some((d, b)) if d == on => Some((d, b || bad)),
            Some((d, b)) if d > on => Some((d, b)),
            _ => Some((on, bad)),
        };
    }
    latest.is_some_and(|(_, bad)| bad)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn construction_without_a_prior_baseline_survey_is_flagged() {
        let start = Some(date!(2023 - 05 - 01));
        assert!(!baseline_missing(None, None));
        assert!(!baseline_missing(Some(date!(2023 - 01 - 01)), None));
        assert!(baseline_missing(None, start));
        assert!(baseline_missing(Some(date!(2023 - 05 - 02)), start));
        assert!(!baseline_missing(Some(date!(2023 - 04 - 30)), start));
        assert!(!baseline_missing(start, start), "same day counts as before");
    }

    fn t<'a>(on: Date, product: &'a str, analyte: &'a str, value: f64) -> ProduceResult<'a> {
        ProduceResult {
            harvested_on: on,
            product,
            analyte,
            value_mgkg: value,
            limit_mgkg: 0.2,
        }
    }

    #[test]
    fn an_exceedance_blocks_the_product_until_a_later_passing_harvest() {
        let fail = t(date!(2022 - 09 - 01), "核桃", "cd", 0.35);
        assert_eq!(
            blocked_products(&[fail]),
            vec![Blocked {
                product: "核桃".into(),
                analyte: "cd".into(),
                exceeded_on: date!(2022 - 09 - 01)
            }]
        );
        let later_pass = t(date!(2023 - 09 - 01), "核桃", "cd", 0.1);
        assert!(blocked_products(&[fail, later_pass]).is_empty());
        // Recorded later, harvested earlier: clears nothing.
        let earlier_pass = t(date!(2021 - 09 - 01), "核桃", "cd", 0.1);
        assert_eq!(blocked_products(&[fail, earlier_pass]).len(), 1);
        // Same harvest, one sample over: still blocked.
        let same_day_pass = t(date!(2022 - 09 - 01), "核桃", "cd", 0.1);
        assert_eq!(blocked_products(&[same_day_pass, fail]).len(), 1);
    }

    #[test]
    fn a_pass_of_another_product_or_analyte_clears_nothing() {
        let fail = t(date!(2022 - 09 - 01), "核桃", "cd", 0.35);
        let other_product = t(date!(2023 - 09 - 01), "板栗", "cd", 0.1);
        let other_analyte = t(date!(2023 - 09 - 01), "核桃", "pb", 0.1);
        let blocked = blocked_products(&[fail, other_product, other_analyte]);
        assert_eq!(blocked.len(), 1);
        assert_eq!(blocked[0].product, "核桃");
        // A new exceedance after a clearing pass blocks again.
        let pass = t(date!(2023 - 09 - 01), "核桃", "cd", 0.1);
        let again = t(date!(2024 - 09 - 01), "核桃", "cd", 0.5);
        assert_eq!(
            blocked_products(&[fail, pass, again])[0].exceeded_on,
            date!(2024 - 09 - 01)
        );
    }

    #[test]
    fn a_value_equal_to_the_limit_meets_it() {
        assert!(!exceeds(0.2, 0.2));
        assert!(exceeds(0.2001, 0.2));
    }

    #[test]
    fn the_latest_check_decides() {
        let (a, b) = (date!(2023 - 01 - 01), date!(2023 - 02 - 01));
        assert!(!latest_is_bad([]));
        assert!(latest_is_bad([(a, false), (b, true)]));
        assert!(!latest_is_bad([(b, false), (a, true)]));
        assert!(latest_is_bad([(b, false), (b, true), (a, false)]));
    }
}
