//! Tests of enterprise identifiers and statuses. Expected check characters
//! were computed outside this crate (by hand-written Python) or come from
//! codes printed on real business licences, never from the code under test.

mod industry;
mod uscc;

use super::EnterpriseStatus;

#[test]
fn statuses_use_snake_case_names_on_the_wire() {
    for status in EnterpriseStatus::ALL {
        let json = serde_json::to_value(status).expect("serialises");
        assert_eq!(json, serde_json::json!(status.as_str()));
        let back: EnterpriseStatus = serde_json::from_value(json).expect("deserialises");
        assert_eq!(back, status);
    }
    assert_eq!(EnterpriseStatus::Relocated.as_str(), "relocated");
    assert!(serde_json::from_str::<EnterpriseStatus>("\"Closed\"").is_err());
}

#[test]
fn only_an_operating_firm_leaves_no_former_site() {
    assert!(!EnterpriseStatus::Operating.leaves_former_site());
    assert!(EnterpriseStatus::Closed.leaves_former_site());
    assert!(EnterpriseStatus::Relocated.leaves_former_site());
}
