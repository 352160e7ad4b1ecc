//! Telegram Bot API limits the fake enforces, with Telegram's own errors
//! (https://core.telegram.org/bots/api#sendmessage, #inlinekeyboardbutton).
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// Telegram's documented limits on a message: 1-4096 characters of text
/// (counted in UTF-16 code units) and 1-64 bytes of data per button.
pub const TEXT_MAX_UTF16: usize = 4096;
pub const CALLBACK_DATA_MAX: usize = 64;

pub fn check_message(params: &Value) -> Result<(), &'static str> {
    let text = params["text"].as_str().unwrap_or("");
    if text.trim().is_empty() {
        return Err("message text is empty");
    }
    if text.encode_utf16().count() > TEXT_MAX_UTF16 {
        return Err("message is too long");
    }
    let buttons = params["reply_markup"]["inline_keyboard"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row.as_array().into_iter().flatten());
    for b in buttons {
        if let Some(data) = b["callback_data"].as_str()
            && (data.is_empty() || data.len() > CALLBACK_DATA_MAX)
        {
            return Err("BUTTON_DATA_INVALID");
        }
    }
    Ok(())
}

/// Telegram's answer to a request it refuses: 400 with its description.
pub fn bad_request(description: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({ "ok": false, "error_code": 400, "description": format!("Bad Request: {description}") })),
    )
        .into_response()
}
