//! Finding a GB 36600 item under the name a laboratory wrote.

use super::gb36600;

/// (as written, item number, Chinese name in the standard)
const ALIASES: &[(&str, &str, &str)] = &[
    ("六价铬", "T1-03", "铬（六价）"),
    ("铬（六价）", "T1-03", "铬（六价）"),
    ("铬(六价)", "T1-03", "铬（六价）"),
    ("铬 ( 六价 )", "T1-03", "铬（六价）"),
    ("Cr6+", "T1-03", "铬（六价）"),
    ("cr6+", "T1-03", "铬（六价）"),
    ("Cr(VI)", "T1-03", "铬（六价）"),
    ("Cr（VI）", "T1-03", "铬（六价）"),
    ("Cr(Ⅵ)", "T1-03", "铬（六价）"),
    ("Cr VI", "T1-03", "铬（六价）"),
    ("CrVI", "T1-03", "铬（六价）"),
    ("Chromium (hexavalent)", "T1-03", "铬（六价）"),
    ("As", "T1-01", "砷"),
    ("砷", "T1-01", "砷"),
    ("Cd", "T1-02", "镉"),
    ("镉", "T1-02", "镉"),
    ("Cu", "T1-04", "铜"),
    ("铜", "T1-04", "铜"),
    ("Pb", "T1-05", "铅"),
    ("铅", "T1-05", "铅"),
    ("Hg", "T1-06", "汞"),
    ("汞", "T1-06", "汞"),
    ("总汞", "T1-06", "汞"),
    ("Ni", "T1-07", "镍"),
    ("镍", "T1-07", "镍"),
    ("Sb", "T2-01", "锑"),
    ("Be", "T2-02", "铍"),
    ("Co", "T2-03", "钴"),
    ("V", "T2-05", "钒"),
    ("甲基汞", "T2-04", "甲基汞"),
    ("苯并芘", "T1-39", "苯并[a]芘"),
    ("苯并(a)芘", "T1-39", "苯并[a]芘"),
    ("苯并（a）芘", "T1-39", "苯并[a]芘"),
    ("苯并【a】芘", "T1-39", "苯并[a]芘"),
    ("苯并[a]芘", "T1-39", "苯并[a]芘"),
    ("BaP", "T1-39", "苯并[a]芘"),
    ("BAP", "T1-39", "苯并[a]芘"),
    ("benzo(a)pyrene", "T1-39", "苯并[a]芘"),
    ("石油烃", "T2-40", "石油烃（C10-C40）"),
    ("石油烃(C10-C40)", "T2-40", "石油烃（C10-C40）"),
    ("石油烃（C10－C40）", "T2-40", "石油烃（C10-C40）"),
    ("TPH", "T2-40", "石油烃（C10-C40）"),
    ("C10-C40", "T2-40", "石油烃（C10-C40）"),
    ("c10–c40", "T2-40", "石油烃（C10-C40）"),
    ("二噁英", "T2-38", "二噁英类（总毒性当量）"),
    ("二噁英类", "T2-38", "二噁英类（总毒性当量）"),
    ("氯仿", "T1-09", "氯仿"),
    ("三氯甲烷", "T1-09", "氯仿"),
    ("1,2-二氯乙烷", "T1-12", "1,2-二氯乙烷"),
    ("1，2-二氯乙烷", "T1-12", "1,2-二氯乙烷"),
    ("1,2－二氯乙烷", "T1-12", "1,2-二氯乙烷"),
    ("1, 2-二氯乙烷", "T1-12", "1,2-二氯乙烷"),
    ("1,2二氯乙烷", "T1-12", "1,2-二氯乙烷"),
    ("1,2‐二氯乙烷", "T1-12", "1,2-二氯乙烷"),
    ("1,2-Dichloroethane", "T1-12", "1,2-二氯乙烷"),
    ("1,1-二氯乙烷", "T1-11", "1,1-二氯乙烷"),
    ("多氯联苯", "T2-35", "多氯联苯（总量）"),
    ("PCB 126", "T2-36", "3,3',4,4',5-五氯联苯（PCB 126）"),
    ("γ-六六六", "T2-32", "γ-六六六"),
    ("林丹", "T2-32", "γ-六六六"),
    ("DDT", "T2-25", "滴滴涕"),
    ("间,对-二甲苯", "T1-33", "间-二甲苯+对-二甲苯"),
    ("间二甲苯+对二甲苯", "T1-33", "间-二甲苯+对-二甲苯"),
    ("T1-01", "T1-01", "砷"),
];

#[test]
fn every_listed_alias_finds_its_item() {
    for (written, item_no, name_zh) in ALIASES {
        let found = gb36600().find(written);
        assert_eq!(
            found.map(|i| (i.item_no, i.name_zh)),
            Some((*item_no, *name_zh)),
            "{written}"
        );
    }
}

#[test]
fn english_names_are_found_in_any_case() {
    for (written, item_no) in [
        ("ARSENIC", "T1-01"),
        ("arsenic", "T1-01"),
        ("Benzo[A]Pyrene", "T1-39"),
        ("benzo[a]pyrene", "T1-39"),
        ("PETROLEUM HYDROCARBONS (C10-C40)", "T2-40"),
        ("vinyl chloride", "T1-25"),
    ] {
        assert_eq!(
            gb36600().find(written).map(|i| i.item_no),
            Some(item_no),
            "{written}"
        );
    }
}

#[test]
fn cas_numbers_are_found_with_or_without_surrounding_spaces() {
    for (cas, item_no) in [
        ("7440-38-2", "T1-01"),
        ("  7440-38-2 ", "T1-01"),
        ("18540-29-9", "T1-03"),
        ("50-32-8", "T1-39"),
        ("\t67-66-3\n", "T1-09"),
        ("108-38-3", "T1-33"),
        ("106-42-3", "T1-33"),
        ("53-70-3", "T1-43"),
        ("７４４０－３８－２", "T1-01"),
    ] {
        assert_eq!(
            gb36600().find(cas).map(|i| i.item_no),
            Some(item_no),
            "{cas}"
        );
    }
}

#[test]
fn every_item_is_found_by_its_own_number_names_and_cas() {
    for it in gb36600().items() {
        let mut names = vec![it.item_no, it.name_zh, it.name_en];
        names.extend(it.cas.iter().flat_map(|c| c.split(',')));
        for name in names {
            assert_eq!(
                gb36600().find(name).map(|i| i.item_no),
                Some(it.item_no),
                "{name}"
            );
        }
    }
}

#[test]
fn unknown_names_find_nothing() {
    for name in [
        "",
        "   ",
        "unobtainium",
        "锌",
        "Zn",
        "二氯乙烷",
        "六六六",
        "7440-66-6",
        "7440-38-3",
        "T3-01",
    ] {
        assert!(gb36600().find(name).is_none(), "{name}");
    }
}

#[test]
fn total_chromium_is_not_taken_for_hexavalent_chromium() {
    for name in ["Cr", "铬", "总铬", "chromium", "7440-47-3"] {
        assert!(gb36600().find(name).is_none(), "{name}");
    }
}

#[test]
fn mercury_and_methylmercury_are_different_items() {
    assert_eq!(gb36600().find("汞").map(|i| i.item_no), Some("T1-06"));
    assert_eq!(gb36600().find("甲基汞").map(|i| i.item_no), Some("T2-04"));
    assert_eq!(gb36600().find("MeHg").map(|i| i.item_no), Some("T2-04"));
}
