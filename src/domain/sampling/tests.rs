//! Unit tests of sampling-file parsing.

use super::*;

fn place() -> Placement<'static> {
    Placement {
        to_cgcs: &|x, y| Some((x, y)),
        inside: &|_, _| true,
        today: time::macros::date!(2024 - 01 - 01),
    }
}

#[test]
fn headers_are_recognised_in_english_and_chinese_with_units_in_brackets() {
    assert_eq!(
        Column::from_header("\u{feff}point_id"),
        Some(Column::PointId)
    );
    assert_eq!(
        Column::from_header("起始深度（m）"),
        Some(Column::DepthTopM)
    );
    assert_eq!(Column::from_header("检测值(mg/kg)"), Some(Column::Value));
    assert_eq!(
        Column::from_header(" Detection_Limit "),
        Some(Column::DetectionLimit)
    );
    assert_eq!(Column::from_header("颜色"), None);
}

#[test]
fn below_detection_is_written_many_ways() {
    for v in ["ND", "nd", "未检出", "<DL", "< DL"] {
        assert!(
            matches!(parse_reading(v), Some(Reading::BelowDetection(None))),
            "{v}"
        );
    }
    assert!(matches!(parse_reading("<0.5"), Some(Reading::BelowDetection(Some(l))) if l == 0.5));
    assert!(matches!(parse_reading("12.5"), Some(Reading::Value(v)) if v == 12.5));
    assert!(parse_reading("-1").is_none());
    assert!(parse_reading("abc").is_none());
    assert!(parse_reading("NaN").is_none());
}

#[test]
fn a_value_under_its_detection_limit_counts_as_not_detected_and_units_convert() {
    let text =
        "point_id,x,y,depth_top_m,depth_bottom_m,sampled_on,analyte,value,unit,detection_limit\n\
                P,116,40,0,1,2023-1-5,砷,300,μg/kg,500\n\
                P,116,40,0,1,2023-1-5,镉,<0.2,mg/kg,\n";
    let parsed = parse_csv(text, &place()).expect("file");
    assert!(parsed.bad.is_empty(), "{:?}", parsed.bad);
    let arsenic = &parsed.rows[0];
    assert_eq!(arsenic.value_mgkg, Some(0.3));
    assert_eq!(arsenic.detection_limit_mgkg, Some(0.5));
    assert!(arsenic.below_detection);
    let cadmium = &parsed.rows[1];
    assert_eq!(
        (
            cadmium.value_mgkg,
            cadmium.detection_limit_mgkg,
            cadmium.below_detection
        ),
        (None, Some(0.2), true)
    );
    assert_eq!(cadmium.sampled_on, time::macros::date!(2023 - 01 - 05));
}

#[test]
fn a_file_without_the_required_columns_is_refused_as_a_whole() {
    let err = parse_csv("point_id,x\nP,1\n", &place()).expect_err("missing columns");
    assert!(err.contains("depth_top_m") && err.contains("unit"), "{err}");
}
