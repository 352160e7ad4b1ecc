//! The queue page: filters, a compact table, and keyset paging.
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::response::Response;
use fluent_bundle::FluentValue;
use maud::{Markup, html};
use serde::Deserialize;

use super::auth::Viewer;
use super::labels::Label;
use super::layout::{Ctx, shell};
use super::{WebResult, text};
use crate::app::AppState;
use crate::bot::now_ms;
use crate::domain::routing::UnitCode;
use crate::domain::tip::{Category, Priority, Status};
use crate::storage::dashboard::{Access, Scope, TipRecord};
use crate::storage::queue::{AssigneeFilter, QueueCursor, QueueFilter, StatusFilter};

pub const PAGE_SIZE: i64 = 50;
/// Closed tips are flagged this long before the purge deletes them.
pub const PURGE_WARNING_MS: i64 = 7 * 86_400_000;

#[derive(Debug, Default, Deserialize)]
pub struct QueueQuery {
    status: Option<String>,
    category: Option<String>,
    priority: Option<String>,
    ward: Option<String>,
    from: Option<String>,
    to: Option<String>,
    assignee: Option<String>,
    q: Option<String>,
    after: Option<String>,
}

fn nonempty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl QueueQuery {
    fn filter(&self, viewer: &Viewer) -> QueueFilter {
        QueueFilter {
            status: nonempty(&self.status)
                .and_then(StatusFilter::parse)
                .unwrap_or_default(),
            category: nonempty(&self.category)
                .and_then(Category::parse)
                .map(|c| c.as_str().to_string()),
            priority: nonempty(&self.priority)
                .and_then(Priority::parse)
                .map(|p| p.as_str().to_string()),
            ward_code: nonempty(&self.ward).and_then(|w| w.parse().ok()),
            from_ms: nonempty(&self.from).and_then(text::parse_date),
            to_ms: nonempty(&self.to)
                .and_then(text::parse_date)
                .map(|d| d + 86_400_000),
            assignee: match nonempty(&self.assignee) {
                Some("me") => AssigneeFilter::Officer(viewer.officer.id),
                Some("none") => AssigneeFilter::Unassigned,
                Some(id) => id.parse().map(AssigneeFilter::Officer).unwrap_or_default(),
                None => AssigneeFilter::Anyone,
            },
            reference: nonempty(&self.q).map(str::to_string),
        }
    }

    /// The filters as a query string, for the next-page link.
    fn query_string(&self) -> String {
        let pairs = [
            ("status", &self.status),
            ("category", &self.category),
            ("priority", &self.priority),
            ("ward", &self.ward),
            ("from", &self.from),
            ("to", &self.to),
            ("assignee", &self.assignee),
            ("q", &self.q),
        ];
        let mut ser = form_urlencoded::Serializer::new(String::new());
        for (k, v) in pairs {
            if let Some(v) = nonempty(v) {
                ser.append_pair(k, v);
            }
        }
        ser.finish()
    }
}

/// A unit's display name: the admin's, else one generated from the ward list.
pub async fn unit_label(state: &AppState, code: &str) -> String {
    if let Ok(Some(u)) = state.store.unit_settings(code).await
        && !u.display_name.is_empty()
    {
        return u.display_name;
    }
    UnitCode::parse(code).map_or_else(
        || code.to_string(),
        |u| state.router.unit_name(&u, &state.areas),
    )
}

/// What the viewer oversees, for page titles; None for an admin's "everything".
pub async fn scope_label(state: &AppState, ctx: &Ctx<'_>, scope: &Scope) -> Option<String> {
    match scope {
        Scope::All => None,
        Scope::National => Some(ctx.t("scope-national")),
        Scope::Unit(u) => Some(unit_label(state, u).await),
        Scope::Province { unit, province } => Some(format!(
            "{} · {}",
            unit_label(state, unit).await,
            province_name(state, *province)
        )),
    }
}

/// A province's name from the ward list, else its code.
pub fn province_name(state: &AppState, code: i64) -> String {
    u32::try_from(code)
        .ok()
        .and_then(|c| state.areas.province(crate::domain::area::ProvinceCode(c)))
        .map_or_else(|| code.to_string(), |p| p.name.clone())
}

pub async fn page(
    State(state): State<Arc<AppState>>,
    viewer: Viewer,
    Query(q): Query<QueueQuery>,
) -> WebResult<Response> {
    let filter = q.filter(&viewer);
    let after = nonempty(&q.after).and_then(QueueCursor::decode);
    let result = state
        .store
        .queue_page(&viewer.scope, &filter, after, PAGE_SIZE)
        .await?;
    if viewer.scope.is_oversight() {
        // Oversight reads other units' queues: each page is on the record.
        let unit = super::stats::audit_unit(&viewer.scope, &viewer.officer.unit);
        let entry = viewer.audit(unit, None, "queue-view", filter.status.as_str());
        state.store.audit(&entry, now_ms()).await?;
    }
    let new_count = state.store.new_tip_count(&viewer.scope).await?;
    let officers = state
        .store
        .list_officers(match &viewer.scope {
            Scope::All | Scope::National => None,
            Scope::Unit(u) | Scope::Province { unit: u, .. } => Some(u.as_str()),
        })
        .await?;
    let retention_ms = state
        .store
        .retention_days(viewer.settings.default_retention_days)
        .await
        * 86_400_000;
    let ctx = Ctx::new(&state.i18n, &viewer);
    let scope_name = scope_label(&state, &ctx, &viewer.scope).await;
    let now = now_ms();
    let sla_ms = viewer.settings.sla_hours * 3_600_000;
    let title = ctx.t("queue-title");
    let body = html! {
        div.titlebar {
            h1 { (title) @if let Some(n) = &scope_name { small { " · " (n) } } }
            p.counts {
                span.badge.new { (ctx.ta("queue-new-count", &[("count", FluentValue::from(new_count))])) }
                " " span.muted { (ctx.ta("queue-sla-note", &[("hours", FluentValue::from(viewer.settings.sla_hours))])) }
            }
        }
        (filters(&ctx, &q, &officers))
        @if result.tips.is_empty() {
            p.empty { (ctx.t("queue-empty")) }
        } @else {
            table.queue {
                thead { tr {
                    th { (ctx.t("col-priority")) } th { (ctx.t("col-reference")) } th { (ctx.t("col-category")) }
                    th { (ctx.t("col-area")) } th { (ctx.t("col-received")) } th { (ctx.t("col-status")) }
                    th { (ctx.t("col-assignee")) } th { (ctx.t("col-summary")) }
                } }
                tbody {
                    @for t in &result.tips { (row(&ctx, &state, t, now, sla_ms, retention_ms)) }
                }
            }
        }
        nav.pager {
            @if after.is_some() { a href={ "/queue?" (q.query_string()) } { (ctx.t("queue-first-page")) } }
            @if let Some(next) = result.next {
                a.next href={ "/queue?" (q.query_string()) "&after=" (next.encode()) } accesskey="n" { (ctx.t("queue-next-page")) }
            }
        }
    };
    Ok(shell(&ctx, &title, "queue", Some(new_count), body))
}

fn filters(
    ctx: &Ctx<'_>,
    q: &QueueQuery,
    officers: &[crate::storage::officers::Officer],
) -> Markup {
    let sel = |v: &Option<String>, x: &str| nonempty(v) == Some(x);
    html! {
        form.filters method="get" action="/queue" {
            label { (ctx.t("filter-status"))
                select name="status" {
                    @for f in StatusFilter::ALL {
                        option value=(f.as_str()) selected[sel(&q.status, f.as_str())] { (ctx.t(&format!("filter-status-{}", f.as_str()))) }
                    }
                }
            }
            label { (ctx.t("filter-category"))
                select name="category" {
                    option value="" { (ctx.t("filter-any")) }
                    @for c in Category::ALL {
                        option value=(c.as_str()) selected[sel(&q.category, c.as_str())] { (ctx.t(c.label_key())) }
                    }
                }
            }
            label { (ctx.t("filter-priority"))
                select name="priority" {
                    option value="" { (ctx.t("filter-any")) }
                    @for p in Priority::ALL {
                        option value=(p.as_str()) selected[sel(&q.priority, p.as_str())] { (ctx.t(p.label_key())) }
                    }
                }
            }
            label { (ctx.t("filter-ward")) input name="ward" size="6" inputmode="numeric" value=(nonempty(&q.ward).unwrap_or("")); }
            label { (ctx.t("filter-from")) input type="date" name="from" value=(nonempty(&q.from).unwrap_or("")); }
            label { (ctx.t("filter-to")) input type="date" name="to" value=(nonempty(&q.to).unwrap_or("")); }
            label { (ctx.t("filter-assignee"))
                select name="assignee" {
                    option value="" { (ctx.t("filter-any")) }
                    option value="me" selected[sel(&q.assignee, "me")] { (ctx.t("filter-assignee-me")) }
                    option value="none" selected[sel(&q.assignee, "none")] { (ctx.t("filter-assignee-none")) }
                    @for o in officers {
                        @let id = o.id.to_string();
                        option value=(id) selected[sel(&q.assignee, &id)] { (o.username) }
                    }
                }
            }
            label { (ctx.t("filter-reference")) input id="search" name="q" size="14" placeholder="TL-…" value=(nonempty(&q.q).unwrap_or("")); }
            button type="submit" { (ctx.t("filter-apply")) }
            a href="/queue" { (ctx.t("filter-reset")) }
        }
    }
}

fn row(
    ctx: &Ctx<'_>,
    state: &AppState,
    t: &TipRecord,
    now: i64,
    sla_ms: i64,
    retention_ms: i64,
) -> Markup {
    let waited = now - t.created_at;
    let overdue = t.first_response_at.is_none() && t.status != Status::Closed && waited > sla_ms;
    let purge_soon = t
        .closed_at
        .is_some_and(|c| c + retention_ms - PURGE_WARNING_MS <= now);
    let area = t
        .ward_code
        .and_then(|w| {
            state
                .areas
                .ward(crate::domain::area::WardCode(w as u32))
                .map(|w| w.name.clone())
        })
        .unwrap_or_else(|| ctx.t("area-ward-unknown"));
    html! {
        tr data-href={ "/tips/" (t.id) } {
            td { span class={ "badge prio-" (t.priority) } { (ctx.t(t.priority.label_key())) } }
            td.ref { a href={ "/tips/" (t.id) } { (t.reference) } }
            td { (ctx.t(t.category.label_key())) }
            td { (area) }
            td.nowrap {
                (text::time(t.created_at)) " "
                span class={ "badge age" @if overdue { " overdue" } } title=(if overdue { ctx.t("queue-overdue") } else { String::new() }) { (text::age(waited)) }
            }
            td {
                span class={ "badge st-" (t.status) } { (ctx.t(t.status.label_key())) }
                @if t.access == Access::ReadOnly { " " span.badge.informed { (ctx.t("queue-informed")) } }
                @if purge_soon { " " span.badge.purge title=(ctx.t("queue-purge-soon-title")) { (ctx.t("queue-purge-soon")) } }
            }
            td { (t.assignee.clone().unwrap_or_else(|| "–".into())) }
            td.summary { (text::preview(&t.description, 80)) }
        }
    }
}
