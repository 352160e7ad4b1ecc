//! Calls to the Zalo OA API: replies through `v3.0/oa/message/cs`, and
//! downloading the photos users send.
use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;
use serde_json::json;

use super::Zalo;
use super::event::ZaloInput;
use crate::bot::Speaker;
use crate::channels::attachment;
use crate::channels::outgoing::{compose, numbered};
use crate::channels::split::{ZALO_MAX_CHARS, split_message};
use crate::conversation::{Input, Reply};
use crate::privacy::metadata::MAX_ATTACHMENT_BYTES;

/// Attempts for a retryable failure (network, 5xx, rate limit), with doubling backoff.
const SEND_ATTEMPTS: u32 = 4;

/// How Zalo answered one send.
#[derive(Debug, PartialEq)]
enum Sent {
    Ok,
    /// The access token was refused: refresh it, then try again once.
    TokenInvalid,
    /// The user is outside the window in which an OA may message them.
    OutsideWindow,
    Retryable(String),
    Failed(String),
}

#[derive(Deserialize)]
struct ApiAnswer {
    #[serde(default)]
    error: i64,
    #[serde(default)]
    message: String,
}

fn classify(status: reqwest::StatusCode, answer: Option<ApiAnswer>) -> Sent {
    if status.is_server_error() || status == reqwest::StatusCode::TOO_MANY_REQUESTS {
        return Sent::Retryable(format!("HTTP {status}"));
    }
    let Some(a) = answer else {
        return Sent::Failed(format!("HTTP {status}, unreadable answer"));
    };
    match a.error {
        0 => Sent::Ok,
        -216 | -124 | -220 => Sent::TokenInvalid,
        // -213: no interaction within the window, -201: not a follower / blocked, -230: 7-day rule.
        -213 | -201 | -230 => Sent::OutsideWindow,
        // -32: rate limit; -1 / -500: Zalo's own transient failures.
        -32 | -1 | -500 => Sent::Retryable(format!("Zalo error {}", a.error)),
        code => Sent::Failed(format!("Zalo error {code}: {}", a.message)),
    }
}

pub(super) async fn send_replies(z: &Arc<Zalo>, user: &str, replies: &[Reply]) {
    for out in compose(replies, ZALO_MAX_CHARS) {
        // Numbered options can push a message over the limit: split again at line breaks.
        for text in split_message(&numbered(&out.text, &out.options), ZALO_MAX_CHARS) {
            if !send_text(z, user, &text).await {
                return; // later parts would arrive out of context
            }
        }
    }
}

/// Sends one text; false when it could not be delivered.
async fn send_text(z: &Arc<Zalo>, user: &str, text: &str) -> bool {
    let mut delay = Duration::from_millis(500);
    let mut refreshed = false;
    let mut attempt = 1;
    loop {
        let Some(token) = z.tokens.access_token(z).await else {
            tracing::error!("no Zalo access token: reply not sent");
            return false;
        };
        match post_cs(z, &token, user, text).await {
            Sent::Ok => return true,
            Sent::TokenInvalid if !refreshed => {
                refreshed = true;
                z.tokens.refresh_after_rejection(z, &token).await;
            }
            Sent::TokenInvalid => {
                tracing::error!("Zalo refused a freshly refreshed access token: reply not sent");
                return false;
            }
            Sent::OutsideWindow => {
                tracing::warn!(
                    "Zalo reply undeliverable: the user is outside the OA interaction window"
                );
                return false;
            }
            Sent::Retryable(why) if attempt < SEND_ATTEMPTS => {
                tracing::warn!(reason = %why, attempt, retry_in = ?delay, "Zalo send failed; retrying");
                tokio::time::sleep(delay).await;
                delay *= 2;
                attempt += 1;
            }
            Sent::Retryable(why) | Sent::Failed(why) => {
                tracing::error!(reason = %why, "Zalo reply not sent");
                return false;
            }
        }
    }
}

async fn post_cs(z: &Zalo, token: &str, user: &str, text: &str) -> Sent {
    let body = json!({ "recipient": { "user_id": user }, "message": { "text": text } });
    let url = format!("{}/v3.0/oa/message/cs", z.settings.api_base);
    match z
        .http
        .post(url)
        .header("access_token", token)
        .json(&body)
        .send()
        .await
    {
        Ok(resp) => {
            let status = resp.status();
            let answer = resp.json::<ApiAnswer>().await.ok();
            classify(status, answer)
        }
        // Without the URL: it is not secret, but keep log lines short and uniform.
        Err(e) => Sent::Retryable(format!("network error: {}", e.without_url())),
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
            if !attachment::expected(&z.app, speaker).await {
                return attachment::unsupported(); // the engine answers "not now"
            }
            if size.is_some_and(|s| s as usize > MAX_ATTACHMENT_BYTES) {
                return attachment::too_large();
            }
            match download(z, &url).await {
                Ok(bytes) => attachment::accept(&z.app, speaker, bytes, now).await,
                Err(Download::TooLarge) => attachment::too_large(),
                Err(Download::Failed(why)) => {
                    tracing::warn!(reason = %why, "Zalo attachment download failed");
                    attachment::rejected("error-try-again")
                }
            }
        }
    }
}

enum Download {
    TooLarge,
    Failed(String),
}

/// Streams a file into memory, stopping as soon as it passes the size limit.
async fn download(z: &Zalo, url: &str) -> Result<Vec<u8>, Download> {
    let parsed = reqwest::Url::parse(url).map_err(|_| Download::Failed("not a URL".into()))?;
    if !matches!(parsed.scheme(), "https" | "http") {
        return Err(Download::Failed("not an http(s) URL".into()));
    }
    let mut resp = z
        .http
        .get(parsed)
        .send()
        .await
        .map_err(|e| Download::Failed(e.without_url().to_string()))?;
    if !resp.status().is_success() {
        return Err(Download::Failed(format!("HTTP {}", resp.status())));
    }
    if resp
        .content_length()
        .is_some_and(|n| n as usize > MAX_ATTACHMENT_BYTES)
    {
        return Err(Download::TooLarge);
    }
    let mut buf = Vec::new();
    while let Some(chunk) = resp
        .chunk()
        .await
        .map_err(|e| Download::Failed(e.without_url().to_string()))?
    {
        if buf.len() + chunk.len() > MAX_ATTACHMENT_BYTES {
            return Err(Download::TooLarge);
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(buf)
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
    fn zalo_errors_are_sorted_into_what_to_do() {
        let ok = reqwest::StatusCode::OK;
        assert_eq!(classify(ok, answer(0)), Sent::Ok);
        assert_eq!(classify(ok, answer(-216)), Sent::TokenInvalid);
        assert_eq!(classify(ok, answer(-230)), Sent::OutsideWindow);
        assert!(matches!(classify(ok, answer(-32)), Sent::Retryable(_)));
        assert!(matches!(
            classify(reqwest::StatusCode::BAD_GATEWAY, None),
            Sent::Retryable(_)
        ));
        assert!(matches!(classify(ok, answer(-100)), Sent::Failed(_)));
    }
}
