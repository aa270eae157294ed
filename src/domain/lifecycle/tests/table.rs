//! Every event kind against every stage and every land-right state.

use super::super::{apply, EventKind, Gb36600Class, LandRight, Stage};
use super::{at, ctx, samples};

use LandRight as R;
use Stage as S;

/// Allowed soil transitions: (event, from, to). Anything else is refused.
const SOIL_ALLOWED: &[(&str, Stage, Stage)] = &[
    ("suspicion_raised", S::Unknown, S::Suspected),
    ("suspicion_raised", S::Suspected, S::Suspected),
    ("survey_started", S::Unknown, S::Surveying),
    ("survey_started", S::Suspected, S::Surveying),
    ("survey_started", S::Cleared, S::Surveying),
    ("phase1_concluded:cleared", S::Surveying, S::Cleared),
    (
        "phase1_concluded:phase2_needed",
        S::Surveying,
        S::Phase2Needed,
    ),
    ("phase2_concluded:cleared", S::Surveying, S::Cleared),
    ("phase2_concluded:cleared", S::Phase2Needed, S::Cleared),
    (
        "phase2_concluded:contaminated",
        S::Surveying,
        S::Contaminated,
    ),
    (
        "phase2_concluded:contaminated",
        S::Phase2Needed,
        S::Contaminated,
    ),
    ("risk_assessed:acceptable", S::Contaminated, S::Cleared),
    (
        "risk_assessed:control_needed",
        S::Contaminated,
        S::ControlNeeded,
    ),
    ("listed", S::ControlNeeded, S::Listed),
    ("plan_filed:control", S::Listed, S::PlanFiled),
    ("plan_filed:remediation", S::Listed, S::PlanFiled),
    ("works_started", S::PlanFiled, S::Remediating),
    ("soil_transport_declared", S::Remediating, S::Remediating),
    ("works_finished", S::Remediating, S::WorksFinished),
    ("effect_evaluated", S::WorksFinished, S::EffectEvaluated),
    ("delisted", S::EffectEvaluated, S::Delisted),
    ("post_management", S::Delisted, S::PostManagement),
    ("post_management", S::PostManagement, S::PostManagement),
];

/// The rule a soil event breaks in any other stage.
const SOIL_REFUSAL: &[(&str, &str)] = &[
    ("suspicion_raised", "suspicion_requires_unsurveyed_parcel"),
    (
        "survey_started",
        "survey_requires_unsurveyed_or_cleared_parcel",
    ),
    ("phase1_concluded", "phase1_requires_survey"),
    ("phase2_concluded", "phase2_requires_survey"),
    ("risk_assessed", "risk_assessment_requires_contamination"),
    ("listed", "listing_requires_unacceptable_risk"),
    ("plan_filed", "plan_requires_listing"),
    ("works_started", "works_require_filed_plan"),
    ("soil_transport_declared", "soil_transport_requires_works"),
    ("works_finished", "works_finish_requires_works_started"),
    ("effect_evaluated", "evaluation_requires_finished_works"),
    ("delisted", "delisting_requires_effect_evaluation"),
    ("post_management", "post_management_requires_delisting"),
];

/// Allowed land-right transitions: (event, from, to).
const LAND_ALLOWED: &[(&str, LandRight, LandRight)] = &[
    ("withdrawal_planned", R::InUse, R::WithdrawalPlanned),
    ("right_withdrawn", R::InUse, R::Withdrawn),
    ("right_withdrawn", R::WithdrawalPlanned, R::Withdrawn),
    ("transfer_planned", R::InUse, R::TransferPlanned),
    ("transfer_planned", R::Withdrawn, R::TransferPlanned),
    ("right_transferred", R::TransferPlanned, R::Transferred),
    ("land_supplied", R::InUse, R::Supplied),
    ("land_supplied", R::WithdrawalPlanned, R::Supplied),
    ("land_supplied", R::Withdrawn, R::Supplied),
    ("land_supplied", R::TransferPlanned, R::Supplied),
    ("land_supplied", R::Transferred, R::Supplied),
];

/// The rule a land-right event breaks from any other land-right state.
const LAND_REFUSAL: &[(&str, &str)] = &[
    (
        "withdrawal_planned",
        "withdrawal_plan_requires_right_in_use",
    ),
    ("right_withdrawn", "withdrawal_requires_right_in_use"),
    (
        "transfer_planned",
        "transfer_plan_requires_right_in_use_or_withdrawn",
    ),
    ("right_transferred", "transfer_requires_transfer_plan"),
    ("land_supplied", "land_already_supplied"),
];

/// Stages under the Art 61 restrictions.
const RESTRICTED: &[Stage] = &[
    S::ControlNeeded,
    S::Listed,
    S::PlanFiled,
    S::Remediating,
    S::WorksFinished,
    S::EffectEvaluated,
];

type Outcome = Result<(Stage, LandRight), &'static str>;

fn lookup(table: &[(&str, &'static str)], kind: &str) -> Option<&'static str> {
    table
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, rule)| *rule)
}

fn expected(label: &str, stage: Stage, right: LandRight, class: Gb36600Class) -> Outcome {
    let kind = label.split(':').next().unwrap_or(label);
    let right_after = match lookup(LAND_REFUSAL, kind) {
        Some(rule) => LAND_ALLOWED
            .iter()
            .find(|(l, from, _)| *l == label && *from == right)
            .map(|(_, _, to)| *to)
            .ok_or(rule)?,
        None => right,
    };
    let restricted = RESTRICTED.contains(&stage);
    if kind == "land_supplied" && class == Gb36600Class::One && restricted {
        return Err("listed_parcel_not_for_sensitive_use");
    }
    if matches!(kind, "construction_permit" | "construction_started") && restricted {
        return Err("listed_parcel_no_unrelated_project");
    }
    let stage_after = match lookup(SOIL_REFUSAL, kind) {
        Some(rule) => SOIL_ALLOWED
            .iter()
            .find(|(l, from, _)| *l == label && *from == stage)
            .map(|(_, _, to)| *to)
            .ok_or(rule)?,
        None => stage,
    };
    Ok((stage_after, right_after))
}

#[test]
fn every_event_in_every_stage_and_land_right_follows_the_transition_table() {
    let mut mismatches = Vec::new();
    let mut cases = 0;
    for (label, event) in samples() {
        for stage in Stage::ALL {
            for right in LandRight::ALL {
                for class in [Gb36600Class::One, Gb36600Class::Two] {
                    cases += 1;
                    let want = expected(label, stage, right, class);
                    let got = apply(&at(stage, right), &event, &ctx(class));
                    let got_outcome: Outcome = match &got {
                        Ok(next) => Ok((next.stage, next.land_right)),
                        Err(violation) => Err(violation.rule),
                    };
                    if got_outcome != want {
                        mismatches.push(format!(
                            "{label} at {stage}/{right}/{class:?}: want {want:?}, got {got_outcome:?}"
                        ));
                    }
                }
            }
        }
    }
    assert_eq!(cases, 27 * 14 * 6 * 2);
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

#[test]
fn every_refusal_names_the_current_stage_or_land_right_and_cites_a_clause() {
    for (label, event) in samples() {
        for stage in Stage::ALL {
            for right in LandRight::ALL {
                let Err(v) = apply(&at(stage, right), &event, &ctx(Gb36600Class::One)) else {
                    continue;
                };
                let names_zh = v.message_zh.contains(stage.label_zh())
                    || v.message_zh.contains(right.label_zh());
                let names_en = v.message_en.contains(stage.label_en())
                    || v.message_en.contains(right.label_en());
                assert!(names_zh && names_en, "{label} at {stage}/{right}: {v:?}");
                assert!(
                    v.clause.contains("第") || v.clause.contains('§'),
                    "{label}: clause {}",
                    v.clause
                );
                let snake = v
                    .rule
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
                assert!(snake, "rule id {} is not snake_case", v.rule);
            }
        }
    }
}

#[test]
fn the_samples_cover_every_event_kind() {
    let labels: Vec<&str> = samples().into_iter().map(|(label, _)| label).collect();
    for kind in EventKind::ALL {
        let covered = samples().iter().any(|(_, event)| event.kind() == kind);
        assert!(covered, "{kind} has no sample in {labels:?}");
    }
}

#[test]
fn the_soil_table_names_a_refusal_rule_for_every_soil_kind_and_only_those() {
    for kind in EventKind::ALL {
        let in_table = lookup(SOIL_REFUSAL, kind.as_str()).is_some();
        assert_eq!(in_table, kind.is_soil(), "{kind}");
    }
}

#[test]
fn a_listed_parcel_may_still_be_supplied_for_class_two_use() {
    for stage in RESTRICTED {
        let supplied = apply(
            &at(*stage, R::Withdrawn),
            &super::sample("land_supplied"),
            &ctx(Gb36600Class::Two),
        );
        assert_eq!(supplied.map(|s| s.land_right), Ok(R::Supplied), "{stage}");
    }
}
