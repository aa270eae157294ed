//! Replaying stored events, and corrections that void earlier ones.

use time::{Date, Duration};

use super::super::{
    check_append, replay, Event, LandRight, ParcelState, Recorded, Replay, Stage, Step,
};
use super::{rec, sample, DAY};

use Stage as S;

fn day(n: i64) -> Date {
    DAY + Duration::days(n)
}

/// Suspicion, survey, phase 1 (sampling needed), phase 2 (contaminated).
fn to_contaminated() -> Vec<Recorded> {
    vec![
        rec(1, sample("suspicion_raised"), day(0)),
        rec(2, Event::SurveyStarted, day(1)),
        rec(3, sample("phase1_concluded:phase2_needed"), day(10)),
        rec(4, sample("phase2_concluded:contaminated"), day(40)),
    ]
}

fn correction(id: i64, voids: i64) -> Recorded {
    rec(id, Event::Correction { voids }, day(50))
}

/// Appends each event in turn with `check_append`, as the db layer does.
fn append_all(events: &[Recorded]) -> Replay {
    let mut stored: Vec<Recorded> = Vec::new();
    let mut last = Replay {
        state: ParcelState::default(),
        steps: Vec::new(),
    };
    for event in events {
        last = check_append(&stored, event, &ParcelState::default())
            .unwrap_or_else(|v| panic!("event #{} refused: {v}", event.id));
        stored.push(event.clone());
    }
    last
}

fn rule_of(result: Result<Replay, super::super::RuleViolation>) -> &'static str {
    match result {
        Ok(replay) => panic!("accepted: {replay:?}"),
        Err(v) => v.rule,
    }
}

#[test]
fn a_full_history_replays_to_post_management_with_one_step_per_event() {
    let mut events = to_contaminated();
    let rest = [
        (5, "risk_assessed:control_needed"),
        (6, "withdrawal_planned"),
        (7, "listed"),
        (8, "plan_filed:remediation"),
        (9, "works_started"),
        (10, "soil_transport_declared"),
        (11, "works_finished"),
        (12, "effect_evaluated"),
        (13, "delisted"),
        (14, "right_withdrawn"),
        (15, "land_supplied"),
        (16, "post_management"),
        (17, "construction_permit"),
    ];
    for (id, label) in rest {
        events.push(rec(id, sample(label), day(id)));
    }
    let replayed = replay(&events, &ParcelState::default()).expect("history refused");
    assert_eq!(replayed, append_all(&events));
    assert_eq!(replayed.state.stage, Stage::PostManagement);
    assert_eq!(replayed.state.land_right, LandRight::Supplied);
    assert_eq!(replayed.state.survey_completed_on, Some(day(40)));
    let stages: Vec<Stage> = replayed.steps.iter().map(|s| s.stage_after).collect();
    assert_eq!(
        stages,
        [
            S::Suspected,
            S::Surveying,
            S::Phase2Needed,
            S::Contaminated,
            S::ControlNeeded,
            S::ControlNeeded,
            S::Listed,
            S::PlanFiled,
            S::Remediating,
            S::Remediating,
            S::WorksFinished,
            S::EffectEvaluated,
            S::Delisted,
            S::Delisted,
            S::Delisted,
            S::PostManagement,
            S::PostManagement,
        ]
    );
}

#[test]
fn voiding_the_last_event_restores_the_previous_stage_and_marks_the_step_voided() {
    let events = to_contaminated();
    let replayed = check_append(&events, &correction(5, 4), &ParcelState::default())
        .expect("correction refused");
    assert_eq!(replayed.state.stage, Stage::Phase2Needed);
    assert_eq!(replayed.state.survey_completed_on, None);
    let step = |id, stage_after, voided| Step {
        id,
        stage_after,
        voided,
    };
    assert_eq!(
        replayed.steps[3..],
        [
            step(4, Stage::Phase2Needed, true),
            step(5, Stage::Phase2Needed, false)
        ]
    );
}

#[test]
fn a_voided_conclusion_can_be_recorded_again_and_the_stage_is_re_derived() {
    let mut events = to_contaminated();
    events.push(correction(5, 4));
    let fixed = rec(6, sample("phase2_concluded:cleared"), day(60));
    let replayed = check_append(&events, &fixed, &ParcelState::default())
        .expect("re-recorded conclusion refused");
    assert_eq!(replayed.state.stage, Stage::Cleared);
    assert_eq!(replayed.state.survey_completed_on, Some(day(60)));
    events.push(fixed);
    assert_eq!(replay(&events, &ParcelState::default()), Ok(replayed));
}

#[test]
fn a_correction_that_would_break_later_events_is_refused_naming_the_first_broken_event() {
    let events = to_contaminated();
    let v =
        check_append(&events, &correction(5, 2), &ParcelState::default()).expect_err("accepted");
    assert_eq!(v.rule, "correction_breaks_history");
    assert!(v.message_en.contains("#3") && v.message_en.contains("phase1_concluded"));
    assert!(v
        .message_en
        .contains("Void the later dependent events first"));
    assert!(v.message_zh.contains("#3") && v.message_zh.contains("请先作废"));
}

#[test]
fn voiding_dependent_events_from_the_latest_backwards_is_accepted() {
    let mut events = to_contaminated();
    events.extend([correction(5, 4), correction(6, 3), correction(7, 2)]);
    let replayed = append_all(&events);
    assert_eq!(replayed.state.stage, Stage::Suspected);
    let voided: Vec<i64> = replayed
        .steps
        .iter()
        .filter(|s| s.voided)
        .map(|s| s.id)
        .collect();
    assert_eq!(voided, [2, 3, 4]);
}

#[test]
fn a_stored_correction_that_breaks_later_events_is_blamed_on_replay() {
    let mut events = to_contaminated();
    events.push(correction(5, 2));
    assert_eq!(
        rule_of(replay(&events, &ParcelState::default())),
        "correction_breaks_history"
    );
}

#[test]
fn voiding_a_correction_is_refused() {
    let mut events = to_contaminated();
    events.push(correction(5, 4));
    let v =
        check_append(&events, &correction(6, 5), &ParcelState::default()).expect_err("accepted");
    assert_eq!(v.rule, "correction_cannot_void_correction");
}

#[test]
fn voiding_an_unknown_later_or_own_id_is_refused() {
    let events = to_contaminated();
    assert_eq!(
        rule_of(check_append(
            &events,
            &correction(5, 99),
            &ParcelState::default()
        )),
        "correction_target_unknown"
    );
    assert_eq!(
        rule_of(check_append(
            &events,
            &correction(5, 5),
            &ParcelState::default()
        )),
        "correction_target_unknown"
    );
    let forward = vec![
        rec(1, sample("suspicion_raised"), day(0)),
        correction(2, 3),
        rec(3, Event::SurveyStarted, day(1)),
    ];
    assert_eq!(
        rule_of(replay(&forward, &ParcelState::default())),
        "correction_target_unknown"
    );
}

#[test]
fn voiding_an_already_voided_event_is_refused() {
    let mut events = to_contaminated();
    events.push(correction(5, 4));
    let v =
        check_append(&events, &correction(6, 4), &ParcelState::default()).expect_err("accepted");
    assert_eq!(v.rule, "correction_target_already_voided");
    assert!(v.message_en.contains("#5"));
}

#[test]
fn an_appended_event_that_breaks_a_rule_is_refused_with_its_own_rule() {
    let events = to_contaminated();
    let works = rec(5, Event::WorksStarted, day(60));
    assert_eq!(
        rule_of(check_append(&events, &works, &ParcelState::default())),
        "works_require_filed_plan"
    );
    let stored = [rec(1, Event::WorksStarted, day(0))];
    assert_eq!(
        rule_of(replay(&stored, &ParcelState::default())),
        "works_require_filed_plan"
    );
}

#[test]
fn a_back_dated_event_is_accepted_and_ordered_by_recording() {
    let events = vec![
        rec(1, Event::SurveyStarted, day(30)),
        rec(2, sample("phase1_concluded:cleared"), day(-200)),
        rec(3, Event::IndicatorsFixed, day(-300)),
    ];
    let replayed = append_all(&events);
    assert_eq!(replayed.state.stage, Stage::Cleared);
    assert_eq!(replayed.state.survey_completed_on, Some(day(-200)));
    assert_eq!(replayed.state.indicators_fixed_on, Some(day(-300)));
}

#[test]
fn a_duplicate_event_id_is_refused() {
    let events = to_contaminated();
    let duplicate = rec(3, sample("risk_assessed:acceptable"), day(60));
    assert_eq!(
        rule_of(check_append(&events, &duplicate, &ParcelState::default())),
        "duplicate_event_id"
    );
    let mut stored = events.clone();
    stored.push(duplicate);
    assert_eq!(
        rule_of(replay(&stored, &ParcelState::default())),
        "duplicate_event_id"
    );
}

#[test]
fn voiding_a_land_supply_returns_the_land_right_and_reopens_the_class_one_gate() {
    let mut events = to_contaminated();
    events.extend([
        rec(5, sample("risk_assessed:acceptable"), day(60)),
        rec(6, Event::RightWithdrawn, day(61)),
        rec(7, Event::LandSupplied, day(62)),
        correction(8, 7),
    ]);
    let replayed = append_all(&events);
    assert_eq!(replayed.state.land_right, LandRight::Withdrawn);
    assert_eq!(replayed.state.supplied_on, None);
}

#[test]
fn voiding_a_listing_that_a_filed_plan_depends_on_is_refused() {
    let mut events = to_contaminated();
    events.extend([
        rec(5, sample("risk_assessed:control_needed"), day(60)),
        rec(6, Event::Listed, day(61)),
        rec(7, sample("plan_filed:control"), day(62)),
    ]);
    let v =
        check_append(&events, &correction(8, 6), &ParcelState::default()).expect_err("accepted");
    assert_eq!(v.rule, "correction_breaks_history");
    assert!(v.message_en.contains("#7") && v.message_en.contains("plan_filed"));
}
