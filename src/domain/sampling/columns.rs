//! The columns of a sampling file, in English or Chinese, and what was sampled.

use serde::Serialize;

/// The columns of a sampling file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Column {
    PointId,
    X,
    Y,
    DepthTopM,
    DepthBottomM,
    SampledOn,
    Analyte,
    Value,
    Unit,
    DetectionLimit,
    Lab,
    Method,
    Matrix,
    Borehole,
}

pub(super) const REQUIRED: [Column; 9] = [
    Column::PointId,
    Column::X,
    Column::Y,
    Column::DepthTopM,
    Column::DepthBottomM,
    Column::SampledOn,
    Column::Analyte,
    Column::Value,
    Column::Unit,
];

impl Column {
    /// The English header, as documented.
    pub fn name(self) -> &'static str {
        match self {
            Column::PointId => "point_id",
            Column::X => "x",
            Column::Y => "y",
            Column::DepthTopM => "depth_top_m",
            Column::DepthBottomM => "depth_bottom_m",
            Column::SampledOn => "sampled_on",
            Column::Analyte => "analyte",
            Column::Value => "value",
            Column::Unit => "unit",
            Column::DetectionLimit => "detection_limit",
            Column::Lab => "lab",
            Column::Method => "method",
            Column::Matrix => "matrix",
            Column::Borehole => "borehole",
        }
    }

    /// Recognises a header in English or Chinese, ignoring case, spaces and a unit in brackets.
    pub fn from_header(header: &str) -> Option<Self> {
        let mut h: String = header.trim_start_matches('\u{feff}').trim().to_lowercase();
        if let Some(i) = h.find(['(', '（', '[']) {
            h.truncate(i);
        }
        let h: String = h.chars().filter(|c| !c.is_whitespace()).collect();
        Some(match h.as_str() {
            "point_id" | "point" | "pointid" | "点位编号" | "点位" | "采样点编号" | "采样点位"
            | "点号" | "样点编号" => Column::PointId,
            "x" | "lon" | "lng" | "longitude" | "经度" | "x坐标" | "东坐标" => Column::X,
            "y" | "lat" | "latitude" | "纬度" | "y坐标" | "北坐标" => Column::Y,
            "depth_top_m" | "depth_top" | "top" | "起始深度" | "深度上限" | "采样深度上限"
            | "上限深度" | "顶深" => Column::DepthTopM,
            "depth_bottom_m" | "depth_bottom" | "bottom" | "终止深度" | "深度下限"
            | "采样深度下限" | "下限深度" | "底深" => Column::DepthBottomM,
            "sampled_on" | "date" | "sample_date" | "sampling_date" | "采样日期" | "采样时间"
            | "日期" => Column::SampledOn,
            "analyte" | "parameter" | "substance" | "检测项目" | "分析项目" | "检测指标"
            | "污染物" | "项目" | "因子" => Column::Analyte,
            "value" | "result" | "concentration" | "检测值" | "检测结果" | "浓度" | "含量"
            | "结果" => Column::Value,
            "unit" | "units" | "单位" => Column::Unit,
            "detection_limit" | "dl" | "mdl" | "检出限" | "方法检出限" => {
                Column::DetectionLimit
            }
            "lab" | "laboratory" | "检测单位" | "实验室" | "检测机构" => Column::Lab,
            "method" | "检测方法" | "分析方法" => Column::Method,
            "matrix" | "medium" | "介质" | "样品类型" => Column::Matrix,
            "borehole" | "钻孔编号" | "钻孔" => Column::Borehole,
            _ => return None,
        })
    }
}

/// What was sampled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize, sqlx::Type)]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "sample_matrix", rename_all = "snake_case")]
pub enum Matrix {
    Soil,
    Groundwater,
    Sediment,
}

impl Matrix {
    pub(super) fn parse(s: &str) -> Option<Self> {
        match s.trim().to_lowercase().as_str() {
            "" | "soil" | "土壤" | "土" => Some(Matrix::Soil),
            "groundwater" | "地下水" => Some(Matrix::Groundwater),
            "sediment" | "底泥" | "沉积物" => Some(Matrix::Sediment),
            _ => None,
        }
    }
}
