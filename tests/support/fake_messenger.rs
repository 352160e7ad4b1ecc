//! The one fake of Meta's Messenger Platform, on 127.0.0.1:0, as strict as
//! Meta documents it (Send API, Quick Replies, Messenger Profile API,
//! Common Error Codes):
//!
//! - `POST /{version}/me/messages?access_token=..`: the token must be the
//!   Page's (else 190); `recipient.id` must be a PSID that wrote to the Page
//!   (else 100 / 2018001); `messaging_type` is required (RESPONSE, UPDATE,
//!   or MESSAGE_TAG with a `tag`); text non-empty and at most 2,000
//!   characters; at most 13 quick replies, `content_type` text, titles of 1
//!   to 20 characters, payloads of 1 to 1,000; RESPONSE and UPDATE only
//!   within 24 hours of the user's last message (else 10 / 2018278).
//!   Errors can be injected (551, 613, 1200...). Error bodies as Meta's.
//! - `POST /{version}/me/messenger_profile`: replaces only the fields given.
//! - `GET /cdn/{name}`: the photos users send, as Meta's CDN serves them.
//! - The webhook side (`fake_messenger_events.rs`): the verification
//!   request, signed deliveries, redeliveries of the same body.
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Map, Value, json};
use tokio::sync::Notify;

pub const VERSION: &str = "v25.0";
pub const PAGE_ID: &str = "104729385710293";
pub const PAGE_TOKEN: &str = "EAAG-fake-page-access-token";
pub const TEXT_MAX: usize = 2000;
pub const MAX_QUICK: usize = 13;
pub const TITLE_MAX: usize = 20;
pub const PAYLOAD_MAX: usize = 1000;
pub const HOUR_MS: i64 = 3600 * 1000;
pub const WINDOW_MS: i64 = 24 * HOUR_MS;

/// One Send API call as the fake saw it.
#[derive(Debug, Clone, Default)]
pub struct Sent {
    pub psid: String,
    pub messaging_type: String,
    pub text: String,
    /// (title, payload) of each quick reply.
    pub quick: Vec<(String, String)>,
    /// Meta's (code, subcode) when refused; None when delivered.
    pub error: Option<Code>,
}

impl Sent {
    pub fn titles(&self) -> Vec<&str> {
        self.quick.iter().map(|(t, _)| t.as_str()).collect()
    }
}

#[derive(Default)]
pub(super) struct Inner {
    pub(super) sent: Vec<Sent>,
    inject: VecDeque<Code>,
    files: HashMap<String, Vec<u8>>,
    pub(super) file_fetches: usize,
    /// Each user's last message to the Page (unix ms).
    pub(super) interactions: HashMap<String, i64>,
    /// PSIDs that ever wrote to the Page: the only ones a Page can address.
    pub(super) known: HashSet<String>,
    profile: Map<String, Value>,
    pub(super) profile_posts: usize,
    pub(super) mids: u64,
}

#[derive(Clone)]
pub struct FakeMessenger {
    pub(super) inner: Arc<Mutex<Inner>>,
    pub(super) changed: Arc<Notify>,
    pub(super) http: reqwest::Client,
    pub base_url: String,
}

impl FakeMessenger {
    pub async fn start() -> FakeMessenger {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let fake = FakeMessenger {
            inner: Arc::new(Mutex::new(Inner::default())),
            changed: Arc::new(Notify::new()),
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(20))
                .build()
                .unwrap(),
            base_url: format!("http://{}", listener.local_addr().unwrap()),
        };
        let app = Router::new()
            .route("/{version}/me/messages", post(messages))
            .route(
                "/{version}/me/messenger_profile",
                post(set_profile).get(get_profile),
            )
            .route("/cdn/{name}", get(file))
            .with_state(fake.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        fake
    }

    /// The Graph API base Tipline is configured with.
    pub fn api_base(&self) -> String {
        format!("{}/{VERSION}", self.base_url)
    }

    pub fn add_file(&self, name: &str, bytes: Vec<u8>) -> String {
        self.lock().files.insert(name.to_string(), bytes);
        format!("{}/cdn/{name}", self.base_url)
    }

    pub fn file_fetches(&self) -> usize {
        self.lock().file_fetches
    }

    /// The next send is refused with this code and subcode.
    pub fn inject(&self, code: i64, subcode: Option<i64>) {
        self.lock().inject.push_back((code, subcode));
    }

    /// `psid` wrote to the Page at `at_ms` (a campaign's subscribers).
    pub fn set_interaction(&self, psid: &str, at_ms: i64) {
        let mut g = self.lock();
        g.known.insert(psid.to_string());
        g.interactions.insert(psid.to_string(), at_ms);
    }

    pub fn sent(&self) -> Vec<Sent> {
        self.lock().sent.clone()
    }

    /// Messages delivered to `psid`, in order.
    pub fn delivered(&self, psid: &str) -> Vec<Sent> {
        self.sent()
            .into_iter()
            .filter(|s| s.psid == psid && s.error.is_none())
            .collect()
    }

    pub fn profile(&self) -> Map<String, Value> {
        self.lock().profile.clone()
    }

    /// Sets a profile field as if the Page admin had set it elsewhere.
    pub fn set_profile_field(&self, key: &str, value: Value) {
        self.lock().profile.insert(key.into(), value);
    }

    pub async fn wait_until<T>(
        &self,
        what: &str,
        mut ready: impl FnMut(&FakeMessenger) -> Option<T>,
    ) -> T {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
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

pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// Meta's error body, with the HTTP status Graph uses for it.
fn graph_error(code: i64, subcode: Option<i64>) -> Response {
    let message = match (code, subcode) {
        (190, _) => "Invalid OAuth access token.",
        (10, Some(2018278)) => {
            "(#10) This message is sent outside of allowed window. Learn more about the new policy here: https://developers.facebook.com/docs/messenger-platform/policy-overview"
        }
        (100, Some(2018001)) => "(#100) No matching user found",
        (551, _) => "(#551) This person isn't available right now.",
        (613, _) => "(#613) Calls to this api have exceeded the rate limit.",
        (4, _) => "(#4) Application request limit reached",
        (1200, _) => "(#1200) Temporary send message failure. Please try again later",
        (100, _) => "(#100) Invalid parameter",
        _ => "An unknown error occurred",
    };
    let kind = if code == 190 {
        "OAuthException"
    } else {
        "FacebookApiException"
    };
    let mut error =
        json!({ "message": message, "type": kind, "code": code, "fbtrace_id": "AbCdEfGhIjK" });
    if let Some(s) = subcode {
        error["error_subcode"] = json!(s);
    }
    let status = if code == 190 {
        StatusCode::UNAUTHORIZED
    } else {
        StatusCode::BAD_REQUEST
    };
    (status, Json(json!({ "error": error }))).into_response()
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

/// Meta's error code and subcode.
type Code = (i64, Option<i64>);
/// (title, payload) of each quick reply.
type Quick = Vec<(String, String)>;

/// The text and quick replies of a valid body, or Meta's (100, subcode).
fn read_message(body: &Value) -> Result<(String, Quick), Code> {
    let bad = Err((100, None));
    let kind = body["messaging_type"].as_str().unwrap_or("");
    match kind {
        "RESPONSE" | "UPDATE" => {}
        "MESSAGE_TAG" if body["tag"].is_string() => {}
        _ => return bad,
    }
    let m = &body["message"];
    let Some(text) = m["text"].as_str() else {
        return bad;
    };
    if text.trim().is_empty() || chars(text) > TEXT_MAX {
        return bad;
    }
    let mut quick = Vec::new();
    if let Some(q) = m.get("quick_replies") {
        let Some(q) = q.as_array() else { return bad };
        if q.is_empty() || q.len() > MAX_QUICK {
            return bad;
        }
        for r in q {
            let title = r["title"].as_str().unwrap_or("");
            let payload = match &r["payload"] {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                _ => String::new(),
            };
            let title_ok = (1..=TITLE_MAX).contains(&chars(title));
            let payload_ok = (1..=PAYLOAD_MAX).contains(&chars(&payload));
            if r["content_type"] != "text" || !title_ok || !payload_ok {
                return bad;
            }
            quick.push((title.to_string(), payload));
        }
    }
    Ok((text.to_string(), quick))
}

async fn messages(
    State(fake): State<FakeMessenger>,
    Path(version): Path<String>,
    Query(q): Query<HashMap<String, String>>,
    body: axum::body::Bytes,
) -> Response {
    let body: Value = serde_json::from_slice(&body).unwrap_or_default();
    let psid = body["recipient"]["id"].as_str().unwrap_or("").to_string();
    let kind = body["messaging_type"].as_str().unwrap_or("").to_string();
    let mut g = fake.lock();
    let message = read_message(&body);
    let outcome = if version != VERSION {
        Err((2500, None))
    } else if q.get("access_token").map(String::as_str) != Some(PAGE_TOKEN) {
        Err((190, None))
    } else if let Some(e) = g.inject.pop_front() {
        Err(e)
    } else if let Err(e) = &message {
        Err(*e)
    } else if !g.known.contains(&psid) {
        Err((100, Some(2018001)))
    } else if kind != "MESSAGE_TAG"
        && g.interactions
            .get(&psid)
            .is_none_or(|t| now_ms() - t > WINDOW_MS)
    {
        Err((10, Some(2018278)))
    } else {
        Ok(())
    };
    let (text, quick) = message.unwrap_or_default();
    g.sent.push(Sent {
        psid: psid.clone(),
        messaging_type: kind,
        text,
        quick,
        error: outcome.err(),
    });
    let n = g.sent.len();
    drop(g);
    fake.changed.notify_waiters();
    match outcome {
        Ok(()) => Json(json!({ "recipient_id": psid, "message_id": format!("m_page_{n}") }))
            .into_response(),
        Err((code, sub)) => graph_error(code, sub),
    }
}

const PROFILE_FIELDS: [&str; 6] = [
    "get_started",
    "greeting",
    "persistent_menu",
    "ice_breakers",
    "whitelisted_domains",
    "commands",
];

/// Replaces only the fields given; a persistent menu needs Get Started;
/// greetings are at most 160 characters, menu titles at most 30.
async fn set_profile(
    State(fake): State<FakeMessenger>,
    Query(q): Query<HashMap<String, String>>,
    Json(body): Json<Value>,
) -> Response {
    if q.get("access_token").map(String::as_str) != Some(PAGE_TOKEN) {
        return graph_error(190, None);
    }
    let Some(fields) = body.as_object() else {
        return graph_error(100, None);
    };
    let mut g = fake.lock();
    let valid = fields.keys().all(|k| PROFILE_FIELDS.contains(&k.as_str()))
        && (!fields.contains_key("persistent_menu")
            || fields.contains_key("get_started")
            || g.profile.contains_key("get_started"))
        && fields["greeting"].as_array().is_none_or(|a| {
            a.iter()
                .all(|gr| gr["text"].as_str().is_some_and(|t| chars(t) <= 160))
        })
        && fields["persistent_menu"].as_array().is_none_or(|menus| {
            menus.iter().all(|m| {
                m["call_to_actions"].as_array().is_some_and(|c| {
                    c.len() <= 20
                        && c.iter().all(|a| {
                            a["title"]
                                .as_str()
                                .is_some_and(|t| (1..=30).contains(&chars(t)))
                        })
                })
            })
        });
    if !valid {
        return graph_error(100, None);
    }
    for (k, v) in fields {
        g.profile.insert(k.clone(), v.clone());
    }
    g.profile_posts += 1;
    drop(g);
    fake.changed.notify_waiters();
    Json(json!({ "result": "success" })).into_response()
}

async fn get_profile(State(fake): State<FakeMessenger>) -> Response {
    let data = Value::Object(fake.profile());
    Json(json!({ "data": [data] })).into_response()
}

async fn file(State(fake): State<FakeMessenger>, Path(name): Path<String>) -> Response {
    let mut g = fake.lock();
    g.file_fetches += 1;
    match g.files.get(&name) {
        Some(b) => b.clone().into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
