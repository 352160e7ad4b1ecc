//! The read-only parts of a tip's page: title and badges, facts, photos and
//! the timeline. Internal codes (routing rules, actors, channels) are shown
//! by their localized names.
use maud::{Markup, html};

use super::labels::Label;
use super::layout::Ctx;
use super::queue::PURGE_WARNING_MS;
use super::text;
use crate::app::AppState;
use crate::domain::area::{ProvinceCode, WardCode};
use crate::domain::channel::Channel;
use crate::domain::replay::OFFICER_ACTOR_PREFIX;
use crate::domain::tip::{Category, Priority, Resolution, Status};
use crate::privacy::checkpoint::Checkpoint;
use crate::storage::dashboard::{Access, AttachmentMeta, TimelineEvent, TipRecord};
use crate::storage::tip_ledger::TipLedgerStatus;

/// The display names of the tip's unit and of the unit informed of it.
pub struct UnitNames {
    pub unit: String,
    pub informed: Option<String>,
}

/// Reference, badges (priority, status, read-only, purge date) and the way back.
pub fn title_view(ctx: &Ctx<'_>, tip: &TipRecord, retention_ms: i64, now: i64) -> Markup {
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
pub fn facts_view(
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
            dt { (ctx.t("tip-received")) } dd { (text::time(tip.created_at)) " (" (channel_name(ctx, tip.channel)) ")" }
            dt { (ctx.t("tip-unit")) } dd { (names.unit) " " span.mono { "(" (tip.unit) ")" } }
            @if let (Some(code), Some(name)) = (&tip.informed_unit, &names.informed) {
                dt { (ctx.t("tip-informed-unit")) } dd { (name) " " span.mono { "(" (code) ")" } }
            }
            dt { (ctx.t("tip-routing")) } dd { (routing_text(ctx, tip)) }
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
pub fn attachments_view(ctx: &Ctx<'_>, tip: &TipRecord, attachments: &[AttachmentMeta]) -> Markup {
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

pub fn timeline_view(ctx: &Ctx<'_>, tip: &TipRecord, events: &[TimelineEvent]) -> Markup {
    html! {
        ol.timeline {
            li.ev-submitted { span.when { (text::time(tip.created_at)) } " " (ctx.t("event-submitted")) }
            @for e in events {
                li class={ "ev-" (e.kind) } {
                    span.when { (text::time(e.created_at)) } " "
                    span.actor { (actor_name(ctx, &e.actor)) } " "
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

/// Why the tip went where it went, in the officer's language. The stored
/// reason is the router's English line; the known shapes are translated.
pub fn routing_text(ctx: &Ctx<'_>, tip: &TipRecord) -> String {
    let r = tip.routing_reason.as_str();
    let cat = |c: &str| Category::parse(c).map(|c| ctx.t(c.label_key()));
    if r == "ward unknown: provincial drug police triage" {
        return ctx.t("routing-ward-unknown");
    }
    if let Some((c, rule)) = r.split_once(": ")
        && let Some(c) = cat(c)
    {
        let key = match rule {
            "ward police" => "routing-ward",
            "provincial drug police, ward police informed" => "routing-province-informed",
            _ => return format!("{c}: {rule}"),
        };
        return format!("{c}: {}", ctx.t(key));
    }
    if let Some(rest) = r.strip_prefix("routing file rule #")
        && let Some((n, c)) = rest.split_once(" (")
        && let Some(c) = c.strip_suffix(')').and_then(cat)
    {
        return ctx.ta(
            "routing-rule",
            &[("number", n.to_string().into()), ("category", c.into())],
        );
    }
    r.to_string()
}

/// The channel a tip came in on; the console is a test channel, not a product.
pub fn channel_name(ctx: &Ctx<'_>, c: Channel) -> String {
    if c == Channel::Console {
        ctx.t("channel-console")
    } else {
        c.display_name().to_string()
    }
}

/// Who did something: the reporter, or an officer by username.
fn actor_name(ctx: &Ctx<'_>, actor: &str) -> String {
    match actor.strip_prefix(OFFICER_ACTOR_PREFIX) {
        Some(name) => name.to_string(),
        None if actor == "reporter" || actor == "citizen" => ctx.t("actor-reporter"),
        None => ctx.t("actor-system"),
    }
}
