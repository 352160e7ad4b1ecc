//! The one fake Zalo Official Account platform, on 127.0.0.1:0, as strict as
//! the real one where we know how it behaves:
//!
//! - the OA API `v3.0/oa/message/cs`: the access_token header must be a
//!   token it issued; text at most 2,000 UTF-16 units; at most 5 buttons
//!   with titles up to 100 and `oa.query.show` payloads up to 1,000 units;
//!   a user may be messaged only within 7 days of their last interaction,
//!   free for 48 h and billed after (`data.quota.quota_type`); documented
//!   error codes; every n-th request can be refused with -32;
//! - OAuth `v4/oa/access_token` with single-use refresh tokens;
//! - file downloads for the photos users send;
//! - the webhook side (`fake_zalo_events.rs`): the registration probe,
//!   signed events stamped by a controllable clock, retries of failed
//!   deliveries with the same body, receipts after each delivered message.
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use serde_json::{Value, json};
use tokio::sync::Notify;
use tokio::time::Instant;

use super::fake_zalo_events::{Pending, Webhook};
use crate::common::pacing::{Answer, Arrival};

pub const TEXT_MAX: usize = 2000;
pub const MAX_BUTTONS: usize = 5;
pub const TITLE_MAX: usize = 100;
pub const PAYLOAD_MAX: usize = 1000;
pub const HOUR_MS: i64 = 3600 * 1000;
const BUTTON_TYPES: [&str; 5] = [
    "oa.query.show",
    "oa.query.hide",
    "oa.open.url",
    "oa.open.phone",
    "oa.open.sms",
];

#[derive(Debug, Clone)]
pub struct Button {
    pub title: String,
    pub kind: String,
    pub payload: Value,
}

#[derive(Debug, Clone)]
pub struct CsCall {
    pub access_token: String,
    pub user_id: String,
    pub text: String,
    pub buttons: Vec<Button>,
    /// Zalo's error code in the answer (0 = delivered).
    pub error: i64,
    /// For a delivered message: "reply" (free, within 48 h) or "purchase_quota" (billed).
    pub quota_type: Option<&'static str>,
}

#[derive(Debug, Clone, Default)]
pub struct FakeZaloConfig {
    /// The one valid refresh token at the start.
    pub refresh_token: Option<String>,
    /// Access tokens valid from the start (a configured token).
    pub access_tokens: Vec<String>,
    /// Every n-th cs request (1-based) is answered -32.
    pub every_quota: Option<u64>,
    pub quota_pause: Duration,
}

#[derive(Default)]
pub(super) struct Inner {
    pub(super) cs: Vec<CsCall>,
    refreshes: Vec<(String, HashMap<String, String>)>,
    valid_access: HashSet<String>,
    valid_refresh: HashSet<String>,
    issued: usize,
    inject: VecDeque<i64>,
    files: HashMap<String, Vec<u8>>,
    arrivals: Vec<Arrival>,
    pauses: Vec<(Instant, Duration)>,
    /// The fake clock (unix ms) that stamps events and measures windows.
    pub(super) clock_ms: i64,
    /// Last interaction of each user with the OA, on the fake clock.
    pub(super) interactions: HashMap<String, i64>,
    pub(super) webhook: Option<Webhook>,
    pub(super) pending: Vec<Pending>,
    pub(super) deliveries: Vec<super::fake_zalo_events::Delivery>,
}

#[derive(Clone)]
pub struct FakeZalo {
    pub(super) inner: Arc<Mutex<Inner>>,
    pub(super) changed: Arc<Notify>,
    pub(super) http: reqwest::Client,
    config: Arc<FakeZaloConfig>,
    pub base_url: String,
}

impl FakeZalo {
    /// `refresh_token` is the one valid refresh token at the start; no access token is valid yet.
    pub async fn start(refresh_token: &str) -> FakeZalo {
        Self::with(FakeZaloConfig {
            refresh_token: Some(refresh_token.into()),
            ..FakeZaloConfig::default()
        })
        .await
    }

    pub async fn with(config: FakeZaloConfig) -> FakeZalo {
        let mut inner = Inner {
            clock_ms: chrono::Utc::now().timestamp_millis(),
            ..Inner::default()
        };
        inner.valid_refresh.extend(config.refresh_token.clone());
        inner
            .valid_access
            .extend(config.access_tokens.iter().cloned());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let fake = FakeZalo {
            inner: Arc::new(Mutex::new(inner)),
            changed: Arc::new(Notify::new()),
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(2)) // Zalo wants an answer within 2 s
                .build()
                .unwrap(),
            config: Arc::new(config),
            base_url: format!("http://{}", listener.local_addr().unwrap()),
        };
        let app = Router::new()
            .route("/v3.0/oa/message/cs", post(cs))
            .route("/v4/oa/access_token", post(access_token))
            .route("/files/{name}", get(file))
            .with_state(fake.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        fake
    }

    pub fn add_file(&self, name: &str, bytes: Vec<u8>) -> String {
        self.lock().files.insert(name.to_string(), bytes);
        format!("{}/files/{name}", self.base_url)
    }

    /// The next send is answered with this Zalo error code.
    pub fn inject(&self, error: i64) {
        self.lock().inject.push_back(error);
    }

    /// Records that `user` interacted with the OA at `at_ms` (fake clock).
    pub fn set_interaction(&self, user: &str, at_ms: i64) {
        self.lock().interactions.insert(user.to_string(), at_ms);
    }

    pub fn now_ms(&self) -> i64 {
        self.lock().clock_ms
    }

    pub fn cs_calls(&self) -> Vec<CsCall> {
        self.lock().cs.clone()
    }

    pub fn delivered_to(&self, user: &str) -> Vec<String> {
        self.delivered_calls(user)
            .into_iter()
            .map(|c| c.text)
            .collect()
    }

    pub fn delivered_calls(&self, user: &str) -> Vec<CsCall> {
        self.cs_calls()
            .into_iter()
            .filter(|c| c.user_id == user && c.error == 0)
            .collect()
    }

    /// Delivered messages per user.
    pub fn delivered(&self) -> HashMap<String, u32> {
        let mut m = HashMap::new();
        for c in self.cs_calls().iter().filter(|c| c.error == 0) {
            *m.entry(c.user_id.clone()).or_default() += 1;
        }
        m
    }

    pub fn delivered_total(&self) -> u64 {
        self.delivered().values().map(|n| u64::from(*n)).sum()
    }

    /// Messages Zalo would bill (sent 48 h to 7 days after the last interaction).
    pub fn billed(&self) -> usize {
        self.cs_calls()
            .iter()
            .filter(|c| c.quota_type == Some("purchase_quota"))
            .count()
    }

    /// Arrivals with the user id as a number, for the shared pace checks.
    pub fn arrivals(&self) -> Vec<Arrival> {
        self.lock().arrivals.clone()
    }

    pub fn pauses(&self) -> Vec<(Instant, Duration)> {
        self.lock().pauses.clone()
    }

    pub fn bad_token_requests(&self) -> usize {
        self.cs_calls().iter().filter(|c| c.error == -216).count()
    }

    /// (secret_key header, form fields) of every refresh call.
    pub fn refreshes(&self) -> Vec<(String, HashMap<String, String>)> {
        self.lock().refreshes.clone()
    }

    pub async fn wait_until<T>(
        &self,
        what: &str,
        mut ready: impl FnMut(&FakeZalo) -> Option<T>,
    ) -> T {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(90);
        loop {
            let notified = self.changed.notified();
            if let Some(v) = ready(self) {
                return v;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                panic!("timed out waiting for: {what}");
            }
        }
    }

    pub(super) fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap()
    }
}

fn units(s: &str) -> usize {
    s.encode_utf16().count()
}

/// The message's text and buttons, or the error code Zalo gives a bad body:
/// -201 for a missing or malformed parameter, -210 for one over its limit.
fn read_message(body: &Value) -> Result<(String, Vec<Button>), i64> {
    let m = &body["message"];
    let text = m["text"].as_str().unwrap_or("").to_string();
    let buttons: Vec<Button> = match m.get("attachment") {
        None => Vec::new(),
        Some(a) if a["type"] == "template" => a["payload"]["buttons"]
            .as_array()
            .ok_or(-201)?
            .iter()
            .map(|b| Button {
                title: b["title"].as_str().unwrap_or("").to_string(),
                kind: b["type"].as_str().unwrap_or("").to_string(),
                payload: b["payload"].clone(),
            })
            .collect(),
        Some(_) => return Err(-201),
    };
    if text.trim().is_empty() || m.get("attachment").is_some() && buttons.is_empty() {
        return Err(-201);
    }
    if units(&text) > TEXT_MAX || buttons.len() > MAX_BUTTONS {
        return Err(-210);
    }
    for b in &buttons {
        if b.title.trim().is_empty() || !BUTTON_TYPES.contains(&b.kind.as_str()) {
            return Err(-201);
        }
        if units(&b.title) > TITLE_MAX {
            return Err(-210);
        }
        if b.kind.starts_with("oa.query") {
            let p = b.payload.as_str().ok_or(-201)?;
            if p.is_empty() {
                return Err(-201);
            }
            if units(p) > PAYLOAD_MAX {
                return Err(-210);
            }
        }
    }
    Ok((text, buttons))
}

/// -232: never interacted; -230: not in the last 7 days; else the quota used.
fn window(g: &Inner, user: &str) -> Result<&'static str, i64> {
    let last = *g.interactions.get(user).ok_or(-232)?;
    match g.clock_ms - last {
        age if age > 7 * 24 * HOUR_MS => Err(-230),
        age if age > 48 * HOUR_MS => Ok("purchase_quota"),
        _ => Ok("reply"),
    }
}

fn answer_for(code: i64) -> Answer {
    match code {
        0 => Answer::Ok,
        -32 => Answer::RateLimited,
        _ => Answer::Blocked,
    }
}

fn zalo_message(code: i64) -> &'static str {
    match code {
        -32 => "Your application reached limit call api",
        -201 => "Parameter is invalid",
        -210 => "Parameter exceeds allowable limit",
        -216 => "Access token is invalid",
        -230 => "User has not interacted with the OA in the past 7 days",
        -232 => "User has not interacted with the OA",
        _ => "injected error",
    }
}

async fn cs(State(fake): State<FakeZalo>, headers: HeaderMap, body: axum::body::Bytes) -> Response {
    let at = Instant::now();
    let token = headers
        .get("access_token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let body: Value = serde_json::from_slice(&body).unwrap_or_default();
    let user = body["recipient"]["user_id"]
        .as_str()
        .unwrap_or("")
        .to_string();
    let mut g = fake.lock();
    let n = g.cs.len() as u64 + 1;
    let message = read_message(&body);
    let outcome: Result<&'static str, i64> = if !g.valid_access.contains(&token) {
        Err(-216)
    } else if let Some(code) = g.inject.pop_front() {
        Err(code)
    } else if fake.config.every_quota.is_some_and(|e| n.is_multiple_of(e)) {
        g.pauses.push((at, fake.config.quota_pause));
        Err(-32)
    } else if user.is_empty() {
        Err(-201)
    } else if let Err(code) = &message {
        Err(*code)
    } else {
        window(&g, &user)
    };
    let code = outcome.err().unwrap_or(0);
    let (text, buttons) = message.unwrap_or_default();
    g.cs.push(CsCall {
        access_token: token,
        user_id: user.clone(),
        text,
        buttons,
        error: code,
        quota_type: outcome.ok(),
    });
    let chat = user.parse().unwrap_or(-1);
    g.arrivals.push(Arrival {
        at,
        chat,
        answer: answer_for(code),
    });
    let receipts = g.webhook.as_ref().is_some_and(|w| w.receipts);
    drop(g);
    fake.changed.notify_waiters();
    let Ok(quota_type) = outcome else {
        return Json(json!({ "error": code, "message": zalo_message(code) })).into_response();
    };
    let message_id = format!("oa-msg-{n}");
    if receipts {
        fake.spawn_receipts(&user, &message_id);
    }
    Json(json!({ "error": 0, "message": "Success", "data": {
        "message_id": message_id, "user_id": user,
        "quota": { "quota_type": quota_type, "remain": "7", "total": "8" } } }))
    .into_response()
}

async fn access_token(
    State(fake): State<FakeZalo>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let secret = headers
        .get("secret_key")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let mut g = fake.lock();
    g.refreshes.push((secret, form.clone()));
    let presented = form.get("refresh_token").cloned().unwrap_or_default();
    // Single use, like Zalo: a refresh token works once.
    let answer = if g.valid_refresh.remove(&presented) {
        g.issued += 1;
        let n = g.issued + 1;
        let (access, refresh) = (format!("AT-{n}"), format!("RT-{n}"));
        g.valid_access.insert(access.clone());
        g.valid_refresh.insert(refresh.clone());
        json!({ "access_token": access, "refresh_token": refresh, "expires_in": "90000" })
    } else {
        json!({ "error": -14014, "error_name": "Invalid refresh token", "error_description": "Invalid refresh token" })
    };
    drop(g);
    fake.changed.notify_waiters();
    Json(answer).into_response()
}

async fn file(State(fake): State<FakeZalo>, Path(name): Path<String>) -> Response {
    match fake.lock().files.get(&name) {
        Some(b) => b.clone().into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
