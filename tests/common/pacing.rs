//! What the platform fakes record of each send (when, to which chat, how
//! it was answered) and the checks the broadcast tests make on it: the
//! global rate, the per-chat gap, and silence during a 429's retry_after.
//! Self-contained, so the benchmark example can include it too.
#![allow(dead_code)]
use std::collections::HashMap;
use std::time::Duration;

use tokio::time::Instant;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Ok,
    Blocked,
    RateLimited,
}

#[derive(Debug, Clone, Copy)]
pub struct Arrival {
    pub at: Instant,
    pub chat: i64,
    pub answer: Answer,
}

/// The most requests that arrived within any `window`, over `arrivals`.
pub fn max_in_window(arrivals: &[Arrival], window: Duration) -> usize {
    let mut times: Vec<Instant> = arrivals.iter().map(|a| a.at).collect();
    times.sort();
    let mut best = 0;
    let mut start = 0;
    for end in 0..times.len() {
        while times[end] - times[start] >= window {
            start += 1;
        }
        best = best.max(end - start + 1);
    }
    best
}

/// The shortest time between two requests to the same chat (None if no
/// chat got two).
pub fn min_gap_per_chat(arrivals: &[Arrival]) -> Option<Duration> {
    let mut last: HashMap<i64, Instant> = HashMap::new();
    let mut sorted = arrivals.to_vec();
    sorted.sort_by_key(|a| a.at);
    let mut best: Option<Duration> = None;
    for a in sorted {
        if let Some(prev) = last.insert(a.chat, a.at) {
            let gap = a.at - prev;
            best = Some(best.map_or(gap, |b| b.min(gap)));
        }
    }
    best
}

/// Requests that arrived while an injected 429's retry_after was running.
pub fn arrivals_during_pauses(arrivals: &[Arrival], pauses: &[(Instant, Duration)]) -> usize {
    arrivals
        .iter()
        .filter(|a| pauses.iter().any(|(t, d)| a.at > *t && a.at < *t + *d))
        .count()
}
