//! A private scratch directory, removed when dropped: unzipped uploads, transcoded CSVs
//! and export files being written.

use std::io;
use std::path::{Path, PathBuf};

pub struct Scratch(PathBuf);

impl Scratch {
    pub fn new() -> io::Result<Self> {
        let dir = std::env::temp_dir().join(format!("soilreg-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir)?;
        Ok(Scratch(dir))
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    /// Unzips an archive here (names are sanitised: no absolute paths, no `..`) and
    /// returns the first file we can read: a `.shp`, `.gpkg`, `.geojson`/`.json` or `.csv`.
    pub fn unzip(&self, archive: &Path) -> io::Result<Option<PathBuf>> {
        let file = std::fs::File::open(archive)?;
        let mut zip = zip::ZipArchive::new(file).map_err(io::Error::other)?;
        let mut found: Vec<PathBuf> = Vec::new();
        for i in 0..zip.len() {
            let mut entry = zip.by_index(i).map_err(io::Error::other)?;
            let Some(rel) = entry.enclosed_name() else {
                continue;
            };
            let out = self.0.join(rel);
            if entry.is_dir() {
                std::fs::create_dir_all(&out)?;
                continue;
            }
            if let Some(parent) = out.parent() {
                std::fs::create_dir_all(parent)?;
            }
            let mut w = std::fs::File::create(&out)?;
            io::copy(&mut entry, &mut w)?;
            found.push(out);
        }
        found.sort();
        let rank = |p: &PathBuf| {
            let ext = p
                .extension()
                .and_then(|e| e.to_str())
                .map(str::to_ascii_lowercase);
            match ext.as_deref() {
                Some("shp") => 0,
                Some("gpkg") => 1,
                Some("geojson" | "json") => 2,
                Some("csv") => 3,
                _ => 9,
            }
        };
        Ok(found.into_iter().filter(|p| rank(p) < 9).min_by_key(rank))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
