//! Parsing of each ledger's rows and patches.

use super::*;
use serde_json::json;
use time::macros::date;

const TODAY: Date = date!(2023 - 06 - 30);

fn parse(ledger: Ledger, v: Value) -> Result<Entry, FieldError> {
    match v {
        Value::Object(m) => Entry::parse(ledger, &m, TODAY),
        _ => unreachable!("test input is an object"),
    }
}

fn uscc() -> String {
    let first17 = "91110109MA01ABCD1";
    let check = Uscc::check_character(first17).expect("alphabet");
    format!("{first17}{check}")
}

#[test]
fn a_valid_row_of_each_ledger_parses() {
    let rows = [
        (
            Ledger::HeavyMetalFirms,
            json!({"uscc": uscc(), "metals": ["pb", "cd", "cd"], "status": "investigating"}),
        ),
        (
            Ledger::BuriedTanks,
            json!({"owner": "某加油站", "substance": "汽油", "capacity_m3": 30, "installed_on": "2010-05-01", "anti_leak": ["double_wall"]}),
        ),
        (
            Ledger::WasteStorageSites,
            json!({"operator": "某公司", "waste_type": "煤矸石", "safety_measures": "围挡、覆盖"}),
        ),
        (
            Ledger::NewProjects,
            json!({"name": "某集成电路项目", "sector": "integrated_circuit"}),
        ),
        (
            Ledger::FarmlandPlots,
            json!({"name": "果园一", "town": "110109105", "land_type": "orchard", "class": "priority_protection"}),
        ),
        (
            Ledger::UnusedLandPatrols,
            json!({"patrolled_on": "2023-06-01", "patroller": "李四", "town": "110109004", "finding": "无异常"}),
        ),
    ];
    for (ledger, v) in rows {
        let e = parse(ledger, v.clone()).unwrap_or_else(|e| panic!("{v}: {e:?}"));
        assert_eq!(e.ledger(), ledger);
    }
}

#[test]
fn each_bad_member_is_named() {
    let tank = |extra: Value| {
        let mut base = json!({"owner": "x", "substance": "柴油", "capacity_m3": 20, "installed_on": "2010-05-01", "anti_leak": ["none"]});
        if let (Some(b), Some(e)) = (base.as_object_mut(), extra.as_object()) {
            b.extend(e.clone());
        }
        parse(Ledger::BuriedTanks, base)
    };
    for (extra, field, code) in [
        (json!({"capacity_m3": -5}), "capacity_m3", "out_of_range"),
        (json!({"capacity_m3": 0}), "capacity_m3", "out_of_range"),
        (
            json!({"installed_on": "2023-07-01"}),
            "installed_on",
            "future_date",
        ),
        (
            json!({"anti_leak": ["none", "double_wall"]}),
            "anti_leak",
            "invalid_value",
        ),
        (
            json!({"anti_leak": ["lead_lining"]}),
            "anti_leak",
            "invalid_value",
        ),
        (
            json!({"owner_uscc": "91110109MA01ABCD10"}),
            "owner_uscc",
            "invalid_uscc",
        ),
        (json!({"colour": "red"}), "colour", "unknown_field"),
        (
            json!({"last_inspection_failed": false}),
            "last_inspection_failed",
            "read_only",
        ),
        (json!({"owner": null}), "owner", "required"),
    ] {
        let e = tank(extra.clone()).expect_err("invalid");
        assert_eq!((e.field.as_str(), e.code), (field, code), "{extra}");
    }
}

#[test]
fn a_firm_needs_a_metal_or_electroplating() {
    let e = parse(
        Ledger::HeavyMetalFirms,
        json!({"uscc": uscc(), "status": "done"}),
    )
    .expect_err("neither");
    assert_eq!(e.field, "metals");
    assert!(parse(
        Ledger::HeavyMetalFirms,
        json!({"uscc": uscc(), "status": "done", "electroplating": true})
    )
    .is_ok());
    let e = parse(
        Ledger::HeavyMetalFirms,
        json!({"uscc": uscc(), "status": "done", "metals": ["u"]}),
    )
    .expect_err("uranium is not on the list");
    assert_eq!(e.field, "metals");
}

#[test]
fn a_contaminated_plot_needs_measures_and_a_known_town() {
    let plot = json!({"name": "p", "town": "110109105", "land_type": "dry", "class": "safe_use"});
    let e = parse(Ledger::FarmlandPlots, plot).expect_err("no measures");
    assert_eq!(
        (e.field.as_str(), e.code),
        ("measures", "measures_required")
    );
    let e = parse(
        Ledger::FarmlandPlots,
        json!({"name": "p", "town": "110109999", "land_type": "dry", "class": "priority_protection"}),
    )
    .expect_err("town");
    assert_eq!((e.field.as_str(), e.code), ("town", "unknown_town"));
}

#[test]
fn a_patch_keeps_absent_members_clears_nulls_and_refuses_derived_ones() {
    let stored = json!({"id": 7, "version": 2, "name": "n", "sector": "vehicle",
                        "baseline_missing": true, "construction_started_on": "2023-02-01"});
    let stored = stored.as_object().cloned().unwrap_or_default();
    let patch = |v: Value| v.as_object().cloned().unwrap_or_default();
    let Ok(Entry::NewProject(p)) = Entry::patched(
        Ledger::NewProjects,
        &stored,
        &patch(json!({"baseline_survey_done_on": "2023-01-15"})),
        TODAY,
    ) else {
        panic!("valid patch");
    };
    assert_eq!(p.name, "n");
    assert!(!p.baseline_missing());
    for (v, field) in [
        (json!({"baseline_missing": false}), "baseline_missing"),
        (json!({"colour": null}), "colour"),
        (json!({"name": null}), "name"),
    ] {
        let e = Entry::patched(Ledger::NewProjects, &stored, &patch(v.clone()), TODAY)
            .expect_err("invalid");
        assert_eq!(e.field, field, "{v}");
    }
}

#[test]
fn a_project_started_before_its_survey_is_flagged() {
    let Ok(Entry::NewProject(p)) = parse(
        Ledger::NewProjects,
        json!({"name": "n", "sector": "vehicle", "baseline_survey_done_on": "2023-03-01", "construction_started_on": "2023-02-01"}),
    ) else {
        panic!("valid project");
    };
    assert!(p.baseline_missing());
    let e = parse(
        Ledger::NewProjects,
        json!({"name": "n", "sector": "vehicle", "baseline_survey_done_on": "2024-01-01"}),
    )
    .expect_err("future survey");
    assert_eq!(e.field, "baseline_survey_done_on");
}
