//! An enterprise as officers enter it, parsed field by field.

use serde_json::{Map, Value};
use time::Date;

use super::{EnterpriseStatus, IndustryCode, Uscc};
use crate::domain::parcel::FieldError;

/// A valid enterprise record (the location is parsed by `gis`).
#[derive(Debug, Clone, PartialEq)]
pub struct EnterpriseInput {
    pub uscc: Uscc,
    pub name: String,
    pub industry: IndustryCode,
    pub address: String,
    pub status: EnterpriseStatus,
    pub closed_on: Option<Date>,
}

const FIELDS: [&str; 7] = [
    "uscc",
    "name",
    "industry",
    "address",
    "location",
    "status",
    "closed_on",
];

fn text(m: &Map<String, Value>, key: &str, required: bool) -> Result<Option<String>, FieldError> {
    match m.get(key) {
        Some(Value::String(s)) if !s.trim().is_empty() && s.chars().count() <= 300 => {
            Ok(Some(s.trim().to_owned()))
        }
        None | Some(Value::Null) if !required => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() && !required => Ok(None),
        _ => Err(FieldError::new(
            key,
            "invalid_value",
            format!("{key} must be text of 1–300 characters"),
        )),
    }
}

impl EnterpriseInput {
    /// Parses a JSON object; `today` bounds the closure date.
    pub fn parse(m: &Map<String, Value>, today: Date) -> Result<Self, FieldError> {
        if let Some(k) = m.keys().find(|k| !FIELDS.contains(&k.as_str())) {
            return Err(FieldError::new(
                k.clone(),
                "unknown_field",
                format!("unknown member '{k}'"),
            ));
        }
        let uscc_text = text(m, "uscc", true)?.unwrap_or_default();
        let uscc = Uscc::parse(&uscc_text).map_err(|e| {
            FieldError::new("uscc", "invalid_uscc", format!("{e} ({})", e.message_zh()))
        })?;
        let industry_text = text(m, "industry", true)?.unwrap_or_default();
        let industry = IndustryCode::parse(&industry_text).ok_or_else(|| {
            FieldError::new(
                "industry",
                "unknown_industry",
                format!("'{industry_text}' is not a GB/T 4754-2017 industry code"),
            )
        })?;
        let status = match m.get("status") {
            None | Some(Value::Null) => EnterpriseStatus::Operating,
            Some(v) => serde_json::from_value(v.clone()).map_err(|_| {
                FieldError::new(
                    "status",
                    "invalid_value",
                    "status must be operating, closed or relocated",
                )
            })?,
        };
        let closed_on =
            match m.get("closed_on") {
                None | Some(Value::Null) => None,
                Some(v) => Some(v.as_str().and_then(crate::clock::parse_date).ok_or_else(
                    || {
                        FieldError::new(
                            "closed_on",
                            "invalid_date",
                            "closed_on must be a date, YYYY-MM-DD",
                        )
                    },
                )?),
            };
        match (status, closed_on) {
            (EnterpriseStatus::Operating, Some(_)) => {
                return Err(FieldError::new(
                    "closed_on",
                    "inconsistent",
                    "an operating firm has no closure date",
                ))
            }
            (s, None) if s != EnterpriseStatus::Operating => {
                return Err(FieldError::new(
                    "closed_on",
                    "required",
                    "a closed or relocated firm needs its closure date",
                ))
            }
            (_, Some(d)) if d > today => {
                return Err(FieldError::new(
                    "closed_on",
                    "future_date",
                    "the closure date is in the future",
                ))
            }
            _ => {}
        }
        Ok(EnterpriseInput {
            uscc,
            name: text(m, "name", true)?.unwrap_or_default(),
            industry,
            address: text(m, "address", false)?.unwrap_or_default(),
            status,
            closed_on,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn uscc() -> String {
        let first = "91110109MA00ABCD1";
        format!("{first}{}", Uscc::check_character(first).expect("check"))
    }

    fn parse(v: Value) -> Result<EnterpriseInput, FieldError> {
        let Value::Object(m) = v else {
            panic!("object")
        };
        EnterpriseInput::parse(&m, time::macros::date!(2024 - 01 - 01))
    }

    #[test]
    fn a_closed_firm_needs_a_past_closure_date() {
        let ok = parse(
            json!({"uscc": uscc(), "name": "示例电镀厂", "industry": "C3360", "status": "closed", "closed_on": "2022-06-30"}),
        );
        assert_eq!(ok.expect("valid").industry.code(), "3360");
        let cases = [
            (
                json!({"uscc": uscc(), "name": "x", "industry": "3360", "status": "closed"}),
                "closed_on",
            ),
            (
                json!({"uscc": uscc(), "name": "x", "industry": "3360", "closed_on": "2022-01-01"}),
                "closed_on",
            ),
            (
                json!({"uscc": uscc(), "name": "x", "industry": "3360", "status": "closed", "closed_on": "2030-01-01"}),
                "closed_on",
            ),
            (
                json!({"uscc": uscc().to_lowercase(), "name": "x", "industry": "3360"}),
                "uscc",
            ),
            (
                json!({"uscc": "91110109MA00ABCD1X", "name": "x", "industry": "3360"}),
                "uscc",
            ),
            (
                json!({"uscc": uscc(), "name": "x", "industry": "9999"}),
                "industry",
            ),
            (
                json!({"uscc": uscc(), "name": "x", "industry": "3360", "status": "bankrupt"}),
                "status",
            ),
            (json!({"uscc": uscc(), "industry": "3360"}), "name"),
            (
                json!({"uscc": uscc(), "name": "x", "industry": "3360", "colour": 1}),
                "colour",
            ),
        ];
        for (v, field) in cases {
            assert_eq!(parse(v.clone()).expect_err("invalid").field, field, "{v}");
        }
    }
}
