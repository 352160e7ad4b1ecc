//! Composing a campaign (admins only): the form, presets for 1/6 and 26/6,
//! a preview of exactly what Telegram and Zalo users will get, and saving.
//! Validation is the same as `tipline broadcast create`.
use std::sync::Arc;

use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use fluent_bundle::FluentValue;
use maud::{Markup, html};
use serde::Deserialize;

use std::collections::BTreeMap;

use super::auth::Viewer;
use super::campaigns::require_admin;
use super::cookies::redirect_with_flash;
use super::layout::{Ctx, shell};
use super::unit_lookup::datalist;
use super::{WebResult, compose_input};
use crate::app::AppState;
use crate::bot::now_ms;
use crate::domain::area::short_province;
use crate::domain::campaign::Schedule;
use crate::domain::campaign::{CampaignDraft, CampaignError, CampaignFile, Texts, previews};
use crate::domain::campaign_presets::{PRESETS, find};
use crate::domain::channel::Channel;
use crate::i18n::Lang;

#[derive(Debug, Default, Deserialize, Clone)]
#[serde(default)]
pub struct ComposeForm {
    title: String,
    schedule: String,
    target: String,
    text_vi: String,
    text_en: String,
    /// "preview" or "create".
    #[serde(rename = "do")]
    action: String,
}

#[derive(Debug, Deserialize)]
pub struct NewQuery {
    preset: Option<String>,
}

pub async fn new_page(
    State(state): State<Arc<AppState>>,
    viewer: Viewer,
    Query(q): Query<NewQuery>,
) -> WebResult<Response> {
    require_admin(&viewer)?;
    let form = match q.preset.as_deref().and_then(find) {
        Some(p) => ComposeForm {
            title: p.title.into(),
            schedule: format!(
                "{:02}/{:02}/{:04} 08:00",
                p.day,
                p.month,
                p.next_year(now_ms())
            ),
            target: String::new(),
            text_vi: p.text_vi.into(),
            text_en: p.text_en.into(),
            action: String::new(),
        },
        None => ComposeForm::default(),
    };
    Ok(page(&state, &viewer, &form, None, Step::Edit))
}

/// One POST for every button, so nothing typed is ever lost: "preview"
/// shows the messages, "create" asks for confirmation with the audience
/// size, and only "confirm" saves.
pub async fn compose(
    State(state): State<Arc<AppState>>,
    viewer: Viewer,
    Form(form): Form<ComposeForm>,
) -> WebResult<Response> {
    require_admin(&viewer)?;
    let draft = match validate(&state, &form) {
        Ok(d) => d,
        Err(e) => {
            let ctx = Ctx::new(&state.i18n, &viewer);
            let msg = error_text(&ctx, &e);
            return Ok(page(&state, &viewer, &form, Some(msg), Step::Edit));
        }
    };
    match form.action.as_str() {
        "confirm" => {}
        "create" => {
            let audience = state.store.audience(&draft.target).await?;
            return Ok(page(
                &state,
                &viewer,
                &form,
                None,
                Step::Confirm(&draft, audience),
            ));
        }
        _ => return Ok(page(&state, &viewer, &form, None, Step::Preview(&draft))),
    }
    let now = now_ms();
    let id = state
        .store
        .create_campaign(&draft, &viewer.officer.username, now)
        .await?;
    let detail = format!("#{id} {}", draft.title);
    let entry = viewer.audit(&viewer.officer.unit, None, "campaign-create", &detail);
    state.store.audit(&entry, now).await?;
    Ok(redirect_with_flash(
        &format!("/campaigns/{id}"),
        "flash-campaign-created",
        viewer.settings.secure_cookies,
    )
    .into_response())
}

/// What the page shows below the form.
enum Step<'a> {
    Edit,
    Preview(&'a CampaignDraft),
    Confirm(&'a CampaignDraft, BTreeMap<Channel, i64>),
}

fn validate(state: &AppState, f: &ComposeForm) -> Result<CampaignDraft, CampaignError> {
    // English is optional: without it, English subscribers get the Vietnamese text.
    let en = if f.text_en.trim().is_empty() {
        &f.text_vi
    } else {
        &f.text_en
    };
    let file = CampaignFile {
        title: f.title.clone(),
        schedule: compose_input::schedule(&f.schedule)?,
        target: toml::Value::String(compose_input::target(&state.areas, &f.target)?),
        text: Texts {
            vi: f.text_vi.clone(),
            en: en.clone(),
        },
    };
    file.validate(&state.areas, |l| state.i18n.tr(l, "campaign-footer"))
}

/// The validation error in the officer's language.
fn error_text(ctx: &Ctx<'_>, e: &CampaignError) -> String {
    let lang = |l: &Lang| {
        FluentValue::from(if *l == Lang::Vi {
            "Tiếng Việt"
        } else {
            "English"
        })
    };
    match e {
        CampaignError::Toml(_) | CampaignError::BadTarget => ctx.t("campaigns-error-target"),
        CampaignError::NoTitle | CampaignError::TitleTooLong => ctx.t("campaigns-error-title"),
        CampaignError::EmptyText(l) => ctx.ta("campaigns-error-empty", &[("lang", lang(l))]),
        CampaignError::TooLongForZalo { lang: l, chars } => ctx.ta(
            "campaigns-error-zalo",
            &[("lang", lang(l)), ("length", FluentValue::from(*chars))],
        ),
        CampaignError::TooLongForTelegram { lang: l, units } => ctx.ta(
            "campaigns-error-telegram",
            &[("lang", lang(l)), ("length", FluentValue::from(*units))],
        ),
        CampaignError::UnknownProvince(code) => ctx.ta(
            "campaigns-error-province",
            &[("code", FluentValue::from(code.clone()))],
        ),
        CampaignError::BadSchedule(_) => ctx.t("campaigns-error-schedule"),
    }
}

fn page(
    state: &AppState,
    viewer: &Viewer,
    f: &ComposeForm,
    error: Option<String>,
    step: Step<'_>,
) -> Response {
    let ctx = Ctx::new(&state.i18n, viewer);
    let title = ctx.t("campaigns-new");
    let provinces: Vec<String> = state
        .areas
        .provinces()
        .map(|p| short_province(&p.name).to_string())
        .collect();
    let body = html! {
        p { a href="/campaigns" { "← " (ctx.t("campaigns-title")) } }
        h1 { (title) }
        p.muted {
            (ctx.t("campaigns-presets")) " "
            @for p in &PRESETS { a.button href={ "/campaigns/new?preset=" (p.name) } { (p.name.replace('-', "/")) } " " }
        }
        @if let Some(e) = &error { p.error role="alert" { (e) } }
        @if let Step::Confirm(d, audience) = &step { (confirm_section(&ctx, f, d, audience)) }
        form.stack #campaign-form method="post" action="/campaigns/compose" {
            (ctx.csrf())
            label { (ctx.t("campaigns-col-title")) input name="title" value=(f.title) required maxlength="120"; }
            label { (ctx.t("campaigns-schedule")) input name="schedule" value=(f.schedule) placeholder=(ctx.t("campaigns-schedule-placeholder")); }
            p.muted { (ctx.t("campaigns-schedule-help")) }
            label { (ctx.t("campaigns-target")) input name="target" list="province-names" value=(f.target) placeholder=(ctx.t("campaigns-target-placeholder")); }
            (datalist("province-names", &provinces))
            p.muted { (ctx.t("campaigns-target-help")) }
            label { (ctx.t("campaigns-text-vi")) textarea name="text_vi" rows="8" required { (f.text_vi) } }
            label { (ctx.t("campaigns-text-en")) textarea name="text_en" rows="6" { (f.text_en) } }
            p.muted { (ctx.t("campaigns-text-en-help")) " " (ctx.t("campaigns-footer-help")) }
            div.row {
                button.secondary type="submit" name="do" value="preview" { (ctx.t("campaigns-preview")) }
                button #campaign-create type="submit" name="do" value="create" { (ctx.t("campaigns-create")) }
            }
        }
        @if let Step::Preview(d) = &step { (preview_section(&ctx, state, d)) }
    };
    shell(&ctx, &title, "campaigns", None, body)
}

/// "This goes to 1,204 subscribers (Telegram 900, Zalo 304), now": the
/// last step before anything is saved, with the whole form carried along.
fn confirm_section(
    ctx: &Ctx<'_>,
    f: &ComposeForm,
    d: &CampaignDraft,
    audience: &BTreeMap<Channel, i64>,
) -> Markup {
    let total: i64 = audience.values().sum();
    let when = match d.schedule {
        Schedule::Now => ctx.t("campaigns-confirm-now"),
        Schedule::At(ms) => ctx.ta(
            "campaigns-confirm-at",
            &[("time", FluentValue::from(super::text::time(ms)))],
        ),
    };
    html! {
        section #campaign-confirm.confirm role="alert" {
            h2 { (ctx.t("campaigns-confirm-title")) }
            p #audience-size { (ctx.ta("campaigns-confirm-audience", &[("count", FluentValue::from(total))])) }
            ul { @for (c, n) in audience { li { (c.display_name()) ": " (n) } } }
            p { (when) }
            form.row method="post" action="/campaigns/compose" {
                (ctx.csrf())
                input type="hidden" name="title" value=(f.title);
                input type="hidden" name="schedule" value=(f.schedule);
                input type="hidden" name="target" value=(f.target);
                input type="hidden" name="text_vi" value=(f.text_vi);
                input type="hidden" name="text_en" value=(f.text_en);
                button #campaign-confirm-send type="submit" name="do" value="confirm" { (ctx.t("campaigns-confirm-send")) }
                a href="#campaign-form" { (ctx.t("campaigns-confirm-edit")) }
            }
        }
    }
}

fn preview_section(ctx: &Ctx<'_>, state: &AppState, d: &CampaignDraft) -> Markup {
    let footer = |l: Lang| state.i18n.tr(l, "campaign-footer");
    html! {
        section {
            h2 { (ctx.t("campaigns-preview")) }
            p.muted { (ctx.t("campaigns-preview-help")) }
            @for p in previews(&d.text_vi, &d.text_en, footer) {
                h3 {
                    (p.channel.display_name())
                    " · " (if p.lang == Lang::Vi { "Tiếng Việt" } else { "English" })
                    " · " span.mono { (p.length) "/" (p.limit) " " (ctx.t(if p.unit.contains("UTF-16") { "campaigns-unit-utf16" } else { "campaigns-unit-chars" })) }
                }
                p.description { (p.text) }
            }
        }
    }
}
