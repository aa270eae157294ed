//! Key supervised units (土壤污染重点监管单位) and their yearly duties (§3, §16).

use serde::{Deserialize, Serialize};
use time::Date;

/// A duty of a key unit in a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, sqlx::Type)]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "duty_kind", rename_all = "snake_case")]
pub enum DutyKind {
    /// 隐患排查
    HazardInvestigation,
    /// 自行监测
    SelfMonitoring,
    /// 有毒有害物质排放情况年度报告
    ToxicSubstanceReport,
    /// 土壤和地下水污染防治制度
    PreventionRules,
}

impl DutyKind {
    pub const ALL: [DutyKind; 4] = [
        DutyKind::HazardInvestigation,
        DutyKind::SelfMonitoring,
        DutyKind::ToxicSubstanceReport,
        DutyKind::PreventionRules,
    ];

    pub fn parse(s: &str) -> Option<Self> {
        serde_json::from_value(serde_json::Value::String(s.to_owned())).ok()
    }
}

/// Whether a duty is behind on `today`: not done and past due, or done late.
pub fn is_overdue(due_on: Date, done_on: Option<Date>, today: Date) -> bool {
    match done_on {
        None => due_on < today,
        Some(done) => done > due_on,
    }
}

/// A rising trend of a characteristic pollutant (§16): the last `n` values, oldest
/// first, each strictly higher than the one before.
pub fn is_rising(values: &[f64], n: usize) -> bool {
    n >= 2 && values.len() >= n && values[values.len() - n..].windows(2).all(|w| w[1] > w[0])
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_duty_is_overdue_when_undone_past_its_date_or_done_late() {
        let due = date!(2023 - 06 - 30);
        assert!(!is_overdue(due, None, date!(2023 - 06 - 30)));
        assert!(is_overdue(due, None, date!(2023 - 07 - 01)));
        assert!(!is_overdue(
            due,
            Some(date!(2023 - 06 - 30)),
            date!(2023 - 12 - 01)
        ));
        assert!(is_overdue(
            due,
            Some(date!(2023 - 07 - 02)),
            date!(2023 - 12 - 01)
        ));
    }

    #[test]
    fn three_rising_values_are_a_trend_and_a_plateau_is_not() {
        assert!(is_rising(&[1.0, 2.0, 3.0], 3));
        assert!(is_rising(&[5.0, 1.0, 2.0, 3.0], 3));
        assert!(!is_rising(&[1.0, 2.0, 2.0], 3));
        assert!(!is_rising(&[3.0, 2.0, 4.0], 3));
        assert!(!is_rising(&[1.0, 2.0], 3));
    }

    #[test]
    fn duty_kinds_have_wire_names() {
        for k in DutyKind::ALL {
            let name = serde_json::to_value(k).expect("serialize");
            assert_eq!(DutyKind::parse(name.as_str().expect("string")), Some(k));
        }
        assert_eq!(DutyKind::parse("paperwork"), None);
    }
}
