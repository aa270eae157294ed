//! The action plan's tasks, measures and units, loaded once from the parsed plan, and the
//! progress reports on its measures.

use serde::Serialize;
use sqlx::{PgConnection, PgExecutor};
use time::{Date, OffsetDateTime};

use crate::domain::plan::{Deadline, Plan, ProgressStatus, Unit, UnitDept, UnitRole};

/// Loads the plan's tasks, measures and units unless its year is already loaded; `true` when
/// it loaded them. Concurrent first requests serialize on a transaction-level advisory lock,
/// so exactly one of them inserts; the caller commits.
#[tracing::instrument(skip(conn, plan), fields(year = plan.year))]
pub async fn ensure_loaded(conn: &mut PgConnection, plan: &Plan) -> Result<bool, sqlx::Error> {
    const LOADED: &str = "SELECT EXISTS (SELECT 1 FROM plan_tasks WHERE year = $1)";
    // Loaded rows are never removed, so a plain look first spares the lock on every request.
    if sqlx::query_scalar(LOADED)
        .bind(plan.year)
        .fetch_one(&mut *conn)
        .await?
    {
        return Ok(false);
    }
    sqlx::query("SELECT pg_advisory_xact_lock(hashtext('soilreg.plan.load'), $1)")
        .bind(plan.year)
        .execute(&mut *conn)
        .await?;
    // Under READ COMMITTED this statement sees a load committed while we waited.
    if sqlx::query_scalar(LOADED)
        .bind(plan.year)
        .fetch_one(&mut *conn)
        .await?
    {
        return Ok(false);
    }
    insert(conn, plan).await?;
    tracing::info!(year = plan.year, tasks = plan.tasks.len(), "plan loaded");
    Ok(true)
}

/// Inserts a plan in three statements (tasks, measures, units), each from parallel arrays.
async fn insert(conn: &mut PgConnection, plan: &Plan) -> Result<(), sqlx::Error> {
    let (mut no, mut section, mut title) = (vec![], vec![], vec![]);
    let (mut m_no, mut m_pos, mut m_text, mut m_deadline) = (vec![], vec![], vec![], vec![]);
    let (mut u_no, mut u_mpos, mut u_role, mut u_pos, mut u_name, mut u_dept) =
        (vec![], vec![], vec![], vec![], vec![], vec![]);
    for t in &plan.tasks {
        no.push(t.no);
        section.push(t.section.as_str());
        title.push(t.title.as_str());
        for (mi, m) in (1i16..).zip(&t.measures) {
            m_no.push(t.no);
            m_pos.push(mi);
            m_text.push(m.text.as_str());
            m_deadline.push(match m.deadline {
                Deadline::YearEnd => "year_end",
                Deadline::Ongoing => "ongoing",
            });
            let roles = [("lead", &m.lead), ("responsible", &m.responsible)];
            for (role, units) in roles {
                for (ui, u) in (1i16..).zip(units) {
                    u_no.push(t.no);
                    u_mpos.push(mi);
                    u_role.push(role);
                    u_pos.push(ui);
                    u_name.push(u.name.as_str());
                    u_dept.push(u.department.map(UnitDept::code));
                }
            }
        }
    }
    sqlx::query(
        "INSERT INTO plan_tasks (year, no, section, title)
         SELECT $1, u.no, u.section, u.title
           FROM unnest($2::int2[], $3::text[], $4::text[]) WITH ORDINALITY AS u(no, section, title, ord)
          ORDER BY u.ord",
    )
    .bind(plan.year)
    .bind(&no)
    .bind(&section)
    .bind(&title)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO plan_measures (task_id, position, text, deadline)
         SELECT t.id, u.position, u.text, u.deadline::plan_deadline
           FROM unnest($2::int2[], $3::int2[], $4::text[], $5::text[])
                WITH ORDINALITY AS u(no, position, text, deadline, ord)
           JOIN plan_tasks t ON t.year = $1 AND t.no = u.no
          ORDER BY u.ord",
    )
    .bind(plan.year)
    .bind(&m_no)
    .bind(&m_pos)
    .bind(&m_text)
    .bind(&m_deadline)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO plan_measure_units (measure_id, role, position, name, department)
         SELECT m.id, u.role::plan_unit_role, u.position, u.name, u.department
           FROM unnest($2::int2[], $3::int2[], $4::text[], $5::int2[], $6::text[], $7::text[])
                AS u(no, measure_position, role, position, name, department)
           JOIN plan_tasks t ON t.year = $1 AND t.no = u.no
           JOIN plan_measures m ON m.task_id = t.id AND m.position = u.measure_position",
    )
    .bind(plan.year)
    .bind(&u_no)
    .bind(&u_mpos)
    .bind(&u_role)
    .bind(&u_pos)
    .bind(&u_name)
    .bind(&u_dept)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A progress report as the API shows it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Report {
    pub id: i64,
    #[serde(skip)]
    pub measure_id: i64,
    pub department: String,
    pub reported_on: Date,
    pub status: ProgressStatus,
    pub percent: i16,
    pub text: String,
    pub evidence: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub recorded_at: OffsetDateTime,
    /// The name of the user who recorded it.
    pub recorded_by: String,
}

/// The report columns and the tables they come from.
const REPORT_COLUMNS: &str = "p.id, p.measure_id, p.department, p.reported_on, p.status, p.percent,
        p.text, p.evidence, p.recorded_at, us.name AS recorded_by
   FROM plan_progress p JOIN users us ON us.id = p.recorded_by";

/// A measure with its units and each department's latest report.
#[derive(Debug, Clone)]
pub struct MeasureRecord {
    pub id: i64,
    pub text: String,
    pub deadline: Deadline,
    pub lead: Vec<Unit>,
    pub responsible: Vec<Unit>,
    pub latest: Vec<Report>,
}

/// A task with its measures.
#[derive(Debug, Clone)]
pub struct TaskRecord {
    pub no: i16,
    pub section: String,
    pub title: String,
    pub measures: Vec<MeasureRecord>,
}

#[derive(sqlx::FromRow)]
struct MeasureRow {
    no: i16,
    section: String,
    title: String,
    id: i64,
    text: String,
    deadline: Deadline,
}

#[derive(sqlx::FromRow)]
struct UnitRow {
    measure_id: i64,
    role: UnitRole,
    name: String,
    department: Option<String>,
}

const SCOPE: &str =
    "JOIN plan_tasks t ON t.id = m.task_id WHERE t.year = $1 AND ($2::int2 IS NULL OR t.no = $2)";

/// The tasks of a year's plan (or the one numbered `only`), in order, with their measures.
#[tracing::instrument(skip(conn))]
pub async fn tasks(
    conn: &mut PgConnection,
    year: i32,
    only: Option<i16>,
) -> Result<Vec<TaskRecord>, sqlx::Error> {
    let measures: Vec<MeasureRow> = sqlx::query_as(&format!(
        "SELECT t.no, t.section, t.title, m.id, m.text, m.deadline
           FROM plan_measures m {SCOPE} ORDER BY t.no, m.position"
    ))
    .bind(year)
    .bind(only)
    .fetch_all(&mut *conn)
    .await?;
    let units: Vec<UnitRow> = sqlx::query_as(&format!(
        "SELECT u.measure_id, u.role, u.name, u.department
           FROM plan_measure_units u JOIN plan_measures m ON m.id = u.measure_id {SCOPE}
          ORDER BY u.measure_id, u.role, u.position"
    ))
    .bind(year)
    .bind(only)
    .fetch_all(&mut *conn)
    .await?;
    let latest: Vec<Report> = sqlx::query_as(&format!(
        "SELECT DISTINCT ON (p.measure_id, p.department) {REPORT_COLUMNS}
           JOIN plan_measures m ON m.id = p.measure_id {SCOPE}
          ORDER BY p.measure_id, p.department, p.reported_on DESC, p.id DESC"
    ))
    .bind(year)
    .bind(only)
    .fetch_all(&mut *conn)
    .await?;

    let mut tasks: Vec<TaskRecord> = Vec::new();
    for row in measures {
        let units_of = |role: UnitRole| -> Vec<Unit> {
            units
                .iter()
                .filter(|u| u.measure_id == row.id && u.role == role)
                .map(|u| Unit {
                    name: u.name.clone(),
                    department: u.department.as_deref().and_then(UnitDept::parse),
                })
                .collect()
        };
        let measure = MeasureRecord {
            id: row.id,
            text: row.text.clone(),
            deadline: row.deadline,
            lead: units_of(UnitRole::Lead),
            responsible: units_of(UnitRole::Responsible),
            latest: latest
                .iter()
                .filter(|r| r.measure_id == row.id)
                .cloned()
                .collect(),
        };
        match tasks.last_mut() {
            Some(t) if t.no == row.no => t.measures.push(measure),
            _ => tasks.push(TaskRecord {
                no: row.no,
                section: row.section,
                title: row.title,
                measures: vec![measure],
            }),
        }
    }
    Ok(tasks)
}

/// The departments of a measure's units (lead and responsible), or `None` when there is no
/// such measure in the year's plan.
pub async fn measure_units(
    conn: &mut PgConnection,
    year: i32,
    id: i64,
) -> Result<Option<Vec<UnitDept>>, sqlx::Error> {
    let row: Option<(Vec<String>,)> = sqlx::query_as(
        "SELECT coalesce((SELECT array_agg(u.department) FROM plan_measure_units u
                           WHERE u.measure_id = m.id AND u.department IS NOT NULL), '{}')
           FROM plan_measures m JOIN plan_tasks t ON t.id = m.task_id
          WHERE m.id = $2 AND t.year = $1",
    )
    .bind(year)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|(codes,)| codes.iter().filter_map(|c| UnitDept::parse(c)).collect()))
}

/// A new progress report, all fields valid.
#[derive(Debug, Clone)]
pub struct NewReport {
    pub measure_id: i64,
    pub department: String,
    pub reported_on: Date,
    pub status: ProgressStatus,
    pub percent: i16,
    pub text: String,
    pub evidence: Option<String>,
}

#[tracing::instrument(skip(conn, r), fields(measure = r.measure_id))]
pub async fn insert_report(
    conn: &mut PgConnection,
    r: &NewReport,
    user: i64,
) -> Result<Report, sqlx::Error> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO plan_progress (measure_id, department, reported_on, status, percent, text, evidence, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(r.measure_id)
    .bind(&r.department)
    .bind(r.reported_on)
    .bind(r.status)
    .bind(r.percent)
    .bind(&r.text)
    .bind(&r.evidence)
    .bind(user)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query_as(&format!("SELECT {REPORT_COLUMNS} WHERE p.id = $1"))
        .bind(id)
        .fetch_one(conn)
        .await
}

/// Every report on a measure, in the order recorded.
pub async fn trail(db: impl PgExecutor<'_>, measure_id: i64) -> Result<Vec<Report>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {REPORT_COLUMNS} WHERE p.measure_id = $1 ORDER BY p.id"
    ))
    .bind(measure_id)
    .fetch_all(db)
    .await
}
