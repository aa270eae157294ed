//! Farmland classes under GB 15618: pH bands, land types, classes, names.

use serde_json::json;

use super::super::{
    classify_farmland, FarmLandType, FarmMeasured, FarmScreening, FarmlandClass, Gb15618, Level,
    PhBand,
};
use super::{gb15618, leak};
use FarmLandType::{Orchard, Other, Paddy};

fn m(key: usize, element: &str, value_mgkg: f64) -> FarmMeasured {
    FarmMeasured {
        key,
        element: element.to_owned(),
        value_mgkg,
        below_detection: false,
    }
}

fn classify(results: &[FarmMeasured], ph: f64, land: FarmLandType) -> FarmScreening {
    classify_farmland(results, ph, land).expect("classifies")
}

fn class(element: &str, value: f64, ph: f64, land: FarmLandType) -> FarmlandClass {
    classify(&[m(0, element, value)], ph, land).class
}

#[test]
fn ph_bands_include_their_upper_bound() {
    use PhBand::{Over5_5To6_5, Over6_5To7_5, Over7_5, UpTo5_5};
    let cases = [
        (0.0, UpTo5_5),
        (5.49, UpTo5_5),
        (5.5, UpTo5_5),
        (5.51, Over5_5To6_5),
        (6.49, Over5_5To6_5),
        (6.5, Over5_5To6_5),
        (6.51, Over6_5To7_5),
        (7.49, Over6_5To7_5),
        (7.5, Over6_5To7_5),
        (7.51, Over7_5),
        (14.0, Over7_5),
    ];
    for (ph, band) in cases {
        assert_eq!(PhBand::of(ph), Some(band), "pH {ph}");
    }
    let labels: Vec<&str> = PhBand::ALL.iter().map(|b| b.label()).collect();
    assert_eq!(labels, ["pH<=5.5", "5.5<pH<=6.5", "6.5<pH<=7.5", "pH>7.5"]);
}

#[test]
fn a_ph_outside_0_to_14_or_not_a_number_has_no_band_and_is_refused() {
    for ph in [
        -1.0,
        -0.01,
        14.01,
        15.0,
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
    ] {
        assert_eq!(PhBand::of(ph), None, "pH {ph}");
        assert!(
            classify_farmland(&[m(0, "Cd", 0.1)], ph, Other).is_err(),
            "pH {ph}"
        );
    }
}

#[test]
fn the_band_boundaries_pick_the_values_of_the_lower_band() {
    // Cd, paddy: 0.3 up to pH 5.5, 0.4 to 6.5, 0.6 to 7.5, 0.8 above.
    for (ph, limit) in [
        (5.5, 0.3),
        (5.51, 0.4),
        (6.5, 0.4),
        (6.51, 0.6),
        (7.5, 0.6),
        (7.51, 0.8),
    ] {
        assert_eq!(
            class("Cd", limit, ph, Paddy),
            FarmlandClass::PriorityProtection,
            "pH {ph}"
        );
        assert_eq!(
            class("Cd", limit * 1.001, ph, Paddy),
            FarmlandClass::SafeUse,
            "pH {ph}"
        );
    }
}

#[test]
fn land_types_parse_from_english_and_chinese() {
    let cases = [
        ("paddy", Paddy),
        ("Paddy", Paddy),
        ("水田", Paddy),
        (" 水田 ", Paddy),
        ("orchard", Orchard),
        ("ORCHARD", Orchard),
        ("果园", Orchard),
        ("other", Other),
        ("其他", Other),
        ("旱地", Other),
        ("水浇地", Other),
        ("菜地", Other),
    ];
    for (written, land) in cases {
        assert_eq!(FarmLandType::parse(written), Some(land), "{written}");
    }
    for written in ["", "林地", "茶园", "all", "paddy field"] {
        assert_eq!(FarmLandType::parse(written), None, "{written}");
    }
}

#[test]
fn an_orchard_takes_the_other_values_for_cadmium_and_its_own_for_copper() {
    // pH 7.0: Cd paddy 0.6, other 0.3; Cu orchard 200, other 100.
    assert_eq!(
        class("Cd", 0.5, 7.0, Paddy),
        FarmlandClass::PriorityProtection
    );
    assert_eq!(class("Cd", 0.5, 7.0, Orchard), FarmlandClass::SafeUse);
    assert_eq!(class("Cd", 0.5, 7.0, Other), FarmlandClass::SafeUse);
    assert_eq!(
        class("Cu", 150.0, 7.0, Orchard),
        FarmlandClass::PriorityProtection
    );
    assert_eq!(class("Cu", 150.0, 7.0, Paddy), FarmlandClass::SafeUse);
    assert_eq!(class("Cu", 150.0, 7.0, Other), FarmlandClass::SafeUse);
    // Ni pH 8.0: 190 for every land.
    for land in FarmLandType::ALL {
        assert_eq!(
            class("Ni", 190.0, 8.0, land),
            FarmlandClass::PriorityProtection
        );
        assert_eq!(class("Ni", 191.0, 8.0, land), FarmlandClass::SafeUse);
    }
}

#[test]
fn the_three_classes() {
    // Cd, other land, pH 6.0: screening 0.3, intervention 2.
    assert_eq!(
        class("Cd", 0.3, 6.0, Other),
        FarmlandClass::PriorityProtection
    );
    assert_eq!(class("Cd", 0.31, 6.0, Other), FarmlandClass::SafeUse);
    assert_eq!(class("Cd", 2.0, 6.0, Other), FarmlandClass::SafeUse);
    assert_eq!(class("Cd", 2.01, 6.0, Other), FarmlandClass::StrictControl);
    // No intervention value for copper: however high, safe use.
    assert_eq!(class("Cu", 1e5, 6.0, Other), FarmlandClass::SafeUse);
    let mixed = classify(
        &[m(1, "Zn", 100.0), m(2, "As", 160.0), m(3, "Pb", 95.0)],
        6.0,
        Other,
    );
    assert_eq!(mixed.class, FarmlandClass::StrictControl);
    assert_eq!(mixed.items.len(), 3);
}

#[test]
fn below_detection_never_exceeds() {
    let nd = FarmMeasured {
        below_detection: true,
        ..m(1, "Cd", 1e9)
    };
    let out = classify(&[nd], 6.0, Paddy);
    assert_eq!(out.class, FarmlandClass::PriorityProtection);
    assert!(out.items.is_empty());
}

#[test]
fn nan_and_negative_values_do_not_exceed_or_panic() {
    let out = classify(&[m(1, "Cd", f64::NAN), m(2, "Hg", -1.0)], 6.0, Paddy);
    assert_eq!(out.class, FarmlandClass::PriorityProtection);
}

#[test]
fn every_spelling_of_an_element_is_recognised() {
    let cases: &[(&str, &[&str])] = &[
        (
            "Cd",
            &[
                "Cd",
                "cd",
                "镉",
                "cadmium",
                "Cadmium",
                "7440-43-9",
                " 7440-43-9 ",
            ],
        ),
        ("Hg", &["Hg", "汞", "mercury", "总汞", "7439-97-6"]),
        ("As", &["As", "砷", "arsenic", "7440-38-2"]),
        ("Pb", &["Pb", "铅", "lead", "7439-92-1"]),
        ("Cr", &["Cr", "铬", "总铬", "chromium", "7440-47-3"]),
        ("Cu", &["Cu", "铜", "copper"]),
        ("Ni", &["Ni", "镍", "nickel"]),
        ("Zn", &["Zn", "锌", "zinc"]),
        ("HCH_total", &["六六六", "HCH", "六六六总量", "HCH_total"]),
        ("DDT_total", &["滴滴涕", "DDT", "滴滴涕总量"]),
        (
            "BaP",
            &[
                "苯并[a]芘",
                "苯并（a）芘",
                "苯并芘",
                "BaP",
                "bap",
                "50-32-8",
            ],
        ),
    ];
    for (element, spellings) in cases {
        for written in *spellings {
            assert_eq!(gb15618().find(written), Some(*element), "{written}");
        }
    }
}

#[test]
fn unknown_elements_are_listed_by_key_and_do_not_change_the_class() {
    let results = [
        m(5, "Co", 999.0),
        m(6, "Cd", 0.1),
        m(7, "六价铬", 999.0),
        m(8, "苯", 99.0),
    ];
    let out = classify(&results, 6.0, Other);
    assert_eq!(out.unknown, [5, 7, 8]);
    assert_eq!(out.class, FarmlandClass::PriorityProtection);
    assert!(out.items.is_empty());
}

#[test]
fn nothing_to_classify_is_refused() {
    assert!(classify_farmland(&[], 6.0, Other).is_err());
    assert!(classify_farmland(&[m(1, "Co", 1.0), m(2, "unknown", 1.0)], 6.0, Other).is_err());
}

#[test]
fn exceedances_are_ordered_by_ratio_highest_first() {
    // pH 8.0, other land: Cd 0.6/4, Pb 170/1000, Zn 300, BaP 0.55.
    let results = [
        m(1, "Zn", 450.0),
        m(2, "Cd", 6.0),
        m(3, "BaP", 0.66),
        m(4, "Pb", 340.0),
    ];
    let out = classify(&results, 8.0, Other);
    let order: Vec<(&str, Level)> = out.items.iter().map(|e| (e.element, e.level)).collect();
    assert_eq!(
        order,
        [
            ("Cd", Level::Screening),    // 10
            ("Pb", Level::Screening),    // 2
            ("Cd", Level::Intervention), // 1.5
            ("Zn", Level::Screening),    // 1.5
            ("BaP", Level::Screening),   // 1.2
        ]
    );
    let cd = &out.items[0];
    assert_eq!(
        (cd.key, cd.name_zh, cd.limit_mgkg, cd.ratio),
        (2, "镉", 0.6, 10.0)
    );
}

#[test]
fn the_screening_serializes_with_snake_case_names_and_band_labels() {
    let out = classify(&[m(1, "Cd", 0.5)], 6.0, Orchard);
    let value = serde_json::to_value(&out).expect("serializes");
    assert_eq!(value["class"], json!("safe_use"));
    assert_eq!(value["ph_band"], json!("5.5<pH<=6.5"));
    assert_eq!(value["land_type"], json!("orchard"));
    assert_eq!(value["items"][0]["element"], json!("Cd"));
    assert_eq!(value["items"][0]["level"], json!("screening"));
    assert_eq!(
        serde_json::to_value(FarmlandClass::StrictControl).expect("serializes"),
        json!("strict_control")
    );
    assert_eq!(
        serde_json::to_value(FarmlandClass::PriorityProtection).expect("serializes"),
        json!("priority_protection")
    );
    assert_eq!(FarmlandClass::SafeUse.name_zh(), "安全利用类");
}

const CSV: &str = include_str!("../gb15618.csv");

fn refused(edited: String) -> String {
    match Gb15618::parse(leak(edited)) {
        Ok(t) => panic!("parsed {} rows", t.rows().len()),
        Err(e) => e,
    }
}

#[test]
fn parse_refuses_a_table_with_a_gap_a_repeat_or_an_unknown_band_or_land_type() {
    let gap: String = CSV
        .lines()
        .filter(|l| !l.starts_with("screening,Cd,镉,7440-43-9,其他,pH>7.5"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(refused(gap).contains("Cd"));
    let line = "screening,Zn,锌,7440-66-6,all,pH>7.5,300,A+C agree\n";
    assert!(refused(format!("{CSV}{line}")).contains("Zn"));
    assert!(refused(CSV.replacen(",水田,pH<=5.5,", ",paddy,pH<=5.5,", 1)).contains("land_type"));
    assert!(refused(CSV.replacen(",水田,pH<=5.5,", ",水田,pH<5.5,", 1)).contains("ph_band"));
    assert!(refused(CSV.replacen("screening,Cd", "screen,Cd", 1)).contains("value_type"));
    assert!(refused(CSV.replacen(",0.3,A+C", ",zero,A+C", 1)).contains("line 2"));
}
