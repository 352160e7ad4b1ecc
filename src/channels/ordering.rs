//! Per-conversation ordering for webhook deliveries. Updates are handled on
//! background tasks (a dropped HTTP connection must not cancel a half-done
//! step); this keeps one user's messages in arrival order.
//!
//! The place in line is taken synchronously, with [`InOrder::ticket`], in the
//! request handler before the task is spawned: spawned tasks start in any
//! order, so a lock taken inside the task would not follow arrival order.
//! Keys (chat or user ids) stay in memory only while a message of theirs is
//! in flight.
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

use tokio::sync::oneshot;

struct Line {
    /// Fires (or is dropped) when the last ticket taken for this key is done.
    tail: Option<oneshot::Receiver<()>>,
    tickets: usize,
}

type Lines<K> = Arc<Mutex<HashMap<K, Line>>>;

pub struct InOrder<K> {
    lines: Lines<K>,
}

impl<K: Hash + Eq + Clone> Default for InOrder<K> {
    fn default() -> Self {
        InOrder {
            lines: Arc::new(Mutex::new(HashMap::new())),
        }
    }
}

/// A place in line for one key. Its work starts after every earlier
/// ticket's work for the same key has finished (or was dropped unrun, in
/// which case the line still waits for the ones before it).
#[must_use = "a ticket holds its place in line until it runs or is dropped"]
pub struct Ticket<K: Hash + Eq + Clone> {
    key: K,
    lines: Lines<K>,
    wait: Option<oneshot::Receiver<()>>,
    done: Option<oneshot::Sender<()>>,
}

impl<K: Hash + Eq + Clone> InOrder<K> {
    /// Takes the next place in line for `key`, now.
    pub fn ticket(&self, key: K) -> Ticket<K> {
        let (done, tail) = oneshot::channel();
        let mut lines = self.lines.lock().expect("ordering map");
        let line = lines.entry(key.clone()).or_insert(Line {
            tail: None,
            tickets: 0,
        });
        line.tickets += 1;
        let wait = line.tail.replace(tail);
        Ticket {
            key,
            lines: self.lines.clone(),
            wait,
            done: Some(done),
        }
    }

    /// Takes a ticket and runs `f` in its turn. The place is taken when this
    /// future is first polled: from a request handler, take the ticket
    /// before spawning instead.
    pub async fn run<F: std::future::Future<Output = ()>>(&self, key: K, f: F) {
        self.ticket(key).run(f).await
    }

    pub fn in_flight(&self) -> usize {
        self.lines.lock().expect("ordering map").len()
    }
}

impl<K: Hash + Eq + Clone> Ticket<K> {
    /// Waits for the earlier tickets of this key, then runs `f`.
    pub async fn run<F: std::future::Future<Output = ()>>(mut self, f: F) {
        if let Some(earlier) = self.wait.take() {
            // An error means the earlier ticket is gone: its turn is over.
            let _ = earlier.await;
        }
        f.await;
    }
}

impl<K: Hash + Eq + Clone> Drop for Ticket<K> {
    fn drop(&mut self) {
        let done = self.done.take();
        if let Some(earlier) = self.wait.take() {
            // Dropped before its turn: the next in line must still wait for
            // the ones before this ticket.
            if let Ok(rt) = tokio::runtime::Handle::try_current() {
                rt.spawn(async move {
                    let _ = earlier.await;
                    drop(done);
                });
            }
        }
        let mut lines = self.lines.lock().expect("ordering map");
        if let Some(line) = lines.get_mut(&self.key) {
            line.tickets -= 1;
            if line.tickets == 0 {
                lines.remove(&self.key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn keys_are_forgotten_when_idle() {
        let order = InOrder::<i64>::default();
        order.run(7, async {}).await;
        assert_eq!(order.in_flight(), 0);
    }

    /// Tickets are taken in arrival order, then the tasks are spawned in the
    /// opposite order and each does real (timed, yielding) work: the work
    /// must still finish in arrival order, and never overlap.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn work_runs_in_arrival_order_when_tasks_start_out_of_order() {
        let order = InOrder::<i64>::default();
        let log = Arc::new(Mutex::new(Vec::new()));
        let busy = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let tickets: Vec<_> = (0..40).map(|_| order.ticket(7)).collect();
        let mut tasks = Vec::new();
        for (i, ticket) in tickets.into_iter().enumerate().rev() {
            let (log, busy) = (log.clone(), busy.clone());
            tasks.push(tokio::spawn(ticket.run(async move {
                assert!(!busy.swap(true, std::sync::atomic::Ordering::SeqCst));
                let ms = (i as u64 * 7919) % 5;
                tokio::time::sleep(Duration::from_millis(ms)).await;
                tokio::task::yield_now().await;
                log.lock().unwrap().push(i);
                busy.store(false, std::sync::atomic::Ordering::SeqCst);
            })));
        }
        for t in tasks {
            t.await.unwrap();
        }
        assert_eq!(*log.lock().unwrap(), (0..40).collect::<Vec<_>>());
        assert_eq!(order.in_flight(), 0);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn other_keys_do_not_wait_and_a_dropped_ticket_keeps_the_line() {
        let order = InOrder::<i64>::default();
        let (release, held) = oneshot::channel::<()>();
        let first = order.ticket(1);
        let dropped = order.ticket(1);
        let third = order.ticket(1);
        let log = Arc::new(Mutex::new(Vec::new()));
        let l = log.clone();
        let a = tokio::spawn(first.run(async move {
            held.await.unwrap();
            l.lock().unwrap().push("first");
        }));
        drop(dropped);
        let l = log.clone();
        let c = tokio::spawn(third.run(async move { l.lock().unwrap().push("third") }));
        // Another chat goes ahead while chat 1 is busy.
        order
            .run(2, async { log.lock().unwrap().push("other") })
            .await;
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert_eq!(*log.lock().unwrap(), ["other"]);
        release.send(()).unwrap();
        a.await.unwrap();
        c.await.unwrap();
        assert_eq!(*log.lock().unwrap(), ["other", "first", "third"]);
        assert_eq!(order.in_flight(), 0);
    }
}
