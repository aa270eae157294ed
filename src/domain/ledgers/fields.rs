//! Reading the members of a ledger's JSON object into valid values, each failure naming
//! its member. Every date a ledger holds is of something done (installed, started,
//! surveyed, inspected, patrolled, harvested), so none may lie in the future.

use serde_json::{Map, Value};
use time::Date;

use super::kinds::{AntiLeak, AntiLeakMeasure, Metal, Metals};
use crate::clock;
use crate::domain::document::DocumentId;
use crate::domain::enterprise::Uscc;
use crate::domain::parcel::FieldError;
use crate::domain::town::Town;

/// Short text: names, people, products.
const MAX_TEXT: usize = 500;
/// Long text: findings, measures, notes.
const MAX_NOTE: usize = 4000;

/// Members of one JSON object, checked against the ledger's known and read-only names.
pub struct Fields<'a> {
    map: &'a Map<String, Value>,
    today: Date,
}

impl<'a> Fields<'a> {
    /// Refuses a read-only member (`read_only`) and any member not in `known` (`unknown_field`).
    pub fn new(
        map: &'a Map<String, Value>,
        known: &[&str],
        read_only: &[&str],
        today: Date,
    ) -> Result<Self, FieldError> {
        for k in map.keys() {
            if read_only.contains(&k.as_str()) {
                return Err(FieldError::new(
                    k.clone(),
                    "read_only",
                    format!("{k} is derived by the service and cannot be written"),
                ));
            }
            if !known.contains(&k.as_str()) {
                return Err(FieldError::new(
                    k.clone(),
                    "unknown_field",
                    format!("unknown member '{k}'"),
                ));
            }
        }
        Ok(Fields { map, today })
    }

    fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    fn limited(&self, key: &str, max: usize) -> Result<Option<String>, FieldError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(Value::String(s)) if s.trim().chars().count() <= max => {
                Ok(Some(s.trim().to_owned()))
            }
            Some(Value::String(_)) => Err(FieldError::new(
                key,
                "too_long",
                format!("{key} is over {max} characters"),
            )),
            Some(_) => Err(FieldError::new(
                key,
                "invalid_type",
                format!("{key} must be a string"),
            )),
        }
    }

    /// Optional short text; empty counts as absent.
    pub fn opt_text(&self, key: &str) -> Result<Option<String>, FieldError> {
        self.limited(key, MAX_TEXT)
    }

    /// Required short text.
    pub fn text(&self, key: &str) -> Result<String, FieldError> {
        self.opt_text(key)?.ok_or_else(|| required(key))
    }

    /// Optional long text.
    pub fn opt_note(&self, key: &str) -> Result<Option<String>, FieldError> {
        self.limited(key, MAX_NOTE)
    }

    /// Required long text.
    pub fn note(&self, key: &str) -> Result<String, FieldError> {
        self.opt_note(key)?.ok_or_else(|| required(key))
    }

    pub fn opt_bool(&self, key: &str) -> Result<Option<bool>, FieldError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(FieldError::new(
                key,
                "invalid_type",
                format!("{key} must be true or false"),
            )),
        }
    }

    pub fn bool(&self, key: &str) -> Result<bool, FieldError> {
        self.opt_bool(key)?.ok_or_else(|| required(key))
    }

    /// A finite number, at least `min` (exclusive when `strict`).
    pub fn number(&self, key: &str, min: f64, strict: bool) -> Result<f64, FieldError> {
        let n = match self.get(key) {
            None => return Err(required(key)),
            Some(v) => v.as_f64().filter(|n| n.is_finite()).ok_or_else(|| {
                FieldError::new(key, "invalid_type", format!("{key} must be a number"))
            })?,
        };
        if n < min || (strict && n <= min) {
            let bound = if strict { "greater than" } else { "at least" };
            return Err(FieldError::new(
                key,
                "out_of_range",
                format!("{key} must be {bound} {min}, not {n}"),
            ));
        }
        Ok(n)
    }

    /// An optional date, `YYYY-MM-DD`, not after today (Beijing).
    pub fn opt_past_date(&self, key: &str) -> Result<Option<Date>, FieldError> {
        let Some(v) = self.get(key) else {
            return Ok(None);
        };
        let d = v.as_str().and_then(clock::parse_date).ok_or_else(|| {
            FieldError::new(
                key,
                "invalid_date",
                format!("{key} must be a date, YYYY-MM-DD"),
            )
        })?;
        if d > self.today {
            return Err(FieldError::new(
                key,
                "future_date",
                format!("{key} ({d}) is in the future: record it once it is done"),
            ));
        }
        Ok(Some(d))
    }

    pub fn past_date(&self, key: &str) -> Result<Date, FieldError> {
        self.opt_past_date(key)?.ok_or_else(|| required(key))
    }

    /// One value of a closed vocabulary.
    pub fn one_of<T>(
        &self,
        key: &str,
        parse: fn(&str) -> Option<T>,
        names: &str,
    ) -> Result<T, FieldError> {
        let v = self.get(key).ok_or_else(|| required(key))?;
        v.as_str().and_then(parse).ok_or_else(|| {
            FieldError::new(
                key,
                "invalid_value",
                format!("{key} must be one of {names}, not {v}"),
            )
        })
    }

    /// A list of values of a closed vocabulary (absent means empty).
    fn list_of<T>(&self, key: &str, parse: fn(&str) -> Option<T>) -> Result<Vec<T>, FieldError> {
        let items = match self.get(key) {
            None => return Ok(Vec::new()),
            Some(Value::Array(items)) => items,
            Some(_) => {
                return Err(FieldError::new(
                    key,
                    "invalid_type",
                    format!("{key} must be a list"),
                ))
            }
        };
        items
            .iter()
            .map(|v| {
                v.as_str().and_then(parse).ok_or_else(|| {
                    FieldError::new(
                        key,
                        "invalid_value",
                        format!("{key} has an unknown value {v}"),
                    )
                })
            })
            .collect()
    }

    pub fn metals(&self, key: &str) -> Result<Metals, FieldError> {
        self.list_of(key, Metal::parse).map(Metals::new)
    }

    pub fn anti_leak(&self, key: &str) -> Result<AntiLeak, FieldError> {
        let measures = self.list_of(key, AntiLeakMeasure::parse)?;
        AntiLeak::new(measures).ok_or_else(|| {
            FieldError::new(
                key,
                "invalid_value",
                format!(
                    "{key} must list at least one of {}, and 'none' only on its own",
                    AntiLeakMeasure::names()
                ),
            )
        })
    }

    /// An optional unified social credit code, with its check character verified.
    pub fn opt_uscc(&self, key: &str) -> Result<Option<Uscc>, FieldError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Uscc::parse(s)
                .map(Some)
                .map_err(|e| FieldError::new(key, "invalid_uscc", e.to_string())),
            Some(_) => Err(FieldError::new(
                key,
                "invalid_uscc",
                format!("{key} must be an 18-character unified social credit code"),
            )),
        }
    }

    pub fn uscc(&self, key: &str) -> Result<Uscc, FieldError> {
        self.opt_uscc(key)?.ok_or_else(|| required(key))
    }

    pub fn town(&self, key: &str) -> Result<Town, FieldError> {
        let v = self.get(key).ok_or_else(|| required(key))?;
        v.as_str().and_then(Town::parse).ok_or_else(|| {
            FieldError::new(
                key,
                "unknown_town",
                format!("{v} is not one of the 13 town codes"),
            )
        })
    }

    /// An optional document id (lower-case hex SHA-256); whether it is stored is the
    /// database's to say.
    pub fn opt_document(&self, key: &str) -> Result<Option<DocumentId>, FieldError> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => v
                .as_str()
                .and_then(DocumentId::parse)
                .map(Some)
                .ok_or_else(|| {
                    FieldError::new(
                        key,
                        "invalid_document",
                        format!("{key} must be a document id (SHA-256, 64 hex digits)"),
                    )
                }),
        }
    }
}

fn required(key: &str) -> FieldError {
    FieldError::new(key, "required", format!("{key} is required"))
}
