//! How many new conversations one client may open per minute. The client is
//! its address bucket (IPv6 cut to /64), kept only as a keyed hash that
//! changes every day, only in memory, and only for the current minute: the
//! whole table is dropped when the minute turns. Nothing is written down.
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// New conversations per client bucket per minute. Generous: an office, a
/// school or a Tor exit (an onion service sees every visitor as one local
/// address) shares one bucket.
pub const NEW_PER_MINUTE: u32 = 60;

pub struct Issuing {
    window: Mutex<(Instant, HashMap<String, u32>)>,
}

impl Default for Issuing {
    fn default() -> Self {
        Issuing {
            window: Mutex::new((Instant::now(), HashMap::new())),
        }
    }
}

impl Issuing {
    /// Counts one new conversation for `bucket` (a keyed hash); false when
    /// the bucket has had its share this minute.
    pub fn admit(&self, bucket: String) -> bool {
        let now = Instant::now();
        let mut w = self.window.lock().expect("issuing window");
        if now.duration_since(w.0) >= Duration::from_secs(60) {
            *w = (now, HashMap::new());
        }
        let n = w.1.entry(bucket).or_insert(0);
        if *n >= NEW_PER_MINUTE {
            return false;
        }
        *n += 1;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_bucket_gets_its_share_per_minute() {
        let i = Issuing::default();
        for _ in 0..NEW_PER_MINUTE {
            assert!(i.admit("a".into()));
        }
        assert!(!i.admit("a".into()));
        assert!(i.admit("b".into()));
    }
}
