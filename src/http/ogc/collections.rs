//! The collections the OGC API serves: each a table, its key, geometry, properties and queryables.

use std::borrow::Cow;

use time::Date;

use crate::db::filings::overdue_sql;
use crate::gis::cql2::{QType, Queryables};

/// One collection: trusted SQL fragments (never built from input).
pub struct Collection {
    pub id: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    /// `FROM` clause with the alias used below.
    pub from: &'static str,
    /// Integer keyset column.
    pub key: &'static str,
    /// Feature id (text).
    pub fid: &'static str,
    pub geom: &'static str,
    /// The properties.
    pub props: Props,
    /// Always-applied condition.
    pub base_where: &'static str,
    /// The timestamp `datetime` filters on.
    pub datetime: Option<&'static str>,
    /// Queryable name, SQL, type.
    pub queryables: &'static [(&'static str, &'static str, QType)],
}

/// A collection's properties: an SQL JSON expression, or typed fields that the service
/// writes as JSON itself (for the large collections, where building JSON per row in the
/// database costs more than finding the rows).
pub enum Props {
    Sql(&'static str),
    Fields(&'static [Field]),
}

/// One property read as a typed column.
pub struct Field {
    pub name: &'static str,
    pub sql: &'static str,
    pub kind: Kind,
}

/// How a field is read and written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    /// An enum, read as its label.
    Label,
    Int,
    /// A number given to two decimals.
    Hundredths,
    Timestamp,
}

impl Field {
    /// The column as the service reads it.
    pub fn column_sql(&self) -> String {
        match self.kind {
            Kind::Text => self.sql.to_owned(),
            // Sent in binary as its label: no cast needed.
            Kind::Label => self.sql.to_owned(),
            Kind::Int => format!("{}::bigint", self.sql),
            Kind::Hundredths => format!("{}::float8", self.sql),
            Kind::Timestamp => self.sql.to_owned(),
        }
    }

    /// The field inside a `json_build_object(...)`.
    fn json_sql(&self) -> String {
        match self.kind {
            Kind::Hundredths => format!("round({}::numeric, 2)", self.sql),
            _ => self.sql.to_owned(),
        }
    }
}

impl Collection {
    /// The alias of the table the key belongs to (`p` of `p.id`), whose `ctid` locates a row.
    pub fn key_table(&self) -> &'static str {
        self.key.split('.').next().unwrap_or(self.key)
    }

    /// The properties as one SQL JSON expression (tiles, exports, single features).
    pub fn props_sql(&self) -> Cow<'static, str> {
        match self.props {
            Props::Sql(s) => Cow::Borrowed(s),
            Props::Fields(fields) => Cow::Owned(format!(
                "json_build_object({})",
                fields
                    .iter()
                    .map(|f| format!("'{}', {}", f.name, f.json_sql()))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }

    /// The queryables of a request made on `today` (Beijing's date), which the
    /// date-dependent ones (`overdue_filing`) are evaluated on.
    pub fn queryables(&self, today: Date) -> Queryables {
        self.queryables
            .iter()
            .fold(Queryables::new(self.geom, 4490), |q, (name, sql, ty)| {
                q.with(name, sql, *ty)
            })
            .on(today)
    }
}

/// A parcel with at least one filing overdue on the request's date: the definition of
/// `/api/filings?status=overdue`, with the date bound as a parameter.
const OVERDUE_FILING: &str = concat!(
    "EXISTS (SELECT 1 FROM filings f WHERE f.parcel_id = p.id AND ",
    overdue_sql!("{today}"),
    ")"
);

const fn field(name: &'static str, sql: &'static str, kind: Kind) -> Field {
    Field { name, sql, kind }
}

const PARCEL_FIELDS: &[Field] = &[
    field("code", "p.code", Kind::Text),
    field("name", "p.name", Kind::Text),
    field("town", "p.town", Kind::Text),
    field("address", "p.address", Kind::Text),
    field("current_use", "p.current_use", Kind::Text),
    field("planned_use", "p.planned_use", Kind::Text),
    field("gb36600_class", "p.gb36600_class", Kind::Int),
    field("land_right", "p.land_right", Kind::Label),
    field("right_holder", "p.right_holder", Kind::Text),
    field("responsible_party", "p.responsible_party", Kind::Text),
    field("risk", "p.risk", Kind::Label),
    field("stage", "p.stage", Kind::Label),
    field("area_m2", "p.area_m2", Kind::Hundredths),
    field("version", "p.version", Kind::Int),
    field("updated_at", "p.updated_at", Kind::Timestamp),
];

/// Properties of a simple ledger table: every column but the geometry and the users.
const ROW_PROPS: &str = "(to_jsonb(t) - 'geom' - 'created_by' - 'updated_by')";

const fn ledger(id: &'static str, title: &'static str, from: &'static str) -> Collection {
    Collection {
        id,
        title,
        description: title,
        from,
        key: "t.id",
        fid: "t.id::text",
        geom: "t.geom",
        props: Props::Sql(ROW_PROPS),
        base_where: "TRUE",
        datetime: Some("t.updated_at"),
        queryables: &[
            ("id", "t.id", QType::Integer),
            ("version", "t.version", QType::Integer),
        ],
    }
}

pub const COLLECTIONS: &[Collection] = &[
    Collection {
        id: "parcels",
        title: "建设用地地块 Construction-land parcels",
        description: "The parcel register: boundaries in CGCS2000, uses, land right, risk and lifecycle stage.",
        from: "parcels p",
        key: "p.id",
        fid: "p.code",
        geom: "p.geom",
        props: Props::Fields(PARCEL_FIELDS),
        base_where: "p.retired_at IS NULL",
        datetime: Some("p.updated_at"),
        queryables: &[
            ("code", "p.code", QType::Text),
            ("name", "p.name", QType::Text),
            ("town", "p.town", QType::Text),
            ("current_use", "p.current_use", QType::Text),
            ("planned_use", "p.planned_use", QType::Text),
            ("gb36600_class", "p.gb36600_class", QType::Integer),
            ("land_right", "p.land_right::text", QType::Text),
            ("risk", "p.risk::text", QType::Text),
            ("stage", "p.stage::text", QType::Text),
            ("area_m2", "p.area_m2", QType::Number),
            ("updated_at", "p.updated_at", QType::Timestamp),
            ("overdue_filing", OVERDUE_FILING, QType::Boolean),
        ],
    },
    Collection {
        id: "sampling-points",
        title: "采样点位 Sampling points",
        description: "Soil sampling points with their worst ratio to the GB 36600 screening value of the parcel's class.",
        from: "sampling_points sp JOIN parcels p ON p.id = sp.parcel_id",
        key: "sp.id",
        fid: "sp.id::text",
        geom: "sp.geom",
        props: Props::Sql("json_build_object('point_id', sp.point_id, 'parcel', p.code, 'borehole', sp.borehole,
            'worst_ratio', (SELECT max(r.value_mgkg / CASE p.gb36600_class WHEN 1 THEN i.screen_class1 ELSE i.screen_class2 END)
                              FROM samples s JOIN results r ON r.sample_id = s.id JOIN gb36600_items i ON i.item_no = r.item_no
                             WHERE s.point_id = sp.id AND NOT r.below_detection AND s.matrix = 'soil'))"),
        base_where: "TRUE",
        datetime: None,
        queryables: &[("point_id", "sp.point_id", QType::Text), ("parcel", "p.code", QType::Text)],
    },
    Collection {
        id: "closed-sites",
        title: "关停企业原址 Closed-factory sites",
        description: "Former sites of closed or relocated firms with their screened risk level.",
        from: "closed_sites c JOIN enterprises e ON e.id = c.enterprise_id",
        key: "c.id",
        fid: "c.id::text",
        geom: "c.footprint",
        props: Props::Sql("json_build_object('name', c.name, 'enterprise', e.uscc, 'enterprise_name', e.name, 'industry', e.industry,
            'closure_year', c.closure_year, 'risk_level', c.risk_level, 'risk_score', c.risk_score, 'area_m2', round(c.area_m2::numeric, 1))"),
        base_where: "TRUE",
        datetime: Some("c.created_at"),
        queryables: &[
            ("name", "c.name", QType::Text),
            ("enterprise", "e.uscc", QType::Text),
            ("closure_year", "c.closure_year", QType::Integer),
            ("risk_level", "c.risk_level::text", QType::Text),
            ("risk_score", "c.risk_score", QType::Integer),
        ],
    },
    Collection {
        id: "key-units",
        title: "土壤污染重点监管单位 Key supervised units",
        description: "Firms on a year's key-unit list, with the years listed.",
        from: "enterprises e",
        key: "e.id",
        fid: "e.uscc",
        geom: "e.location",
        props: Props::Sql("json_build_object('uscc', e.uscc, 'name', e.name, 'industry', e.industry, 'status', e.status,
            'years', (SELECT json_agg(k.year ORDER BY k.year) FROM key_unit_listings k WHERE k.enterprise_id = e.id AND k.listed))"),
        base_where: "EXISTS (SELECT 1 FROM key_unit_listings k WHERE k.enterprise_id = e.id AND k.listed)",
        datetime: Some("e.updated_at"),
        queryables: &[("uscc", "e.uscc", QType::Text), ("name", "e.name", QType::Text), ("industry", "e.industry", QType::Text)],
    },
    Collection {
        id: "enterprises",
        title: "企业 Enterprises",
        description: "Firms by unified social credit code.",
        from: "enterprises e",
        key: "e.id",
        fid: "e.uscc",
        geom: "e.location",
        props: Props::Sql("json_build_object('uscc', e.uscc, 'name', e.name, 'industry', e.industry, 'status', e.status, 'closed_on', e.closed_on)"),
        base_where: "TRUE",
        datetime: Some("e.updated_at"),
        queryables: &[
            ("uscc", "e.uscc", QType::Text),
            ("name", "e.name", QType::Text),
            ("industry", "e.industry", QType::Text),
            ("status", "e.status::text", QType::Text),
        ],
    },
    Collection {
        id: "patches",
        title: "卫片图斑 Remote-sensing patches",
        description: "Polygons of detected change: construction, dumping, occupation.",
        from: "rs_patches t",
        key: "t.id",
        fid: "t.patch_no",
        geom: "t.geom",
        props: Props::Sql("json_build_object('patch_no', t.patch_no, 'kind', t.kind, 'detected_on', t.detected_on, 'area_m2', round(t.area_m2::numeric, 1))"),
        base_where: "TRUE",
        datetime: Some("t.imported_at"),
        queryables: &[("patch_no", "t.patch_no", QType::Text), ("kind", "t.kind::text", QType::Text), ("detected_on", "t.detected_on", QType::Date)],
    },
    ledger("heavy-metal-firms", "涉重金属、电镀企业 Heavy-metal and electroplating firms", "heavy_metal_firms t"),
    ledger("buried-tanks", "埋地储罐、管线 Buried tanks and pipelines", "buried_tanks t"),
    ledger("waste-storage-sites", "工业固体废物堆存场所 Solid-waste storage sites", "waste_storage_sites t"),
    ledger("new-projects", "新建工业项目 New industrial projects", "new_projects t"),
    ledger("farmland-plots", "耕地、园地 Farmland and orchard plots", "farmland_plots t"),
    ledger("unused-land-patrols", "未利用地巡查 Unused-land patrols", "unused_land_patrols t"),
];

pub fn find(id: &str) -> Option<&'static Collection> {
    COLLECTIONS.iter().find(|c| c.id == id)
}
