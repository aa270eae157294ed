//! The text encoding of a Shapefile's attributes: the `.cpg` when there is one, else
//! UTF-8 when the bytes are UTF-8, else GB18030 (a superset of GBK, which is what
//! Chinese desktop GIS writes without saying so).

use serde::Serialize;

/// An encoding GDAL's Shapefile driver understands (by its iconv name).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Encoding {
    /// The name passed to GDAL as `ENCODING=`.
    pub name: String,
    /// Why: `"cpg"`, `"utf-8 bytes"`, `"not utf-8"`, `"chosen"`.
    pub why: &'static str,
}

/// Reads a `.cpg`'s text (`UTF-8`, `GBK`, `936`, `CP936`, `GB2312` …) into an iconv name.
pub fn from_cpg(cpg: &str) -> String {
    let t = cpg
        .trim()
        .trim_start_matches('\u{feff}')
        .to_ascii_uppercase();
    match t.as_str() {
        "UTF-8" | "UTF8" | "65001" => "UTF-8".into(),
        "GBK" | "CP936" | "936" | "ANSI 936" | "GB2312" | "GB18030" | "54936" => "GB18030".into(),
        "" => "UTF-8".into(),
        other if other.chars().all(|c| c.is_ascii_digit()) => format!("CP{other}"),
        other => other.to_owned(),
    }
}

/// Decides from a `.dbf`'s bytes: its field names and records are checked as UTF-8.
pub fn from_dbf(dbf: &[u8]) -> Encoding {
    if text_bytes(dbf)
        .iter()
        .all(|part| std::str::from_utf8(part).is_ok())
    {
        Encoding {
            name: "UTF-8".into(),
            why: "utf-8 bytes",
        }
    } else {
        Encoding {
            name: "GB18030".into(),
            why: "not utf-8",
        }
    }
}

/// The parts of a DBF that hold text: each field name (11 bytes, NUL-padded) and the
/// record area. The header's binary numbers are left out.
fn text_bytes(dbf: &[u8]) -> Vec<&[u8]> {
    if dbf.len() < 32 {
        return vec![dbf];
    }
    let header_len = usize::from(u16::from_le_bytes([dbf[8], dbf[9]])).min(dbf.len());
    let mut parts = Vec::new();
    let mut at = 32;
    while at + 32 <= header_len && dbf[at] != 0x0d {
        let name = &dbf[at..at + 11];
        let end = name.iter().position(|b| *b == 0).unwrap_or(11);
        parts.push(&name[..end]);
        at += 32;
    }
    parts.push(&dbf[header_len..]);
    parts
}

/// Transcodes text that is not UTF-8 (a CSV saved by Excel in GBK) from GB18030.
pub fn to_utf8(bytes: &[u8]) -> (String, bool) {
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.trim_start_matches('\u{feff}').to_owned(), false),
        Err(_) => {
            let (text, _, _) = encoding_rs::GB18030.decode(bytes);
            (text.into_owned(), true)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal DBF: header with one field descriptor, then records.
    fn dbf(field: &[u8], record: &[u8]) -> Vec<u8> {
        let header_len: u16 = 32 + 32 + 1;
        let mut b = vec![0u8; 32];
        b[0] = 3;
        b[8..10].copy_from_slice(&header_len.to_le_bytes());
        b[10] = 0xFE; // record length low byte: binary, not text
        let mut f = [0u8; 32];
        f[..field.len()].copy_from_slice(field);
        f[11] = b'C';
        f[16] = 0xFE;
        b.extend_from_slice(&f);
        b.push(0x0d);
        b.push(b' ');
        b.extend_from_slice(record);
        b.push(0x1a);
        b
    }

    #[test]
    fn utf8_records_are_utf8_despite_binary_header_bytes() {
        let d = dbf("名称".as_bytes(), "永定镇".as_bytes());
        assert_eq!(from_dbf(&d).name, "UTF-8");
    }

    #[test]
    fn gbk_records_fall_back_to_gb18030() {
        let (gbk, _, _) = encoding_rs::GBK.encode("永定镇");
        let d = dbf(b"NAME", &gbk);
        assert_eq!(
            from_dbf(&d),
            Encoding {
                name: "GB18030".into(),
                why: "not utf-8"
            }
        );
        let (name, _, _) = encoding_rs::GBK.encode("名称");
        assert_eq!(from_dbf(&dbf(&name, b"abc")).name, "GB18030");
    }

    #[test]
    fn cpg_names() {
        assert_eq!(from_cpg("UTF-8\n"), "UTF-8");
        assert_eq!(from_cpg("GBK"), "GB18030");
        assert_eq!(from_cpg("936"), "GB18030");
        assert_eq!(from_cpg("1252"), "CP1252");
    }

    #[test]
    fn csv_in_gbk_becomes_utf8() {
        let (gbk, _, _) = encoding_rs::GBK.encode("地块编码,名称\nA,永定\n");
        assert_eq!(to_utf8(&gbk), ("地块编码,名称\nA,永定\n".to_owned(), true));
        assert_eq!(to_utf8("\u{feff}a,b".as_bytes()), ("a,b".to_owned(), false));
    }
}
