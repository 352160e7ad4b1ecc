//! Reading and writing the dashboard's cookies. All are HttpOnly and
//! SameSite=Strict, and Secure when the dashboard is served over https.
use axum::http::HeaderMap;
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::response::{IntoResponse, Redirect, Response};

/// The session token (random; only its hash is stored).
pub const SESSION: &str = "tl_session";
/// The login form's double-submit CSRF token (there is no session yet).
pub const LOGIN_CSRF: &str = "tl_login";
/// A one-shot message key shown after a redirect.
pub const FLASH: &str = "tl_flash";
/// The language chosen on the login page, before anyone is signed in.
pub const LANG: &str = "tl_lang";

pub fn get(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// A `Set-Cookie` value; `max_age` None makes a browser-session cookie.
pub fn set(name: &str, value: &str, max_age: Option<i64>, secure: bool) -> String {
    let mut c = format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict");
    if let Some(s) = max_age {
        c.push_str(&format!("; Max-Age={s}"));
    }
    if secure {
        c.push_str("; Secure");
    }
    c
}

pub fn clear(name: &str, secure: bool) -> String {
    set(name, "", Some(0), secure)
}

/// Redirects (303) and leaves a message key for the next page.
pub fn redirect_with_flash(to: &str, flash_key: &str, secure: bool) -> Response {
    let mut r = Redirect::to(to).into_response();
    if let Ok(v) = set(FLASH, flash_key, Some(120), secure).parse() {
        r.headers_mut().append(SET_COOKIE, v);
    }
    r
}

/// Flash keys are message keys we set ourselves; anything else is ignored.
pub fn valid_flash(key: &str) -> bool {
    key.starts_with("flash-")
        && key.len() < 64
        && key.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
}
