//! Administration (officers, units, retention, two-factor policy) and the
//! audit trail for leads and admins.
use std::sync::Arc;

use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use fluent_bundle::FluentValue;
use maud::{Markup, html};
use rand::Rng;
use serde::Deserialize;

use super::auth::Viewer;
use super::cookies::redirect_with_flash;
use super::labels::Label;
use super::layout::{Ctx, shell};
use super::officer_create::{self, AccountName, CreateOfficerError};
use super::{WebError, WebResult, password};
use crate::app::AppState;
use crate::bot::now_ms;
use crate::domain::routing::UnitCode;
use crate::storage::officers::{Officer, Role};
use crate::storage::units::{SETTING_REQUIRE_TOTP, SETTING_RETENTION_DAYS, UnitSettings};

fn require_admin(viewer: &Viewer) -> WebResult<()> {
    if viewer.is_admin() {
        Ok(())
    } else {
        Err(WebError::Forbidden)
    }
}

pub async fn page_view(
    state: &AppState,
    viewer: &Viewer,
    notice: Option<Markup>,
) -> WebResult<Response> {
    require_admin(viewer)?;
    let officers = state.store.list_officers(None).await?;
    let units = state.store.list_unit_settings().await?;
    let retention = state
        .store
        .retention_days(viewer.settings.default_retention_days)
        .await;
    let totp_required = state
        .store
        .setting(SETTING_REQUIRE_TOTP)
        .await?
        .is_some_and(|v| v == "1");
    let ctx = Ctx::new(&state.i18n, viewer);
    let title = ctx.t("admin-title");
    let body = html! {
        h1 { (title) }
        @if let Some(n) = notice { (n) }
        p { a href="/admin/help" data-tipline="help-points-link" { (ctx.t("help-points-title")) } }
        (officers_section(&ctx, viewer, &officers))
        (units_section(&ctx, &units))
        section {
            h2 { (ctx.t("admin-settings")) }
            form.stack method="post" action="/admin/settings" {
                (ctx.csrf())
                label { (ctx.t("admin-retention")) input name="retention_days" type="number" min="30" max="3650" value=(retention); }
                p.muted { (ctx.t("admin-retention-help")) }
                label.check { input type="checkbox" name="require_totp" value="1" checked[totp_required]; " " (ctx.t("admin-require-totp")) }
                button type="submit" { (ctx.t("action-save")) }
            }
        }
    };
    Ok(shell(&ctx, &title, "admin", None, body))
}

/// Every account with its controls, and the form for a new one.
fn officers_section(ctx: &Ctx<'_>, viewer: &Viewer, officers: &[Officer]) -> Markup {
    html! {
        section {
            h2 { (ctx.t("admin-officers")) }
            table.compact {
                thead { tr { th { (ctx.t("admin-username")) } th { (ctx.t("admin-unit")) } th { (ctx.t("admin-role")) } th { "TOTP" } th { (ctx.t("admin-state")) } th {} } }
                tbody {
                    @for o in officers {
                        tr {
                            td { (o.username) } td.mono { (o.unit) } td { (ctx.t(o.role.label_key())) }
                            td { (if o.totp_enabled { "✓" } else { "–" }) }
                            td { (ctx.t(if o.disabled { "admin-disabled" } else { "admin-active" })) }
                            td.row {
                                @if o.id != viewer.officer.id {
                                    form.inline method="post" action={ "/admin/officers/" (o.id) (if o.disabled { "/enable" } else { "/disable" }) } {
                                        (ctx.csrf()) button.secondary type="submit" { (ctx.t(if o.disabled { "admin-enable" } else { "admin-disable" })) }
                                    }
                                }
                                form.inline method="post" action={ "/admin/officers/" (o.id) "/reset" } data-confirm=(ctx.t("admin-reset-confirm")) {
                                    (ctx.csrf()) button.secondary type="submit" { (ctx.t("admin-reset")) }
                                }
                            }
                        }
                    }
                }
            }
            h3 { (ctx.t("admin-new-officer")) }
            form.row method="post" action="/admin/officers" {
                (ctx.csrf())
                input name="unit" placeholder="CA-26068" required size="10" aria-label=(ctx.t("admin-unit"));
                input name="username" placeholder=(ctx.t("admin-username")) required size="14" aria-label=(ctx.t("admin-username"));
                select name="role" aria-label=(ctx.t("admin-role")) { @for r in Role::ALL { option value=(r.as_str()) { (ctx.t(r.label_key())) } } }
                input name="password" type="password" autocomplete="new-password" placeholder=(ctx.t("admin-password")) required aria-label=(ctx.t("admin-password"));
                button type="submit" { (ctx.t("admin-create")) }
            }
        }
    }
}

/// Unit display names and notification chats.
fn units_section(ctx: &Ctx<'_>, units: &[UnitSettings]) -> Markup {
    html! {
        section {
            h2 { (ctx.t("admin-units")) }
            table.compact {
                thead { tr { th { (ctx.t("admin-unit")) } th { (ctx.t("admin-display-name")) } th { (ctx.t("admin-telegram")) } } }
                tbody { @for u in units { tr { td.mono { (u.code) } td { (u.display_name) } td.mono { (u.telegram_chat_id.clone().unwrap_or_default()) } } } }
            }
            form.row method="post" action="/admin/units" {
                (ctx.csrf())
                input name="code" placeholder="CA-26068" required size="10" aria-label=(ctx.t("admin-unit"));
                input name="display_name" placeholder=(ctx.t("admin-display-name")) size="32" aria-label=(ctx.t("admin-display-name"));
                input name="telegram_chat_id" placeholder="-100…" size="16" aria-label=(ctx.t("admin-telegram"));
                button type="submit" { (ctx.t("action-save")) }
            }
        }
    }
}

pub async fn page(State(state): State<Arc<AppState>>, viewer: Viewer) -> WebResult<Response> {
    page_view(&state, &viewer, None).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct OfficerForm {
    unit: String,
    username: String,
    role: String,
    password: String,
}

pub async fn create_officer(
    State(state): State<Arc<AppState>>,
    viewer: Viewer,
    Form(f): Form<OfficerForm>,
) -> WebResult<Response> {
    require_admin(&viewer)?;
    let secure = viewer.settings.secure_cookies;
    let now = now_ms();
    let (AccountName { unit, username }, role) = match create_from_form(&state, &f, now).await {
        Ok(done) => done,
        Err(CreateOfficerError::Hash(_)) => return Err(WebError::BadRequest),
        Err(CreateOfficerError::Storage(e)) => return Err(e.into()),
        Err(e) => return Ok(redirect_with_flash("/admin", flash_for(&e), secure)),
    };
    state
        .store
        .audit(
            &viewer.audit(
                unit.as_str(),
                None,
                "officer-create",
                &format!("{username} ({})", role.as_str()),
            ),
            now,
        )
        .await?;
    Ok(redirect_with_flash(
        "/admin",
        "flash-officer-created",
        secure,
    ))
}

async fn create_from_form(
    state: &AppState,
    f: &OfficerForm,
    now: i64,
) -> Result<(AccountName, Role), CreateOfficerError> {
    // The form offers only valid roles; a forged one is refused like a bad unit.
    let role = Role::parse(&f.role).ok_or(CreateOfficerError::UnknownUnit)?;
    let name = officer_create::check_name(&f.unit, &f.username, &state.areas)?;
    officer_create::create(&state.store, &name, role, &f.password, now).await?;
    Ok((name, role))
}

/// The flash message for a refused account (server faults are errors, not flashes).
fn flash_for(e: &CreateOfficerError) -> &'static str {
    match e {
        CreateOfficerError::BadUsername => "flash-error-username",
        CreateOfficerError::WeakPassword => "flash-error-password",
        CreateOfficerError::UsernameTaken => "flash-error-username-taken",
        CreateOfficerError::RoleUnit => "flash-error-role-unit",
        CreateOfficerError::UnknownUnit
        | CreateOfficerError::Hash(_)
        | CreateOfficerError::Storage(_) => "flash-error-unit",
    }
}

async fn set_disabled(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    disabled: bool,
) -> WebResult<Response> {
    require_admin(viewer)?;
    let officer = state.store.officer(id).await?.ok_or(WebError::NotFound)?;
    if officer.id == viewer.officer.id {
        return Err(WebError::BadRequest);
    }
    let now = now_ms();
    state.store.set_officer_disabled(id, disabled, now).await?;
    let action = if disabled {
        "officer-disable"
    } else {
        "officer-enable"
    };
    state
        .store
        .audit(
            &viewer.audit(&officer.unit, None, action, &officer.username),
            now,
        )
        .await?;
    Ok(redirect_with_flash(
        "/admin",
        "flash-saved",
        viewer.settings.secure_cookies,
    ))
}

pub async fn disable_officer(
    State(state): State<Arc<AppState>>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> WebResult<Response> {
    set_disabled(&state, &viewer, id, true).await
}

pub async fn enable_officer(
    State(state): State<Arc<AppState>>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> WebResult<Response> {
    set_disabled(&state, &viewer, id, false).await
}

/// A temporary password from an alphabet without look-alikes, shown once.
fn temporary_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY346789";
    let mut rng = rand::rng();
    (0..14)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

pub async fn reset_password(
    State(state): State<Arc<AppState>>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> WebResult<Response> {
    require_admin(&viewer)?;
    let officer = state.store.officer(id).await?.ok_or(WebError::NotFound)?;
    let temp = temporary_password();
    let hash = password::hash(&temp).map_err(|_| WebError::BadRequest)?;
    let now = now_ms();
    state.store.set_officer_password(id, &hash, now).await?;
    state
        .store
        .audit(
            &viewer.audit(&officer.unit, None, "officer-reset", &officer.username),
            now,
        )
        .await?;
    let ctx = Ctx::new(&state.i18n, &viewer);
    let notice = html! {
        p.flash role="status" {
            (ctx.ta("admin-reset-done", &[("username", FluentValue::from(officer.username.clone()))])) " "
            code.mono id="temp-password" { (temp) }
        }
    };
    page_view(&state, &viewer, Some(notice)).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct UnitForm {
    code: String,
    display_name: String,
    telegram_chat_id: String,
}

pub async fn save_unit(
    State(state): State<Arc<AppState>>,
    viewer: Viewer,
    Form(f): Form<UnitForm>,
) -> WebResult<Response> {
    require_admin(&viewer)?;
    let secure = viewer.settings.secure_cookies;
    let Some(unit) = UnitCode::parse_known(&f.code, &state.areas) else {
        return Ok(redirect_with_flash("/admin", "flash-error-unit", secure));
    };
    let chat = f.telegram_chat_id.trim();
    // Telegram chat ids are integers; group ids are negative.
    if !chat.is_empty() && chat.parse::<i64>().is_err() {
        return Ok(redirect_with_flash("/admin", "flash-error-chat-id", secure));
    }
    let display_name: String = crate::domain::text::clean_user_text(&f.display_name)
        .chars()
        .take(120)
        .collect();
    let settings = UnitSettings {
        code: unit.as_str().to_string(),
        display_name,
        telegram_chat_id: Some(chat.to_string()).filter(|c| !c.is_empty()),
    };
    let now = now_ms();
    state.store.upsert_unit_settings(&settings, now).await?;
    state
        .store
        .audit(&viewer.audit(unit.as_str(), None, "unit-save", ""), now)
        .await?;
    Ok(redirect_with_flash("/admin", "flash-saved", secure))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SettingsForm {
    retention_days: String,
    require_totp: String,
}

pub async fn save_settings(
    State(state): State<Arc<AppState>>,
    viewer: Viewer,
    Form(f): Form<SettingsForm>,
) -> WebResult<Response> {
    require_admin(&viewer)?;
    let secure = viewer.settings.secure_cookies;
    let Some(days) = f
        .retention_days
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|d| (30..=3650).contains(d))
    else {
        return Ok(redirect_with_flash(
            "/admin",
            "flash-error-retention",
            secure,
        ));
    };
    state
        .store
        .set_setting(SETTING_RETENTION_DAYS, &days.to_string())
        .await?;
    let totp = if f.require_totp == "1" { "1" } else { "0" };
    state.store.set_setting(SETTING_REQUIRE_TOTP, totp).await?;
    let detail = format!("retention_days={days} require_totp={totp}");
    state
        .store
        .audit(
            &viewer.audit(&viewer.officer.unit, None, "settings", &detail),
            now_ms(),
        )
        .await?;
    Ok(redirect_with_flash("/admin", "flash-saved", secure))
}
