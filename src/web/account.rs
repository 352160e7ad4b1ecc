//! The officer's own account: language, password, and TOTP set-up.
use std::sync::Arc;

use axum::Form;
use axum::extract::{Query, State};
use axum::response::Response;
use maud::html;
use serde::Deserialize;

use super::auth::Viewer;
use super::cookies::redirect_with_flash;
use super::labels::Label;
use super::layout::{Ctx, shell};
use super::{WebResult, password};
use crate::app::AppState;
use crate::bot::now_ms;
use crate::i18n::Lang;
use crate::storage::units::SETTING_REQUIRE_TOTP;

#[derive(Debug, Default, Deserialize)]
pub struct AccountQuery {
    setup: Option<String>,
}

pub async fn page_handler_view(
    state: &AppState,
    viewer: &Viewer,
    setup_required: bool,
) -> WebResult<Response> {
    let ctx = Ctx::new(&state.i18n, viewer);
    let o = &viewer.officer;
    let pending = o.totp_secret.as_deref().filter(|_| !o.totp_enabled);
    let required = state
        .store
        .setting(SETTING_REQUIRE_TOTP)
        .await?
        .is_some_and(|v| v == "1");
    let title = ctx.t("account-title");
    let body = html! {
        h1 { (title) }
        @if setup_required && !o.totp_enabled { p.error role="alert" { (ctx.t("account-totp-required")) } }
        p { (o.username) " · " span.mono { (o.unit) } " · " (ctx.t(o.role.label_key())) }
        section {
            h2 { (ctx.t("account-totp")) }
            @if o.totp_enabled {
                p { (ctx.t("account-totp-on")) }
                @if !required {
                    form method="post" action="/account/totp/disable" data-confirm=(ctx.t("account-totp-disable-confirm")) {
                        (ctx.csrf())
                        label { (ctx.t("account-current-password")) input name="password" type="password" autocomplete="current-password" required; }
                        label { (ctx.t("login-totp")) input name="code" inputmode="numeric" pattern="[0-9]{6}" maxlength="6" required; }
                        button.secondary type="submit" { (ctx.t("account-totp-disable")) }
                    }
                }
            } @else if let Some(secret) = pending {
                p { (ctx.t("account-totp-scan")) }
                p.mono.secret { (secret) }
                p.mono.small { (password::otpauth_uri(secret, &o.username)) }
                form.row method="post" action="/account/totp/confirm" {
                    (ctx.csrf())
                    input name="code" inputmode="numeric" pattern="[0-9]{6}" maxlength="6" required aria-label=(ctx.t("login-totp")) placeholder="123456";
                    button type="submit" { (ctx.t("account-totp-confirm")) }
                }
            } @else {
                p { (ctx.t("account-totp-off")) }
                form method="post" action="/account/totp/start" {
                    (ctx.csrf())
                    label { (ctx.t("account-current-password")) input name="password" type="password" autocomplete="current-password" required; }
                    button type="submit" { (ctx.t("account-totp-start")) }
                }
            }
        }
        section {
            h2 { (ctx.t("account-password")) }
            form.stack method="post" action="/account/password" {
                (ctx.csrf())
                label { (ctx.t("account-current-password")) input name="current" type="password" autocomplete="current-password" required; }
                label { (ctx.t("account-new-password")) input name="new" type="password" autocomplete="new-password" required minlength=(password::MIN_PASSWORD_CHARS); }
                button type="submit" { (ctx.t("account-password-change")) }
            }
        }
    };
    Ok(shell(&ctx, &title, "account", None, body))
}

pub async fn page(
    State(state): State<Arc<AppState>>,
    viewer: Viewer,
    Query(q): Query<AccountQuery>,
) -> WebResult<Response> {
    page_handler_view(&state, &viewer, q.setup.as_deref() == Some("totp")).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LangForm {
    lang: String,
}

pub async fn set_lang(
    State(state): State<Arc<AppState>>,
    viewer: Viewer,
    Form(f): Form<LangForm>,
) -> WebResult<Response> {
    let lang = Lang::parse(&f.lang).unwrap_or_default();
    state
        .store
        .set_officer_lang(viewer.officer.id, lang)
        .await?;
    Ok(redirect_with_flash(
        "/queue",
        "flash-language",
        viewer.settings.secure_cookies,
    ))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PasswordForm {
    current: String,
    new: String,
}

/// Changing the password ends every session, this one included: sign in again.
pub async fn change_password(
    State(state): State<Arc<AppState>>,
    viewer: Viewer,
    Form(f): Form<PasswordForm>,
) -> WebResult<Response> {
    let secure = viewer.settings.secure_cookies;
    let Some((_, hash)) = state
        .store
        .officer_for_login(&viewer.officer.username)
        .await?
    else {
        return Ok(redirect_with_flash("/login", "flash-saved", secure));
    };
    if !password::verify_gated(&state, &f.current, &hash).await {
        return Ok(redirect_with_flash(
            "/account",
            "flash-error-current-password",
            secure,
        ));
    }
    if password::weakness(&f.new).is_some() {
        return Ok(redirect_with_flash(
            "/account",
            "flash-error-password",
            secure,
        ));
    }
    let new_hash = password::hash(&f.new).map_err(|_| super::WebError::BadRequest)?;
    let now = now_ms();
    state
        .store
        .set_officer_password(viewer.officer.id, &new_hash, now)
        .await?;
    state
        .store
        .audit(
            &viewer.audit(&viewer.officer.unit, None, "password-change", ""),
            now,
        )
        .await?;
    Ok(redirect_with_flash(
        "/login",
        "flash-password-changed",
        secure,
    ))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ProofForm {
    password: String,
    code: String,
}

/// Enrolling needs the password, so a borrowed unlocked session cannot bind
/// someone else's authenticator to the account.
pub async fn totp_start(
    State(state): State<Arc<AppState>>,
    viewer: Viewer,
    Form(f): Form<ProofForm>,
) -> WebResult<Response> {
    let secure = viewer.settings.secure_cookies;
    if let Err(flash) = prove_identity(&state, &viewer, &f.password, None).await? {
        return Ok(redirect_with_flash("/account", flash, secure));
    }
    if !viewer.officer.totp_enabled {
        state
            .store
            .set_officer_totp(
                viewer.officer.id,
                Some(&password::new_totp_secret()),
                false,
                now_ms(),
            )
            .await?;
    }
    Ok(redirect_with_flash(
        "/account",
        "flash-totp-started",
        secure,
    ))
}

/// Checks the viewer's password and, when `code` is given, claims a fresh TOTP
/// step; on failure returns the flash key that says which one was wrong.
async fn prove_identity(
    state: &AppState,
    viewer: &Viewer,
    given_password: &str,
    code: Option<&str>,
) -> WebResult<Result<(), &'static str>> {
    let hash = state
        .store
        .officer_for_login(&viewer.officer.username)
        .await?
        .map(|(_, h)| h);
    let hash = hash.as_deref().unwrap_or(password::DUMMY_HASH);
    if !password::verify_gated(state, given_password, hash).await {
        return Ok(Err("flash-error-current-password"));
    }
    let Some(code) = code else {
        return Ok(Ok(()));
    };
    let step = viewer
        .officer
        .totp_secret
        .as_deref()
        .and_then(|s| password::totp_step(s, code.trim(), now_ms()));
    Ok(match step {
        Some(step) if state.store.claim_totp_step(viewer.officer.id, step).await? => Ok(()),
        _ => Err("flash-error-totp"),
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CodeForm {
    code: String,
}

pub async fn totp_confirm(
    State(state): State<Arc<AppState>>,
    viewer: Viewer,
    Form(f): Form<CodeForm>,
) -> WebResult<Response> {
    let secure = viewer.settings.secure_cookies;
    let Some(secret) = viewer.officer.totp_secret.as_deref() else {
        return Ok(redirect_with_flash(
            "/account",
            "flash-error-invalid",
            secure,
        ));
    };
    let step = password::totp_step(secret, f.code.trim(), now_ms());
    let claimed = match step {
        Some(step) => state.store.claim_totp_step(viewer.officer.id, step).await?,
        None => false,
    };
    if !claimed {
        return Ok(redirect_with_flash("/account", "flash-error-totp", secure));
    }
    switch_totp(&state, &viewer, Some(secret), "totp-enable").await?;
    Ok(redirect_with_flash("/queue", "flash-totp-enabled", secure))
}

/// Turning two-step sign-in off needs the password and a current code, and
/// ends the account's other sessions.
pub async fn totp_disable(
    State(state): State<Arc<AppState>>,
    viewer: Viewer,
    Form(f): Form<ProofForm>,
) -> WebResult<Response> {
    let secure = viewer.settings.secure_cookies;
    if state
        .store
        .setting(SETTING_REQUIRE_TOTP)
        .await?
        .is_some_and(|v| v == "1")
    {
        return Ok(redirect_with_flash(
            "/account",
            "flash-error-totp-required",
            secure,
        ));
    }
    if let Err(flash) = prove_identity(&state, &viewer, &f.password, Some(&f.code)).await? {
        return Ok(redirect_with_flash("/account", flash, secure));
    }
    switch_totp(&state, &viewer, None, "totp-disable").await?;
    Ok(redirect_with_flash("/account", "flash-saved", secure))
}

/// Stores the new two-step state (a secret turns it on), ends the account's
/// other sessions, and audits the change.
async fn switch_totp(
    state: &AppState,
    viewer: &Viewer,
    secret: Option<&str>,
    audit_action: &str,
) -> WebResult<()> {
    let now = now_ms();
    let store = &state.store;
    let officer = viewer.officer.id;
    store
        .set_officer_totp(officer, secret, secret.is_some(), now)
        .await?;
    store.end_other_web_sessions(officer, &viewer.csrf).await?;
    let entry = viewer.audit(&viewer.officer.unit, None, audit_action, "");
    store.audit(&entry, now).await?;
    Ok(())
}
