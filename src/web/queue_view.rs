//! The queue page's parts: the "needs attention" panel, the own/informed
//! tabs, the folded filters, and the list with its bulk actions. The list is
//! a table on a desk and a stack of cards on a phone (app.css).
use fluent_bundle::FluentValue;
use maud::{Markup, html};

use super::auth::Viewer;
use super::labels::Label;
use super::layout::Ctx;
use super::queue::PURGE_WARNING_MS;
use super::queue_query::{QueueQuery, nonempty};
use super::text;
use super::unit_lookup::datalist;
use crate::app::AppState;
use crate::domain::area::WardCode;
use crate::domain::tip::{Category, Priority, WhenSeen};
use crate::storage::dashboard::Access;
use crate::storage::officers::Officer;
use crate::storage::queue::{Ownership, QueuePage, QueueRow, QueueSort, StatusFilter};

/// What every row needs to know besides itself.
pub struct Look<'a> {
    pub state: &'a AppState,
    pub now: i64,
    pub retention_ms: i64,
}

impl Look<'_> {
    fn area(&self, ctx: &Ctx<'_>, ward: Option<i64>) -> String {
        ward.and_then(|w| self.state.areas.ward(WardCode(w as u32)))
            .map(|w| w.name.clone())
            .unwrap_or_else(|| ctx.t("area-ward-unknown"))
    }
}

/// New tips, overdue ones and unread follow-ups (open or closed), unread first.
pub fn attention_panel(ctx: &Ctx<'_>, look: &Look<'_>, page: &QueuePage) -> Markup {
    html! {
        section #attention.attention data-live {
            h2 {
                (ctx.t("queue-attention")) " "
                span.badge.count { (page.total) }
                " " a.small href="/queue?status=attention&sort=attention" { (ctx.t("queue-attention-all")) }
            }
            @if page.tips.is_empty() {
                p.empty { (ctx.t("queue-attention-empty")) }
            } @else {
                ul.attention-list {
                    @for r in &page.tips {
                        li class=@if r.unread { "unread" } {
                            a.ref href={ "/tips/" (r.tip.id) } { (r.tip.reference) } " "
                            (badges(ctx, r))
                            " " span.muted { (ctx.t(r.tip.category.label_key())) " · " (look.area(ctx, r.tip.ward_code)) " · " (activity(ctx, r)) }
                        }
                    }
                }
            }
        }
    }
}

fn activity(ctx: &Ctx<'_>, r: &QueueRow) -> String {
    match r.last_activity_at {
        Some(at) => ctx.ta(
            "queue-last-activity",
            &[("time", FluentValue::from(text::time(at)))],
        ),
        None => ctx.ta(
            "queue-received-at",
            &[("time", FluentValue::from(text::time(r.tip.created_at)))],
        ),
    }
}

/// Unread follow-up, priority, status, overdue and "happening now" marks.
fn badges(ctx: &Ctx<'_>, r: &QueueRow) -> Markup {
    let t = &r.tip;
    html! {
        @if r.unread { span.badge.unread { (ctx.t("queue-unread")) } " " }
        span class={ "badge prio-" (t.priority) } { (ctx.t(t.priority.label_key())) } " "
        span class={ "badge st-" (t.status) } { (ctx.t(t.status.label_key())) }
        @if r.overdue { " " span.badge.overdue { (ctx.t("queue-overdue-short")) } }
        @if t.when_seen == WhenSeen::Now { " " span.badge.now { (ctx.t(t.when_seen.label_key())) } }
    }
}

/// "Own tips (120) | Informed (8)": two lists, never mixed.
pub fn ownership_tabs(
    ctx: &Ctx<'_>,
    q: &QueueQuery,
    current: Ownership,
    total: i64,
    other: Option<i64>,
) -> Markup {
    let Some(other) = other else {
        return html! { p.totals { (ctx.ta("queue-total", &[("count", FluentValue::from(total))])) } };
    };
    let (own, informed) = if current == Ownership::Own {
        (total, other)
    } else {
        (other, total)
    };
    html! {
        nav.tabs {
            a class=@if current == Ownership::Own { "active" } href={ "/queue?" (q.with(&[("own", "")])) } {
                (ctx.ta("queue-tab-own", &[("count", FluentValue::from(own))]))
            }
            a class=@if current == Ownership::Informed { "active" } href={ "/queue?" (q.with(&[("own", "informed")])) } {
                (ctx.ta("queue-tab-informed", &[("count", FluentValue::from(informed))]))
            }
        }
    }
}

fn select_of<T: Copy>(
    ctx: &Ctx<'_>,
    name: &str,
    current: Option<&str>,
    any: bool,
    items: &[T],
    value: impl Fn(T) -> &'static str,
    key: impl Fn(T) -> String,
) -> Markup {
    html! {
        select name=(name) {
            @if any { option value="" { (ctx.t("filter-any")) } }
            @for i in items {
                option value=(value(*i)) selected[current == Some(value(*i))] { (ctx.t(&key(*i))) }
            }
        }
    }
}

pub fn filters(ctx: &Ctx<'_>, q: &QueueQuery, officers: &[Officer], wards: &[String]) -> Markup {
    let sel = |v: &Option<String>, x: &str| nonempty(v) == Some(x);
    let used = [
        &q.category,
        &q.priority,
        &q.ward,
        &q.from,
        &q.to,
        &q.assignee,
    ]
    .iter()
    .any(|v| nonempty(v).is_some());
    html! {
        form.search method="get" action="/queue" role="search" {
            @if let Some(o) = nonempty(&q.own) { input type="hidden" name="own" value=(o); }
            input #search type="search" name="q" value=(nonempty(&q.q).unwrap_or("")) placeholder=(ctx.t("filter-search-placeholder")) aria-label=(ctx.t("filter-search"));
            (select_of(ctx, "status", nonempty(&q.status), false, &StatusFilter::ALL, |f| f.as_str(), |f| format!("filter-status-{}", f.as_str())))
            (select_of(ctx, "sort", nonempty(&q.sort), false, &QueueSort::ALL, |s| s.as_str(), |s| format!("queue-sort-{}", s.as_str())))
            button type="submit" { (ctx.t("filter-apply")) }
        }
        details.filters open[used] {
            summary { (ctx.t("filter-more")) }
            form.filters method="get" action="/queue" {
                @for (k, v) in [("q", &q.q), ("status", &q.status), ("sort", &q.sort), ("own", &q.own)] {
                    @if let Some(v) = nonempty(v) { input type="hidden" name=(k) value=(v); }
                }
                label { (ctx.t("filter-category")) (select_of(ctx, "category", nonempty(&q.category), true, Category::ALL, |c| c.as_str(), |c| c.label_key().to_string())) }
                label { (ctx.t("filter-priority")) (select_of(ctx, "priority", nonempty(&q.priority), true, Priority::ALL, |p| p.as_str(), |p| p.label_key().to_string())) }
                label { (ctx.t("filter-ward")) input name="ward" list="ward-names" size="16" value=(nonempty(&q.ward).unwrap_or("")); }
                (datalist("ward-names", wards))
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
                button type="submit" { (ctx.t("filter-apply")) }
                a href="/queue" { (ctx.t("filter-reset")) }
            }
        }
    }
}

/// The list, its totals and pager, and the bulk form its checkboxes feed.
pub fn list(
    ctx: &Ctx<'_>,
    look: &Look<'_>,
    q: &QueueQuery,
    viewer: &Viewer,
    officers: &[Officer],
    page: &QueuePage,
    paged: bool,
) -> Markup {
    let own = q.ownership() == Ownership::Own;
    html! {
        div #queue-list data-live {
            p.totals { (ctx.ta("queue-showing", &[("shown", FluentValue::from(page.tips.len())), ("count", FluentValue::from(page.total))])) }
            @if page.tips.is_empty() {
                p.empty { (ctx.t("queue-empty")) }
            } @else {
                @if own { (bulk_form(ctx, q, viewer, officers)) }
                table.queue {
                    thead { tr {
                        @if own { th { span.sr { (ctx.t("bulk-select")) } } }
                        th { (ctx.t("col-priority")) } th { (ctx.t("col-reference")) } th { (ctx.t("col-category")) }
                        th { (ctx.t("col-area")) } th { (ctx.t("col-received")) } th { (ctx.t("col-activity")) }
                        th { (ctx.t("col-status")) } th { (ctx.t("col-assignee")) } th { (ctx.t("col-summary")) }
                    } }
                    tbody {
                        @for r in &page.tips { (row(ctx, look, r, own)) }
                    }
                }
            }
            nav.pager {
                @if paged { a href={ "/queue?" (q.query_string()) } { (ctx.t("queue-first-page")) } }
                @if let Some(next) = &page.next {
                    a.next href={ "/queue?" (q.query_string()) "&after=" (next.encode()) } accesskey="n" { (ctx.t("queue-next-page")) }
                }
            }
        }
    }
}

fn bulk_form(ctx: &Ctx<'_>, q: &QueueQuery, viewer: &Viewer, officers: &[Officer]) -> Markup {
    let lead = viewer.officer.role.leads();
    html! {
        form #bulk.bulk method="post" action="/queue/bulk" data-confirm=(ctx.t("bulk-confirm")) {
            (ctx.csrf())
            input type="hidden" name="back" value=(q.query_string());
            span.muted { (ctx.t("bulk-title")) }
            select #bulk-action name="action" aria-label=(ctx.t("bulk-action")) {
                option value="claim" { (ctx.t("bulk-claim")) }
                @if lead { option value="assign" { (ctx.t("bulk-assign")) } }
                option value="label" { (ctx.t("bulk-label")) }
                option value="duplicate" { (ctx.t("bulk-duplicate")) }
            }
            @if lead {
                select name="officer" aria-label=(ctx.t("action-assign-to")) {
                    option value="" { (ctx.t("action-nobody")) }
                    @for o in officers.iter().filter(|o| !o.disabled) { option value=(o.id) { (o.username) } }
                }
            }
            input name="label" size="12" placeholder=(ctx.t("bulk-label-placeholder")) aria-label=(ctx.t("bulk-label"));
            input #bulk-primary name="primary" size="15" placeholder=(ctx.t("bulk-primary-placeholder")) aria-label=(ctx.t("bulk-primary"));
            button #bulk-apply type="submit" { (ctx.t("bulk-apply")) }
        }
    }
}

fn row(ctx: &Ctx<'_>, look: &Look<'_>, r: &QueueRow, selectable: bool) -> Markup {
    let t = &r.tip;
    let purge_soon = t
        .closed_at
        .is_some_and(|c| c + look.retention_ms - PURGE_WARNING_MS <= look.now);
    html! {
        tr data-href={ "/tips/" (t.id) } class=@if r.unread { "unread" } {
            @if selectable {
                td.pick { input type="checkbox" name="id" value=(t.id) form="bulk" aria-label=(t.reference); }
            }
            td { span class={ "badge prio-" (t.priority) } { (ctx.t(t.priority.label_key())) } }
            td.ref {
                a href={ "/tips/" (t.id) } { (t.reference) }
                @if r.unread { " " span.badge.unread { (ctx.t("queue-unread")) } }
            }
            td { (ctx.t(t.category.label_key())) }
            td { (look.area(ctx, t.ward_code)) }
            td.nowrap {
                (text::time(t.created_at)) " "
                span class={ "badge age" @if r.overdue { " overdue" } } title=(if r.overdue { ctx.t("queue-overdue") } else { String::new() }) { (text::age(look.now - t.created_at)) }
                br;
                span class=@if t.when_seen == WhenSeen::Now { "badge now" } @else { "muted" } { (ctx.t(t.when_seen.label_key())) }
            }
            td.nowrap { (r.last_activity_at.map(text::time).unwrap_or_else(|| "–".into())) }
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
