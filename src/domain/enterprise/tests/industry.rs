//! GB/T 4754-2017 industry codes and the division table.

use super::super::{IndustryCode, DIVISIONS};

fn code(s: &str) -> IndustryCode {
    IndustryCode::parse(s).unwrap_or_else(|| panic!("{s:?} should parse"))
}

/// Section ranges as the standard lists them, written out independently of
/// the table under test.
const SECTION_RANGES: [(char, u8, u8); 20] = [
    ('A', 1, 5),
    ('B', 6, 12),
    ('C', 13, 43),
    ('D', 44, 46),
    ('E', 47, 50),
    ('F', 51, 52),
    ('G', 53, 60),
    ('H', 61, 62),
    ('I', 63, 65),
    ('J', 66, 69),
    ('K', 70, 70),
    ('L', 71, 72),
    ('M', 73, 75),
    ('N', 76, 79),
    ('O', 80, 82),
    ('P', 83, 83),
    ('Q', 84, 85),
    ('R', 86, 90),
    ('S', 91, 96),
    ('T', 97, 97),
];

#[test]
fn the_division_table_runs_from_01_to_97_in_the_standard_sections() {
    for (index, division) in DIVISIONS.iter().enumerate() {
        assert_eq!(division.code, format!("{:02}", index + 1));
        let number: u8 = division.code.parse().expect("two digits");
        let (section, _, _) = SECTION_RANGES
            .iter()
            .find(|(_, first, last)| (*first..=*last).contains(&number))
            .expect("every number has a section");
        assert_eq!(division.section, *section, "division {}", division.code);
        assert!(!division.name_zh.is_empty());
    }
}

#[test]
fn a_code_with_its_section_letter_parses_to_the_bare_code() {
    let c = code("C2614");
    assert_eq!(c.code(), "2614");
    assert_eq!(c.section(), 'C');
    assert_eq!(c.division(), "26");
    assert_eq!(c.division_name_zh(), "化学原料和化学制品制造业");
    assert_eq!(c.section_name_zh(), "制造业");
    assert_eq!(c.with_section(), "C2614");
    assert_eq!(c, code("2614"));
}

#[test]
fn divisions_groups_and_classes_parse() {
    assert_eq!(code("26").code(), "26");
    assert_eq!(code("261").code(), "261");
    assert_eq!(code(" 3360 ").division_name_zh(), "金属制品业");
    assert_eq!(code("C26").section(), 'C');
    let farming = code("A0111");
    assert_eq!((farming.code(), farming.section()), ("0111", 'A'));
    assert_eq!(farming.division_name_zh(), "农业");
    assert_eq!(code("11").division_name_zh(), "开采专业及辅助性活动");
    assert_eq!(code("5941").division_name_zh(), "装卸搬运和仓储业");
    assert_eq!(code("T97").section_name_zh(), "国际组织");
}

#[test]
fn unknown_divisions_are_refused() {
    for s in ["98", "99", "00", "0011", "9801", "C00"] {
        assert_eq!(IndustryCode::parse(s), None, "{s}");
    }
}

#[test]
fn a_section_letter_that_does_not_match_the_division_is_refused() {
    assert_eq!(IndustryCode::parse("A2614"), None);
    assert_eq!(IndustryCode::parse("G2614"), None);
    assert_eq!(IndustryCode::parse("C0111"), None);
}

#[test]
fn malformed_codes_are_refused() {
    let cases = [
        "",
        " ",
        "C",
        "2",
        "C2",
        "26145",
        "C26145",
        "c2614",
        "CC2614",
        "C 2614",
        "26-14",
        "２６１４",
        "2614a",
        "26.1",
    ];
    for s in cases {
        assert_eq!(IndustryCode::parse(s), None, "{s:?}");
    }
}

#[test]
fn a_code_lies_within_its_division_group_and_class_only() {
    let plating = code("3360");
    assert!(plating.is_within("33") && plating.is_within("336") && plating.is_within("3360"));
    assert!(!plating.is_within("3361") && !plating.is_within("32") && !plating.is_within(""));
    assert!(!code("33").is_within("3360"));
}

#[test]
fn industry_codes_cross_the_wire_as_bare_codes() {
    let json = serde_json::to_value(code("C2614")).expect("serialises");
    assert_eq!(json, serde_json::json!("2614"));
    let back: IndustryCode = serde_json::from_value(serde_json::json!("C2614")).expect("parses");
    assert_eq!(back, code("2614"));
    assert!(serde_json::from_value::<IndustryCode>(serde_json::json!("A2614")).is_err());
}
