//! 统一社会信用代码 (unified social credit code), GB 32100-2015.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The 31 characters a code may use: digits and upper-case letters without
/// I, O, S, V and Z (too easily confused with 1, 0, 5, U and 2).
const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/// Weight of each of the first 17 characters in the check sum (3^i mod 31).
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

const LENGTH: usize = 18;

/// A unified social credit code that passed every check of GB 32100-2015.
///
/// Character 1 is the registration authority (登记管理部门), 2 the kind of
/// body (机构类别), 3–8 the administrative division code (six digits), 9–17 the
/// organisation code (GB 11714) and 18 the check character. Only the alphabet
/// of characters 1, 2 and 9–17 is checked, not the meaning of their values,
/// nor the organisation code's own GB 11714 check digit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Uscc(String);

impl Uscc {
    /// Parses a code after trimming surrounding white space.
    ///
    /// Lower case is refused rather than upper-cased: the licence prints the
    /// code in upper case, and a register that silently repairs input hides
    /// transcription from a source other than the licence.
    pub fn parse(s: &str) -> Result<Uscc, UsccError> {
        let s = s.trim();
        let found = s.chars().count();
        if found != LENGTH {
            return Err(UsccError::WrongLength { found });
        }
        for (index, c) in s.chars().enumerate() {
            let position = index + 1;
            if allowed_at(position, c) {
                continue;
            }
            if c.is_ascii_lowercase() && allowed_at(position, c.to_ascii_uppercase()) {
                return Err(UsccError::LowerCase);
            }
            return Err(UsccError::InvalidCharacter { position, found: c });
        }
        // Every character is ASCII now, so byte offsets are character offsets.
        let (first17, last) = s.split_at(LENGTH - 1);
        let found = last.chars().next().unwrap_or_default();
        let expected = check_for(first17.chars().filter_map(value_of));
        if expected == found {
            Ok(Uscc(s.to_owned()))
        } else {
            Err(UsccError::WrongCheckCharacter { expected, found })
        }
    }

    /// The code, 18 upper-case ASCII characters.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The six-digit administrative division code (characters 3–8) of the
    /// authority that registered the body, e.g. `110109` for Mentougou.
    pub fn division_code(&self) -> &str {
        self.0.get(2..8).unwrap_or_default()
    }

    /// The check character for the first 17 characters of a code, or `None`
    /// unless they are exactly 17 characters of the code alphabet (upper case).
    pub fn check_character(first17: &str) -> Option<char> {
        if first17.chars().count() != LENGTH - 1 {
            return None;
        }
        if !first17.chars().all(|c| value_of(c).is_some()) {
            return None;
        }
        Some(check_for(first17.chars().filter_map(value_of)))
    }
}

/// The check character for the values of the first 17 characters.
fn check_for(values: impl Iterator<Item = u32>) -> char {
    let sum: u32 = values
        .zip(WEIGHTS)
        .map(|(value, weight)| value * weight)
        .sum();
    let check = (31 - sum % 31) % 31;
    // `check` < 31 = ALPHABET.len(), and ALPHABET is ASCII.
    char::from(ALPHABET.as_bytes()[check as usize])
}

/// The value of a character in the check sum: its index in the alphabet.
fn value_of(c: char) -> Option<u32> {
    ALPHABET.find(c).and_then(|index| u32::try_from(index).ok())
}

/// Characters 3–8 are digits (a division code); the others use the alphabet.
fn allowed_at(position: usize, c: char) -> bool {
    if (3..=8).contains(&position) {
        c.is_ascii_digit()
    } else {
        value_of(c).is_some()
    }
}

impl fmt::Display for Uscc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for Uscc {
    type Err = UsccError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Uscc::parse(s)
    }
}

impl TryFrom<String> for Uscc {
    type Error = UsccError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        Uscc::parse(&s)
    }
}

impl From<Uscc> for String {
    fn from(code: Uscc) -> String {
        code.0
    }
}

/// Why a string is not a unified social credit code. Positions count
/// characters from 1, as GB 32100 does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UsccError {
    /// Not 18 characters after trimming; `found` counts characters, not bytes.
    WrongLength { found: usize },
    /// A character outside the alphabet, or a non-digit in positions 3–8.
    InvalidCharacter { position: usize, found: char },
    /// Lower-case letters that would be valid in upper case.
    LowerCase,
    /// The 18th character does not match the first 17.
    WrongCheckCharacter { expected: char, found: char },
}

impl UsccError {
    /// The same reason in Chinese, for the officers who key the ledgers in.
    pub fn message_zh(&self) -> String {
        match *self {
            UsccError::WrongLength { found } => {
                format!("统一社会信用代码应为18位，实际为{found}位")
            }
            UsccError::InvalidCharacter { position, found } if (3..=8).contains(&position) => {
                format!("第{position}位应为数字（第3至8位是登记管理机关行政区划码），实际为“{found}”")
            }
            UsccError::InvalidCharacter { position, found } => format!(
                "第{position}位“{found}”不是有效字符：只能使用阿拉伯数字和除I、O、S、V、Z以外的大写英文字母（半角）"
            ),
            UsccError::LowerCase => {
                "统一社会信用代码中的字母应为大写，与营业执照上印制的一致".to_owned()
            }
            UsccError::WrongCheckCharacter { expected, found } => format!(
                "校验码（第18位）应为“{expected}”，实际为“{found}”，代码可能录入有误"
            ),
        }
    }
}

impl fmt::Display for UsccError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            UsccError::WrongLength { found } => write!(
                f,
                "a unified social credit code has 18 characters, but {found} were given"
            ),
            UsccError::InvalidCharacter { position, found } if (3..=8).contains(&position) => {
                write!(
                    f,
                    "character {position} must be a digit (characters 3–8 are the administrative \
                     division code), but it is '{found}'"
                )
            }
            UsccError::InvalidCharacter { position, found } => write!(
                f,
                "character {position} ('{found}') is not allowed: use ASCII digits and upper-case \
                 letters other than I, O, S, V and Z"
            ),
            UsccError::LowerCase => f.write_str(
                "letters must be upper case, as the code is printed on the business licence",
            ),
            UsccError::WrongCheckCharacter { expected, found } => write!(
                f,
                "the check character (18th) should be '{expected}' but is '{found}': the code \
                 was probably mistyped"
            ),
        }
    }
}

impl std::error::Error for UsccError {}
