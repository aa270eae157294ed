//! Typed events and their wire form: a kind string plus a JSON payload.

use super::Gb36600Class;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use time::Date;

use super::kind::EventKind;
use super::state::iso_date;

/// A closed set of payload values with fixed `snake_case` wire names.
macro_rules! wire_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $wire:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $wire)] $variant),+
        }

        impl $name {
            pub const NAMES: &'static [&'static str] = &[$($wire),+];

            #[must_use]
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $wire),+
                }
            }

            #[must_use]
            pub fn parse(s: &str) -> Option<Self> {
                match s {
                    $($wire => Some($name::$variant),)+
                    _ => None,
                }
            }
        }
    };
}

wire_enum! {
    /// Phase 1 (records, interviews, site visit): no plausible source, or sampling needed.
    Phase1Outcome { Cleared => "cleared", Phase2Needed => "phase2_needed" }
}
wire_enum! {
    /// Phase 2 (sampling): all values within GB 36600 screening values, or some above.
    Phase2Outcome { Cleared => "cleared", Contaminated => "contaminated" }
}
wire_enum! {
    /// Risk assessment (HJ 25.3) as reviewed by the provincial authority.
    RiskOutcome { Acceptable => "acceptable", ControlNeeded => "control_needed" }
}
wire_enum! {
    /// Which plan was filed: risk control (Art 62) or remediation (Art 64).
    PlanKind { Control => "control", Remediation => "remediation" }
}

/// A typed event: its kind and a validated payload.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    SuspicionRaised {
        reason: String,
    },
    SurveyStarted,
    Phase1Concluded {
        outcome: Phase1Outcome,
    },
    Phase2Concluded {
        outcome: Phase2Outcome,
        /// JSON list of exceedance records, as reported; `[]` when none given.
        exceedances: Value,
        /// The GB 36600 class whose values the conclusion rests on, when stated.
        class: Option<Gb36600Class>,
    },
    RiskAssessed {
        outcome: RiskOutcome,
    },
    Listed,
    PlanFiled {
        plan: PlanKind,
    },
    WorksStarted,
    /// Contaminated soil moved off site, with the committed disposal deadline (§4e).
    SoilTransportDeclared {
        quantity_m3: f64,
        destination: String,
        deadline: Date,
    },
    WorksFinished,
    EffectEvaluated {
        evaluator: String,
        contractor: String,
    },
    Delisted,
    PostManagement,
    /// `planned_on`: when the withdrawal is scheduled, if known (the survey is due before it, §4a).
    WithdrawalPlanned {
        planned_on: Option<Date>,
    },
    RightWithdrawn,
    /// `planned_on`: when the transfer is scheduled, if known.
    TransferPlanned {
        planned_on: Option<Date>,
    },
    RightTransferred,
    IndicatorsFixed,
    LandSupplied,
    PlanningPermit,
    ConstructionPermit,
    ConstructionStarted,
    /// Voids an earlier event of the same parcel, by id.
    Correction {
        voids: i64,
    },
}

/// A wire payload that does not make a valid event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PayloadError {
    /// `kind`, `payload`, or `payload.<field>`.
    pub field: String,
    pub message: String,
}

impl PayloadError {
    fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        PayloadError {
            field: field.into(),
            message: message.into(),
        }
    }

    fn at(name: &str, message: impl Into<String>) -> Self {
        Self::new(format!("payload.{name}"), message)
    }
}

impl std::fmt::Display for PayloadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for PayloadError {}

impl Event {
    #[must_use]
    pub fn kind(&self) -> EventKind {
        match self {
            Event::SuspicionRaised { .. } => EventKind::SuspicionRaised,
            Event::SurveyStarted => EventKind::SurveyStarted,
            Event::Phase1Concluded { .. } => EventKind::Phase1Concluded,
            Event::Phase2Concluded { .. } => EventKind::Phase2Concluded,
            Event::RiskAssessed { .. } => EventKind::RiskAssessed,
            Event::Listed => EventKind::Listed,
            Event::PlanFiled { .. } => EventKind::PlanFiled,
            Event::WorksStarted => EventKind::WorksStarted,
            Event::SoilTransportDeclared { .. } => EventKind::SoilTransportDeclared,
            Event::WorksFinished => EventKind::WorksFinished,
            Event::EffectEvaluated { .. } => EventKind::EffectEvaluated,
            Event::Delisted => EventKind::Delisted,
            Event::PostManagement => EventKind::PostManagement,
            Event::WithdrawalPlanned { .. } => EventKind::WithdrawalPlanned,
            Event::RightWithdrawn => EventKind::RightWithdrawn,
            Event::TransferPlanned { .. } => EventKind::TransferPlanned,
            Event::RightTransferred => EventKind::RightTransferred,
            Event::IndicatorsFixed => EventKind::IndicatorsFixed,
            Event::LandSupplied => EventKind::LandSupplied,
            Event::PlanningPermit => EventKind::PlanningPermit,
            Event::ConstructionPermit => EventKind::ConstructionPermit,
            Event::ConstructionStarted => EventKind::ConstructionStarted,
            Event::Correction { .. } => EventKind::Correction,
        }
    }

    /// Parses the wire form. A null payload is read as `{}`; fields the kind
    /// does not define are refused, so a misspelt optional field is not lost.
    /// Strings are trimmed and must not be blank.
    ///
    /// # Errors
    /// [`PayloadError`] naming `kind`, `payload` or the offending `payload.<field>`.
    pub fn parse(kind: &str, payload: &Value, occurred_on: Date) -> Result<Event, PayloadError> {
        let kind = EventKind::parse(kind)
            .ok_or_else(|| PayloadError::new("kind", format!("unknown event kind \"{kind}\"")))?;
        let empty = Map::new();
        let map = match payload {
            Value::Null => &empty,
            Value::Object(map) => map,
            _ => {
                return Err(PayloadError::new(
                    "payload",
                    "must be a JSON object or null",
                ))
            }
        };
        let allowed = field_names(kind);
        if let Some(unknown) = map.keys().find(|key| !allowed.contains(&key.as_str())) {
            let expected = if allowed.is_empty() {
                "none".to_owned()
            } else {
                allowed.join(", ")
            };
            return Err(PayloadError::at(
                unknown,
                format!("is not a field of {kind} (expected: {expected})"),
            ));
        }
        let fields = Fields(map);
        let event = match kind {
            EventKind::SuspicionRaised => Event::SuspicionRaised {
                reason: fields.text("reason")?,
            },
            EventKind::SurveyStarted => Event::SurveyStarted,
            EventKind::Phase1Concluded => Event::Phase1Concluded {
                outcome: fields.choice("outcome", Phase1Outcome::parse, Phase1Outcome::NAMES)?,
            },
            EventKind::Phase2Concluded => Event::Phase2Concluded {
                outcome: fields.choice("outcome", Phase2Outcome::parse, Phase2Outcome::NAMES)?,
                exceedances: fields.list("exceedances")?,
                class: fields.class("class")?,
            },
            EventKind::RiskAssessed => Event::RiskAssessed {
                outcome: fields.choice("outcome", RiskOutcome::parse, RiskOutcome::NAMES)?,
            },
            EventKind::Listed => Event::Listed,
            EventKind::PlanFiled => Event::PlanFiled {
                plan: fields.choice("plan", PlanKind::parse, PlanKind::NAMES)?,
            },
            EventKind::WorksStarted => Event::WorksStarted,
            EventKind::SoilTransportDeclared => {
                let quantity_m3 = fields.positive("quantity_m3")?;
                let destination = fields.text("destination")?;
                let deadline = fields.date("deadline")?;
                if deadline < occurred_on {
                    return Err(PayloadError::at(
                        "deadline",
                        format!(
                            "must not be before the declaration date {}",
                            iso_date::format(occurred_on)
                        ),
                    ));
                }
                Event::SoilTransportDeclared {
                    quantity_m3,
                    destination,
                    deadline,
                }
            }
            EventKind::WorksFinished => Event::WorksFinished,
            EventKind::EffectEvaluated => Event::EffectEvaluated {
                evaluator: fields.text("evaluator")?,
                contractor: fields.text("contractor")?,
            },
            EventKind::Delisted => Event::Delisted,
            EventKind::PostManagement => Event::PostManagement,
            EventKind::WithdrawalPlanned => Event::WithdrawalPlanned {
                planned_on: fields.optional_date("planned_on")?,
            },
            EventKind::RightWithdrawn => Event::RightWithdrawn,
            EventKind::TransferPlanned => Event::TransferPlanned {
                planned_on: fields.optional_date("planned_on")?,
            },
            EventKind::RightTransferred => Event::RightTransferred,
            EventKind::IndicatorsFixed => Event::IndicatorsFixed,
            EventKind::LandSupplied => Event::LandSupplied,
            EventKind::PlanningPermit => Event::PlanningPermit,
            EventKind::ConstructionPermit => Event::ConstructionPermit,
            EventKind::ConstructionStarted => Event::ConstructionStarted,
            EventKind::Correction => Event::Correction {
                voids: fields.event_id("voids")?,
            },
        };
        Ok(event)
    }

    /// The canonical payload to store; `parse` of it gives back this event.
    #[must_use]
    pub fn payload(&self) -> Value {
        match self {
            Event::SuspicionRaised { reason } => json!({ "reason": reason }),
            Event::Phase1Concluded { outcome } => json!({ "outcome": outcome.as_str() }),
            Event::Phase2Concluded {
                outcome,
                exceedances,
                class,
            } => {
                let exceedances = if exceedances.is_null() {
                    json!([])
                } else {
                    exceedances.clone()
                };
                let mut payload =
                    json!({ "outcome": outcome.as_str(), "exceedances": exceedances });
                if let Some(c) = class {
                    payload["class"] = json!(c.number());
                }
                payload
            }
            Event::RiskAssessed { outcome } => json!({ "outcome": outcome.as_str() }),
            Event::PlanFiled { plan } => json!({ "plan": plan.as_str() }),
            Event::SoilTransportDeclared {
                quantity_m3,
                destination,
                deadline,
            } => json!({
                "quantity_m3": quantity_m3,
                "destination": destination,
                "deadline": iso_date::format(*deadline),
            }),
            Event::EffectEvaluated {
                evaluator,
                contractor,
            } => json!({ "evaluator": evaluator, "contractor": contractor }),
            Event::Correction { voids } => json!({ "voids": voids }),
            Event::WithdrawalPlanned { planned_on } | Event::TransferPlanned { planned_on } => {
                match planned_on {
                    Some(d) => json!({ "planned_on": iso_date::format(*d) }),
                    None => json!({}),
                }
            }
            Event::SurveyStarted
            | Event::Listed
            | Event::WorksStarted
            | Event::WorksFinished
            | Event::Delisted
            | Event::PostManagement
            | Event::RightWithdrawn
            | Event::RightTransferred
            | Event::IndicatorsFixed
            | Event::LandSupplied
            | Event::PlanningPermit
            | Event::ConstructionPermit
            | Event::ConstructionStarted => json!({}),
        }
    }
}

/// The payload fields each kind defines.
fn field_names(kind: EventKind) -> &'static [&'static str] {
    match kind {
        EventKind::SuspicionRaised => &["reason"],
        EventKind::Phase1Concluded | EventKind::RiskAssessed => &["outcome"],
        EventKind::Phase2Concluded => &["outcome", "exceedances", "class"],
        EventKind::PlanFiled => &["plan"],
        EventKind::SoilTransportDeclared => &["quantity_m3", "destination", "deadline"],
        EventKind::EffectEvaluated => &["evaluator", "contractor"],
        EventKind::Correction => &["voids"],
        EventKind::WithdrawalPlanned | EventKind::TransferPlanned => &["planned_on"],
        EventKind::SurveyStarted
        | EventKind::Listed
        | EventKind::WorksStarted
        | EventKind::WorksFinished
        | EventKind::Delisted
        | EventKind::PostManagement
        | EventKind::RightWithdrawn
        | EventKind::RightTransferred
        | EventKind::IndicatorsFixed
        | EventKind::LandSupplied
        | EventKind::PlanningPermit
        | EventKind::ConstructionPermit
        | EventKind::ConstructionStarted => &[],
    }
}

/// Typed access to a payload object; a null field counts as absent.
struct Fields<'a>(&'a Map<String, Value>);

impl<'a> Fields<'a> {
    fn required(&self, name: &str) -> Result<&'a Value, PayloadError> {
        self.0
            .get(name)
            .filter(|value| !value.is_null())
            .ok_or_else(|| PayloadError::at(name, "is required"))
    }

    fn text(&self, name: &str) -> Result<String, PayloadError> {
        match self.required(name)? {
            Value::String(s) if !s.trim().is_empty() => Ok(s.trim().to_owned()),
            Value::String(_) => Err(PayloadError::at(name, "must not be blank")),
            _ => Err(PayloadError::at(name, "must be a string")),
        }
    }

    fn choice<T>(
        &self,
        name: &str,
        parse: fn(&str) -> Option<T>,
        names: &[&str],
    ) -> Result<T, PayloadError> {
        self.required(name)?
            .as_str()
            .and_then(parse)
            .ok_or_else(|| PayloadError::at(name, format!("must be one of: {}", names.join(", "))))
    }

    fn positive(&self, name: &str) -> Result<f64, PayloadError> {
        self.required(name)?
            .as_f64()
            .filter(|n| n.is_finite() && *n > 0.0)
            .ok_or_else(|| PayloadError::at(name, "must be a number greater than 0"))
    }

    fn date(&self, name: &str) -> Result<Date, PayloadError> {
        self.required(name)?
            .as_str()
            .and_then(iso_date::parse)
            .ok_or_else(|| PayloadError::at(name, "must be a date written YYYY-MM-DD"))
    }

    fn event_id(&self, name: &str) -> Result<i64, PayloadError> {
        self.required(name)?
            .as_i64()
            .filter(|id| *id > 0)
            .ok_or_else(|| PayloadError::at(name, "must be the positive integer id of an event"))
    }

    /// An optional date.
    fn optional_date(&self, name: &str) -> Result<Option<Date>, PayloadError> {
        match self.0.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(_) => self.date(name).map(Some),
        }
    }

    /// An optional GB 36600 class, 1 or 2.
    fn class(&self, name: &str) -> Result<Option<Gb36600Class>, PayloadError> {
        match self.0.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => v
                .as_i64()
                .and_then(|n| i16::try_from(n).ok())
                .and_then(Gb36600Class::from_number)
                .map(Some)
                .ok_or_else(|| PayloadError::at(name, "must be 1 or 2")),
        }
    }

    /// An optional list; absent or null is `[]`.
    fn list(&self, name: &str) -> Result<Value, PayloadError> {
        match self.0.get(name) {
            None | Some(Value::Null) => Ok(json!([])),
            Some(list @ Value::Array(_)) => Ok(list.clone()),
            Some(_) => Err(PayloadError::at(name, "must be a list")),
        }
    }
}
