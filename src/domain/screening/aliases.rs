//! How analyte names written by laboratories are compared with the tables, and
//! the common names that are not in the tables themselves.

use std::collections::HashMap;

/// The comparable form of a name: full-width ASCII to half-width, every kind
/// of bracket to `()`, dashes and whitespace dropped, primes to `'`, lower case.
/// Dropping dashes makes `1,2-二氯乙烷`, `1，2－二氯乙烷` and `1,2二氯乙烷` one name
/// (and CAS numbers with or without dashes, which stay unique).
pub(super) fn normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        let c = match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
            _ => c,
        };
        match c {
            '(' | '[' | '【' | '〔' | '〖' | '「' => out.push('('),
            ')' | ']' | '】' | '〕' | '〗' | '」' => out.push(')'),
            '-' | '‐' | '‑' | '‒' | '–' | '—' | '−' => {}
            '’' | '‘' | '′' | '`' | '´' => out.push('\''),
            'Ⅵ' | 'ⅵ' => out.push_str("vi"),
            c if c.is_whitespace() => {}
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Adds `name` for entry `at`; two entries under one name is an error, so the
/// lookup can never be ambiguous.
pub(super) fn insert<T: Copy + PartialEq + std::fmt::Debug>(
    index: &mut HashMap<String, T>,
    name: &str,
    at: T,
) -> Result<(), String> {
    let key = normalize(name);
    if key.is_empty() {
        return Ok(());
    }
    match index.insert(key, at) {
        Some(before) if before != at => Err(format!(
            "the name '{name}' would stand for both {before:?} and {at:?}"
        )),
        _ => Ok(()),
    }
}

/// GB 36600 names not in the table, by item number. `Cr`/`铬`/`总铬` are left
/// out on purpose: they mean total chromium, which GB 36600 does not list, and
/// matching them to hexavalent chromium would compare a total with a limit of
/// 3 mg/kg.
pub(super) const GB36600: &[(&str, &[&str])] = &[
    ("T1-01", &["As", "总砷"]),
    ("T1-02", &["Cd", "总镉"]),
    (
        "T1-03",
        &[
            "六价铬",
            "Cr6+",
            "Cr(6+)",
            "Cr⁶⁺",
            "Cr(VI)",
            "Cr VI",
            "铬(VI)",
            "hexavalent chromium",
            "chromium(VI)",
        ],
    ),
    ("T1-04", &["Cu", "总铜"]),
    ("T1-05", &["Pb", "总铅"]),
    ("T1-06", &["Hg", "总汞"]),
    ("T1-07", &["Ni", "总镍"]),
    ("T1-09", &["三氯甲烷", "trichloromethane"]),
    ("T1-12", &["1,2-DCA", "ethylene dichloride"]),
    (
        "T1-33",
        &[
            "间,对-二甲苯",
            "间/对-二甲苯",
            "m,p-二甲苯",
            "m/p-二甲苯",
            "m,p-xylene",
            "m/p-xylene",
        ],
    ),
    (
        "T1-39",
        &[
            "苯并芘",
            "3,4-苯并芘",
            "苯并(a)芘",
            "BaP",
            "B(a)P",
            "benzo(a)pyrene",
        ],
    ),
    ("T1-42", &["屈"]),
    ("T2-01", &["Sb"]),
    ("T2-02", &["Be"]),
    ("T2-03", &["Co"]),
    ("T2-04", &["MeHg"]),
    ("T2-05", &["V"]),
    ("T2-17", &["DEHP"]),
    ("T2-22", &["Chlordane"]),
    ("T2-25", &["DDT"]),
    ("T2-28", &["Endosulfan"]),
    ("T2-30", &["α-HCH"]),
    ("T2-31", &["β-HCH"]),
    ("T2-32", &["γ-HCH", "林丹", "lindane"]),
    ("T2-35", &["多氯联苯", "多氯联苯总量", "PCBs"]),
    ("T2-36", &["PCB 126", "PCB126"]),
    ("T2-37", &["PCB 169", "PCB169"]),
    (
        "T2-38",
        &[
            "二噁英",
            "二噁英类",
            "二恶英",
            "二恶英类",
            "dioxins",
            "dioxin",
        ],
    ),
    ("T2-39", &["多溴联苯", "多溴联苯总量", "PBBs"]),
    (
        "T2-40",
        &[
            "石油烃",
            "石油烃类",
            "可萃取性石油烃(C10-C40)",
            "TPH",
            "TPH(C10-C40)",
            "C10-C40",
            "Petroleum hydrocarbons",
        ],
    ),
];

/// GB 15618 names not in the table, by element code. Here `Cr`/`铬` is right:
/// GB 15618 limits total chromium.
pub(super) const GB15618: &[(&str, &[&str])] = &[
    ("Cd", &["cadmium", "总镉"]),
    ("Hg", &["mercury", "总汞"]),
    ("As", &["arsenic", "总砷"]),
    ("Pb", &["lead", "总铅"]),
    ("Cr", &["chromium", "总铬", "total chromium"]),
    ("Cu", &["copper", "总铜"]),
    ("Ni", &["nickel", "总镍"]),
    ("Zn", &["zinc", "总锌"]),
    (
        "HCH_total",
        &["六六六", "总六六六", "HCH", "HCHs", "total HCH"],
    ),
    (
        "DDT_total",
        &["滴滴涕", "总滴滴涕", "DDT", "DDTs", "total DDT"],
    ),
    (
        "BaP",
        &[
            "苯并芘",
            "3,4-苯并芘",
            "苯并(a)芘",
            "B(a)P",
            "benzo(a)pyrene",
        ],
    ),
];
