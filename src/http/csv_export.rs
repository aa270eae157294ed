//! CSV downloads as officers open them: UTF-8 with a byte-order mark (so Excel reads
//! the Chinese headers), one header row, then the rows.

use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};

use crate::error::{ApiError, ApiResult};

/// A CSV attachment named `filename`.
pub fn csv_response<R, I, S>(headers: &[&str], rows: R, filename: &str) -> ApiResult<Response>
where
    R: IntoIterator<Item = I>,
    I: IntoIterator<Item = S>,
    S: AsRef<[u8]>,
{
    let mut w = csv::Writer::from_writer(Vec::from("\u{feff}".as_bytes()));
    w.write_record(headers).map_err(ApiError::internal)?;
    for r in rows {
        w.write_record(r).map_err(ApiError::internal)?;
    }
    let bytes = w.into_inner().map_err(ApiError::internal)?;
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\""))
        .map_err(ApiError::internal)?;
    let mut res = ([(CONTENT_TYPE, "text/csv; charset=utf-8")], bytes).into_response();
    res.headers_mut().insert(CONTENT_DISPOSITION, disposition);
    Ok(res)
}
