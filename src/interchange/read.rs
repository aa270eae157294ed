//! Reading surveyors' files through GDAL: Shapefile (alone or zipped, any encoding),
//! GeoPackage (any layer), GeoJSON, CSV with a WKT column or as a corner table, XLSX
//! sheets of corner or point coordinates, and the boundary-point exchange text
//! (界址点坐标交换格式) through a GeoJSON copy.
//! Everything here is blocking: call it from `spawn_blocking`.

use std::path::{Path, PathBuf};

use gdal::errors::GdalError;
use gdal::vector::{FieldValue, LayerAccess};
use gdal::{Dataset, DatasetOptions, GdalOpenFlags};

use super::corner_rows;
use super::encoding::{self, Encoding};
use super::gdal_errors::{self, take_errors, with_errors};
use super::scratch::Scratch;
use crate::domain::import::corners::{self, CornerColumns};
use crate::domain::import::exchange_txt;
use crate::domain::import::row::Cell;
use crate::domain::parcel::FieldError;
use crate::gis::crs::Crs;
use crate::gis::detect::FileBox;

/// A file that cannot be read at all (as opposed to a feature that is invalid).
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error(
        "unsupported file type '{0}': use .shp (or a .zip of one), .gpkg, .geojson/.json, .csv, .xlsx, .kml/.kmz or a boundary-point exchange .txt"
    )]
    Unsupported(String),
    #[error("the file cannot be opened: {0}")]
    Open(String),
    #[error("the file has no layer '{0}' (it has: {1})")]
    NoLayer(String, String),
    #[error("the file is damaged or cut off: {0}")]
    Damaged(String),
    #[error("the zip holds no .shp, .gpkg, .geojson or .csv")]
    EmptyZip,
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

impl From<GdalError> for ReadError {
    fn from(e: GdalError) -> Self {
        ReadError::Damaged(e.to_string())
    }
}

pub use super::format::{readable_name, Format};

/// A file ready to read: unzipped and transcoded where needed.
pub struct Source {
    pub format: Format,
    pub path: PathBuf,
    pub encoding: Option<Encoding>,
    pub layers: Vec<String>,
    /// Holds unzipped or transcoded copies until the source is dropped.
    _scratch: Option<Scratch>,
}

/// What a layer holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// Features with geometries.
    Geometries,
    /// Rows of boundary points.
    Corners(CornerColumns),
    /// Rows that are points, by X and Y columns.
    Points { x: String, y: String },
    /// Rows whose geometry is WKT text in a column (a spreadsheet's).
    Wkt(String),
}

/// One layer's description, read before its rows.
#[derive(Debug, Clone)]
pub struct LayerInfo {
    pub name: String,
    pub columns: Vec<String>,
    pub declared: Option<Crs>,
    pub extent: Option<FileBox>,
    pub count: Option<u64>,
    pub shape: Shape,
}

/// One feature: its cells (by column) and its geometry in the file's units, axes already
/// swapped if asked.
#[derive(Debug, Clone)]
pub struct Row {
    /// 1-based.
    pub index: usize,
    pub cells: Vec<Option<Cell>>,
    pub geometry: Result<geo::Geometry<f64>, FieldError>,
}

/// Opens a file (or the first readable file inside a zip), with `encoding` overriding
/// the detected attribute encoding of a Shapefile.
pub fn open(path: &Path, encoding_override: Option<&str>) -> Result<Source, ReadError> {
    let (path, mut scratch) = if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
    {
        let s = Scratch::new()?;
        let inner = s.unzip(path)?.ok_or(ReadError::EmptyZip)?;
        (inner, Some(s))
    } else {
        (path.to_owned(), None)
    };
    let format = Format::of(&path).ok_or_else(|| {
        ReadError::Unsupported(
            path.extension()
                .and_then(|e| e.to_str())
                .unwrap_or("")
                .to_owned(),
        )
    })?;
    let mut path = path;
    let mut format = format;
    let encoding = match format {
        Format::Shapefile => Some(match encoding_override {
            Some(e) => Encoding {
                name: encoding::from_cpg(e),
                why: "chosen",
            },
            None => shapefile_encoding(&path)?,
        }),
        Format::Csv => {
            let bytes = std::fs::read(&path)?;
            let (text, transcoded) = encoding::to_utf8(&bytes);
            let exchange = exchange_txt::is_exchange(&text);
            if transcoded || exchange {
                let s = match &scratch {
                    Some(s) => s,
                    None => scratch.insert(Scratch::new()?),
                };
                path = if exchange {
                    format = Format::ExchangeTxt;
                    super::exchange_txt::geojson_copy(&text, s)?
                } else {
                    let copy = s.path().join("transcoded.csv");
                    std::fs::write(&copy, text)?;
                    copy
                };
            }
            if transcoded {
                Some(Encoding {
                    name: "GB18030".into(),
                    why: "not utf-8",
                })
            } else {
                Some(Encoding {
                    name: "UTF-8".into(),
                    why: "utf-8 bytes",
                })
            }
        }
        _ => None,
    };
    let ds = open_dataset(&path, format, encoding.as_ref())?;
    let layers = ds.layers().map(|l| l.name()).collect();
    Ok(Source {
        format,
        path,
        encoding,
        layers,
        _scratch: scratch,
    })
}

fn shapefile_encoding(shp: &Path) -> Result<Encoding, ReadError> {
    let sibling = |ext: &str| -> Option<PathBuf> {
        [ext.to_owned(), ext.to_ascii_uppercase()]
            .into_iter()
            .map(|e| shp.with_extension(e))
            .find(|p| p.exists())
    };
    if let Some(cpg) = sibling("cpg") {
        return Ok(Encoding {
            name: encoding::from_cpg(&std::fs::read_to_string(cpg)?),
            why: "cpg",
        });
    }
    match sibling("dbf") {
        Some(dbf) => Ok(encoding::from_dbf(&std::fs::read(dbf)?)),
        None => Err(ReadError::Open(
            "the Shapefile has no .dbf beside it".into(),
        )),
    }
}

fn open_dataset(path: &Path, format: Format, enc: Option<&Encoding>) -> Result<Dataset, ReadError> {
    let encoding_opt = enc.map(|e| format!("ENCODING={}", e.name));
    let mut options: Vec<&str> = Vec::new();
    match format {
        Format::Shapefile => options.extend(encoding_opt.as_deref()),
        Format::Csv => options.extend([
            "GEOM_POSSIBLE_NAMES=WKT,wkt,geometry,geom,the_geom,几何,SHAPE",
            "KEEP_GEOM_COLUMNS=NO",
            "AUTODETECT_TYPE=NO",
            "EMPTY_STRING_AS_NULL=YES",
        ]),
        // the first row names the columns, whatever the cells below hold
        Format::Xlsx => options.extend(["HEADERS=FORCE", "FIELD_TYPES=AUTO"]),
        _ => {}
    }
    let drivers = [format.driver()];
    let ds = with_errors(|| {
        Dataset::open_ex(
            path,
            DatasetOptions {
                open_flags: GdalOpenFlags::GDAL_OF_VECTOR | GdalOpenFlags::GDAL_OF_READONLY,
                allowed_drivers: Some(&drivers),
                open_options: Some(&options),
                sibling_files: None,
            },
        )
    });
    match ds {
        (Ok(ds), errors) if errors.is_empty() => Ok(ds),
        (Ok(_), errors) => Err(ReadError::Damaged(errors.join("; "))),
        (Err(e), errors) if errors.is_empty() => Err(ReadError::Open(e.to_string())),
        (Err(_), errors) => Err(ReadError::Open(errors.join("; "))),
    }
}

fn cell(v: FieldValue) -> Option<Cell> {
    match v {
        FieldValue::StringValue(s) => Some(Cell::Text(s)),
        FieldValue::IntegerValue(i) => Some(Cell::Number(f64::from(i))),
        FieldValue::Integer64Value(i) => Some(Cell::Number(i as f64)),
        FieldValue::RealValue(r) => Some(Cell::Number(r)),
        FieldValue::DateValue(d) => Some(Cell::Text(d.to_string())),
        FieldValue::DateTimeValue(d) => Some(Cell::Text(d.to_string())),
        _ => None,
    }
}

impl Source {
    fn dataset(&self) -> Result<Dataset, ReadError> {
        open_dataset(&self.path, self.format, self.encoding.as_ref())
    }

    /// Describes a layer (the first when none is named).
    pub fn layer_info(&self, name: Option<&str>) -> Result<LayerInfo, ReadError> {
        let ds = self.dataset()?;
        let layer = match name {
            Some(n) => ds
                .layer_by_name(n)
                .map_err(|_| ReadError::NoLayer(n.to_owned(), self.layers.join(", ")))?,
            None => ds.layer(0).map_err(|e| ReadError::Open(e.to_string()))?,
        };
        let columns: Vec<String> = layer.defn().fields().map(|f| f.name()).collect();
        let has_geometry = layer.defn().geom_fields().count() > 0;
        let shape = match (has_geometry, CornerColumns::find(&columns)) {
            (false, Some(c)) => Shape::Corners(c),
            (false, None) => match corners::point_columns(&columns) {
                Some((x, y)) => Shape::Points { x, y },
                None => corners::wkt_column(&columns).map_or(Shape::Geometries, Shape::Wkt),
            },
            _ => Shape::Geometries,
        };
        let extent = match &shape {
            Shape::Geometries => layer
                .try_get_extent()
                .ok()
                .flatten()
                .or_else(|| layer.get_extent().ok())
                .map(|e| FileBox {
                    min_x: e.MinX,
                    min_y: e.MinY,
                    max_x: e.MaxX,
                    max_y: e.MaxY,
                }),
            Shape::Corners(_) | Shape::Points { .. } | Shape::Wkt(_) => None,
        };
        Ok(LayerInfo {
            name: layer.name(),
            declared: super::srs::declared_crs(layer.spatial_ref()),
            count: layer.try_feature_count(),
            columns,
            extent,
            shape,
        })
    }

    /// Reads every row of a layer in file order, calling `each` (which may stop the
    /// read by returning false). A GDAL failure on the way (a file cut off half-way)
    /// is an error: no partial read passes for a whole one.
    ///
    /// `wanted` names the columns whose cells are read (by position); `None` reads every
    /// one. A cell not wanted is `None`: a district-wide file is read faster without the
    /// strings of columns nothing maps.
    pub fn read(
        &self,
        info: &LayerInfo,
        swap_axes: bool,
        wanted: Option<&[bool]>,
        mut each: impl FnMut(Row) -> bool,
    ) -> Result<(), ReadError> {
        let ds = self.dataset()?;
        let mut layer = ds.layer_by_name(&info.name)?;
        gdal_errors::start();
        let result = match &info.shape {
            Shape::Geometries => {
                let mut index = 0usize;
                for f in layer.features() {
                    index += 1;
                    let cells = cells_of(&f, info, wanted);
                    let geometry = match f.geometry() {
                        None => Err(FieldError::new(
                            "geometry",
                            "required",
                            "the feature has no geometry",
                        )),
                        Some(g) => to_geo(g, swap_axes),
                    };
                    let errors = take_errors();
                    if !errors.is_empty() {
                        return Err(ReadError::Damaged(format!(
                            "at feature {index}: {}",
                            errors.join("; ")
                        )));
                    }
                    if !each(Row {
                        index,
                        cells,
                        geometry,
                    }) {
                        break;
                    }
                }
                Ok(())
            }
            Shape::Corners(cols) => {
                corner_rows::read(&mut layer, info, cols, swap_axes, wanted, each)
            }
            Shape::Wkt(col) => {
                let wi = column(info, col);
                table_rows(&mut layer, info, wanted, each, |f, _| {
                    wkt_geometry(f, wi, swap_axes)
                });
                Ok(())
            }
            Shape::Points { x, y } => {
                let (xi, yi) = (column(info, x), column(info, y));
                table_rows(&mut layer, info, wanted, each, |f, n| {
                    let num = |i: usize| f.field_as_double(i).ok().flatten();
                    match (num(xi), num(yi)) {
                        (Some(a), Some(b)) => {
                            let (a, b) = if swap_axes { (b, a) } else { (a, b) };
                            Ok(geo::Geometry::Point(geo::Point::new(a, b)))
                        }
                        _ => Err(FieldError::new(
                            "geometry",
                            "invalid_coordinates",
                            format!("row {n} lacks X or Y"),
                        )),
                    }
                });
                Ok(())
            }
        };
        let errors = gdal_errors::stop();
        match (result, errors.is_empty()) {
            (Err(e), _) => Err(e),
            (Ok(()), true) => Ok(()),
            (Ok(()), false) => Err(ReadError::Damaged(errors.join("; "))),
        }
    }

    /// The box of a layer's positions: its extent, or for tables of coordinates (which
    /// have none of their own) the box of their X and Y columns.
    pub fn file_box(&self, info: &LayerInfo) -> Result<Option<FileBox>, ReadError> {
        let (x, y) = match &info.shape {
            Shape::Geometries => return Ok(info.extent),
            Shape::Corners(cols) => (&cols.x, &cols.y),
            Shape::Points { x, y } => (x, y),
            Shape::Wkt(col) => {
                let ds = self.dataset()?;
                let mut layer = ds.layer_by_name(&info.name)?;
                let wi = column(info, col);
                let corners = layer.features().filter_map(|f| {
                    let g = wkt_geometry(&f, wi, false).ok()?;
                    let r = geo::BoundingRect::bounding_rect(&g)?;
                    Some([(r.min().x, r.min().y), (r.max().x, r.max().y)])
                });
                return Ok(FileBox::of(corners.flatten()));
            }
        };
        let ds = self.dataset()?;
        let mut layer = ds.layer_by_name(&info.name)?;
        let (xi, yi) = (column(info, x), column(info, y));
        let pts: Vec<(f64, f64)> = layer
            .features()
            .filter_map(|f| Some((f.field_as_double(xi).ok()??, f.field_as_double(yi).ok()??)))
            .collect();
        Ok(FileBox::of(pts))
    }
}

/// Hands each row of a table without geometries of its own to `each` (until it returns
/// false), its geometry made by `geometry` from the row and its 1-based number.
fn table_rows(
    layer: &mut gdal::vector::Layer<'_>,
    info: &LayerInfo,
    wanted: Option<&[bool]>,
    mut each: impl FnMut(Row) -> bool,
    geometry: impl Fn(&gdal::vector::Feature<'_>, usize) -> Result<geo::Geometry<f64>, FieldError>,
) {
    for (n, f) in layer.features().enumerate() {
        let row = Row {
            index: n + 1,
            cells: cells_of(&f, info, wanted),
            geometry: geometry(&f, n + 1),
        };
        if !each(row) {
            break;
        }
    }
}

/// The geometry a row's WKT cell holds (optionally swapped).
fn wkt_geometry(
    f: &gdal::vector::Feature<'_>,
    column: usize,
    swap: bool,
) -> Result<geo::Geometry<f64>, FieldError> {
    let text = f
        .field_as_string(column)
        .ok()
        .flatten()
        .filter(|t| !t.trim().is_empty())
        .ok_or_else(|| FieldError::new("geometry", "required", "the row has no WKT geometry"))?;
    let g = gdal::vector::Geometry::from_wkt(text.trim())
        .map_err(|e| FieldError::new("geometry", "invalid_geometry", format!("not WKT: {e}")))?;
    to_geo(&g, swap)
}

/// A feature's attribute cells, in the layer's column order; `None` where not wanted.
pub(super) fn cells_of(
    f: &gdal::vector::Feature<'_>,
    info: &LayerInfo,
    wanted: Option<&[bool]>,
) -> Vec<Option<Cell>> {
    (0..info.columns.len())
        .map(|i| {
            let read = wanted.is_none_or(|w| w.get(i).copied().unwrap_or(false));
            read.then(|| f.field(i).ok().flatten().and_then(cell))
                .flatten()
        })
        .collect()
}

pub(super) fn column(info: &LayerInfo, name: &str) -> usize {
    info.columns.iter().position(|c| c == name).unwrap_or(0)
}

/// A GDAL geometry in the file's units (optionally swapped).
fn to_geo(g: &gdal::vector::Geometry, swap: bool) -> Result<geo::Geometry<f64>, FieldError> {
    // a geometry with heights (KML's: the 2.5D types, or ISO's Z and ZM) is read flat
    let t = g.geometry_type();
    let has_z = t & 0x8000_0000 != 0 || (1000..2000).contains(&t) || (3000..4000).contains(&t);
    let converted = if has_z {
        let mut flat = g.clone();
        flat.flatten_to_2d();
        flat.try_into()
    } else {
        g.try_into()
    };
    let mut geo: geo::Geometry<f64> = converted
        .map_err(|e: GdalError| FieldError::new("geometry", "invalid_geometry", e.to_string()))?;
    if swap {
        geo::MapCoordsInPlace::map_coords_in_place(&mut geo, |c| geo::coord! { x: c.y, y: c.x });
    }
    Ok(geo)
}
