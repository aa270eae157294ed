//! The parcel register's types: what a parcel is, parsed so that only valid values exist.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::land_use::LandUse;
pub use super::lifecycle::LandRight;
use super::town::Town;

/// An input field that failed to parse: which field, a stable code and a sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldError {
    pub field: String,
    pub code: &'static str,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: &'static str, message: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            code,
            message: message.into(),
        }
    }
}

/// 地块编码: 1–40 characters of ASCII letters, digits, `-`, `_` and `.`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct ParcelCode(String);

impl ParcelCode {
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        let s = s.trim();
        let ok = !s.is_empty()
            && s.len() <= 40
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if ok {
            Ok(ParcelCode(s.to_owned()))
        } else {
            Err(FieldError::new(
                "code",
                "invalid_code",
                "parcel code must be 1–40 ASCII letters, digits, '-', '_' or '.'",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Soil-pollution risk level as currently assessed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, sqlx::Type)]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "soil_risk", rename_all = "snake_case")]
pub enum Risk {
    Unknown,
    Low,
    Medium,
    High,
}

impl Risk {
    pub fn as_str(self) -> &'static str {
        match self {
            Risk::Unknown => "unknown",
            Risk::Low => "low",
            Risk::Medium => "medium",
            Risk::High => "high",
        }
    }
}

/// Attributes of a parcel, all valid.
#[derive(Debug, Clone, PartialEq)]
pub struct Attributes {
    pub name: String,
    pub town: Town,
    pub address: String,
    pub current_use: Option<LandUse>,
    pub planned_use: Option<LandUse>,
    pub land_right: LandRight,
    pub right_holder: Option<String>,
    pub responsible_party: Option<String>,
    pub risk: Risk,
}

/// A new parcel: its code and attributes (the boundary is parsed by `gis`).
#[derive(Debug, Clone, PartialEq)]
pub struct NewParcel {
    pub code: ParcelCode,
    pub attributes: Attributes,
}

const MAX_TEXT: usize = 500;

impl NewParcel {
    /// Parses the `properties` of a GeoJSON Feature.
    pub fn parse(props: &Map<String, Value>) -> Result<Self, FieldError> {
        reject_unknown(props, &["code"])?;
        let code = match props.get("code") {
            Some(Value::String(s)) => ParcelCode::parse(s)?,
            _ => {
                return Err(FieldError::new(
                    "code",
                    "required",
                    "properties.code is required",
                ))
            }
        };
        let name = required_text(props, "name")?;
        let town = match props.get("town") {
            Some(Value::String(s)) => parse_town(s)?,
            _ => {
                return Err(FieldError::new(
                    "town",
                    "required",
                    "properties.town is required",
                ))
            }
        };
        let attributes = Attributes {
            name,
            town,
            address: optional_text(props, "address")?.unwrap_or_default(),
            current_use: optional_use(props, "current_use")?,
            planned_use: optional_use(props, "planned_use")?,
            land_right: optional_enum(props, "land_right")?.unwrap_or(LandRight::InUse),
            right_holder: optional_text(props, "right_holder")?,
            responsible_party: optional_text(props, "responsible_party")?,
            risk: optional_enum(props, "risk")?.unwrap_or(Risk::Unknown),
        };
        Ok(NewParcel { code, attributes })
    }
}

impl Attributes {
    /// Applies a JSON merge patch of properties: absent keys stay, `null` clears an optional field.
    pub fn patched(&self, props: &Map<String, Value>) -> Result<Self, FieldError> {
        reject_unknown(props, &[])?;
        if props.contains_key("code") {
            return Err(FieldError::new(
                "code",
                "immutable",
                "a parcel's code cannot be changed",
            ));
        }
        let mut next = self.clone();
        if props.contains_key("name") {
            next.name = required_text(props, "name")?;
        }
        if let Some(v) = props.get("town") {
            next.town = match v {
                Value::String(s) => parse_town(s)?,
                _ => {
                    return Err(FieldError::new(
                        "town",
                        "required",
                        "town cannot be cleared",
                    ))
                }
            };
        }
        if props.contains_key("address") {
            next.address = optional_text(props, "address")?.unwrap_or_default();
        }
        if props.contains_key("current_use") {
            next.current_use = optional_use(props, "current_use")?;
        }
        if props.contains_key("planned_use") {
            next.planned_use = optional_use(props, "planned_use")?;
        }
        if props.contains_key("land_right") {
            next.land_right = optional_enum(props, "land_right")?.unwrap_or(LandRight::InUse);
        }
        if props.contains_key("right_holder") {
            next.right_holder = optional_text(props, "right_holder")?;
        }
        if props.contains_key("responsible_party") {
            next.responsible_party = optional_text(props, "responsible_party")?;
        }
        if props.contains_key("risk") {
            next.risk = optional_enum(props, "risk")?.unwrap_or(Risk::Unknown);
        }
        Ok(next)
    }
}

/// The attributes a parcel's properties may set (besides its code).
pub(crate) const KNOWN: [&str; 9] = [
    "name",
    "town",
    "address",
    "current_use",
    "planned_use",
    "land_right",
    "right_holder",
    "responsible_party",
    "risk",
];

/// Output-only properties a client may echo back; they are ignored.
const READ_ONLY: [&str; 7] = [
    "gb36600_class",
    "area_m2",
    "version",
    "created_at",
    "updated_at",
    "stage",
    "retired",
];

fn reject_unknown(props: &Map<String, Value>, extra: &[&str]) -> Result<(), FieldError> {
    match props.keys().find(|k| {
        let k = k.as_str();
        !KNOWN.contains(&k) && !READ_ONLY.contains(&k) && !extra.contains(&k) && k != "code"
    }) {
        Some(k) => Err(FieldError::new(
            k.clone(),
            "unknown_field",
            format!("unknown property '{k}'"),
        )),
        None => Ok(()),
    }
}

fn parse_town(s: &str) -> Result<Town, FieldError> {
    Town::parse(s).ok_or_else(|| {
        FieldError::new(
            "town",
            "unknown_town",
            format!("'{s}' is not one of the 13 town codes"),
        )
    })
}

fn required_text(props: &Map<String, Value>, field: &str) -> Result<String, FieldError> {
    match optional_text(props, field)? {
        Some(s) => Ok(s),
        None => Err(FieldError::new(
            field,
            "required",
            format!("{field} is required"),
        )),
    }
}

fn optional_text(props: &Map<String, Value>, field: &str) -> Result<Option<String>, FieldError> {
    match props.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => {
            let s = s.trim();
            if s.chars().count() > MAX_TEXT {
                Err(FieldError::new(
                    field,
                    "too_long",
                    format!("{field} is over {MAX_TEXT} characters"),
                ))
            } else if s.is_empty() {
                Ok(None)
            } else {
                Ok(Some(s.to_owned()))
            }
        }
        Some(_) => Err(FieldError::new(
            field,
            "invalid_type",
            format!("{field} must be a string"),
        )),
    }
}

fn optional_use(props: &Map<String, Value>, field: &str) -> Result<Option<LandUse>, FieldError> {
    match optional_text(props, field)? {
        None => Ok(None),
        Some(s) => LandUse::parse(&s).map(Some).ok_or_else(|| {
            FieldError::new(
                field,
                "unknown_land_use",
                format!("'{s}' is not a code of the 用地用海 classification"),
            )
        }),
    }
}

fn optional_enum<T: serde::de::DeserializeOwned>(
    props: &Map<String, Value>,
    field: &str,
) -> Result<Option<T>, FieldError> {
    match props.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => serde_json::from_value(v.clone()).map(Some).map_err(|_| {
            FieldError::new(
                field,
                "invalid_value",
                format!("{field} has an unknown value: {v}"),
            )
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn props(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    #[test]
    fn a_minimal_parcel_gets_defaults() {
        let p = NewParcel::parse(&props(
            json!({"code": "A-1", "name": "x", "town": "110109007"}),
        ))
        .expect("valid");
        assert_eq!(p.attributes.risk, Risk::Unknown);
        assert_eq!(p.attributes.land_right, LandRight::InUse);
        assert_eq!(p.attributes.planned_use, None);
    }

    #[test]
    fn each_bad_field_is_named() {
        let cases = [
            (json!({"name": "x", "town": "110109007"}), "code"),
            (
                json!({"code": "a b", "name": "x", "town": "110109007"}),
                "code",
            ),
            (json!({"code": "A", "town": "110109007"}), "name"),
            (json!({"code": "A", "name": "x", "town": "999"}), "town"),
            (
                json!({"code": "A", "name": "x", "town": "110109007", "planned_use": "R2"}),
                "planned_use",
            ),
            (
                json!({"code": "A", "name": "x", "town": "110109007", "risk": "severe"}),
                "risk",
            ),
            (
                json!({"code": "A", "name": "x", "town": "110109007", "land_right": 3}),
                "land_right",
            ),
            (
                json!({"code": "A", "name": "x", "town": "110109007", "colour": "red"}),
                "colour",
            ),
        ];
        for (v, field) in cases {
            let err = NewParcel::parse(&props(v.clone())).expect_err("invalid");
            assert_eq!(err.field, field, "{v}");
        }
    }

    #[test]
    fn patch_keeps_absent_fields_and_clears_nulls() {
        let p = NewParcel::parse(&props(json!({
            "code": "A", "name": "x", "town": "110109007", "right_holder": "甲公司", "planned_use": "0701"
        })))
        .expect("valid");
        let next = p
            .attributes
            .patched(&props(json!({"right_holder": null, "risk": "high"})))
            .expect("valid patch");
        assert_eq!(next.right_holder, None);
        assert_eq!(next.risk, Risk::High);
        assert_eq!(next.planned_use, p.attributes.planned_use);
        assert!(p.attributes.patched(&props(json!({"code": "B"}))).is_err());
    }
}
