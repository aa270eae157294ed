//! What changed between two versions of a parcel, as the register keeps them (the rows of
//! `parcel_versions` and the current row, as JSON): the members an officer reads, the
//! stage the lifecycle moved it to, the boundary (by its area), retirement.

use serde::Serialize;
use serde_json::{Map, Value};

/// The members compared, in the order they are listed: the stage, the attributes a
/// parcel's properties set, retirement.
fn members() -> impl Iterator<Item = &'static str> {
    std::iter::once("stage")
        .chain(super::parcel::KNOWN)
        .chain(std::iter::once("retired_reason"))
}

/// One member's change: from the earlier version to the later.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VersionChange {
    pub member: &'static str,
    pub from: Value,
    pub to: Value,
}

/// The changes from `before` to `after`; the boundary's as `boundary`, its areas in m².
pub fn changes(before: &Map<String, Value>, after: &Map<String, Value>) -> Vec<VersionChange> {
    let get = |row: &Map<String, Value>, k: &str| row.get(k).cloned().unwrap_or(Value::Null);
    let mut out: Vec<VersionChange> = members()
        .filter(|k| get(before, k) != get(after, k))
        .map(|k| VersionChange {
            member: k,
            from: get(before, k),
            to: get(after, k),
        })
        .collect();
    if get(before, "geom") != get(after, "geom") {
        out.push(VersionChange {
            member: "boundary",
            from: get(before, "area_m2"),
            to: get(after, "area_m2"),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn row(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn only_what_differs_is_listed_and_a_new_boundary_by_its_areas() {
        let a = row(
            json!({"name": "甲", "risk": "low", "geom": {"c": 1}, "area_m2": 100.0, "version": 1}),
        );
        let b = row(
            json!({"name": "乙", "risk": "low", "geom": {"c": 2}, "area_m2": 120.0, "version": 2}),
        );
        let got = changes(&a, &b);
        assert_eq!(
            got,
            [
                VersionChange {
                    member: "name",
                    from: json!("甲"),
                    to: json!("乙")
                },
                VersionChange {
                    member: "boundary",
                    from: json!(100.0),
                    to: json!(120.0)
                },
            ]
        );
        assert!(changes(&a, &a).is_empty());
        // a member that appears (a right holder set) is a change from null
        let c = row(
            json!({"name": "甲", "risk": "low", "geom": {"c": 1}, "area_m2": 100.0, "right_holder": "丙"}),
        );
        assert_eq!(changes(&a, &c)[0].member, "right_holder");
    }
}
