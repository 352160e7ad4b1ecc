//! A fake Telegram Bot API on 127.0.0.1:0, implementing exactly what Tipline
//! calls. It records every call, queues updates for getUpdates (long polling
//! included), serves files for getFile, and can answer the next call of a
//! method with an injected error (e.g. a 429 with retry_after). For the
//! broadcast tests and the benchmark it also records when each sendMessage
//! arrived, and can answer chats that blocked the bot with 403 and every
//! n-th send with a 429, as Telegram does (see [`FakeConfig`]).
//! Needs only `crate::common::pacing`, so the benchmark example can include it.
#![allow(dead_code)]
use super::telegram_limits::{bad_request, check_message};
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};
use tokio::sync::Notify;
use tokio::time::Instant;

use crate::common::pacing::{Answer, Arrival};

pub const BOT_USERNAME: &str = "TiplineTestBot";

/// How sendMessage is answered beyond storing the message.
#[derive(Debug, Clone, Default)]
pub struct FakeConfig {
    /// Chats that blocked the bot: answered with 403.
    pub blocked: HashSet<i64>,
    /// Every n-th sendMessage (1-based) is answered with a 429.
    pub every_429: Option<u64>,
    pub retry_after_s: u32,
    /// Extra latency per sendMessage, picked uniformly in 0..=max_latency_ms.
    pub max_latency_ms: u64,
}

/// What the broadcast checks read: every sendMessage's arrival and answer.
#[derive(Debug, Default)]
struct Pacing {
    arrivals: Vec<Arrival>,
    delivered: HashMap<i64, u32>,
    /// (answered at, retry_after) of every injected 429.
    pauses: Vec<(Instant, Duration)>,
    texts_seen: HashSet<String>,
}

#[derive(Debug, Clone)]
pub struct Call {
    pub method: String,
    pub params: Value,
}

/// A message the bot sent, as the fake stored it.
#[derive(Debug, Clone)]
pub struct Sent {
    pub message_id: i64,
    pub chat_id: i64,
    pub text: String,
    /// (label, callback_data), one per keyboard row.
    pub buttons: Vec<(String, String)>,
}

impl Sent {
    pub fn data_for(&self, prefix: &str) -> Option<String> {
        self.buttons
            .iter()
            .find(|(_, d)| d.starts_with(prefix))
            .map(|(_, d)| d.clone())
    }
}

#[derive(Default)]
struct Inner {
    calls: Vec<Call>,
    queued: VecDeque<Value>,
    next_update_id: i64,
    next_message_id: i64,
    sent: Vec<Sent>,
    inject: HashMap<String, VecDeque<(u16, Value)>>,
    files: HashMap<String, Vec<u8>>,
    pacing: Pacing,
    /// Messages users sent, by id: their chat.
    user_messages: HashMap<i64, i64>,
    /// Messages deleted (by deleteMessage or by the user), bot's or users'.
    deleted: HashSet<i64>,
    /// Messages older than Telegram's 48 hours for deleting.
    too_old: HashSet<i64>,
}

#[derive(Clone)]
pub struct FakeTelegram {
    inner: Arc<Mutex<Inner>>,
    changed: Arc<Notify>,
    config: Arc<FakeConfig>,
    server: Arc<Mutex<Option<tokio::task::JoinHandle<()>>>>,
    pub base_url: String,
}

impl FakeTelegram {
    pub async fn start() -> FakeTelegram {
        FakeTelegram::start_with(FakeConfig::default()).await
    }

    pub async fn start_with(config: FakeConfig) -> FakeTelegram {
        let inner = Arc::new(Mutex::new(Inner {
            next_update_id: 500,
            next_message_id: 1,
            ..Default::default()
        }));
        let fake = FakeTelegram {
            inner,
            changed: Arc::new(Notify::new()),
            config: Arc::new(config),
            server: Arc::default(),
            base_url: String::new(),
        };
        let app = Router::new()
            .route("/file/{token}/{path}", get(download))
            .route("/{token}/{method}", post(api))
            .with_state(fake.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url = format!("http://{}/", listener.local_addr().unwrap());
        let server = tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        *fake.server.lock().unwrap() = Some(server);
        FakeTelegram { base_url, ..fake }
    }

    /// Stops answering: later requests fail to connect.
    pub fn stop(&self) {
        if let Some(server) = self.server.lock().unwrap().take() {
            server.abort();
        }
    }

    /// sendMessage requests answered with a Message.
    pub fn delivered_total(&self) -> u64 {
        let g = self.inner.lock().unwrap();
        g.pacing.delivered.values().map(|n| u64::from(*n)).sum()
    }

    /// Messages each chat received (200 answers only).
    pub fn delivered(&self) -> HashMap<i64, u32> {
        self.inner.lock().unwrap().pacing.delivered.clone()
    }

    /// Every sendMessage, in arrival order.
    pub fn arrivals(&self) -> Vec<Arrival> {
        self.inner.lock().unwrap().pacing.arrivals.clone()
    }

    /// When each injected 429 was answered, and its retry_after.
    pub fn pauses(&self) -> Vec<(Instant, Duration)> {
        self.inner.lock().unwrap().pacing.pauses.clone()
    }

    /// Distinct message texts delivered (to check languages and footers).
    pub fn texts_seen(&self) -> HashSet<String> {
        self.inner.lock().unwrap().pacing.texts_seen.clone()
    }

    /// Records a sendMessage's arrival and decides its answer from the config.
    fn pace(&self, chat: i64, text: &str) -> Answer {
        let at = Instant::now();
        let mut g = self.inner.lock().unwrap();
        let p = &mut g.pacing;
        let n = p.arrivals.len() as u64 + 1;
        let answer = if self
            .config
            .every_429
            .is_some_and(|every| n.is_multiple_of(every))
        {
            let wait = Duration::from_secs(u64::from(self.config.retry_after_s));
            p.pauses.push((at, wait));
            Answer::RateLimited
        } else if self.config.blocked.contains(&chat) {
            Answer::Blocked
        } else {
            *p.delivered.entry(chat).or_default() += 1;
            if p.texts_seen.len() < 16 {
                p.texts_seen.insert(text.to_string());
            }
            Answer::Ok
        };
        p.arrivals.push(Arrival { at, chat, answer });
        answer
    }

    /// Queues an update for getUpdates and returns it with its update_id.
    pub fn queue_update(&self, mut update: Value) -> Value {
        let mut g = self.inner.lock().unwrap();
        g.next_update_id += 1;
        update["update_id"] = json!(g.next_update_id);
        g.queued.push_back(update.clone());
        drop(g);
        self.changed.notify_waiters();
        update
    }

    /// An update_id for an update delivered by webhook instead of polling.
    pub fn number_update(&self, mut update: Value) -> Value {
        let mut g = self.inner.lock().unwrap();
        g.next_update_id += 1;
        update["update_id"] = json!(g.next_update_id);
        update
    }

    /// The next call of `method` for `chat_id` gets this HTTP status and body instead.
    pub fn inject(&self, method: &str, chat_id: i64, status: u16, body: Value) {
        self.inner
            .lock()
            .unwrap()
            .inject
            .entry(format!("{method}:{chat_id}"))
            .or_default()
            .push_back((status, body));
    }

    /// A new message id for a user's message in `chat` (ids are shared by
    /// both sides of a private chat, as in Telegram).
    pub fn user_message_id(&self, chat: i64) -> i64 {
        let mut g = self.inner.lock().unwrap();
        g.next_message_id += 1;
        let id = g.next_message_id;
        g.user_messages.insert(id, chat);
        id
    }

    /// Every message of `chat` (bot's and user's) still in the chat, by id.
    pub fn visible_in(&self, chat: i64) -> Vec<i64> {
        let g = self.inner.lock().unwrap();
        let mut ids: Vec<i64> = g
            .sent
            .iter()
            .filter(|s| s.chat_id == chat)
            .map(|s| s.message_id)
            .chain(
                g.user_messages
                    .iter()
                    .filter(|(_, c)| **c == chat)
                    .map(|(id, _)| *id),
            )
            .filter(|id| !g.deleted.contains(id))
            .collect();
        ids.sort_unstable();
        ids
    }

    /// The user deletes a message themselves.
    pub fn user_deletes(&self, message_id: i64) {
        self.inner.lock().unwrap().deleted.insert(message_id);
    }

    /// Every message of `chat` so far becomes older than 48 hours.
    pub fn age_past_48_hours(&self, chat: i64) {
        let ids = self.visible_in(chat);
        self.inner.lock().unwrap().too_old.extend(ids);
    }

    /// deleteMessage as Telegram answers it in a private chat: a message of
    /// another chat, an unknown or already deleted one is "not found"; one
    /// older than 48 hours "can't be deleted".
    fn delete_message(&self, chat: i64, id: i64) -> Response {
        let mut g = self.inner.lock().unwrap();
        let in_chat = g
            .sent
            .iter()
            .any(|s| s.message_id == id && s.chat_id == chat)
            || g.user_messages.get(&id) == Some(&chat);
        if !in_chat || g.deleted.contains(&id) {
            return bad_request("message to delete not found");
        }
        if g.too_old.contains(&id) {
            return bad_request("message can't be deleted");
        }
        g.deleted.insert(id);
        drop(g);
        self.changed.notify_waiters();
        ok(json!(true))
    }

    fn is_live(&self, chat: i64, id: i64) -> bool {
        let g = self.inner.lock().unwrap();
        !g.deleted.contains(&id)
            && g.sent
                .iter()
                .any(|s| s.message_id == id && s.chat_id == chat)
    }

    pub fn last_update_id(&self) -> i64 {
        self.inner.lock().unwrap().next_update_id
    }

    pub fn add_file(&self, file_id: &str, bytes: Vec<u8>) {
        self.inner
            .lock()
            .unwrap()
            .files
            .insert(file_id.to_string(), bytes);
    }

    pub fn calls(&self, method: &str) -> Vec<Call> {
        self.inner
            .lock()
            .unwrap()
            .calls
            .iter()
            .filter(|c| c.method == method)
            .cloned()
            .collect()
    }

    pub fn sent_to(&self, chat_id: i64) -> Vec<Sent> {
        self.inner
            .lock()
            .unwrap()
            .sent
            .iter()
            .filter(|s| s.chat_id == chat_id)
            .cloned()
            .collect()
    }

    pub fn message(&self, message_id: i64) -> Option<Sent> {
        self.inner
            .lock()
            .unwrap()
            .sent
            .iter()
            .find(|s| s.message_id == message_id)
            .cloned()
    }

    /// Waits (up to a generous bound, to fail rather than hang) until `ready` holds.
    pub async fn wait_until<T>(
        &self,
        what: &str,
        mut ready: impl FnMut(&FakeTelegram) -> Option<T>,
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

    /// The message as Telegram would embed it in a callback query.
    pub fn message_json(&self, message_id: i64) -> Value {
        let s = self.message(message_id).expect("message sent by the bot");
        let rows: Vec<Value> = s
            .buttons
            .iter()
            .map(|(t, d)| json!([{ "text": t, "callback_data": d }]))
            .collect();
        json!({ "message_id": s.message_id, "date": 1_700_000_000, "chat": chat_json(s.chat_id), "text": s.text,
            "from": { "id": 999, "is_bot": true, "first_name": "Tipline", "username": BOT_USERNAME },
            "reply_markup": { "inline_keyboard": rows } })
    }

    /// A Bot API call the bot made in its webhook response (`{"method": ..., params}`).
    pub fn run_webhook_answer(&self, call: &Value) {
        let method = call["method"]
            .as_str()
            .expect("a method in the webhook answer");
        self.record(method, call);
    }

    fn record(&self, method: &str, params: &Value) {
        self.inner.lock().unwrap().calls.push(Call {
            method: method.to_string(),
            params: params.clone(),
        });
        self.changed.notify_waiters();
    }

    fn store_message(
        &self,
        chat_id: i64,
        text: &str,
        markup: Option<&Value>,
        edit_of: Option<i64>,
    ) -> Value {
        let buttons = markup
            .and_then(|m| m["inline_keyboard"].as_array())
            .map(|rows| {
                rows.iter()
                    .flat_map(|r| r.as_array().cloned().unwrap_or_default())
                    .map(|b| {
                        (
                            b["text"].as_str().unwrap_or("").to_string(),
                            b["callback_data"].as_str().unwrap_or("").to_string(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut g = self.inner.lock().unwrap();
        let message_id = match edit_of {
            Some(id) => {
                // Edited in place, so the order of messages stays the order they were sent.
                if let Some(s) = g.sent.iter_mut().find(|s| s.message_id == id) {
                    s.text = text.to_string();
                    s.buttons = buttons;
                }
                id
            }
            None => {
                g.next_message_id += 1;
                let id = g.next_message_id;
                g.sent.push(Sent {
                    message_id: id,
                    chat_id,
                    text: text.to_string(),
                    buttons,
                });
                id
            }
        };
        drop(g);
        let mut msg = json!({ "message_id": message_id, "date": 1_700_000_000, "chat": chat_json(chat_id), "text": text,
            "from": { "id": 999, "is_bot": true, "first_name": "Tipline", "username": BOT_USERNAME } });
        if let Some(m) = markup {
            msg["reply_markup"] = m.clone();
        }
        msg
    }

    async fn get_updates(&self, params: &Value) -> Value {
        let offset = params["offset"].as_i64().unwrap_or(0);
        let timeout = params["timeout"].as_u64().unwrap_or(0).min(10);
        let deadline = tokio::time::Instant::now() + Duration::from_secs(timeout);
        loop {
            let notified = self.changed.notified();
            {
                let mut g = self.inner.lock().unwrap();
                // Like Telegram: an offset confirms (forgets) every earlier update.
                g.queued
                    .retain(|u| u["update_id"].as_i64().unwrap_or(0) >= offset);
                if !g.queued.is_empty() {
                    return Value::Array(g.queued.iter().cloned().collect());
                }
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return json!([]);
            }
        }
    }
}

pub fn chat_json(chat_id: i64) -> Value {
    if chat_id < 0 {
        json!({ "id": chat_id, "type": "supergroup", "title": "Unit group" })
    } else {
        json!({ "id": chat_id, "type": "private", "first_name": "Citizen" })
    }
}

pub fn user_json(user_id: i64, lang: &str) -> Value {
    json!({ "id": user_id, "is_bot": false, "first_name": "Citizen", "language_code": lang })
}

fn ok(result: Value) -> Response {
    Json(json!({ "ok": true, "result": result })).into_response()
}

/// Text fields of a multipart/form-data body (teloxide sends setWebhook that way).
fn multipart_fields(content_type: &str, body: &[u8]) -> Value {
    let Some(boundary) = content_type.split("boundary=").nth(1) else {
        return json!({});
    };
    let body = String::from_utf8_lossy(body);
    let mut out = serde_json::Map::new();
    for part in body.split(&format!("--{}", boundary.trim_matches('"'))) {
        let Some((head, value)) = part.split_once("\r\n\r\n") else {
            continue;
        };
        let Some(name) = head
            .split("name=\"")
            .nth(1)
            .and_then(|n| n.split('"').next())
        else {
            continue;
        };
        let value = value.trim_end_matches("\r\n");
        out.insert(
            name.to_string(),
            serde_json::from_str(value).unwrap_or_else(|_| Value::String(value.to_string())),
        );
    }
    Value::Object(out)
}

async fn api(
    State(fake): State<FakeTelegram>,
    Path((_token, method)): Path<(String, String)>,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    // Telegram method names are case-insensitive (teloxide sends "GetMe"); record the documented spelling.
    const METHODS: &[&str] = &[
        "getMe",
        "getUpdates",
        "sendMessage",
        "editMessageText",
        "deleteMessage",
        "getFile",
        "answerCallbackQuery",
        "setMyCommands",
        "setWebhook",
        "deleteWebhook",
    ];
    let method = METHODS
        .iter()
        .find(|m| m.eq_ignore_ascii_case(&method))
        .map(|m| m.to_string())
        .unwrap_or(method);
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let params: Value = if content_type.starts_with("multipart/") {
        multipart_fields(content_type, &body)
    } else {
        serde_json::from_slice(&body).unwrap_or(json!({}))
    };
    fake.record(&method, &params);
    let key = format!("{method}:{}", params["chat_id"].as_i64().unwrap_or(0));
    let injected = fake
        .inner
        .lock()
        .unwrap()
        .inject
        .get_mut(&key)
        .and_then(|q| q.pop_front());
    if let Some((status, body)) = injected {
        return (StatusCode::from_u16(status).unwrap(), Json(body)).into_response();
    }
    match method.as_str() {
        "getMe" => ok(json!({ "id": 999, "is_bot": true, "first_name": "Tipline", "username": BOT_USERNAME,
            "can_join_groups": true, "can_read_all_group_messages": false, "supports_inline_queries": false, "has_main_web_app": false })),
        "getUpdates" => ok(fake.get_updates(&params).await),
        "sendMessage" => send_message(&fake, &params).await,
        "editMessageText" => {
            let chat = params["chat_id"].as_i64().expect("numeric chat_id");
            let id = params["message_id"].as_i64().expect("message_id");
            if let Err(e) = check_message(&params) {
                return bad_request(e);
            }
            // Telegram edits only a live message the bot sent to that chat.
            if !fake.is_live(chat, id) {
                return bad_request("message to edit not found");
            }
            let msg = fake.store_message(chat, params["text"].as_str().unwrap_or(""), params.get("reply_markup"), Some(id));
            fake.changed.notify_waiters();
            ok(msg)
        }
        "deleteMessage" => {
            let chat = params["chat_id"].as_i64().expect("numeric chat_id");
            let id = params["message_id"].as_i64().expect("message_id");
            fake.delete_message(chat, id)
        }
        "getFile" => {
            let id = params["file_id"].as_str().unwrap_or("").to_string();
            let size = fake.inner.lock().unwrap().files.get(&id).map(|b| b.len());
            match size {
                Some(size) => ok(json!({ "file_id": id, "file_unique_id": format!("u{id}"), "file_size": size, "file_path": format!("{id}.jpg") })),
                None => (StatusCode::BAD_REQUEST, Json(json!({ "ok": false, "error_code": 400, "description": "Bad Request: invalid file_id" }))).into_response(),
            }
        }
        "answerCallbackQuery" | "setMyCommands" | "setWebhook" | "deleteWebhook" => ok(json!(true)),
        other => (StatusCode::NOT_FOUND, Json(json!({ "ok": false, "error_code": 404, "description": format!("fake: {other} not implemented") }))).into_response(),
    }
}

async fn send_message(fake: &FakeTelegram, params: &Value) -> Response {
    let chat = params["chat_id"].as_i64().expect("numeric chat_id");
    let text = params["text"].as_str().unwrap_or("");
    if let Err(e) = check_message(params) {
        return bad_request(e);
    }
    let answer = fake.pace(chat, text);
    if fake.config.max_latency_ms > 0 {
        let ms = rand::random::<u64>() % (fake.config.max_latency_ms + 1);
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }
    match answer {
        Answer::Ok => {
            let msg = fake.store_message(chat, text, params.get("reply_markup"), None);
            fake.changed.notify_waiters();
            ok(msg)
        }
        Answer::Blocked => (
            StatusCode::FORBIDDEN,
            Json(json!({ "ok": false, "error_code": 403, "description": "Forbidden: bot was blocked by the user" })),
        )
            .into_response(),
        Answer::RateLimited => {
            let s = fake.config.retry_after_s;
            (
                StatusCode::TOO_MANY_REQUESTS,
                Json(json!({ "ok": false, "error_code": 429,
                    "description": format!("Too Many Requests: retry after {s}"),
                    "parameters": { "retry_after": s } })),
            )
                .into_response()
        }
    }
}

async fn download(
    State(fake): State<FakeTelegram>,
    Path((_token, path)): Path<(String, String)>,
) -> Response {
    fake.record("download", &json!({ "path": path }));
    let id = path.trim_end_matches(".jpg");
    match fake.inner.lock().unwrap().files.get(id) {
        Some(bytes) => bytes.clone().into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
