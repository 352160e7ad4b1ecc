//! The webhook, served by our own axum server. Telegram sends the secret we
//! registered with setWebhook in a header; anything without it is refused
//! before the body is even parsed.
use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::json;
use subtle::ConstantTimeEq;
use teloxide::prelude::*;
use teloxide::types::UpdateKind;

use super::{Telegram, update};
pub const WEBHOOK_PATH: &str = "/telegram/webhook";
const SECRET_HEADER: &str = "x-telegram-bot-api-secret-token";

pub fn routes(tg: Arc<Telegram>) -> Router {
    Router::new()
        .route(WEBHOOK_PATH, post(receive))
        .with_state(tg)
}

async fn receive(State(tg): State<Arc<Telegram>>, headers: HeaderMap, body: Bytes) -> Response {
    let Some(webhook) = &tg.webhook else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let given = headers
        .get(SECRET_HEADER)
        .map(|v| v.as_bytes())
        .unwrap_or_default();
    if !bool::from(given.ct_eq(webhook.secret.as_bytes())) {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    let update: Update = match serde_json::from_slice(&body) {
        Ok(u) => u,
        Err(_) => return StatusCode::BAD_REQUEST.into_response(),
    };
    let Some(chat) = update::chat_of(&update) else {
        return StatusCode::OK.into_response();
    };
    // A button press is answered in this very response, which Telegram runs
    // as an answerCallbackQuery call: the spinner stops at once and one
    // outgoing request per press is saved. Its result is not needed.
    let answer = match &update.kind {
        UpdateKind::CallbackQuery(q) => Some(Json(json!({
            "method": "answerCallbackQuery",
            "callback_query_id": q.id.0,
        }))),
        _ => None,
    };
    // Handled on a tracked task, not in this request: a dropped connection
    // must not cancel a half-done step, and shutdown waits for the task.
    // The update id is claimed in the step's own transaction, so a
    // redelivery of an update already handled changes nothing.
    // The place in line is taken here, in arrival order, not in the task.
    let turn = tg.in_order.ticket(chat);
    let worker = tg.clone();
    tg.tracker.spawn(turn.run(async move {
        update::process(&worker, update, update::Answered::InWebhookResponse).await
    }));
    match answer {
        Some(answer) => answer.into_response(),
        None => StatusCode::OK.into_response(),
    }
}
