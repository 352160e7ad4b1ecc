//! The webhook, served by our own axum server. Telegram sends the secret we
//! registered with setWebhook in a header; anything without it is refused
//! before the body is even parsed.
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use subtle::ConstantTimeEq;
use teloxide::prelude::*;

use super::{Telegram, update};
use crate::bot;

pub const WEBHOOK_PATH: &str = "/telegram/webhook";
const SECRET_HEADER: &str = "x-telegram-bot-api-secret-token";
/// How long an update id is remembered, against Telegram's redeliveries.
const DEDUPE_TTL_MS: i64 = 24 * 3600 * 1000;

pub fn routes(tg: Arc<Telegram>) -> Router {
    Router::new()
        .route(WEBHOOK_PATH, post(receive))
        .with_state(tg)
}

async fn receive(State(tg): State<Arc<Telegram>>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let Some(webhook) = &tg.webhook else {
        return StatusCode::NOT_FOUND;
    };
    let given = headers
        .get(SECRET_HEADER)
        .map(|v| v.as_bytes())
        .unwrap_or_default();
    if !bool::from(given.ct_eq(webhook.secret.as_bytes())) {
        return StatusCode::UNAUTHORIZED;
    }
    let update: Update = match serde_json::from_slice(&body) {
        Ok(u) => u,
        Err(_) => return StatusCode::BAD_REQUEST,
    };
    match tg
        .app
        .store
        .claim_message(
            super::CHANNEL,
            &update.id.0.to_string(),
            bot::now_ms(),
            DEDUPE_TTL_MS,
        )
        .await
    {
        Ok(true) => {}
        Ok(false) => return StatusCode::OK, // a redelivery: already handled
        Err(e) => {
            tracing::error!(error = %e, "could not record a Telegram update; asking Telegram to retry");
            return StatusCode::SERVICE_UNAVAILABLE;
        }
    }
    // Handled on a tracked task, not in this request: a dropped connection
    // must not cancel a half-done step, and shutdown waits for the task.
    let Some(chat) = update::chat_of(&update) else {
        return StatusCode::OK;
    };
    let worker = tg.clone();
    tg.tracker.spawn(async move {
        let t = worker.clone();
        worker
            .in_order
            .run(chat, async move { update::process(&t, update).await })
            .await;
    });
    StatusCode::OK
}
