//! The overall state, the at-risk rule and who may report, on fixed dates.

use time::macros::date;
use time::Date;

use super::*;
use crate::domain::town::Town;

const ECO: UnitDept = UnitDept::One(Department::Eco);
const PLANNING: UnitDept = UnitDept::One(Department::Planning);

fn report(department: Department, status: ProgressStatus, reported_on: Date) -> Latest {
    Latest {
        department,
        status,
        reported_on,
    }
}

fn year_end(leads: &[UnitDept], latest: &[Latest], today: Date) -> Assessment {
    assess(Deadline::YearEnd, leads, latest, 2023, today)
}

fn ongoing(latest: &[Latest], today: Date) -> Assessment {
    assess(Deadline::Ongoing, &[ECO], latest, 2023, today)
}

#[test]
fn a_measure_without_reports_has_not_started() {
    let a = year_end(&[ECO], &[], date!(2023 - 03 - 01));
    assert_eq!(a.overall, ProgressStatus::NotStarted);
    assert!(!a.at_risk());
    let only_not_started = [report(
        Department::Eco,
        ProgressStatus::NotStarted,
        date!(2023 - 02 - 01),
    )];
    assert_eq!(
        year_end(&[ECO], &only_not_started, date!(2023 - 03 - 01)).overall,
        ProgressStatus::NotStarted
    );
}

#[test]
fn a_measure_is_done_only_when_every_lead_department_reports_done() {
    let on = date!(2023 - 06 - 01);
    let eco_done = report(Department::Eco, ProgressStatus::Done, on);
    let leads = [ECO, PLANNING];
    assert_eq!(
        year_end(&leads, &[eco_done], on).overall,
        ProgressStatus::InProgress
    );
    let housing_done = report(Department::Housing, ProgressStatus::Done, on);
    assert_eq!(
        year_end(&leads, &[eco_done, housing_done], on).overall,
        ProgressStatus::InProgress,
        "a responsible unit's done is not the lead's"
    );
    let planning_done = report(Department::Planning, ProgressStatus::Done, on);
    assert_eq!(
        year_end(&leads, &[eco_done, planning_done], on).overall,
        ProgressStatus::Done
    );
}

#[test]
fn a_town_group_leading_is_done_when_every_town_is() {
    let on = date!(2023 - 06 - 01);
    let mut latest: Vec<Latest> = Town::all()
        .skip(1)
        .map(|t| report(Department::Town(t), ProgressStatus::Done, on))
        .collect();
    assert_eq!(
        year_end(&[UnitDept::Towns], &latest, on).overall,
        ProgressStatus::InProgress
    );
    let first = Town::all().next().expect("a town");
    latest.push(report(Department::Town(first), ProgressStatus::Done, on));
    assert_eq!(
        year_end(&[UnitDept::Towns], &latest, on).overall,
        ProgressStatus::Done
    );
}

#[test]
fn without_a_lead_department_in_the_system_every_report_must_be_done() {
    let on = date!(2023 - 06 - 01);
    assert_eq!(year_end(&[], &[], on).overall, ProgressStatus::NotStarted);
    let eco_done = report(Department::Eco, ProgressStatus::Done, on);
    assert_eq!(year_end(&[], &[eco_done], on).overall, ProgressStatus::Done);
}

#[test]
fn any_blocked_report_blocks_the_measure_and_puts_it_at_risk() {
    let on = date!(2023 - 03 - 01);
    let latest = [
        report(Department::Eco, ProgressStatus::Done, on),
        report(Department::Housing, ProgressStatus::Blocked, on),
    ];
    let a = year_end(&[ECO], &latest, on);
    assert_eq!(a.overall, ProgressStatus::Blocked);
    assert_eq!(a.risk, Some(RiskReason::Blocked));
    let b = ongoing(&latest, on);
    assert_eq!(b.risk, Some(RiskReason::Blocked));
}

#[test]
fn a_year_end_measure_is_at_risk_from_the_first_of_october_unless_done() {
    let in_progress = [report(
        Department::Eco,
        ProgressStatus::InProgress,
        date!(2023 - 09 - 01),
    )];
    assert!(!year_end(&[ECO], &in_progress, date!(2023 - 09 - 30)).at_risk());
    assert_eq!(
        year_end(&[ECO], &in_progress, date!(2023 - 10 - 01)).risk,
        Some(RiskReason::YearEndNotDone)
    );
    assert!(year_end(&[ECO], &[], date!(2024 - 03 - 01)).at_risk());
    let done = [report(
        Department::Eco,
        ProgressStatus::Done,
        date!(2023 - 09 - 01),
    )];
    assert!(!year_end(&[ECO], &done, date!(2023 - 10 - 01)).at_risk());
    assert!(!year_end(&[ECO], &done, date!(2024 - 06 - 01)).at_risk());
}

#[test]
fn an_ongoing_measure_is_at_risk_after_ninety_days_without_a_report() {
    let today = date!(2023 - 06 - 30);
    assert_eq!(
        ongoing(&[], today).risk,
        Some(RiskReason::NoRecentReport),
        "never reported"
    );
    let at = |d: Date| [report(Department::Eco, ProgressStatus::InProgress, d)];
    assert!(!ongoing(&at(today), today).at_risk());
    assert!(
        !ongoing(&at(date!(2023 - 04 - 02)), today).at_risk(),
        "89 days ago"
    );
    assert!(
        ongoing(&at(date!(2023 - 04 - 01)), today).at_risk(),
        "90 days ago"
    );
    // Done does not end an ongoing measure: it still needs reports.
    let done = [report(
        Department::Eco,
        ProgressStatus::Done,
        date!(2023 - 01 - 01),
    )];
    assert!(ongoing(&done, today).at_risk());
    // October does not matter to an ongoing measure.
    assert!(!ongoing(&at(date!(2023 - 11 - 01)), date!(2023 - 12 - 01)).at_risk());
}

#[test]
fn editors_report_on_their_units_measures_admins_on_any_viewers_on_none() {
    let units = [ECO, UnitDept::Towns];
    let junzhuang = Department::parse("110109104").expect("town");
    assert!(may_report(Department::Eco, Role::Editor, &units));
    assert!(may_report(junzhuang, Role::Editor, &units));
    assert!(!may_report(Department::Water, Role::Editor, &units));
    assert!(!may_report(Department::Eco, Role::Viewer, &units));
    assert!(may_report(Department::Water, Role::Admin, &units));
    assert!(!may_report(junzhuang, Role::Editor, &[ECO, PLANNING]));
}
