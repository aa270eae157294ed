//! Untrusted text must never panic: every input either parses and compiles
//! or returns an error whose position lies within the text.

use sqlx::{Postgres, QueryBuilder};

use super::super::{parse, push_sql};
use super::parcels;

/// Parses and, if that succeeds, compiles; checks the error position.
fn survive(text: &str) {
    match parse(text) {
        Ok(expr) => {
            let mut qb = QueryBuilder::<Postgres>::new("");
            let _ = push_sql(&expr, &parcels(), 4326, &mut qb);
        }
        Err(e) => assert!(e.position <= text.len(), "{text:?}: {e}"),
    }
}

/// A small deterministic generator (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).unwrap_or(0)
    }
}

const PIECES: [&str; 48] = [
    "(",
    ")",
    ",",
    " ",
    "AND",
    "OR",
    "NOT",
    "=",
    "<>",
    "<=",
    ">",
    "LIKE",
    "BETWEEN",
    "IN",
    "IS",
    "NULL",
    "TRUE",
    "town",
    "floors",
    "area",
    "geometry",
    "\"land use\"",
    "\"",
    "'",
    "''",
    "'x'",
    "1",
    "-2.5",
    "1e999",
    ".5",
    "+",
    "-",
    "\\",
    "S_INTERSECTS(",
    "S_WITHIN",
    "POINT",
    "POLYGON((",
    "BBOX(",
    "GEOMETRYCOLLECTION(",
    "Z",
    "DATE(",
    "TIMESTAMP(",
    "'2023-06-30'",
    "é",
    "襄",
    "\u{0}",
    "\u{feff}",
    ";",
];

#[test]
fn random_token_soup_never_panics() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..20_000 {
        let len = 1 + rng.below(24);
        let text: String = (0..len).map(|_| PIECES[rng.below(PIECES.len())]).collect();
        survive(&text);
    }
}

#[test]
fn random_bytes_never_panic() {
    let mut rng = Rng(0xD1B5_4A32_D192_ED03);
    for _ in 0..20_000 {
        let len = rng.below(40);
        let bytes: Vec<u8> = (0..len).map(|_| rng.next().to_le_bytes()[0]).collect();
        survive(&String::from_utf8_lossy(&bytes));
    }
}

#[test]
fn every_prefix_of_a_rich_filter_is_handled() {
    let filter = "(town LIKE 'Xiang%' OR \"land use\" IN ('07','0701')) AND NOT floors BETWEEN -1 AND 2.5e1 \
                  AND updated >= TIMESTAMP('2023-06-30T12:00:00Z') AND registered_on < DATE('2024-01-01') \
                  AND S_INTERSECTS(geometry, GEOMETRYCOLLECTION(POINT Z (1 2 3), MULTIPOLYGON(((0 0,1 0,1 1,0 0))))) \
                  AND S_WITHIN(BBOX(0,0,1,1), geometry) AND code IS NOT NULL AND town = '襄阳'";
    assert!(parse(filter).is_ok());
    for (at, _) in filter.char_indices() {
        survive(&filter[..at]);
        survive(&filter[at..]);
    }
}
