//! Which column of an imported file fills which member of a parcel, and how its values
//! are read: surveyors name columns in Chinese (地块编码, 用地性质, 所属镇街 …) and
//! write towns and uses by name as often as by code.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::domain::land_use::LAND_USES;
use crate::domain::parcel::FieldError;
use crate::domain::town::TOWNS;

/// A parcel member a column can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Member {
    Code,
    Name,
    Town,
    Address,
    CurrentUse,
    PlannedUse,
    LandRight,
    RightHolder,
    ResponsibleParty,
    Risk,
    /// The area the file states, in m²; checked against the computed area.
    AreaM2,
    /// The stated area in 亩 (1 亩 = 10000/15 m²).
    AreaMu,
    /// The stated area in hectares.
    AreaHa,
}

impl Member {
    pub const ALL: [Member; 13] = [
        Member::Code,
        Member::Name,
        Member::Town,
        Member::Address,
        Member::CurrentUse,
        Member::PlannedUse,
        Member::LandRight,
        Member::RightHolder,
        Member::ResponsibleParty,
        Member::Risk,
        Member::AreaM2,
        Member::AreaMu,
        Member::AreaHa,
    ];

    /// The name in the register's API (and in `--map member=column`).
    pub fn key(self) -> &'static str {
        match self {
            Member::Code => "code",
            Member::Name => "name",
            Member::Town => "town",
            Member::Address => "address",
            Member::CurrentUse => "current_use",
            Member::PlannedUse => "planned_use",
            Member::LandRight => "land_right",
            Member::RightHolder => "right_holder",
            Member::ResponsibleParty => "responsible_party",
            Member::Risk => "risk",
            Member::AreaM2 => "area_m2",
            Member::AreaMu => "area_mu",
            Member::AreaHa => "area_ha",
        }
    }

    pub fn parse(s: &str) -> Option<Member> {
        Member::ALL.into_iter().find(|m| m.key() == s.trim())
    }

    /// Column names that usually hold this member, compared without case, spaces or `_`.
    /// Our own export's column names (the API names, cut to ten bytes for DBF) come first.
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Member::Code => &[
                "code",
                "地块编码",
                "地块编号",
                "地块代码",
                "宗地编码",
                "宗地代码",
                "宗地号",
                "dkbm",
                "dkbh",
                "zddm",
                "parcelcode",
                "编码",
                "编号",
            ],
            Member::Name => &["name", "地块名称", "宗地名称", "项目名称", "dkmc", "名称"],
            Member::Town => &[
                "town",
                "所属镇街",
                "镇街",
                "所在镇街",
                "乡镇街道",
                "街道乡镇",
                "乡镇",
                "街道",
                "xzqmc",
                "xzq",
            ],
            Member::Address => &["address", "地址", "坐落", "土地坐落", "位置", "zl"],
            Member::CurrentUse => &[
                "currentuse",
                "currentus",
                "curuse",
                "用地性质",
                "现状用途",
                "现状用地性质",
                "土地用途",
                "现状用地",
                "xzyt",
            ],
            Member::PlannedUse => &[
                "plannedus",
                "planneduse",
                "planuse",
                "规划用途",
                "规划用地性质",
                "规划用地",
                "ghyt",
            ],
            Member::LandRight => &["landright", "landrigh", "土地权属状态", "权属状态"],
            Member::RightHolder => &[
                "rightholde",
                "rightholder",
                "权利人",
                "土地使用权人",
                "使用权人",
                "qlr",
            ],
            Member::ResponsibleParty => &[
                "responsibl",
                "responsibleparty",
                "责任主体",
                "责任人",
                "责任单位",
            ],
            Member::Risk => &["risk", "风险等级", "污染风险", "风险"],
            Member::AreaM2 => &[
                "aream2",
                "area",
                "面积",
                "面积m2",
                "面积平方米",
                "用地面积",
                "地块面积",
                "占地面积",
                "shapearea",
                "mj",
            ],
            Member::AreaMu => &["面积亩", "亩", "areamu", "用地面积亩", "地块面积亩"],
            Member::AreaHa => &["面积公顷", "公顷", "areaha", "用地面积公顷", "地块面积公顷"],
        }
    }
}

/// Lower-cases and drops spaces, `_`, `-`, brackets and units' punctuation so that
/// `地块面积（亩）`, `Area_Mu` and `AREAMU` compare equal to their aliases.
fn normalise(name: &str) -> String {
    name.chars()
        .filter(|c| {
            !matches!(
                c,
                ' ' | '_' | '-' | '(' | ')' | '（' | '）' | '[' | ']' | '²' | '.'
            )
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// Member → column. Saved per source so the next file from the same surveyor needs no choices.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Mapping(pub BTreeMap<Member, String>);

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

    /// The guess, with a saved mapping over it and the user's choices over both;
    /// a column that is not in the file is an error.
    pub fn resolve(
        columns: &[String],
        saved: Option<&Mapping>,
        chosen: &Mapping,
    ) -> Result<Mapping, FieldError> {
        let mut m = Mapping::guess(columns);
        for (member, col) in saved.iter().flat_map(|s| s.0.iter()).chain(chosen.0.iter()) {
            if !columns.iter().any(|c| c == col) {
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

    /// Parses `member=column` pairs given on the command line or in the upload form.
    pub fn parse_pairs<'a>(
        pairs: impl IntoIterator<Item = &'a str>,
    ) -> Result<Mapping, FieldError> {
        let mut out = BTreeMap::new();
        for p in pairs {
            let (m, c) = p.split_once('=').ok_or_else(|| {
                FieldError::new(
                    "map",
                    "invalid_mapping",
                    format!("'{p}' is not member=column"),
                )
            })?;
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
            out.insert(member, c.trim().to_owned());
        }
        Ok(Mapping(out))
    }

    pub fn column(&self, m: Member) -> Option<&str> {
        self.0.get(&m).map(String::as_str)
    }
}

/// A cell of an imported row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
}

impl Cell {
    fn text(&self) -> String {
        match self {
            Cell::Text(s) => s.trim().to_owned(),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Cell::Number(n) => n.to_string(),
        }
    }

    fn number(&self) -> Option<f64> {
        match self {
            Cell::Number(n) => Some(*n),
            Cell::Text(s) => s.trim().replace(',', "").parse().ok(),
        }
        .filter(|n: &f64| n.is_finite())
    }
}

/// A row mapped onto the register: the properties `NewParcel::parse` reads, and the
/// stated area in m² if the file gives one.
#[derive(Debug, Clone, PartialEq)]
pub struct Mapped {
    pub properties: Map<String, Value>,
    pub stated_area_m2: Option<f64>,
    /// The row has no town: it is taken from the town the polygon falls in.
    pub town_missing: bool,
}

const M2_PER_MU: f64 = 10_000.0 / 15.0;

/// Applies the mapping to one row: names of towns and uses become codes, Chinese risk
/// and land-right words become the API's values; unknown values are left for the
/// parser to reject by name.
pub fn apply(mapping: &Mapping, cell: impl Fn(&str) -> Option<Cell>) -> Result<Mapped, FieldError> {
    let get = |m: Member| {
        mapping
            .column(m)
            .and_then(&cell)
            .map(|c| c.text())
            .filter(|s| !s.is_empty())
    };
    let mut props = Map::new();
    for m in [
        Member::Code,
        Member::Name,
        Member::Address,
        Member::RightHolder,
        Member::ResponsibleParty,
    ] {
        if let Some(v) = get(m) {
            props.insert(m.key().to_owned(), Value::String(v));
        }
    }
    // A corner table or a bare boundary file has codes but no names: the code stands in.
    if mapping.column(Member::Name).is_none() {
        if let Some(code) = get(Member::Code) {
            props.insert("name".into(), Value::String(code));
        }
    }
    let town = get(Member::Town).map(|t| town_code(&t));
    let town_missing = town.is_none();
    if let Some(t) = town {
        props.insert("town".into(), Value::String(t));
    }
    for m in [Member::CurrentUse, Member::PlannedUse] {
        if let Some(v) = get(m) {
            props.insert(m.key().to_owned(), Value::String(land_use_code(&v)));
        }
    }
    if let Some(v) = get(Member::Risk) {
        props.insert("risk".into(), Value::String(risk(&v)));
    }
    if let Some(v) = get(Member::LandRight) {
        props.insert("land_right".into(), Value::String(land_right(&v)));
    }
    let area = |m: Member, factor: f64| -> Result<Option<f64>, FieldError> {
        match mapping.column(m).and_then(&cell) {
            None => Ok(None),
            Some(Cell::Text(s)) if s.trim().is_empty() => Ok(None),
            // GDAL reads a numeric cell a feature does not have (GeoJSON) as 0.
            Some(Cell::Number(0.0)) => Ok(None),
            Some(c) => c
                .number()
                .filter(|n| *n > 0.0)
                .map(|n| Some(n * factor))
                .ok_or_else(|| {
                    FieldError::new(
                        m.key(),
                        "invalid_value",
                        format!("{} must be a positive number, not '{}'", m.key(), c.text()),
                    )
                }),
        }
    };
    let stated_area_m2 = match area(Member::AreaM2, 1.0)? {
        Some(a) => Some(a),
        None => match area(Member::AreaMu, M2_PER_MU)? {
            Some(a) => Some(a),
            None => area(Member::AreaHa, 10_000.0)?,
        },
    };
    Ok(Mapped {
        properties: props,
        stated_area_m2,
        town_missing,
    })
}

/// A town's code from its code, its Chinese name (with or without 镇/街道) or English name.
fn town_code(v: &str) -> String {
    let bare = |s: &str| s.trim_end_matches("街道").trim_end_matches('镇').to_owned();
    TOWNS
        .iter()
        .find(|t| {
            t.code == v
                || t.name_zh == v
                || bare(t.name_zh) == bare(v)
                || t.name_en.eq_ignore_ascii_case(v)
        })
        .map_or_else(|| v.to_owned(), |t| t.code.to_owned())
}

/// A land-use code from its code or its Chinese name.
fn land_use_code(v: &str) -> String {
    LAND_USES
        .iter()
        .find(|u| u.code == v || u.name_zh == v)
        .map_or_else(|| v.to_owned(), |u| u.code.to_owned())
}

fn risk(v: &str) -> String {
    match v {
        "高" | "高风险" => "high",
        "中" | "中风险" => "medium",
        "低" | "低风险" => "low",
        "未知" | "待定" => "unknown",
        other => return other.to_ascii_lowercase(),
    }
    .to_owned()
}

fn land_right(v: &str) -> String {
    match v {
        "使用中" | "在用" => "in_use",
        "拟收回" => "withdrawal_planned",
        "已收回" => "withdrawn",
        "拟转让" => "transfer_planned",
        "已转让" => "transferred",
        "已供应" | "已出让" => "supplied",
        other => return other.to_ascii_lowercase(),
    }
    .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cols(c: &[&str]) -> Vec<String> {
        c.iter().map(|s| s.to_string()).collect()
    }

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
        let chosen = Mapping::parse_pairs(["code=宗地号"]).expect("pairs");
        let m = Mapping::resolve(&c, None, &chosen).expect("resolve");
        assert_eq!(m.column(Member::Code), Some("宗地号"));
        let bad = Mapping::parse_pairs(["code=nope"]).expect("pairs");
        assert_eq!(
            Mapping::resolve(&c, None, &bad).map_err(|e| e.code),
            Err("unknown_column")
        );
        assert!(Mapping::parse_pairs(["colour=名称"]).is_err());
        assert!(Mapping::parse_pairs(["code"]).is_err());
    }

    #[test]
    fn values_by_name_become_codes() {
        let m = Mapping::guess(&cols(&[
            "地块编码",
            "所属镇街",
            "规划用途",
            "风险等级",
            "面积（亩）",
        ]));
        let row = |k: &str| {
            Some(match k {
                "地块编码" => Cell::Text(" MTG-1 ".into()),
                "所属镇街" => Cell::Text("永定".into()),
                "规划用途" => Cell::Text("城镇住宅用地".into()),
                "风险等级" => Cell::Text("高".into()),
                _ => Cell::Number(1.5),
            })
        };
        let got = apply(&m, row).expect("apply");
        assert_eq!(got.properties["code"], "MTG-1");
        assert_eq!(got.properties["town"], "110109006");
        assert_eq!(got.properties["planned_use"], "0701");
        assert_eq!(got.properties["risk"], "high");
        assert!((got.stated_area_m2.expect("area") - 1000.0).abs() < 1e-9);
        assert!(!got.town_missing);
    }

    #[test]
    fn a_row_without_town_says_so_and_bad_areas_are_errors() {
        let m = Mapping::guess(&cols(&["code", "area"]));
        let got = apply(&m, |k| {
            Some(if k == "code" {
                Cell::Text("A".into())
            } else {
                Cell::Text("".into())
            })
        })
        .expect("apply");
        assert!(got.town_missing);
        assert_eq!(got.stated_area_m2, None);
        let err = apply(&m, |k| {
            Some(if k == "code" {
                Cell::Text("A".into())
            } else {
                Cell::Text("大".into())
            })
        });
        assert_eq!(err.map_err(|e| e.code), Err("invalid_value"));
    }
}
