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

use super::WebResult;
use super::auth::Viewer;
use super::campaigns::require_admin;
use super::cookies::redirect_with_flash;
use super::layout::{Ctx, shell};
use crate::app::AppState;
use crate::bot::now_ms;
use crate::domain::area::short_province;
use crate::domain::campaign::{CampaignDraft, CampaignError, CampaignFile, Texts, previews};
use crate::domain::campaign_presets::{PRESETS, find};
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
                "{:04}-{:02}-{:02} 08:00",
                p.next_year(now_ms()),
                p.month,
                p.day
            ),
            target: "all".into(),
            text_vi: p.text_vi.into(),
            text_en: p.text_en.into(),
            action: String::new(),
        },
        None => ComposeForm {
            schedule: "now".into(),
            target: "all".into(),
            ..ComposeForm::default()
        },
    };
    Ok(page(&state, &viewer, &form, None, None))
}

/// One POST for both buttons, so the preview keeps everything typed.
pub async fn compose(
    State(state): State<Arc<AppState>>,
    viewer: Viewer,
    Form(form): Form<ComposeForm>,
) -> WebResult<Response> {
    require_admin(&viewer)?;
    let draft = validate(&state, &form);
    let draft = match draft {
        Ok(d) => d,
        Err(e) => {
            let ctx = Ctx::new(&state.i18n, &viewer);
            let msg = error_text(&ctx, &e);
            return Ok(page(&state, &viewer, &form, Some(msg), None));
        }
    };
    if form.action != "create" {
        return Ok(page(&state, &viewer, &form, None, Some(&draft)));
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

fn validate(state: &AppState, f: &ComposeForm) -> Result<CampaignDraft, CampaignError> {
    let file = CampaignFile {
        title: f.title.clone(),
        schedule: f.schedule.clone(),
        target: toml::Value::String(f.target.clone()),
        text: Texts {
            vi: f.text_vi.clone(),
            en: f.text_en.clone(),
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
    preview: Option<&CampaignDraft>,
) -> Response {
    let ctx = Ctx::new(&state.i18n, viewer);
    let title = ctx.t("campaigns-new");
    let body = html! {
        p { a href="/campaigns" { "← " (ctx.t("campaigns-title")) } }
        h1 { (title) }
        p.muted {
            (ctx.t("campaigns-presets")) " "
            @for p in &PRESETS { a.button href={ "/campaigns/new?preset=" (p.name) } { (p.name.replace('-', "/")) } " " }
        }
        @if let Some(e) = &error { p.error role="alert" { (e) } }
        form.stack method="post" action="/campaigns/compose" {
            (ctx.csrf())
            label { (ctx.t("campaigns-col-title")) input name="title" value=(f.title) required maxlength="120"; }
            label { (ctx.t("campaigns-schedule")) input name="schedule" value=(f.schedule) placeholder="now · 2027-06-26 08:00"; }
            p.muted { (ctx.t("campaigns-schedule-help")) }
            label { (ctx.t("campaigns-target")) input name="target" value=(f.target) placeholder="all · 01, 79"; }
            details {
                summary { (ctx.t("campaigns-target-help")) }
                p.mono { @for p in state.areas.provinces() { (p.code) " " (short_province(&p.name)) " · " } }
            }
            label { "Tiếng Việt" textarea name="text_vi" rows="8" required { (f.text_vi) } }
            label { "English" textarea name="text_en" rows="8" required { (f.text_en) } }
            p.muted { (ctx.t("campaigns-footer-help")) }
            div.row {
                button.secondary type="submit" name="do" value="preview" { (ctx.t("campaigns-preview")) }
                button type="submit" name="do" value="create" data-confirm=(ctx.t("campaigns-create-confirm")) { (ctx.t("campaigns-create")) }
            }
        }
        @if let Some(d) = preview { (preview_section(&ctx, state, d)) }
    };
    shell(&ctx, &title, "campaigns", None, body)
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
                    " · " span.mono { (p.length) "/" (p.limit) " " (p.unit) }
                }
                p.description { (p.text) }
            }
        }
    }
}
