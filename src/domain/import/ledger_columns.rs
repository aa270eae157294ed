//! Columns of an imported file onto a ledger's members: by the member's own name (as our
//! export writes it), by that name cut to ten bytes (a DBF), or as the user chose; and
//! cells into the JSON values the ledger's parser reads.

use std::collections::BTreeMap;

use serde_json::{Number, Value};

use super::row::Cell;
use crate::domain::parcel::FieldError;

/// Member → column for the given members: the choices (`member=` for none), then each
/// member left by its own name or that name cut to ten bytes.
pub fn resolve(
    members: &[&str],
    columns: &[String],
    chosen: &[(String, String)],
) -> Result<BTreeMap<String, String>, FieldError> {
    let mut out = BTreeMap::new();
    let mut none = Vec::new();
    for (member, column) in chosen {
        if !members.contains(&member.as_str()) {
            return Err(FieldError::new(
                "map",
                "invalid_mapping",
                format!(
                    "'{member}' is not a member of this ledger; use one of {}",
                    members.join(", ")
                ),
            ));
        }
        if column.is_empty() {
            out.remove(member);
            none.push(member.as_str());
            continue;
        }
        if !columns.contains(column) {
            return Err(FieldError::new(
                member.clone(),
                "unknown_column",
                format!(
                    "column '{column}' is not in the file (it has: {})",
                    columns.join(", ")
                ),
            ));
        }
        out.insert(member.clone(), column.clone());
    }
    for m in members {
        if out.contains_key(*m) || none.contains(m) {
            continue;
        }
        let cut: String = m.chars().take(10).collect();
        let found = columns
            .iter()
            .find(|c| c.eq_ignore_ascii_case(m))
            .or_else(|| columns.iter().find(|c| c.eq_ignore_ascii_case(&cut)));
        if let Some(c) = found {
            out.insert((*m).to_owned(), c.clone());
        }
    }
    Ok(out)
}

/// A ledger's mapping as a source saved it: member → column, `None` for no column.
pub type Saved = BTreeMap<String, Option<String>>;

/// The saved choices that still fit this file — the member still the ledger's, the column
/// in the file — as `member=column` pairs (`member=` for none), to go before the user's.
pub fn saved_pairs(members: &[&str], columns: &[String], saved: &Saved) -> Vec<(String, String)> {
    saved
        .iter()
        .filter(|(m, c)| {
            members.contains(&m.as_str()) && c.as_ref().is_none_or(|c| columns.contains(c))
        })
        .map(|(m, c)| (m.clone(), c.clone().unwrap_or_default()))
        .collect()
}

/// What to save for a source: the columns read, and the members chosen to have none.
pub fn to_save(read: &BTreeMap<String, String>, pairs: &[(String, String)]) -> Saved {
    let mut out: Saved = pairs
        .iter()
        .filter(|(m, c)| c.is_empty() && !read.contains_key(m))
        .map(|(m, _)| (m.clone(), None))
        .collect();
    out.extend(read.iter().map(|(m, c)| (m.clone(), Some(c.clone()))));
    out
}

/// A cell as the JSON the ledger's parser reads: numbers stay numbers (whole ones as
/// integers), JSON lists (as our export writes them) become lists, 是/否 and true/false
/// booleans; an empty cell is absent.
pub fn value(cell: &Cell) -> Option<Value> {
    match cell {
        Cell::Number(n) if n.fract() == 0.0 && n.abs() < 9e15 => Some(Value::from(*n as i64)),
        Cell::Number(n) => Number::from_f64(*n).map(Value::Number),
        Cell::Text(s) => {
            let s = s.trim();
            match s {
                "" => None,
                "true" | "是" => Some(Value::Bool(true)),
                "false" | "否" => Some(Value::Bool(false)),
                _ if s.starts_with('[') => {
                    Some(serde_json::from_str(s).unwrap_or_else(|_| Value::String(s.to_owned())))
                }
                _ => Some(Value::String(s.to_owned())),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::import::cols;

    #[test]
    fn members_by_name_by_dbf_cut_or_by_choice() {
        let members = [
            "owner",
            "capacity_m3",
            "baseline_survey_done_on",
            "substance",
        ];
        let c = cols(&["OWNER", "capacity_m", "baseline_s", "物质"]);
        let chosen = vec![("substance".to_owned(), "物质".to_owned())];
        let m = resolve(&members, &c, &chosen).expect("resolve");
        assert_eq!(m["owner"], "OWNER");
        assert_eq!(m["capacity_m3"], "capacity_m");
        assert_eq!(m["baseline_survey_done_on"], "baseline_s");
        assert_eq!(m["substance"], "物质");
        assert!(resolve(&members, &c, &[("colour".into(), "OWNER".into())]).is_err());
        assert!(resolve(&members, &c, &[("owner".into(), "nope".into())]).is_err());
        // `owner=`: the OWNER column is not the owner this ledger means
        let none = [("owner".to_owned(), String::new())];
        let m = resolve(&members, &c, &none).expect("resolve");
        assert!(!m.contains_key("owner"));
        assert_eq!(m["capacity_m3"], "capacity_m");
        // Saved, and applied to the next file: what it lacks, or a member the ledger no
        // longer has, is passed over; the user's choices come after.
        let saved = to_save(&m, &none);
        assert_eq!(saved["owner"], None);
        assert_eq!(saved["capacity_m3"].as_deref(), Some("capacity_m"));
        let mut old = saved.clone();
        old.insert("colour".into(), Some("OWNER".into()));
        let next = cols(&["OWNER", "baseline_s"]);
        let pairs = saved_pairs(&members, &next, &old);
        assert_eq!(
            pairs,
            vec![
                (
                    "baseline_survey_done_on".to_owned(),
                    "baseline_s".to_owned()
                ),
                ("owner".to_owned(), String::new()),
            ]
        );
        let m = resolve(&members, &next, &pairs).expect("resolve");
        assert!(!m.contains_key("owner"), "{m:?}");
        assert_eq!(m["baseline_survey_done_on"], "baseline_s");
    }

    #[test]
    fn cells_become_json() {
        assert_eq!(value(&Cell::Number(12.0)), Some(Value::from(12)));
        assert_eq!(value(&Cell::Number(1.5)), Some(serde_json::json!(1.5)));
        assert_eq!(
            value(&Cell::Text("[\"cd\",\"pb\"]".into())),
            Some(serde_json::json!(["cd", "pb"]))
        );
        assert_eq!(value(&Cell::Text("是".into())), Some(Value::Bool(true)));
        assert_eq!(value(&Cell::Text("  ".into())), None);
        assert_eq!(
            value(&Cell::Text("2024-01-02".into())),
            Some(Value::from("2024-01-02"))
        );
    }
}
