//! Footnote ① of GB 36600: arsenic, cobalt and vanadium values over the
//! screening value but within the local soil background.

use std::collections::HashMap;

use super::super::{screen, Level, Measured, Verdict};
use super::measured;
use crate::domain::land_use::Gb36600Class::{One, Two};

fn background(entries: &[(&str, f64)]) -> HashMap<String, f64> {
    entries.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect()
}

#[test]
fn arsenic_over_screening_but_under_background_is_excused() {
    let out = screen(
        &[measured(1, "砷", 22.0)],
        One,
        &background(&[("T1-01", 25.0)]),
    );
    assert_eq!(out.verdict, Verdict::BelowScreening);
    assert_eq!(out.items.len(), 1);
    assert!(out.items[0].background_excused);
    assert_eq!(out.items[0].limit_mgkg, 20.0);
}

#[test]
fn arsenic_equal_to_background_is_excused() {
    let out = screen(
        &[measured(1, "As", 25.0)],
        One,
        &background(&[("T1-01", 25.0)]),
    );
    assert_eq!(out.verdict, Verdict::BelowScreening);
    assert!(out.items[0].background_excused);
}

#[test]
fn arsenic_over_background_counts() {
    let out = screen(
        &[measured(1, "砷", 30.0)],
        One,
        &background(&[("T1-01", 25.0)]),
    );
    assert_eq!(out.verdict, Verdict::OverScreening);
    assert!(!out.items[0].background_excused);
}

#[test]
fn the_intervention_level_is_excused_only_when_the_value_is_within_background_too() {
    let high = background(&[("T1-01", 130.0)]);
    let within = screen(&[measured(1, "砷", 125.0)], One, &high);
    assert_eq!(within.verdict, Verdict::BelowScreening);
    assert_eq!(within.items.len(), 2);
    assert!(within.items.iter().all(|e| e.background_excused));
    let beyond = screen(&[measured(1, "砷", 135.0)], One, &high);
    assert_eq!(beyond.verdict, Verdict::OverIntervention);
    assert!(beyond.items.iter().all(|e| !e.background_excused));
}

#[test]
fn an_excused_result_does_not_hide_a_counted_one() {
    let results = [measured(1, "砷", 22.0), measured(2, "砷", 40.0)];
    let out = screen(&results, One, &background(&[("T1-01", 25.0)]));
    assert_eq!(out.verdict, Verdict::OverScreening);
    let flags: Vec<(usize, bool)> = out
        .items
        .iter()
        .map(|e| (e.key, e.background_excused))
        .collect();
    assert_eq!(flags, [(2, false), (1, true)]);
}

#[test]
fn cobalt_and_vanadium_are_excused_too() {
    let bg = background(&[("T2-03", 30.0), ("T2-05", 200.0)]);
    let results = [measured(1, "钴", 25.0), measured(2, "钒", 180.0)];
    let out = screen(&results, One, &bg);
    assert_eq!(out.verdict, Verdict::BelowScreening);
    assert_eq!(out.items.len(), 2);
    assert!(out.items.iter().all(|e| e.background_excused));
    let cobalt_class_two = screen(
        &[measured(1, "Co", 75.0)],
        Two,
        &background(&[("T2-03", 80.0)]),
    );
    assert_eq!(cobalt_class_two.verdict, Verdict::BelowScreening);
}

#[test]
fn a_non_footnote_item_ignores_any_background_entry() {
    let bg = background(&[("T1-02", 100.0), ("T1-01", 100.0)]);
    let out = screen(&[measured(1, "镉", 25.0)], One, &bg);
    assert_eq!(out.verdict, Verdict::OverScreening);
    assert!(!out.items[0].background_excused);
}

#[test]
fn a_background_keyed_by_anything_but_the_item_number_is_not_used() {
    let bg = background(&[("砷", 100.0), ("As", 100.0), ("t1-01", 100.0)]);
    let out = screen(&[measured(1, "砷", 22.0)], One, &bg);
    assert_eq!(out.verdict, Verdict::OverScreening);
}

#[test]
fn below_detection_and_nan_background_values_excuse_nothing_and_do_not_panic() {
    let nd = Measured {
        below_detection: true,
        ..measured(1, "砷", 500.0)
    };
    let out = screen(&[nd], One, &background(&[("T1-01", 1.0)]));
    assert_eq!(out.verdict, Verdict::BelowScreening);
    assert!(out.items.is_empty());
    let nan = screen(
        &[measured(1, "砷", 22.0)],
        One,
        &background(&[("T1-01", f64::NAN)]),
    );
    assert_eq!(nan.verdict, Verdict::OverScreening);
    assert_eq!(nan.items[0].level, Level::Screening);
}
