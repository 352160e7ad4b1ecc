//! /messenger/webhook: Meta's side of the contract.
//!
//! - `GET ?hub.mode=subscribe&hub.verify_token=..&hub.challenge=..` is the
//!   verification Meta makes when the URL is saved: the challenge is echoed
//!   when the token matches, 403 otherwise.
//! - `POST` deliveries carry `X-Hub-Signature-256: sha256=<hex HMAC-SHA256
//!   (app secret, raw body)>`, checked in constant time over the raw bytes
//!   before anything is parsed: no valid signature, 401, nothing happens.
//! - A signed delivery is answered 200 at once and handled afterwards on
//!   tracked tasks (Meta retries slow deliveries and disables webhooks that
//!   keep failing). Each sender's messages run in order, one task per
//!   sender; the `mid` is claimed in the step's transaction, so a
//!   redelivery is answered once.
use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use super::graph::{self, PAGE_OBJECT, UserEvent};
use super::{Messenger, handle};

pub const WEBHOOK_PATH: &str = "/messenger/webhook";
const SIGNATURE_HEADER: &str = "x-hub-signature-256";
/// Meta's deliveries are a few KB; a batch of 1,000 items stays far below this.
const MAX_BODY_BYTES: usize = 1024 * 1024;
/// Meta sends a number; anything longer or odder is not echoed back.
const MAX_CHALLENGE: usize = 256;

type HmacSha256 = Hmac<Sha256>;

pub(super) fn routes(m: Arc<Messenger>) -> Router {
    Router::new()
        .route(WEBHOOK_PATH, get(verify).post(receive))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(m)
}

/// The header value Meta sends for `body` (public for tests and tools).
pub fn signature(app_secret: &str, body: &[u8]) -> String {
    let mut mac = HmacSha256::new_from_slice(app_secret.as_bytes()).expect("any key length");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// Constant-time check of the header against the body's HMAC.
fn signed(app_secret: &str, headers: &HeaderMap, body: &[u8]) -> bool {
    let Some(given) = headers
        .get(SIGNATURE_HEADER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().strip_prefix("sha256="))
        .and_then(|hex_sig| hex::decode(hex_sig).ok())
    else {
        return false;
    };
    let mut mac = HmacSha256::new_from_slice(app_secret.as_bytes()).expect("any key length");
    mac.update(body);
    mac.verify_slice(&given).is_ok()
}

#[tracing::instrument(name = "messenger_verify", skip_all)]
async fn verify(
    State(m): State<Arc<Messenger>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let token_ok = q
        .get("hub.verify_token")
        .is_some_and(|t| bool::from(t.as_bytes().ct_eq(m.settings.verify_token.as_bytes())));
    if q.get("hub.mode").map(String::as_str) != Some("subscribe") || !token_ok {
        tracing::warn!("Messenger webhook verification refused (wrong mode or verify token)");
        return StatusCode::FORBIDDEN.into_response();
    }
    let challenge = q.get("hub.challenge").map(String::as_str).unwrap_or("");
    let plain = challenge
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if challenge.is_empty() || challenge.len() > MAX_CHALLENGE || !plain {
        return StatusCode::BAD_REQUEST.into_response();
    }
    tracing::info!("Messenger webhook verified by Meta");
    (
        [(axum::http::header::CONTENT_TYPE, "text/plain")],
        challenge.to_string(),
    )
        .into_response()
}

#[tracing::instrument(name = "messenger_webhook", skip_all)]
async fn receive(State(m): State<Arc<Messenger>>, headers: HeaderMap, body: Bytes) -> StatusCode {
    if !signed(&m.settings.app_secret, &headers, &body) {
        tracing::warn!("Messenger delivery refused: missing or wrong X-Hub-Signature-256");
        return StatusCode::UNAUTHORIZED;
    }
    let batch = match graph::parse(&body) {
        Ok(b) => b,
        Err(_) => {
            // serde's message could quote user text: never log it.
            tracing::warn!("Messenger delivery is not a webhook body");
            return StatusCode::BAD_REQUEST;
        }
    };
    if batch.object != PAGE_OBJECT {
        // Signed by our app but for another product (Instagram, a user
        // object...): not ours to answer, and no reason for Meta to retry.
        tracing::info!("Messenger delivery for another object ignored");
        return StatusCode::OK;
    }
    let now = crate::bot::now_ms();
    for (sender, events) in by_sender(batch.events) {
        // The place in line is taken here, in arrival order, not in the task.
        let turn = m.in_order.ticket(sender);
        let worker = m.clone();
        m.tracker
            .spawn(turn.run(async move { handle::events(&worker, events, now).await }));
    }
    StatusCode::OK
}

/// Groups the batch by sender, keeping each sender's order. A sender's
/// events are handed to one task, so two messages in one delivery cannot
/// overtake each other; different senders run in parallel.
fn by_sender(events: Vec<UserEvent>) -> Vec<(String, Vec<UserEvent>)> {
    let mut groups: Vec<(String, Vec<UserEvent>)> = Vec::new();
    for e in events {
        match groups.iter_mut().find(|(s, _)| *s == e.sender) {
            Some((_, list)) => list.push(e),
            None => groups.push((e.sender.clone(), vec![e])),
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Independent vector: HMAC-SHA256("app-secret-for-tests", body),
    /// computed outside this code (`openssl dgst -sha256 -hmac`).
    #[test]
    fn the_independent_signature_vector_verifies() {
        let body = br#"{"object":"page","entry":[]}"#;
        let sig = signature("app-secret-for-tests", body);
        assert_eq!(
            sig,
            "sha256=6a5f0a148836edd071340dcb9d15e1495c2578fcdd886e46cc4f5d0577771513"
        );
        let mut h = HeaderMap::new();
        h.insert(SIGNATURE_HEADER, sig.parse().unwrap());
        assert!(signed("app-secret-for-tests", &h, body));
        assert!(!signed("another-secret", &h, body));
        assert!(!signed("app-secret-for-tests", &h, b"{}"));
        h.insert(SIGNATURE_HEADER, "sha256=zz".parse().unwrap());
        assert!(!signed("app-secret-for-tests", &h, body));
    }

    #[test]
    fn a_batch_is_grouped_by_sender_in_order() {
        let e = |s: &str, t: &str| UserEvent {
            sender: s.into(),
            delivery: graph::Delivery::Mid(t.into()),
            input: graph::UserInput::Text(t.into()),
        };
        let g = by_sender(vec![e("a", "1"), e("b", "2"), e("a", "3")]);
        assert_eq!(g.len(), 2);
        assert_eq!(g[0].1.len(), 2);
        assert_eq!(g[0].1[1].delivery, graph::Delivery::Mid("3".into()));
    }
}
