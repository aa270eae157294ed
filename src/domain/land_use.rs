//! Land-use codes of the national classification 国土空间调查、规划、用途管制用地用海分类指南,
//! and the GB 36600-2018 class each one implies.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::{Serialize, Serializer};

/// GB 36600-2018 land-use class: which column of screening and intervention values applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Gb36600Class {
    /// 第一类用地: housing, schools, hospitals, social welfare, community parks.
    One,
    /// 第二类用地: industry, logistics, commerce, transport, utilities, other public land.
    Two,
}

impl Gb36600Class {
    pub fn number(self) -> i16 {
        match self {
            Gb36600Class::One => 1,
            Gb36600Class::Two => 2,
        }
    }

    pub fn from_number(n: i16) -> Option<Self> {
        match n {
            1 => Some(Gb36600Class::One),
            2 => Some(Gb36600Class::Two),
            _ => None,
        }
    }

    /// The class for a planned use; an unknown planned use takes class 1 (GB 36600 §5.3.1).
    pub fn for_planned_use(planned: Option<LandUse>) -> Self {
        planned.map_or(Gb36600Class::One, LandUse::gb36600_class)
    }
}

impl Serialize for Gb36600Class {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i16(self.number())
    }
}

/// A known land-use code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LandUse(&'static LandUseInfo);

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct LandUseInfo {
    pub code: &'static str,
    pub name_zh: &'static str,
}

macro_rules! uses {
    ($($code:literal $name:literal),* $(,)?) => {
        &[$(LandUseInfo { code: $code, name_zh: $name }),*]
    };
}

/// First and second levels, and the third level where the GB 36600 class depends on it.
pub const LAND_USES: &[LandUseInfo] = uses![
    "01" "耕地", "0101" "水田", "0102" "水浇地", "0103" "旱地",
    "02" "园地", "0201" "果园", "0202" "茶园", "0203" "橡胶园", "0204" "其他园地",
    "03" "林地", "04" "草地", "05" "湿地", "06" "农业设施建设用地",
    "07" "居住用地", "0701" "城镇住宅用地", "070101" "一类城镇住宅用地",
    "070102" "二类城镇住宅用地", "070103" "三类城镇住宅用地", "0702" "城镇社区服务设施用地",
    "0703" "农村宅基地", "0704" "农村社区服务设施用地",
    "08" "公共管理与公共服务用地", "0801" "机关团体用地", "0802" "科研用地", "0803" "文化用地",
    "0804" "教育用地", "080401" "高等教育用地", "080402" "中等职业教育用地",
    "080403" "中小学用地", "080404" "幼儿园用地", "080405" "其他教育用地", "0805" "体育用地",
    "0806" "医疗卫生用地", "080601" "医院用地", "080602" "基层医疗卫生设施用地",
    "080603" "公共卫生用地", "0807" "社会福利用地", "080701" "老年人社会福利用地",
    "080702" "儿童社会福利用地", "080703" "残疾人社会福利用地", "080704" "其他社会福利用地",
    "09" "商业服务业用地", "0901" "商业用地", "0902" "商务金融用地", "0903" "娱乐用地",
    "0904" "其他商业服务业用地",
    "10" "工矿用地", "1001" "工业用地", "100101" "一类工业用地", "100102" "二类工业用地",
    "100103" "三类工业用地", "1002" "采矿用地", "1003" "盐田",
    "11" "仓储用地", "1101" "物流仓储用地", "1102" "储备库用地",
    "12" "交通运输用地", "1201" "铁路用地", "1202" "公路用地", "1203" "机场用地",
    "1204" "港口码头用地", "1205" "管道运输用地", "1206" "城市轨道交通用地",
    "1207" "城镇村道路用地", "1208" "交通场站用地", "1209" "其他交通设施用地",
    "13" "公用设施用地", "1301" "供水用地", "1302" "排水用地", "1303" "供电用地",
    "1304" "供燃气用地", "1305" "供热用地", "1306" "通信用地", "1307" "邮政用地",
    "1308" "广播电视设施用地", "1309" "环卫用地", "1310" "消防用地", "1311" "水工设施用地",
    "1312" "其他公用设施用地",
    "14" "绿地与开敞空间用地", "1401" "公园绿地", "1402" "防护绿地", "1403" "广场用地",
    "15" "特殊用地", "16" "留白用地", "17" "陆地水域", "23" "其他土地",
];

/// The classification by code: a district-wide import parses two uses per row.
static BY_CODE: LazyLock<HashMap<&'static str, &'static LandUseInfo>> =
    LazyLock::new(|| LAND_USES.iter().map(|u| (u.code, u)).collect());
/// The classification by Chinese name (the first use of a name wins).
static BY_NAME: LazyLock<HashMap<&'static str, &'static LandUseInfo>> =
    LazyLock::new(|| LAND_USES.iter().rev().map(|u| (u.name_zh, u)).collect());

impl LandUse {
    /// Parses a code; `None` when it is not in the classification.
    pub fn parse(code: &str) -> Option<Self> {
        BY_CODE.get(code.trim()).copied().map(LandUse)
    }

    /// A use by its Chinese name (城镇住宅用地); `None` for any other.
    pub fn named(name_zh: &str) -> Option<Self> {
        BY_NAME.get(name_zh.trim()).copied().map(LandUse)
    }

    pub fn code(self) -> &'static str {
        self.0.code
    }

    pub fn name_zh(self) -> &'static str {
        self.0.name_zh
    }

    /// Residential land (07…): one of the plan's "一住两公" sensitive uses.
    pub fn is_residential(self) -> bool {
        self.code().starts_with("07")
    }

    /// Public-service land (08…).
    pub fn is_public_service(self) -> bool {
        self.code().starts_with("08")
    }

    /// Commercial service land (09…).
    pub fn is_commercial(self) -> bool {
        self.code().starts_with("09")
    }

    /// The GB 36600 class. No official crosswalk exists (regulatory-workflow.md §3);
    /// this follows the GB 50137 definition by analogy and errs towards class 1
    /// where a code alone cannot tell: the general 08 level, parks (1401, which
    /// holds community and children's parks), and non-construction land.
    pub fn gb36600_class(self) -> Gb36600Class {
        let c = self.code();
        let class_one = c.starts_with("07")
            || c == "08"
            || c.starts_with("080403")
            || c.starts_with("080404")
            || c.starts_with("0806")
            || c.starts_with("0807")
            || c == "14"
            || c == "1401"
            || !is_construction_land(c);
        if class_one {
            Gb36600Class::One
        } else {
            Gb36600Class::Two
        }
    }
}

/// Construction land in the classification: 07–16 (01–06, 17 and 23 are not).
fn is_construction_land(code: &str) -> bool {
    matches!(
        &code[..2.min(code.len())],
        "07" | "08" | "09" | "10" | "11" | "12" | "13" | "14" | "15" | "16"
    )
}

impl Serialize for LandUse {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_code_names_one_use_and_parses_to_it() {
        assert_eq!(BY_CODE.len(), LAND_USES.len(), "a code is listed twice");
        for u in LAND_USES {
            assert_eq!(
                LandUse::parse(&format!(" {} ", u.code)).map(LandUse::code),
                Some(u.code)
            );
        }
        assert!(LandUse::parse("9999").is_none());
    }

    fn class(code: &str) -> Gb36600Class {
        LandUse::parse(code).expect("known code").gb36600_class()
    }

    #[test]
    fn housing_schools_hospitals_and_welfare_are_class_one() {
        for c in [
            "07", "0701", "070102", "0702", "080403", "080404", "0806", "080601", "0807",
        ] {
            assert_eq!(class(c), Gb36600Class::One, "{c}");
        }
    }

    #[test]
    fn industry_commerce_logistics_transport_and_utilities_are_class_two() {
        for c in [
            "1001", "100103", "09", "0901", "1101", "1208", "1303", "0801", "080401", "1402",
        ] {
            assert_eq!(class(c), Gb36600Class::Two, "{c}");
        }
    }

    #[test]
    fn unknown_planned_use_takes_class_one() {
        assert_eq!(Gb36600Class::for_planned_use(None), Gb36600Class::One);
    }

    #[test]
    fn unknown_codes_do_not_parse() {
        assert!(LandUse::parse("0799").is_none());
        assert!(LandUse::parse("R").is_none());
        assert!(LandUse::parse("").is_none());
    }

    #[test]
    fn sensitive_use_groups() {
        let school = LandUse::parse("080403").expect("known");
        assert!(school.is_public_service() && !school.is_residential());
        assert!(LandUse::parse("0701").expect("known").is_residential());
        assert!(LandUse::parse("0901").expect("known").is_commercial());
    }
}
