//! An import's progress, shared between the import and whoever shows it (the command
//! line's progress bar, the job row the web page polls), and the time each phase took.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// Progress, shared with whoever shows it (a progress bar, the job row).
#[derive(Debug, Default)]
pub struct Progress {
    phase: Mutex<&'static str>,
    pub(super) done: AtomicU64,
    pub(super) total: AtomicU64,
    /// When each phase started.
    started: Mutex<Vec<(&'static str, std::time::Instant)>>,
}

impl Progress {
    pub fn phase(&self) -> &'static str {
        self.phase.lock().map(|p| *p).unwrap_or("reading")
    }
    pub(super) fn set_phase(&self, p: &'static str) {
        if let Ok(mut g) = self.phase.lock() {
            *g = p;
        }
        if let Ok(mut s) = self.started.lock() {
            s.push((p, std::time::Instant::now()));
        }
    }

    /// Seconds spent in each phase so far.
    pub fn timings(&self) -> Vec<PhaseTime> {
        let Ok(s) = self.started.lock() else {
            return Vec::new();
        };
        s.iter()
            .zip(
                s.iter()
                    .skip(1)
                    .map(|(_, t)| *t)
                    .chain(std::iter::once(std::time::Instant::now())),
            )
            .map(|((phase, from), to)| PhaseTime {
                phase,
                seconds: (to - *from).as_secs_f64(),
            })
            .collect()
    }
    pub fn done(&self) -> u64 {
        self.done.load(Ordering::Relaxed)
    }
    /// 0 while unknown.
    pub fn total(&self) -> u64 {
        self.total.load(Ordering::Relaxed)
    }
}

/// Time spent in one phase of an import.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PhaseTime {
    pub phase: &'static str,
    pub seconds: f64,
}
