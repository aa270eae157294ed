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
mod tests {
    use super::*;
    use serde_json::json;
    use time::macros::date;

    const TODAY: Date = date!(2023 - 06 - 30);

    fn parse(ledger: Ledger, v: Value) -> Result<Entry, FieldError> {
        match v {
            Value::Object(m) => Entry::parse(ledger, &m, TODAY),
            _ => unreachable!("test input is an object"),
        }
    }

    fn uscc() -> String {
        let first17 = "91110109MA01ABCD1";
        let check = Uscc::check_character(first17).expect("alphabet");
        format!("{first17}{check}")
    }

    #[test]
    fn a_valid_row_of_each_ledger_parses() {
        let rows = [
            (
                Ledger::HeavyMetalFirms,
                json!({"uscc": uscc(), "metals": ["pb", "cd", "cd"], "status": "investigating"}),
            ),
            (
                Ledger::BuriedTanks,
                json!({"owner": "某加油站", "substance": "汽油", "capacity_m3": 30, "installed_on": "2010-05-01", "anti_leak": ["double_wall"]}),
            ),
            (
                Ledger::WasteStorageSites,
                json!({"operator": "某公司", "waste_type": "煤矸石", "safety_measures": "围挡、覆盖"}),
            ),
            (
                Ledger::NewProjects,
                json!({"name": "某集成电路项目", "sector": "integrated_circuit"}),
            ),
            (
                Ledger::FarmlandPlots,
                json!({"name": "果园一", "town": "110109105", "land_type": "orchard", "class": "priority_protection"}),
            ),
            (
                Ledger::UnusedLandPatrols,
                json!({"patrolled_on": "2023-06-01", "patroller": "李四", "town": "110109004", "finding": "无异常"}),
            ),
        ];
        for (ledger, v) in rows {
            let e = parse(ledger, v.clone()).unwrap_or_else(|e| panic!("{v}: {e:?}"));
            assert_eq!(e.ledger(), ledger);
        }
    }

    #[test]
    fn each_bad_member_is_named() {
        let tank = |extra: Value| {
            let mut base = json!({"owner": "x", "substance": "柴油", "capacity_m3": 20, "installed_on": "2010-05-01", "anti_leak": ["none"]});
            if let (Some(b), Some(e)) = (base.as_object_mut(), extra.as_object()) {
                b.extend(e.clone());
            }
            parse(Ledger::BuriedTanks, base)
        };
        for (extra, field, code) in [
            (json!({"capacity_m3": -5}), "capacity_m3", "out_of_range"),
            (json!({"capacity_m3": 0}), "capacity_m3", "out_of_range"),
            (
                json!({"installed_on": "2023-07-01"}),
                "installed_on",
                "future_date",
            ),
            (
                json!({"anti_leak": ["none", "double_wall"]}),
                "anti_leak",
                "invalid_value",
            ),
            (
                json!({"anti_leak": ["lead_lining"]}),
                "anti_leak",
                "invalid_value",
            ),
            (
                json!({"owner_uscc": "91110109MA01ABCD10"}),
                "owner_uscc",
                "invalid_uscc",
            ),
            (json!({"colour": "red"}), "colour", "unknown_field"),
            (
                json!({"last_inspection_failed": false}),
                "last_inspection_failed",
                "read_only",
            ),
            (json!({"owner": null}), "owner", "required"),
        ] {
            let e = tank(extra.clone()).expect_err("invalid");
            assert_eq!((e.field.as_str(), e.code), (field, code), "{extra}");
        }
    }

    #[test]
    fn a_firm_needs_a_metal_or_electroplating() {
        let e = parse(
            Ledger::HeavyMetalFirms,
            json!({"uscc": uscc(), "status": "done"}),
        )
        .expect_err("neither");
        assert_eq!(e.field, "metals");
        assert!(parse(
            Ledger::HeavyMetalFirms,
            json!({"uscc": uscc(), "status": "done", "electroplating": true})
        )
        .is_ok());
        let e = parse(
            Ledger::HeavyMetalFirms,
            json!({"uscc": uscc(), "status": "done", "metals": ["u"]}),
        )
        .expect_err("uranium is not on the list");
        assert_eq!(e.field, "metals");
    }

    #[test]
    fn a_contaminated_plot_needs_measures_and_a_known_town() {
        let plot =
            json!({"name": "p", "town": "110109105", "land_type": "dry", "class": "safe_use"});
        let e = parse(Ledger::FarmlandPlots, plot).expect_err("no measures");
        assert_eq!(
            (e.field.as_str(), e.code),
            ("measures", "measures_required")
        );
        let e = parse(
            Ledger::FarmlandPlots,
            json!({"name": "p", "town": "110109999", "land_type": "dry", "class": "priority_protection"}),
        )
        .expect_err("town");
        assert_eq!((e.field.as_str(), e.code), ("town", "unknown_town"));
    }

    #[test]
    fn a_project_started_before_its_survey_is_flagged() {
        let Ok(Entry::NewProject(p)) = parse(
            Ledger::NewProjects,
            json!({"name": "n", "sector": "vehicle", "baseline_survey_done_on": "2023-03-01", "construction_started_on": "2023-02-01"}),
        ) else {
            panic!("valid project");
        };
        assert!(p.baseline_missing());
        let e = parse(
            Ledger::NewProjects,
            json!({"name": "n", "sector": "vehicle", "baseline_survey_done_on": "2024-01-01"}),
        )
        .expect_err("future survey");
        assert_eq!(e.field, "baseline_survey_done_on");
    }
}
