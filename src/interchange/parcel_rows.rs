//! The parcel import's reader thread: each row mapped onto the register and parsed by
//! the register's own parsers, sent on in batches to be copied into the staging table.

use std::collections::HashMap;

use super::import::{ImportError, BATCH};
use super::read::{self, Row, Source};
use crate::db::imports::Staged;
use crate::domain::import::mapping::Mapping;
use crate::domain::import::report::{FeatureReport, Outcome, Problem};
use crate::domain::import::row;
use crate::domain::parcel::{NewParcel, ParcelCode};
use crate::gis::crs::ToCgcs2000;
use crate::gis::detect::{Detection, NoFit};
use crate::gis::geometry::{boundary_from_geo, Limits};

/// What the reader thread sends.
pub(super) enum Msg {
    Rows(Vec<Staged>),
    Rejected(FeatureReport),
    Codes(Vec<(i32, String)>),
}

/// The reader thread: parses each row and sends batches of staged rows; a row that
/// fails to parse goes back as a rejected report line.
pub(super) fn read_rows(
    source: &Source,
    info: &read::LayerInfo,
    mapping: &Mapping,
    detection: Detection,
    limits: Limits,
    send: tokio::sync::mpsc::Sender<Msg>,
) -> Result<(), ImportError> {
    let to_cgcs = ToCgcs2000::new(detection.crs)
        .map_err(|e| ImportError::Crs(NoFit(format!("PROJ: {e}"))))?;
    let mut batch = Vec::with_capacity(BATCH);
    let mut codes = Vec::with_capacity(BATCH);
    let mut closed = false;
    // Each column's position, found once; only the mapped columns' cells are read.
    let positions: HashMap<&str, usize> = info
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| (c.as_str(), i))
        .collect();
    let mut wanted = vec![false; info.columns.len()];
    for c in mapping.0.values() {
        if let Some(&i) = positions.get(c.as_str()) {
            wanted[i] = true;
        }
    }
    source.read(info, detection.swap_axes, Some(&wanted), |row| {
        let idx = row.index;
        match parse_row(row, &positions, mapping, &to_cgcs, &limits) {
            Ok(staged) => {
                codes.push((staged.idx, staged.parcel.code.as_str().to_owned()));
                batch.push(staged);
                if batch.len() >= BATCH {
                    closed |= send
                        .blocking_send(Msg::Codes(std::mem::take(&mut codes)))
                        .is_err();
                    closed |= send
                        .blocking_send(Msg::Rows(std::mem::replace(
                            &mut batch,
                            Vec::with_capacity(BATCH),
                        )))
                        .is_err();
                }
            }
            Err((code, problems)) => {
                closed |= send
                    .blocking_send(Msg::Rejected(FeatureReport::new(
                        idx,
                        code,
                        Outcome::Rejected,
                        problems,
                    )))
                    .is_err();
            }
        }
        !closed
    })?;
    if !batch.is_empty() {
        let _ = send.blocking_send(Msg::Codes(codes));
        let _ = send.blocking_send(Msg::Rows(batch));
    }
    if closed {
        return Err(ImportError::Interrupted("the writer stopped".into()));
    }
    Ok(())
}

/// Town used only to satisfy the parser when the file has none; the staged row's town
/// is then left empty and filled from the polygon.
const PLACEHOLDER_TOWN: &str = "110109001";

fn parse_row(
    row: Row,
    positions: &HashMap<&str, usize>,
    mapping: &Mapping,
    to_cgcs: &ToCgcs2000,
    limits: &Limits,
) -> Result<Staged, (Option<String>, Vec<Problem>)> {
    let cell = |col: &str| {
        positions
            .get(col)
            .and_then(|&i| row.cells.get(i))
            .and_then(Option::as_ref)
    };
    let mut problems = Vec::new();
    let mapped = row::apply(mapping, cell).map_err(|e| (None, vec![Problem::from_field(e)]))?;
    let code = mapped
        .properties
        .get("code")
        .and_then(|v| v.as_str())
        .map(str::to_owned);
    let mut props = mapped.properties;
    if mapped.town_missing {
        props.insert("town".into(), PLACEHOLDER_TOWN.into());
    }
    let parcel = NewParcel::parse(&props).map_err(Problem::from_field);
    let boundary = row
        .geometry
        .and_then(|g| boundary_from_geo(g, to_cgcs, limits))
        .map_err(Problem::from_field);
    match (parcel, boundary) {
        (Ok(parcel), Ok(boundary)) => Ok(Staged {
            idx: i32::try_from(row.index).unwrap_or(i32::MAX),
            parcel,
            town_from_polygon: mapped.town_missing,
            stated_area_m2: mapped.stated_area_m2,
            blank: mapped.blank,
            boundary,
        }),
        (p, b) => {
            problems.extend(p.err());
            problems.extend(b.err());
            let code = code.filter(|c| ParcelCode::parse(c).is_ok());
            Err((code, problems))
        }
    }
}
