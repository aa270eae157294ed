//! The strict CSV reader under the tables.

use std::borrow::Cow;

use super::super::reader::read;

const HEADER: [&str; 3] = ["a", "b", "c"];

fn fields(text: &str) -> Vec<Vec<String>> {
    read(text, &HEADER)
        .expect("reads")
        .iter()
        .map(|r| r.fields.iter().map(|f| f.to_string()).collect())
        .collect()
}

fn error(text: &str) -> String {
    match read(text, &HEADER) {
        Ok(rows) => panic!("{text:?} read as {rows:?}"),
        Err(e) => e,
    }
}

#[test]
fn quoted_fields_keep_their_commas_and_borrow_from_the_text() {
    let text = "a,b,c\nT1-43,\"二苯并[a,h]蒽\",\"Dibenz[a,h]anthracene\"\n";
    let rows = read(text, &HEADER).expect("reads");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].line, 2);
    assert!(matches!(rows[0].fields[1], Cow::Borrowed("二苯并[a,h]蒽")));
    assert_eq!(rows[0].text(2, "c"), Ok("Dibenz[a,h]anthracene"));
}

#[test]
fn doubled_quotes_unescape_but_cannot_be_borrowed_as_table_text() {
    let text = "a,b,c\n1,\"say \"\"hi\"\"\",3\n";
    assert_eq!(fields(text), vec![vec!["1", "say \"hi\"", "3"]]);
    let rows = read(text, &HEADER).expect("reads");
    assert!(rows[0].text(1, "b").is_err());
}

#[test]
fn crlf_line_ends_a_bom_and_blank_lines_are_accepted() {
    let text = "\u{feff}a,b,c\r\n1,2,3\r\n\r\n4,5,6\r\n\n";
    assert_eq!(fields(text), vec![vec!["1", "2", "3"], vec!["4", "5", "6"]]);
}

#[test]
fn a_last_line_without_a_line_end_is_read() {
    assert_eq!(fields("a,b,c\n1,2,3"), vec![vec!["1", "2", "3"]]);
}

#[test]
fn a_quoted_line_break_stays_in_the_field_and_lines_are_counted_across_it() {
    let text = "a,b,c\n1,\"two\nlines\",3\n4,5,6\n";
    let rows = read(text, &HEADER).expect("reads");
    assert_eq!(rows[0].fields[1], "two\nlines");
    assert_eq!(rows[1].line, 4);
}

#[test]
fn empty_fields_are_kept() {
    assert_eq!(fields("a,b,c\n1,,\n"), vec![vec!["1", "", ""]]);
    let rows = read("a,b,c\n1,,\n", &HEADER).expect("reads");
    assert_eq!(rows[0].optional_text(1, "b"), Ok(None));
    assert!(rows[0].text(1, "b").is_err());
}

#[test]
fn an_unclosed_quote_is_an_error_naming_its_line() {
    let e = error("a,b,c\n1,2,3\n4,\"5,6\n");
    assert!(e.contains("line 3"), "{e}");
}

#[test]
fn a_quote_inside_an_unquoted_field_is_an_error() {
    assert!(error("a,b,c\n1,2\"x,3\n").contains("line 2"));
}

#[test]
fn text_after_a_closing_quote_is_an_error() {
    assert!(error("a,b,c\n1,\"2\"x,3\n").contains("line 2"));
}

#[test]
fn a_lone_carriage_return_is_an_error() {
    assert!(error("a,b,c\n1,2,3\r4,5,6\n").contains("line 2"));
}

#[test]
fn a_record_with_too_few_or_too_many_fields_is_an_error() {
    assert!(error("a,b,c\n1,2\n").contains("2 fields, expected 3"));
    assert!(error("a,b,c\n1,2,3,4\n").contains("4 fields, expected 3"));
}

#[test]
fn a_wrong_or_missing_header_is_an_error() {
    assert!(error("a,b,x\n1,2,3\n").contains("header"));
    assert!(error("").contains("empty"));
    assert!(error("\n\n").contains("empty"));
}

#[test]
fn concentrations_must_be_positive_finite_numbers() {
    let rows = read("a,b,c\n0.00004, 5 ,x\n0,-1,NaN\ninf,,1e3\n", &HEADER).expect("reads");
    assert_eq!(rows[0].concentration(0, "a"), Ok(0.00004));
    assert_eq!(rows[0].concentration(1, "b"), Ok(5.0));
    assert!(rows[0].concentration(2, "c").is_err());
    for i in 0..3 {
        assert!(rows[1].concentration(i, "x").is_err(), "field {i}");
    }
    assert!(rows[2].concentration(0, "a").is_err());
    assert!(rows[2].concentration(1, "b").is_err());
    assert_eq!(rows[2].concentration(2, "c"), Ok(1000.0));
}
