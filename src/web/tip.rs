//! A tip's detail page and its attachments. Both load the tip through the
//! scoped query first: another unit's tip is a 404 before anything is read or
//! audited.
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use serde::Deserialize;

use super::auth::Viewer;
use super::layout::{Ctx, shell};
use super::queue::unit_label;
use super::tip_forms::{FormEcho, actions_panel};
use super::tip_view::{UnitNames, attachments_view, facts_view, timeline_view, title_view};
use super::unit_lookup::unit_options;
use super::{WebError, WebResult, text};
use crate::app::AppState;
use crate::bot::now_ms;
use crate::domain::area::ProvinceCode;
use crate::storage::dashboard::{Access, TipRecord};

/// Loads a tip the viewer may see, or 404.
pub async fn load(state: &AppState, viewer: &Viewer, id: i64) -> WebResult<TipRecord> {
    state
        .store
        .scoped_tip(&viewer.scope, id)
        .await?
        .ok_or(WebError::NotFound)
}

pub async fn page(
    State(state): State<Arc<AppState>>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> WebResult<Response> {
    let tip = load(&state, &viewer, id).await?;
    render(&state, &viewer, tip, None).await
}

/// An action that could not be done: its message key, and what the officer
/// had typed, put back in the forms.
#[derive(Debug, Default)]
pub struct Feedback {
    pub error: String,
    pub echo: FormEcho,
}

/// The tip's page, after an audited view; with `feedback`, as the answer to
/// a refused action (422, a red banner, the typed text kept).
pub async fn render(
    state: &AppState,
    viewer: &Viewer,
    tip: TipRecord,
    feedback: Option<Feedback>,
) -> WebResult<Response> {
    let now = now_ms();
    audit_tip(state, viewer, &tip, "view", "", now).await?;
    let unread = state
        .store
        .unread_followup(viewer.officer.id, tip.id)
        .await?;
    state.store.mark_tip_seen(viewer.officer.id, tip.id).await?;
    let timeline = state.store.tip_timeline(tip.id).await?;
    let attachments = state.store.tip_attachments(tip.id).await?;
    let ledger = state.store.verify_tip_ledger(tip.id).await?;
    let checkpoint = state.store.newest_checkpoint_covering(tip.id).await?;
    let officers = state.store.list_officers(Some(tip.unit.as_str())).await?;
    let duplicates = state
        .store
        .suggested_duplicates(&viewer.scope, &tip)
        .await?;
    let audit = if viewer.can_audit() {
        state
            .store
            .audit_entries(&viewer.scope, Some(tip.id), 50)
            .await?
    } else {
        Vec::new()
    };
    let names = UnitNames {
        unit: unit_label(state, tip.unit.as_str()).await,
        informed: match &tip.informed_unit {
            Some(u) => Some(unit_label(state, u.as_str()).await),
            None => None,
        },
    };
    let retention_ms = state
        .store
        .retention_days(viewer.settings.default_retention_days)
        .await
        * 86_400_000;
    let new_count = state.store.new_tip_count(&viewer.scope).await?;
    let units = unit_options(state, ProvinceCode(tip.province_code as u32));
    let ctx = Ctx::new(&state.i18n, viewer);
    let fb = feedback.unwrap_or_default();
    let last_event = timeline.last().map_or(0, |e| e.id);
    let body = html! {
        @if !fb.error.is_empty() { p.error #action-error role="alert" { (ctx.t(&fb.error)) } }
        (title_view(&ctx, &tip, retention_ms, now))
        @if unread.is_some() { p.unread-note role="status" { (ctx.t("tip-unread-followup")) } }
        p #tip-live.live-note hidden data-poll={ "/tips/" (tip.id) "/activity" } data-last=(last_event) {
            (ctx.t("tip-live-update")) " " a href={ "/tips/" (tip.id) } { (ctx.t("tip-live-reload")) }
        }
        div.detail {
            section.facts {
                (facts_view(&ctx, state, &tip, &names, &ledger, checkpoint.as_ref()))
                h2 { (ctx.t("tip-description")) }
                p.description { (tip.description) }
                (attachments_view(&ctx, &tip, &attachments))
                (super::outcome::section(&ctx, &tip, viewer))
                h2 { (ctx.t("tip-timeline")) }
                (timeline_view(&ctx, &tip, &timeline))
                @if tip.access == Access::Full && !duplicates.is_empty() { (duplicates_view(&ctx, &tip, &duplicates)) }
            }
            @if tip.access == Access::Full { (actions_panel(&ctx, &tip, &officers, viewer, &fb.echo, &units)) }
        }
        @if viewer.can_audit() {
            h2 { (ctx.t("tip-audit")) }
            div.scroll { (super::audit::audit_table(&ctx, &audit)) }
        }
    };
    let mut res = shell(&ctx, &tip.reference, "queue", Some(new_count), body);
    if !fb.error.is_empty() {
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

/// Open tips that look like this one, ticked, with one button that closes
/// them as its duplicates (through the bulk action: one ledger entry each).
fn duplicates_view(ctx: &Ctx<'_>, tip: &TipRecord, dups: &[TipRecord]) -> Markup {
    html! {
        section #duplicates {
            h2 { (ctx.t("tip-duplicates")) }
            p.muted { (ctx.t("tip-duplicates-help")) }
            form.stack method="post" action="/queue/bulk" data-confirm=(ctx.t("tip-duplicates-confirm")) {
                (ctx.csrf())
                input type="hidden" name="action" value="duplicate";
                input type="hidden" name="primary" value=(tip.reference);
                input type="hidden" name="back" value={ "/tips/" (tip.id) };
                @for d in dups {
                    label.check {
                        input type="checkbox" name="id" value=(d.id) checked;
                        " " a href={ "/tips/" (d.id) } { (d.reference) } " "
                        span.muted { (text::time(d.created_at)) " · " (text::preview(&d.description, 90)) }
                    }
                }
                button #merge-duplicates type="submit" { (ctx.t("tip-duplicates-merge")) }
            }
        }
    }
}

/// The newest event id of a tip (a number, nothing else): the tip page asks
/// for it every few seconds and offers a reload when it grows.
pub async fn activity(
    State(state): State<Arc<AppState>>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> WebResult<Response> {
    let tip = load(&state, &viewer, id).await?;
    let last = state.store.latest_event_id(tip.id).await?;
    Ok(last.unwrap_or(0).to_string().into_response())
}

/// Records that `viewer` did `action` to the tip (viewing counts).
async fn audit_tip(
    state: &AppState,
    viewer: &Viewer,
    tip: &TipRecord,
    action: &str,
    detail: &str,
    now: i64,
) -> WebResult<()> {
    let entry = viewer.audit(
        tip.unit.as_str(),
        Some((tip.id, &tip.reference)),
        action,
        detail,
    );
    state.store.audit(&entry, now).await?;
    Ok(())
}

#[derive(Debug, Deserialize)]
pub struct AttachmentQuery {
    inline: Option<String>,
}

/// Serves an attachment as what it is (JPEG/PNG), never as HTML; `inline=1`
/// is for the preview, otherwise the browser downloads it.
pub async fn attachment(
    State(state): State<Arc<AppState>>,
    viewer: Viewer,
    Path((id, attachment_id)): Path<(i64, String)>,
    Query(q): Query<AttachmentQuery>,
) -> WebResult<Response> {
    let tip = load(&state, &viewer, id).await?;
    let (content_type, bytes) = state
        .store
        .tip_attachment(tip.id, &attachment_id)
        .await?
        .ok_or(WebError::NotFound)?;
    let (content_type, ext) = match content_type.as_str() {
        "image/jpeg" => ("image/jpeg", "jpg"),
        "image/png" => ("image/png", "png"),
        _ => ("application/octet-stream", "bin"),
    };
    let inline = q.inline.as_deref() == Some("1") && ext != "bin";
    audit_tip(
        &state,
        &viewer,
        &tip,
        "attachment",
        &attachment_id,
        now_ms(),
    )
    .await?;
    let safe_id: String = attachment_id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .take(64)
        .collect();
    let disposition = format!(
        "{}; filename=\"{}-{safe_id}.{ext}\"",
        if inline { "inline" } else { "attachment" },
        tip.reference
    );
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(res)
}
