//! POST /zalo/webhook. The signature is checked before anything else:
//! `X-ZEvent-Signature: mac=hex(sha256(app_id + raw body + timestamp + OA secret key))`,
//! with `timestamp` (ms) read from the body and required to be recent.
//! A forged or stale request gets 401 and changes nothing.
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::event::{self, Event};
use super::{CHANNEL, Zalo, api};
use crate::bot::{self, Speaker};
use crate::conversation::Inbound;

pub const WEBHOOK_PATH: &str = "/zalo/webhook";
const SIGNATURE_HEADER: &str = "x-zevent-signature";
/// How far a delivery's timestamp may be from our clock (either way).
const MAX_SKEW_MS: i64 = 5 * 60 * 1000;

pub(super) fn routes(z: Arc<Zalo>) -> Router {
    Router::new()
        .route(WEBHOOK_PATH, post(receive))
        .with_state(z)
}

/// The header value Zalo sends for `body` (public for tests and tools).
pub fn signature(app_id: &str, body: &[u8], timestamp: &str, oa_secret_key: &str) -> String {
    let mut h = Sha256::new();
    h.update(app_id.as_bytes());
    h.update(body);
    h.update(timestamp.as_bytes());
    h.update(oa_secret_key.as_bytes());
    format!("mac={}", hex::encode(h.finalize()))
}

#[derive(Debug, PartialEq)]
enum Refused {
    NoSignature,
    NoTimestamp,
    BadSignature,
    Stale,
}

fn verify(z: &Zalo, headers: &HeaderMap, body: &[u8], now_ms: i64) -> Result<(), Refused> {
    let given = headers
        .get(SIGNATURE_HEADER)
        .map(|v| v.as_bytes())
        .ok_or(Refused::NoSignature)?;
    let timestamp = event::timestamp(body).ok_or(Refused::NoTimestamp)?;
    let expected = signature(
        &z.settings.app_id,
        body,
        &timestamp,
        &z.settings.oa_secret_key,
    );
    let given = given.to_ascii_lowercase();
    if !bool::from(given.as_slice().ct_eq(expected.as_bytes())) {
        return Err(Refused::BadSignature);
    }
    let ts: i64 = timestamp.parse().map_err(|_| Refused::Stale)?;
    if (now_ms - ts).abs() > MAX_SKEW_MS {
        return Err(Refused::Stale);
    }
    Ok(())
}

#[tracing::instrument(name = "zalo_webhook", skip_all)]
async fn receive(State(z): State<Arc<Zalo>>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let now = bot::now_ms();
    if let Err(reason) = verify(&z, &headers, &body, now) {
        tracing::warn!(?reason, "Zalo webhook refused");
        return StatusCode::UNAUTHORIZED;
    }
    let event = match event::parse(&body) {
        Ok(e) => e,
        Err(e) => {
            tracing::warn!(error = %e, "Zalo webhook body is not a known event shape");
            return StatusCode::BAD_REQUEST;
        }
    };
    // The msg_id is claimed in the step's own transaction: a redelivered
    // message changes nothing and gets no second answer.
    let (user, input, delivery) = match event {
        Event::Message {
            sender,
            msg_id,
            input,
        } => (sender, input, Some(msg_id)),
        // A new follower is greeted like /start; the session is created only by the engine.
        Event::Follow { follower } => (follower, event::ZaloInput::Text("/start".into()), None),
        Event::Unfollow { follower } => {
            // Leaving the OA ends campaign messages: delete the subscription (and its chat id).
            if let Err(e) = z
                .app
                .store
                .remove_subscription(CHANNEL, &follower, now)
                .await
            {
                tracing::error!(error = %e, "could not remove the subscription of an unfollower; asking Zalo to retry");
                return StatusCode::SERVICE_UNAVAILABLE;
            }
            return StatusCode::OK;
        }
        Event::Other => return StatusCode::OK,
    };
    // Handled on a tracked task: Zalo expects a quick 200, a dropped
    // connection must not cancel a half-done step, and shutdown waits for it.
    let worker = z.clone();
    z.tracker.spawn(async move {
        let key = user.clone();
        let z2 = worker.clone();
        worker
            .in_order
            .run(key, async move {
                handle(&z2, &user, input, delivery.as_deref(), now).await
            })
            .await;
    });
    StatusCode::OK
}

async fn handle(
    z: &Arc<Zalo>,
    user: &str,
    input: event::ZaloInput,
    delivery: Option<&str>,
    now: i64,
) {
    let speaker = Speaker {
        channel: CHANNEL,
        user_id: user,
    };
    let input = api::to_input(z, speaker, input, now).await;
    let inbound = Inbound {
        input,
        now_ms: now,
        lang_hint: None,
        accepts_attachments: true,
    };
    let replies = bot::handle_delivery(&z.app, speaker, inbound, delivery).await;
    api::send_replies(z, user, &replies).await;
}
