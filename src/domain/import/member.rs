//! The members of a parcel a column of an imported file can fill, the column names that
//! usually hold each (in Chinese and in our own exports), and sets of them.

use serde::{Deserialize, Serialize};

/// A parcel member a column can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Member {
    Code,
    Name,
    Town,
    Address,
    CurrentUse,
    PlannedUse,
    LandRight,
    RightHolder,
    ResponsibleParty,
    Risk,
    /// The area the file states, in m²; checked against the computed area.
    AreaM2,
    /// The stated area in 亩 (1 亩 = 10000/15 m²).
    AreaMu,
    /// The stated area in hectares.
    AreaHa,
}

impl Member {
    pub const ALL: [Member; 13] = [
        Member::Code,
        Member::Name,
        Member::Town,
        Member::Address,
        Member::CurrentUse,
        Member::PlannedUse,
        Member::LandRight,
        Member::RightHolder,
        Member::ResponsibleParty,
        Member::Risk,
        Member::AreaM2,
        Member::AreaMu,
        Member::AreaHa,
    ];

    /// The name in the register's API (and in `--map member=column`).
    pub fn key(self) -> &'static str {
        match self {
            Member::Code => "code",
            Member::Name => "name",
            Member::Town => "town",
            Member::Address => "address",
            Member::CurrentUse => "current_use",
            Member::PlannedUse => "planned_use",
            Member::LandRight => "land_right",
            Member::RightHolder => "right_holder",
            Member::ResponsibleParty => "responsible_party",
            Member::Risk => "risk",
            Member::AreaM2 => "area_m2",
            Member::AreaMu => "area_mu",
            Member::AreaHa => "area_ha",
        }
    }

    /// The member's name in Chinese, as the import page shows it.
    pub fn label(self) -> &'static str {
        match self {
            Member::Code => "地块编码",
            Member::Name => "地块名称",
            Member::Town => "所属镇街",
            Member::Address => "地址",
            Member::CurrentUse => "现状用途",
            Member::PlannedUse => "规划用途",
            Member::LandRight => "土地权属状态",
            Member::RightHolder => "土地使用权人",
            Member::ResponsibleParty => "责任主体",
            Member::Risk => "风险等级",
            Member::AreaM2 => "面积（平方米）",
            Member::AreaMu => "面积（亩）",
            Member::AreaHa => "面积（公顷）",
        }
    }

    pub fn parse(s: &str) -> Option<Member> {
        Member::ALL.into_iter().find(|m| m.key() == s.trim())
    }

    /// The member's bit in a [`Members`] set.
    fn bit(self) -> u16 {
        1 << (self as u16)
    }

    /// Whether the register keeps this member as one of a parcel's attributes: all but the
    /// code (the key) and the stated areas (checked against the polygon, not kept).
    pub fn is_attribute(self) -> bool {
        !matches!(
            self,
            Member::Code | Member::AreaM2 | Member::AreaMu | Member::AreaHa
        )
    }

    /// Column names that usually hold this member, compared without case, spaces or `_`.
    /// Our own export's column names (the API names, cut to ten bytes for DBF) come first.
    pub(super) fn aliases(self) -> &'static [&'static str] {
        match self {
            Member::Code => &[
                "code",
                "地块编码",
                "地块编号",
                "地块代码",
                "宗地编码",
                "宗地代码",
                "宗地号",
                "dkbm",
                "dkbh",
                "zddm",
                "parcelcode",
                "编码",
                "编号",
            ],
            Member::Name => &["name", "地块名称", "宗地名称", "项目名称", "dkmc", "名称"],
            Member::Town => &[
                "town",
                "所属镇街",
                "镇街",
                "所在镇街",
                "乡镇街道",
                "街道乡镇",
                "乡镇",
                "街道",
                "xzqmc",
                "xzq",
            ],
            Member::Address => &["address", "地址", "坐落", "土地坐落", "位置", "zl"],
            Member::CurrentUse => &[
                "currentuse",
                "currentus",
                "curuse",
                "用地性质",
                "现状用途",
                "现状用地性质",
                "土地用途",
                "现状用地",
                "xzyt",
            ],
            Member::PlannedUse => &[
                "plannedus",
                "planneduse",
                "planuse",
                "规划用途",
                "规划用地性质",
                "规划用地",
                "ghyt",
            ],
            Member::LandRight => &["landright", "landrigh", "土地权属状态", "权属状态"],
            Member::RightHolder => &[
                "rightholde",
                "rightholder",
                "权利人",
                "土地使用权人",
                "使用权人",
                "qlr",
            ],
            Member::ResponsibleParty => &[
                "responsibl",
                "responsibleparty",
                "责任主体",
                "责任人",
                "责任单位",
            ],
            Member::Risk => &["risk", "风险等级", "污染风险", "风险"],
            Member::AreaM2 => &[
                "aream2",
                "area",
                "面积",
                "面积m2",
                "面积平方米",
                "用地面积",
                "地块面积",
                "占地面积",
                "shapearea",
                "mj",
            ],
            Member::AreaMu => &["面积亩", "亩", "areamu", "用地面积亩", "地块面积亩"],
            Member::AreaHa => &["面积公顷", "公顷", "areaha", "用地面积公顷", "地块面积公顷"],
        }
    }
}

/// Lower-cases and drops spaces, `_`, `-`, brackets and units' punctuation so that
/// `地块面积（亩）`, `Area_Mu` and `AREAMU` compare equal to their aliases.
pub(super) fn normalise(name: &str) -> String {
    name.chars()
        .filter(|c| {
            !matches!(
                c,
                ' ' | '_' | '-' | '(' | ')' | '（' | '）' | '[' | ']' | '²' | '.'
            )
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// A set of members: of a row, those whose cell is empty.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Members(u16);

impl Members {
    pub fn insert(&mut self, m: Member) {
        self.0 |= m.bit();
    }

    pub fn contains(self, m: Member) -> bool {
        self.0 & m.bit() != 0
    }

    /// The set as stored (a `smallint` of bits, `1 << n` for the `n`th of [`Member::ALL`]).
    pub fn bits(self) -> i16 {
        self.0 as i16
    }

    /// The stored bit of one member, for SQL that tests the stored set.
    pub fn bit_of(m: Member) -> i16 {
        m.bit() as i16
    }
}
