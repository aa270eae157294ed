//! Who may write what: departments, roles, and the one table that maps them to actions.

use serde::{Deserialize, Serialize, Serializer};

use super::town::Town;

/// A unit of the plan that writes to the register.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Department {
    /// 区生态环境局
    Eco,
    /// 区规自分局
    Planning,
    /// 区住建委
    Housing,
    /// 区农业农村局
    Agri,
    /// 区园林绿化局
    Forestry,
    /// 区科信局
    Industry,
    /// 区水务局
    Water,
    /// 中关村门头沟园管委会
    Park,
    /// A town or sub-district (镇街).
    Town(Town),
}

impl Department {
    pub fn parse(code: &str) -> Option<Self> {
        Some(match code.trim() {
            "eco" => Department::Eco,
            "planning" => Department::Planning,
            "housing" => Department::Housing,
            "agri" => Department::Agri,
            "forestry" => Department::Forestry,
            "industry" => Department::Industry,
            "water" => Department::Water,
            "park" => Department::Park,
            other => Department::Town(Town::parse(other)?),
        })
    }

    pub fn code(self) -> &'static str {
        match self {
            Department::Eco => "eco",
            Department::Planning => "planning",
            Department::Housing => "housing",
            Department::Agri => "agri",
            Department::Forestry => "forestry",
            Department::Industry => "industry",
            Department::Water => "water",
            Department::Park => "park",
            Department::Town(t) => t.code(),
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Department::Eco => "区生态环境局",
            Department::Planning => "区规自分局",
            Department::Housing => "区住建委",
            Department::Agri => "区农业农村局",
            Department::Forestry => "区园林绿化局",
            Department::Industry => "区科信局",
            Department::Water => "区水务局",
            Department::Park => "中关村门头沟园管委会",
            Department::Town(t) => t.info().name_zh,
        }
    }

    /// The fixed departments, then the 13 towns.
    pub fn all() -> impl Iterator<Item = Department> {
        [
            Department::Eco,
            Department::Planning,
            Department::Housing,
            Department::Agri,
            Department::Forestry,
            Department::Industry,
            Department::Water,
            Department::Park,
        ]
        .into_iter()
        .chain(Town::all().map(Department::Town))
    }
}

impl Serialize for Department {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

/// What a user may do at all.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, sqlx::Type,
)]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "user_role", rename_all = "snake_case")]
pub enum Role {
    Viewer,
    Editor,
    Admin,
}

/// A kind of write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Create, edit or retire a parcel in the register.
    EditRegister,
    /// Record a soil-lifecycle event (survey … delisting) or handle a filing.
    RecordSoilEvent,
    /// Record a land event (withdrawal, transfer, supply, permits, construction).
    RecordLandEvent,
    /// Keep the enterprise ledgers: firms, key units and their duties, heavy-metal
    /// and electroplating firms, buried tanks, solid-waste sites, new projects.
    EditEnterpriseLedgers,
    /// Keep the closed-factory screening ledger and site risk screening (§4b).
    KeepScreeningLedger,
    /// Keep farmland and orchard plots, their classes, measures and produce tests.
    EditFarmland,
    /// Record patrols of unused land.
    PatrolUnusedLand,
}

/// The mapping of departments to writes, in one place.
///
/// Admins may do anything; viewers nothing. Editors: the register is kept by
/// planning (boundaries, uses, rights) and ecology (risk, responsible party);
/// soil events and filings are written by the ecology bureau (law Arts 59–66
/// name the 生态环境主管部门); land events by planning, housing and
/// construction (the 区规自分局 and 区住建委). The ledgers are kept by the
/// units the plan names for them (see each action).
pub fn may(department: Department, role: Role, action: Action) -> bool {
    match role {
        Role::Admin => true,
        Role::Viewer => false,
        Role::Editor => match action {
            Action::EditRegister => matches!(department, Department::Planning | Department::Eco),
            Action::RecordSoilEvent => department == Department::Eco,
            Action::RecordLandEvent => {
                matches!(department, Department::Planning | Department::Housing)
            }
            // §3, §11, §15: ecology and the industry bureau (区科信局) share the firm data.
            Action::EditEnterpriseLedgers => {
                matches!(department, Department::Eco | Department::Industry)
            }
            Action::KeepScreeningLedger => department == Department::Eco,
            // §6–§10: agriculture and forestry (orchards, edible forest products).
            Action::EditFarmland => matches!(department, Department::Agri | Department::Forestry),
            // §9: towns patrol their unused land; planning and ecology supervise.
            Action::PatrolUnusedLand => {
                matches!(
                    department,
                    Department::Town(_) | Department::Planning | Department::Eco
                )
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn department_codes_round_trip() {
        for d in Department::all() {
            assert_eq!(Department::parse(d.code()), Some(d));
        }
        assert_eq!(Department::all().count(), 21);
        assert_eq!(Department::parse("police"), None);
    }

    #[test]
    fn soil_events_are_the_ecology_bureaus_and_land_events_planning_and_housing() {
        assert!(may(Department::Eco, Role::Editor, Action::RecordSoilEvent));
        assert!(!may(
            Department::Planning,
            Role::Editor,
            Action::RecordSoilEvent
        ));
        assert!(may(
            Department::Planning,
            Role::Editor,
            Action::RecordLandEvent
        ));
        assert!(may(
            Department::Housing,
            Role::Editor,
            Action::RecordLandEvent
        ));
        assert!(!may(Department::Eco, Role::Editor, Action::RecordLandEvent));
        assert!(!may(Department::Eco, Role::Viewer, Action::EditRegister));
        assert!(may(Department::Agri, Role::Admin, Action::RecordSoilEvent));
    }
}
