//! Tests of site-risk screening. Expected scores and reasons are worked out
//! by hand from the rules, never computed by the code under test.

mod assess;
mod parse;

use serde_json::{json, Value};

use super::{assess, Assessment, IndustryCode, Rules, SiteFacts};

fn facts(industry: &str, years_operating: u32, substances: &[&str], incidents: u32) -> SiteFacts {
    SiteFacts {
        industry: IndustryCode::parse(industry).expect("valid industry code"),
        years_operating,
        hazardous_substances: substances.iter().map(|s| (*s).to_owned()).collect(),
        incidents,
    }
}

fn default_rules() -> Rules {
    Rules::default_rules().expect("the default rules parse")
}

/// The ids and points of the reasons, in order.
fn reasons(assessment: &Assessment) -> Vec<(&str, i32)> {
    assessment
        .reasons
        .iter()
        .map(|r| (r.rule.as_str(), r.points))
        .collect()
}

/// A small valid document around `rules`, with levels 60 / 30 and version 7.
fn document(rules: Value) -> Value {
    json!({"version": 7, "levels": {"high": 60, "medium": 30}, "rules": rules})
}

/// A valid rule with the given id, points and conditions.
fn rule(id: &str, points: i64, when: Value) -> Value {
    json!({
        "id": id,
        "description_zh": "测试规则",
        "description_en": "a test rule",
        "points": points,
        "when": when,
    })
}

fn parsed(doc: &Value) -> Rules {
    Rules::parse(doc).unwrap_or_else(|e| panic!("{doc} should parse: {e}"))
}

fn screen(doc: &Value, facts: &SiteFacts) -> Assessment {
    assess(facts, &parsed(doc))
}
