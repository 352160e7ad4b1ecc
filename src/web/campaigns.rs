//! Campaigns in the dashboard (admins only): the list with progress bars,
//! one campaign's progress with pause, resume and cancel. Composing lives in
//! [`super::campaign_compose`]. Progress comes from the same storage query
//! as `tipline broadcast status`.
use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use fluent_bundle::FluentValue;
use maud::{Markup, html};

use super::auth::Viewer;
use super::campaign_compose;
use super::cookies::redirect_with_flash;
use super::labels::Label;
use super::layout::{Ctx, shell};
use super::text;
use super::{WebError, WebResult};
use crate::app::AppState;
use crate::bot::now_ms;
use crate::domain::area::short_province;
use crate::domain::campaign::{CampaignControl, Target};
use crate::storage::campaigns::{Campaign, CampaignActionError, CampaignState, Progress};
use crate::workers::broadcast::eta;

/// Merged into the dashboard's router, inside its CSRF and header layers.
pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/campaigns", get(list))
        .route("/campaigns/new", get(campaign_compose::new_page))
        .route("/campaigns/compose", post(campaign_compose::compose))
        .route("/campaigns/{id}", get(detail))
        .route("/campaigns/{id}/pause", post(pause))
        .route("/campaigns/{id}/resume", post(resume))
        .route("/campaigns/{id}/cancel", post(cancel))
}

pub(super) fn require_admin(viewer: &Viewer) -> WebResult<()> {
    if viewer.is_admin() {
        Ok(())
    } else {
        Err(WebError::Forbidden)
    }
}

async fn list(State(state): State<Arc<AppState>>, viewer: Viewer) -> WebResult<Response> {
    require_admin(&viewer)?;
    let ctx = Ctx::new(&state.i18n, &viewer);
    let campaigns = state.store.campaigns(100).await?;
    let mut rows = Vec::with_capacity(campaigns.len());
    for c in campaigns {
        let p = state.store.campaign_progress(c.id).await?;
        rows.push((c, p));
    }
    let title = ctx.t("campaigns-title");
    let body = html! {
        h1 { (title) }
        p { a.button href="/campaigns/new" { (ctx.t("campaigns-new")) } }
        @if rows.is_empty() {
            p.empty { (ctx.t("campaigns-none")) }
        } @else {
            table.compact {
                thead { tr {
                    th { "#" } th { (ctx.t("campaigns-col-title")) } th { (ctx.t("campaigns-col-state")) }
                    th { (ctx.t("campaigns-col-scheduled")) } th { (ctx.t("campaigns-col-progress")) }
                } }
                tbody {
                    @for (c, p) in &rows {
                        tr {
                            td.mono { a href={ "/campaigns/" (c.id) } { (c.id) } }
                            td { a href={ "/campaigns/" (c.id) } { (c.title) } }
                            td { (ctx.t(c.state.label_key())) }
                            td { (text::time(c.scheduled_at)) }
                            td { (bar(p)) " " span.muted { (p.finished()) "/" (p.total) } }
                        }
                    }
                }
            }
        }
    };
    Ok(shell(&ctx, &title, "campaigns", None, body))
}

fn bar(p: &Progress) -> Markup {
    // A native <progress>: no inline style, which the CSP forbids.
    html! { progress max=(p.total.max(1)) value=(p.finished().max(0)) {} }
}

async fn detail(
    State(state): State<Arc<AppState>>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> WebResult<Response> {
    require_admin(&viewer)?;
    let c = state.store.campaign(id).await?.ok_or(WebError::NotFound)?;
    let p = state.store.campaign_progress(id).await?;
    let ctx = Ctx::new(&state.i18n, &viewer);
    let left = eta(&p, &state.config);
    let body = html! {
        p { a href="/campaigns" { "← " (ctx.t("campaigns-title")) } }
        h1 { "#" (c.id) " · " (c.title) }
        p {
            strong { (ctx.t(c.state.label_key())) }
            " · " (ctx.t("campaigns-col-scheduled")) " " (text::time(c.scheduled_at))
            " · " (target_label(&ctx, &state, &c))
        }
        section {
            h2 { (ctx.t("campaigns-col-progress")) }
            p { (bar(&p)) " " (p.finished()) "/" (p.total) }
            table.compact { tbody {
                (count(&ctx, "campaigns-sent", p.sent))
                (count(&ctx, "campaigns-failed", p.failed))
                (count(&ctx, "campaigns-removed", p.removed))
                (count(&ctx, "campaigns-undeliverable", p.undeliverable))
                (count(&ctx, "campaigns-unknown", p.unknown))
                (count(&ctx, "campaigns-skipped", p.skipped))
                (count(&ctx, "campaigns-remaining", p.remaining()))
            } }
            @if p.remaining() > 0 && !c.state.is_final() {
                p { (ctx.ta("campaigns-eta", &[
                    ("minutes", FluentValue::from(left.as_secs().div_ceil(60))),
                    ("at", FluentValue::from(text::time(now_ms() + left.as_millis() as i64))),
                ])) }
            }
            @if p.unknown > 0 { p.muted { (ctx.t("campaigns-unknown-help")) } }
            p.muted { (ctx.t("campaigns-refresh-help")) " " a href={ "/campaigns/" (c.id) } { (ctx.t("campaigns-refresh")) } }
        }
        section.row {
            @if matches!(c.state, CampaignState::Scheduled | CampaignState::Running) { (action(&ctx, c.id, CampaignControl::Pause, None)) }
            @if c.state == CampaignState::Paused { (action(&ctx, c.id, CampaignControl::Resume, None)) }
            @if !c.state.is_final() { (action(&ctx, c.id, CampaignControl::Cancel, Some(ctx.t("campaigns-cancel-confirm")))) }
        }
        section {
            h2 { (ctx.t("campaigns-text")) }
            h3 { "Tiếng Việt" } p.description { (c.text_vi) }
            h3 { "English" } p.description { (c.text_en) }
        }
    };
    Ok(shell(&ctx, &c.title, "campaigns", None, body))
}

fn count(ctx: &Ctx<'_>, key: &str, n: i64) -> Markup {
    html! { tr { th { (ctx.t(key)) } td.mono { (n) } } }
}

fn action(ctx: &Ctx<'_>, id: i64, control: CampaignControl, confirm: Option<String>) -> Markup {
    html! {
        form.inline method="post" action={ "/campaigns/" (id) "/" (control.as_str()) } data-confirm=[confirm] {
            (ctx.csrf())
            button.secondary type="submit" { (ctx.t(control.label_key())) }
        }
    }
}

fn target_label(ctx: &Ctx<'_>, state: &AppState, c: &Campaign) -> String {
    match &c.target {
        Target::All => ctx.t("campaigns-target-all"),
        Target::Provinces(codes) => codes
            .iter()
            .map(|p| {
                state
                    .areas
                    .province(*p)
                    .map_or_else(|| p.to_string(), |pr| short_province(&pr.name).to_string())
            })
            .collect::<Vec<_>>()
            .join(", "),
    }
}

async fn act(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    control: CampaignControl,
) -> WebResult<Response> {
    require_admin(viewer)?;
    let now = now_ms();
    let r = state.store.control_campaign(id, control, now).await;
    let what = control.as_str();
    let secure = viewer.settings.secure_cookies;
    let to = format!("/campaigns/{id}");
    match r {
        Ok(()) => {
            let detail = format!("#{id}");
            let action = format!("campaign-{what}");
            let entry = viewer.audit(&viewer.officer.unit, None, &action, &detail);
            state.store.audit(&entry, now).await?;
            Ok(redirect_with_flash(
                &to,
                &format!("flash-campaign-{what}"),
                secure,
            ))
        }
        Err(CampaignActionError::NotFound(_)) => Err(WebError::NotFound),
        Err(CampaignActionError::WrongState { .. }) => Ok(redirect_with_flash(
            &to,
            "flash-campaign-wrong-state",
            secure,
        )),
        Err(CampaignActionError::Storage(e)) => Err(e.into()),
    }
}

async fn pause(
    State(s): State<Arc<AppState>>,
    v: Viewer,
    Path(id): Path<i64>,
) -> WebResult<Response> {
    act(&s, &v, id, CampaignControl::Pause).await
}

async fn resume(
    State(s): State<Arc<AppState>>,
    v: Viewer,
    Path(id): Path<i64>,
) -> WebResult<Response> {
    act(&s, &v, id, CampaignControl::Resume).await
}

async fn cancel(
    State(s): State<Arc<AppState>>,
    v: Viewer,
    Path(id): Path<i64>,
) -> WebResult<Response> {
    act(&s, &v, id, CampaignControl::Cancel).await
}
