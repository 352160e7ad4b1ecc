//! A fake Telegram Bot API on 127.0.0.1:0, implementing exactly what Tipline
//! calls. It records every call, queues updates for getUpdates (long polling
//! included), serves files for getFile, and can answer the next call of a
//! method with an injected error (e.g. a 429 with retry_after).
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};
use tokio::sync::Notify;

pub const BOT_USERNAME: &str = "TiplineTestBot";

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
}

#[derive(Clone)]
pub struct FakeTelegram {
    inner: Arc<Mutex<Inner>>,
    changed: Arc<Notify>,
    pub base_url: String,
}

impl FakeTelegram {
    pub async fn start() -> FakeTelegram {
        let inner = Arc::new(Mutex::new(Inner {
            next_update_id: 500,
            next_message_id: 1,
            ..Default::default()
        }));
        let fake = FakeTelegram {
            inner,
            changed: Arc::new(Notify::new()),
            base_url: String::new(),
        };
        let app = Router::new()
            .route("/file/{token}/{path}", get(download))
            .route("/{token}/{method}", post(api))
            .with_state(fake.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url = format!("http://{}/", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        FakeTelegram { base_url, ..fake }
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
        "sendMessage" => {
            let chat = params["chat_id"].as_i64().expect("numeric chat_id");
            let msg = fake.store_message(chat, params["text"].as_str().unwrap_or(""), params.get("reply_markup"), None);
            fake.changed.notify_waiters();
            ok(msg)
        }
        "editMessageText" => {
            let chat = params["chat_id"].as_i64().expect("numeric chat_id");
            let id = params["message_id"].as_i64().expect("message_id");
            let msg = fake.store_message(chat, params["text"].as_str().unwrap_or(""), params.get("reply_markup"), Some(id));
            fake.changed.notify_waiters();
            ok(msg)
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
