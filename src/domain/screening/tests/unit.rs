//! Units of concentration.

use super::super::Unit;

#[test]
fn every_spelling_parses_to_its_unit() {
    let cases = [
        ("mg/kg", Unit::MgPerKg),
        ("MG/KG", Unit::MgPerKg),
        ("mg / kg", Unit::MgPerKg),
        ("mg kg-1", Unit::MgPerKg),
        ("mg·kg-1", Unit::MgPerKg),
        ("mg·kg⁻¹", Unit::MgPerKg),
        ("mg kg^-1", Unit::MgPerKg),
        ("毫克/千克", Unit::MgPerKg),
        ("毫克每千克", Unit::MgPerKg),
        ("ｍｇ／ｋｇ", Unit::MgPerKg),
        (" mg/kg ", Unit::MgPerKg),
        ("μg/kg", Unit::UgPerKg),
        ("\u{3bc}g/kg", Unit::UgPerKg),
        ("\u{b5}g/kg", Unit::UgPerKg),
        ("µg/kg", Unit::UgPerKg),
        ("ug/kg", Unit::UgPerKg),
        ("UG/KG", Unit::UgPerKg),
        ("μg kg-1", Unit::UgPerKg),
        ("微克/千克", Unit::UgPerKg),
        ("ng/kg", Unit::NgPerKg),
        ("NG/KG", Unit::NgPerKg),
        ("ng kg-1", Unit::NgPerKg),
        ("纳克/千克", Unit::NgPerKg),
    ];
    for (written, unit) in cases {
        assert_eq!(Unit::parse(written), Some(unit), "{written}");
    }
}

#[test]
fn other_units_are_refused() {
    for written in [
        "",
        "mg",
        "kg",
        "mg/l",
        "mg/L",
        "g/kg",
        "mg/g",
        "μg/l",
        "ppm",
        "%",
        "mg/kg/d",
        "毫克/升",
    ] {
        assert_eq!(Unit::parse(written), None, "{written}");
    }
}

#[test]
fn one_mg_per_kg_is_a_thousand_ug_and_a_million_ng_per_kg() {
    assert_eq!(Unit::MgPerKg.to_mg_per_kg(1.0), 1.0);
    assert_eq!(Unit::UgPerKg.to_mg_per_kg(1_000.0), 1.0);
    assert_eq!(Unit::NgPerKg.to_mg_per_kg(1_000_000.0), 1.0);
    assert_eq!(Unit::MgPerKg.to_mg_per_kg(826.0), 826.0);
    assert_eq!(Unit::UgPerKg.to_mg_per_kg(2.5), 0.0025);
    assert_eq!(Unit::NgPerKg.to_mg_per_kg(0.0), 0.0);
}

#[test]
fn round_values_convert_exactly_onto_the_limits() {
    // Benzo[a]pyrene class 1 screening 0.55 mg/kg; dioxins class 1 screening 10 ng TEQ/kg.
    assert_eq!(Unit::UgPerKg.to_mg_per_kg(550.0), 0.55);
    assert_eq!(Unit::NgPerKg.to_mg_per_kg(10.0), 0.00001);
    assert_eq!(Unit::NgPerKg.to_mg_per_kg(40.0), 0.00004);
    assert_eq!(Unit::UgPerKg.to_mg_per_kg(5_700.0), 5.7);
}

#[test]
fn canonical_spellings_parse_back_and_serialize_as_written() {
    for unit in [Unit::MgPerKg, Unit::UgPerKg, Unit::NgPerKg] {
        assert_eq!(Unit::parse(unit.as_str()), Some(unit));
        let json = serde_json::to_string(&unit).expect("serializes");
        assert_eq!(json, format!("\"{}\"", unit.as_str()));
    }
    assert_eq!(Unit::UgPerKg.as_str(), "μg/kg");
}
