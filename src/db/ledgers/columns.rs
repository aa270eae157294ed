//! A ledger entry as the columns it writes: names are the API's member names, values
//! are bound (never formatted in), enums cast to their Postgres type.

use sqlx::{Postgres, QueryBuilder};
use time::Date;

use crate::domain::ledgers::kinds::{
    AntiLeakMeasure, FarmlandClass, InvestigationStatus, LandType, Metal, Sector,
};
use crate::domain::ledgers::{Entry, Shape};

/// One bound column value.
pub enum Col {
    Text(Option<String>),
    Date(Option<Date>),
    Bool(bool),
    Num(f64),
    /// A label and its Postgres enum type.
    Enum(&'static str, &'static str),
    /// Labels and the Postgres enum type of the array's elements.
    Enums(Vec<&'static str>, &'static str),
}

impl Col {
    pub fn push(self, qb: &mut QueryBuilder<'_, Postgres>) {
        match self {
            Col::Text(v) => qb.push_bind(v),
            Col::Date(v) => qb.push_bind(v),
            Col::Bool(v) => qb.push_bind(v),
            Col::Num(v) => qb.push_bind(v),
            Col::Enum(v, ty) => qb.push_bind(v).push("::").push(ty),
            Col::Enums(v, ty) => qb.push_bind(v).push("::text[]::").push(ty).push("[]"),
        };
    }
}

fn text(s: &str) -> Col {
    Col::Text(Some(s.to_owned()))
}

/// The columns of an entry, in a fixed order.
pub fn columns(e: &Entry) -> Vec<(&'static str, Col)> {
    match e {
        Entry::HeavyMetalFirm(f) => vec![
            ("uscc", text(f.uscc.as_str())),
            (
                "metals",
                Col::Enums(
                    f.metals.as_slice().iter().map(|m| m.as_str()).collect(),
                    Metal::PG_TYPE,
                ),
            ),
            ("electroplating", Col::Bool(f.electroplating)),
            (
                "status",
                Col::Enum(f.status.as_str(), InvestigationStatus::PG_TYPE),
            ),
            ("remediation_note", Col::Text(f.remediation_note.clone())),
        ],
        Entry::BuriedTank(t) => vec![
            ("owner", text(&t.owner)),
            (
                "owner_uscc",
                Col::Text(t.owner_uscc.as_ref().map(|u| u.as_str().to_owned())),
            ),
            ("substance", text(&t.substance)),
            ("capacity_m3", Col::Num(t.capacity_m3)),
            ("installed_on", Col::Date(Some(t.installed_on))),
            (
                "anti_leak",
                Col::Enums(
                    t.anti_leak.as_slice().iter().map(|m| m.as_str()).collect(),
                    AntiLeakMeasure::PG_TYPE,
                ),
            ),
        ],
        Entry::WasteStorageSite(s) => vec![
            ("operator", text(&s.operator)),
            ("waste_type", text(&s.waste_type)),
            ("safety_measures", text(&s.safety_measures)),
        ],
        Entry::NewProject(p) => vec![
            ("name", text(&p.name)),
            (
                "enterprise_uscc",
                Col::Text(p.enterprise_uscc.as_ref().map(|u| u.as_str().to_owned())),
            ),
            ("sector", Col::Enum(p.sector.as_str(), Sector::PG_TYPE)),
            (
                "baseline_survey_done_on",
                Col::Date(p.baseline_survey_done_on),
            ),
            (
                "construction_started_on",
                Col::Date(p.construction_started_on),
            ),
            ("baseline_missing", Col::Bool(p.baseline_missing())),
        ],
        Entry::FarmlandPlot(p) => vec![
            ("name", text(&p.name)),
            ("town", text(p.town.code())),
            (
                "land_type",
                Col::Enum(p.land_type.as_str(), LandType::PG_TYPE),
            ),
            ("class", Col::Enum(p.class.as_str(), FarmlandClass::PG_TYPE)),
            ("measures", Col::Text(p.measures.clone())),
        ],
        Entry::UnusedLandPatrol(p) => vec![
            ("patrolled_on", Col::Date(Some(p.patrolled_on))),
            ("patroller", text(&p.patroller)),
            ("town", text(p.town.code())),
            ("finding", text(&p.finding)),
            (
                "photo",
                Col::Text(p.photo.as_ref().map(|d| d.as_str().to_owned())),
            ),
            ("follow_up", Col::Text(p.follow_up.clone())),
        ],
    }
}

/// The geometry as a CGCS2000 value of the column's type.
pub fn push_geom(qb: &mut QueryBuilder<'_, Postgres>, shape: &Shape) {
    match shape {
        Shape::Point(_) => qb
            .push("ST_SetSRID(ST_GeomFromGeoJSON(")
            .push_bind(shape.to_geojson())
            .push("), 4490)"),
        Shape::Area(_) => qb
            .push("ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(")
            .push_bind(shape.to_geojson())
            .push("), 4490))"),
    };
}

/// The geometry columns an INSERT lists.
pub fn geom_columns(shape: &Shape) -> &'static str {
    match shape {
        Shape::Point(_) => "geom",
        Shape::Area(_) => "geom, area_m2",
    }
}

/// The values of [`geom_columns`]: the geometry, and an area's size on the ellipsoid.
pub fn push_geom_values(qb: &mut QueryBuilder<'_, Postgres>, shape: &Shape) {
    push_geom(qb, shape);
    if let Shape::Area(_) = shape {
        qb.push(", ST_Area((");
        push_geom(qb, shape);
        qb.push(")::geography)");
    }
}

/// `geom = …` (and `area_m2 = …` for an area) for an UPDATE.
pub fn push_geom_assignments(qb: &mut QueryBuilder<'_, Postgres>, shape: &Shape) {
    qb.push("geom = ");
    push_geom(qb, shape);
    if let Shape::Area(_) = shape {
        qb.push(", area_m2 = ST_Area((");
        push_geom(qb, shape);
        qb.push(")::geography)");
    }
}
