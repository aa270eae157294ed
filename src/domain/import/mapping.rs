//! Which column of an imported file fills which member of a parcel, and how its values
//! are read: surveyors name columns in Chinese (地块编码, 用地性质, 所属镇街 …) and
//! write towns and uses by name as often as by code.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::member::normalise;
pub use super::member::{Member, Members};
use crate::domain::parcel::FieldError;

/// Member → column: the columns an import reads.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Mapping(pub BTreeMap<Member, String>);

/// Member → column as a person chose it (on the command line, in the upload form, or saved
/// per source so the next file from the same surveyor needs no choices). `None` — written
/// `member=` — says the member has no column, even where a column's name would be guessed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Choices(pub BTreeMap<Member, Option<String>>);

/// A `member=column` choice split in two (both trimmed; the column may be empty).
pub fn split_pair(p: &str) -> Result<(&str, &str), FieldError> {
    p.split_once('=')
        .map(|(m, c)| (m.trim(), c.trim()))
        .ok_or_else(|| {
            FieldError::new(
                "map",
                "invalid_mapping",
                format!("'{p}' is not member=column (or member= for no column)"),
            )
        })
}

impl Mapping {
    /// Guesses from the column names: exact aliases first; then names a DBF cut to ten
    /// bytes (`地块编` of 地块编码 in UTF-8, often with half a character left over).
    /// Each column is used once.
    pub fn guess(columns: &[String]) -> Mapping {
        let mut taken = vec![false; columns.len()];
        let mut out = BTreeMap::new();
        let exact = |c: &str, alias: &str| normalise(c) == normalise(alias);
        let cut = |c: &str, alias: &str| {
            let c = normalise(c.trim_end_matches('\u{fffd}'));
            let was_cut = c.len() >= 8 || !c.is_ascii();
            was_cut && c.chars().count() >= 2 && normalise(alias).starts_with(&c)
        };
        for matches in [&exact as &dyn Fn(&str, &str) -> bool, &cut] {
            for m in Member::ALL {
                if out.contains_key(&m) {
                    continue;
                }
                let found = m.aliases().iter().find_map(|alias| {
                    columns
                        .iter()
                        .enumerate()
                        .find(|(i, c)| !taken[*i] && matches(c, alias))
                        .map(|(i, _)| i)
                });
                if let Some(i) = found {
                    taken[i] = true;
                    out.insert(m, columns[i].clone());
                }
            }
        }
        Mapping(out)
    }

    /// The guess, with a saved mapping over it and the user's choices over both. A column
    /// the user chose that is not in the file is an error; one the saved mapping names is
    /// passed over (the source's last file had it, this one need not).
    pub fn resolve(
        columns: &[String],
        saved: Option<&Choices>,
        chosen: &Choices,
    ) -> Result<Mapping, FieldError> {
        let mut m = Mapping::guess(columns);
        let in_file = |col: &String| columns.iter().any(|c| c == col);
        let saved = saved
            .iter()
            .flat_map(|s| s.0.iter())
            .filter(|(_, col)| col.as_ref().is_none_or(in_file));
        for (member, col) in saved.chain(chosen.0.iter()) {
            let Some(col) = col else {
                m.0.remove(member);
                continue;
            };
            if !in_file(col) {
                return Err(FieldError::new(
                    member.key(),
                    "unknown_column",
                    format!(
                        "column '{col}' for {} is not in the file (it has: {})",
                        member.key(),
                        columns.join(", ")
                    ),
                ));
            }
            m.0.retain(|k, c| k == member || c != col);
            m.0.insert(*member, col.clone());
        }
        Ok(m)
    }

    pub fn column(&self, m: Member) -> Option<&str> {
        self.0.get(&m).map(String::as_str)
    }

    /// The parcel attributes the file has columns for: all an existing parcel is compared
    /// on, and all an update writes. A member the file lacks says nothing about the parcel.
    pub fn attributes(&self) -> Vec<Member> {
        self.0
            .keys()
            .copied()
            .filter(|m| m.is_attribute())
            .collect()
    }

    /// What to save for a source: the columns this mapping read, and the members that
    /// were left without one (by the saved choices or this time's) stay without one.
    pub fn to_save(&self, saved: Option<&Choices>, chosen: &Choices) -> Choices {
        let mut out: BTreeMap<Member, Option<String>> = saved
            .iter()
            .flat_map(|s| s.0.iter())
            .chain(chosen.0.iter())
            .filter(|(_, c)| c.is_none())
            .map(|(m, _)| (*m, None))
            .collect();
        out.extend(self.0.iter().map(|(m, c)| (*m, Some(c.clone()))));
        Choices(out)
    }
}

impl Choices {
    /// Parses `member=column` pairs given on the command line or in the upload form;
    /// `member=` leaves the member without a column.
    pub fn parse_pairs<'a>(
        pairs: impl IntoIterator<Item = &'a str>,
    ) -> Result<Choices, FieldError> {
        let mut out = BTreeMap::new();
        for p in pairs {
            let (m, c) = split_pair(p)?;
            let member = Member::parse(m).ok_or_else(|| {
                FieldError::new(
                    "map",
                    "invalid_mapping",
                    format!(
                        "'{m}' is not a parcel member; use one of {}",
                        Member::ALL.map(Member::key).join(", ")
                    ),
                )
            })?;
            out.insert(member, (!c.is_empty()).then(|| c.to_owned()));
        }
        Ok(Choices(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::import::cols;

    #[test]
    fn guesses_common_chinese_field_names() {
        let c = cols(&[
            "FID",
            "地块编码",
            "地块名称",
            "用地性质",
            "规划用途",
            "所属镇街",
            "面积",
        ]);
        let m = Mapping::guess(&c);
        assert_eq!(m.column(Member::Code), Some("地块编码"));
        assert_eq!(m.column(Member::Name), Some("地块名称"));
        assert_eq!(m.column(Member::CurrentUse), Some("用地性质"));
        assert_eq!(m.column(Member::PlannedUse), Some("规划用途"));
        assert_eq!(m.column(Member::Town), Some("所属镇街"));
        assert_eq!(m.column(Member::AreaM2), Some("面积"));
        assert_eq!(m.column(Member::Address), None);
    }

    #[test]
    fn guesses_units_and_our_own_export_names() {
        let m = Mapping::guess(&cols(&[
            "DKBM",
            "地块面积（亩）",
            "PLANNED_US",
            "RIGHT_HOLDE",
        ]));
        assert_eq!(m.column(Member::Code), Some("DKBM"));
        assert_eq!(m.column(Member::AreaMu), Some("地块面积（亩）"));
        assert_eq!(m.column(Member::AreaM2), None);
        assert_eq!(m.column(Member::PlannedUse), Some("PLANNED_US"));
        assert_eq!(m.column(Member::RightHolder), Some("RIGHT_HOLDE"));
    }

    #[test]
    fn names_cut_by_a_dbf_still_match() {
        let c = cols(&[
            "地块编\u{fffd}",
            "地块名\u{fffd}",
            "所属镇\u{fffd}",
            "规划用\u{fffd}",
            "FID",
        ]);
        let m = Mapping::guess(&c);
        assert_eq!(m.column(Member::Code), Some("地块编\u{fffd}"));
        assert_eq!(m.column(Member::Name), Some("地块名\u{fffd}"));
        assert_eq!(m.column(Member::Town), Some("所属镇\u{fffd}"));
        assert_eq!(m.column(Member::PlannedUse), Some("规划用\u{fffd}"));
        // A short ASCII name is not taken for a cut one.
        assert_eq!(Mapping::guess(&cols(&["na"])).column(Member::Name), None);
    }

    #[test]
    fn choices_override_guesses_and_must_name_real_columns() {
        let c = cols(&["编号", "宗地号", "名称"]);
        let chosen = Choices::parse_pairs(["code=宗地号"]).expect("pairs");
        let m = Mapping::resolve(&c, None, &chosen).expect("resolve");
        assert_eq!(m.column(Member::Code), Some("宗地号"));
        let bad = Choices::parse_pairs(["code=nope"]).expect("pairs");
        assert_eq!(
            Mapping::resolve(&c, None, &bad).map_err(|e| e.code),
            Err("unknown_column")
        );
        assert!(Choices::parse_pairs(["colour=名称"]).is_err());
        assert!(Choices::parse_pairs(["code"]).is_err());
    }

    #[test]
    fn member_without_a_column_stays_without_one() {
        let c = cols(&["编号", "名称", "地址"]);
        assert_eq!(Mapping::guess(&c).column(Member::Name), Some("名称"));
        // `name=`: the 名称 column holds something else
        let chosen = Choices::parse_pairs(["name=", "address = 地址"]).expect("pairs");
        assert_eq!(chosen.0.get(&Member::Name), Some(&None));
        let m = Mapping::resolve(&c, None, &chosen).expect("resolve");
        assert_eq!(m.column(Member::Name), None);
        assert_eq!(m.column(Member::Code), Some("编号"));
        // Saved, the choice holds for the next file with no choices given …
        let saved = m.to_save(None, &chosen);
        assert_eq!(saved.0.get(&Member::Name), Some(&None));
        assert_eq!(saved.0.get(&Member::Code), Some(&Some("编号".to_owned())));
        let next = Mapping::resolve(&c, Some(&saved), &Choices::default()).expect("resolve");
        assert_eq!(next, m);
        // … until a choice names a column again.
        let again = Choices::parse_pairs(["name=名称"]).expect("pairs");
        let m2 = Mapping::resolve(&c, Some(&saved), &again).expect("resolve");
        assert_eq!(m2.column(Member::Name), Some("名称"));
        assert_eq!(
            m2.to_save(Some(&saved), &again).0.get(&Member::Name),
            Some(&Some("名称".to_owned()))
        );
        // A saved column the next file lacks is passed over; a chosen one is an error.
        let fewer = cols(&["编号", "名称"]);
        let m3 = Mapping::resolve(
            &fewer,
            Some(&m2.to_save(Some(&saved), &again)),
            &Choices::default(),
        )
        .expect("a saved column the file lacks is no error");
        assert_eq!(m3.column(Member::Address), None);
        assert_eq!(m3.column(Member::Name), Some("名称"));
        let gone = Choices::parse_pairs(["address=地址"]).expect("pairs");
        assert!(Mapping::resolve(&fewer, None, &gone).is_err());
        // A mapping saved before choices could be empty still reads.
        let old: Choices = serde_json::from_str(r#"{"code":"编号"}"#).expect("old saved mapping");
        assert_eq!(old.0.get(&Member::Code), Some(&Some("编号".to_owned())));
    }

    #[test]
    fn a_set_of_members_holds_each_of_the_thirteen_apart() {
        let mut set = Members::default();
        for m in [Member::Code, Member::Risk, Member::AreaHa] {
            set.insert(m);
        }
        let held: Vec<Member> = Member::ALL
            .into_iter()
            .filter(|m| set.contains(*m))
            .collect();
        assert_eq!(held, [Member::Code, Member::Risk, Member::AreaHa]);
        assert_eq!(Members::bit_of(Member::AreaHa), 1 << 12);
        assert!(set.bits() > 0, "fits a smallint without its sign bit");
    }

    #[test]
    fn only_the_attributes_a_file_has_columns_for_are_compared_and_updated() {
        let c = cols(&["地块编码", "地块名称", "面积", "权利人"]);
        let m = Mapping::guess(&c);
        assert_eq!(m.attributes(), [Member::Name, Member::RightHolder]);
        assert!(Member::ALL.iter().filter(|m| !m.is_attribute()).eq(&[
            Member::Code,
            Member::AreaM2,
            Member::AreaMu,
            Member::AreaHa
        ]));
    }
}
