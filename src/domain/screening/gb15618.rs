//! GB 15618-2018 (agricultural land): the table of screening values by soil pH
//! band and land type, and intervention values by pH band.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use super::aliases::{self, normalize};
use super::construction::Level;
use super::reader::{self, Record};

const CSV: &str = include_str!("gb15618.csv");

const HEADER: [&str; 8] = [
    "value_type",
    "element",
    "name_zh",
    "cas",
    "land_type",
    "ph_band",
    "value_mgkg",
    "source",
];

static TABLE: LazyLock<Result<Gb15618, String>> = LazyLock::new(|| Gb15618::parse(CSV));

/// The soil pH bands of GB 15618; each upper bound belongs to its band.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum PhBand {
    #[serde(rename = "pH<=5.5")]
    UpTo5_5,
    #[serde(rename = "5.5<pH<=6.5")]
    Over5_5To6_5,
    #[serde(rename = "6.5<pH<=7.5")]
    Over6_5To7_5,
    #[serde(rename = "pH>7.5")]
    Over7_5,
}

impl PhBand {
    /// All bands, most acid first.
    pub const ALL: [PhBand; 4] = [
        PhBand::UpTo5_5,
        PhBand::Over5_5To6_5,
        PhBand::Over6_5To7_5,
        PhBand::Over7_5,
    ];

    /// The band of a pH; `None` unless it is a finite number from 0 to 14.
    pub fn of(ph: f64) -> Option<PhBand> {
        if !(0.0..=14.0).contains(&ph) {
            return None;
        }
        Some(if ph <= 5.5 {
            PhBand::UpTo5_5
        } else if ph <= 6.5 {
            PhBand::Over5_5To6_5
        } else if ph <= 7.5 {
            PhBand::Over6_5To7_5
        } else {
            PhBand::Over7_5
        })
    }

    /// The label used in the CSV and on the wire, e.g. `pH<=5.5`.
    pub fn label(self) -> &'static str {
        match self {
            PhBand::UpTo5_5 => "pH<=5.5",
            PhBand::Over5_5To6_5 => "5.5<pH<=6.5",
            PhBand::Over6_5To7_5 => "6.5<pH<=7.5",
            PhBand::Over7_5 => "pH>7.5",
        }
    }
}

/// The kind of farmland, which picks the column of screening values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FarmLandType {
    /// 水田: its own values for Cd, Hg, As, Pb, Cr; the 其他 value for Cu.
    Paddy,
    /// 果园: its own value for Cu; the 其他 values for Cd, Hg, As, Pb, Cr.
    Orchard,
    /// 其他: dry land, irrigated land, vegetable land …
    Other,
}

impl FarmLandType {
    /// All land types.
    pub const ALL: [FarmLandType; 3] = [
        FarmLandType::Paddy,
        FarmLandType::Orchard,
        FarmLandType::Other,
    ];

    /// Parses `paddy`/`水田`, `orchard`/`果园`, `other`/`其他`/`旱地`/`水浇地`/`菜地`,
    /// ignoring case and spaces.
    pub fn parse(s: &str) -> Option<Self> {
        let s: String = s
            .chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect();
        match s.as_str() {
            "paddy" | "水田" => Some(FarmLandType::Paddy),
            "orchard" | "果园" => Some(FarmLandType::Orchard),
            "other" | "其他" | "旱地" | "水浇地" | "菜地" => Some(FarmLandType::Other),
            _ => None,
        }
    }

    /// The column heading in GB 15618: 水田, 果园, 其他.
    pub fn name_zh(self) -> &'static str {
        match self {
            FarmLandType::Paddy => "水田",
            FarmLandType::Orchard => "果园",
            FarmLandType::Other => "其他",
        }
    }
}

/// One row of the GB 15618 table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FarmRow {
    pub level: Level,
    /// The element code of the CSV: `Cd`, `Hg` … `HCH_total`, `DDT_total`, `BaP`.
    pub element: &'static str,
    pub name_zh: &'static str,
    pub cas: Option<&'static str>,
    /// `None`: all land (`all` in the CSV).
    pub land_type: Option<FarmLandType>,
    /// `None`: every pH (`all` in the CSV).
    pub ph_band: Option<PhBand>,
    pub value_mgkg: f64,
}

/// The whole of GB 15618 as data, parsed once from the embedded CSV.
#[derive(Debug)]
pub struct Gb15618 {
    rows: Vec<FarmRow>,
    index: HashMap<String, &'static str>,
}

impl Gb15618 {
    /// The embedded table, parsed on first use.
    ///
    /// # Errors
    ///
    /// Only if the CSV compiled into the binary is malformed, which the test
    /// `the_embedded_gb15618_table_has_79_rows` rules out.
    pub fn get() -> Result<&'static Gb15618, String> {
        TABLE.as_ref().map_err(Clone::clone)
    }

    /// Parses the table in the layout of `gb15618.csv`.
    ///
    /// # Errors
    ///
    /// Malformed CSV, an unknown value type, land type or pH band, a value
    /// that is not a positive number, a repeated row, an element whose rows
    /// leave some pH band or land type without a value, or a name that would
    /// stand for two elements.
    pub fn parse(csv: &'static str) -> Result<Gb15618, String> {
        let rows = reader::read(csv, &HEADER)?
            .iter()
            .map(row)
            .collect::<Result<Vec<_>, _>>()?;
        let table = Gb15618 {
            index: index(&rows)?,
            rows,
        };
        table.check_complete()?;
        Ok(table)
    }

    /// All rows, in table order.
    pub fn rows(&self) -> &[FarmRow] {
        &self.rows
    }

    /// The element code for a name as written: code, Chinese or English name,
    /// CAS number or alias; brackets, dashes, spaces and case ignored.
    pub fn find(&self, analyte: &str) -> Option<&'static str> {
        self.index.get(&normalize(analyte)).copied()
    }

    /// The row that sets the limit at `level` for `element`, or `None` when the
    /// standard has no such limit (e.g. no intervention value for Cu). A row
    /// for the land type itself wins, then one for all land, then the 其他
    /// row, which covers orchards for Cd…Cr and paddies for Cu.
    pub fn limit(
        &self,
        element: &str,
        level: Level,
        band: PhBand,
        land: FarmLandType,
    ) -> Option<&FarmRow> {
        let applicable = |r: &&FarmRow| {
            r.element == element && r.level == level && r.ph_band.is_none_or(|b| b == band)
        };
        [Some(land), None, Some(FarmLandType::Other)]
            .into_iter()
            .find_map(|wanted| {
                self.rows
                    .iter()
                    .filter(applicable)
                    .find(|r| r.land_type == wanted)
            })
    }

    /// Every element with a screening row has a screening value for every band
    /// and land type; an element's intervention rows, if any, cover every band.
    fn check_complete(&self) -> Result<(), String> {
        for r in &self.rows {
            for band in PhBand::ALL {
                for land in FarmLandType::ALL {
                    if self.limit(r.element, r.level, band, land).is_none() {
                        return Err(format!(
                            "{} has no {:?} value for {} land at {}",
                            r.element,
                            r.level,
                            land.name_zh(),
                            band.label()
                        ));
                    }
                }
            }
        }
        Ok(())
    }
}

fn row(r: &Record<'static>) -> Result<FarmRow, String> {
    let level = match r.text(0, "value_type")? {
        "screening" => Level::Screening,
        "intervention" => Level::Intervention,
        other => return Err(format!("line {}: unknown value_type '{other}'", r.line)),
    };
    let land_type = match r.text(4, "land_type")? {
        "all" => None,
        other => Some(
            FarmLandType::parse(other)
                .filter(|l| l.name_zh() == other)
                .ok_or_else(|| format!("line {}: unknown land_type '{other}'", r.line))?,
        ),
    };
    let ph_band = match r.text(5, "ph_band")? {
        "all" => None,
        other => Some(
            PhBand::ALL
                .into_iter()
                .find(|b| b.label() == other)
                .ok_or_else(|| format!("line {}: unknown ph_band '{other}'", r.line))?,
        ),
    };
    Ok(FarmRow {
        level,
        element: r.text(1, "element")?,
        name_zh: r.text(2, "name_zh")?,
        cas: r.optional_text(3, "cas")?,
        land_type,
        ph_band,
        value_mgkg: r.concentration(6, "value_mgkg")?,
    })
}

fn index(rows: &[FarmRow]) -> Result<HashMap<String, &'static str>, String> {
    let mut index = HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        let same = |o: &&FarmRow| {
            o.element == r.element
                && o.level == r.level
                && o.land_type == r.land_type
                && o.ph_band == r.ph_band
        };
        if rows.iter().take(i).any(|o| same(&o)) {
            return Err(format!("{} has two {:?} rows alike", r.element, r.level));
        }
        aliases::insert(&mut index, r.element, r.element)?;
        aliases::insert(&mut index, r.name_zh, r.element)?;
        if let Some(cas) = r.cas {
            aliases::insert(&mut index, cas, r.element)?;
        }
    }
    for (element, names) in aliases::GB15618 {
        let element = rows
            .iter()
            .find(|r| r.element == *element)
            .map(|r| r.element)
            .ok_or_else(|| format!("an alias names {element}, which is not in the table"))?;
        for name in *names {
            aliases::insert(&mut index, name, element)?;
        }
    }
    Ok(index)
}
