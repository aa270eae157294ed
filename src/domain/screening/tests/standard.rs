//! The embedded GB 36600 table: its size, spot-checked values, and what
//! `parse` refuses.

use super::super::Gb36600;
use super::{gb36600, item, leak};
use crate::domain::land_use::Gb36600Class::{One, Two};

const CSV: &str = include_str!("../gb36600.csv");

#[test]
fn embedded_gb36600_parses_with_85_items() {
    let items = gb36600().items();
    assert_eq!(items.len(), 85);
    let t1: Vec<&str> = items
        .iter()
        .map(|i| i.item_no)
        .filter(|n| n.starts_with("T1-"))
        .collect();
    let t2: Vec<&str> = items
        .iter()
        .map(|i| i.item_no)
        .filter(|n| n.starts_with("T2-"))
        .collect();
    assert_eq!(t1.len(), 45);
    assert_eq!(t2.len(), 40);
    let expected: Vec<String> = (1..=45)
        .map(|n| format!("T1-{n:02}"))
        .chain((1..=40).map(|n| format!("T2-{n:02}")))
        .collect();
    let found: Vec<&str> = items.iter().map(|i| i.item_no).collect();
    assert_eq!(found, expected);
}

#[test]
fn spot_checked_values_match_the_standard() {
    // (name, class-1 screening, class-2 screening, class-1 intervention, class-2 intervention)
    let cases = [
        ("砷", 20.0, 60.0, 120.0, 140.0),
        ("镉", 20.0, 65.0, 47.0, 172.0),
        ("铬（六价）", 3.0, 5.7, 30.0, 78.0),
        ("铅", 400.0, 800.0, 800.0, 2500.0),
        ("汞", 8.0, 38.0, 33.0, 82.0),
        ("苯并[a]芘", 0.55, 1.5, 5.5, 15.0),
        ("二苯并[a,h]蒽", 0.55, 1.5, 5.5, 15.0),
        ("1,1,1-三氯乙烷", 701.0, 840.0, 840.0, 840.0),
        ("钒", 165.0, 752.0, 330.0, 1500.0),
        (
            "3,3',4,4',5-五氯联苯（PCB 126）",
            0.00004,
            0.0001,
            0.0004,
            0.001,
        ),
        ("二噁英类（总毒性当量）", 0.00001, 0.00004, 0.0001, 0.0004),
        ("石油烃（C10-C40）", 826.0, 4500.0, 5000.0, 9000.0),
    ];
    for (name, s1, s2, i1, i2) in cases {
        let it = item(name);
        assert_eq!(it.name_zh, name);
        assert_eq!(it.screening_value(One), s1, "{name}");
        assert_eq!(it.screening_value(Two), s2, "{name}");
        assert_eq!(it.intervention_value(One), i1, "{name}");
        assert_eq!(it.intervention_value(Two), i2, "{name}");
        assert_eq!(it.screening, [s1, s2]);
        assert_eq!(it.intervention, [i1, i2]);
    }
}

#[test]
fn names_with_commas_cas_numbers_and_groups_are_read_whole() {
    let dbaha = item("T1-43");
    assert_eq!(dbaha.name_zh, "二苯并[a,h]蒽");
    assert_eq!(dbaha.name_en, "Dibenz[a,h]anthracene");
    assert_eq!(dbaha.cas, Some("53-70-3"));
    assert_eq!(dbaha.group, "基本项目/半挥发性有机物");
    let xylenes = item("T1-33");
    assert_eq!(xylenes.cas, Some("108-38-3,106-42-3"));
    assert_eq!(item("T2-25").name_en, "DDT (o,p'-DDT + p,p'-DDT)");
    assert_eq!(item("T1-01").group, "基本项目/重金属和无机物");
}

#[test]
fn only_arsenic_cobalt_and_vanadium_carry_the_background_footnote() {
    let marked: Vec<&str> = gb36600()
        .items()
        .iter()
        .filter(|i| i.background_footnote)
        .map(|i| i.name_zh)
        .collect();
    assert_eq!(marked, ["砷", "钴", "钒"]);
}

#[test]
fn only_the_four_totals_lack_a_cas_number() {
    let without: Vec<&str> = gb36600()
        .items()
        .iter()
        .filter(|i| i.cas.is_none())
        .map(|i| i.item_no)
        .collect();
    assert_eq!(without, ["T2-35", "T2-38", "T2-39", "T2-40"]);
}

#[test]
fn by_item_no_is_exact() {
    assert_eq!(
        gb36600().by_item_no("T2-40").map(|i| i.name_zh),
        Some("石油烃（C10-C40）")
    );
    assert!(gb36600().by_item_no("t2-40").is_none());
    assert!(gb36600().by_item_no("T3-01").is_none());
}

#[test]
fn the_embedded_text_parses_the_same_on_every_call() {
    let again = Gb36600::parse(CSV).expect("parses");
    assert_eq!(again.items(), gb36600().items());
}

fn refused(edited: String) -> String {
    match Gb36600::parse(leak(edited)) {
        Ok(t) => panic!("parsed {} items", t.items().len()),
        Err(e) => e,
    }
}

const ARSENIC: &str = "T1-01,砷,Arsenic,7440-38-2,基本项目/重金属和无机物,20,60,120,140,";

#[test]
fn parse_refuses_a_value_that_is_not_a_positive_number() {
    for bad in ["twenty", "-20", "0", "", "NaN"] {
        let edited = CSV.replacen(
            ARSENIC,
            &ARSENIC.replacen(",20,", &format!(",{bad},"), 1),
            1,
        );
        assert!(refused(edited).contains("line 2"), "{bad}");
    }
}

#[test]
fn parse_refuses_a_screening_value_above_the_intervention_value() {
    let edited = CSV.replacen(ARSENIC, &ARSENIC.replacen(",20,", ",121,", 1), 1);
    assert!(refused(edited).contains("line 2"));
}

#[test]
fn parse_refuses_a_repeated_item_number() {
    let edited = CSV.replacen("T1-02,镉", "T1-01,镉", 1);
    assert!(refused(edited).contains("T1-01"));
}

#[test]
fn parse_refuses_a_name_that_would_stand_for_two_items() {
    let edited = CSV.replacen("T1-02,镉,Cadmium", "T1-02,镉,Arsenic", 1);
    assert!(refused(edited).contains("Arsenic"));
}

#[test]
fn parse_refuses_a_missing_item_that_an_alias_names() {
    let without_bap: String = CSV
        .lines()
        .filter(|l| !l.starts_with("T1-39"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(refused(without_bap).contains("T1-39"));
}

#[test]
fn parse_refuses_a_name_with_an_escaped_quote_and_a_wrong_header() {
    let edited = CSV.replacen("T1-01,砷,", "T1-01,\"砷\"\"\",", 1);
    assert!(refused(edited).contains("line 2"));
    assert!(refused(CSV.replacen("item_no", "item", 1)).contains("header"));
    assert!(refused(String::new()).contains("empty"));
}
