//! Rules that depend on payloads, dates and names rather than on the stage alone.

use time::Duration;

use super::super::{apply, Context, Event, Gb36600Class, LandRight, ParcelState, Stage};
use super::{at, ctx, sample, DAY};

fn evaluated(evaluator: &str, contractor: &str) -> Result<ParcelState, &'static str> {
    let event = Event::EffectEvaluated {
        evaluator: evaluator.to_owned(),
        contractor: contractor.to_owned(),
    };
    apply(
        &at(Stage::WorksFinished, LandRight::InUse),
        &event,
        &ctx(Gb36600Class::Two),
    )
    .map_err(|v| v.rule)
}

#[test]
fn effect_evaluation_by_the_works_contractor_is_refused_whatever_the_spacing_case_or_bracket_width()
{
    let same = [
        ("北京乙修复工程有限公司", "北京乙修复工程有限公司"),
        ("  北京乙修复工程有限公司\t", "北京乙修复工程有限公司"),
        (
            "\u{3000}北京乙修复工程有限公司\u{3000}",
            "北京乙修复工程有限公司",
        ),
        (
            "北京乙修复工程（北京）有限公司",
            "北京乙修复工程(北京)有限公司",
        ),
        (
            "北京乙修复工程 (北京) 有限公司",
            "北京乙修复工程（北京）有限公司",
        ),
        ("ABC Remediation Co., Ltd.", "abc remediation co., ltd."),
        ("ABC  Remediation（Beijing）", " abc remediation (BEIJING) "),
    ];
    for (evaluator, contractor) in same {
        assert_eq!(
            evaluated(evaluator, contractor),
            Err("evaluator_is_contractor"),
            "{evaluator:?} vs {contractor:?}"
        );
    }
}

#[test]
fn effect_evaluation_by_a_different_unit_is_accepted() {
    let different = [
        ("北京甲环境评估有限公司", "北京乙修复工程有限公司"),
        ("ABC Remediation", "ABC Remediation (Beijing)"),
        ("ABC Remediation", "AB C Remediation"),
    ];
    for (evaluator, contractor) in different {
        let next = evaluated(evaluator, contractor);
        assert_eq!(next.map(|s| s.stage), Ok(Stage::EffectEvaluated));
    }
}

#[test]
fn the_evaluator_refusal_names_both_units_and_cites_article_65() {
    let event = Event::EffectEvaluated {
        evaluator: "北京乙修复工程(北京)有限公司".to_owned(),
        contractor: "北京乙修复工程（北京）有限公司".to_owned(),
    };
    let state = at(Stage::WorksFinished, LandRight::InUse);
    let Err(v) = apply(&state, &event, &ctx(Gb36600Class::One)) else {
        panic!("same unit accepted")
    };
    assert!(v.clause.contains("第六十五条") && v.clause.contains("Art. 65"));
    assert!(v.message_zh.contains("北京乙修复工程(北京)有限公司"));
    assert!(v.message_en.contains("different unit"));
}

#[test]
fn soil_transport_with_a_deadline_before_the_declaration_is_refused() {
    let state = at(Stage::Remediating, LandRight::InUse);
    let declare = |deadline| Event::SoilTransportDeclared {
        quantity_m3: 300.0,
        destination: "某处置场".to_owned(),
        deadline,
    };
    let late = apply(
        &state,
        &declare(DAY - Duration::days(1)),
        &ctx(Gb36600Class::Two),
    );
    let v = late.expect_err("a past deadline was accepted");
    assert_eq!(v.rule, "soil_transport_deadline_before_declaration");
    assert!(v.clause.contains("§4e"));
    assert!(v.message_en.contains("2023-05-31") && v.message_en.contains("2023-06-01"));

    let same_day = apply(&state, &declare(DAY), &ctx(Gb36600Class::Two));
    assert_eq!(same_day.map(|s| s.stage), Ok(Stage::Remediating));
}

#[test]
fn works_before_a_filed_plan_are_refused_citing_article_64_and_naming_the_stage() {
    let state = at(Stage::Listed, LandRight::InUse);
    let v = apply(&state, &Event::WorksStarted, &ctx(Gb36600Class::Two))
        .expect_err("works accepted without a plan");
    assert_eq!(v.rule, "works_require_filed_plan");
    assert_eq!(
        v.clause,
        "土壤污染防治法 第六十四条 (Soil Pollution Law Art. 64)"
    );
    assert!(v.message_zh.contains("已列入风险管控和修复名录") && v.message_zh.contains("备案"));
    assert!(v.message_en.contains("on the control and remediation list"));
    assert!(v.message_en.contains("plan_filed"));
}

#[test]
fn a_survey_conclusion_records_the_completion_date_and_phase2_needed_does_not() {
    let surveying = at(Stage::Surveying, LandRight::InUse);
    let class = ctx(Gb36600Class::One);
    for label in [
        "phase1_concluded:cleared",
        "phase2_concluded:cleared",
        "phase2_concluded:contaminated",
    ] {
        let next = apply(&surveying, &sample(label), &class).expect(label);
        assert_eq!(next.survey_completed_on, Some(DAY), "{label}");
    }
    let next = apply(
        &surveying,
        &sample("phase1_concluded:phase2_needed"),
        &class,
    );
    assert_eq!(next.map(|s| s.survey_completed_on), Ok(None));
}

#[test]
fn a_re_survey_of_a_cleared_parcel_clears_the_previous_completion_date() {
    let cleared = ParcelState {
        survey_completed_on: Some(DAY - Duration::days(400)),
        ..at(Stage::Cleared, LandRight::InUse)
    };
    let next = apply(&cleared, &Event::SurveyStarted, &ctx(Gb36600Class::One));
    let next = next.expect("re-survey refused");
    assert_eq!(
        (next.stage, next.survey_completed_on),
        (Stage::Surveying, None)
    );
}

#[test]
fn planning_indicators_are_fixed_once_in_any_land_right_state() {
    for right in LandRight::ALL {
        let state = at(Stage::Unknown, right);
        let next = apply(&state, &Event::IndicatorsFixed, &ctx(Gb36600Class::One));
        let next = next.expect("first fixing refused");
        assert_eq!(next.indicators_fixed_on, Some(DAY));
        let again = apply(&next, &Event::IndicatorsFixed, &ctx(Gb36600Class::One));
        let v = again.expect_err("fixed twice");
        assert_eq!(v.rule, "indicators_already_fixed");
        assert!(v.message_en.contains("2023-06-01"));
    }
}

#[test]
fn land_supply_records_its_date() {
    let state = at(Stage::Cleared, LandRight::Withdrawn);
    let next = apply(&state, &Event::LandSupplied, &ctx(Gb36600Class::One));
    let next = next.expect("supply refused");
    assert_eq!(
        (next.land_right, next.supplied_on),
        (LandRight::Supplied, Some(DAY))
    );
}

#[test]
fn construction_may_start_on_an_unsurveyed_parcel_and_keeps_the_earliest_start_date() {
    let state = at(Stage::Unknown, LandRight::Supplied);
    let later = Context {
        planned_class: Gb36600Class::One,
        occurred_on: DAY + Duration::days(10),
    };
    let first = apply(&state, &Event::ConstructionStarted, &later).expect("start refused");
    assert_eq!(first.construction_started_on, Some(later.occurred_on));
    let back_dated = apply(&first, &Event::ConstructionStarted, &ctx(Gb36600Class::One));
    assert_eq!(back_dated.map(|s| s.construction_started_on), Ok(Some(DAY)));
    let again = apply(&first, &Event::ConstructionStarted, &later);
    assert_eq!(
        again.map(|s| s.construction_started_on),
        Ok(Some(later.occurred_on))
    );
}

#[test]
fn a_correction_passed_to_apply_leaves_the_state_unchanged() {
    let state = ParcelState {
        supplied_on: Some(DAY),
        ..at(Stage::Listed, LandRight::Supplied)
    };
    let next = apply(
        &state,
        &Event::Correction { voids: 7 },
        &ctx(Gb36600Class::One),
    );
    assert_eq!(next, Ok(state));
}
