//! Map-based review sessions (图上会审): an agenda of parcels and a decision on each.

use serde::{Deserialize, Serialize};

/// What a review meeting decides about a parcel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, sqlx::Type)]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "review_decision", rename_all = "snake_case")]
pub enum Decision {
    Approve,
    ApproveWithConditions,
    Defer,
    Reject,
}

impl Decision {
    pub fn parse(s: &str) -> Option<Self> {
        serde_json::from_value(serde_json::Value::String(s.to_owned())).ok()
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Decision::Approve => "同意",
            Decision::ApproveWithConditions => "有条件同意",
            Decision::Defer => "暂缓",
            Decision::Reject => "不同意",
        }
    }

    /// Conditions must be written down for a conditional approval.
    pub fn needs_conditions(self) -> bool {
        self == Decision::ApproveWithConditions
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions_have_wire_names_and_only_conditional_approval_needs_conditions() {
        assert_eq!(
            Decision::parse("approve_with_conditions"),
            Some(Decision::ApproveWithConditions)
        );
        assert_eq!(Decision::parse("maybe"), None);
        assert!(Decision::ApproveWithConditions.needs_conditions());
        assert!(!Decision::Reject.needs_conditions());
        assert_eq!(Decision::Defer.label_zh(), "暂缓");
    }
}
