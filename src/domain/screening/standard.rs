//! GB 36600-2018: the 85 items with their screening and intervention values,
//! and finding an item under the name a laboratory wrote.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::Serialize;

use super::aliases::{self, normalize};
use super::reader::{self, Record};
use crate::domain::land_use::Gb36600Class;

const CSV: &str = include_str!("gb36600.csv");

const HEADER: [&str; 10] = [
    "item_no",
    "name_zh",
    "name_en",
    "cas",
    "group",
    "screen_class1",
    "screen_class2",
    "intervene_class1",
    "intervene_class2",
    "source",
];

static TABLE: LazyLock<Result<Gb36600, String>> = LazyLock::new(|| Gb36600::parse(CSV));

/// One GB 36600 item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Item {
    /// `T1-01` … `T1-45` (Table 1, basic items), `T2-01` … `T2-40` (Table 2).
    pub item_no: &'static str,
    pub name_zh: &'static str,
    /// An informal translation.
    pub name_en: &'static str,
    /// `None` for totals (PCBs, dioxin TEQ, PBBs, petroleum hydrocarbons);
    /// two numbers joined by a comma for m- plus p-xylene.
    pub cas: Option<&'static str>,
    /// Table and group, e.g. `基本项目/重金属和无机物`.
    pub group: &'static str,
    /// Screening values (筛选值), mg/kg: class 1, class 2.
    pub screening: [f64; 2],
    /// Intervention values (管制值), mg/kg: class 1, class 2.
    pub intervention: [f64; 2],
    /// Footnote ① (arsenic, cobalt, vanadium): a value over the screening value
    /// but not over the local background value is not managed as contamination.
    pub background_footnote: bool,
}

impl Item {
    /// The screening value (筛选值) in mg/kg for land of `class`.
    pub fn screening_value(&self, class: Gb36600Class) -> f64 {
        let [one, two] = self.screening;
        by_class(class, one, two)
    }

    /// The intervention value (管制值) in mg/kg for land of `class`.
    pub fn intervention_value(&self, class: Gb36600Class) -> f64 {
        let [one, two] = self.intervention;
        by_class(class, one, two)
    }
}

fn by_class(class: Gb36600Class, one: f64, two: f64) -> f64 {
    match class {
        Gb36600Class::One => one,
        Gb36600Class::Two => two,
    }
}

/// The whole standard, parsed once from the embedded CSV.
#[derive(Debug)]
pub struct Gb36600 {
    items: Vec<Item>,
    index: HashMap<String, usize>,
}

impl Gb36600 {
    /// The embedded standard, parsed on first use.
    ///
    /// # Errors
    ///
    /// Only if the CSV compiled into the binary is malformed: a build defect,
    /// which the test `embedded_gb36600_parses_with_85_items` rules out, and
    /// never a consequence of user input. Returned rather than panicking so a
    /// caller can answer 500 instead of aborting.
    pub fn get() -> Result<&'static Gb36600, String> {
        TABLE.as_ref().map_err(Clone::clone)
    }

    /// Parses the table in the layout of `gb36600.csv`. The text must be
    /// `'static` because items borrow their names from it.
    ///
    /// # Errors
    ///
    /// Malformed CSV, a wrong header or field count, a value that is not a
    /// positive number, a screening value above the intervention value of its
    /// class, a repeated item number, a name that would stand for two items,
    /// or an alias naming an item the table lacks.
    pub fn parse(csv: &'static str) -> Result<Gb36600, String> {
        let items = reader::read(csv, &HEADER)?
            .iter()
            .map(item)
            .collect::<Result<Vec<_>, _>>()?;
        let index = index(&items)?;
        Ok(Gb36600 { items, index })
    }

    /// All items, in table order.
    pub fn items(&self) -> &[Item] {
        &self.items
    }

    /// The item with exactly this number (`T1-01`), as stored by the registry.
    pub fn by_item_no(&self, item_no: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.item_no == item_no)
    }

    /// Finds an analyte by CAS number (either number for m+p-xylene), item
    /// number, Chinese or English name, or a common alias (`六价铬`, `Cr(VI)`,
    /// `BaP`, `TPH`, element symbols …). Brackets of every width and kind,
    /// dashes, spaces and case are ignored. `None` when unknown — including
    /// `Cr`/`铬` (total chromium) and `二氯乙烷` (which isomer?).
    pub fn find(&self, analyte: &str) -> Option<&Item> {
        self.index
            .get(&normalize(analyte))
            .and_then(|&i| self.items.get(i))
    }
}

fn item(r: &Record<'static>) -> Result<Item, String> {
    let screening = [
        r.concentration(5, "screen_class1")?,
        r.concentration(6, "screen_class2")?,
    ];
    let intervention = [
        r.concentration(7, "intervene_class1")?,
        r.concentration(8, "intervene_class2")?,
    ];
    if screening[0] > intervention[0] || screening[1] > intervention[1] {
        return Err(format!(
            "line {}: a screening value exceeds the intervention value",
            r.line
        ));
    }
    let source = r.optional_text(9, "source")?.unwrap_or("");
    Ok(Item {
        item_no: r.text(0, "item_no")?,
        name_zh: r.text(1, "name_zh")?,
        name_en: r.text(2, "name_en")?,
        cas: r.optional_text(3, "cas")?,
        group: r.text(4, "group")?,
        screening,
        intervention,
        background_footnote: source
            .split(';')
            .any(|note| note.trim().starts_with("note1")),
    })
}

fn index(items: &[Item]) -> Result<HashMap<String, usize>, String> {
    let mut index = HashMap::new();
    for (i, item) in items.iter().enumerate() {
        if items
            .iter()
            .take(i)
            .any(|other| other.item_no == item.item_no)
        {
            return Err(format!("item {} appears twice", item.item_no));
        }
        aliases::insert(&mut index, item.item_no, i)?;
        aliases::insert(&mut index, item.name_zh, i)?;
        aliases::insert(&mut index, item.name_en, i)?;
        for cas in item.cas.into_iter().flat_map(|c| c.split(',')) {
            aliases::insert(&mut index, cas, i)?;
        }
    }
    for (item_no, names) in aliases::GB36600 {
        let i = items
            .iter()
            .position(|item| item.item_no == *item_no)
            .ok_or_else(|| format!("an alias names item {item_no}, which is not in the table"))?;
        for name in *names {
            aliases::insert(&mut index, name, i)?;
        }
    }
    Ok(index)
}
