//! Event kinds: the tag stored beside each event's payload.

use serde::{Deserialize, Serialize};

/// What happened to a parcel. The `snake_case` names are the wire and
/// database form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    SuspicionRaised,
    SurveyStarted,
    Phase1Concluded,
    Phase2Concluded,
    RiskAssessed,
    Listed,
    PlanFiled,
    WorksStarted,
    SoilTransportDeclared,
    WorksFinished,
    EffectEvaluated,
    Delisted,
    PostManagement,
    WithdrawalPlanned,
    RightWithdrawn,
    TransferPlanned,
    RightTransferred,
    IndicatorsFixed,
    LandSupplied,
    PlanningPermit,
    ConstructionPermit,
    ConstructionStarted,
    Correction,
}

impl EventKind {
    pub const ALL: [EventKind; 23] = [
        EventKind::SuspicionRaised,
        EventKind::SurveyStarted,
        EventKind::Phase1Concluded,
        EventKind::Phase2Concluded,
        EventKind::RiskAssessed,
        EventKind::Listed,
        EventKind::PlanFiled,
        EventKind::WorksStarted,
        EventKind::SoilTransportDeclared,
        EventKind::WorksFinished,
        EventKind::EffectEvaluated,
        EventKind::Delisted,
        EventKind::PostManagement,
        EventKind::WithdrawalPlanned,
        EventKind::RightWithdrawn,
        EventKind::TransferPlanned,
        EventKind::RightTransferred,
        EventKind::IndicatorsFixed,
        EventKind::LandSupplied,
        EventKind::PlanningPermit,
        EventKind::ConstructionPermit,
        EventKind::ConstructionStarted,
        EventKind::Correction,
    ];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::SuspicionRaised => "suspicion_raised",
            EventKind::SurveyStarted => "survey_started",
            EventKind::Phase1Concluded => "phase1_concluded",
            EventKind::Phase2Concluded => "phase2_concluded",
            EventKind::RiskAssessed => "risk_assessed",
            EventKind::Listed => "listed",
            EventKind::PlanFiled => "plan_filed",
            EventKind::WorksStarted => "works_started",
            EventKind::SoilTransportDeclared => "soil_transport_declared",
            EventKind::WorksFinished => "works_finished",
            EventKind::EffectEvaluated => "effect_evaluated",
            EventKind::Delisted => "delisted",
            EventKind::PostManagement => "post_management",
            EventKind::WithdrawalPlanned => "withdrawal_planned",
            EventKind::RightWithdrawn => "right_withdrawn",
            EventKind::TransferPlanned => "transfer_planned",
            EventKind::RightTransferred => "right_transferred",
            EventKind::IndicatorsFixed => "indicators_fixed",
            EventKind::LandSupplied => "land_supplied",
            EventKind::PlanningPermit => "planning_permit",
            EventKind::ConstructionPermit => "construction_permit",
            EventKind::ConstructionStarted => "construction_started",
            EventKind::Correction => "correction",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == s)
    }

    /// Soil-management events, recorded by the environmental officer;
    /// they move the [`Stage`](super::Stage).
    #[must_use]
    pub fn is_soil(self) -> bool {
        matches!(
            self,
            EventKind::SuspicionRaised
                | EventKind::SurveyStarted
                | EventKind::Phase1Concluded
                | EventKind::Phase2Concluded
                | EventKind::RiskAssessed
                | EventKind::Listed
                | EventKind::PlanFiled
                | EventKind::WorksStarted
                | EventKind::SoilTransportDeclared
                | EventKind::WorksFinished
                | EventKind::EffectEvaluated
                | EventKind::Delisted
                | EventKind::PostManagement
        )
    }

    /// Land and building events, recorded by the planning and housing
    /// officers; they never move the stage. A correction is neither.
    #[must_use]
    pub fn is_land(self) -> bool {
        matches!(
            self,
            EventKind::WithdrawalPlanned
                | EventKind::RightWithdrawn
                | EventKind::TransferPlanned
                | EventKind::RightTransferred
                | EventKind::IndicatorsFixed
                | EventKind::LandSupplied
                | EventKind::PlanningPermit
                | EventKind::ConstructionPermit
                | EventKind::ConstructionStarted
        )
    }
}

impl std::fmt::Display for EventKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
