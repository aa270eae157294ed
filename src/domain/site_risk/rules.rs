//! The scoring rules document: strict parsing and its canonical JSON form.

use serde_json::{json, Map, Value};

use super::conditions::{Condition, CONDITION_KEYS};
use super::{RiskLevel, SiteFacts};

/// The default document, kept with the demo fixtures.
const DEFAULT_RULES: &str = include_str!("../../../fixtures/site-scoring.json");

const DOCUMENT_KEYS: [&str; 5] = [
    "version",
    "description_zh",
    "description_en",
    "levels",
    "rules",
];
const LEVEL_KEYS: [&str; 2] = ["high", "medium"];
const RULE_KEYS: [&str; 6] = [
    "id",
    "group",
    "description_zh",
    "description_en",
    "points",
    "when",
];

/// A parsed, valid scoring document; see the module docs for its JSON shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rules {
    version: i64,
    description_zh: Option<String>,
    description_en: Option<String>,
    high: i32,
    medium: i32,
    rules: Vec<Rule>,
}

/// One rule: points awarded when every condition holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Rule {
    pub(super) id: String,
    pub(super) group: Option<String>,
    pub(super) description_zh: String,
    pub(super) description_en: String,
    pub(super) points: i32,
    when: Vec<Condition>,
}

impl Rules {
    /// Parses and checks a scoring document. The error names the offending
    /// rule (by id and index) and field, e.g.
    /// `rule "incidents" (rules[5]), field "points": must be a whole number ≥ 0, found -3`.
    pub fn parse(json: &Value) -> Result<Rules, String> {
        let doc = json
            .as_object()
            .ok_or("the scoring rules must be a JSON object")?;
        let field = |name: &str, message: String| format!("field \"{name}\": {message}");
        unknown_key(doc, &DOCUMENT_KEYS).map_err(|(key, m)| field(&key, m))?;
        let version = whole(doc.get("version"), 1, i64::MAX).map_err(|m| field("version", m))?;
        let description_zh =
            optional_text(doc.get("description_zh")).map_err(|m| field("description_zh", m))?;
        let description_en =
            optional_text(doc.get("description_en")).map_err(|m| field("description_en", m))?;

        let levels = object(doc.get("levels")).map_err(|m| field("levels", m))?;
        unknown_key(levels, &LEVEL_KEYS).map_err(|(key, m)| field(&format!("levels.{key}"), m))?;
        let high = points(levels.get("high")).map_err(|m| field("levels.high", m))?;
        let medium = points(levels.get("medium")).map_err(|m| field("levels.medium", m))?;
        if medium == 0 {
            let m = "must be at least 1, or no site could be low".to_owned();
            return Err(field("levels.medium", m));
        }
        if medium >= high {
            let m = format!("must be below levels.high ({high}), found {medium}");
            return Err(field("levels.medium", m));
        }

        let list = match doc.get("rules") {
            Some(Value::Array(list)) if !list.is_empty() => list,
            Some(Value::Array(_)) => return Err(field("rules", "no rules are given".to_owned())),
            other => return Err(field("rules", expected("an array of rules", other))),
        };
        let mut rules: Vec<Rule> = Vec::with_capacity(list.len());
        for (index, value) in list.iter().enumerate() {
            let at = match value.get("id").and_then(Value::as_str) {
                Some(id) => format!("rule \"{id}\" (rules[{index}])"),
                None => format!("rules[{index}]"),
            };
            let rule = Rule::parse(value).map_err(|m| format!("{at}, {m}"))?;
            if let Some(first) = rules.iter().position(|r| r.id == rule.id) {
                return Err(format!("{at}, field \"id\": duplicate of rules[{first}]"));
            }
            rules.push(rule);
        }
        Ok(Rules {
            version,
            description_zh,
            description_en,
            high,
            medium,
            rules,
        })
    }

    /// The default rules, `fixtures/site-scoring.json`, built into the binary.
    pub fn default_rules() -> Result<Rules, String> {
        let json: Value = serde_json::from_str(DEFAULT_RULES)
            .map_err(|e| format!("fixtures/site-scoring.json is not JSON: {e}"))?;
        Rules::parse(&json).map_err(|e| format!("fixtures/site-scoring.json: {e}"))
    }

    /// The canonical document: parsing it again gives equal rules. Industry
    /// codes lose their section letters; conditions come in a fixed order.
    pub fn to_json(&self) -> Value {
        let mut doc = Map::new();
        doc.insert("version".to_owned(), json!(self.version));
        if let Some(text) = &self.description_zh {
            doc.insert("description_zh".to_owned(), json!(text));
        }
        if let Some(text) = &self.description_en {
            doc.insert("description_en".to_owned(), json!(text));
        }
        doc.insert(
            "levels".to_owned(),
            json!({"high": self.high, "medium": self.medium}),
        );
        let rules = self.rules.iter().map(Rule::to_json).collect();
        doc.insert("rules".to_owned(), Value::Array(rules));
        Value::Object(doc)
    }

    /// The document's version, recorded with each assessment.
    pub fn version(&self) -> i64 {
        self.version
    }

    /// The level a score falls in.
    pub fn level_for(&self, score: i32) -> RiskLevel {
        if score >= self.high {
            RiskLevel::High
        } else if score >= self.medium {
            RiskLevel::Medium
        } else {
            RiskLevel::Low
        }
    }

    pub(super) fn rules(&self) -> &[Rule] {
        &self.rules
    }
}

impl Rule {
    /// Parses one rule; the error starts with the field, the caller adds the rule.
    fn parse(value: &Value) -> Result<Rule, String> {
        let field = |name: &str, message: String| format!("field \"{name}\": {message}");
        let rule = value
            .as_object()
            .ok_or_else(|| expected("a rule object", Some(value)))?;
        unknown_key(rule, &RULE_KEYS).map_err(|(key, m)| field(&key, m))?;
        let id = identifier(rule.get("id")).map_err(|m| field("id", m))?;
        let group = match rule.get("group") {
            None | Some(Value::Null) => None,
            some => Some(identifier(some).map_err(|m| field("group", m))?),
        };
        let description_zh =
            text(rule.get("description_zh")).map_err(|m| field("description_zh", m))?;
        let description_en =
            text(rule.get("description_en")).map_err(|m| field("description_en", m))?;
        let points = points(rule.get("points")).map_err(|m| field("points", m))?;
        let when = object(rule.get("when")).map_err(|m| field("when", m))?;
        if when.is_empty() {
            return Err(field(
                "when",
                "a rule needs at least one condition".to_owned(),
            ));
        }
        let mut when = when
            .iter()
            .map(|(key, value)| {
                Condition::parse(key, value).map_err(|m| field(&format!("when.{key}"), m))
            })
            .collect::<Result<Vec<_>, _>>()?;
        // One canonical order, whatever order the object's keys came in.
        when.sort_by_key(|c| CONDITION_KEYS.iter().position(|k| *k == c.key()));
        Ok(Rule {
            id,
            group,
            description_zh,
            description_en,
            points,
            when,
        })
    }

    fn to_json(&self) -> Value {
        let mut rule = Map::new();
        rule.insert("id".to_owned(), json!(self.id));
        if let Some(group) = &self.group {
            rule.insert("group".to_owned(), json!(group));
        }
        rule.insert("description_zh".to_owned(), json!(self.description_zh));
        rule.insert("description_en".to_owned(), json!(self.description_en));
        rule.insert("points".to_owned(), json!(self.points));
        let when = self.when.iter().map(|c| (c.key().to_owned(), c.to_json()));
        rule.insert("when".to_owned(), Value::Object(when.collect()));
        Value::Object(rule)
    }

    /// Whether every condition holds for the site.
    pub(super) fn holds(&self, facts: &SiteFacts) -> bool {
        self.when.iter().all(|c| c.holds(facts))
    }
}

/// The first key of `object` that is not in `known`, with a message.
fn unknown_key(object: &Map<String, Value>, known: &[&str]) -> Result<(), (String, String)> {
    match object.keys().find(|key| !known.contains(&key.as_str())) {
        None => Ok(()),
        Some(key) => Err((
            key.clone(),
            format!("unknown field; known fields are {}", known.join(", ")),
        )),
    }
}

pub(super) fn expected(what: &str, found: Option<&Value>) -> String {
    match found {
        None => format!("missing; expected {what}"),
        Some(value) => format!("expected {what}, found {value}"),
    }
}

fn object(value: Option<&Value>) -> Result<&Map<String, Value>, String> {
    value
        .and_then(Value::as_object)
        .ok_or_else(|| expected("an object", value))
}

/// A JSON integer (not a float such as `40.0`) within `min..=max`.
pub(super) fn whole(value: Option<&Value>, min: i64, max: i64) -> Result<i64, String> {
    value
        .and_then(Value::as_i64)
        .filter(|n| (min..=max).contains(n))
        .ok_or_else(|| expected(&format!("a whole number ≥ {min}"), value))
}

/// Points and level thresholds: whole numbers from 0 up to `i32::MAX`.
fn points(value: Option<&Value>) -> Result<i32, String> {
    let n = whole(value, 0, i64::from(i32::MAX))?;
    i32::try_from(n).map_err(|e| e.to_string())
}

fn text(value: Option<&Value>) -> Result<String, String> {
    match value {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.clone()),
        other => Err(expected("a non-blank string", other)),
    }
}

fn optional_text(value: Option<&Value>) -> Result<Option<String>, String> {
    value.map(|v| text(Some(v))).transpose()
}

fn identifier(value: Option<&Value>) -> Result<String, String> {
    let ok = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    };
    match value {
        Some(Value::String(s)) if ok(s) => Ok(s.clone()),
        other => Err(expected("lower-case ASCII letters, digits and '_'", other)),
    }
}
