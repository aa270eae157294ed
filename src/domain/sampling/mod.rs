//! Sampling results as they arrive: CSV with English or Chinese headers, or JSON
//! rows; parsed into rows that can only hold valid values, and a report of every
//! bad row and why.

use std::collections::HashMap;

use serde::Serialize;
use serde_json::Value;
use time::Date;

use super::screening::{Gb36600, Item, Unit};

mod columns;
#[cfg(test)]
mod tests;

use columns::REQUIRED;
pub use columns::{Column, Matrix};

/// One valid result row.
#[derive(Debug, Clone, PartialEq)]
pub struct SampleRow {
    /// 1-based line of the file (the header is line 1), or the index in a JSON list.
    pub line: usize,
    pub point_id: String,
    pub borehole: Option<String>,
    /// CGCS2000 longitude, latitude.
    pub lon: f64,
    pub lat: f64,
    pub depth_top_m: f64,
    pub depth_bottom_m: f64,
    pub sampled_on: Date,
    pub matrix: Matrix,
    pub analyte_as_reported: String,
    pub item: &'static Item,
    /// `None` when below detection with no stated limit.
    pub value_mgkg: Option<f64>,
    pub reported_value: String,
    pub reported_unit: Unit,
    pub detection_limit_mgkg: Option<f64>,
    pub below_detection: bool,
    pub lab: Option<String>,
    pub method: Option<String>,
}

/// A problem with one field of one row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RowProblem {
    pub field: &'static str,
    pub message: String,
}

/// A row that cannot be imported, with every reason.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BadRow {
    pub line: usize,
    pub problems: Vec<RowProblem>,
}

/// The outcome of parsing a file: the good rows and the bad ones.
#[derive(Debug, Default)]
pub struct Parsed {
    pub rows: Vec<SampleRow>,
    pub bad: Vec<BadRow>,
}

/// How coordinates become CGCS2000 lon/lat, and where they must lie.
pub struct Placement<'a> {
    pub to_cgcs: &'a dyn Fn(f64, f64) -> Option<(f64, f64)>,
    pub inside: &'a dyn Fn(f64, f64) -> bool,
    pub today: Date,
}

/// Parses CSV text. `Err` when the file itself is unusable (no header, missing required columns).
pub fn parse_csv(text: &str, place: &Placement<'_>) -> Result<Parsed, String> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| format!("the header cannot be read: {e}"))?
        .clone();
    let columns: Vec<Option<Column>> = headers.iter().map(Column::from_header).collect();
    let missing: Vec<&str> = REQUIRED
        .iter()
        .filter(|c| !columns.contains(&Some(**c)))
        .map(|c| c.name())
        .collect();
    if !missing.is_empty() {
        return Err(format!("missing columns: {}", missing.join(", ")));
    }
    let mut parsed = Parsed::default();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        match record {
            Ok(r) => {
                let fields: HashMap<Column, String> = columns
                    .iter()
                    .zip(r.iter())
                    .filter_map(|(c, v)| c.map(|c| (c, v.to_owned())))
                    .collect();
                if fields.values().all(|v| v.is_empty()) {
                    continue;
                }
                push(&mut parsed, parse_row(line, &fields, place));
            }
            Err(e) => parsed.bad.push(BadRow {
                line,
                problems: vec![RowProblem {
                    field: "row",
                    message: format!("unreadable row: {e}"),
                }],
            }),
        }
    }
    check_consistency(&mut parsed);
    Ok(parsed)
}

/// Parses a JSON list of row objects with the English column names.
pub fn parse_json(rows: &[Value], place: &Placement<'_>) -> Parsed {
    let mut parsed = Parsed::default();
    for (i, row) in rows.iter().enumerate() {
        let line = i + 1;
        let Some(obj) = row.as_object() else {
            parsed.bad.push(BadRow {
                line,
                problems: vec![RowProblem {
                    field: "row",
                    message: "not an object".into(),
                }],
            });
            continue;
        };
        let mut fields = HashMap::new();
        let mut problems = Vec::new();
        for (k, v) in obj {
            match Column::from_header(k) {
                Some(c) => {
                    let text = match v {
                        Value::String(s) => s.trim().to_owned(),
                        Value::Number(n) => n.to_string(),
                        Value::Null => String::new(),
                        other => other.to_string(),
                    };
                    fields.insert(c, text);
                }
                None => problems.push(RowProblem {
                    field: "row",
                    message: format!("unknown field '{k}'"),
                }),
            }
        }
        let result = parse_row(line, &fields, place).map_err(|mut bad| {
            bad.problems.extend(problems.iter().cloned());
            bad
        });
        match (result, problems.is_empty()) {
            (Ok(row), true) => parsed.rows.push(row),
            (Ok(_), false) => parsed.bad.push(BadRow { line, problems }),
            (Err(bad), _) => parsed.bad.push(bad),
        }
    }
    check_consistency(&mut parsed);
    parsed
}

fn push(parsed: &mut Parsed, row: Result<SampleRow, BadRow>) {
    match row {
        Ok(r) => parsed.rows.push(r),
        Err(b) => parsed.bad.push(b),
    }
}

/// The value as written: a number, or below detection (`ND`, `未检出`, `<DL`, `<0.5`).
enum Reading {
    Value(f64),
    BelowDetection(Option<f64>),
}

fn parse_reading(s: &str) -> Option<Reading> {
    let t = s.trim();
    let upper = t.to_uppercase();
    if matches!(
        upper.as_str(),
        "ND" | "N.D." | "未检出" | "<DL" | "< DL" | "<MDL" | "BDL"
    ) {
        return Some(Reading::BelowDetection(None));
    }
    if let Some(rest) = t.strip_prefix('<') {
        let v: f64 = rest.trim().parse().ok()?;
        return (v.is_finite() && v > 0.0).then_some(Reading::BelowDetection(Some(v)));
    }
    let v: f64 = t.parse().ok()?;
    (v.is_finite() && v >= 0.0).then_some(Reading::Value(v))
}

fn parse_date(s: &str) -> Option<Date> {
    let parts: Vec<&str> = s.trim().split(['-', '/', '.']).collect();
    let [y, m, d] = parts[..] else { return None };
    let month = time::Month::try_from(m.parse::<u8>().ok()?).ok()?;
    Date::from_calendar_date(y.parse().ok()?, month, d.parse().ok()?).ok()
}

fn parse_row(
    line: usize,
    f: &HashMap<Column, String>,
    place: &Placement<'_>,
) -> Result<SampleRow, BadRow> {
    let mut problems = Vec::new();
    let mut bad = |c: Column, message: String| {
        problems.push(RowProblem {
            field: c.name(),
            message,
        })
    };
    let get = |c: Column| f.get(&c).map(String::as_str).unwrap_or("").trim();
    let text =
        |c: Column| Some(get(c).to_owned()).filter(|s| !s.is_empty() && s.chars().count() <= 200);

    let point_id = text(Column::PointId);
    if point_id.is_none() {
        bad(
            Column::PointId,
            "a point id (1–200 characters) is required".into(),
        );
    }
    let num = |c: Column| get(c).parse::<f64>().ok().filter(|v| v.is_finite());
    let (x, y) = (num(Column::X), num(Column::Y));
    let mut lonlat = None;
    match (x, y) {
        (Some(x), Some(y)) => match (place.to_cgcs)(x, y) {
            Some((lon, lat)) if (place.inside)(lon, lat) => lonlat = Some((lon, lat)),
            _ => bad(
                Column::X,
                format!("({x}, {y}) lies outside the district extent"),
            ),
        },
        _ => bad(Column::X, "x and y must be numbers".into()),
    }
    let top = num(Column::DepthTopM).filter(|d| (0.0..=200.0).contains(d));
    let bottom = num(Column::DepthBottomM).filter(|d| (0.0..=200.0).contains(d));
    match (top, bottom) {
        (Some(t), Some(b)) if b < t => bad(
            Column::DepthBottomM,
            format!("bottom {b} m is above top {t} m"),
        ),
        (None, _) => bad(
            Column::DepthTopM,
            "depth_top_m must be a number of metres, 0–200".into(),
        ),
        (_, None) => bad(
            Column::DepthBottomM,
            "depth_bottom_m must be a number of metres, 0–200".into(),
        ),
        _ => {}
    }
    let sampled_on = parse_date(get(Column::SampledOn));
    match sampled_on {
        None => bad(
            Column::SampledOn,
            format!("'{}' is not a date (YYYY-MM-DD)", get(Column::SampledOn)),
        ),
        Some(d) if d > place.today => bad(Column::SampledOn, format!("{d} is in the future")),
        _ => {}
    }
    let matrix = Matrix::parse(get(Column::Matrix));
    if matrix.is_none() {
        bad(
            Column::Matrix,
            format!(
                "'{}' is not soil, groundwater or sediment",
                get(Column::Matrix)
            ),
        );
    }
    let analyte = get(Column::Analyte).to_owned();
    let item = Gb36600::get().ok().and_then(|s| s.find(&analyte));
    if item.is_none() {
        bad(
            Column::Analyte,
            format!("'{analyte}' is not a GB 36600 item (CAS number or name)"),
        );
    }
    let unit = Unit::parse(get(Column::Unit));
    if unit.is_none() {
        bad(
            Column::Unit,
            format!("'{}' is not mg/kg, μg/kg or ng/kg", get(Column::Unit)),
        );
    }
    let reading = parse_reading(get(Column::Value));
    if reading.is_none() {
        bad(
            Column::Value,
            format!("'{}' is not a concentration, ND or <DL", get(Column::Value)),
        );
    }
    let dl_text = get(Column::DetectionLimit);
    let dl = if dl_text.is_empty() {
        None
    } else {
        let v = dl_text
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite() && *v > 0.0);
        if v.is_none() {
            bad(
                Column::DetectionLimit,
                format!("'{dl_text}' is not a positive number"),
            );
        }
        v
    };
    let (
        Some(point_id),
        Some((lon, lat)),
        Some(top),
        Some(bottom),
        Some(sampled_on),
        Some(matrix),
        Some(item),
        Some(unit),
        Some(reading),
    ) = (
        point_id, lonlat, top, bottom, sampled_on, matrix, item, unit, reading,
    )
    else {
        return Err(BadRow { line, problems });
    };
    if !problems.is_empty() {
        return Err(BadRow { line, problems });
    }
    let dl_mgkg = dl.map(|v| unit.to_mg_per_kg(v));
    let (value_mgkg, below_detection, detection_limit_mgkg) = match reading {
        Reading::BelowDetection(stated) => {
            (None, true, stated.map(|v| unit.to_mg_per_kg(v)).or(dl_mgkg))
        }
        // A number under the stated detection limit was not detected either.
        Reading::Value(v) => {
            let mg = unit.to_mg_per_kg(v);
            (Some(mg), dl_mgkg.is_some_and(|d| mg < d), dl_mgkg)
        }
    };
    Ok(SampleRow {
        line,
        point_id,
        borehole: text(Column::Borehole),
        lon,
        lat,
        depth_top_m: top,
        depth_bottom_m: bottom,
        sampled_on,
        matrix,
        analyte_as_reported: analyte,
        item,
        value_mgkg,
        reported_value: get(Column::Value).to_owned(),
        reported_unit: unit,
        detection_limit_mgkg,
        below_detection,
        lab: text(Column::Lab),
        method: text(Column::Method),
    })
}

/// Rows that contradict each other: one point at two places, one result twice with two values.
fn check_consistency(parsed: &mut Parsed) {
    let mut points: HashMap<&str, (f64, f64, usize)> = HashMap::new();
    let mut results: HashMap<(String, u64, u64, Date, Matrix, &str), usize> = HashMap::new();
    let mut bad_lines: Vec<BadRow> = Vec::new();
    for r in &parsed.rows {
        let mut problems = Vec::new();
        match points.get(r.point_id.as_str()) {
            Some(&(lon, lat, first))
                if (lon - r.lon).abs() > 1e-6 || (lat - r.lat).abs() > 1e-6 =>
            {
                problems.push(RowProblem {
                    field: "x",
                    message: format!(
                        "point {} is at other coordinates on line {first}",
                        r.point_id
                    ),
                });
            }
            Some(_) => {}
            None => {
                points.insert(&r.point_id, (r.lon, r.lat, r.line));
            }
        }
        let key = (
            r.point_id.clone(),
            r.depth_top_m.to_bits(),
            r.depth_bottom_m.to_bits(),
            r.sampled_on,
            r.matrix,
            r.item.item_no,
        );
        if let Some(first) = results.insert(key, r.line) {
            problems.push(RowProblem {
                field: "analyte",
                message: format!(
                    "{} of this sample is already on line {first}",
                    r.item.name_zh
                ),
            });
        }
        if !problems.is_empty() {
            bad_lines.push(BadRow {
                line: r.line,
                problems,
            });
        }
    }
    let lines: Vec<usize> = bad_lines.iter().map(|b| b.line).collect();
    parsed.rows.retain(|r| !lines.contains(&r.line));
    parsed.bad.extend(bad_lines);
    parsed.bad.sort_by_key(|b| b.line);
}
