//! The smaller ledgers of Action Plan §3 and §6–§11, besides the closed-factory screening
//! ledger and key units: heavy-metal and electroplating firms, buried tanks and pipelines,
//! industrial solid-waste storage sites, new industrial projects, farmland plots, and
//! patrols of unused land.
//!
//! Each ledger is one [`Ledger`]; a row's input parses into one [`Entry`] that holds only
//! valid values; child records (inspections, patrols, produce tests) parse into a
//! [`NewRecord`]. The flags the plan asks for are pure functions in [`rules`].

mod entries;
mod fields;
pub mod kinds;
mod records;
pub mod rules;
pub mod shape;

pub use entries::{
    BuriedTank, Entry, FarmlandPlot, HeavyMetalFirm, NewProject, UnusedLandPatrol, WasteStorageSite,
};
pub use records::{NewRecord, ProduceTest, TankInspection, WastePatrol};
pub use shape::{parse_shape, shape_from_geo, GeometryKind, Location, Shape};

use super::access::Action;

/// One of the ledgers, as named in the API path (`/api/ledgers/{ledger}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ledger {
    HeavyMetalFirms,
    BuriedTanks,
    WasteStorageSites,
    NewProjects,
    FarmlandPlots,
    UnusedLandPatrols,
}

/// The kind of a ledger's child records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordKind {
    /// Inspections of a buried tank (定期巡查、检修、监测).
    TankInspection,
    /// Patrols of a solid-waste storage site.
    WastePatrol,
    /// Produce tests of a farmland plot, one per product, analyte and harvest.
    ProduceTest,
}

/// Members every ledger row shows but no client writes.
const BOOKKEEPING: [&str; 7] = [
    "id",
    "ledger",
    "version",
    "created_at",
    "created_by",
    "updated_at",
    "updated_by",
];

impl Ledger {
    pub const ALL: [Ledger; 6] = [
        Ledger::HeavyMetalFirms,
        Ledger::BuriedTanks,
        Ledger::WasteStorageSites,
        Ledger::NewProjects,
        Ledger::FarmlandPlots,
        Ledger::UnusedLandPatrols,
    ];

    /// Parses the path segment; `None` for anything else.
    pub fn parse(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.slug() == slug)
    }

    pub fn slug(self) -> &'static str {
        match self {
            Ledger::HeavyMetalFirms => "heavy-metal-firms",
            Ledger::BuriedTanks => "buried-tanks",
            Ledger::WasteStorageSites => "waste-storage-sites",
            Ledger::NewProjects => "new-projects",
            Ledger::FarmlandPlots => "farmland-plots",
            Ledger::UnusedLandPatrols => "unused-land-patrols",
        }
    }

    /// What a write to this ledger (or its records) needs.
    pub fn action(self) -> Action {
        match self {
            Ledger::FarmlandPlots => Action::EditFarmland,
            Ledger::UnusedLandPatrols => Action::PatrolUnusedLand,
            _ => Action::EditEnterpriseLedgers,
        }
    }

    pub fn geometry(self) -> GeometryKind {
        match self {
            Ledger::WasteStorageSites | Ledger::FarmlandPlots => GeometryKind::Area,
            _ => GeometryKind::Point,
        }
    }

    /// The member of a row that holds its geometry.
    pub fn geometry_member(self) -> &'static str {
        match self {
            Ledger::WasteStorageSites => "footprint",
            Ledger::FarmlandPlots => "boundary",
            _ => "location",
        }
    }

    /// Whether rows belong to a town (and lists filter by it).
    pub fn has_town(self) -> bool {
        matches!(self, Ledger::FarmlandPlots | Ledger::UnusedLandPatrols)
    }

    /// The derived flag `?flagged=true` selects, by its property name.
    pub fn flag(self) -> Option<&'static str> {
        match self {
            Ledger::NewProjects => Some("baseline_missing"),
            Ledger::FarmlandPlots => Some("stop_direct_planting"),
            Ledger::BuriedTanks => Some("last_inspection_failed"),
            Ledger::WasteStorageSites => Some("issue_open"),
            Ledger::HeavyMetalFirms | Ledger::UnusedLandPatrols => None,
        }
    }

    pub fn records(self) -> Option<RecordKind> {
        match self {
            Ledger::BuriedTanks => Some(RecordKind::TankInspection),
            Ledger::WasteStorageSites => Some(RecordKind::WastePatrol),
            Ledger::FarmlandPlots => Some(RecordKind::ProduceTest),
            _ => None,
        }
    }

    /// The members a client writes, besides the geometry member.
    pub fn fields(self) -> &'static [&'static str] {
        match self {
            Ledger::HeavyMetalFirms => &[
                "uscc",
                "metals",
                "electroplating",
                "status",
                "remediation_note",
            ],
            Ledger::BuriedTanks => &[
                "owner",
                "owner_uscc",
                "substance",
                "capacity_m3",
                "installed_on",
                "anti_leak",
            ],
            Ledger::WasteStorageSites => &["operator", "waste_type", "safety_measures"],
            Ledger::NewProjects => &[
                "name",
                "enterprise_uscc",
                "sector",
                "baseline_survey_done_on",
                "construction_started_on",
            ],
            Ledger::FarmlandPlots => &["name", "town", "land_type", "class", "measures"],
            Ledger::UnusedLandPatrols => &[
                "patrolled_on",
                "patroller",
                "town",
                "finding",
                "photo",
                "follow_up",
            ],
        }
    }

    /// The members a row shows that the service derives.
    pub fn read_only(self) -> Vec<&'static str> {
        let derived: &[&str] = match self {
            Ledger::WasteStorageSites => &["area_m2", "issue_open"],
            Ledger::FarmlandPlots => &["area_m2", "stop_direct_planting", "blocked_products"],
            Ledger::BuriedTanks => &["last_inspection_failed"],
            Ledger::NewProjects => &["baseline_missing"],
            Ledger::HeavyMetalFirms | Ledger::UnusedLandPatrols => &[],
        };
        BOOKKEEPING.iter().chain(derived).copied().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_round_trip_and_unknown_ledgers_do_not_parse() {
        for l in Ledger::ALL {
            assert_eq!(Ledger::parse(l.slug()), Some(l));
        }
        assert_eq!(Ledger::parse("parcels"), None);
        assert_eq!(Ledger::parse("Buried-Tanks"), None);
    }

    #[test]
    fn each_ledger_is_written_by_the_units_the_plan_names() {
        assert_eq!(Ledger::FarmlandPlots.action(), Action::EditFarmland);
        assert_eq!(Ledger::UnusedLandPatrols.action(), Action::PatrolUnusedLand);
        assert_eq!(Ledger::NewProjects.action(), Action::EditEnterpriseLedgers);
    }
}
