//! Closed-factory former sites (关停退出工业企业原址用地) and their screening ledger (§4b).

use serde_json::{Map, Value};
use time::Date;

use super::enterprise::Uscc;
use super::parcel::FieldError;
use super::site_risk::RiskLevel;

/// A new site, as entered (the footprint is parsed by `gis`).
#[derive(Debug, Clone, PartialEq)]
pub struct SiteInput {
    pub enterprise: Uscc,
    pub name: String,
    pub closure_year: i32,
    pub years_operating: i32,
    pub hazardous_substances: Vec<String>,
    pub incidents: i32,
}

/// One dated update of the screening ledger.
#[derive(Debug, Clone, PartialEq)]
pub struct LedgerEntryInput {
    pub entry_on: Date,
    /// `None`: keep the site's assessed level.
    pub risk_level: Option<RiskLevel>,
    pub current_state: String,
    pub development_use: String,
    pub survey_info: String,
    pub note: Option<String>,
}

fn reject_unknown(m: &Map<String, Value>, known: &[&str]) -> Result<(), FieldError> {
    match m.keys().find(|k| !known.contains(&k.as_str())) {
        Some(k) => Err(FieldError::new(
            k.clone(),
            "unknown_field",
            format!("unknown member '{k}'"),
        )),
        None => Ok(()),
    }
}

fn text(m: &Map<String, Value>, key: &str, max: usize) -> Result<String, FieldError> {
    m.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty() && s.chars().count() <= max)
        .map(str::to_owned)
        .ok_or_else(|| {
            FieldError::new(
                key,
                "invalid_value",
                format!("{key} must be text of 1–{max} characters"),
            )
        })
}

fn whole(
    m: &Map<String, Value>,
    key: &str,
    range: std::ops::RangeInclusive<i64>,
    default: Option<i64>,
) -> Result<i32, FieldError> {
    let v = match m.get(key) {
        None | Some(Value::Null) => default,
        Some(v) => v.as_i64(),
    };
    v.filter(|n| range.contains(n))
        .and_then(|n| i32::try_from(n).ok())
        .ok_or_else(|| {
            FieldError::new(
                key,
                "invalid_value",
                format!(
                    "{key} must be a whole number in {}–{}",
                    range.start(),
                    range.end()
                ),
            )
        })
}

impl SiteInput {
    pub fn parse(m: &Map<String, Value>, today: Date) -> Result<Self, FieldError> {
        reject_unknown(
            m,
            &[
                "enterprise",
                "name",
                "footprint",
                "closure_year",
                "years_operating",
                "hazardous_substances",
                "incidents",
            ],
        )?;
        let uscc = text(m, "enterprise", 40)?;
        let enterprise = Uscc::parse(&uscc).map_err(|e| {
            FieldError::new(
                "enterprise",
                "invalid_uscc",
                format!("{e} ({})", e.message_zh()),
            )
        })?;
        let substances = match m.get("hazardous_substances") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(a)) if a.len() <= 50 => a
                .iter()
                .map(|v| {
                    v.as_str()
                        .map(str::trim)
                        .filter(|s| !s.is_empty() && s.chars().count() <= 100)
                        .map(str::to_owned)
                })
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| {
                    FieldError::new(
                        "hazardous_substances",
                        "invalid_value",
                        "each substance must be a name",
                    )
                })?,
            Some(_) => {
                return Err(FieldError::new(
                    "hazardous_substances",
                    "invalid_value",
                    "hazardous_substances must be a list of names",
                ))
            }
        };
        Ok(SiteInput {
            enterprise,
            name: text(m, "name", 200)?,
            closure_year: whole(m, "closure_year", 1949..=i64::from(today.year()), None)?,
            years_operating: whole(m, "years_operating", 0..=150, None)?,
            hazardous_substances: substances,
            incidents: whole(m, "incidents", 0..=1000, Some(0))?,
        })
    }
}

impl LedgerEntryInput {
    pub fn parse(m: &Map<String, Value>, today: Date) -> Result<Self, FieldError> {
        reject_unknown(
            m,
            &[
                "entry_on",
                "risk_level",
                "current_state",
                "development_use",
                "survey_info",
                "note",
            ],
        )?;
        let entry_on = m
            .get("entry_on")
            .and_then(Value::as_str)
            .and_then(crate::clock::parse_date)
            .ok_or_else(|| {
                FieldError::new(
                    "entry_on",
                    "invalid_date",
                    "entry_on must be a date, YYYY-MM-DD",
                )
            })?;
        if entry_on > today {
            return Err(FieldError::new(
                "entry_on",
                "future_date",
                "a ledger entry cannot be dated in the future",
            ));
        }
        let risk_level = match m.get("risk_level") {
            None | Some(Value::Null) => None,
            Some(v) => Some(serde_json::from_value(v.clone()).map_err(|_| {
                FieldError::new(
                    "risk_level",
                    "invalid_value",
                    "risk_level must be low, medium or high",
                )
            })?),
        };
        let note = match m.get("note") {
            None | Some(Value::Null) => None,
            Some(_) => Some(text(m, "note", 2000)?),
        };
        Ok(LedgerEntryInput {
            entry_on,
            risk_level,
            current_state: text(m, "current_state", 2000)?,
            development_use: text(m, "development_use", 2000)?,
            survey_info: text(m, "survey_info", 2000)?,
            note,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const TODAY: Date = time::macros::date!(2024 - 01 - 01);

    fn obj(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    #[test]
    fn site_fields_are_checked_one_by_one() {
        let first = "91110109MA00ABCD1";
        let uscc = format!("{first}{}", Uscc::check_character(first).expect("check"));
        let ok = json!({"enterprise": uscc, "name": "原电镀厂", "closure_year": 2022, "years_operating": 25,
                        "hazardous_substances": ["六价铬", "镍"], "incidents": 1});
        assert!(SiteInput::parse(&obj(ok.clone()), TODAY).is_ok());
        for (key, bad) in [
            ("closure_year", json!(2030)),
            ("years_operating", json!(-1)),
            ("incidents", json!("many")),
            ("hazardous_substances", json!("六价铬")),
            ("enterprise", json!("123")),
            ("name", json!("")),
        ] {
            let mut v = ok.clone();
            v[key] = bad;
            assert_eq!(
                SiteInput::parse(&obj(v), TODAY).expect_err("invalid").field,
                key
            );
        }
    }

    #[test]
    fn ledger_entries_need_a_past_date_and_all_three_facts() {
        let ok = json!({"entry_on": "2023-05-01", "current_state": "厂房已拆除", "development_use": "规划为居住用地",
                        "survey_info": "尚未开展调查"});
        assert!(LedgerEntryInput::parse(&obj(ok.clone()), TODAY).is_ok());
        for (key, bad) in [
            ("entry_on", json!("2030-01-01")),
            ("survey_info", Value::Null),
            ("risk_level", json!("extreme")),
        ] {
            let mut v = ok.clone();
            v[key] = bad;
            assert_eq!(
                LedgerEntryInput::parse(&obj(v), TODAY)
                    .expect_err("invalid")
                    .field,
                key
            );
        }
    }
}
