//! The chat API the page talks to (same origin as the page, so no CORS):
//! open a conversation, send a message or a button press, send a photo,
//! and long-poll for replies. The token travels in `Authorization: Bearer`,
//! never in a URL; errors are JSON in the language the page asks for.
use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::body::{Body, HttpBody};
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

use super::WebChat;
use super::errors::ApiError;
use super::outbox::Message;
use super::token::Token;
use crate::conversation::Input;
use crate::i18n::Lang;
use crate::privacy::metadata::MAX_ATTACHMENT_BYTES;
use crate::web::login_guard::{ClientAddr, client_bucket};

/// A message body is a few fields; anything bigger is not one of ours.
const MAX_JSON_BYTES: usize = 32 * 1024;
/// Characters in one typed message (a description may be 3,000).
pub const MAX_TEXT_CHARS: usize = 4000;
/// A button id the engine made is short.
const MAX_CHOICE_BYTES: usize = 200;
/// The longest a reply poll waits before answering "nothing yet".
const POLL_WAIT: Duration = Duration::from_secs(25);
/// Message numbers stay within what JavaScript counts exactly.
const MAX_SEQ: u64 = (1 << 53) - 1;
/// An oversized body up to this size is read to its end (and dropped)
/// before the refusal, so the browser, still sending, gets the JSON answer
/// instead of a reset connection. The rest of the server takes 16 MiB too.
const DRAIN_BYTES: usize = 16 * 1024 * 1024;

/// What the input is waiting for before the engine can see it.
pub(super) enum Pending {
    Ready(Input),
    Photo(Vec<u8>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SendBody {
    seq: u64,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    choice: Option<String>,
}

/// The page's language (it sends `Accept-Language: vi` or `en`); Vietnamese otherwise.
pub(super) fn lang_of(headers: &HeaderMap) -> Lang {
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split([',', ';']).next())
        .and_then(Lang::parse)
        .unwrap_or_default()
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
}

fn answer(w: &WebChat, lang: Lang, result: Result<Response, ApiError>) -> Response {
    result.unwrap_or_else(|e| e.respond(&w.app.i18n, lang))
}

/// `POST /chat/api/session`: a new conversation token. Counted per client
/// bucket in memory only (see `issuing`).
pub async fn session(
    State(w): State<Arc<WebChat>>,
    ClientAddr(peer): ClientAddr,
    headers: HeaderMap,
) -> Response {
    let lang = lang_of(&headers);
    let trust_proxy = w.app.config.web.trust_proxy;
    let bucket = client_bucket(&headers, peer, trust_proxy);
    let day = crate::bot::now_ms() / 86_400_000;
    let key = w.app.secret.daily_key("web-chat-new", &bucket, day);
    if !w.issuing.admit(key) {
        return ApiError::TooManyNew.respond(&w.app.i18n, lang);
    }
    (
        StatusCode::CREATED,
        Json(json!({ "token": w.tokens.issue() })),
    )
        .into_response()
}

fn verify(w: &WebChat, headers: &HeaderMap) -> Result<Token, ApiError> {
    Ok(w.tokens.verify(&w.app.secret, bearer(headers))?)
}

/// `POST /chat/api/messages` with `{"seq": n, "text": "..."}` or
/// `{"seq": n, "choice": "id"}`. Answers once the step is committed.
pub async fn send(State(w): State<Arc<WebChat>>, headers: HeaderMap, body: Body) -> Response {
    let lang = lang_of(&headers);
    let result = send_inner(&w, &headers, body, lang).await;
    answer(&w, lang, result)
}

async fn send_inner(
    w: &Arc<WebChat>,
    headers: &HeaderMap,
    body: Body,
    lang: Lang,
) -> Result<Response, ApiError> {
    let token = verify(w, headers)?;
    let bytes = read_capped(body, MAX_JSON_BYTES)
        .await
        .ok_or(ApiError::TooLong)?;
    let msg: SendBody = serde_json::from_slice(&bytes).map_err(|_| ApiError::BadJson)?;
    let input = match (msg.text, msg.choice) {
        (Some(t), None) if t.trim().is_empty() => return Err(ApiError::Empty),
        (Some(t), None) if t.chars().count() > MAX_TEXT_CHARS => return Err(ApiError::TooLong),
        (Some(t), None) => Input::Text(t),
        (None, Some(c)) if c.is_empty() => return Err(ApiError::Empty),
        (None, Some(c)) if c.len() > MAX_CHOICE_BYTES => return Err(ApiError::BadRequest),
        (None, Some(c)) => Input::Choice(c),
        (None, None) => return Err(ApiError::Empty),
        (Some(_), Some(_)) => return Err(ApiError::BadRequest),
    };
    let seq = checked_seq(msg.seq)?;
    w.outboxes.admit(&token.id, seq)?;
    w.step(token, seq, Pending::Ready(input), lang).await;
    Ok(accepted(seq))
}

/// The body if it is at most `max` bytes; None if longer (read on up to
/// [`DRAIN_BYTES`], see there) or cut off.
async fn read_capped(mut body: Body, max: usize) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut seen = 0usize;
    while let Some(frame) =
        std::future::poll_fn(|cx| std::pin::Pin::new(&mut body).poll_frame(cx)).await
    {
        let Ok(data) = frame.ok()?.into_data() else {
            continue; // trailers
        };
        seen += data.len();
        if seen > DRAIN_BYTES {
            return None;
        }
        if seen <= max {
            out.extend_from_slice(&data);
        }
    }
    (seen <= max).then_some(out)
}

fn checked_seq(seq: u64) -> Result<u64, ApiError> {
    if (1..=MAX_SEQ).contains(&seq) {
        Ok(seq)
    } else {
        Err(ApiError::BadRequest)
    }
}

fn accepted(seq: u64) -> Response {
    (StatusCode::OK, Json(json!({ "accepted": seq }))).into_response()
}

/// `POST /chat/api/photos`: the photo's bytes as the body (image/jpeg or
/// image/png), the message number in `X-Tipline-Seq`.
pub async fn photo(State(w): State<Arc<WebChat>>, headers: HeaderMap, body: Body) -> Response {
    let lang = lang_of(&headers);
    let result = photo_inner(&w, &headers, body, lang).await;
    answer(&w, lang, result)
}

async fn photo_inner(
    w: &Arc<WebChat>,
    headers: &HeaderMap,
    body: Body,
    lang: Lang,
) -> Result<Response, ApiError> {
    let token = verify(w, headers)?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !matches!(content_type, "image/jpeg" | "image/png") {
        return Err(ApiError::NotAPhoto);
    }
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > DRAIN_BYTES) {
        return Err(ApiError::PhotoTooLarge);
    }
    let seq = headers
        .get("x-tipline-seq")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .ok_or(ApiError::BadRequest)
        .and_then(checked_seq)?;
    // Read (at most the limit) before the number is taken: a cut-off upload
    // can be sent again under the same number.
    let bytes = read_capped(body, MAX_ATTACHMENT_BYTES)
        .await
        .ok_or(ApiError::PhotoTooLarge)?;
    w.outboxes.admit(&token.id, seq)?;
    w.step(token, seq, Pending::Photo(bytes), lang).await;
    Ok(accepted(seq))
}

/// `GET /chat/api/replies?after=N[&wait=S]`: the replies after N (and N
/// and before are forgotten), waiting up to S seconds (25 at most) for one.
pub async fn replies(
    State(w): State<Arc<WebChat>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let lang = lang_of(&headers);
    let result = replies_inner(&w, &headers, query.as_deref().unwrap_or("")).await;
    answer(&w, lang, result)
}

async fn replies_inner(
    w: &Arc<WebChat>,
    headers: &HeaderMap,
    query: &str,
) -> Result<Response, ApiError> {
    let token = verify(w, headers)?;
    let (after, wait) = cursor_and_wait(query)?;
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        let mut read = w.outboxes.read(&token.id, after)?;
        if !read.messages.is_empty() || read.reset {
            return Ok(batch(read.messages, after, read.reset));
        }
        tokio::select! {
            changed = read.changed.changed() => {
                if changed.is_err() {
                    return Ok(batch(Vec::new(), after, false));
                }
            }
            _ = tokio::time::sleep_until(deadline) => return Ok(batch(Vec::new(), after, false)),
            _ = w.cancel.cancelled() => return Ok(batch(Vec::new(), after, false)),
        }
    }
}

fn cursor_and_wait(query: &str) -> Result<(u64, Duration), ApiError> {
    let mut after = None;
    let mut wait = POLL_WAIT;
    for (k, v) in form_urlencoded::parse(query.as_bytes()) {
        match k.as_ref() {
            "after" => after = Some(v.parse::<u64>().map_err(|_| ApiError::BadRequest)?),
            "wait" => {
                let s = v.parse::<u64>().map_err(|_| ApiError::BadRequest)?;
                wait = Duration::from_secs(s).min(POLL_WAIT);
            }
            _ => return Err(ApiError::BadRequest),
        }
    }
    let after = after.ok_or(ApiError::BadRequest)?;
    if after > MAX_SEQ {
        return Err(ApiError::BadRequest);
    }
    Ok((after, wait))
}

fn batch(messages: Vec<Message>, after: u64, reset: bool) -> Response {
    let cursor = messages
        .last()
        .map_or(if reset { 0 } else { after }, |m| m.seq);
    Json(json!({ "messages": messages, "cursor": cursor, "reset": reset })).into_response()
}
