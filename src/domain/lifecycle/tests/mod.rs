//! Tests of the lifecycle. The expected transitions are written here as
//! tables taken from the brief, never computed by the code under test.

mod payload;
mod replay;
mod rules;
mod table;

use serde_json::json;
use time::macros::date;
use time::{Date, Duration};

use super::{
    Context, Event, Gb36600Class, LandRight, ParcelState, Phase1Outcome, Phase2Outcome, PlanKind,
    Recorded, RiskOutcome, Stage,
};

const DAY: Date = date!(2023 - 06 - 01);

fn at(stage: Stage, land_right: LandRight) -> ParcelState {
    ParcelState {
        stage,
        land_right,
        ..ParcelState::default()
    }
}

fn ctx(planned_class: Gb36600Class) -> Context {
    Context {
        planned_class,
        occurred_on: DAY,
    }
}

fn rec(id: i64, event: Event, occurred_on: Date) -> Recorded {
    Recorded {
        id,
        event,
        occurred_on,
        planned_class: Gb36600Class::One,
    }
}

/// One event of every kind, and of every outcome, labelled `kind[:outcome]`.
fn samples() -> Vec<(&'static str, Event)> {
    vec![
        (
            "suspicion_raised",
            Event::SuspicionRaised {
                reason: "2022年关停的电镀企业原址".to_owned(),
            },
        ),
        ("survey_started", Event::SurveyStarted),
        (
            "phase1_concluded:cleared",
            Event::Phase1Concluded {
                outcome: Phase1Outcome::Cleared,
            },
        ),
        (
            "phase1_concluded:phase2_needed",
            Event::Phase1Concluded {
                outcome: Phase1Outcome::Phase2Needed,
            },
        ),
        (
            "phase2_concluded:cleared",
            Event::Phase2Concluded {
                outcome: Phase2Outcome::Cleared,
                exceedances: json!([]),
                class: None,
            },
        ),
        (
            "phase2_concluded:contaminated",
            Event::Phase2Concluded {
                outcome: Phase2Outcome::Contaminated,
                exceedances: json!([{ "substance": "砷", "value_mg_kg": 88.0 }]),
                class: None,
            },
        ),
        (
            "risk_assessed:acceptable",
            Event::RiskAssessed {
                outcome: RiskOutcome::Acceptable,
            },
        ),
        (
            "risk_assessed:control_needed",
            Event::RiskAssessed {
                outcome: RiskOutcome::ControlNeeded,
            },
        ),
        ("listed", Event::Listed),
        (
            "plan_filed:control",
            Event::PlanFiled {
                plan: PlanKind::Control,
            },
        ),
        (
            "plan_filed:remediation",
            Event::PlanFiled {
                plan: PlanKind::Remediation,
            },
        ),
        ("works_started", Event::WorksStarted),
        (
            "soil_transport_declared",
            Event::SoilTransportDeclared {
                quantity_m3: 1250.5,
                destination: "北京某水泥窑协同处置厂".to_owned(),
                deadline: DAY + Duration::days(30),
            },
        ),
        ("works_finished", Event::WorksFinished),
        (
            "effect_evaluated",
            Event::EffectEvaluated {
                evaluator: "北京甲环境评估有限公司".to_owned(),
                contractor: "北京乙修复工程有限公司".to_owned(),
            },
        ),
        ("delisted", Event::Delisted),
        ("post_management", Event::PostManagement),
        (
            "withdrawal_planned",
            Event::WithdrawalPlanned { planned_on: None },
        ),
        ("right_withdrawn", Event::RightWithdrawn),
        (
            "transfer_planned",
            Event::TransferPlanned { planned_on: None },
        ),
        ("right_transferred", Event::RightTransferred),
        ("indicators_fixed", Event::IndicatorsFixed),
        ("land_supplied", Event::LandSupplied),
        ("planning_permit", Event::PlanningPermit),
        ("construction_permit", Event::ConstructionPermit),
        ("construction_started", Event::ConstructionStarted),
        ("correction", Event::Correction { voids: 1 }),
    ]
}

fn sample(label: &str) -> Event {
    samples()
        .into_iter()
        .find(|(l, _)| *l == label)
        .map_or_else(|| panic!("no sample labelled {label}"), |(_, event)| event)
}
