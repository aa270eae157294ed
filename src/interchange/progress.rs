//! An import's progress, shared between the import and whoever shows it (the command
//! line's progress bar, the job row the web page polls), and the time each phase took.
//!
//! Each phase counts on its own: reading counts the file's features, writing the rows
//! going into the register; a check runs as one statement, so its phase has no count
//! (total 0, shown as a bar with no end). A bar that stood full while half the import was
//! still to come would be a lie.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// Progress, shared with whoever shows it (a progress bar, the job row).
#[derive(Debug, Default)]
pub struct Progress {
    phase: Mutex<&'static str>,
    done: AtomicU64,
    total: AtomicU64,
    /// When each phase started.
    started: Mutex<Vec<(&'static str, std::time::Instant)>>,
}

impl Progress {
    /// Starts a phase of `total` steps (0 when it cannot be counted): its count starts at 0.
    pub(super) fn start(&self, p: &'static str, total: u64) {
        self.enter(p, 0, total);
    }

    /// Enters a phase with its counts. They change under the phase's lock, so that a
    /// [`snapshot`](Self::snapshot) never pairs one phase with another's counts.
    fn enter(&self, p: &'static str, done: u64, total: u64) {
        if let Ok(mut g) = self.phase.lock() {
            *g = p;
            self.total.store(total, Ordering::Relaxed);
            self.done.store(done, Ordering::Relaxed);
        }
        if let Ok(mut s) = self.started.lock() {
            s.push((p, std::time::Instant::now()));
        }
    }

    /// `n` more steps of the phase done.
    pub(super) fn advance(&self, n: u64) {
        self.done.fetch_add(n, Ordering::Relaxed);
    }

    /// The phase has done `n` steps (when they are counted elsewhere).
    pub(super) fn set_done(&self, n: u64) {
        self.done.store(n, Ordering::Relaxed);
    }

    /// The import is over, having gone through `features` features.
    pub(super) fn finish(&self, features: u64) {
        self.enter("done", features, features);
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

    /// The phase with its steps done and in all (0 when uncounted), read together.
    pub fn snapshot(&self) -> (&'static str, u64, u64) {
        match self.phase.lock() {
            Ok(p) => (*p, self.done(), self.total()),
            Err(_) => ("reading", self.done(), self.total()),
        }
    }

    /// Steps of the current phase done.
    pub fn done(&self) -> u64 {
        self.done.load(Ordering::Relaxed)
    }

    /// Steps in the current phase; 0 while unknown or when it cannot be counted.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_phase_counts_from_nothing_and_the_end_counts_every_feature() {
        let p = Progress::default();
        p.start("reading", 10);
        p.advance(4);
        p.advance(6);
        assert_eq!(p.snapshot(), ("reading", 10, 10));
        p.start("overlaps", 0);
        assert_eq!(p.snapshot(), ("overlaps", 0, 0));
        p.start("writing", 7);
        p.set_done(3);
        assert_eq!(p.snapshot(), ("writing", 3, 7));
        p.finish(10);
        assert_eq!(p.snapshot(), ("done", 10, 10));
        let phases: Vec<_> = p.timings().iter().map(|t| t.phase).collect();
        assert_eq!(phases, ["reading", "overlaps", "writing", "done"]);
    }
}
