//! A lean fake Bot API on loopback: it answers what the server calls and
//! hands every sendMessage to the citizen whose chat it is for.
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::time::Instant;

use axum::extract::{Path as UrlPath, State};
use serde_json::{Value, json};
use tokio::sync::mpsc;

/// Chat ids are CHAT_BASE + the citizen's index.
pub const CHAT_BASE: i64 = 1_000_000;

/// A message the bot sent, as the fake saw it.
pub struct Sent {
    pub message_id: i64,
    pub text: String,
    pub buttons: Vec<(String, String)>,
    pub at: Instant,
}

pub struct Fake {
    pub chats: Vec<mpsc::UnboundedSender<Sent>>,
    pub next_id: AtomicI64,
    pub webhook_set: AtomicBool,
}

pub async fn fake_api(
    State(fake): State<Arc<Fake>>,
    UrlPath((_token, method)): UrlPath<(String, String)>,
    body: axum::body::Bytes,
) -> axum::Json<Value> {
    let method = method.to_ascii_lowercase();
    let params: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let result = match method.as_str() {
        "getme" => {
            json!({ "id": 999, "is_bot": true, "first_name": "Tipline", "username": "TiplineLoadBot",
            "can_join_groups": true, "can_read_all_group_messages": false, "supports_inline_queries": false, "has_main_web_app": false })
        }
        "sendmessage" | "editmessagetext" => {
            let chat = params["chat_id"].as_i64().unwrap_or(0);
            let text = params["text"].as_str().unwrap_or("").to_string();
            let edit = method == "editmessagetext";
            let id = if edit {
                params["message_id"].as_i64().unwrap_or(0)
            } else {
                fake.next_id.fetch_add(1, Ordering::Relaxed)
            };
            let mut msg = json!({ "message_id": id, "date": 1_700_000_000, "text": text,
                "chat": { "id": chat, "type": "private", "first_name": "Citizen" },
                "from": { "id": 999, "is_bot": true, "first_name": "Tipline" } });
            if let Some(markup) = params.get("reply_markup") {
                msg["reply_markup"] = markup.clone();
            }
            if !edit && let Some(tx) = fake.chats.get((chat - CHAT_BASE) as usize) {
                let buttons = params["reply_markup"]["inline_keyboard"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .flat_map(|row| row.as_array().into_iter().flatten())
                    .map(|b| {
                        let s = |k: &str| b[k].as_str().unwrap_or("").to_string();
                        (s("text"), s("callback_data"))
                    })
                    .collect();
                let _ = tx.send(Sent {
                    message_id: id,
                    text,
                    buttons,
                    at: Instant::now(),
                });
            }
            msg
        }
        "setwebhook" => {
            fake.webhook_set.store(true, Ordering::Release);
            json!(true)
        }
        _ => json!(true),
    };
    axum::Json(json!({ "ok": true, "result": result }))
}
