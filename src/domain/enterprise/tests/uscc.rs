//! 统一社会信用代码: parsing, check characters and refusals.

use super::super::{Uscc, UsccError};

/// A firm registered in Mentougou (division 110109) by the market regulator
/// (9 = 工商, 1 = 企业) with an `MA` organisation code.
const MENTOUGOU_FIRM: &str = "91110109MA01XK7W33";
/// A public institution (1 = 机构编制, 2 = 事业单位) in Mentougou.
const MENTOUGOU_INSTITUTION: &str = "121101094000000008";
/// Codes printed on the licences of Huawei Technologies Co., Ltd. and
/// Shenzhen Tencent Computer Systems Co., Ltd. (both Shenzhen, 440300).
const PUBLISHED: [&str; 2] = ["914403001922038216", "91440300708461136T"];

fn refusal(s: &str) -> UsccError {
    match Uscc::parse(s) {
        Ok(code) => panic!("{s:?} parsed as {code}"),
        Err(e) => e,
    }
}

/// `MENTOUGOU_FIRM` with the character at `position` (from 1) replaced.
fn firm_with(position: usize, c: char) -> String {
    MENTOUGOU_FIRM
        .chars()
        .enumerate()
        .map(|(i, old)| if i + 1 == position { c } else { old })
        .collect()
}

#[test]
fn codes_with_externally_computed_check_characters_parse() {
    for s in [
        MENTOUGOU_FIRM,
        MENTOUGOU_INSTITUTION,
        PUBLISHED[0],
        PUBLISHED[1],
    ] {
        let code = Uscc::parse(s).expect("valid code");
        assert_eq!(code.as_str(), s);
        assert_eq!(code.to_string(), s);
    }
    assert_eq!(Uscc::check_character("91110109MA01XK7W3"), Some('3'));
    assert_eq!(Uscc::check_character("12110109400000000"), Some('8'));
    assert_eq!(Uscc::check_character("91440300708461136"), Some('T'));
}

#[test]
fn codes_completed_with_check_character_parse() {
    let bodies = [
        "91110109MA00000000",
        "Y1110109MA01XK7W3",
        "52110109MA0012345",
        "93110109MAYYYYYYY",
        "11110109000000000",
        "00000000000000000",
    ];
    for body in bodies.iter().map(|b| &b[..17]) {
        let check = Uscc::check_character(body).expect("17 alphabet characters");
        let code = format!("{body}{check}");
        assert_eq!(Uscc::parse(&code).map(|c| c.as_str().to_owned()), Ok(code));
    }
}

#[test]
fn every_single_character_substitution_is_caught() {
    let alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    for position in 1..=17 {
        for c in alphabet.chars() {
            let original = MENTOUGOU_FIRM.chars().nth(position - 1);
            if Some(c) == original || ((3..=8).contains(&position) && !c.is_ascii_digit()) {
                continue;
            }
            let error = refusal(&firm_with(position, c));
            assert!(
                matches!(error, UsccError::WrongCheckCharacter { found: '3', .. }),
                "position {position} → {c}: {error:?}"
            );
        }
    }
}

#[test]
fn surrounding_white_space_is_trimmed_including_ideographic_space() {
    let code = Uscc::parse(&format!("  {MENTOUGOU_FIRM}\u{3000}\n")).expect("valid after trim");
    assert_eq!(code.as_str(), MENTOUGOU_FIRM);
    assert_eq!(code.division_code(), "110109");
}

#[test]
fn a_wrong_check_character_is_refused_with_the_expected_one() {
    assert_eq!(
        refusal("91110109MA01XK7W34"),
        UsccError::WrongCheckCharacter {
            expected: '3',
            found: '4'
        }
    );
    assert_eq!(
        refusal("91440300708461136X"),
        UsccError::WrongCheckCharacter {
            expected: 'T',
            found: 'X'
        }
    );
}

#[test]
fn codes_of_the_wrong_length_are_refused_counting_characters() {
    assert_eq!(
        refusal(&MENTOUGOU_FIRM[..17]),
        UsccError::WrongLength { found: 17 }
    );
    assert_eq!(
        refusal(&format!("{MENTOUGOU_FIRM}3")),
        UsccError::WrongLength { found: 19 }
    );
    assert_eq!(refusal(""), UsccError::WrongLength { found: 0 });
    assert_eq!(refusal("   "), UsccError::WrongLength { found: 0 });
    assert_eq!(
        refusal("9111 0109MA01XK7W33"),
        UsccError::WrongLength { found: 19 }
    );
}

#[test]
fn lower_case_is_refused_not_upper_cased() {
    assert_eq!(refusal("91110109ma01xk7w33"), UsccError::LowerCase);
    assert_eq!(refusal("91110109MA01XK7w33"), UsccError::LowerCase);
    assert_eq!(refusal("y1110109MA01XK7W3D"), UsccError::LowerCase);
    // A lower-case letter that is not valid in upper case either is just invalid.
    assert_eq!(
        refusal(&firm_with(10, 'i')),
        UsccError::InvalidCharacter {
            position: 10,
            found: 'i'
        }
    );
}

#[test]
fn the_letters_i_o_z_s_v_are_refused() {
    for c in ['I', 'O', 'Z', 'S', 'V'] {
        assert_eq!(
            refusal(&firm_with(10, c)),
            UsccError::InvalidCharacter {
                position: 10,
                found: c
            }
        );
        assert_eq!(
            refusal(&firm_with(18, c)),
            UsccError::InvalidCharacter {
                position: 18,
                found: c
            }
        );
        assert_eq!(Uscc::check_character(&firm_with(1, c)[..17]), None);
    }
}

#[test]
fn letters_in_the_division_code_are_refused() {
    assert_eq!(
        refusal(&firm_with(3, 'A')),
        UsccError::InvalidCharacter {
            position: 3,
            found: 'A'
        }
    );
    assert_eq!(
        refusal(&firm_with(8, 'Y')),
        UsccError::InvalidCharacter {
            position: 8,
            found: 'Y'
        }
    );
}

#[test]
fn full_width_characters_are_refused_at_their_position() {
    // Full-width digits and letters are one character each, so the length is right.
    assert_eq!(
        refusal("９1110109MA01XK7W33"),
        UsccError::InvalidCharacter {
            position: 1,
            found: '９'
        }
    );
    assert_eq!(
        refusal("91１10109MA01XK7W33"),
        UsccError::InvalidCharacter {
            position: 3,
            found: '１'
        }
    );
    assert_eq!(
        refusal("91110109ＭＡ01XK7W33"),
        UsccError::InvalidCharacter {
            position: 9,
            found: 'Ｍ'
        }
    );
    assert_eq!(
        refusal("９１１１０１０９ＭＡ０１ＸＫ７Ｗ３３"),
        UsccError::InvalidCharacter {
            position: 1,
            found: '９'
        }
    );
    assert_eq!(Uscc::check_character("９1110109MA01XK7W3"), None);
}

#[test]
fn check_character_needs_exactly_17_upper_case_alphabet_characters() {
    assert_eq!(Uscc::check_character("9111010"), None);
    assert_eq!(Uscc::check_character(MENTOUGOU_FIRM), None);
    assert_eq!(Uscc::check_character("91110109ma01xk7w3"), None);
}

#[test]
fn refusals_explain_themselves_in_english_and_chinese() {
    let cases = [
        (UsccError::WrongLength { found: 17 }, "17", "17位"),
        (
            UsccError::InvalidCharacter {
                position: 4,
                found: 'A',
            },
            "digit",
            "第4位应为数字",
        ),
        (
            UsccError::InvalidCharacter {
                position: 10,
                found: 'O',
            },
            "'O'",
            "“O”",
        ),
        (UsccError::LowerCase, "upper case", "大写"),
        (
            UsccError::WrongCheckCharacter {
                expected: '3',
                found: '4',
            },
            "'3'",
            "应为“3”",
        ),
    ];
    for (error, english, chinese) in cases {
        assert!(error.to_string().contains(english), "{error}");
        assert!(
            error.message_zh().contains(chinese),
            "{}",
            error.message_zh()
        );
    }
}

#[test]
fn codes_cross_the_wire_as_strings_and_are_checked_on_the_way_in() {
    let code = Uscc::parse(MENTOUGOU_FIRM).expect("valid");
    assert_eq!(
        serde_json::to_value(&code).expect("serialises"),
        serde_json::json!(MENTOUGOU_FIRM)
    );
    let back: Uscc = serde_json::from_value(serde_json::json!(MENTOUGOU_FIRM)).expect("valid");
    assert_eq!(back, code);
    let bad = serde_json::from_value::<Uscc>(serde_json::json!("91110109MA01XK7W34"));
    assert!(bad
        .expect_err("refused")
        .to_string()
        .contains("check character"));
    assert_eq!(
        "91110109ma01xk7w33".parse::<Uscc>(),
        Err(UsccError::LowerCase)
    );
}
