//! A ledger row's attributes (everything but its geometry), parsed so that only valid
//! values exist.

use serde_json::{Map, Value};
use time::Date;

use super::fields::Fields;
use super::kinds::{AntiLeak, FarmlandClass, InvestigationStatus, LandType, Metals, Sector};
use super::rules;
use super::Ledger;
use crate::domain::document::DocumentId;
use crate::domain::enterprise::Uscc;
use crate::domain::parcel::FieldError;
use crate::domain::town::Town;

/// §3: a heavy-metal (cadmium etc.) or electroplating firm under investigation.
#[derive(Debug, Clone, PartialEq)]
pub struct HeavyMetalFirm {
    /// Must name a registered enterprise (checked by the database).
    pub uscc: Uscc,
    pub metals: Metals,
    pub electroplating: bool,
    pub status: InvestigationStatus,
    pub remediation_note: Option<String>,
}

/// §3: a buried tank or pipeline holding toxic or hazardous substances.
#[derive(Debug, Clone, PartialEq)]
pub struct BuriedTank {
    pub owner: String,
    pub owner_uscc: Option<Uscc>,
    /// What it holds, e.g. 汽油, 柴油.
    pub substance: String,
    /// Greater than zero.
    pub capacity_m3: f64,
    pub installed_on: Date,
    pub anti_leak: AntiLeak,
}

/// §11: an industrial solid-waste storage site.
#[derive(Debug, Clone, PartialEq)]
pub struct WasteStorageSite {
    pub operator: String,
    pub waste_type: String,
    pub safety_measures: String,
}

/// §3: a new project in a sector that needs a baseline survey before construction.
#[derive(Debug, Clone, PartialEq)]
pub struct NewProject {
    pub name: String,
    pub enterprise_uscc: Option<Uscc>,
    pub sector: Sector,
    pub baseline_survey_done_on: Option<Date>,
    pub construction_started_on: Option<Date>,
}

impl NewProject {
    /// See [`rules::baseline_missing`].
    pub fn baseline_missing(&self) -> bool {
        rules::baseline_missing(self.baseline_survey_done_on, self.construction_started_on)
    }
}

/// §6–§9: a farmland or orchard plot and its class.
#[derive(Debug, Clone, PartialEq)]
pub struct FarmlandPlot {
    pub name: String,
    pub town: Town,
    pub land_type: LandType,
    pub class: FarmlandClass,
    /// Required unless the plot is of the priority-protection class.
    pub measures: Option<String>,
}

/// §11: one patrol of unused land.
#[derive(Debug, Clone, PartialEq)]
pub struct UnusedLandPatrol {
    pub patrolled_on: Date,
    pub patroller: String,
    pub town: Town,
    pub finding: String,
    pub photo: Option<DocumentId>,
    pub follow_up: Option<String>,
}

/// A ledger row's valid attributes.
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    HeavyMetalFirm(HeavyMetalFirm),
    BuriedTank(BuriedTank),
    WasteStorageSite(WasteStorageSite),
    NewProject(NewProject),
    FarmlandPlot(FarmlandPlot),
    UnusedLandPatrol(UnusedLandPatrol),
}

impl Entry {
    /// Parses a row's members (without its geometry member). Dates may not be after `today`.
    pub fn parse(
        ledger: Ledger,
        props: &Map<String, Value>,
        today: Date,
    ) -> Result<Self, FieldError> {
        let f = Fields::new(props, ledger.fields(), &ledger.read_only(), today)?;
        Ok(match ledger {
            Ledger::HeavyMetalFirms => {
                let firm = HeavyMetalFirm {
                    uscc: f.uscc("uscc")?,
                    metals: f.metals("metals")?,
                    electroplating: f.opt_bool("electroplating")?.unwrap_or(false),
                    status: f.one_of(
                        "status",
                        InvestigationStatus::parse,
                        &InvestigationStatus::names(),
                    )?,
                    remediation_note: f.opt_note("remediation_note")?,
                };
                if firm.metals.is_empty() && !firm.electroplating {
                    return Err(FieldError::new(
                        "metals",
                        "required",
                        "a firm is on this list for a heavy metal or for electroplating: \
                         list its metals or set electroplating",
                    ));
                }
                Entry::HeavyMetalFirm(firm)
            }
            Ledger::BuriedTanks => Entry::BuriedTank(BuriedTank {
                owner: f.text("owner")?,
                owner_uscc: f.opt_uscc("owner_uscc")?,
                substance: f.text("substance")?,
                capacity_m3: f.number("capacity_m3", 0.0, true)?,
                installed_on: f.past_date("installed_on")?,
                anti_leak: f.anti_leak("anti_leak")?,
            }),
            Ledger::WasteStorageSites => Entry::WasteStorageSite(WasteStorageSite {
                operator: f.text("operator")?,
                waste_type: f.text("waste_type")?,
                safety_measures: f.note("safety_measures")?,
            }),
            Ledger::NewProjects => Entry::NewProject(NewProject {
                name: f.text("name")?,
                enterprise_uscc: f.opt_uscc("enterprise_uscc")?,
                sector: f.one_of("sector", Sector::parse, &Sector::names())?,
                baseline_survey_done_on: f.opt_past_date("baseline_survey_done_on")?,
                construction_started_on: f.opt_past_date("construction_started_on")?,
            }),
            Ledger::FarmlandPlots => {
                let plot = FarmlandPlot {
                    name: f.text("name")?,
                    town: f.town("town")?,
                    land_type: f.one_of("land_type", LandType::parse, &LandType::names())?,
                    class: f.one_of("class", FarmlandClass::parse, &FarmlandClass::names())?,
                    measures: f.opt_note("measures")?,
                };
                if plot.class.needs_measures() && plot.measures.is_none() {
                    return Err(FieldError::new(
                        "measures",
                        "measures_required",
                        format!(
                            "a {} plot is contaminated: every contaminated plot needs its \
                             safe-use measures (§6)",
                            plot.class.as_str()
                        ),
                    ));
                }
                Entry::FarmlandPlot(plot)
            }
            Ledger::UnusedLandPatrols => Entry::UnusedLandPatrol(UnusedLandPatrol {
                patrolled_on: f.past_date("patrolled_on")?,
                patroller: f.text("patroller")?,
                town: f.town("town")?,
                finding: f.note("finding")?,
                photo: f.opt_document("photo")?,
                follow_up: f.opt_note("follow_up")?,
            }),
        })
    }

    /// Applies a JSON merge patch to a row's stored members and parses the result: absent
    /// members stay, `null` clears an optional one (and leaves a required one missing).
    /// Stored members that no client writes (bookkeeping, derived flags) are dropped first;
    /// sent in the patch they are refused like any other.
    pub fn patched(
        ledger: Ledger,
        stored: &Map<String, Value>,
        patch: &Map<String, Value>,
        today: Date,
    ) -> Result<Self, FieldError> {
        let known = ledger.fields();
        let mut merged: Map<String, Value> = stored
            .iter()
            .filter(|(k, _)| known.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        for (k, v) in patch {
            if v.is_null() && known.contains(&k.as_str()) {
                merged.remove(k);
            } else {
                merged.insert(k.clone(), v.clone());
            }
        }
        Entry::parse(ledger, &merged, today)
    }

    pub fn ledger(&self) -> Ledger {
        match self {
            Entry::HeavyMetalFirm(_) => Ledger::HeavyMetalFirms,
            Entry::BuriedTank(_) => Ledger::BuriedTanks,
            Entry::WasteStorageSite(_) => Ledger::WasteStorageSites,
            Entry::NewProject(_) => Ledger::NewProjects,
            Entry::FarmlandPlot(_) => Ledger::FarmlandPlots,
            Entry::UnusedLandPatrol(_) => Ledger::UnusedLandPatrols,
        }
    }
}

#[cfg(test)]
mod tests;
