//! A tip's detail page and its attachments. Both load the tip through the
//! scoped query first: another unit's tip is a 404 before anything is read or
//! audited.
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use serde::Deserialize;

use super::auth::Viewer;
use super::labels::Label;
use super::layout::{Ctx, shell};
use super::queue::{PURGE_WARNING_MS, unit_label};
use super::tip_forms::actions_panel;
use super::{WebError, WebResult, text};
use crate::app::AppState;
use crate::bot::now_ms;
use crate::domain::area::{ProvinceCode, WardCode};
use crate::domain::tip::{Priority, Resolution, Status};
use crate::privacy::checkpoint::Checkpoint;
use crate::storage::dashboard::{Access, AttachmentMeta, TimelineEvent, TipRecord};
use crate::storage::tip_ledger::TipLedgerStatus;

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
    let now = now_ms();
    audit_tip(&state, &viewer, &tip, "view", "", now).await?;
    let timeline = state.store.tip_timeline(tip.id).await?;
    let attachments = state.store.tip_attachments(tip.id).await?;
    let ledger = state.store.verify_tip_ledger(tip.id).await?;
    let checkpoint = state.store.newest_checkpoint_covering(tip.id).await?;
    let officers = state.store.list_officers(Some(tip.unit.as_str())).await?;
    let audit = if viewer.can_audit() {
        state
            .store
            .audit_entries(&viewer.scope, Some(tip.id), 50)
            .await?
    } else {
        Vec::new()
    };
    let names = UnitNames {
        unit: unit_label(&state, tip.unit.as_str()).await,
        informed: match &tip.informed_unit {
            Some(u) => Some(unit_label(&state, u.as_str()).await),
            None => None,
        },
    };
    let retention_ms = state
        .store
        .retention_days(viewer.settings.default_retention_days)
        .await
        * 86_400_000;
    let new_count = state.store.new_tip_count(&viewer.scope).await?;
    let ctx = Ctx::new(&state.i18n, &viewer);
    let body = html! {
        (title_view(&ctx, &tip, retention_ms, now))
        div.detail {
            section.facts {
                (facts_view(&ctx, &state, &tip, &names, &ledger, checkpoint.as_ref()))
                h2 { (ctx.t("tip-description")) }
                p.description { (tip.description) }
                (attachments_view(&ctx, &tip, &attachments))
                (super::outcome::section(&ctx, &tip, &viewer))
                h2 { (ctx.t("tip-timeline")) }
                (timeline_view(&ctx, &tip, &timeline))
            }
            @if tip.access == Access::Full { (actions_panel(&ctx, &tip, &officers, &viewer)) }
        }
        @if viewer.can_audit() {
            h2 { (ctx.t("tip-audit")) }
            (super::audit::audit_table(&ctx, &audit))
        }
    };
    Ok(shell(&ctx, &tip.reference, "queue", Some(new_count), body))
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

/// The display names of the tip's unit and of the unit informed of it.
struct UnitNames {
    unit: String,
    informed: Option<String>,
}

/// Reference, badges (priority, status, read-only, purge date) and the way back.
fn title_view(ctx: &Ctx<'_>, tip: &TipRecord, retention_ms: i64, now: i64) -> Markup {
    html! {
        div.titlebar {
            h1 { (tip.reference) }
            p {
                span class={ "badge prio-" (tip.priority) } { (ctx.t(tip.priority.label_key())) } " "
                span class={ "badge st-" (tip.status) } { (ctx.t(tip.status.label_key())) }
                @if let Some(r) = tip.resolution { " " span.badge { (ctx.t(r.label_key())) } }
                @if tip.access == Access::ReadOnly { " " span.badge.informed { (ctx.t("tip-read-only")) } }
                @if let Some(c) = tip.closed_at.filter(|c| c + retention_ms - PURGE_WARNING_MS <= now) {
                    " " span.badge.purge { (ctx.ta("tip-purge-on", &[("date", text::date(c + retention_ms).into())])) }
                }
            }
            p { a href="/queue" accesskey="q" { "← " (ctx.t("tip-back")) } }
        }
    }
}

/// What, where, when, who and the ledger check, as a definition list.
fn facts_view(
    ctx: &Ctx<'_>,
    state: &AppState,
    tip: &TipRecord,
    names: &UnitNames,
    ledger: &TipLedgerStatus,
    checkpoint: Option<&Checkpoint>,
) -> Markup {
    let province = state
        .areas
        .province(ProvinceCode(tip.province_code as u32))
        .map(|p| p.name.clone())
        .unwrap_or_default();
    let ward = tip
        .ward_code
        .and_then(|w| state.areas.ward(WardCode(w as u32)))
        .map(|w| w.name.clone());
    html! {
        dl {
            dt { (ctx.t("tip-category")) } dd { (ctx.t(tip.category.label_key())) }
            dt { (ctx.t("tip-area")) } dd { (ward.unwrap_or_else(|| ctx.t("area-ward-unknown"))) ", " (province) }
            @if let (Some(lat), Some(lon)) = (tip.latitude, tip.longitude) {
                dt { (ctx.t("tip-coordinates")) } dd.mono { (format!("{lat:.5}, {lon:.5}")) }
            }
            dt { (ctx.t("tip-when-seen")) } dd { (ctx.t(tip.when_seen.label_key())) }
            dt { (ctx.t("tip-received")) } dd { (text::time(tip.created_at)) " (" (tip.channel) ")" }
            dt { (ctx.t("tip-unit")) } dd { (names.unit) " " span.mono { "(" (tip.unit) ")" } }
            @if let (Some(code), Some(name)) = (&tip.informed_unit, &names.informed) {
                dt { (ctx.t("tip-informed-unit")) } dd { (name) " " span.mono { "(" (code) ")" } }
            }
            dt { (ctx.t("tip-routing")) } dd { (tip.routing_reason) }
            dt { (ctx.t("tip-assignee")) } dd { (tip.assignee.clone().unwrap_or_else(|| "–".into())) }
            dt { (ctx.t("tip-labels")) } dd { @for l in &tip.labels { span.badge.label { (l) } " " } @if tip.labels.is_empty() { "–" } }
            @if let Some(d) = &tip.duplicate_of { dt { (ctx.t("tip-duplicate-of")) } dd.mono { (d) } }
            dt { (ctx.t("tip-first-response")) } dd { (tip.first_response_at.map(text::time).unwrap_or_else(|| "–".into())) }
            @if let Some(c) = tip.closed_at { dt { (ctx.t("tip-closed-at")) } dd { (text::time(c)) } }
            dt { (ctx.t("tip-ledger")) } dd {
                span.mono.hash { (tip.ledger_hash) } " "
                @match ledger {
                    TipLedgerStatus::Intact { .. } => span.badge.ok { (ctx.t("tip-ledger-ok")) },
                    TipLedgerStatus::Broken { seq, .. } => span.badge.bad { (ctx.t("tip-ledger-broken")) " #" (seq) },
                }
                " "
                // The newest signed checkpoint that pins everything recorded about the tip.
                @match checkpoint {
                    Some(c) => span.badge.ok.checkpoint title=(c.head) {
                        (ctx.ta("tip-ledger-checkpoint", &[("seq", c.seq.into()), ("time", text::time(c.signed_at).into())]))
                    },
                    None => span.badge.checkpoint { (ctx.t("tip-ledger-no-checkpoint")) },
                }
            }
        }
    }
}

/// Photos and files: images shown inline, every one downloadable.
fn attachments_view(ctx: &Ctx<'_>, tip: &TipRecord, attachments: &[AttachmentMeta]) -> Markup {
    html! {
        @if !attachments.is_empty() {
            h2 { (ctx.t("tip-attachments")) }
            div.attachments {
                @for a in attachments {
                    @let url = format!("/tips/{}/attachments/{}", tip.id, a.id);
                    figure {
                        @if a.content_type.starts_with("image/") { a href={ (url) "?inline=1" } { img src={ (url) "?inline=1" } alt=(ctx.t("tip-attachment-alt")); } }
                        figcaption { a href=(url) download { (ctx.t("tip-download")) } " · " (a.size / 1024) " KB" }
                    }
                }
            }
        }
    }
}

fn timeline_view(ctx: &Ctx<'_>, tip: &TipRecord, events: &[TimelineEvent]) -> Markup {
    html! {
        ol.timeline {
            li.ev-submitted { span.when { (text::time(tip.created_at)) } " " (ctx.t("event-submitted")) }
            @for e in events {
                li class={ "ev-" (e.kind) } {
                    span.when { (text::time(e.created_at)) } " "
                    span.actor { (e.actor.strip_prefix("officer:").unwrap_or(&e.actor)) } " "
                    span.kind { (ctx.t(&format!("event-{}", e.kind))) }
                    @if !e.value.is_empty() { " " span.value { (event_value(ctx, e)) } }
                    @if !e.body.is_empty() { p.body { (e.body) } }
                }
            }
        }
    }
}

fn event_value(ctx: &Ctx<'_>, e: &TimelineEvent) -> String {
    match e.kind.as_str() {
        "status" => {
            let (s, r) = e.value.split_once(':').unwrap_or((&e.value, ""));
            let Some(status) = Status::parse(s) else {
                return e.value.clone();
            };
            let s = ctx.t(status.label_key());
            match Resolution::parse(r) {
                Some(r) => format!("{s} ({})", ctx.t(r.label_key())),
                None => s,
            }
        }
        "priority" => {
            Priority::parse(&e.value).map_or_else(|| e.value.clone(), |p| ctx.t(p.label_key()))
        }
        "outcome" => crate::domain::outcome::Outcome::decode(&e.value)
            .map_or_else(|| e.value.clone(), |o| super::outcome::summary(ctx, &o)),
        _ => e.value.clone(),
    }
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
