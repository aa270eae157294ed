//! Progress on a measure: who may report it, what its overall state is, and when it is at risk.

use serde::{Deserialize, Serialize};
use time::{Date, Duration, Month};

use super::{Deadline, UnitDept};
use crate::domain::access::{Department, Role};

/// The state of a measure, as one department reports it or as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, sqlx::Type)]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "plan_status", rename_all = "snake_case")]
pub enum ProgressStatus {
    NotStarted,
    InProgress,
    Done,
    Blocked,
}

/// A department's latest report on a measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Latest {
    pub department: Department,
    pub status: ProgressStatus,
    pub reported_on: Date,
}

/// Why a measure is at risk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskReason {
    /// A department's latest report says it is blocked.
    Blocked,
    /// A year-end measure not done by every lead department from 1 October of the plan year.
    YearEndNotDone,
    /// An ongoing measure with no report dated in the last [`QUIET_DAYS`] days.
    NoRecentReport,
}

/// An ongoing measure without a report for this many days is at risk.
pub const QUIET_DAYS: i64 = 90;

/// A measure's overall state and, when at risk, why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Assessment {
    pub overall: ProgressStatus,
    pub risk: Option<RiskReason>,
}

impl Assessment {
    pub fn at_risk(&self) -> bool {
        self.risk.is_some()
    }
}

/// The overall state and risk of a measure on `today`, from each department's latest report
/// (`latest` holds at most one entry per department).
///
/// Overall: `blocked` when any latest report is blocked; `done` when every lead department
/// (a town group counts as all 13 towns) reports done — or, when no lead unit is a department
/// of the system, when every report is done; `in_progress` when any report is in progress or
/// done; otherwise `not_started`.
///
/// At risk: when blocked; a year-end measure on or after 1 October of the plan year unless
/// done; an ongoing measure when no report is dated within the last [`QUIET_DAYS`] days.
pub fn assess(
    deadline: Deadline,
    leads: &[UnitDept],
    latest: &[Latest],
    plan_year: i32,
    today: Date,
) -> Assessment {
    let overall = overall(leads, latest);
    let risk = if overall == ProgressStatus::Blocked {
        Some(RiskReason::Blocked)
    } else {
        match deadline {
            Deadline::YearEnd => {
                let last_quarter = Date::from_calendar_date(plan_year, Month::October, 1)
                    .is_ok_and(|october| today >= october);
                (last_quarter && overall != ProgressStatus::Done)
                    .then_some(RiskReason::YearEndNotDone)
            }
            Deadline::Ongoing => {
                let quiet_since = today - Duration::days(QUIET_DAYS);
                let recent = latest.iter().any(|l| l.reported_on > quiet_since);
                (!recent).then_some(RiskReason::NoRecentReport)
            }
        }
    };
    Assessment { overall, risk }
}

fn overall(leads: &[UnitDept], latest: &[Latest]) -> ProgressStatus {
    use ProgressStatus as S;
    if latest.iter().any(|l| l.status == S::Blocked) {
        return S::Blocked;
    }
    let mut required: Vec<Department> = Vec::new();
    for d in leads.iter().flat_map(|u| u.departments()) {
        if !required.contains(&d) {
            required.push(d);
        }
    }
    let done_by = |d: &Department| {
        latest
            .iter()
            .any(|l| l.department == *d && l.status == S::Done)
    };
    let done = if required.is_empty() {
        !latest.is_empty() && latest.iter().all(|l| l.status == S::Done)
    } else {
        required.iter().all(done_by)
    };
    if done {
        S::Done
    } else if latest
        .iter()
        .any(|l| matches!(l.status, S::InProgress | S::Done))
    {
        S::InProgress
    } else {
        S::NotStarted
    }
}

/// Whether a user may report progress on a measure with these units (lead and responsible):
/// admins on any measure, editors of a unit's department on its measures, viewers never.
pub fn may_report(department: Department, role: Role, units: &[UnitDept]) -> bool {
    match role {
        Role::Admin => true,
        Role::Viewer => false,
        Role::Editor => units.iter().any(|u| u.includes(department)),
    }
}

#[cfg(test)]
#[path = "progress_tests.rs"]
mod tests;
