//! When the next message may start. Pure bookkeeping over instants, so the
//! rules can be tested without a network or a clock.
//!
//! The platform counts messages when they *arrive*, and arrival lies
//! somewhere between our request's start and its response. Spacing starts
//! 1/rate apart is therefore not enough: a slow request followed by fast ones
//! can bunch up on the platform's clock. The rules below hold on any clock
//! between start and response:
//! - global: send k+rate starts at least 1 s after every send up to k has
//!   completed, so no 1-second window can see more than `rate` arrivals;
//! - per chat: a chat's next message starts at least `per_chat` after its
//!   previous one completed;
//! - starts are also spread 1/rate apart, so the budget is not spent in bursts;
//! - a 429 pauses everything until its `retry_after` has passed.
use std::collections::{HashMap, VecDeque};
use std::time::Duration;

use tokio::time::Instant;

const WINDOW: Duration = Duration::from_secs(1);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Readiness {
    Now,
    At(Instant),
    /// A send that the rules depend on has not completed yet.
    AwaitCompletion,
}

#[derive(Debug)]
struct Slot {
    seq: u64,
    done: Option<Instant>,
}

#[derive(Debug, Clone, Copy)]
enum Chat {
    InFlight,
    Done(Instant),
}

#[derive(Debug)]
pub struct Pace {
    rate: usize,
    gap: Duration,
    per_chat: Duration,
    /// The last `rate` sends, oldest first.
    window: VecDeque<Slot>,
    /// Latest completion among sends that have left the window.
    high_water: Option<Instant>,
    last_start: Option<Instant>,
    paused_until: Option<Instant>,
    chats: HashMap<String, Chat>,
    next_seq: u64,
}

impl Pace {
    pub fn new(rate_per_sec: u32, per_chat: Duration) -> Pace {
        let rate = rate_per_sec.max(1) as usize;
        Pace {
            rate,
            gap: WINDOW / rate as u32,
            per_chat,
            window: VecDeque::with_capacity(rate),
            high_water: None,
            last_start: None,
            paused_until: None,
            chats: HashMap::new(),
            next_seq: 0,
        }
    }

    /// Whether a message to `chat` may start at `now`.
    pub fn readiness(&mut self, chat: &str, now: Instant) -> Readiness {
        while self.window.len() >= self.rate {
            match self.window.front().and_then(|s| s.done) {
                Some(done) => {
                    self.high_water = Some(self.high_water.map_or(done, |h| h.max(done)));
                    self.window.pop_front();
                }
                None => return Readiness::AwaitCompletion,
            }
        }
        let mut at = now;
        if let Some(h) = self.high_water {
            at = at.max(h + WINDOW);
        }
        if let Some(s) = self.last_start {
            at = at.max(s + self.gap);
        }
        if let Some(p) = self.paused_until {
            at = at.max(p);
        }
        match self.chats.get(chat) {
            Some(Chat::InFlight) => return Readiness::AwaitCompletion,
            Some(Chat::Done(t)) => at = at.max(*t + self.per_chat),
            None => {}
        }
        if at <= now {
            Readiness::Now
        } else {
            Readiness::At(at)
        }
    }

    /// Records a start; returns its sequence number for [`Pace::complete`].
    pub fn start(&mut self, chat: &str, now: Instant) -> u64 {
        let seq = self.next_seq;
        self.next_seq += 1;
        // A long campaign touches every chat once; forget the old ones as we go.
        if seq.is_multiple_of(1024) && self.chats.len() > 1024 {
            self.prune(now);
        }
        self.window.push_back(Slot { seq, done: None });
        self.last_start = Some(now);
        self.chats.insert(chat.to_string(), Chat::InFlight);
        seq
    }

    /// Records the response (or failure) of send `seq`.
    pub fn complete(&mut self, seq: u64, chat: &str, now: Instant) {
        if let Some(slot) = self.window.iter_mut().find(|s| s.seq == seq) {
            slot.done = Some(now);
        } else {
            // Already left the window (cannot happen while it is in flight,
            // but keep the guarantee if it ever does).
            self.high_water = Some(self.high_water.map_or(now, |h| h.max(now)));
        }
        self.chats.insert(chat.to_string(), Chat::Done(now));
    }

    /// A 429: nothing starts before `until`.
    pub fn pause_until(&mut self, until: Instant) {
        self.paused_until = Some(self.paused_until.map_or(until, |p| p.max(until)));
    }

    pub fn paused_until(&self) -> Option<Instant> {
        self.paused_until
    }

    /// Forgets chats whose per-chat gap has passed, to bound memory.
    pub fn prune(&mut self, now: Instant) {
        let per_chat = self.per_chat;
        self.chats.retain(|_, c| match c {
            Chat::InFlight => true,
            Chat::Done(t) => *t + per_chat > now,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn starts_are_spread_one_gap_apart() {
        let t0 = Instant::now();
        let mut p = Pace::new(10, ms(1000));
        assert_eq!(p.readiness("a", t0), Readiness::Now);
        let s = p.start("a", t0);
        p.complete(s, "a", t0 + ms(5));
        assert_eq!(p.readiness("b", t0 + ms(5)), Readiness::At(t0 + ms(100)));
    }

    #[test]
    fn a_slow_send_holds_back_the_send_one_window_later() {
        let t0 = Instant::now();
        let mut p = Pace::new(2, ms(1000));
        let s0 = p.start("a", t0);
        let s1 = p.start("b", t0 + ms(500));
        // Third send waits for the first to complete, then 1 s after it.
        assert_eq!(p.readiness("c", t0 + ms(600)), Readiness::AwaitCompletion);
        p.complete(s0, "a", t0 + ms(700));
        p.complete(s1, "b", t0 + ms(710));
        assert_eq!(p.readiness("c", t0 + ms(720)), Readiness::At(t0 + ms(1700)));
    }

    #[test]
    fn a_chat_waits_for_its_own_gap_and_its_message_in_flight() {
        let t0 = Instant::now();
        let mut p = Pace::new(1000, ms(1000));
        let s = p.start("a", t0);
        assert_eq!(p.readiness("a", t0 + ms(10)), Readiness::AwaitCompletion);
        p.complete(s, "a", t0 + ms(20));
        assert_eq!(p.readiness("a", t0 + ms(30)), Readiness::At(t0 + ms(1020)));
        assert_eq!(p.readiness("b", t0 + ms(30)), Readiness::Now);
        p.prune(t0 + ms(1021));
        assert_eq!(p.readiness("a", t0 + ms(1021)), Readiness::Now);
    }

    #[test]
    fn a_429_pauses_every_chat() {
        let t0 = Instant::now();
        let mut p = Pace::new(1000, ms(1000));
        p.pause_until(t0 + ms(3000));
        p.pause_until(t0 + ms(2000));
        assert_eq!(p.readiness("x", t0), Readiness::At(t0 + ms(3000)));
    }

    /// Simulates many sends with random latencies and checks the guarantee
    /// on arrival times drawn anywhere between start and completion.
    #[test]
    fn no_one_second_window_sees_more_than_rate_arrivals() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let rate = 20;
        let t0 = Instant::now();
        let mut p = Pace::new(rate, ms(1000));
        let mut now = t0;
        let mut in_flight: Vec<(u64, String, Instant, Instant)> = Vec::new();
        let mut arrivals = Vec::new();
        for i in 0..2000 {
            let chat = format!("c{i}");
            loop {
                // Complete whatever is due.
                in_flight.sort_by_key(|f| f.3);
                while let Some(f) = in_flight.first().filter(|f| f.3 <= now).cloned() {
                    p.complete(f.0, &f.1, f.3);
                    in_flight.remove(0);
                }
                match p.readiness(&chat, now) {
                    Readiness::Now if in_flight.len() < 4 => break,
                    Readiness::At(t) => now = t,
                    _ => now = in_flight.first().map(|f| f.3).unwrap_or(now + ms(1)),
                }
            }
            let latency = ms(rng.random_range(0..400));
            let seq = p.start(&chat, now);
            let arrival = now + latency.mul_f64(rng.random_range(0.0..1.0));
            arrivals.push(arrival);
            in_flight.push((seq, chat, now, now + latency));
        }
        arrivals.sort();
        for (i, a) in arrivals.iter().enumerate() {
            let n = arrivals[i..]
                .iter()
                .take_while(|b| **b < *a + WINDOW)
                .count();
            assert!(n <= rate as usize, "{n} arrivals within 1 s");
        }
    }
}
