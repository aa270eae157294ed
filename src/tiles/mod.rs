//! Vector tiles: tile coordinates, the polygon layers the service encodes itself, and a
//! cache whose entries are invalidated by the writes that touch them.

mod cache;
mod coord;
pub mod mvt;

pub use cache::{TileCache, TileKey};
pub use coord::{to_mercator as coord_to_mercator, Mercator, TileCoord, HALF};
