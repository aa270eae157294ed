//! A polygon layer of a Mapbox vector tile, encoded here rather than by `ST_AsMVTGeom` and
//! `ST_AsMVT`: the database only finds the rows and hands over their stored Web Mercator
//! geometry as WKB (read by geozero); scaling to the tile grid, clipping to the buffer,
//! winding and the protobuf are done in the service, off the database's two cores.
//!
//! The rules are the MVT 2.1 specification's: integer tile coordinates with y down, an
//! exterior ring of positive area by the surveyor's formula and interior rings of negative
//! area, each ring written as MoveTo, LineTo and ClosePath with zig-zag deltas from a cursor
//! kept across the feature's rings.

use geozero::error::GeozeroError;
use geozero::mvt::{tile, Message, TagsBuilder, Tile, TileValue};
use geozero::wkb::Wkb;
use geozero::{GeomProcessor, GeozeroGeometry};

use super::Mercator;

/// Tile grid units per tile side.
pub const EXTENT: u32 = 4096;
/// Grid units kept beyond each side (as `ST_AsMVTGeom`'s buffer).
pub const BUFFER: f64 = 64.0;

/// A property of a feature; absent values are left out, as `ST_AsMVT` does with NULLs.
#[derive(Debug, Clone, PartialEq)]
pub enum Prop {
    Text(String),
    Int(i64),
}

/// One layer being filled with polygon features.
pub struct PolygonLayer {
    name: String,
    bounds: Mercator,
    shift: (f64, f64),
    tags: TagsBuilder,
    features: Vec<tile::Feature>,
}

impl PolygonLayer {
    /// A layer over the tile `bounds`; `shift` (metres) is added to every coordinate first
    /// (the GCJ-02 offset, or zero).
    pub fn new(name: &str, bounds: Mercator, shift: (f64, f64)) -> Self {
        PolygonLayer {
            name: name.to_owned(),
            bounds,
            shift,
            tags: TagsBuilder::new(),
            features: Vec::new(),
        }
    }

    /// Adds a (multi)polygon given as WKB in Web Mercator, with its properties. A feature
    /// of which nothing is left on the tile grid (outside the buffer, or collapsed to
    /// less than a grid cell) is dropped; the result says whether it was kept.
    pub fn add(
        &mut self,
        wkb: &[u8],
        props: &[(&str, Option<Prop>)],
    ) -> Result<bool, GeozeroError> {
        let mut rings = Collect::default();
        Wkb(wkb).process_geom(&mut rings)?;
        let geometry = self.encode(&rings.polygons);
        if geometry.is_empty() {
            return Ok(false);
        }
        let mut tags = Vec::with_capacity(props.len() * 2);
        for (key, value) in props {
            let value = match value {
                Some(Prop::Text(s)) => TileValue::Str(s.clone()),
                Some(Prop::Int(i)) => TileValue::Int(*i),
                None => continue,
            };
            let (k, v) = self.tags.insert_ref(key, value);
            tags.extend([k, v]);
        }
        self.features.push(tile::Feature {
            id: None,
            tags,
            r#type: Some(tile::GeomType::Polygon as i32),
            geometry,
        });
        Ok(true)
    }

    /// The tile's bytes; empty when no feature was kept.
    pub fn finish(self) -> Vec<u8> {
        if self.features.is_empty() {
            return Vec::new();
        }
        let (keys, values) = self.tags.into_tags();
        Tile {
            layers: vec![tile::Layer {
                version: 2,
                name: self.name,
                features: self.features,
                keys,
                values: values.into_iter().map(tile::Value::from).collect(),
                extent: Some(EXTENT),
            }],
        }
        .encode_to_vec()
    }

    /// The MVT command stream of a feature's polygons.
    fn encode(&self, polygons: &[Vec<Vec<(f64, f64)>>]) -> Vec<u32> {
        let b = self.bounds;
        let sx = f64::from(EXTENT) / (b.max_x - b.min_x);
        let sy = f64::from(EXTENT) / (b.max_y - b.min_y);
        let to_grid = |(x, y): (f64, f64)| {
            (
                (x + self.shift.0 - b.min_x) * sx,
                (b.max_y - (y + self.shift.1)) * sy,
            )
        };
        let mut out = Vec::new();
        let mut cursor = (0i64, 0i64);
        for polygon in polygons {
            for (i, ring) in polygon.iter().enumerate() {
                let exterior = i == 0;
                let grid: Vec<(f64, f64)> = ring.iter().copied().map(to_grid).collect();
                let Some(mut ring) = snap(&clip(grid)) else {
                    if exterior {
                        break; // no exterior, no holes
                    }
                    continue;
                };
                let area = twice_area(&ring);
                if (area > 0) != exterior {
                    ring.reverse();
                }
                push_ring(&mut out, &mut cursor, &ring);
            }
        }
        out
    }
}

/// Collects a geometry's polygons as rings of coordinates.
#[derive(Default)]
struct Collect {
    polygons: Vec<Vec<Vec<(f64, f64)>>>,
}

impl GeomProcessor for Collect {
    fn polygon_begin(
        &mut self,
        _tagged: bool,
        size: usize,
        _idx: usize,
    ) -> geozero::error::Result<()> {
        self.polygons.push(Vec::with_capacity(size));
        Ok(())
    }

    fn linestring_begin(
        &mut self,
        _tagged: bool,
        size: usize,
        _idx: usize,
    ) -> geozero::error::Result<()> {
        match self.polygons.last_mut() {
            Some(p) => {
                p.push(Vec::with_capacity(size));
                Ok(())
            }
            None => Err(GeozeroError::Geometry("a line outside a polygon".into())),
        }
    }

    fn xy(&mut self, x: f64, y: f64, _idx: usize) -> geozero::error::Result<()> {
        match self.polygons.last_mut().and_then(|p| p.last_mut()) {
            Some(ring) => {
                ring.push((x, y));
                Ok(())
            }
            None => Err(GeozeroError::Geometry("a point outside a ring".into())),
        }
    }
}

/// Clips a ring (grid units, the closing point repeated or not) to the tile and its buffer,
/// one side at a time (Sutherland–Hodgman). A ring inside the box comes back as it was.
fn clip(ring: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    let (lo, hi) = (-BUFFER, f64::from(EXTENT) + BUFFER);
    let inside_box = ring
        .iter()
        .all(|&(x, y)| (lo..=hi).contains(&x) && (lo..=hi).contains(&y));
    if inside_box {
        return ring;
    }
    let mut ring = ring;
    // Each side: which coordinate (0 = x, 1 = y), the limit, and whether to keep below it.
    for (axis, limit, below) in [(0, lo, false), (0, hi, true), (1, lo, false), (1, hi, true)] {
        if ring.is_empty() {
            break;
        }
        let at = |p: (f64, f64)| if axis == 0 { p.0 } else { p.1 };
        let keep = |p: (f64, f64)| {
            if below {
                at(p) <= limit
            } else {
                at(p) >= limit
            }
        };
        let cross = |a: (f64, f64), b: (f64, f64)| {
            let t = (limit - at(a)) / (at(b) - at(a));
            (a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1))
        };
        let mut out = Vec::with_capacity(ring.len() + 4);
        for i in 0..ring.len() {
            let cur = ring[i];
            let prev = ring[(i + ring.len() - 1) % ring.len()];
            match (keep(prev), keep(cur)) {
                (true, true) => out.push(cur),
                (true, false) => out.push(cross(prev, cur)),
                (false, true) => {
                    out.push(cross(prev, cur));
                    out.push(cur);
                }
                (false, false) => {}
            }
        }
        ring = out;
    }
    ring
}

/// Rounds a ring to the integer grid and drops repeated points (and the closing one);
/// `None` when fewer than three distinct points or no area remain.
fn snap(ring: &[(f64, f64)]) -> Option<Vec<(i64, i64)>> {
    let mut out: Vec<(i64, i64)> = Vec::with_capacity(ring.len());
    for &(x, y) in ring {
        let p = (x.round() as i64, y.round() as i64);
        if out.last() != Some(&p) {
            out.push(p);
        }
    }
    while out.len() > 1 && out.first() == out.last() {
        out.pop();
    }
    (out.len() >= 3 && twice_area(&out) != 0).then_some(out)
}

/// Twice the surveyor's-formula area in grid units (positive: clockwise on screen, y down).
pub fn twice_area(ring: &[(i64, i64)]) -> i64 {
    let n = ring.len();
    (0..n)
        .map(|i| {
            let (a, b) = (ring[i], ring[(i + 1) % n]);
            a.0 * b.1 - b.0 * a.1
        })
        .sum()
}

fn command(id: u32, count: usize) -> u32 {
    (id & 0x7) | ((count as u32) << 3)
}

fn zigzag(v: i64) -> u32 {
    ((v << 1) ^ (v >> 63)) as u32
}

/// MoveTo the first point, LineTo the others, ClosePath; deltas from the cursor.
fn push_ring(out: &mut Vec<u32>, cursor: &mut (i64, i64), ring: &[(i64, i64)]) {
    let mut step = |out: &mut Vec<u32>, p: (i64, i64)| {
        out.push(zigzag(p.0 - cursor.0));
        out.push(zigzag(p.1 - cursor.1));
        *cursor = p;
    };
    out.push(command(1, 1));
    step(out, ring[0]);
    out.push(command(2, ring.len() - 1));
    for &p in &ring[1..] {
        step(out, p);
    }
    out.push(command(7, 1));
}

/// A feature's rings of integer grid points.
pub type Rings = Vec<Vec<(i64, i64)>>;

/// A feature's rings decoded back from its command stream (for checking tiles).
pub fn decode_rings(geometry: &[u32]) -> Rings {
    let unzig = |v: u32| i64::from(v >> 1) ^ -i64::from(v & 1);
    let (mut rings, mut cursor, mut i) = (Vec::new(), (0i64, 0i64), 0);
    while i < geometry.len() {
        let (id, count) = (geometry[i] & 7, (geometry[i] >> 3) as usize);
        i += 1;
        if id == 1 {
            rings.push(Vec::new());
        }
        if id == 7 {
            continue;
        }
        for _ in 0..count {
            let (Some(&dx), Some(&dy)) = (geometry.get(i), geometry.get(i + 1)) else {
                return rings;
            };
            cursor = (cursor.0 + unzig(dx), cursor.1 + unzig(dy));
            i += 2;
            if let Some(ring) = rings.last_mut() {
                ring.push(cursor);
            }
        }
    }
    rings
}

#[cfg(test)]
mod tests {
    use super::*;
    use geozero::ToWkb;

    const TILE: Mercator = Mercator {
        min_x: 0.0,
        min_y: 0.0,
        max_x: 4096.0,
        max_y: 4096.0,
    };

    fn wkb(wkt: &str) -> Vec<u8> {
        geozero::wkt::Wkt(wkt)
            .to_wkb(geozero::CoordDimensions::xy())
            .expect("wkb")
    }

    /// The rings of the layer's only feature.
    fn decode(bytes: &[u8]) -> Rings {
        let tile = Tile::decode(bytes).expect("a tile");
        decode_rings(&tile.layers[0].features[0].geometry)
    }

    #[test]
    fn a_square_is_scaled_flipped_and_wound_clockwise() {
        let mut layer = PolygonLayer::new("parcels", TILE, (0.0, 0.0));
        // Counter-clockwise in map coordinates, with a hole wound the same way.
        let kept = layer
            .add(
                &wkb("MULTIPOLYGON(((100 100,200 100,200 200,100 200,100 100),(120 120,180 120,180 180,120 180,120 120)))"),
                &[("code", Some(Prop::Text("A-1".into()))), ("name", None), ("class", Some(Prop::Int(1)))],
            )
            .expect("valid");
        assert!(kept);
        let bytes = layer.finish();
        let rings = decode(&bytes);
        assert_eq!(rings.len(), 2);
        assert!(twice_area(&rings[0]) > 0, "exterior clockwise on screen");
        assert!(twice_area(&rings[1]) < 0, "hole the other way");
        let mut xs: Vec<_> = rings[0].clone();
        xs.sort();
        assert_eq!(xs, vec![(100, 3896), (100, 3996), (200, 3896), (200, 3996)]);
        let tile = Tile::decode(bytes.as_slice()).expect("a tile");
        let l = &tile.layers[0];
        assert_eq!(
            l.keys,
            vec!["code".to_owned(), "class".to_owned()],
            "the null is left out"
        );
        assert_eq!(l.features[0].tags, vec![0, 0, 1, 1]);
        assert_eq!(l.values[0].string_value.as_deref(), Some("A-1"));
        assert_eq!(l.values[1].int_value, Some(1));
    }

    #[test]
    fn a_polygon_across_the_edge_is_clipped_to_the_buffer() {
        let mut layer = PolygonLayer::new("p", TILE, (0.0, 0.0));
        layer
            .add(
                &wkb("POLYGON((-1000 1000,1000 1000,1000 2000,-1000 2000,-1000 1000))"),
                &[],
            )
            .expect("valid");
        let rings = decode(&layer.finish());
        let min_x = rings[0].iter().map(|p| p.0).min();
        assert_eq!(min_x, Some(-64));
        assert_eq!(rings[0].len(), 4);
    }

    #[test]
    fn nothing_is_kept_of_what_lies_outside_or_collapses() {
        let mut layer = PolygonLayer::new("p", TILE, (0.0, 0.0));
        let far = wkb("POLYGON((9000 9000,9100 9000,9100 9100,9000 9000))");
        let speck = wkb("POLYGON((10 10,10.2 10,10.2 10.2,10 10))");
        assert!(!layer.add(&far, &[]).expect("valid"));
        assert!(!layer.add(&speck, &[]).expect("valid"));
        assert!(layer.finish().is_empty());
    }

    #[test]
    fn a_shift_moves_every_point() {
        let mut layer = PolygonLayer::new("p", TILE, (10.0, -10.0));
        layer
            .add(&wkb("POLYGON((100 100,200 100,200 200,100 100))"), &[])
            .expect("valid");
        let rings = decode(&layer.finish());
        assert!(rings[0].contains(&(110, 4006)), "{rings:?}");
    }
}
