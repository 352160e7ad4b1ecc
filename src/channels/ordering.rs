//! Per-conversation ordering for webhook deliveries. Updates are handled on
//! background tasks (a dropped HTTP connection must not cancel a half-done
//! step); this keeps one user's messages in arrival order. Keys (chat or
//! user ids) stay in memory only while a message of theirs is in flight.
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

pub struct InOrder<K> {
    locks: Mutex<HashMap<K, Arc<tokio::sync::Mutex<()>>>>,
}

impl<K: Hash + Eq + Clone> Default for InOrder<K> {
    fn default() -> Self {
        InOrder {
            locks: Mutex::new(HashMap::new()),
        }
    }
}

impl<K: Hash + Eq + Clone> InOrder<K> {
    /// Runs `f` after every earlier call for the same key has finished.
    pub async fn run<F: std::future::Future<Output = ()>>(&self, key: K, f: F) {
        let lock = self
            .locks
            .lock()
            .expect("ordering map")
            .entry(key.clone())
            .or_default()
            .clone();
        {
            let _turn = lock.lock().await;
            f.await;
        }
        let mut map = self.locks.lock().expect("ordering map");
        // Only the map and we still hold it: nobody is waiting, forget the key.
        if Arc::strong_count(&lock) == 2 {
            map.remove(&key);
        }
    }

    pub fn in_flight(&self) -> usize {
        self.locks.lock().expect("ordering map").len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn keys_are_forgotten_when_idle() {
        let order = InOrder::<i64>::default();
        order.run(7, async {}).await;
        assert_eq!(order.in_flight(), 0);
    }
}
