//! The closed vocabularies of the ledgers: each a Rust enum over a Postgres enum of the
//! same name and values (migration 0005), and the sets built from them.

/// An enum whose wire name and Postgres label are the same snake_case string.
macro_rules! wire_enum {
    ($(#[$meta:meta])* $name:ident = $pg:literal { $($(#[$vmeta:meta])* $variant:ident = $wire:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The Postgres enum type.
            pub const PG_TYPE: &'static str = $pg;

            /// The wire and database name.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $wire),+
                }
            }

            /// Parses the exact wire name.
            pub fn parse(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s)
            }

            /// The accepted names, for error messages.
            pub fn names() -> String {
                Self::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")
            }
        }
    };
}

wire_enum! {
    /// Heavy metals of the §3 investigation and remediation list.
    Metal = "heavy_metal" {
        /// Cadmium, the plan's named case.
        Cd = "cd",
        Hg = "hg",
        As = "as",
        Pb = "pb",
        Cr = "cr",
        Ni = "ni",
        Cu = "cu",
        Zn = "zn",
    }
}

wire_enum! {
    /// Where a heavy-metal or electroplating firm stands in 排查整治.
    InvestigationStatus = "investigation_status" {
        NotStarted = "not_started",
        Investigating = "investigating",
        Remediating = "remediating",
        Done = "done",
    }
}

wire_enum! {
    /// Anti-leak measures of a buried tank or pipeline (防渗漏措施).
    AntiLeakMeasure = "anti_leak_measure" {
        /// 双层罐 / 双层管道.
        DoubleWall = "double_wall",
        /// 渗漏检测.
        LeakDetection = "leak_detection",
        /// 防渗池.
        AntiSeepagePit = "anti_seepage_pit",
        /// Declared: the tank has none.
        NoMeasure = "none",
    }
}

wire_enum! {
    /// Sectors whose new projects need a soil baseline survey before construction (§3).
    Sector = "project_sector" {
        /// 汽车整车制造.
        Vehicle = "vehicle",
        /// 显示器制造.
        DisplayPanel = "display_panel",
        /// 集成电路制造.
        IntegratedCircuit = "integrated_circuit",
    }
}

wire_enum! {
    /// Kind of farmland or orchard.
    LandType = "farmland_type" {
        Paddy = "paddy",
        Dry = "dry",
        Irrigated = "irrigated",
        Orchard = "orchard",
        Vegetable = "vegetable",
    }
}

wire_enum! {
    /// 耕地/园地 classes (§6, §9).
    FarmlandClass = "farmland_class" {
        /// 优先保护类.
        PriorityProtection = "priority_protection",
        /// 安全利用类.
        SafeUse = "safe_use",
        /// 严格管控类.
        StrictControl = "strict_control",
    }
}

impl FarmlandClass {
    /// Safe-use and strict-control plots are contaminated: they must have measures (§6).
    pub fn needs_measures(self) -> bool {
        self != FarmlandClass::PriorityProtection
    }
}

/// The metals a firm works with: sorted, without repeats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Metals(Vec<Metal>);

impl Metals {
    pub fn new(mut metals: Vec<Metal>) -> Self {
        metals.sort();
        metals.dedup();
        Metals(metals)
    }

    pub fn as_slice(&self) -> &[Metal] {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A tank's anti-leak measures: at least one, and `none` only on its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AntiLeak(Vec<AntiLeakMeasure>);

impl AntiLeak {
    /// `None` when empty, or when `none` is combined with a real measure.
    pub fn new(mut measures: Vec<AntiLeakMeasure>) -> Option<Self> {
        measures.sort();
        measures.dedup();
        let contradictory = measures.len() > 1 && measures.contains(&AntiLeakMeasure::NoMeasure);
        (!measures.is_empty() && !contradictory).then_some(AntiLeak(measures))
    }

    pub fn as_slice(&self) -> &[AntiLeakMeasure] {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_round_trip_and_nothing_else_parses() {
        for m in Metal::ALL {
            assert_eq!(Metal::parse(m.as_str()), Some(*m));
        }
        assert_eq!(Metal::parse("Cd"), None);
        assert_eq!(Sector::parse("display_panel"), Some(Sector::DisplayPanel));
        assert_eq!(
            FarmlandClass::names(),
            "priority_protection, safe_use, strict_control"
        );
    }

    #[test]
    fn anti_leak_none_stands_alone() {
        use AntiLeakMeasure as A;
        assert!(AntiLeak::new(vec![]).is_none());
        assert!(AntiLeak::new(vec![A::NoMeasure, A::DoubleWall]).is_none());
        assert_eq!(
            AntiLeak::new(vec![A::LeakDetection, A::DoubleWall, A::DoubleWall])
                .map(|a| a.as_slice().to_vec()),
            Some(vec![A::DoubleWall, A::LeakDetection])
        );
        assert!(AntiLeak::new(vec![A::NoMeasure]).is_some());
    }

    #[test]
    fn metals_are_sorted_without_repeats() {
        let m = Metals::new(vec![Metal::Pb, Metal::Cd, Metal::Pb]);
        assert_eq!(m.as_slice(), &[Metal::Cd, Metal::Pb]);
    }
}
