//! Classifying farmland under GB 15618-2018: priority protection, safe use or
//! strict control, from the soil's results, pH and land type.

use std::cmp::Ordering;

use serde::Serialize;

use super::construction::Level;
use super::gb15618::{FarmLandType, Gb15618, PhBand};

/// The farmland class (农用地土壤环境质量类别).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FarmlandClass {
    /// 优先保护类: every value at or below its screening value.
    PriorityProtection,
    /// 安全利用类: some value above a screening value, none above an intervention value.
    SafeUse,
    /// 严格管控类: some value above an intervention value.
    StrictControl,
}

impl FarmlandClass {
    /// The Chinese name of the class.
    pub fn name_zh(self) -> &'static str {
        match self {
            FarmlandClass::PriorityProtection => "优先保护类",
            FarmlandClass::SafeUse => "安全利用类",
            FarmlandClass::StrictControl => "严格管控类",
        }
    }
}

/// One farmland result in mg/kg, with the analyte as the laboratory wrote it.
#[derive(Debug, Clone, PartialEq)]
pub struct FarmMeasured {
    /// An opaque caller index (e.g. the db row), returned in the screening.
    pub key: usize,
    /// `Cd`/`镉`/`cadmium`/CAS, `Hg`/`汞`, `As`/`砷`, `Pb`/`铅`, `Cr`/`铬`/`总铬`,
    /// `Cu`/`铜`, `Ni`/`镍`, `Zn`/`锌`, `六六六`/`HCH`, `滴滴涕`/`DDT`,
    /// `苯并[a]芘`/`BaP` …
    pub element: String,
    pub value_mgkg: f64,
    /// Not detected: never exceeds.
    pub below_detection: bool,
}

/// One value above one GB 15618 limit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FarmExceedance {
    pub key: usize,
    /// The element code of the CSV (`Cd`, `HCH_total` …).
    pub element: &'static str,
    pub name_zh: &'static str,
    pub value_mgkg: f64,
    pub limit_mgkg: f64,
    pub level: Level,
    /// `value_mgkg / limit_mgkg`.
    pub ratio: f64,
}

/// The classification of one plot.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FarmScreening {
    pub ph_band: PhBand,
    pub land_type: FarmLandType,
    pub class: FarmlandClass,
    /// Sorted by ratio, highest first; ties by element, key, then the
    /// intervention level before the screening level.
    pub items: Vec<FarmExceedance>,
    /// Keys of results whose element GB 15618 does not list, in input order.
    pub unknown: Vec<usize>,
}

/// Classifies a plot of `land_type` whose soil has pH `ph`.
///
/// Screening values depend on the pH band and the land type, intervention
/// values (Cd, Hg, As, Pb, Cr only) on the band. Equal to a limit does not
/// exceed it; a result below detection, or NaN, never exceeds.
///
/// # Errors
///
/// When the pH is not a number from 0 to 14; when no result is for a GB 15618
/// element (with nothing measured, priority protection would be a claim
/// without evidence); when the embedded table is broken (a build defect).
pub fn classify_farmland(
    results: &[FarmMeasured],
    ph: f64,
    land_type: FarmLandType,
) -> Result<FarmScreening, String> {
    let ph_band = PhBand::of(ph).ok_or_else(|| format!("pH {ph} is not a number from 0 to 14"))?;
    let table = Gb15618::get()?;
    let mut items = Vec::new();
    let mut unknown = Vec::new();
    for m in results {
        let Some(element) = table.find(&m.element) else {
            unknown.push(m.key);
            continue;
        };
        if m.below_detection {
            continue;
        }
        for level in [Level::Screening, Level::Intervention] {
            let Some(row) = table.limit(element, level, ph_band, land_type) else {
                continue;
            };
            if m.value_mgkg > row.value_mgkg {
                items.push(FarmExceedance {
                    key: m.key,
                    element: row.element,
                    name_zh: row.name_zh,
                    value_mgkg: m.value_mgkg,
                    limit_mgkg: row.value_mgkg,
                    level,
                    ratio: m.value_mgkg / row.value_mgkg,
                });
            }
        }
    }
    if unknown.len() == results.len() {
        return Err("no result is for an item of GB 15618".into());
    }
    items.sort_by(by_ratio);
    let class = match items.iter().map(|e| e.level).max() {
        None => FarmlandClass::PriorityProtection,
        Some(Level::Screening) => FarmlandClass::SafeUse,
        Some(Level::Intervention) => FarmlandClass::StrictControl,
    };
    Ok(FarmScreening {
        ph_band,
        land_type,
        class,
        items,
        unknown,
    })
}

fn by_ratio(a: &FarmExceedance, b: &FarmExceedance) -> Ordering {
    b.ratio
        .total_cmp(&a.ratio)
        .then_with(|| a.element.cmp(b.element))
        .then_with(|| a.key.cmp(&b.key))
        .then_with(|| b.level.cmp(&a.level))
}
