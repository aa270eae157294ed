//! A bounded in-memory tile cache. A write invalidates exactly the cached tiles of its
//! layer whose extent meets the changed feature's box, so an edit shows on the next request.

use std::collections::HashMap;
use std::sync::Mutex;

use super::coord::{Mercator, TileCoord};

/// What identifies a cached tile: layer, coordinates, and a hash of the variant
/// (filter, GCJ-02 offset).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TileKey {
    pub layer: &'static str,
    pub tile: TileCoord,
    pub variant: u64,
}

struct Entry {
    body: Option<bytes::Bytes>,
    etag: String,
    used: u64,
}

struct Inner {
    entries: HashMap<TileKey, Entry>,
    bytes: usize,
    clock: u64,
}

/// The cache; share it through the application state.
pub struct TileCache {
    inner: Mutex<Inner>,
    capacity: usize,
}

impl TileCache {
    pub fn new(capacity_bytes: usize) -> Self {
        TileCache {
            inner: Mutex::new(Inner {
                entries: HashMap::new(),
                bytes: 0,
                clock: 0,
            }),
            capacity: capacity_bytes,
        }
    }

    /// A cached tile (`None` body: the tile is empty) and its ETag.
    pub fn get(&self, key: &TileKey) -> Option<(Option<bytes::Bytes>, String)> {
        let mut g = self.inner.lock().ok()?;
        g.clock += 1;
        let now = g.clock;
        let e = g.entries.get_mut(key)?;
        e.used = now;
        Some((e.body.clone(), e.etag.clone()))
    }

    pub fn put(&self, key: TileKey, body: Option<bytes::Bytes>, etag: String) {
        let Ok(mut g) = self.inner.lock() else { return };
        let size = body.as_ref().map_or(0, bytes::Bytes::len) + 64;
        if size > self.capacity / 4 {
            return;
        }
        g.clock += 1;
        let used = g.clock;
        if let Some(old) = g.entries.insert(key, Entry { body, etag, used }) {
            g.bytes -= old.body.as_ref().map_or(0, bytes::Bytes::len) + 64;
        }
        g.bytes += size;
        if g.bytes > self.capacity {
            // Evict the least recently used tenth.
            let mut by_age: Vec<(u64, TileKey)> =
                g.entries.iter().map(|(k, e)| (e.used, k.clone())).collect();
            by_age.sort_by_key(|(u, _)| *u);
            let n = (by_age.len() / 10).max(1);
            for (_, k) in by_age.into_iter().take(n) {
                if let Some(e) = g.entries.remove(&k) {
                    g.bytes -= e.body.as_ref().map_or(0, bytes::Bytes::len) + 64;
                }
            }
        }
    }

    /// Drops the cached tiles of `layer` that meet `area` (Web Mercator); `None` drops the whole layer.
    /// Returns how many were dropped.
    pub fn invalidate(&self, layer: &str, area: Option<Mercator>) -> usize {
        let Ok(mut g) = self.inner.lock() else {
            return 0;
        };
        let doomed: Vec<TileKey> = g
            .entries
            .keys()
            .filter(|k| k.layer == layer && area.is_none_or(|a| k.tile.bounds().intersects(&a)))
            .cloned()
            .collect();
        for k in &doomed {
            if let Some(e) = g.entries.remove(k) {
                g.bytes -= e.body.as_ref().map_or(0, bytes::Bytes::len) + 64;
            }
        }
        doomed.len()
    }

    /// Bytes held (for the memory report).
    pub fn size(&self) -> usize {
        self.inner.lock().map_or(0, |g| g.bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(z: u32, x: u32, y: u32) -> TileKey {
        TileKey {
            layer: "parcels",
            tile: TileCoord::new_checked(z, x, y).expect("tile"),
            variant: 0,
        }
    }

    #[test]
    fn an_edit_drops_exactly_the_tiles_it_touches_at_every_zoom() {
        let c = TileCache::new(1 << 20);
        let inside = [key(12, 3368, 1551), key(10, 842, 387)];
        let elsewhere = key(12, 3000, 1500);
        for k in inside.iter().chain([&elsewhere]) {
            c.put(
                k.clone(),
                Some(bytes::Bytes::from_static(b"tile")),
                "e".into(),
            );
        }
        let b = inside[0].tile.bounds();
        let centre = Mercator {
            min_x: b.min_x + 10.0,
            min_y: b.min_y + 10.0,
            max_x: b.min_x + 20.0,
            max_y: b.min_y + 20.0,
        };
        assert_eq!(c.invalidate("parcels", Some(centre)), 2);
        assert!(c.get(&inside[0]).is_none() && c.get(&inside[1]).is_none());
        assert!(c.get(&elsewhere).is_some());
        assert_eq!(c.invalidate("closed-sites", None), 0);
    }

    #[test]
    fn the_cache_stays_under_its_capacity() {
        let c = TileCache::new(10_000);
        for i in 0..100 {
            c.put(
                key(14, i, 0),
                Some(bytes::Bytes::from(vec![0u8; 500])),
                "e".into(),
            );
        }
        assert!(c.size() <= 10_000, "{}", c.size());
        assert!(c.get(&key(14, 99, 0)).is_some(), "the newest stays");
    }
}
