//! The boundary-point exchange text (界址点坐标交换格式, the 电子报盘 file of land-use
//! approval, written by CASS and most survey software): a `[属性描述]` section of
//! `key=value` lines (坐标系, 带号, 计量单位 …), then `[地块坐标]`, where each parcel is a
//! header line — 界址点数, 地块面积 (hectares), 地块编号, 地块名称, 图形属性, 图幅号,
//! 地块用途, 地类编码, `@` — followed by its points: 点号, 圈号, X (northing), Y
//! (easting). A ring's last point repeats its first. Ring 1 is the outer ring; a further
//! ring inside it is a hole, one outside it another part of the parcel. Written back the
//! same way ([`write`]), for the approval's own files.

use std::collections::BTreeMap;

use geo::{Contains, Coord, LineString, MultiPolygon, Polygon};

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
        // a template's title lines (界址点数,地块面积,…,@ and 点号,地块圈号,X坐标,Y坐标)
        if f.get(1).is_some_and(|a| a.starts_with("地块面积"))
            || f.get(2).is_some_and(|x| x.starts_with("X坐标"))
        {
            continue;
        }
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

impl ExchangeParcel {
    /// The rings as polygons: a ring inside an earlier part's outer ring is a hole of it,
    /// any other starts a part of its own.
    pub fn polygons(&self) -> MultiPolygon<f64> {
        let line = |r: &Vec<(f64, f64)>| {
            LineString::from(r.iter().map(|&(x, y)| Coord { x, y }).collect::<Vec<_>>())
        };
        let mut parts: Vec<Polygon<f64>> = Vec::new();
        for ring in &self.rings {
            let ls = line(ring);
            let first = ring.first().map(|&(x, y)| Coord { x, y });
            let owner = first.and_then(|c| {
                parts.iter_mut().find(|p| {
                    Polygon::new(p.exterior().clone(), vec![]).contains(&geo::Point::from(c))
                })
            });
            match owner {
                Some(p) => p.interiors_push(ls),
                None => parts.push(Polygon::new(ls, vec![])),
            }
        }
        MultiPolygon(parts)
    }

    /// A parcel from a boundary in projected metres (easting, northing): each part's outer
    /// ring, then its holes, numbered on.
    pub fn from_boundary(
        code: &str,
        name: &str,
        area_ha: f64,
        land_use: &str,
        b: &MultiPolygon<f64>,
    ) -> Self {
        let rings = b
            .iter()
            .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
            .map(|r| r.coords().map(|c| (c.x, c.y)).collect())
            .collect();
        ExchangeParcel {
            line: 0,
            area_ha: Some(area_ha),
            code: code.to_owned(),
            name: name.to_owned(),
            sheet: String::new(),
            land_use: land_use.to_owned(),
            class_code: String::new(),
            rings,
        }
    }
}

/// A file's `[属性描述]` for CGCS2000 Gauss–Krüger 3° zone `zone`, in metres.
pub fn cgcs2000_description(zone: u8) -> Vec<(&'static str, String)> {
    vec![
        ("格式版本号", "1.01版本".into()),
        ("坐标系", "2000国家大地坐标系".into()),
        ("几度分带", "3".into()),
        ("投影类型", "高斯克吕格".into()),
        ("计量单位", "米".into()),
        ("带号", zone.to_string()),
        ("精度", "0.001".into()),
        ("转换参数", ",,,,,,".into()),
    ]
}

/// Commas would split a field: the header's text fields lose theirs.
fn field_text(s: &str) -> String {
    s.replace([',', '，', '@', '\r', '\n'], " ")
        .trim()
        .to_owned()
}

/// The text of a file (CRLF lines, as the approval systems read them): the description,
/// then per parcel its header and points, numbered J1… through the parcel, each ring closed
/// by its first point's number.
pub fn write(description: &[(&str, String)], parcels: &[ExchangeParcel]) -> String {
    let mut out = String::from("[属性描述]\r\n");
    for (k, v) in description {
        out.push_str(&format!("{k}={v}\r\n"));
    }
    out.push_str("[地块坐标]\r\n");
    for p in parcels {
        let points: usize = p.rings.iter().map(Vec::len).sum();
        let area = p.area_ha.map(|a| format!("{a:.4}")).unwrap_or_default();
        out.push_str(&format!(
            "{points},{area},{},{},面,{},{},{},@\r\n",
            field_text(&p.code),
            field_text(&p.name),
            field_text(&p.sheet),
            field_text(&p.land_use),
            field_text(&p.class_code)
        ));
        let mut number = 0;
        for (n, ring) in p.rings.iter().enumerate() {
            let first = number + 1;
            let closed = ring.len() > 1 && ring.first() == ring.last();
            for (k, (e, north)) in ring.iter().enumerate() {
                let label = if closed && k + 1 == ring.len() {
                    first
                } else {
                    number += 1;
                    number
                };
                out.push_str(&format!("J{label},{},{north:.3},{e:.3}\r\n", n + 1));
            }
        }
    }
    out
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
    fn a_template_s_title_lines_are_passed_over() {
        let text =
            "[地块坐标]\n界址点数,地块面积,地块编号,地块名称,记录图形属性(面),图幅号,地块用途,,@\n\
                    点号,地块圈号,X坐标,Y坐标\n4,0.1,A-1,甲,面,,,,@\n1,1,4423000,39500000\n";
        let f = parse(text).expect("parse");
        assert_eq!((f.parcels.len(), f.parcels[0].code.as_str()), (1, "A-1"));
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
    fn a_ring_inside_the_outer_ring_is_a_hole_and_one_outside_another_part() {
        let f = parse(FILE).expect("parse");
        let holed = f.parcels[1].polygons();
        assert_eq!((holed.0.len(), holed.0[0].interiors().len()), (1, 1));
        let mut two = f.parcels[0].clone();
        two.rings.push(f.parcels[1].rings[0].clone());
        let parts = two.polygons();
        assert_eq!((parts.0.len(), parts.0[1].interiors().len()), (2, 0));
    }

    #[test]
    fn a_written_file_reads_back_the_same_parcels() {
        let f = parse(FILE).expect("parse");
        let text = write(&cgcs2000_description(39), &f.parcels);
        assert!(text.contains("\r\n带号=39\r\n"), "{text}");
        // numbered on through the parcel: the hole starts at J5 and closes with it
        assert!(
            text.contains("J5,2,4424040.000,39501040.000\r\nJ6,2,"),
            "{text}"
        );
        assert!(
            text.trim_end().ends_with("J5,2,4424040.000,39501040.000"),
            "{text}"
        );
        let back = parse(&text).expect("reads back");
        assert_eq!(back.not_cgcs2000(), None);
        for (a, b) in f.parcels.iter().zip(&back.parcels) {
            assert_eq!(
                (&a.code, &a.name, a.area_ha, a.polygons()),
                (&b.code, &b.name, b.area_ha, b.polygons())
            );
        }
        // a comma in a name would split the header: it goes
        let mut named = f.parcels[0].clone();
        named.name = "甲,乙".into();
        let back = parse(&write(&[], &[named])).expect("parse");
        assert_eq!(back.parcels[0].name, "甲 乙");
    }

    #[test]
    fn another_datum_or_unit_is_named() {
        let xian = parse(&FILE.replace("2000国家大地坐标系", "1980西安坐标系")).expect("parse");
        assert!(xian.not_cgcs2000().is_some_and(|m| m.contains("1980西安")));
        let km = parse(&FILE.replace("计量单位=米", "计量单位=千米")).expect("parse");
        assert!(km.not_cgcs2000().is_some_and(|m| m.contains("千米")));
    }
}
