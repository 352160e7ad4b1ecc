//! The replies waiting for each open web conversation, in memory only: the
//! transcript lives in the page, and a reply (which may carry a receipt) is
//! kept here just until the page confirms it has it. Each conversation
//! numbers its replies; the page asks for "everything after N", which also
//! acknowledges (and forgets) everything up to N, so a dropped connection
//! resumes without losing or repeating a reply.
use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::Serialize;
use tokio::sync::watch;

/// A conversation untouched this long is forgotten (its session stays in
/// the database, with the usual expiry).
const IDLE: Duration = Duration::from_secs(30 * 60);
/// Messages (text, button presses, photos) per conversation per minute.
pub const MESSAGES_PER_MINUTE: u32 = 30;
/// Unread replies one conversation may pile up before it must read them.
const MAX_PENDING: usize = 200;
/// Open conversations one server keeps at once.
const MAX_CONVERSATIONS: usize = 50_000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Message {
    pub seq: u64,
    pub text: String,
    pub options: Vec<Option_>,
    /// The receipt in this message, for the page's copy button.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub receipt: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Option_ {
    pub id: String,
    pub label: String,
}

/// Why a message was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// This message number was taken already (a replayed request).
    Replayed,
    /// Over [`MESSAGES_PER_MINUTE`], or too many unread replies.
    TooFast,
    /// The server holds as many conversations as it may.
    Busy,
}

struct Conversation {
    last_client_seq: u64,
    next_seq: u64,
    pending: VecDeque<Message>,
    latest: watch::Sender<u64>,
    touched: Instant,
    window: Instant,
    in_window: u32,
}

impl Conversation {
    fn new(now: Instant) -> Self {
        Conversation {
            last_client_seq: 0,
            next_seq: 1,
            pending: VecDeque::new(),
            latest: watch::channel(0).0,
            touched: now,
            window: now,
            in_window: 0,
        }
    }
}

/// What a read found: the replies after the cursor, whether the cursor was
/// from before a restart (`reset`), and a way to wait for more.
pub struct Read {
    pub messages: Vec<Message>,
    pub reset: bool,
    pub changed: watch::Receiver<u64>,
}

#[derive(Default)]
pub struct Outboxes {
    map: Mutex<HashMap<String, Conversation>>,
    swept: Mutex<Option<Instant>>,
}

impl Outboxes {
    fn with<T>(&self, id: &str, f: impl FnOnce(&mut Conversation) -> T) -> Result<T, Refusal> {
        let now = Instant::now();
        self.sweep(now);
        let mut map = self.map.lock().expect("outboxes");
        if !map.contains_key(id) && map.len() >= MAX_CONVERSATIONS {
            return Err(Refusal::Busy);
        }
        let c = map
            .entry(id.to_string())
            .or_insert_with(|| Conversation::new(now));
        c.touched = now;
        Ok(f(c))
    }

    /// Takes message `client_seq` of conversation `id`, if it is new and
    /// within the limits. Numbers must grow; a repeat is a replay.
    pub fn admit(&self, id: &str, client_seq: u64) -> Result<(), Refusal> {
        self.with(id, |c| {
            if client_seq <= c.last_client_seq {
                return Err(Refusal::Replayed);
            }
            let now = Instant::now();
            if now.duration_since(c.window) >= Duration::from_secs(60) {
                c.window = now;
                c.in_window = 0;
            }
            if c.in_window >= MESSAGES_PER_MINUTE || c.pending.len() >= MAX_PENDING {
                return Err(Refusal::TooFast);
            }
            c.in_window += 1;
            c.last_client_seq = client_seq;
            Ok(())
        })?
    }

    /// Appends replies in order and wakes the readers.
    pub fn push(&self, id: &str, messages: Vec<(String, Vec<Option_>, Option<String>)>) {
        // A conversation dropped for capacity meanwhile loses nothing it can use.
        let _ = self.with(id, |c| {
            for (text, options, receipt) in messages {
                let seq = c.next_seq;
                c.next_seq += 1;
                c.pending.push_back(Message {
                    seq,
                    text,
                    options,
                    receipt,
                });
            }
            c.latest.send_replace(c.next_seq - 1);
        });
    }

    /// The replies after `after`; those up to `after` are forgotten. A
    /// cursor beyond anything numbered here comes from before a restart:
    /// everything pending is sent, with `reset`.
    pub fn read(&self, id: &str, after: u64) -> Result<Read, Refusal> {
        self.with(id, |c| {
            let reset = after >= c.next_seq;
            if !reset {
                while c.pending.front().is_some_and(|m| m.seq <= after) {
                    c.pending.pop_front();
                }
            }
            Read {
                messages: c.pending.iter().cloned().collect(),
                reset,
                changed: c.latest.subscribe(),
            }
        })
    }

    /// Forgets idle conversations, at most once a minute.
    fn sweep(&self, now: Instant) {
        let mut last = self.swept.lock().expect("sweep time");
        if last.is_some_and(|t| now.duration_since(t) < Duration::from_secs(60)) {
            return;
        }
        *last = Some(now);
        let mut map = self.map.lock().expect("outboxes");
        map.retain(|_, c| now.duration_since(c.touched) < IDLE || c.latest.receiver_count() > 0);
    }

    pub fn open(&self) -> usize {
        self.map.lock().expect("outboxes").len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(r: &Read) -> Vec<(u64, &str)> {
        r.messages
            .iter()
            .map(|m| (m.seq, m.text.as_str()))
            .collect()
    }

    fn msg(t: &str) -> (String, Vec<Option_>, Option<String>) {
        (t.to_string(), Vec::new(), None)
    }

    #[test]
    fn a_read_returns_what_is_after_the_cursor_and_forgets_what_it_acknowledges() {
        let o = Outboxes::default();
        o.push("a", vec![msg("one"), msg("two")]);
        o.push("a", vec![msg("three")]);
        assert_eq!(
            texts(&o.read("a", 0).unwrap()),
            [(1, "one"), (2, "two"), (3, "three")]
        );
        // The answer was lost: asking again from the same cursor gets the same.
        assert_eq!(o.read("a", 0).unwrap().messages.len(), 3);
        assert_eq!(texts(&o.read("a", 2).unwrap()), [(3, "three")]);
        // Acknowledged replies are gone from memory.
        assert_eq!(texts(&o.read("a", 0).unwrap()), [(3, "three")]);
        assert!(
            o.read("b", 0).unwrap().messages.is_empty(),
            "another conversation"
        );
    }

    #[test]
    fn a_cursor_from_before_a_restart_gets_everything_pending_with_reset() {
        let o = Outboxes::default();
        o.push("a", vec![msg("new")]);
        let r = o.read("a", 40).unwrap();
        assert!(r.reset);
        assert_eq!(texts(&r), [(1, "new")]);
    }

    #[test]
    fn message_numbers_must_grow_and_a_flood_is_refused() {
        let o = Outboxes::default();
        assert_eq!(o.admit("a", 1), Ok(()));
        assert_eq!(o.admit("a", 1), Err(Refusal::Replayed));
        assert_eq!(o.admit("a", 5), Ok(()));
        assert_eq!(o.admit("a", 3), Err(Refusal::Replayed));
        let mut refused = 0;
        for n in 6..1006 {
            if o.admit("a", n) == Err(Refusal::TooFast) {
                refused += 1;
            }
        }
        assert_eq!(refused, 1000 - (MESSAGES_PER_MINUTE as usize - 2));
        assert_eq!(o.admit("b", 1), Ok(()), "limits are per conversation");
    }
}
