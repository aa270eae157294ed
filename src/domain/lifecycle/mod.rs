//! Lifecycle of a construction-land parcel: soil management (suspicion →
//! survey → risk assessment → list → plan → works → effect evaluation →
//! delisting) and the land-use right (withdrawal, transfer, supply, permits).
//!
//! The registry stores events and never overwrites them. Everything else is
//! derived: [`replay`] folds [`apply`], the one transition function, over a
//! parcel's events, skipping those voided by corrections. Every refusal is a
//! [`RuleViolation`] citing the law article or Action Plan clause it rests on.

mod event;
mod kind;
mod refusals;
mod replay;
mod rules;
mod state;
#[cfg(test)]
mod tests;

pub use super::land_use::Gb36600Class;
pub use event::{Event, PayloadError, Phase1Outcome, Phase2Outcome, PlanKind, RiskOutcome};
pub use kind::EventKind;
pub use replay::{check_append, replay, Recorded, Replay, Step};
pub use rules::{apply, Context, RuleViolation};
pub use state::{LandRight, ParcelState, Stage};
