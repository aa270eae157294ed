//! Screening a construction parcel against GB 36600.

use std::collections::HashMap;

use serde_json::json;

use super::super::{screen, Level, Measured, Screening, Verdict};
use super::{gb36600, item, measured};
use crate::domain::land_use::Gb36600Class::{self, One, Two};

fn run(results: &[Measured<'_>], class: Gb36600Class) -> Screening {
    screen(results, class, &HashMap::new())
}

fn levels(s: &Screening) -> Vec<Level> {
    s.items.iter().map(|e| e.level).collect()
}

/// (name, class, screening value, intervention value), written from the standard.
const LIMITS: &[(&str, Gb36600Class, f64, f64)] = &[
    ("砷", One, 20.0, 120.0),
    ("As", Two, 60.0, 140.0),
    ("镉", One, 20.0, 47.0),
    ("Cd", Two, 65.0, 172.0),
    ("六价铬", One, 3.0, 30.0),
    ("Cr(VI)", Two, 5.7, 78.0),
    ("BaP", One, 0.55, 5.5),
    ("苯并[a]芘", Two, 1.5, 15.0),
    ("石油烃", One, 826.0, 5000.0),
    ("TPH", Two, 4500.0, 9000.0),
    ("二噁英", One, 0.00001, 0.0001),
    ("二噁英", Two, 0.00004, 0.0004),
];

#[test]
fn values_just_below_at_and_just_above_each_limit_for_both_classes() {
    for &(name, class, s, i) in LIMITS {
        let verdict = |v: f64| {
            let out = run(&[measured(7, name, v)], class);
            (out.verdict, levels(&out))
        };
        let below = Verdict::BelowScreening;
        let over = Verdict::OverScreening;
        assert_eq!(verdict(s * 0.999), (below, vec![]), "{name} {class:?}");
        assert_eq!(verdict(s), (below, vec![]), "{name} {class:?}");
        assert_eq!(
            verdict(s * 1.001),
            (over, vec![Level::Screening]),
            "{name} {class:?}"
        );
        assert_eq!(
            verdict(i * 0.999),
            (over, vec![Level::Screening]),
            "{name} {class:?}"
        );
        assert_eq!(
            verdict(i),
            (over, vec![Level::Screening]),
            "{name} {class:?}"
        );
        assert_eq!(
            verdict(i * 1.001),
            (
                Verdict::OverIntervention,
                vec![Level::Screening, Level::Intervention]
            ),
            "{name} {class:?}"
        );
    }
}

#[test]
fn an_exceedance_carries_the_item_the_limit_and_the_ratio() {
    let out = run(&[measured(42, "Cr6+", 6.0)], One);
    assert_eq!(out.class, One);
    let e = &out.items[0];
    assert_eq!((e.key, e.item_no, e.cas), (42, "T1-03", Some("18540-29-9")));
    assert_eq!(
        (e.name_zh, e.name_en),
        ("铬（六价）", "Chromium (hexavalent)")
    );
    assert_eq!((e.value_mgkg, e.limit_mgkg, e.ratio), (6.0, 3.0, 2.0));
    assert_eq!((e.level, e.background_excused), (Level::Screening, false));
    let both = run(&[measured(1, "Cr6+", 60.0)], One);
    assert_eq!(both.items[0].level, Level::Screening);
    assert_eq!((both.items[0].limit_mgkg, both.items[0].ratio), (3.0, 20.0));
    assert_eq!(both.items[1].level, Level::Intervention);
    assert_eq!((both.items[1].limit_mgkg, both.items[1].ratio), (30.0, 2.0));
}

#[test]
fn every_item_in_both_classes_is_not_exceeded_at_its_limits_and_exceeded_past_them() {
    for it in gb36600().items() {
        for class in [One, Two] {
            let at = |v: f64| {
                levels(&run(
                    &[Measured {
                        key: 0,
                        item: it,
                        value_mgkg: v,
                        below_detection: false,
                    }],
                    class,
                ))
            };
            let (s, i) = (it.screening_value(class), it.intervention_value(class));
            let past = |v: f64| v * (1.0 + 1e-9);
            assert!(at(s).is_empty(), "{} {class:?}", it.item_no);
            assert!(
                at(past(s)).contains(&Level::Screening),
                "{} {class:?}",
                it.item_no
            );
            assert!(
                !at(i).contains(&Level::Intervention),
                "{} {class:?}",
                it.item_no
            );
            assert!(
                at(past(i)).contains(&Level::Intervention),
                "{} {class:?}",
                it.item_no
            );
        }
    }
}

#[test]
fn a_result_below_detection_never_exceeds_however_large() {
    let nd = Measured {
        below_detection: true,
        ..measured(1, "砷", 1e9)
    };
    let out = run(&[nd], One);
    assert_eq!(out.verdict, Verdict::BelowScreening);
    assert!(out.items.is_empty());
}

#[test]
fn class_one_and_class_two_give_different_verdicts_for_the_same_value() {
    let arsenic_50 = [measured(1, "砷", 50.0)];
    assert_eq!(run(&arsenic_50, One).verdict, Verdict::OverScreening);
    assert_eq!(run(&arsenic_50, Two).verdict, Verdict::BelowScreening);
    let arsenic_130 = [measured(1, "砷", 130.0)];
    assert_eq!(run(&arsenic_130, One).verdict, Verdict::OverIntervention);
    assert_eq!(run(&arsenic_130, Two).verdict, Verdict::OverScreening);
    let benzene_5 = [measured(1, "苯", 5.0)];
    assert_eq!(run(&benzene_5, One).verdict, Verdict::OverScreening);
    assert_eq!(run(&benzene_5, Two).verdict, Verdict::OverScreening);
    assert_eq!(
        run(&[measured(1, "苯", 11.0)], One).verdict,
        Verdict::OverIntervention
    );
    assert_eq!(
        run(&[measured(1, "苯", 11.0)], Two).verdict,
        Verdict::OverScreening
    );
}

#[test]
fn no_results_is_no_data_and_only_non_detects_is_below_screening() {
    let none = run(&[], Two);
    assert_eq!(
        (none.verdict, none.items.len(), none.class),
        (Verdict::NoData, 0, Two)
    );
    let nd = Measured {
        below_detection: true,
        ..measured(1, "镉", 0.1)
    };
    assert_eq!(run(&[nd], Two).verdict, Verdict::BelowScreening);
}

#[test]
fn exceedances_are_ordered_by_ratio_then_item_then_key() {
    let results = [
        measured(1, "镉", 30.0),       // 1.5 × 20
        measured(2, "砷", 40.0),       // 2 × 20
        measured(3, "镉", 40.0),       // 2 × 20
        measured(4, "六价铬", 12.0),   // 4 × 3
        measured(5, "砷", 40.0),       // 2 × 20
        measured(6, "苯并[a]芘", 0.5), // below
        measured(7, "汞", 9.6),        // 1.2 × 8
    ];
    let out = run(&results, One);
    let order: Vec<(usize, &str)> = out.items.iter().map(|e| (e.key, e.item_no)).collect();
    assert_eq!(
        order,
        [
            (4, "T1-03"),
            (2, "T1-01"),
            (5, "T1-01"),
            (3, "T1-02"),
            (1, "T1-02"),
            (7, "T1-06")
        ]
    );
    assert!(out.items.windows(2).all(|w| w[0].ratio >= w[1].ratio));
}

#[test]
fn when_both_limits_are_equal_the_intervention_exceedance_comes_first() {
    // Toluene: 1200 mg/kg for every limit.
    let out = run(&[measured(1, "甲苯", 1300.0)], Two);
    assert_eq!(levels(&out), [Level::Intervention, Level::Screening]);
    assert_eq!(out.verdict, Verdict::OverIntervention);
}

#[test]
fn nan_negative_and_infinite_values_do_not_panic() {
    let out = run(&[measured(1, "砷", f64::NAN), measured(2, "镉", -5.0)], One);
    assert_eq!(out.verdict, Verdict::BelowScreening);
    assert!(out.items.is_empty());
    let inf = run(
        &[measured(1, "砷", f64::INFINITY), measured(2, "镉", 30.0)],
        One,
    );
    assert_eq!(inf.verdict, Verdict::OverIntervention);
    assert_eq!(inf.items[0].key, 1);
    assert_eq!(inf.items.len(), 3);
}

#[test]
fn the_screening_serializes_with_snake_case_names_and_the_class_number() {
    let out = run(&[measured(9, "Cd", 50.0)], One);
    let value = serde_json::to_value(&out).expect("serializes");
    assert_eq!(value["class"], json!(1));
    assert_eq!(value["verdict"], json!("over_intervention"));
    assert_eq!(value["items"][0]["level"], json!("screening"));
    assert_eq!(value["items"][0]["item_no"], json!("T1-02"));
    assert_eq!(value["items"][1]["level"], json!("intervention"));
    assert_eq!(value["items"][0]["background_excused"], json!(false));
    for (verdict, text) in [
        (Verdict::NoData, "no_data"),
        (Verdict::BelowScreening, "below_screening"),
        (Verdict::OverScreening, "over_screening"),
    ] {
        assert_eq!(
            serde_json::to_value(verdict).expect("serializes"),
            json!(text)
        );
    }
    assert_eq!(item("As").name_en, "Arsenic");
}
