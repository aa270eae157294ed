//! The boundary-point exchange text (界址点坐标交换格式, the 电子报盘 file of land-use
//! approval, written by CASS and most survey software): a `[属性描述]` section of
//! `key=value` lines (坐标系, 带号, 计量单位 …), then `[地块坐标]`, where each parcel is a
//! header line — 界址点数, 地块面积 (hectares), 地块编号, 地块名称, 图形属性, 图幅号,
//! 地块用途, 地类编码, `@` — followed by its points: 点号, 圈号, X (northing), Y
//! (easting). Ring 1 is the outer ring, further rings are holes; a ring's last point
//! repeats its first.

use std::collections::BTreeMap;

/// The whole file.
#[derive(Debug, Clone, PartialEq)]
pub struct ExchangeFile {
    /// The `[属性描述]` lines.
    pub description: BTreeMap<String, String>,
    pub parcels: Vec<ExchangeParcel>,
}

/// One parcel: its header's fields and its rings, each a list of (easting, northing) in
/// file order (x = the file's Y, y = the file's X).
#[derive(Debug, Clone, PartialEq)]
pub struct ExchangeParcel {
    /// The header's line number (1-based).
    pub line: usize,
    pub area_ha: Option<f64>,
    pub code: String,
    pub name: String,
    pub sheet: String,
    pub land_use: String,
    pub class_code: String,
    pub rings: Vec<Vec<(f64, f64)>>,
}

/// Why a file cannot be read as the exchange format: the line and what is wrong with it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct ExchangeError {
    pub line: usize,
    pub message: String,
}

/// Whether the text is in this format: it has the `[地块坐标]` section.
pub fn is_exchange(text: &str) -> bool {
    text.lines().any(|l| section(l) == Some("地块坐标"))
}

/// `[name]` or `【name】` → name.
fn section(line: &str) -> Option<&str> {
    let l = line.trim();
    l.strip_prefix('[')
        .and_then(|r| r.strip_suffix(']'))
        .or_else(|| l.strip_prefix('【').and_then(|r| r.strip_suffix('】')))
        .map(str::trim)
}

/// Fields of a line, split at ASCII or full-width commas and trimmed.
fn fields(line: &str) -> Vec<&str> {
    line.split([',', '，']).map(str::trim).collect()
}

/// Reads the whole text; a line that is neither a parcel's header nor one of its points is
/// an error, as the file is then not what it says.
pub fn parse(text: &str) -> Result<ExchangeFile, ExchangeError> {
    let mut description = BTreeMap::new();
    let mut parcels: Vec<ExchangeParcel> = Vec::new();
    let mut in_coordinates = false;
    // the ring being read: its number
    let mut ring_no: Option<String> = None;
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let l = raw.trim().trim_start_matches('\u{feff}');
        if l.is_empty() {
            continue;
        }
        if let Some(name) = section(l) {
            in_coordinates = name == "地块坐标";
            continue;
        }
        let err = |message: String| ExchangeError { line, message };
        if !in_coordinates {
            if let Some((k, v)) = l.split_once('=') {
                description.insert(k.trim().to_owned(), v.trim().to_owned());
            }
            continue;
        }
        let f = fields(l);
        if f.last() == Some(&"@") {
            let text = |n: usize| f.get(n).copied().unwrap_or("").to_owned();
            let area_ha =
                match f.get(1).copied().unwrap_or("") {
                    "" => None,
                    a => Some(a.parse::<f64>().ok().filter(|a| a.is_finite()).ok_or_else(
                        || err(format!("地块面积 '{a}' is not a number of hectares")),
                    )?),
                };
            let code = text(2);
            if code.is_empty() {
                return Err(err("the parcel's header has no 地块编号".into()));
            }
            parcels.push(ExchangeParcel {
                line,
                area_ha,
                code,
                name: text(3),
                sheet: text(5),
                land_use: text(6),
                class_code: text(7),
                rings: Vec::new(),
            });
            ring_no = None;
            continue;
        }
        let Some(parcel) = parcels.last_mut() else {
            return Err(err(format!(
                "'{l}' comes before any parcel's header line (…,@)"
            )));
        };
        let [_point, ring, x, y] = f[..] else {
            return Err(err(format!(
                "a point is 点号,圈号,X,Y (four fields), not '{l}'"
            )));
        };
        let num = |v: &str, what: &str| {
            v.parse::<f64>()
                .ok()
                .filter(|n| n.is_finite())
                .ok_or_else(|| err(format!("{what} '{v}' is not a number")))
        };
        let (northing, easting) = (num(x, "X")?, num(y, "Y")?);
        if ring_no.as_deref() != Some(ring) {
            parcel.rings.push(Vec::new());
            ring_no = Some(ring.to_owned());
        }
        if let Some(r) = parcel.rings.last_mut() {
            r.push((easting, northing));
        }
    }
    if parcels.is_empty() {
        return Err(ExchangeError {
            line: text.lines().count(),
            message: "no parcel in the [地块坐标] section".into(),
        });
    }
    Ok(ExchangeFile {
        description,
        parcels,
    })
}

impl ExchangeFile {
    /// Why its coordinates cannot be read as CGCS2000 metres, if they cannot: another datum
    /// (1980 西安, 1954 北京) or unit.
    pub fn not_cgcs2000(&self) -> Option<String> {
        let get = |k: &str| self.description.get(k).filter(|v| !v.is_empty());
        if let Some(datum) = get("坐标系").filter(|d| !d.contains("2000")) {
            return Some(format!(
                "坐标系 is {datum}: only 2000国家大地坐标系 (CGCS2000) coordinates are read"
            ));
        }
        get("计量单位")
            .filter(|u| !matches!(u.as_str(), "米" | "m" | "M"))
            .map(|u| format!("计量单位 is {u}: coordinates are read in metres (米)"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "\u{feff}[属性描述]\r
格式版本号=1.01版本\r
坐标系=2000国家大地坐标系\r
几度分带=3\r
投影类型=高斯克吕格\r
计量单位=米\r
带号=39\r
精度=0.001\r
转换参数=,,,,,,\r
[地块坐标]\r
6,0.3600,MTG-001,一号地块,面,J50G001001,工业用地,0601,@\r
J1,1,4423000.000,39500000.000\r
J2,1,4423000.000,39500060.000\r
J3,1,4423060.000,39500060.000\r
J4,1,4423060.000,39500000.000\r
J1,1,4423000.000,39500000.000\r
5,,MTG-002,二号地块,面,,,,@\r
1,1,4424000,39501000\r
2,1,4424000,39501100\r
3,1,4424100,39501100\r
4,1,4424100,39501000\r
1,1,4424000,39501000\r
1,2,4424040,39501040\r
2,2,4424060,39501040\r
3,2,4424060,39501060\r
1,2,4424040,39501040\r
";

    #[test]
    fn parcels_are_read_with_their_header_fields_and_rings_in_easting_northing() {
        let f = parse(FILE).expect("parse");
        assert_eq!(f.description["带号"], "39");
        assert_eq!(f.not_cgcs2000(), None);
        assert_eq!(f.parcels.len(), 2);
        let one = &f.parcels[0];
        assert_eq!(
            (one.code.as_str(), one.name.as_str(), one.area_ha),
            ("MTG-001", "一号地块", Some(0.36))
        );
        assert_eq!(
            (
                one.sheet.as_str(),
                one.land_use.as_str(),
                one.class_code.as_str()
            ),
            ("J50G001001", "工业用地", "0601")
        );
        assert_eq!(one.rings.len(), 1);
        assert_eq!(
            one.rings[0][1],
            (39500060.0, 4423000.0),
            "x is the file's Y"
        );
        let two = &f.parcels[1];
        assert_eq!((two.area_ha, two.rings.len()), (None, 2), "a hole");
        assert_eq!(two.rings[1].len(), 4);
    }

    #[test]
    fn full_width_brackets_and_commas_are_read_too() {
        let text = "【属性描述】\n坐标系=2000国家大地坐标系\n【地块坐标】\n4，0.1，A-1，甲，面，，，，@\n1，1，4423000，39500000\n";
        let f = parse(text).expect("parse");
        assert_eq!(f.parcels[0].rings[0], [(39500000.0, 4423000.0)]);
    }

    #[test]
    fn a_malformed_line_refuses_the_file_and_names_the_line() {
        let bad_point = FILE.replace("J3,1,4423060.000,39500060.000", "J3,1,4423060.000");
        assert_eq!(parse(&bad_point).map_err(|e| e.line), Err(14));
        let bad_number = FILE.replace("39500060.000\r\nJ3", "39500O60.000\r\nJ3");
        assert!(parse(&bad_number).is_err_and(|e| e.line == 13 && e.message.contains("Y")));
        let headless = "[地块坐标]\n1,1,4423000,39500000\n";
        assert_eq!(parse(headless).map_err(|e| e.line), Err(2));
        assert!(parse("[地块坐标]\n").is_err());
        assert!(!is_exchange("code,x,y\n1,2,3\n"));
        assert!(is_exchange(FILE));
    }

    #[test]
    fn another_datum_or_unit_is_named() {
        let xian = parse(&FILE.replace("2000国家大地坐标系", "1980西安坐标系")).expect("parse");
        assert!(xian.not_cgcs2000().is_some_and(|m| m.contains("1980西安")));
        let km = parse(&FILE.replace("计量单位=米", "计量单位=千米")).expect("parse");
        assert!(km.not_cgcs2000().is_some_and(|m| m.contains("千米")));
    }
}
