//! Security headers on every dashboard response, and the CSRF check on every
//! form post: one middleware, so no handler can forget it.
use std::sync::Arc;

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

use super::cookies;
use super::layout::bare_page;
use crate::app::AppState;

/// Forms are small; anything bigger than this is not one of ours.
const MAX_FORM_BYTES: usize = 256 * 1024;

/// No inline script or style, no framing, no referrer, no sniffing. app.js
/// may read our own pages (live updates), nothing else.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; \
    frame-ancestors 'none'; base-uri 'none'";

pub async fn headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    res
}

/// Every POST must carry the `csrf` field: the session's token, or for the
/// login form the double-submit cookie's value. Compared in constant time.
pub async fn csrf_guard(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    if req.method() != Method::POST {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_FORM_BYTES).await else {
        return (StatusCode::PAYLOAD_TOO_LARGE, "form too large").into_response();
    };
    let sent = form_field(&bytes, "csrf");
    let session_cookie = cookies::get(&parts.headers, cookies::SESSION);
    let expected = if parts.uri.path() == "/login" {
        cookies::get(&parts.headers, cookies::LOGIN_CSRF)
    } else {
        match &session_cookie {
            Some(token) => state
                .store
                .web_session(&super::auth::token_hash(token))
                .await
                .ok()
                .flatten()
                .map(|s| s.csrf_token),
            None => None,
        }
    };
    // A form sent after the session ended: sign in again and come back to
    // the page (app.js kept what was typed). Not a forgery: nothing happens.
    if expected.is_none() && session_cookie.is_some() && parts.uri.path() != "/login" {
        let next = super::auth::return_path(&parts.method, &parts.uri);
        return Redirect::to(&super::auth::login_url(&next, true)).into_response();
    }
    let ok = matches!((&sent, &expected), (Some(s), Some(e)) if !e.is_empty() && constant_time_eq(s.as_bytes(), e.as_bytes()));
    if !ok {
        tracing::warn!(
            path = parts.uri.path(),
            "form rejected: missing or wrong CSRF token"
        );
        let page = bare_page(
            "403",
            "Biểu mẫu đã hết hạn hoặc không hợp lệ. Hãy tải lại trang và thử lại.",
            "This form has expired or is invalid. Reload the page and try again.",
        );
        return (StatusCode::FORBIDDEN, page).into_response();
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

fn form_field(body: &[u8], name: &str) -> Option<String> {
    form_urlencoded::parse(body)
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
