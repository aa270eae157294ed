//! The wire form: kind names, payload parsing and canonical payloads.

use serde_json::{json, Value};
use time::macros::date;

use super::super::{Event, EventKind, LandRight, ParcelState, Phase1Outcome, Stage};
use super::{samples, DAY};

fn field_of_error(kind: &str, payload: &Value) -> String {
    match Event::parse(kind, payload, DAY) {
        Ok(event) => panic!("{kind} {payload} parsed as {event:?}"),
        Err(e) => {
            assert!(!e.message.is_empty());
            e.field
        }
    }
}

#[test]
fn every_sample_event_round_trips_through_its_canonical_payload() {
    for (label, event) in samples() {
        let parsed = Event::parse(event.kind().as_str(), &event.payload(), DAY);
        assert_eq!(parsed.as_ref(), Ok(&event), "{label}: {}", event.payload());
    }
}

#[test]
fn an_unknown_kind_is_refused_on_the_kind_field() {
    assert_eq!(field_of_error("site_visited", &json!({})), "kind");
    assert_eq!(field_of_error("Listed", &json!({})), "kind");
}

#[test]
fn payload_errors_name_the_offending_field() {
    let cases = [
        ("listed", json!([]), "payload"),
        ("listed", json!("x"), "payload"),
        ("listed", json!({ "note": "x" }), "payload.note"),
        ("suspicion_raised", json!({}), "payload.reason"),
        (
            "suspicion_raised",
            json!({ "reason": "  " }),
            "payload.reason",
        ),
        ("suspicion_raised", json!({ "reason": 3 }), "payload.reason"),
        ("phase1_concluded", json!({}), "payload.outcome"),
        (
            "phase1_concluded",
            json!({ "outcome": null }),
            "payload.outcome",
        ),
        (
            "phase1_concluded",
            json!({ "outcome": "contaminated" }),
            "payload.outcome",
        ),
        (
            "phase1_concluded",
            json!({ "outcom": "cleared" }),
            "payload.outcom",
        ),
        (
            "phase2_concluded",
            json!({ "outcome": "Cleared" }),
            "payload.outcome",
        ),
        (
            "phase2_concluded",
            json!({ "outcome": "contaminated", "exceedances": {} }),
            "payload.exceedances",
        ),
        (
            "risk_assessed",
            json!({ "outcome": "cleared" }),
            "payload.outcome",
        ),
        ("plan_filed", json!({ "plan": "remediate" }), "payload.plan"),
        ("plan_filed", json!({}), "payload.plan"),
        (
            "effect_evaluated",
            json!({ "contractor": "乙" }),
            "payload.evaluator",
        ),
        (
            "effect_evaluated",
            json!({ "evaluator": "甲" }),
            "payload.contractor",
        ),
        ("correction", json!({}), "payload.voids"),
        ("correction", json!({ "voids": "12" }), "payload.voids"),
        ("correction", json!({ "voids": 1.5 }), "payload.voids"),
        ("correction", json!({ "voids": 0 }), "payload.voids"),
    ];
    for (kind, payload, field) in cases {
        assert_eq!(field_of_error(kind, &payload), field, "{kind} {payload}");
    }
}

#[test]
fn soil_transport_payload_errors_name_the_offending_field() {
    let valid = json!({ "quantity_m3": 10, "destination": "某处置场", "deadline": "2023-07-01" });
    let with = |key: &str, value: Value| {
        let mut payload = valid.clone();
        payload[key] = value;
        payload
    };
    let cases = [
        (with("quantity_m3", json!(0)), "payload.quantity_m3"),
        (with("quantity_m3", json!(-3.5)), "payload.quantity_m3"),
        (with("quantity_m3", json!("10")), "payload.quantity_m3"),
        (with("destination", json!("")), "payload.destination"),
        (with("deadline", json!("2023-7-1")), "payload.deadline"),
        (with("deadline", json!("2023-02-30")), "payload.deadline"),
        (
            with("deadline", json!("2023-07-01T00:00:00")),
            "payload.deadline",
        ),
        (with("deadline", json!(20_230_701)), "payload.deadline"),
    ];
    for (payload, field) in cases {
        assert_eq!(
            field_of_error("soil_transport_declared", &payload),
            field,
            "{payload}"
        );
    }
    assert!(Event::parse("soil_transport_declared", &valid, DAY).is_ok());
}

#[test]
fn soil_transport_with_a_deadline_before_the_declaration_date_does_not_parse() {
    let payload = json!({ "quantity_m3": 10, "destination": "某处置场", "deadline": "2023-05-31" });
    let error = Event::parse("soil_transport_declared", &payload, DAY).expect_err("parsed");
    assert_eq!(error.field, "payload.deadline");
    assert!(error.message.contains("2023-06-01"));
    let on_the_day = Event::parse("soil_transport_declared", &payload, date!(2023 - 05 - 31));
    assert!(on_the_day.is_ok());
}

#[test]
fn a_null_or_empty_payload_is_accepted_for_events_without_fields() {
    assert_eq!(Event::parse("listed", &Value::Null, DAY), Ok(Event::Listed));
    assert_eq!(
        Event::parse("survey_started", &json!({}), DAY),
        Ok(Event::SurveyStarted)
    );
}

#[test]
fn exceedances_default_to_an_empty_list_and_strings_are_trimmed() {
    for payload in [
        json!({ "outcome": "cleared" }),
        json!({ "outcome": "cleared", "exceedances": null }),
    ] {
        let event = Event::parse("phase2_concluded", &payload, DAY).expect("parse");
        assert_eq!(
            event.payload(),
            json!({ "outcome": "cleared", "exceedances": [] })
        );
    }
    let event = Event::parse(
        "suspicion_raised",
        &json!({ "reason": " 原电镀厂 \n" }),
        DAY,
    );
    assert_eq!(
        event,
        Ok(Event::SuspicionRaised {
            reason: "原电镀厂".to_owned()
        })
    );
    let outcome = Event::parse(
        "phase1_concluded",
        &json!({ "outcome": "phase2_needed" }),
        DAY,
    );
    assert_eq!(
        outcome,
        Ok(Event::Phase1Concluded {
            outcome: Phase1Outcome::Phase2Needed
        })
    );
}

#[test]
fn event_kinds_have_the_agreed_wire_names_and_fall_into_soil_and_land() {
    let soil = [
        "suspicion_raised",
        "survey_started",
        "phase1_concluded",
        "phase2_concluded",
        "risk_assessed",
        "listed",
        "plan_filed",
        "works_started",
        "soil_transport_declared",
        "works_finished",
        "effect_evaluated",
        "delisted",
        "post_management",
    ];
    let land = [
        "withdrawal_planned",
        "right_withdrawn",
        "transfer_planned",
        "right_transferred",
        "indicators_fixed",
        "land_supplied",
        "planning_permit",
        "construction_permit",
        "construction_started",
    ];
    let wire: Vec<&str> = EventKind::ALL.iter().map(|k| k.as_str()).collect();
    let mut agreed: Vec<&str> = soil.iter().chain(&land).copied().collect();
    agreed.push("correction");
    assert_eq!(wire, agreed);
    for kind in EventKind::ALL {
        let name = kind.as_str();
        assert_eq!(EventKind::parse(name), Some(kind));
        assert_eq!(serde_json::to_value(kind).ok(), Some(json!(name)));
        assert_eq!(kind.is_soil(), soil.contains(&name), "{name}");
        assert_eq!(kind.is_land(), land.contains(&name), "{name}");
    }
}

#[test]
fn stages_and_land_rights_serialize_as_their_snake_case_names() {
    for stage in Stage::ALL {
        assert_eq!(
            serde_json::to_value(stage).ok(),
            Some(json!(stage.as_str()))
        );
        assert_eq!(Stage::parse(stage.as_str()), Some(stage));
    }
    for right in LandRight::ALL {
        assert_eq!(
            serde_json::to_value(right).ok(),
            Some(json!(right.as_str()))
        );
        assert_eq!(LandRight::parse(right.as_str()), Some(right));
    }
    assert_eq!(Stage::Phase2Needed.as_str(), "phase2_needed");
    assert_eq!(LandRight::WithdrawalPlanned.as_str(), "withdrawal_planned");
}

#[test]
fn a_parcel_state_serializes_with_plain_dates() {
    let state = ParcelState {
        stage: Stage::Cleared,
        survey_completed_on: Some(DAY),
        ..ParcelState::default()
    };
    assert_eq!(
        serde_json::to_value(&state).ok(),
        Some(json!({
            "stage": "cleared",
            "land_right": "in_use",
            "survey_completed_on": "2023-06-01",
            "indicators_fixed_on": null,
            "supplied_on": null,
            "construction_started_on": null,
        }))
    );
}
