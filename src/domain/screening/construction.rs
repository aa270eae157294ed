//! Screening a construction parcel's results against GB 36600-2018 for its
//! land-use class: which values exceed which limit, and the verdict that
//! decides whether a risk assessment is due.

use std::cmp::Ordering;
use std::collections::HashMap;

use serde::Serialize;

use super::standard::Item;
use crate::domain::land_use::Gb36600Class;

/// One measured result, already converted to mg/kg. `key` is an opaque caller
/// index (e.g. the db row) returned in exceedances.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measured<'a> {
    pub key: usize,
    pub item: &'a Item,
    pub value_mgkg: f64,
    /// Not detected: never exceeds, whatever `value_mgkg` holds.
    pub below_detection: bool,
}

/// Which limit a value exceeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// 筛选值 (GB 36600) or 风险筛选值 (GB 15618).
    Screening,
    /// 管制值 (GB 36600) or 风险管制值 (GB 15618).
    Intervention,
}

/// The outcome for a parcel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// No results at all.
    NoData,
    /// No counted value above a screening value: the risk can generally be ignored.
    BelowScreening,
    /// Some counted value above a screening value, none above an intervention
    /// value: further investigation and risk assessment are due.
    OverScreening,
    /// Some counted value above an intervention value: usually unacceptable risk.
    OverIntervention,
}

/// One value above one limit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Exceedance {
    /// The caller's key of the result.
    pub key: usize,
    pub item_no: &'static str,
    pub cas: Option<&'static str>,
    pub name_zh: &'static str,
    pub name_en: &'static str,
    pub value_mgkg: f64,
    pub limit_mgkg: f64,
    pub level: Level,
    /// `value_mgkg / limit_mgkg`.
    pub ratio: f64,
    /// Footnote ①: not above the configured local background value, so listed
    /// but not counted towards the verdict.
    pub background_excused: bool,
}

/// The screening of one parcel.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Screening {
    pub class: Gb36600Class,
    pub verdict: Verdict,
    /// Sorted by ratio, highest first; ties by item number, then key, then the
    /// intervention level before the screening level.
    pub items: Vec<Exceedance>,
}

/// Screens `results` against the values of `class`.
///
/// `background` holds local soil background values in mg/kg by item number
/// (`"T1-01"`); it matters only for the footnote-① items (arsenic, cobalt,
/// vanadium), where a value at or below the background is listed as excused
/// and does not count, at either level. Entries for other items are ignored.
///
/// A value equal to a limit does not exceed it. A NaN never exceeds; other
/// invalid values (negative, infinite) are for the caller to refuse, and are
/// compared as they are without panicking.
pub fn screen(
    results: &[Measured<'_>],
    class: Gb36600Class,
    background: &HashMap<String, f64>,
) -> Screening {
    let mut items = Vec::new();
    for m in results.iter().filter(|m| !m.below_detection) {
        let item = m.item;
        let background_excused = item.background_footnote
            && background
                .get(item.item_no)
                .is_some_and(|bg| m.value_mgkg <= *bg);
        let limits = [
            (Level::Screening, item.screening_value(class)),
            (Level::Intervention, item.intervention_value(class)),
        ];
        for (level, limit) in limits {
            if m.value_mgkg > limit {
                items.push(Exceedance {
                    key: m.key,
                    item_no: item.item_no,
                    cas: item.cas,
                    name_zh: item.name_zh,
                    name_en: item.name_en,
                    value_mgkg: m.value_mgkg,
                    limit_mgkg: limit,
                    level,
                    ratio: m.value_mgkg / limit,
                    background_excused,
                });
            }
        }
    }
    items.sort_by(by_ratio);
    let worst = items
        .iter()
        .filter(|e| !e.background_excused)
        .map(|e| e.level)
        .max();
    let verdict = match worst {
        _ if results.is_empty() => Verdict::NoData,
        None => Verdict::BelowScreening,
        Some(Level::Screening) => Verdict::OverScreening,
        Some(Level::Intervention) => Verdict::OverIntervention,
    };
    Screening {
        class,
        verdict,
        items,
    }
}

fn by_ratio(a: &Exceedance, b: &Exceedance) -> Ordering {
    b.ratio
        .total_cmp(&a.ratio)
        .then_with(|| a.item_no.cmp(b.item_no))
        .then_with(|| a.key.cmp(&b.key))
        .then_with(|| b.level.cmp(&a.level))
}
