//! The district's yearly soil-pollution action plan: its tasks, their measures, deadlines and
//! units, parsed from the plan's own text, and the rules that judge reported progress.

mod parse;
mod progress;
mod unit;

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

pub use parse::{parse, ParseError};
pub use progress::{assess, may_report, Assessment, Latest, ProgressStatus, RiskReason};
pub use unit::{split_units, UnitDept};

/// The 2023 plan as published (附件4), byte for byte.
pub const PLAN_2023: &str = include_str!("../../../fixtures/plan-2023.txt");

/// A parsed plan: its year and its numbered tasks, in order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    pub year: i32,
    pub tasks: Vec<Task>,
}

/// One numbered task (重点任务) of the plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Task {
    /// 序号, 1-based.
    pub no: i16,
    /// The heading of the section the task is under, e.g. `二、全面加强建设用地风险防控`.
    pub section: String,
    /// The task's title with the table's line breaks and spaces removed.
    pub title: String,
    pub measures: Vec<Measure>,
}

/// One work measure (工作措施) of a task, with its deadline and units.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Measure {
    /// The measure's text; paragraphs are kept on separate lines.
    pub text: String,
    pub deadline: Deadline,
    /// 牵头单位.
    pub lead: Vec<Unit>,
    /// 责任单位 (may be empty: the plan writes `——`).
    pub responsible: Vec<Unit>,
}

/// A unit named by the plan, and the department of the system it maps to, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unit {
    pub name: String,
    pub department: Option<UnitDept>,
}

impl Unit {
    /// Maps a unit's name to a department (see [`UnitDept::of_name`]).
    pub fn named(name: &str) -> Self {
        Unit {
            name: name.to_owned(),
            department: UnitDept::of_name(name),
        }
    }
}

/// A measure's deadline (完成时限).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, sqlx::Type)]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "plan_deadline", rename_all = "snake_case")]
pub enum Deadline {
    /// 年底前: by the end of the plan year.
    YearEnd,
    /// 长期实施 and similar: carried on without an end date.
    Ongoing,
}

impl Deadline {
    /// The plan's wording; unknown wording is refused rather than guessed.
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "年底前" | "年底前完成" | "12月底前" => Some(Deadline::YearEnd),
            "长期实施" | "长期" | "长期坚持" | "持续实施" | "持续推进" | "长期开展" => {
                Some(Deadline::Ongoing)
            }
            _ => None,
        }
    }
}

/// A role of a unit in a measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, sqlx::Type)]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "plan_unit_role", rename_all = "snake_case")]
pub enum UnitRole {
    /// 牵头单位.
    Lead,
    /// 责任单位.
    Responsible,
}

/// The 2023 plan, parsed once. An error means the bundled text no longer parses.
pub fn plan_2023() -> Result<&'static Plan, &'static ParseError> {
    static PLAN: OnceLock<Result<Plan, ParseError>> = OnceLock::new();
    PLAN.get_or_init(|| parse(PLAN_2023)).as_ref()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadlines_are_year_end_or_ongoing_and_other_wording_is_refused() {
        assert_eq!(Deadline::parse("年底前"), Some(Deadline::YearEnd));
        assert_eq!(Deadline::parse(" 长期实施 "), Some(Deadline::Ongoing));
        assert_eq!(Deadline::parse("持续推进"), Some(Deadline::Ongoing));
        for wording in ["6月底前", "2024年", "", "年底", "长期实施中", "——"] {
            assert_eq!(Deadline::parse(wording), None, "{wording}");
        }
    }

    #[test]
    fn the_bundled_plan_parses() {
        let plan = plan_2023().expect("the bundled 2023 plan parses");
        assert_eq!(plan.year, 2023);
        assert_eq!(plan.tasks.len(), 16);
    }
}
