//! Safe-utilization rates (§2, §6), computed from the record. The official accounting
//! methods are not published in the sources we have; the definitions used are written
//! here, in one place, shown in every answer, and easy to change.

use serde::Serialize;
use time::Date;

use crate::domain::lifecycle::{replay, Event, ParcelState, Recorded, Replay, Stage};

/// How a rate is defined, and its target.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Definition {
    pub id: &'static str,
    pub name_zh: &'static str,
    pub name_en: &'static str,
    pub definition_zh: &'static str,
    pub definition_en: &'static str,
    /// The target share, 0–1.
    pub target: f64,
    pub target_note: &'static str,
}

pub const KEY_LAND: Definition = Definition {
    id: "key_construction_land",
    name_zh: "重点建设用地安全利用率",
    name_en: "Safe-utilization rate of key construction land",
    definition_zh: "分母：规划用途为住宅（07）或公共管理与公共服务（08）、在统计年度内供应的地块。分子：其中供地前已完成土壤污染状况调查，且调查认定超筛选值的，供地前已完成风险评估并认定风险可接受或已移出名录的地块。",
    definition_en: "Denominator: parcels planned for housing (07) or public services (08) supplied in the year. Numerator: those whose survey was complete before supply and, where the survey found values over the screening values, whose risk was assessed acceptable or that were delisted before supply.",
    target: 1.0,
    target_note: "100%，或达到95%以上且依法处罚、整改到位 (100%, or ≥95% with penalties and rectification completed)",
};

pub const CONTAMINATED_PARCELS: Definition = Definition {
    id: "contaminated_parcels",
    name_zh: "污染地块安全利用率",
    name_en: "Safe-utilization rate of contaminated parcels",
    definition_zh: "分母：曾被认定为污染地块（第二阶段调查超筛选值）、在统计年度内开发利用（供地或开工）的地块。分子：其中开发利用前已经风险评估认定风险可接受，或已达到风险管控、修复目标并移出名录的地块。",
    definition_en: "Denominator: parcels ever found contaminated (phase 2 over the screening values) and developed (supplied or construction started) in the year. Numerator: those that before development were assessed as acceptable risk, or met their targets and were delisted.",
    target: 0.95,
    target_note: "≥95%",
};

pub const FARMLAND: Definition = Definition {
    id: "contaminated_farmland",
    name_zh: "受污染耕地安全利用率",
    name_en: "Safe-utilization rate of contaminated farmland",
    definition_zh: "分母：安全利用类和严格管控类耕地、园地的面积。分子：其中已落实相应措施（有措施记录），且统计年度内无农产品检测超标的面积。（据《受污染耕地安全利用率核算方法（试行）》的变量定义重构，未经核实。）",
    definition_en: "Denominator: area of farmland and orchard plots classed safe use or strict control. Numerator: the part with measures recorded and no produce test over the limit in the year. (Reconstructed from the variable definitions of the national accounting method; unverified.)",
    target: 0.95,
    target_note: "≥95%",
};

/// One development (supply or construction start) and whether it was safe.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Case {
    pub parcel: String,
    pub on: Date,
    pub safe: bool,
}

/// A computed rate with what is behind it.
#[derive(Debug, Clone, Serialize)]
pub struct Rate {
    pub definition: Definition,
    pub numerator: f64,
    pub denominator: f64,
    /// `None` when nothing is counted.
    pub rate: Option<f64>,
    pub target_met: Option<bool>,
    pub safe: Vec<String>,
    pub not_safe: Vec<String>,
}

impl Rate {
    pub fn of_cases(definition: Definition, cases: &[Case]) -> Rate {
        let safe: Vec<String> = cases
            .iter()
            .filter(|c| c.safe)
            .map(|c| c.parcel.clone())
            .collect();
        let not_safe: Vec<String> = cases
            .iter()
            .filter(|c| !c.safe)
            .map(|c| c.parcel.clone())
            .collect();
        Rate::of_parts(
            definition,
            safe.len() as f64,
            cases.len() as f64,
            safe,
            not_safe,
        )
    }

    pub fn of_parts(
        definition: Definition,
        numerator: f64,
        denominator: f64,
        safe: Vec<String>,
        not_safe: Vec<String>,
    ) -> Rate {
        let rate = (denominator > 0.0).then(|| numerator / denominator);
        Rate {
            definition,
            numerator,
            denominator,
            rate,
            target_met: rate.map(|r| r + 1e-12 >= definition.target),
            safe,
            not_safe,
        }
    }
}

/// One event of a parcel's corrected history: what happened, when, and the stage before it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Step {
    pub kind: crate::domain::lifecycle::EventKind,
    pub on: Date,
    pub stage_before: Stage,
}

/// The corrected history of recorded events as steps (kind, date, stage before).
pub fn steps_of(events: &[Recorded], replay: &Replay) -> Vec<Step> {
    let mut before = Stage::Unknown;
    let mut out = Vec::new();
    for (e, step) in events.iter().zip(&replay.steps) {
        if !step.voided && !matches!(e.event, Event::Correction { .. }) {
            out.push(Step {
                kind: e.event.kind(),
                on: e.occurred_on,
                stage_before: before,
            });
        }
        before = step.stage_after;
    }
    out
}

/// Whether a stage counts as contaminated construction land: found contaminated, awaiting
/// or under control or remediation, or listed (contaminated … effect_evaluated).
pub fn is_contaminated_stage(s: Stage) -> bool {
    matches!(s, Stage::Contaminated | Stage::ControlNeeded) || s.is_use_restricted()
}

/// Whether the parcel was contaminated construction land on each of `dates`, by the
/// events that had occurred by then (a history that does not replay counts as not).
pub fn contaminated_on(events: &[Recorded], initial: &ParcelState, dates: &[Date]) -> Vec<bool> {
    dates
        .iter()
        .map(|d| {
            let upto: Vec<Recorded> = events
                .iter()
                .filter(|e| e.occurred_on <= *d)
                .cloned()
                .collect();
            replay(&upto, initial).is_ok_and(|r| is_contaminated_stage(r.state.stage))
        })
        .collect()
}

fn is_safe_stage(stage: Stage) -> bool {
    matches!(
        stage,
        Stage::Cleared | Stage::Delisted | Stage::PostManagement
    )
}

/// The key-land case of a parcel planned for housing or public services: its supply in
/// `year` and whether it was safe (the stage before supply was cleared or delisted).
pub fn key_land_case(parcel: &str, steps: &[Step], year: i32) -> Option<Case> {
    use crate::domain::lifecycle::EventKind as K;
    steps
        .iter()
        .find(|s| s.kind == K::LandSupplied && s.on.year() == year)
        .map(|s| Case {
            parcel: parcel.to_owned(),
            on: s.on,
            safe: is_safe_stage(s.stage_before),
        })
}

/// The contaminated-parcel case: a parcel found contaminated, developed in `year`.
pub fn contaminated_case(parcel: &str, steps: &[Step], year: i32) -> Option<Case> {
    use crate::domain::lifecycle::EventKind as K;
    let developed = steps
        .iter()
        .find(|s| matches!(s.kind, K::LandSupplied | K::ConstructionStarted))?;
    let ever_contaminated = steps.iter().any(|s| s.stage_before == Stage::Contaminated);
    (developed.on.year() == year && ever_contaminated).then(|| Case {
        parcel: parcel.to_owned(),
        on: developed.on,
        safe: is_safe_stage(developed.stage_before),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::lifecycle::EventKind as K;
    use time::macros::date;

    fn step(kind: K, on: Date, stage_before: Stage) -> Step {
        Step {
            kind,
            on,
            stage_before,
        }
    }

    fn rec(id: i64, event: Event, occurred_on: Date) -> Recorded {
        Recorded {
            id,
            event,
            occurred_on,
            planned_class: crate::domain::lifecycle::Gb36600Class::One,
        }
    }

    #[test]
    fn a_parcel_counts_as_contaminated_from_the_year_end_after_its_finding() {
        use crate::domain::lifecycle::{Phase1Outcome, Phase2Outcome};
        let events = [
            rec(1, Event::SurveyStarted, date!(2021 - 03 - 01)),
            rec(
                2,
                Event::Phase1Concluded {
                    outcome: Phase1Outcome::Phase2Needed,
                },
                date!(2021 - 05 - 01),
            ),
            rec(
                3,
                Event::Phase2Concluded {
                    outcome: Phase2Outcome::Contaminated,
                    exceedances: serde_json::json!([]),
                    class: None,
                },
                date!(2022 - 02 - 01),
            ),
        ];
        let ends = [
            date!(2020 - 12 - 31),
            date!(2021 - 12 - 31),
            date!(2022 - 12 - 31),
        ];
        let initial = ParcelState::default();
        assert_eq!(
            contaminated_on(&events, &initial, &ends),
            [false, false, true]
        );
        // Without its survey, the finding breaks the history: never counted.
        assert_eq!(
            contaminated_on(&events[2..], &initial, &ends),
            [false, false, false]
        );
    }

    #[test]
    fn key_land_is_safe_when_supplied_after_the_survey_cleared_it() {
        let safe = [
            step(K::SurveyStarted, date!(2023 - 01 - 01), Stage::Unknown),
            step(K::Phase1Concluded, date!(2023 - 02 - 01), Stage::Surveying),
            step(K::LandSupplied, date!(2023 - 05 - 01), Stage::Cleared),
        ];
        assert_eq!(key_land_case("A", &safe, 2023).map(|c| c.safe), Some(true));
        assert_eq!(
            key_land_case("A", &safe, 2022),
            None,
            "supplied in another year"
        );
        let unsafe_ = [step(K::LandSupplied, date!(2023 - 05 - 01), Stage::Unknown)];
        assert_eq!(
            key_land_case("B", &unsafe_, 2023).map(|c| c.safe),
            Some(false)
        );
    }

    #[test]
    fn contaminated_parcels_count_only_when_developed_and_are_safe_after_delisting() {
        let delisted = [
            step(K::Phase2Concluded, date!(2021 - 01 - 01), Stage::Surveying),
            step(K::RiskAssessed, date!(2021 - 06 - 01), Stage::Contaminated),
            step(K::Delisted, date!(2022 - 06 - 01), Stage::EffectEvaluated),
            step(K::LandSupplied, date!(2023 - 03 - 01), Stage::Delisted),
        ];
        assert_eq!(
            contaminated_case("C", &delisted, 2023).map(|c| c.safe),
            Some(true)
        );
        let built_early = [
            step(K::Phase2Concluded, date!(2021 - 01 - 01), Stage::Surveying),
            step(
                K::ConstructionStarted,
                date!(2023 - 03 - 01),
                Stage::Contaminated,
            ),
        ];
        assert_eq!(
            contaminated_case("D", &built_early, 2023).map(|c| c.safe),
            Some(false)
        );
        let never = [step(K::LandSupplied, date!(2023 - 03 - 01), Stage::Cleared)];
        assert_eq!(contaminated_case("E", &never, 2023), None);
    }

    #[test]
    fn rates_divide_and_compare_with_their_targets() {
        let cases = (0..20)
            .map(|i| Case {
                parcel: format!("P{i}"),
                on: date!(2023 - 01 - 01),
                safe: i != 0,
            })
            .collect::<Vec<_>>();
        let r = Rate::of_cases(CONTAMINATED_PARCELS, &cases);
        assert_eq!(
            (r.numerator, r.denominator, r.rate, r.target_met),
            (19.0, 20.0, Some(0.95), Some(true))
        );
        let k = Rate::of_cases(KEY_LAND, &cases);
        assert_eq!(k.target_met, Some(false));
        assert_eq!(Rate::of_cases(KEY_LAND, &[]).rate, None);
    }
}
