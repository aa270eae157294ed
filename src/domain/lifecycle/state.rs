//! The derived state of a parcel: soil-management stage and land-use right.

use serde::{Deserialize, Serialize};
use time::Date;

/// Soil-management stage, derived from the parcel's events.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, sqlx::Type)]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "soil_stage", rename_all = "snake_case")]
pub enum Stage {
    /// Nothing recorded yet.
    #[default]
    Unknown,
    /// 疑似污染地块, e.g. a closed firm's former site flagged by screening (§4b).
    Suspected,
    /// 土壤污染状况调查 under way (HJ 25.1).
    Surveying,
    /// Phase 1 found possible sources: sampling (phase 2) must follow.
    Phase2Needed,
    /// No value above the screening value, or risk found acceptable.
    Cleared,
    /// 污染地块: values above the screening value; risk assessment due (Art 60).
    Contaminated,
    /// Risk unacceptable: awaiting listing by the provincial authority (Art 61).
    ControlNeeded,
    /// On the 风险管控和修复名录 (Art 61).
    Listed,
    /// Control or remediation plan filed (备案, Art 64).
    PlanFiled,
    /// Control or remediation works under way.
    Remediating,
    /// Works finished; effect evaluation due (Art 65).
    WorksFinished,
    /// Effect-evaluation report filed by an independent unit (Art 65).
    EffectEvaluated,
    /// Removed from the list (Art 66).
    Delisted,
    /// 后期管理 after delisting (Art 35).
    PostManagement,
}

impl Stage {
    pub const ALL: [Stage; 14] = [
        Stage::Unknown,
        Stage::Suspected,
        Stage::Surveying,
        Stage::Phase2Needed,
        Stage::Cleared,
        Stage::Contaminated,
        Stage::ControlNeeded,
        Stage::Listed,
        Stage::PlanFiled,
        Stage::Remediating,
        Stage::WorksFinished,
        Stage::EffectEvaluated,
        Stage::Delisted,
        Stage::PostManagement,
    ];

    /// Wire and database name, the same as the serde form.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Unknown => "unknown",
            Stage::Suspected => "suspected",
            Stage::Surveying => "surveying",
            Stage::Phase2Needed => "phase2_needed",
            Stage::Cleared => "cleared",
            Stage::Contaminated => "contaminated",
            Stage::ControlNeeded => "control_needed",
            Stage::Listed => "listed",
            Stage::PlanFiled => "plan_filed",
            Stage::Remediating => "remediating",
            Stage::WorksFinished => "works_finished",
            Stage::EffectEvaluated => "effect_evaluated",
            Stage::Delisted => "delisted",
            Stage::PostManagement => "post_management",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|stage| stage.as_str() == s)
    }

    /// Name shown to officers.
    #[must_use]
    pub fn label_zh(self) -> &'static str {
        match self {
            Stage::Unknown => "未调查",
            Stage::Suspected => "疑似污染地块",
            Stage::Surveying => "土壤污染状况调查中",
            Stage::Phase2Needed => "需开展第二阶段调查",
            Stage::Cleared => "非污染地块",
            Stage::Contaminated => "污染地块（超筛选值）",
            Stage::ControlNeeded => "需风险管控或修复",
            Stage::Listed => "已列入风险管控和修复名录",
            Stage::PlanFiled => "风险管控或修复方案已备案",
            Stage::Remediating => "风险管控或修复施工中",
            Stage::WorksFinished => "风险管控或修复已完工",
            Stage::EffectEvaluated => "效果评估已备案",
            Stage::Delisted => "已移出名录",
            Stage::PostManagement => "后期管理",
        }
    }

    #[must_use]
    pub fn label_en(self) -> &'static str {
        match self {
            Stage::Unknown => "not surveyed",
            Stage::Suspected => "suspected contaminated",
            Stage::Surveying => "survey under way",
            Stage::Phase2Needed => "phase-2 survey needed",
            Stage::Cleared => "cleared",
            Stage::Contaminated => "contaminated (above screening value)",
            Stage::ControlNeeded => "control or remediation needed",
            Stage::Listed => "on the control and remediation list",
            Stage::PlanFiled => "control or remediation plan filed",
            Stage::Remediating => "control or remediation works under way",
            Stage::WorksFinished => "control or remediation works finished",
            Stage::EffectEvaluated => "effect evaluation filed",
            Stage::Delisted => "removed from the list",
            Stage::PostManagement => "post-management",
        }
    }

    /// Stages in which Art 61 restrictions apply: listed, or found to need
    /// control or remediation and awaiting listing, and not yet removed.
    #[must_use]
    pub fn is_use_restricted(self) -> bool {
        matches!(
            self,
            Stage::ControlNeeded
                | Stage::Listed
                | Stage::PlanFiled
                | Stage::Remediating
                | Stage::WorksFinished
                | Stage::EffectEvaluated
        )
    }
}

impl std::fmt::Display for Stage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// State of the land-use right, as far as §4a (survey due before withdrawal,
/// transfer, fixing indicators or supply) needs it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, sqlx::Type)]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "land_right", rename_all = "snake_case")]
pub enum LandRight {
    #[default]
    InUse,
    WithdrawalPlanned,
    Withdrawn,
    TransferPlanned,
    Transferred,
    Supplied,
}

impl LandRight {
    pub const ALL: [LandRight; 6] = [
        LandRight::InUse,
        LandRight::WithdrawalPlanned,
        LandRight::Withdrawn,
        LandRight::TransferPlanned,
        LandRight::Transferred,
        LandRight::Supplied,
    ];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            LandRight::InUse => "in_use",
            LandRight::WithdrawalPlanned => "withdrawal_planned",
            LandRight::Withdrawn => "withdrawn",
            LandRight::TransferPlanned => "transfer_planned",
            LandRight::Transferred => "transferred",
            LandRight::Supplied => "supplied",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|right| right.as_str() == s)
    }

    #[must_use]
    pub fn label_zh(self) -> &'static str {
        match self {
            LandRight::InUse => "使用中",
            LandRight::WithdrawalPlanned => "拟收回",
            LandRight::Withdrawn => "已收回",
            LandRight::TransferPlanned => "拟转让",
            LandRight::Transferred => "已转让",
            LandRight::Supplied => "已供地",
        }
    }

    #[must_use]
    pub fn label_en(self) -> &'static str {
        match self {
            LandRight::InUse => "in use",
            LandRight::WithdrawalPlanned => "withdrawal planned",
            LandRight::Withdrawn => "withdrawn",
            LandRight::TransferPlanned => "transfer planned",
            LandRight::Transferred => "transferred",
            LandRight::Supplied => "supplied",
        }
    }
}

impl std::fmt::Display for LandRight {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Derived state of one parcel; dates serialize as `YYYY-MM-DD`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ParcelState {
    pub stage: Stage,
    pub land_right: LandRight,
    /// Date the latest survey concluded (phase 1 cleared, or phase 2);
    /// reset when a re-survey starts.
    #[serde(serialize_with = "iso_date::serialize_option")]
    pub survey_completed_on: Option<Date>,
    #[serde(serialize_with = "iso_date::serialize_option")]
    pub indicators_fixed_on: Option<Date>,
    #[serde(serialize_with = "iso_date::serialize_option")]
    pub supplied_on: Option<Date>,
    /// Earliest recorded construction start.
    #[serde(serialize_with = "iso_date::serialize_option")]
    pub construction_started_on: Option<Date>,
}

/// `YYYY-MM-DD` dates, independent of which `time` features the crate enables.
pub(super) mod iso_date {
    use serde::Serializer;
    use time::{Date, Month};

    pub(in super::super) fn format(date: Date) -> String {
        format!(
            "{:04}-{:02}-{:02}",
            date.year(),
            u8::from(date.month()),
            date.day()
        )
    }

    /// Strict `YYYY-MM-DD`, as stored in payloads.
    pub(in super::super) fn parse(s: &str) -> Option<Date> {
        let bytes = s.as_bytes();
        let shape_ok = bytes.len() == 10
            && bytes.iter().enumerate().all(|(i, b)| match i {
                4 | 7 => *b == b'-',
                _ => b.is_ascii_digit(),
            });
        if !shape_ok {
            return None;
        }
        let year: i32 = s.get(0..4)?.parse().ok()?;
        let month: u8 = s.get(5..7)?.parse().ok()?;
        let day: u8 = s.get(8..10)?.parse().ok()?;
        Date::from_calendar_date(year, Month::try_from(month).ok()?, day).ok()
    }

    // serde's serialize_with passes `&T`.
    #[allow(clippy::ref_option, clippy::trivially_copy_pass_by_ref)]
    pub(super) fn serialize_option<S: Serializer>(
        date: &Option<Date>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match date {
            Some(date) => serializer.serialize_str(&format(*date)),
            None => serializer.serialize_none(),
        }
    }
}
