//! A process-wide pause on sends after a platform's rate limit (Zalo's -32,
//! Graph API codes 4 and 613), which carry no retry-after of their own.
use std::time::Duration;

pub struct BackOff {
    pause: Duration,
    until: std::sync::Mutex<Option<tokio::time::Instant>>,
}

impl BackOff {
    pub fn new(pause: Duration) -> Self {
        BackOff {
            pause,
            until: std::sync::Mutex::new(None),
        }
    }

    pub fn pause(&self) -> Duration {
        self.pause
    }

    /// The platform said "too many calls": nothing is sent for `pause` from now.
    pub fn start(&self) {
        let until = tokio::time::Instant::now() + self.pause;
        let mut g = self.until.lock().unwrap_or_else(|p| p.into_inner());
        *g = Some(g.map_or(until, |u| u.max(until)));
    }

    /// Waits out a pause in progress, if any.
    pub async fn wait(&self) {
        let until = *self.until.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(until) = until {
            tokio::time::sleep_until(until).await;
        }
    }
}
