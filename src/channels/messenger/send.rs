//! Replies through the Send API (`POST {base}/me/messages`), read through
//! the one error table. Campaigns use [`post`] too.
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use super::Messenger;
use super::errors::{self, ErrorClass};
use super::graph::{self, GraphError, MessagingType};
use super::message;
use crate::conversation::Reply;

/// Attempts for a transient failure (network, 5xx, Meta's temporary errors,
/// a rate limit), with doubling backoff.
const SEND_ATTEMPTS: u32 = 4;

/// How the Graph API answered one send.
#[derive(Debug, PartialEq)]
pub enum Answer {
    Sent,
    /// Meta's error body, for the table.
    Refused(GraphError),
    /// No connection could be made: certainly not sent.
    NotConnected(String),
    /// Timeout, 5xx or an unreadable answer: maybe sent.
    Unclear(String),
}

/// One Send API call. The token goes in the query, as Meta documents it;
/// errors are reported without the URL so it never reaches a log.
pub async fn post(http: &reqwest::Client, base: &str, token: &str, body: &Value) -> Answer {
    let url = format!("{base}/me/messages");
    let resp = match http
        .post(url)
        .query(&[("access_token", token)])
        .json(body)
        .send()
        .await
    {
        Ok(r) => r,
        Err(e) if e.is_connect() => return Answer::NotConnected(e.without_url().to_string()),
        Err(e) => return Answer::Unclear(e.without_url().to_string()),
    };
    let status = resp.status();
    let bytes = resp.bytes().await.unwrap_or_default();
    if let Some(e) = graph::error_of(&bytes) {
        return Answer::Refused(e);
    }
    if status.is_success() && graph::is_sent(&bytes) {
        return Answer::Sent;
    }
    Answer::Unclear(format!("HTTP {status}, unreadable answer"))
}

/// Sends every message for `replies`; stops at the first that fails, since
/// later parts would arrive out of context.
pub(super) async fn replies(m: &Arc<Messenger>, psid: &str, replies: &[Reply]) {
    for msg in message::messages(replies) {
        let body = graph::send_body(psid, MessagingType::Response, &msg.text, &msg.quick);
        if !send_one(m, &body).await {
            return;
        }
    }
}

/// Sends one message; false when it could not be delivered.
async fn send_one(m: &Messenger, body: &Value) -> bool {
    let mut delay = Duration::from_millis(500);
    for attempt in 1..=SEND_ATTEMPTS {
        m.back_off.wait().await;
        let s = &m.settings;
        let answer = post(&m.http, &s.api_base, &s.page_access_token, body).await;
        let retry = match answer {
            Answer::Sent => return true,
            // Only when no connection was made: an unclear send is not repeated.
            Answer::NotConnected(why) => why,
            Answer::Unclear(why) => {
                tracing::error!(reason = %why, "Messenger reply may not have been sent; not retried");
                return false;
            }
            Answer::Refused(e) => match errors::classify(&e) {
                ErrorClass::RateLimited => {
                    tracing::warn!(code = e.code, pause = ?m.back_off.pause(), "Messenger rate limit; pausing sends");
                    m.back_off.start();
                    continue;
                }
                ErrorClass::Temporary => format!("Graph error {}", e.code),
                class => {
                    report(class, &e);
                    return false;
                }
            },
        };
        if attempt < SEND_ATTEMPTS {
            tracing::warn!(reason = %retry, attempt, retry_in = ?delay, "Messenger send failed; retrying");
            tokio::time::sleep(delay).await;
            delay *= 2;
        }
    }
    tracing::error!("Messenger reply not sent after {SEND_ATTEMPTS} attempts");
    false
}

fn report(class: ErrorClass, e: &GraphError) {
    let (code, sub) = (e.code, e.error_subcode);
    match class {
        ErrorClass::TokenInvalid => tracing::error!(
            code,
            "the Messenger Page access token was refused: set a new MESSENGER_PAGE_ACCESS_TOKEN; nothing can be sent until then"
        ),
        ErrorClass::OutsideWindow | ErrorClass::UserUnavailable => {
            tracing::warn!(code, subcode = ?sub, ?class, "Messenger reply undeliverable to this user now; not retried")
        }
        _ => {
            tracing::error!(code, subcode = ?sub, graph_message = %e.message, "Messenger reply not sent")
        }
    }
}
