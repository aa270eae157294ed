//! The 13 towns and sub-districts (镇街) of Mentougou, by statistical division code.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::{Serialize, Serializer};

/// One of the district's 13 towns, parsed from its 9-digit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Town(&'static TownInfo);

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct TownInfo {
    pub code: &'static str,
    pub name_zh: &'static str,
    pub name_en: &'static str,
}

/// Codes from DOMAIN.md (one public source; provisional until checked against
/// the NBS 统计用区划代码).
pub const TOWNS: [TownInfo; 13] = [
    TownInfo {
        code: "110109001",
        name_zh: "大峪街道",
        name_en: "Dayu Subdistrict",
    },
    TownInfo {
        code: "110109002",
        name_zh: "城子街道",
        name_en: "Chengzi Subdistrict",
    },
    TownInfo {
        code: "110109003",
        name_zh: "东辛房街道",
        name_en: "Dongxinfang Subdistrict",
    },
    TownInfo {
        code: "110109004",
        name_zh: "大台街道",
        name_en: "Datai Subdistrict",
    },
    TownInfo {
        code: "110109005",
        name_zh: "王平镇",
        name_en: "Wangping Town",
    },
    TownInfo {
        code: "110109006",
        name_zh: "永定镇",
        name_en: "Yongding Town",
    },
    TownInfo {
        code: "110109007",
        name_zh: "龙泉镇",
        name_en: "Longquan Town",
    },
    TownInfo {
        code: "110109101",
        name_zh: "潭柘寺镇",
        name_en: "Tanzhesi Town",
    },
    TownInfo {
        code: "110109104",
        name_zh: "军庄镇",
        name_en: "Junzhuang Town",
    },
    TownInfo {
        code: "110109105",
        name_zh: "雁翅镇",
        name_en: "Yanchi Town",
    },
    TownInfo {
        code: "110109106",
        name_zh: "斋堂镇",
        name_en: "Zhaitang Town",
    },
    TownInfo {
        code: "110109107",
        name_zh: "清水镇",
        name_en: "Qingshui Town",
    },
    TownInfo {
        code: "110109108",
        name_zh: "妙峰山镇",
        name_en: "Miaofengshan Town",
    },
];

/// Strips a town name's 街道/镇: 永定镇 and 永定 name the same town.
fn bare(s: &str) -> &str {
    s.trim_end_matches("街道").trim_end_matches('镇')
}

/// Towns by Chinese name (with and without 镇/街道) and lower-case English name: an import
/// looks one up per row of a district-wide file.
static BY_NAME: LazyLock<HashMap<String, &'static TownInfo>> = LazyLock::new(|| {
    TOWNS
        .iter()
        .rev() // the first town a name fits wins, as in a search in order
        .flat_map(|t| {
            [
                (t.name_zh.to_owned(), t),
                (bare(t.name_zh).to_owned(), t),
                (t.name_en.to_ascii_lowercase(), t),
            ]
        })
        .collect()
});

impl Town {
    /// Parses a town code; `None` when it is not one of the 13.
    pub fn parse(code: &str) -> Option<Self> {
        let code = code.trim();
        TOWNS.iter().find(|t| t.code == code).map(Town)
    }

    /// A town by its name as people write it: 永定镇, 永定 (without 镇/街道), or its English
    /// name in any case; `None` for any other.
    pub fn named(name: &str) -> Option<Self> {
        BY_NAME
            .get(name)
            .or_else(|| BY_NAME.get(bare(name)))
            .or_else(|| BY_NAME.get(&name.to_ascii_lowercase()))
            .copied()
            .map(Town)
    }

    pub fn code(self) -> &'static str {
        self.0.code
    }

    pub fn info(self) -> &'static TownInfo {
        self.0
    }

    pub fn all() -> impl Iterator<Item = Town> {
        TOWNS.iter().map(Town)
    }
}

impl Serialize for Town {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_of_the_thirteen_codes_and_nothing_else() {
        assert_eq!(Town::all().count(), 13);
        for t in Town::all() {
            assert_eq!(Town::parse(t.code()), Some(t));
        }
        assert_eq!(Town::parse("110109009"), None);
        assert_eq!(Town::parse("大峪街道"), None);
        assert_eq!(Town::parse(""), None);
    }
}
