//! Calls to the Zalo OA API: replies through `v3.0/oa/message/cs`, and
//! downloading the photos users send.
use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;
use serde_json::Value;

use super::Zalo;
use super::errors::{self, ErrorClass};
use super::event::ZaloInput;
use super::message;
use crate::bot::Speaker;
use crate::channels::attachment;
use crate::conversation::{Input, Reply};

/// Attempts for a transient failure (network, 5xx, HTTP 429), with doubling backoff.
const SEND_ATTEMPTS: u32 = 4;

/// How Zalo answered one send, before the error table is read.
#[derive(Debug, PartialEq)]
enum Answer {
    /// Zalo's own `error` code and message (0 = sent).
    Zalo(i64, String),
    /// Network trouble, 5xx or HTTP 429: worth another try shortly.
    Transient(String),
    /// A reply we cannot read.
    Unreadable(String),
}

#[derive(Deserialize)]
struct ApiAnswer {
    #[serde(default)]
    error: i64,
    #[serde(default)]
    message: String,
}

fn read_answer(status: reqwest::StatusCode, answer: Option<ApiAnswer>) -> Answer {
    if status.is_server_error() || status == reqwest::StatusCode::TOO_MANY_REQUESTS {
        return Answer::Transient(format!("HTTP {status}"));
    }
    match answer {
        Some(a) => Answer::Zalo(a.error, a.message),
        None => Answer::Unreadable(format!("HTTP {status}, unreadable answer")),
    }
}

pub(super) async fn send_replies(z: &Arc<Zalo>, user: &str, replies: &[Reply]) {
    for body in message::cs_bodies(user, replies) {
        if !send_body(z, &body).await {
            return; // later parts would arrive out of context
        }
    }
}

/// Sends one message; false when it could not be delivered.
async fn send_body(z: &Arc<Zalo>, body: &Value) -> bool {
    let mut delay = Duration::from_millis(500);
    let mut refreshed = false;
    let mut attempt = 1;
    loop {
        z.back_off.wait().await;
        let Some(token) = z.tokens.access_token(z).await else {
            tracing::error!("no Zalo access token: reply not sent");
            return false;
        };
        let (code, message) = match post_cs(z, &token, body).await {
            Answer::Zalo(code, message) => (code, message),
            Answer::Transient(why) if attempt < SEND_ATTEMPTS => {
                tracing::warn!(reason = %why, attempt, retry_in = ?delay, "Zalo send failed; retrying");
                tokio::time::sleep(delay).await;
                delay *= 2;
                attempt += 1;
                continue;
            }
            Answer::Transient(why) | Answer::Unreadable(why) => {
                tracing::error!(reason = %why, "Zalo reply not sent");
                return false;
            }
        };
        match errors::classify(code) {
            ErrorClass::Sent => return true,
            ErrorClass::RefreshToken if !refreshed => {
                refreshed = true;
                z.tokens.refresh_after_rejection(z, &token).await;
            }
            ErrorClass::RefreshToken => {
                tracing::error!(
                    code,
                    "Zalo refused a freshly refreshed access token: reply not sent"
                );
                return false;
            }
            ErrorClass::Undeliverable => {
                tracing::warn!(
                    code,
                    "Zalo reply undeliverable to this user now; not retried"
                );
                return false;
            }
            ErrorClass::Bug => {
                errors::report_bug(code, &message, CS_PATH);
                return false;
            }
            ErrorClass::BackOff if attempt < SEND_ATTEMPTS => {
                tracing::warn!(code, pause = ?z.back_off.pause(), "Zalo call limit reached; pausing sends");
                z.back_off.start();
                attempt += 1;
            }
            ErrorClass::BackOff | ErrorClass::Failed => {
                tracing::error!(code, zalo_message = %message, "Zalo reply not sent");
                return false;
            }
        }
    }
}

const CS_PATH: &str = "/v3.0/oa/message/cs";

async fn post_cs(z: &Zalo, token: &str, body: &Value) -> Answer {
    let url = format!("{}{CS_PATH}", z.settings.api_base);
    match z
        .http
        .post(url)
        .header("access_token", token)
        .json(body)
        .send()
        .await
    {
        Ok(resp) => {
            let status = resp.status();
            let answer = resp.json::<ApiAnswer>().await.ok();
            read_answer(status, answer)
        }
        // Without the URL: it is not secret, but keep log lines short and uniform.
        Err(e) => Answer::Transient(format!("network error: {}", e.without_url())),
    }
}

/// Turns a Zalo message into engine input, fetching a photo only at the attachment step.
pub(super) async fn to_input(
    z: &Arc<Zalo>,
    speaker: Speaker<'_>,
    input: ZaloInput,
    now: i64,
) -> Input {
    match input {
        ZaloInput::Text(t) => Input::Text(t),
        ZaloInput::Location { lat, lon } => Input::Location { lat, lon },
        ZaloInput::Unsupported => attachment::unsupported(),
        ZaloInput::File { url, size } => {
            attachment::from_url(&z.app, &z.http, speaker, &url, size, now).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(error: i64) -> Option<ApiAnswer> {
        Some(ApiAnswer {
            error,
            message: String::new(),
        })
    }

    #[test]
    fn http_trouble_is_transient_and_zalo_codes_go_to_the_table() {
        let ok = reqwest::StatusCode::OK;
        assert_eq!(
            read_answer(ok, answer(-201)),
            Answer::Zalo(-201, String::new())
        );
        assert!(matches!(
            read_answer(reqwest::StatusCode::BAD_GATEWAY, None),
            Answer::Transient(_)
        ));
        assert!(matches!(
            read_answer(reqwest::StatusCode::TOO_MANY_REQUESTS, answer(0)),
            Answer::Transient(_)
        ));
        assert!(matches!(read_answer(ok, None), Answer::Unreadable(_)));
    }
}
