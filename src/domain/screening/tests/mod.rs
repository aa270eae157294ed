//! Tests of the screening module. Expected values are written out here from
//! the text of the standards (and the CSVs as text), never taken from the code
//! under test.

mod background;
mod construction;
mod farmland;
mod farmland_table;
mod find;
mod reader;
mod standard;
mod unit;

use super::{Gb15618, Gb36600, Item, Measured};

fn gb36600() -> &'static Gb36600 {
    Gb36600::get().expect("the embedded GB 36600 table parses")
}

fn gb15618() -> &'static Gb15618 {
    Gb15618::get().expect("the embedded GB 15618 table parses")
}

/// The item under a name the tests know to exist.
fn item(name: &str) -> &'static Item {
    gb36600()
        .find(name)
        .unwrap_or_else(|| panic!("'{name}' is a GB 36600 item"))
}

fn measured(key: usize, name: &str, value_mgkg: f64) -> Measured<'static> {
    Measured {
        key,
        item: item(name),
        value_mgkg,
        below_detection: false,
    }
}

/// A test table made by editing the embedded text; parsing needs `'static` text.
fn leak(text: String) -> &'static str {
    Box::leak(text.into_boxed_str())
}
