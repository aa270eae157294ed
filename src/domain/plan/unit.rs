//! The plan's units (牵头单位 / 责任单位): splitting a table cell into names and mapping
//! each name to a department of the system.

use serde::{Serialize, Serializer};

use crate::domain::access::Department;
use crate::domain::town::Town;

/// The department (or departments) of the system a plan unit stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UnitDept {
    /// One department: a bureau, the park, or a named town.
    One(Department),
    /// 各镇街, 相关镇街, `X等相关镇街`: the plan does not say which towns, so any of the 13.
    Towns,
}

/// The code stored and shown for [`UnitDept::Towns`].
pub const TOWNS_CODE: &str = "towns";

impl UnitDept {
    /// The department a unit's name stands for; `None` for units the system has no
    /// department for (区应急局, 区城管委, 百花山管理处, …).
    pub fn of_name(name: &str) -> Option<Self> {
        let name = name.trim();
        let one = match name {
            "区生态环境局" | "生态环境局" => Department::Eco,
            // The plan writes both 区规自分局 and 规自分局 (§4, §13).
            "区规自分局" | "规自分局" => Department::Planning,
            "区住建委" | "住建委" => Department::Housing,
            "区农业农村局" | "农业农村局" => Department::Agri,
            "区园林绿化局" | "园林绿化局" => Department::Forestry,
            "区科信局" | "科信局" => Department::Industry,
            "区水务局" | "水务局" => Department::Water,
            "中关村门头沟园管委会" => Department::Park,
            "各镇街" | "相关镇街" => return Some(UnitDept::Towns),
            _ if name.ends_with("等相关镇街") => return Some(UnitDept::Towns),
            _ => {
                return Town::all()
                    .find(|t| t.info().name_zh == name)
                    .map(|t| UnitDept::One(Department::Town(t)))
            }
        };
        Some(UnitDept::One(one))
    }

    /// `eco`, `planning`, …, a town's code, or `towns`.
    pub fn code(self) -> &'static str {
        match self {
            UnitDept::One(d) => d.code(),
            UnitDept::Towns => TOWNS_CODE,
        }
    }

    /// Reads a stored code back.
    pub fn parse(code: &str) -> Option<Self> {
        if code == TOWNS_CODE {
            Some(UnitDept::Towns)
        } else {
            Department::parse(code).map(UnitDept::One)
        }
    }

    /// Whether a user of `department` belongs to this unit.
    pub fn includes(self, department: Department) -> bool {
        match self {
            UnitDept::One(d) => d == department,
            UnitDept::Towns => matches!(department, Department::Town(_)),
        }
    }

    /// The departments that make up this unit.
    pub fn departments(self) -> Vec<Department> {
        match self {
            UnitDept::One(d) => vec![d],
            UnitDept::Towns => Town::all().map(Department::Town).collect(),
        }
    }
}

impl Serialize for UnitDept {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

/// Splits a units cell into names: separated by `、`, `，`, `,`, `;` or line breaks;
/// `——` (none) gives an empty list.
pub fn split_units(cell: &str) -> Vec<String> {
    cell.split(|c: char| matches!(c, '、' | '，' | ',' | '；' | ';') || c.is_whitespace())
        .map(str::trim)
        .filter(|s| !s.is_empty() && !s.chars().all(|c| matches!(c, '—' | '-' | '－')))
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bureaus_map_to_their_departments_with_or_without_the_district_prefix() {
        let one = |n: &str| UnitDept::of_name(n);
        assert_eq!(one("区生态环境局"), Some(UnitDept::One(Department::Eco)));
        assert_eq!(one("区规自分局"), Some(UnitDept::One(Department::Planning)));
        assert_eq!(one("规自分局"), Some(UnitDept::One(Department::Planning)));
        assert_eq!(one("区住建委"), Some(UnitDept::One(Department::Housing)));
        assert_eq!(one("区农业农村局"), Some(UnitDept::One(Department::Agri)));
        assert_eq!(
            one("区园林绿化局"),
            Some(UnitDept::One(Department::Forestry))
        );
        assert_eq!(one("区科信局"), Some(UnitDept::One(Department::Industry)));
        assert_eq!(one("区水务局"), Some(UnitDept::One(Department::Water)));
        assert_eq!(
            one("中关村门头沟园管委会"),
            Some(UnitDept::One(Department::Park))
        );
    }

    #[test]
    fn town_groups_stand_for_every_town_and_other_units_for_none() {
        for n in ["各镇街", "相关镇街", "军庄等相关镇街", "潭柘寺等相关镇街"]
        {
            assert_eq!(UnitDept::of_name(n), Some(UnitDept::Towns), "{n}");
        }
        let longquan = Town::parse("110109007").map(Department::Town);
        assert_eq!(
            UnitDept::of_name("龙泉镇"),
            longquan.map(UnitDept::One),
            "a named town is that town"
        );
        for n in [
            "区应急局",
            "区城管委",
            "百花山管理处",
            "区公安分局",
            "区财政局",
        ] {
            assert_eq!(UnitDept::of_name(n), None, "{n}");
        }
        assert!(UnitDept::Towns.includes(Department::parse("110109104").expect("town")));
        assert!(!UnitDept::Towns.includes(Department::Eco));
        assert_eq!(UnitDept::Towns.departments().len(), 13);
        assert_eq!(UnitDept::parse("towns"), Some(UnitDept::Towns));
        assert_eq!(UnitDept::parse("eco"), Some(UnitDept::One(Department::Eco)));
        assert_eq!(UnitDept::parse("police"), None);
    }

    #[test]
    fn unit_cells_split_on_enumeration_commas_and_line_breaks() {
        assert_eq!(
            split_units("区住建委、各镇街、\n中关村门头沟园管委会"),
            ["区住建委", "各镇街", "中关村门头沟园管委会"]
        );
        assert_eq!(split_units("区规自分局\n各镇街"), ["区规自分局", "各镇街"]);
        assert_eq!(
            split_units("区财政局，潭柘寺等相关镇街"),
            ["区财政局", "潭柘寺等相关镇街"]
        );
        assert!(split_units("——").is_empty());
        assert!(split_units("  ").is_empty());
    }
}
