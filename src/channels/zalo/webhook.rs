//! POST /zalo/webhook: Zalo's side of the contract.
//!
//! - A body that does not claim to be an event (no `event_name`) is Zalo
//!   checking a new webhook URL: 200, nothing else happens.
//! - Anything claiming to be an event must carry
//!   `X-ZEvent-Signature: mac=hex(sha256(app_id + raw body + timestamp + OA secret key))`,
//!   or it gets 401 and changes nothing.
//! - A signed event is accepted whatever its age: Zalo retries a failed
//!   delivery for about two hours with the original body, and the platform
//!   id (msg_id, or a keyed hash of a follow) makes a redelivery harmless.
//!   Only absurd timestamps (over a day old, over 5 minutes ahead) are refused.
//! - Zalo wants a 200 within 2 s. The event is handled on a tracked task;
//!   if that task fails on storage before the deadline, nothing was saved,
//!   and a 503 makes Zalo deliver it again later.
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use tokio::sync::oneshot;

use super::event::{self, Event};
use super::{Zalo, handle};

pub const WEBHOOK_PATH: &str = "/zalo/webhook";
const SIGNATURE_HEADER: &str = "x-zevent-signature";
/// One integrator reports Zalo signing with a timestamp sent in this header
/// instead of the body's; unconfirmed, so it is only tried second.
const TIMESTAMP_HEADER: &str = "x-zevent-timestamp";
/// Zalo retries for about two hours; a day covers that with room.
const MAX_AGE_MS: i64 = 24 * 3600 * 1000;
const MAX_AHEAD_MS: i64 = 5 * 60 * 1000;
/// Answer before Zalo's 2 s, with room for the network.
const ACK_WITHIN: Duration = Duration::from_millis(1500);

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
    TooOld,
    FromTheFuture,
}

/// Which timestamp the signature was made with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Variant {
    Body = 0,
    Header = 1,
}

fn verify(z: &Zalo, headers: &HeaderMap, body: &[u8], now_ms: i64) -> Result<Variant, Refused> {
    let given = headers
        .get(SIGNATURE_HEADER)
        .ok_or(Refused::NoSignature)?
        .as_bytes()
        .to_ascii_lowercase();
    let matches = |timestamp: &str| {
        let expected = signature(
            &z.settings.app_id,
            body,
            timestamp,
            &z.settings.oa_secret_key,
        );
        bool::from(given.as_slice().ct_eq(expected.as_bytes()))
    };
    let from_body = event::timestamp(body);
    let from_header = headers
        .get(TIMESTAMP_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let (variant, timestamp) = match (&from_body, &from_header) {
        (Some(ts), _) if matches(ts) => (Variant::Body, ts),
        (_, Some(ts)) if matches(ts) => (Variant::Header, ts),
        (None, None) => return Err(Refused::NoTimestamp),
        _ => return Err(Refused::BadSignature),
    };
    let ts: i64 = timestamp.trim().parse().map_err(|_| Refused::NoTimestamp)?;
    if now_ms - ts > MAX_AGE_MS {
        return Err(Refused::TooOld);
    }
    if ts - now_ms > MAX_AHEAD_MS {
        return Err(Refused::FromTheFuture);
    }
    Ok(variant)
}

#[tracing::instrument(name = "zalo_webhook", skip_all)]
async fn receive(State(z): State<Arc<Zalo>>, headers: HeaderMap, body: Bytes) -> StatusCode {
    if event::is_probe(&body) {
        z.log_probe();
        return StatusCode::OK;
    }
    let now = crate::bot::now_ms();
    match verify(&z, &headers, &body, now) {
        Ok(variant) => z.log_variant(variant),
        Err(reason) => {
            tracing::warn!(?reason, "Zalo webhook refused");
            return StatusCode::UNAUTHORIZED;
        }
    }
    let parsed = match event::parse(&body) {
        Ok(p) => p,
        Err(_) => {
            // serde's message could quote user text: never log it.
            tracing::warn!("Zalo webhook body is not a known event shape");
            return StatusCode::BAD_REQUEST;
        }
    };
    if let Some(expected) = &z.settings.oa_id
        && matches!(
            parsed.event,
            Event::Message { .. } | Event::Follow { .. } | Event::Unfollow { .. }
        )
        && parsed.oa.as_deref() != Some(expected.as_str())
    {
        // Signed by our app, but for another OA linked to it: not ours to answer.
        tracing::warn!("Zalo event for another Official Account ignored");
        return StatusCode::OK;
    }
    if matches!(parsed.event, Event::Other) {
        return StatusCode::OK;
    }
    acknowledge(z, parsed.event, now).await
}

/// Runs the event on a tracked task (a dropped connection must not cancel a
/// half-done step; shutdown waits for it) and answers as soon as it is
/// saved, or at the deadline, whichever comes first.
async fn acknowledge(z: Arc<Zalo>, event: Event, now: i64) -> StatusCode {
    let (saved_tx, mut saved_rx) = oneshot::channel();
    // The place in line is taken here, in arrival order, not in the task.
    let turn = z.in_order.ticket(handle::ordering_key(&event).to_string());
    let worker = z.clone();
    z.tracker
        .spawn(turn.run(async move { handle::event(&worker, event, now, saved_tx).await }));
    let outcome = match tokio::time::timeout(ACK_WITHIN, &mut saved_rx).await {
        Ok(Ok(outcome)) => Some(outcome),
        // The task ended without a word (it panicked): Zalo should try again.
        Ok(Err(_)) => Some(handle::Saved::No),
        Err(_) => {
            // Too slow: acknowledge now. Closing first means a late outcome
            // either arrived before the close or the task learns it was too late.
            saved_rx.close();
            saved_rx.try_recv().ok()
        }
    };
    match outcome {
        Some(handle::Saved::No) => StatusCode::SERVICE_UNAVAILABLE,
        Some(handle::Saved::Yes) | None => StatusCode::OK,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Independent vector from Zalo's formula, computed outside this code.
    #[test]
    fn the_independent_signature_vector_verifies() {
        let body = r#"{"app_id":"4313000000000000001","sender":{"id":"8309393969855402319"},"recipient":{"id":"1423847451268726170"},"event_name":"user_send_text","message":{"text":"hi","msg_id":"m1"},"timestamp":"1751100041636"}"#;
        assert_eq!(
            signature(
                "4313000000000000001",
                body.as_bytes(),
                "1751100041636",
                "oa-secret-key-for-tests"
            ),
            "mac=8ea0c1ca064bf1ed0f9d61df77f5c43bfd553cb426bc01217787c3de91b86f4c"
        );
    }
}
