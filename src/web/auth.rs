//! Who is asking: the session cookie becomes a [`Viewer`] (or a redirect to the
//! login page), and the login form with its throttle and optional TOTP.
use std::sync::Arc;

use axum::extract::{FromRequestParts, Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, extract::OriginalUri};
use rand::RngCore;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::layout::{Ctx, login_view};
use super::login_guard::{ClientAddr, LoginGuard, client_bucket};
use super::{WebResult, WebSettings, cookies, password};
use crate::app::AppState;
use crate::bot::now_ms;
use crate::i18n::Lang;
use crate::storage::dashboard::{NewAudit, Scope};
use crate::storage::officers::{Officer, Role};
use crate::storage::units::SETTING_REQUIRE_TOTP;

/// Writes to `last_seen_at` are spaced out; idle expiry does not need more precision.
const TOUCH_EVERY_MS: i64 = 60_000;

/// The signed-in officer, their scope, and this session's CSRF token.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub officer: Officer,
    pub scope: Scope,
    pub csrf: String,
    pub flash: Option<String>,
    pub settings: WebSettings,
}

impl Viewer {
    pub fn is_admin(&self) -> bool {
        self.officer.role == Role::Admin
    }

    pub fn can_audit(&self) -> bool {
        self.officer.role.leads() || self.officer.role == Role::National
    }

    pub fn lang(&self) -> Lang {
        self.officer.lang
    }

    pub fn audit<'a>(
        &'a self,
        unit: &'a str,
        tip: Option<(i64, &'a str)>,
        action: &'a str,
        detail: &'a str,
    ) -> NewAudit<'a> {
        NewAudit {
            officer_id: self.officer.id,
            username: &self.officer.username,
            unit,
            tip_id: tip.map(|t| t.0),
            tip_reference: tip.map(|t| t.1),
            action,
            detail,
        }
    }
}

/// Not signed in (or expired): pages go to the login form, which brings the
/// officer back to where they were. A form posted after expiry comes back
/// to the page the form was on (app.js keeps what was typed).
pub enum LoginRequired {
    /// Two-factor sign-in is required and not set up yet.
    TotpSetup,
    Login {
        next: String,
        expired: bool,
    },
}

impl IntoResponse for LoginRequired {
    fn into_response(self) -> Response {
        match self {
            LoginRequired::TotpSetup => Redirect::to("/account?setup=totp").into_response(),
            LoginRequired::Login { next, expired } => {
                Redirect::to(&login_url(&next, expired)).into_response()
            }
        }
    }
}

/// `/login?next=...&expired=1`.
pub fn login_url(next: &str, expired: bool) -> String {
    let mut ser = form_urlencoded::Serializer::new(String::new());
    if next != "/queue" {
        ser.append_pair("next", next);
    }
    if expired {
        ser.append_pair("expired", "1");
    }
    let q = ser.finish();
    if q.is_empty() {
        "/login".into()
    } else {
        format!("/login?{q}")
    }
}

/// The page to return to after signing in: a GET's own path and query; for
/// a form post, the page it was posted from (a tip's page, else the queue).
pub fn return_path(method: &axum::http::Method, uri: &axum::http::Uri) -> String {
    let path = uri.path();
    if method == axum::http::Method::GET {
        return safe_next(
            &uri.path_and_query()
                .map_or(path.to_string(), |p| p.to_string()),
        );
    }
    match path
        .strip_prefix("/tips/")
        .and_then(|r| r.split('/').next())
    {
        Some(id) if id.parse::<i64>().is_ok() => format!("/tips/{id}"),
        _ => "/queue".into(),
    }
}

/// A return path we are willing to redirect to: one of our own pages.
pub fn safe_next(next: &str) -> String {
    let ok = [
        "/queue",
        "/tips/",
        "/stats",
        "/audit",
        "/campaigns",
        "/admin",
        "/account",
    ]
    .iter()
    .any(|p| next.starts_with(p))
        && !next.contains("//")
        && !next.contains('\\')
        && next.bytes().all(|b| b.is_ascii_graphic());
    if ok {
        next.to_string()
    } else {
        "/queue".into()
    }
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub fn random_token() -> String {
    let mut b = [0u8; 32];
    rand::rng().fill_bytes(&mut b);
    hex::encode(b)
}

impl FromRequestParts<Arc<AppState>> for Viewer {
    type Rejection = LoginRequired;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Self::Rejection> {
        let settings = WebSettings::from_state(state);
        let original = parts
            .extensions
            .get::<OriginalUri>()
            .map_or(parts.uri.clone(), |u| u.0.clone());
        let next = return_path(&parts.method, &original);
        let login = |expired| LoginRequired::Login {
            next: next.clone(),
            expired,
        };
        let token = cookies::get(&parts.headers, cookies::SESSION).ok_or_else(|| login(false))?;
        let hash = token_hash(&token);
        let session = state
            .store
            .web_session(&hash)
            .await
            .ok()
            .flatten()
            .ok_or_else(|| login(true))?;
        let now = now_ms();
        let idle = now - session.last_seen_at > settings.idle_minutes * 60_000;
        // An absolute lifetime too: a stolen cookie kept busy still expires.
        let too_old = now - session.created_at > settings.session_max_hours * 3_600_000;
        if session.officer.disabled || idle || too_old {
            let _ = state.store.delete_web_session(&hash).await;
            return Err(login(!session.officer.disabled));
        }
        if now - session.last_seen_at > TOUCH_EVERY_MS {
            let _ = state.store.touch_web_session(&hash, now).await;
        }
        // When an admin requires two-factor login, an account without it may
        // only reach the page where it is set up.
        let path = original.path();
        if !session.officer.totp_enabled && !path.starts_with("/account") && path != "/logout" {
            let required = state
                .store
                .setting(SETTING_REQUIRE_TOTP)
                .await
                .ok()
                .flatten()
                .is_some_and(|v| v == "1");
            if required {
                return Err(LoginRequired::TotpSetup);
            }
        }
        let scope = Scope::of(session.officer.role, &session.officer.unit);
        let flash =
            cookies::get(&parts.headers, cookies::FLASH).filter(|k| cookies::valid_flash(k));
        Ok(Viewer {
            officer: session.officer,
            scope,
            csrf: session.csrf_token,
            flash,
            settings,
        })
    }
}

#[derive(Debug, Deserialize)]
pub struct LangQuery {
    pub lang: Option<String>,
    /// Where to go after signing in.
    pub next: Option<String>,
    /// Set when the session ended: the page says so.
    pub expired: Option<String>,
}

/// The login form. A fresh double-submit token is set with every display.
pub async fn login_page(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Query(q): Query<LangQuery>,
) -> Response {
    let lang = login_lang(&headers, q.lang.as_deref());
    let next = safe_next(q.next.as_deref().unwrap_or("/queue"));
    let notice = q.expired.is_some().then_some("login-expired");
    let view = LoginView {
        error: notice,
        next: &next,
    };
    login_response(&state, lang, view, StatusCode::OK, q.lang.is_some())
}

/// What the login form shows besides its fields.
pub struct LoginView<'a> {
    /// A message key (a refusal, or "your session expired").
    pub error: Option<&'a str>,
    /// The page to return to.
    pub next: &'a str,
}

fn login_lang(headers: &HeaderMap, query: Option<&str>) -> Lang {
    query
        .and_then(Lang::parse)
        .or_else(|| {
            cookies::get(headers, cookies::LANG)
                .as_deref()
                .and_then(Lang::parse)
        })
        .unwrap_or_default()
}

fn login_response(
    state: &AppState,
    lang: Lang,
    view: LoginView<'_>,
    status: StatusCode,
    remember_lang: bool,
) -> Response {
    let secure = WebSettings::from_state(state).secure_cookies;
    let csrf = random_token();
    let ctx = Ctx::anonymous(&state.i18n, lang);
    let mut res = (status, login_view(&ctx, &csrf, view.error, view.next)).into_response();
    let h = res.headers_mut();
    if let Ok(v) = cookies::set(cookies::LOGIN_CSRF, &csrf, Some(3600), secure).parse() {
        h.append(SET_COOKIE, v);
    }
    if remember_lang
        && let Ok(v) = cookies::set(cookies::LANG, lang.code(), Some(365 * 86_400), secure).parse()
    {
        h.append(SET_COOKIE, v);
    }
    res
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    pub username: String,
    pub password: String,
    #[serde(default)]
    pub totp: String,
    #[serde(default)]
    pub next: String,
}

pub async fn login(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    ClientAddr(peer): ClientAddr,
    Form(form): Form<LoginForm>,
) -> WebResult<Response> {
    let settings = WebSettings::from_state(&state);
    let lang = login_lang(&headers, None);
    let now = now_ms();
    let client = client_bucket(&headers, peer, settings.trust_proxy);
    let username = form.username.trim();
    let guard = LoginGuard::new(&state, &settings, username, &client, now);
    if !guard.admit().await? {
        tracing::warn!("login refused: backing off after recent attempts");
        return Ok(login_response(
            &state,
            lang,
            LoginView {
                error: Some("login-throttled"),
                next: &safe_next(&form.next),
            },
            StatusCode::TOO_MANY_REQUESTS,
            false,
        ));
    }
    let Some(officer) = authenticate(&state, username, &form).await? else {
        return Ok(login_response(
            &state,
            lang,
            LoginView {
                error: Some("login-failed"),
                next: &safe_next(&form.next),
            },
            StatusCode::UNAUTHORIZED,
            false,
        ));
    };
    guard.succeeded().await?;
    let next = safe_next(&form.next);
    start_session(&state, &officer, settings.secure_cookies, now, &next).await
}

/// The active account whose password (and TOTP code, if enrolled) match.
/// Unknown and disabled accounts cost the same argon2 work as real ones, and
/// a TOTP code is accepted only once (its time step is claimed atomically).
async fn authenticate(
    state: &AppState,
    username: &str,
    form: &LoginForm,
) -> WebResult<Option<Officer>> {
    let found = state.store.officer_for_login(username).await?;
    let hash = found
        .as_ref()
        .map_or(password::DUMMY_HASH, |(_, h)| h.as_str());
    let password_ok = password::verify_gated(state, &form.password, hash).await;
    let Some((officer, _)) = found else {
        return Ok(None);
    };
    if !password_ok || officer.disabled {
        return Ok(None);
    }
    if !officer.totp_enabled {
        return Ok(Some(officer));
    }
    let step = officer
        .totp_secret
        .as_deref()
        .and_then(|s| password::totp_step(s, form.totp.trim(), now_ms()));
    Ok(match step {
        Some(step) if state.store.claim_totp_step(officer.id, step).await? => Some(officer),
        _ => None,
    })
}

/// A new session for a signed-in officer: stored, audited, set as a cookie.
async fn start_session(
    state: &AppState,
    officer: &Officer,
    secure_cookies: bool,
    now: i64,
    next: &str,
) -> WebResult<Response> {
    let token = random_token();
    state
        .store
        .create_web_session(&token_hash(&token), officer.id, &random_token(), now)
        .await?;
    let entry = NewAudit {
        officer_id: officer.id,
        username: &officer.username,
        unit: &officer.unit,
        tip_id: None,
        tip_reference: None,
        action: "login",
        detail: "",
    };
    state.store.audit(&entry, now).await?;
    let mut res = Redirect::to(next).into_response();
    let h = res.headers_mut();
    if let Ok(v) = cookies::set(cookies::SESSION, &token, None, secure_cookies).parse() {
        h.append(SET_COOKIE, v);
    }
    if let Ok(v) = cookies::clear(cookies::LOGIN_CSRF, secure_cookies).parse() {
        h.append(SET_COOKIE, v);
    }
    Ok(res)
}

pub async fn logout(State(state): State<Arc<AppState>>, headers: HeaderMap) -> WebResult<Response> {
    let secure = WebSettings::from_state(&state).secure_cookies;
    if let Some(token) = cookies::get(&headers, cookies::SESSION) {
        state.store.delete_web_session(&token_hash(&token)).await?;
    }
    let mut res = Redirect::to("/login").into_response();
    if let Ok(v) = cookies::clear(cookies::SESSION, secure).parse() {
        res.headers_mut().append(SET_COOKIE, v);
    }
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn return_paths_stay_on_our_pages() {
        assert_eq!(safe_next("/tips/12"), "/tips/12");
        assert_eq!(safe_next("/queue?status=closed"), "/queue?status=closed");
        assert_eq!(safe_next("//evil.example/queue"), "/queue");
        assert_eq!(safe_next("https://evil.example"), "/queue");
        assert_eq!(safe_next("/tips/1/../..//x"), "/queue");
        let post = axum::http::Method::POST;
        let uri: axum::http::Uri = "/tips/7/reply".parse().unwrap();
        assert_eq!(return_path(&post, &uri), "/tips/7");
        assert_eq!(
            login_url("/tips/7", true),
            "/login?next=%2Ftips%2F7&expired=1"
        );
        assert_eq!(login_url("/queue", false), "/login");
    }
}
