//! Every row of gb15618.csv, read here naively as text (it has no quoted
//! fields), checked through `classify_farmland`: at the limit no exceedance,
//! a little over it one, at the row's level and with the row's value.

use super::super::{classify_farmland, FarmLandType, FarmMeasured, Level, PhBand};
use super::gb15618;

const CSV: &str = include_str!("../gb15618.csv");

/// A pH inside each band, and the band's label in the CSV.
const BANDS: [(f64, &str); 4] = [
    (5.0, "pH<=5.5"),
    (6.0, "5.5<pH<=6.5"),
    (7.0, "6.5<pH<=7.5"),
    (8.0, "pH>7.5"),
];

struct Row<'a> {
    level: Level,
    element: &'a str,
    land: &'a str,
    band: &'a str,
    value: f64,
}

fn rows() -> Vec<Row<'static>> {
    CSV.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            Row {
                level: if f[0] == "screening" {
                    Level::Screening
                } else {
                    Level::Intervention
                },
                element: f[1],
                land: f[4],
                band: f[5],
                value: f[6].parse().expect("a number"),
            }
        })
        .collect()
}

/// The land types a row applies to, from the rules of GB 15618 §4.1: an
/// orchard takes the 其他 values of Cd, Hg, As, Pb, Cr; a paddy the 其他 value of Cu.
fn lands(row: &Row<'_>) -> Vec<FarmLandType> {
    use FarmLandType::{Orchard, Other, Paddy};
    match (row.land, row.element) {
        ("水田", _) => vec![Paddy],
        ("果园", _) => vec![Orchard],
        ("其他", "Cu") => vec![Other, Paddy],
        ("其他", _) => vec![Other, Orchard],
        ("all", _) => vec![Paddy, Orchard, Other],
        (other, _) => panic!("unexpected land type {other}"),
    }
}

fn phs(row: &Row<'_>) -> Vec<f64> {
    BANDS
        .iter()
        .filter(|(_, label)| row.band == "all" || row.band == *label)
        .map(|(ph, _)| *ph)
        .collect()
}

fn at_level(element: &str, value: f64, ph: f64, land: FarmLandType, level: Level) -> Vec<f64> {
    let one = [FarmMeasured {
        key: 0,
        element: element.to_owned(),
        value_mgkg: value,
        below_detection: false,
    }];
    let out = classify_farmland(&one, ph, land).expect("classifies");
    out.items
        .iter()
        .filter(|e| e.level == level)
        .map(|e| e.limit_mgkg)
        .collect()
}

#[test]
fn the_embedded_gb15618_table_has_79_rows() {
    assert_eq!(CSV.lines().count(), 80);
    assert_eq!(rows().len(), 79);
    assert_eq!(gb15618().rows().len(), 79);
}

#[test]
fn every_row_is_not_exceeded_at_its_value_and_exceeded_just_over_it() {
    let mut checked = 0;
    for row in rows() {
        for land in lands(&row) {
            for ph in phs(&row) {
                let context = format!("{} {:?} {land:?} pH {ph}", row.element, row.level);
                let at = at_level(row.element, row.value, ph, land, row.level);
                assert!(at.is_empty(), "{context}: {at:?}");
                let over = at_level(row.element, row.value * 1.001, ph, land, row.level);
                assert_eq!(over, [row.value], "{context}");
                checked += 1;
            }
        }
    }
    // Screening Cd…Cr and Cu: 4 own rows + 4 其他 rows used twice = 12 each; Ni, Zn:
    // 4 rows × 3 lands; intervention Cd…Cr: 4 rows × 3 lands; Table 2: 3 lands × 4 bands.
    assert_eq!(checked, 5 * 12 + 12 + 2 * 12 + 5 * 12 + 3 * 12);
}

#[test]
fn every_element_band_and_land_type_has_exactly_the_rows_expected() {
    for row in rows() {
        for land in lands(&row) {
            for (ph, label) in BANDS
                .iter()
                .filter(|(_, l)| row.band == "all" || row.band == *l)
            {
                let band = PhBand::of(*ph).expect("a band");
                assert_eq!(band.label(), *label);
                let limit = gb15618().limit(row.element, row.level, band, land);
                assert_eq!(
                    limit.map(|r| r.value_mgkg),
                    Some(row.value),
                    "{} {land:?} {label}",
                    row.element
                );
            }
        }
    }
}

#[test]
fn only_cd_hg_as_pb_and_cr_have_intervention_values() {
    for element in ["Cu", "Ni", "Zn", "HCH_total", "DDT_total", "BaP"] {
        for band in PhBand::ALL {
            assert!(gb15618()
                .limit(element, Level::Intervention, band, FarmLandType::Other)
                .is_none());
        }
        let huge = at_level(element, 1e6, 7.0, FarmLandType::Other, Level::Intervention);
        assert!(huge.is_empty(), "{element}");
    }
    for element in ["Cd", "Hg", "As", "Pb", "Cr"] {
        assert_eq!(
            at_level(
                element,
                1e6,
                7.0,
                FarmLandType::Orchard,
                Level::Intervention
            )
            .len(),
            1
        );
    }
}
