//! Child records of a ledger row, append-only once written: a tank's inspections, a
//! storage site's patrols, a plot's produce tests.

use serde_json::{Map, Value};
use time::Date;

use super::fields::Fields;
use super::rules;
use super::RecordKind;
use crate::domain::document::DocumentId;
use crate::domain::parcel::FieldError;

/// An inspection of a buried tank.
#[derive(Debug, Clone, PartialEq)]
pub struct TankInspection {
    pub inspected_on: Date,
    pub inspector: String,
    pub finding: String,
    pub passed: bool,
    /// The inspection report, a stored document.
    pub document: Option<DocumentId>,
}

/// A patrol of a solid-waste storage site.
#[derive(Debug, Clone, PartialEq)]
pub struct WastePatrol {
    pub patrolled_on: Date,
    pub patroller: String,
    pub finding: String,
    pub issue_found: bool,
}

/// One analyte of one product of one harvest.
#[derive(Debug, Clone, PartialEq)]
pub struct ProduceTest {
    pub harvested_on: Date,
    /// e.g. 核桃, 苹果; compared exactly (after trimming) by the stop-planting rule.
    pub product: String,
    /// e.g. `cd`, `pb`; lower-cased so that `Cd` and `cd` are one analyte.
    pub analyte: String,
    /// At least zero.
    pub value_mgkg: f64,
    /// Greater than zero.
    pub limit_mgkg: f64,
}

impl ProduceTest {
    pub fn exceeds(&self) -> bool {
        rules::exceeds(self.value_mgkg, self.limit_mgkg)
    }
}

/// A child record's valid values.
#[derive(Debug, Clone, PartialEq)]
pub enum NewRecord {
    TankInspection(TankInspection),
    WastePatrol(WastePatrol),
    ProduceTest(ProduceTest),
}

impl RecordKind {
    /// The members a client writes.
    pub fn fields(self) -> &'static [&'static str] {
        match self {
            RecordKind::TankInspection => {
                &["inspected_on", "inspector", "finding", "passed", "document"]
            }
            RecordKind::WastePatrol => &["patrolled_on", "patroller", "finding", "issue_found"],
            RecordKind::ProduceTest => &[
                "harvested_on",
                "product",
                "analyte",
                "value_mgkg",
                "limit_mgkg",
            ],
        }
    }
}

/// What a record shows that the service sets.
const READ_ONLY: [&str; 4] = ["id", "recorded_at", "recorded_by", "exceeds"];

impl NewRecord {
    /// Parses a record's members. Its date may not be after `today`.
    pub fn parse(
        kind: RecordKind,
        props: &Map<String, Value>,
        today: Date,
    ) -> Result<Self, FieldError> {
        let f = Fields::new(props, kind.fields(), &READ_ONLY, today)?;
        Ok(match kind {
            RecordKind::TankInspection => NewRecord::TankInspection(TankInspection {
                inspected_on: f.past_date("inspected_on")?,
                inspector: f.text("inspector")?,
                finding: f.note("finding")?,
                passed: f.bool("passed")?,
                document: f.opt_document("document")?,
            }),
            RecordKind::WastePatrol => NewRecord::WastePatrol(WastePatrol {
                patrolled_on: f.past_date("patrolled_on")?,
                patroller: f.text("patroller")?,
                finding: f.note("finding")?,
                issue_found: f.bool("issue_found")?,
            }),
            RecordKind::ProduceTest => NewRecord::ProduceTest(ProduceTest {
                harvested_on: f.past_date("harvested_on")?,
                product: f.text("product")?,
                analyte: f.text("analyte")?.to_lowercase(),
                value_mgkg: f.number("value_mgkg", 0.0, false)?,
                limit_mgkg: f.number("limit_mgkg", 0.0, true)?,
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use time::macros::date;

    fn parse(kind: RecordKind, v: Value) -> Result<NewRecord, FieldError> {
        let m = v.as_object().cloned().unwrap_or_default();
        NewRecord::parse(kind, &m, date!(2023 - 06 - 30))
    }

    #[test]
    fn a_produce_test_over_its_limit_exceeds_and_analytes_ignore_case() {
        let Ok(NewRecord::ProduceTest(t)) = parse(
            RecordKind::ProduceTest,
            json!({"harvested_on": "2023-06-01", "product": "樱桃", "analyte": "Cd", "value_mgkg": 0.08, "limit_mgkg": 0.05}),
        ) else {
            panic!("valid test");
        };
        assert!(t.exceeds());
        assert_eq!(t.analyte, "cd");
    }

    #[test]
    fn each_bad_record_member_is_named() {
        for (kind, v, field, code) in [
            (
                RecordKind::TankInspection,
                json!({"inspected_on": "2099-01-01", "inspector": "x", "finding": "ok", "passed": true}),
                "inspected_on",
                "future_date",
            ),
            (
                RecordKind::TankInspection,
                json!({"inspected_on": "2023-01-01", "inspector": "x", "finding": "ok", "passed": "yes"}),
                "passed",
                "invalid_type",
            ),
            (
                RecordKind::TankInspection,
                json!({"inspected_on": "2023-01-01", "inspector": "x", "finding": "ok", "passed": true, "document": "abc"}),
                "document",
                "invalid_document",
            ),
            (
                RecordKind::WastePatrol,
                json!({"patrolled_on": "2023-01-01", "patroller": "x", "finding": "ok"}),
                "issue_found",
                "required",
            ),
            (
                RecordKind::ProduceTest,
                json!({"harvested_on": "2023-06-01", "product": "p", "analyte": "cd", "value_mgkg": -1, "limit_mgkg": 0.2}),
                "value_mgkg",
                "out_of_range",
            ),
            (
                RecordKind::ProduceTest,
                json!({"harvested_on": "2023-06-01", "product": "p", "analyte": "cd", "value_mgkg": 1, "limit_mgkg": 0.2, "exceeds": false}),
                "exceeds",
                "read_only",
            ),
        ] {
            let e = parse(kind, v.clone()).expect_err("invalid");
            assert_eq!((e.field.as_str(), e.code), (field, code), "{v}");
        }
    }
}
