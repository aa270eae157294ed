//! Concentration units of soil results, all converted to mg/kg (dry weight, as
//! the standards are written) before screening.

use serde::Serialize;

/// Concentration units for soil.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Unit {
    /// mg/kg, 毫克/千克: the unit of both standards.
    #[serde(rename = "mg/kg")]
    MgPerKg,
    /// μg/kg, 微克/千克.
    #[serde(rename = "μg/kg")]
    UgPerKg,
    /// ng/kg, 纳克/千克: dioxins are usually reported so.
    #[serde(rename = "ng/kg")]
    NgPerKg,
}

/// The ways of writing "per kilogram" after the mass unit.
const PER_KG: [&str; 8] = [
    "/kg",
    "kg-1",
    "kg^-1",
    "kg⁻¹",
    "·kg-1",
    "·kg⁻¹",
    "/千克",
    "每千克",
];

impl Unit {
    /// Parses `mg/kg`, `mg kg-1`, `mg·kg⁻¹`, `毫克/千克`, `μg/kg` (Greek mu or the
    /// micro sign U+00B5), `ug/kg`, `微克/千克`, `ng/kg`, `纳克/千克`; case and
    /// spaces are ignored, full-width characters read as half-width.
    pub fn parse(s: &str) -> Option<Unit> {
        let s: String = s
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| match c {
                '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
                '\u{B5}' => 'μ',
                '⋅' | '•' => '·',
                c => c,
            })
            .flat_map(char::to_lowercase)
            .collect();
        let (unit, rest) = [
            ("mg", Unit::MgPerKg),
            ("毫克", Unit::MgPerKg),
            ("μg", Unit::UgPerKg),
            ("ug", Unit::UgPerKg),
            ("微克", Unit::UgPerKg),
            ("ng", Unit::NgPerKg),
            ("纳克", Unit::NgPerKg),
        ]
        .into_iter()
        .find_map(|(prefix, unit)| s.strip_prefix(prefix).map(|rest| (unit, rest)))?;
        PER_KG.contains(&rest).then_some(unit)
    }

    /// Converts a value in this unit to mg/kg. Divides rather than multiplies,
    /// so round numbers convert exactly (550 μg/kg is the same `f64` as 0.55).
    pub fn to_mg_per_kg(self, value: f64) -> f64 {
        match self {
            Unit::MgPerKg => value,
            Unit::UgPerKg => value / 1_000.0,
            Unit::NgPerKg => value / 1_000_000.0,
        }
    }

    /// The canonical spelling: `mg/kg`, `μg/kg`, `ng/kg`.
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::MgPerKg => "mg/kg",
            Unit::UgPerKg => "μg/kg",
            Unit::NgPerKg => "ng/kg",
        }
    }
}
