//! Filings (备案) of reports with the authority, and how their review moves.

use serde::{Deserialize, Serialize};

use super::lifecycle::EventKind;

/// What is filed (regulatory-workflow.md §2, "Filings and reports a registry should track").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, sqlx::Type)]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "filing_kind", rename_all = "snake_case")]
pub enum FilingKind {
    /// 土壤污染状况调查报告 (Art 59).
    SurveyReport,
    /// 土壤污染风险评估报告 (Arts 60–61).
    RiskAssessmentReport,
    /// 风险管控方案.
    ControlPlan,
    /// 修复方案 (Art 64).
    RemediationPlan,
    /// 效果评估报告 (Art 65).
    EffectEvaluationReport,
    /// 污染土壤转运计划 (Art 41, plan §4e).
    SoilTransportPlan,
    /// Periodic risk-control report (Art 62).
    PeriodicControlReport,
}

impl FilingKind {
    /// The lifecycle events that accepting this filing may record.
    pub fn matching_events(self) -> &'static [EventKind] {
        match self {
            FilingKind::SurveyReport => &[EventKind::Phase1Concluded, EventKind::Phase2Concluded],
            FilingKind::RiskAssessmentReport => &[EventKind::RiskAssessed],
            FilingKind::ControlPlan | FilingKind::RemediationPlan => &[EventKind::PlanFiled],
            FilingKind::EffectEvaluationReport => &[EventKind::EffectEvaluated],
            FilingKind::SoilTransportPlan => &[EventKind::SoilTransportDeclared],
            FilingKind::PeriodicControlReport => &[],
        }
    }
}

/// Where a filing is in its review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, sqlx::Type)]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "filing_status", rename_all = "snake_case")]
pub enum FilingStatus {
    Received,
    UnderReview,
    Accepted,
    /// Returned to the submitter with reasons; resubmission makes it `received` again.
    Returned,
}

impl FilingStatus {
    /// Whether a review may move a filing from `self` to `next`. Accepted is final.
    pub fn may_become(self, next: FilingStatus) -> bool {
        use FilingStatus as S;
        matches!(
            (self, next),
            (S::Received, S::UnderReview | S::Accepted | S::Returned)
                | (S::UnderReview, S::Accepted | S::Returned)
                | (S::Returned, S::Received)
        )
    }

    /// Still owed by its deadline.
    pub fn is_open(self) -> bool {
        self != FilingStatus::Accepted
    }
}

#[cfg(test)]
mod tests {
    use super::FilingStatus as S;

    #[test]
    fn review_moves_forward_and_acceptance_is_final() {
        assert!(S::Received.may_become(S::UnderReview));
        assert!(S::Received.may_become(S::Accepted));
        assert!(S::UnderReview.may_become(S::Returned));
        assert!(S::Returned.may_become(S::Received));
        assert!(!S::Accepted.may_become(S::Returned));
        assert!(!S::Accepted.may_become(S::Received));
        assert!(!S::Returned.may_become(S::Accepted));
        assert!(!S::UnderReview.may_become(S::Received));
        assert!(!S::Received.may_become(S::Received));
    }
}
