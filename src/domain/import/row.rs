//! One row of an imported file through the mapping: its cells read as the register's
//! properties — towns and uses by name become codes, Chinese risk and land-right words the
//! API's values, areas in m², 亩 or hectares become m².

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::mapping::{Mapping, Member, Members};
use crate::domain::land_use::LandUse;
use crate::domain::parcel::FieldError;
use crate::domain::town::Town;

/// A cell of an imported row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
}

impl Cell {
    fn text(&self) -> Cow<'_, str> {
        match self {
            Cell::Text(s) => Cow::Borrowed(s.trim()),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => {
                Cow::Owned(format!("{}", *n as i64))
            }
            Cell::Number(n) => Cow::Owned(n.to_string()),
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
    /// The attributes the mapping has a column for whose cell is empty in this row: an
    /// update leaves them as they are.
    pub blank: Members,
}

const M2_PER_MU: f64 = 10_000.0 / 15.0;

/// Applies the mapping to one row: names of towns and uses become codes, Chinese risk
/// and land-right words become the API's values; unknown values are left for the
/// parser to reject by name.
pub fn apply<'c>(
    mapping: &Mapping,
    cell: impl Fn(&str) -> Option<&'c Cell>,
) -> Result<Mapped, FieldError> {
    let get = |m: Member| {
        mapping
            .column(m)
            .and_then(&cell)
            .map(|c| c.text())
            .filter(|s| !s.is_empty())
    };
    let mut blank = Members::default();
    for (&m, _) in mapping.0.iter().filter(|(m, _)| m.is_attribute()) {
        if get(m).is_none() {
            blank.insert(m);
        }
    }
    let mut props = Map::new();
    for m in [
        Member::Code,
        Member::Name,
        Member::Address,
        Member::RightHolder,
        Member::ResponsibleParty,
    ] {
        if let Some(v) = get(m) {
            props.insert(m.key().to_owned(), Value::String(v.into_owned()));
        }
    }
    // A corner table or a bare boundary file has codes but no names, a KML placemark may
    // have an empty name: the code stands in (an update leaves the name as it was: the
    // cell is blank).
    if !props.contains_key("name") {
        if let Some(code) = get(Member::Code) {
            props.insert("name".into(), Value::String(code.into_owned()));
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
        blank,
    })
}

/// A town's code from its code, its Chinese name (with or without 镇/街道) or English name.
fn town_code(v: &str) -> String {
    Town::parse(v)
        .or_else(|| Town::named(v))
        .map_or_else(|| v.to_owned(), |t| t.code().to_owned())
}

/// A land-use code from its code or its Chinese name.
fn land_use_code(v: &str) -> String {
    LandUse::parse(v)
        .or_else(|| LandUse::named(v))
        .map_or_else(|| v.to_owned(), |u| u.code().to_owned())
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
    use crate::domain::import::cols;

    #[test]
    fn the_empty_cells_of_mapped_attributes_are_named_and_nothing_else() {
        let m = Mapping::guess(&cols(&["地块编码", "权利人", "风险等级", "面积"]));
        let cells = [
            ("地块编码", Cell::Text("MTG-2".into())),
            ("权利人", Cell::Text("  ".into())),
        ];
        let row = |k: &str| cells.iter().find(|(n, _)| *n == k).map(|(_, c)| c);
        let got = apply(&m, row).expect("apply");
        let blank: Vec<Member> = Member::ALL
            .into_iter()
            .filter(|m| got.blank.contains(*m))
            .collect();
        // the risk's cell is missing, the right holder's is spaces; the area is not kept
        assert_eq!(blank, [Member::RightHolder, Member::Risk]);
        // a name column whose cell is empty: the code stands in
        let named = Mapping::guess(&cols(&["地块编码", "地块名称"]));
        let got = apply(&named, row).expect("apply");
        assert_eq!(got.properties["name"], "MTG-2");
        assert!(got.blank.contains(Member::Name));
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
        let named = [
            ("地块编码", Cell::Text(" MTG-1 ".into())),
            ("所属镇街", Cell::Text("永定".into())),
            ("规划用途", Cell::Text("城镇住宅用地".into())),
            ("风险等级", Cell::Text("高".into())),
        ];
        let area = Cell::Number(1.5);
        let row = |k: &str| {
            Some(
                named
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map_or(&area, |(_, c)| c),
            )
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
    fn towns_and_uses_are_found_by_code_and_by_name_and_unknown_ones_left_as_they_are() {
        let yongding = crate::domain::town::TOWNS
            .iter()
            .find(|t| t.name_zh == "永定镇")
            .expect("永定镇");
        for v in [
            yongding.code,
            "永定镇",
            "永定",
            yongding.name_en,
            &yongding.name_en.to_uppercase(),
        ] {
            assert_eq!(town_code(v), yongding.code, "{v}");
        }
        assert_eq!(town_code("大峪"), town_code("大峪街道"));
        assert_eq!(town_code("火星镇"), "火星镇");
        assert_eq!(land_use_code("城镇住宅用地"), "0701");
        assert_eq!(land_use_code("0701"), "0701");
        assert_eq!(land_use_code("月球基地"), "月球基地");
    }

    #[test]
    fn a_row_without_town_says_so_and_bad_areas_are_errors() {
        let m = Mapping::guess(&cols(&["code", "area"]));
        let (code, blank, big) = (
            Cell::Text("A".into()),
            Cell::Text("".into()),
            Cell::Text("大".into()),
        );
        let got = apply(&m, |k| Some(if k == "code" { &code } else { &blank })).expect("apply");
        assert!(got.town_missing);
        assert_eq!(got.stated_area_m2, None);
        let err = apply(&m, |k| Some(if k == "code" { &code } else { &big }));
        assert_eq!(err.map_err(|e| e.code), Err("invalid_value"));
    }
}
