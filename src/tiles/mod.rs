//! Vector tiles: tile coordinates, and a cache whose entries are invalidated by the
//! writes that touch them.

mod cache;
mod coord;

pub use cache::{TileCache, TileKey};
pub use coord::{to_mercator as coord_to_mercator, Mercator, TileCoord, HALF};
