//! Parsing the rules document: the default, the canonical form and every refusal.

use serde_json::{json, Value};

use super::super::Rules;
use super::{default_rules, document, parsed, rule};

/// The refusal message for `doc`, which must mention every one of `fragments`.
fn refused(doc: &Value, fragments: &[&str]) {
    match Rules::parse(doc) {
        Ok(rules) => panic!("{doc} parsed as {rules:?}"),
        Err(message) => {
            for fragment in fragments {
                assert!(message.contains(fragment), "{message:?} lacks {fragment:?}");
            }
        }
    }
}

fn incidents_rule(id: &str) -> Value {
    rule(id, 10, json!({"incidents_at_least": 1}))
}

/// `document` with one rule, changed by `edit`.
fn with_rule(edit: impl FnOnce(&mut Value)) -> Value {
    let mut r = incidents_rule("edited");
    edit(&mut r);
    document(json!([incidents_rule("first"), r]))
}

#[test]
fn the_default_rules_parse_and_describe_every_rule_in_both_languages() {
    let rules = default_rules();
    assert_eq!(rules.version(), 1);
    let json = rules.to_json();
    let list = json["rules"].as_array().expect("rules");
    assert_eq!(list.len(), 11);
    for r in list {
        let zh = r["description_zh"].as_str().unwrap_or_default();
        let en = r["description_en"].as_str().unwrap_or_default();
        assert!(
            zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{}",
            r["id"]
        );
        assert!(en.len() > 20, "{}", r["id"]);
    }
    assert!(json["description_en"]
        .as_str()
        .unwrap_or_default()
        .contains("not an official"));
}

#[test]
fn the_canonical_json_parses_back_to_equal_rules() {
    let rules = default_rules();
    assert_eq!(parsed(&rules.to_json()), rules);
    let doc = document(json!([{
        "id": "plating", "group": "industry", "description_zh": "电镀", "description_en": "plating",
        "points": 30, "when": {"industry_codes": ["C3360"], "years_operating_at_least": 2},
    }]));
    let canonical = parsed(&doc).to_json();
    assert_eq!(
        canonical["rules"][0]["when"]["industry_codes"],
        json!(["3360"])
    );
    assert_eq!(canonical["rules"][0]["group"], "industry");
    assert_eq!(parsed(&canonical), parsed(&doc));
}

#[test]
fn duplicate_ids_are_refused() {
    let doc = document(json!([
        incidents_rule("a"),
        incidents_rule("b"),
        incidents_rule("a")
    ]));
    refused(
        &doc,
        &[
            "rule \"a\" (rules[2])",
            "field \"id\"",
            "duplicate of rules[0]",
        ],
    );
}

#[test]
fn negative_or_non_integer_points_are_refused() {
    for points in [
        json!(-3),
        json!(1.5),
        json!(40.0),
        json!("10"),
        json!(null),
        json!(1e12),
    ] {
        let doc = with_rule(|r| r["points"] = points.clone());
        refused(
            &doc,
            &[
                "rule \"edited\" (rules[1])",
                "field \"points\"",
                "whole number",
            ],
        );
    }
    let doc = with_rule(|r| drop(r.as_object_mut().map(|o| o.remove("points"))));
    refused(&doc, &["field \"points\"", "missing"]);
}

#[test]
fn levels_must_have_medium_below_high() {
    let with_levels =
        |levels: Value| json!({"version": 1, "levels": levels, "rules": [incidents_rule("a")]});
    refused(
        &with_levels(json!({"high": 30, "medium": 30})),
        &["levels.medium", "below"],
    );
    refused(
        &with_levels(json!({"high": 30, "medium": 60})),
        &["levels.medium", "below"],
    );
    refused(
        &with_levels(json!({"high": 30, "medium": 0})),
        &["levels.medium", "low"],
    );
    refused(
        &with_levels(json!({"high": -1, "medium": 0})),
        &["levels.high"],
    );
    refused(
        &with_levels(json!({"high": 60})),
        &["levels.medium", "missing"],
    );
    refused(
        &with_levels(json!({"high": 60, "medium": 30, "critical": 90})),
        &["levels.critical"],
    );
    refused(
        &with_levels(json!([60, 30])),
        &["field \"levels\"", "object"],
    );
    let ok = parsed(&with_levels(json!({"high": 2, "medium": 1})));
    assert_eq!(ok.version(), 1);
}

#[test]
fn unknown_condition_keys_are_refused() {
    let doc = with_rule(|r| r["when"]["flood_risk"] = json!(true));
    refused(
        &doc,
        &[
            "rule \"edited\"",
            "field \"when.flood_risk\"",
            "unknown condition",
        ],
    );
    let doc = with_rule(|r| r["when"] = json!({"years_operating": 5}));
    refused(
        &doc,
        &["field \"when.years_operating\"", "years_operating_at_least"],
    );
}

#[test]
fn a_rule_without_a_condition_is_refused() {
    refused(
        &with_rule(|r| r["when"] = json!({})),
        &["field \"when\"", "at least one condition"],
    );
    refused(
        &with_rule(|r| r["when"] = json!(null)),
        &["field \"when\"", "object"],
    );
    refused(
        &with_rule(|r| r["when"] = json!([])),
        &["field \"when\"", "object"],
    );
    let doc = with_rule(|r| drop(r.as_object_mut().map(|o| o.remove("when"))));
    refused(
        &doc,
        &["rule \"edited\" (rules[1])", "field \"when\"", "missing"],
    );
}

#[test]
fn condition_values_that_could_never_fire_or_always_fire_are_refused() {
    let cases = [
        (
            json!({"industry_divisions": []}),
            "when.industry_divisions",
            "empty",
        ),
        (
            json!({"industry_divisions": ["98"]}),
            "when.industry_divisions",
            "\"98\"",
        ),
        (
            json!({"industry_divisions": ["2614"]}),
            "when.industry_divisions",
            "\"2614\"",
        ),
        (
            json!({"industry_divisions": "26"}),
            "when.industry_divisions",
            "list",
        ),
        (
            json!({"industry_divisions": [26]}),
            "when.industry_divisions",
            "string",
        ),
        (
            json!({"industry_codes": ["A2614"]}),
            "when.industry_codes",
            "\"A2614\"",
        ),
        (
            json!({"industry_codes": ["33601"]}),
            "when.industry_codes",
            "\"33601\"",
        ),
        (
            json!({"hazardous_substances_any_of": [" "]}),
            "when.hazardous_substances_any_of",
            "blank",
        ),
        (
            json!({"years_operating_at_least": 0}),
            "when.years_operating_at_least",
            "≥ 1",
        ),
        (
            json!({"incidents_at_least": -1}),
            "when.incidents_at_least",
            "≥ 1",
        ),
        (
            json!({"hazardous_substances_at_least": 1.5}),
            "when.hazardous_substances_at_least",
            "1.5",
        ),
    ];
    for (when, field, detail) in cases {
        let doc = with_rule(|r| r["when"] = when.clone());
        refused(
            &doc,
            &["rule \"edited\"", &format!("field \"{field}\""), detail],
        );
    }
}

#[test]
fn malformed_rule_fields_are_refused_by_name() {
    let cases: [(&str, Value, &str); 7] = [
        ("pionts", json!(5), "field \"pionts\""),
        ("id", json!("Bad Id"), "field \"id\""),
        ("id", json!(7), "field \"id\""),
        ("group", json!("Years"), "field \"group\""),
        ("group", json!(""), "field \"group\""),
        ("description_zh", json!("  "), "field \"description_zh\""),
        ("description_en", json!(null), "field \"description_en\""),
    ];
    for (key, value, fragment) in cases {
        refused(
            &with_rule(|r| r[key] = value.clone()),
            &["rules[1]", fragment],
        );
    }
    refused(
        &document(json!([incidents_rule("a"), 5])),
        &["rules[1]", "rule object"],
    );
    let doc = with_rule(|r| drop(r.as_object_mut().map(|o| o.remove("id"))));
    refused(&doc, &["rules[1], field \"id\"", "missing"]);
    // A null group is the same as none.
    parsed(&with_rule(|r| r["group"] = json!(null)));
}

#[test]
fn malformed_documents_are_refused_by_field() {
    refused(&json!([]), &["JSON object"]);
    let mut doc = document(json!([incidents_rule("a")]));
    doc["author"] = json!("someone");
    refused(&doc, &["field \"author\"", "unknown field"]);
    for version in [json!(0), json!(1.0), json!("1"), json!(null)] {
        let mut doc = document(json!([incidents_rule("a")]));
        doc["version"] = version;
        refused(&doc, &["field \"version\""]);
    }
    refused(&document(json!([])), &["field \"rules\"", "no rules"]);
    refused(&document(json!({"a": 1})), &["field \"rules\"", "array"]);
    let mut doc = document(json!([incidents_rule("a")]));
    doc["description_en"] = json!("");
    refused(&doc, &["field \"description_en\""]);
}
