//! A loopback fake of the Telegram Bot API's `sendMessage`, for broadcast
//! tests and the benchmark. It records when each request arrived and for
//! which chat, answers like Telegram (a Message, a 403 for blocked chats, a
//! 429 with `retry_after`), and flags any request that breaks the pace.
//! Self-contained (no other test modules), so examples can include it too.
#![allow(dead_code)]
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use tokio::time::Instant;

#[derive(Debug, Clone, Default)]
pub struct FakeConfig {
    /// Chats that blocked the bot: answered with 403.
    pub blocked: HashSet<i64>,
    /// Every n-th request (1-based) is answered with a 429.
    pub every_429: Option<u64>,
    pub retry_after_s: u32,
    /// Extra latency per request, picked uniformly in 0..=max_latency_ms.
    pub max_latency_ms: u64,
}

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

#[derive(Debug, Default)]
struct Recorded {
    arrivals: Vec<Arrival>,
    delivered: HashMap<i64, u32>,
    /// (answered at, retry_after) of every injected 429.
    pauses: Vec<(Instant, Duration)>,
    texts_seen: HashSet<String>,
}

#[derive(Clone)]
pub struct FakeBotApi {
    pub url: String,
    config: Arc<FakeConfig>,
    rec: Arc<Mutex<Recorded>>,
    server: Arc<tokio::task::JoinHandle<()>>,
}

impl FakeBotApi {
    pub async fn start(config: FakeConfig) -> FakeBotApi {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let fake = FakeBotApi {
            url,
            config: Arc::new(config),
            rec: Arc::default(),
            server: Arc::new(tokio::spawn(async {})),
        };
        let app = axum::Router::new()
            .fallback(handle)
            .with_state(fake.clone());
        let server = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        FakeBotApi {
            server: Arc::new(server),
            ..fake
        }
    }

    /// Requests answered with a Message.
    pub fn delivered_total(&self) -> u64 {
        let r = self.rec.lock().unwrap();
        r.delivered.values().map(|n| u64::from(*n)).sum()
    }

    /// Messages each chat received (200 answers only).
    pub fn delivered(&self) -> HashMap<i64, u32> {
        self.rec.lock().unwrap().delivered.clone()
    }

    pub fn arrivals(&self) -> Vec<Arrival> {
        self.rec.lock().unwrap().arrivals.clone()
    }

    pub fn pauses(&self) -> Vec<(Instant, Duration)> {
        self.rec.lock().unwrap().pauses.clone()
    }

    /// Distinct message texts received (to check languages and footers).
    pub fn texts_seen(&self) -> HashSet<String> {
        self.rec.lock().unwrap().texts_seen.clone()
    }

    pub fn stop(&self) {
        self.server.abort();
    }
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

async fn handle(State(fake): State<FakeBotApi>, uri: Uri, body: axum::body::Bytes) -> Response {
    if !uri.path().to_ascii_lowercase().ends_with("/sendmessage") {
        return json(
            404,
            serde_json::json!({"ok": false, "error_code": 404, "description": "Not Found"}),
        );
    }
    let at = Instant::now();
    let payload: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
    let chat = payload["chat_id"]
        .as_i64()
        .or_else(|| payload["chat_id"].as_str().and_then(|s| s.parse().ok()))
        .unwrap_or(0);
    let text = payload["text"].as_str().unwrap_or("").to_string();
    let answer = {
        let mut r = fake.rec.lock().unwrap();
        let n = r.arrivals.len() as u64 + 1;
        let answer = if fake
            .config
            .every_429
            .is_some_and(|every| n.is_multiple_of(every))
        {
            let wait = Duration::from_secs(u64::from(fake.config.retry_after_s));
            r.pauses.push((at, wait));
            Answer::RateLimited
        } else if fake.config.blocked.contains(&chat) {
            Answer::Blocked
        } else {
            *r.delivered.entry(chat).or_default() += 1;
            if r.texts_seen.len() < 16 {
                r.texts_seen.insert(text);
            }
            Answer::Ok
        };
        r.arrivals.push(Arrival { at, chat, answer });
        answer
    };
    if fake.config.max_latency_ms > 0 {
        let ms = rand::random::<u64>() % (fake.config.max_latency_ms + 1);
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }
    match answer {
        Answer::Ok => json(
            200,
            serde_json::json!({"ok": true, "result": {
                "message_id": 1, "date": 1_750_000_000,
                "chat": {"id": chat, "type": "private", "first_name": "Test"},
                "text": "ok"
            }}),
        ),
        Answer::Blocked => json(
            403,
            serde_json::json!({"ok": false, "error_code": 403, "description": "Forbidden: bot was blocked by the user"}),
        ),
        Answer::RateLimited => json(
            429,
            serde_json::json!({"ok": false, "error_code": 429,
                "description": format!("Too Many Requests: retry after {}", fake.config.retry_after_s),
                "parameters": {"retry_after": fake.config.retry_after_s}}),
        ),
    }
}

fn json(status: u16, body: serde_json::Value) -> Response {
    (
        axum::http::StatusCode::from_u16(status).unwrap(),
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}
