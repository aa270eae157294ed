//! Screening sites under the default and small hand-made rules.

use serde_json::json;

use super::super::{assess, RiskLevel};
use super::{default_rules, document, facts, reasons, rule, screen};

#[test]
fn an_electroplating_firm_operating_25_years_with_incidents_is_high_with_the_expected_reasons() {
    let rules = default_rules();
    let site = facts("C3360", 25, &[], 1);
    let assessment = assess(&site, &rules);
    assert_eq!(
        reasons(&assessment),
        [
            ("industry_high", 40),
            ("electroplating", 30),
            ("long_operation", 15),
            ("incidents", 25),
        ]
    );
    assert_eq!(assessment.score, 110);
    assert_eq!(assessment.level, RiskLevel::High);
    assert_eq!(assessment.rules_version, 1);
    assert!(assessment.reasons[1].description_zh.contains("电镀"));
    assert!(assessment.reasons[1]
        .description_en
        .contains("electroplating"));
}

#[test]
fn a_three_year_old_warehouse_is_low_with_no_reasons() {
    let rules = default_rules();
    for code in ["59", "G5920"] {
        let assessment = assess(&facts(code, 3, &[], 0), &rules);
        assert_eq!(assessment.level, RiskLevel::Low, "{code}");
        assert_eq!(assessment.score, 0);
        assert!(assessment.reasons.is_empty());
    }
}

#[test]
fn only_the_highest_scoring_rule_of_a_group_counts() {
    let rules = default_rules();
    let long = assess(&facts("34", 25, &[], 0), &rules);
    assert_eq!(reasons(&long), [("long_operation", 15)]);
    let short = assess(&facts("34", 10, &[], 0), &rules);
    assert_eq!(reasons(&short), [("some_operation", 5)]);
    let repeated = assess(&facts("34", 0, &[], 4), &rules);
    assert_eq!(reasons(&repeated), [("repeated_incidents", 35)]);
    assert_eq!(repeated.score, 35);
    // Ferrous smelting is in the medium industry rule only.
    let steel = assess(&facts("3110", 0, &[], 0), &rules);
    assert_eq!(reasons(&steel), [("industry_medium", 20)]);
}

#[test]
fn the_group_winner_is_found_wherever_it_stands_and_ties_go_to_the_earlier_rule() {
    let grouped = |id: &str, group: &str, points, when| {
        let mut r = rule(id, points, when);
        r["group"] = json!(group);
        r
    };
    let doc = document(json!([
        grouped("small", "g", 5, json!({"incidents_at_least": 1})),
        rule("plain", 7, json!({"incidents_at_least": 1})),
        grouped("big", "g", 9, json!({"incidents_at_least": 1})),
        grouped(
            "bigger_but_silent",
            "g",
            50,
            json!({"incidents_at_least": 5})
        ),
        grouped("tie_first", "h", 4, json!({"years_operating_at_least": 1})),
        grouped("tie_second", "h", 4, json!({"years_operating_at_least": 1})),
    ]));
    let assessment = screen(&doc, &facts("34", 1, &[], 1));
    assert_eq!(
        reasons(&assessment),
        [("plain", 7), ("big", 9), ("tie_first", 4)]
    );
    assert_eq!(assessment.score, 20);
    assert_eq!(assessment.rules_version, 7);
}

#[test]
fn ungrouped_rules_all_count_and_the_score_is_the_sum_of_the_reasons() {
    let site = facts("2614", 30, &["苯", "Cd", "汞", "铅", "砷"], 2);
    let assessment = assess(&site, &default_rules());
    assert_eq!(
        reasons(&assessment),
        [
            ("industry_high", 40),
            ("long_operation", 15),
            ("many_hazardous_substances", 30),
            ("heavy_metals", 15),
            ("incidents", 25),
        ]
    );
    let sum: i32 = assessment.reasons.iter().map(|r| r.points).sum();
    assert_eq!(assessment.score, sum);
    assert_eq!(sum, 125);
}

#[test]
fn levels_change_exactly_at_the_thresholds() {
    let doc = document(json!([
        rule("a", 29, json!({"incidents_at_least": 1})),
        rule("b", 1, json!({"incidents_at_least": 2})),
        rule("c", 29, json!({"incidents_at_least": 3})),
        rule("d", 1, json!({"incidents_at_least": 4})),
    ]));
    let expected = [
        (0, 0, RiskLevel::Low),
        (1, 29, RiskLevel::Low),
        (2, 30, RiskLevel::Medium),
        (3, 59, RiskLevel::Medium),
        (4, 60, RiskLevel::High),
    ];
    for (incidents, score, level) in expected {
        let assessment = screen(&doc, &facts("34", 0, &[], incidents));
        assert_eq!(
            (assessment.score, assessment.level),
            (score, level),
            "{incidents}"
        );
    }
}

#[test]
fn conditions_hold_exactly_from_their_thresholds() {
    let rules = default_rules();
    let ids = |years, substances: &[&str], incidents| {
        let assessment = assess(&facts("34", years, substances, incidents), &rules);
        reasons(&assessment)
            .iter()
            .map(|(id, _)| (*id).to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(4, &[], 0), Vec::<String>::new());
    assert_eq!(ids(5, &[], 0), ["some_operation"]);
    assert_eq!(ids(19, &[], 0), ["some_operation"]);
    assert_eq!(ids(20, &[], 0), ["long_operation"]);
    assert_eq!(ids(0, &["a", "b", "c", "d"], 0), ["hazardous_substances"]);
    assert_eq!(
        ids(0, &["a", "b", "c", "d", "e"], 0),
        ["many_hazardous_substances"]
    );
    assert_eq!(ids(0, &[], 2), ["incidents"]);
    assert_eq!(ids(0, &[], 3), ["repeated_incidents"]);
}

#[test]
fn substances_are_counted_once_each_ignoring_case_and_blanks() {
    let rules = default_rules();
    let site = facts("34", 0, &["Cd", "cd ", " ", "", "CD", "镉"], 0);
    let assessment = assess(&site, &rules);
    assert_eq!(
        reasons(&assessment),
        [("hazardous_substances", 20), ("heavy_metals", 15)]
    );
    let five = facts("34", 0, &["x", "X", "y", "z", "w"], 0);
    assert_eq!(
        reasons(&assess(&five, &rules)),
        [("hazardous_substances", 20)]
    );
}

#[test]
fn heavy_metals_match_whole_names_ignoring_case() {
    let rules = default_rules();
    let fired = |name: &str| {
        assess(&facts("34", 0, &[name], 0), &rules)
            .reasons
            .iter()
            .any(|r| r.rule == "heavy_metals")
    };
    assert!(fired("cr(vi)") && fired(" Mercury ") && fired("六价铬") && fired("PB"));
    assert!(!fired("六价铬化合物") && !fired("苯") && !fired("lead-free paint"));
}

#[test]
fn industry_codes_cover_the_groups_and_classes_within_them() {
    let rules = default_rules();
    let storage = |code: &str| {
        assess(&facts(code, 0, &[], 0), &rules)
            .reasons
            .iter()
            .any(|r| r.rule == "fuel_and_dangerous_goods_storage")
    };
    assert!(storage("5941") && storage("594") && storage("G5942") && storage("F5265"));
    assert!(!storage("59") && !storage("5920") && !storage("526") && !storage("5266"));
}

#[test]
fn an_assessment_serialises_with_snake_case_level_and_reasons() {
    let assessment = assess(&facts("3360", 25, &[], 1), &default_rules());
    let json = serde_json::to_value(&assessment).expect("serialises");
    assert_eq!(json["level"], "high");
    assert_eq!(json["score"], 110);
    assert_eq!(json["rules_version"], 1);
    assert_eq!(json["reasons"][0]["rule"], "industry_high");
    assert_eq!(json["reasons"][0]["points"], 40);
    assert!(json["reasons"][0]["description_en"].is_string());
}

#[test]
fn risk_levels_are_ordered_and_named_in_snake_case() {
    assert!(RiskLevel::Low < RiskLevel::Medium && RiskLevel::Medium < RiskLevel::High);
    for level in [RiskLevel::Low, RiskLevel::Medium, RiskLevel::High] {
        let json = serde_json::to_value(level).expect("serialises");
        assert_eq!(json, json!(level.as_str()));
        assert_eq!(
            serde_json::from_value::<RiskLevel>(json).expect("parses"),
            level
        );
    }
    assert_eq!(RiskLevel::High.label_zh(), "高");
}
