//! The imports this process is running, so that one can be cancelled: its task is dropped
//! at its next await, which drops its transaction — nothing it wrote stays — and its
//! reader thread stops at its next send. An import that has begun to commit can no longer
//! be cancelled ([`Running::may_commit`]): what a cancel answers is always what happened.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

use tokio::task::JoinHandle;
use uuid::Uuid;

#[derive(Debug)]
enum State {
    /// Working in its transaction: a cancel drops it.
    Working,
    /// Committing: too late to cancel.
    Committing,
}

#[derive(Debug)]
struct Entry {
    state: State,
    /// Set once spawned.
    handle: Option<JoinHandle<()>>,
}

/// Running import tasks by job id.
#[derive(Debug, Default)]
pub struct Running(Mutex<HashMap<Uuid, Entry>>);

/// What a cancel found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cancel {
    /// Stopped before it committed: nothing it wrote stays.
    Cancelled,
    /// Committing, or ended, before the cancel reached it.
    TooLate,
    /// Not running in this process (the command line, another server, or long over).
    NotHere,
}

/// An import's way to ask, before it commits, whether it still may ([`Running::may_commit`]).
#[derive(Debug, Clone)]
pub struct Gate {
    running: Arc<Running>,
    id: Uuid,
}

impl Gate {
    /// False when the import was cancelled: it must not commit. Else it may, and can no
    /// longer be cancelled.
    pub fn may_commit(&self) -> bool {
        self.running.may_commit(self.id)
    }
}

impl Running {
    /// The gate of job `id`, registered now so that a cancel finds it from the start.
    pub fn gate(self: &Arc<Self>, id: Uuid) -> Gate {
        if let Ok(mut tasks) = self.0.lock() {
            tasks.insert(
                id,
                Entry {
                    state: State::Working,
                    handle: None,
                },
            );
        }
        Gate {
            running: Arc::clone(self),
            id,
        }
    }

    /// Runs job `id`'s task (its gate taken first), known until it ends.
    pub fn spawn(self: &Arc<Self>, id: Uuid, task: impl Future<Output = ()> + Send + 'static) {
        let me = Arc::clone(self);
        // Spawned under the lock: the task's own removal waits until its handle is kept.
        let Ok(mut tasks) = self.0.lock() else {
            tokio::spawn(task);
            return;
        };
        let handle = tokio::spawn(async move {
            task.await;
            if let Ok(mut tasks) = me.0.lock() {
                tasks.remove(&id);
            }
        });
        if let Some(e) = tasks.get_mut(&id) {
            e.handle = Some(handle);
        }
    }

    fn may_commit(&self, id: Uuid) -> bool {
        match self.0.lock() {
            Ok(mut tasks) => match tasks.get_mut(&id) {
                Some(e) => {
                    e.state = State::Committing;
                    true
                }
                // cancelled (a cancel takes the entry out)
                None => false,
            },
            Err(_) => false,
        }
    }

    /// Stops job `id`'s task unless it has begun to commit, and waits until it has stopped.
    pub async fn cancel(&self, id: Uuid) -> Cancel {
        let handle = match self.0.lock() {
            Ok(mut tasks) => match tasks.get(&id).map(|e| &e.state) {
                None => return Cancel::NotHere,
                Some(State::Committing) => return Cancel::TooLate,
                Some(State::Working) => tasks.remove(&id).and_then(|e| e.handle),
            },
            Err(_) => return Cancel::NotHere,
        };
        if let Some(h) = handle {
            h.abort();
            // a task that ended meanwhile had found itself cancelled at its gate
            let _ = h.await;
        }
        Cancel::Cancelled
    }

    /// Whether job `id` runs here.
    #[cfg(test)]
    fn has(&self, id: Uuid) -> bool {
        self.0.lock().is_ok_and(|t| t.contains_key(&id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_working_task_is_cancelled_a_committing_one_is_not_and_an_ended_one_is_gone() {
        let running = Arc::new(Running::default());
        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        let _gate = running.gate(a);
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        running.spawn(a, async move {
            let _ = rx.await; // never sent: it works until cancelled
        });
        assert!(running.has(a));
        assert_eq!(running.cancel(a).await, Cancel::Cancelled);
        assert!(tx.is_closed(), "the task was dropped");
        assert_eq!(running.cancel(a).await, Cancel::NotHere);

        // b reaches its commit: a cancel is then too late, and b ends on its own
        let gate = running.gate(b);
        let (go_tx, go_rx) = tokio::sync::oneshot::channel::<()>();
        let (committed_tx, committed_rx) = tokio::sync::oneshot::channel::<bool>();
        running.spawn(b, async move {
            let may = gate.may_commit();
            let _ = committed_tx.send(may);
            let _ = go_rx.await;
        });
        assert_eq!(committed_rx.await.ok(), Some(true));
        assert_eq!(running.cancel(b).await, Cancel::TooLate);
        let _ = go_tx.send(());
        while running.has(b) {
            tokio::task::yield_now().await;
        }
        assert_eq!(running.cancel(b).await, Cancel::NotHere);
    }

    #[tokio::test]
    async fn a_cancelled_import_may_not_commit() {
        let running = Arc::new(Running::default());
        let id = Uuid::new_v4();
        let gate = running.gate(id);
        // cancelled before its task was even spawned
        assert_eq!(running.cancel(id).await, Cancel::Cancelled);
        assert!(!gate.may_commit());
    }
}
