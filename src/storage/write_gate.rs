//! SQLite allows one writer at a time; queueing writers in-process is
//! cheaper and fairer than letting them spin on SQLITE_BUSY. Every writer
//! (store methods, the step committer, the WAL checkpointer) takes this one
//! gate. On PostgreSQL it is open and costs nothing.
use std::sync::Arc;

use tokio::sync::{Mutex, MutexGuard};

use super::Backend;

#[derive(Clone, Debug)]
pub(crate) struct WriteGate(Option<Arc<Mutex<()>>>);

impl WriteGate {
    pub(crate) fn for_backend(backend: Backend) -> Self {
        WriteGate((backend == Backend::Sqlite).then(|| Arc::new(Mutex::new(()))))
    }

    /// Held for the span of a write transaction on SQLite; `None` on PostgreSQL.
    pub(crate) async fn lock(&self) -> Option<MutexGuard<'_, ()>> {
        match &self.0 {
            Some(m) => Some(m.lock().await),
            None => None,
        }
    }
}
