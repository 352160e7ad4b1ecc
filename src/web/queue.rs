//! The queue page: a "needs attention" panel on top (new, overdue, unread
//! follow-ups), the unit's own tips and the ones it was only informed of as
//! two lists, filters folded on a phone, sorting, full-text search, totals,
//! keyset pages and bulk actions. `app.js` re-reads the page every few
//! seconds and swaps the panel and the list in place (see `data-live`).
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::response::Response;
use fluent_bundle::FluentValue;
use maud::html;

use super::auth::Viewer;
use super::layout::{Ctx, shell};
use super::queue_query::{QueueQuery, nonempty};
use super::queue_view::{attention_panel, filters, list, ownership_tabs};
use super::{WebResult, unit_lookup};
use crate::app::AppState;
use crate::bot::now_ms;
use crate::domain::routing::UnitCode;
use crate::storage::dashboard::{Scope, TipRecord};
use crate::storage::queue::{
    Ownership, QueueCursor, QueueFilter, QueuePage, QueueSort, StatusFilter,
};

pub const PAGE_SIZE: i64 = 50;
/// Rows in the "needs attention" panel.
pub const ATTENTION_ROWS: i64 = 8;
/// Closed tips are flagged this long before the purge deletes them.
pub const PURGE_WARNING_MS: i64 = 7 * 86_400_000;

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

/// The ward and province names of a tip, for the full-text search.
fn place_text(state: &AppState, t: &TipRecord) -> String {
    let ward = t.ward_code.and_then(|w| {
        state
            .areas
            .ward_label(crate::domain::area::WardCode(w as u32))
    });
    ward.unwrap_or_default()
}

/// A page of the view: through the search when words were typed.
async fn view_page(
    state: &AppState,
    scope: &Scope,
    filter: &QueueFilter,
    after: Option<QueueCursor>,
    limit: i64,
) -> WebResult<QueuePage> {
    if filter.text.is_some() {
        let place = |t: &TipRecord| place_text(state, t);
        return Ok(state
            .store
            .search_page(scope, filter, after, limit, &place)
            .await?);
    }
    Ok(state.store.queue_page(scope, filter, after, limit).await?)
}

pub async fn page(
    State(state): State<Arc<AppState>>,
    viewer: Viewer,
    Query(q): Query<QueueQuery>,
) -> WebResult<Response> {
    let now = now_ms();
    let sla_ms = viewer.settings.sla_hours * 3_600_000;
    let ward = unit_lookup::resolve_ward(&state.areas, nonempty(&q.ward));
    let filter = q.filter(&viewer, now - sla_ms, ward.ok().flatten());
    let after = nonempty(&q.after).and_then(QueueCursor::decode);
    let result = view_page(&state, &viewer.scope, &filter, after.clone(), PAGE_SIZE).await?;
    let attention_filter = QueueFilter {
        status: StatusFilter::Attention,
        sort: QueueSort::Attention,
        ownership: Ownership::Own,
        viewer_id: viewer.officer.id,
        overdue_before: now - sla_ms,
        ..QueueFilter::default()
    };
    let attention = state
        .store
        .queue_page(&viewer.scope, &attention_filter, None, ATTENTION_ROWS)
        .await?;
    if viewer.scope.is_oversight() {
        // Oversight reads other units' queues: each page is on the record.
        let unit = super::stats::audit_unit(&viewer.scope, &viewer.officer.unit);
        let entry = viewer.audit(unit, None, "queue-view", filter.status.as_str());
        state.store.audit(&entry, now_ms()).await?;
    }
    let other_side = match (&viewer.scope, filter.ownership) {
        (Scope::Unit(_) | Scope::Province { .. }, Ownership::Own) => Some(Ownership::Informed),
        (Scope::Unit(_) | Scope::Province { .. }, _) => Some(Ownership::Own),
        _ => None,
    };
    let other_total = match other_side {
        Some(o) => Some(
            state
                .store
                .queue_total(
                    &viewer.scope,
                    &QueueFilter {
                        ownership: o,
                        text: None,
                        ..filter.clone()
                    },
                )
                .await?,
        ),
        None => None,
    };
    let new_count = state.store.new_tip_count(&viewer.scope).await?;
    let urgent = state.store.newest_urgent_tip(&viewer.scope).await?;
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
    let ward_names = unit_lookup::ward_names(&state.areas, &viewer.scope);
    let look = super::queue_view::Look {
        state: &state,
        now,
        retention_ms,
    };
    let title = ctx.t("queue-title");
    let body = html! {
        div.titlebar {
            h1 { (title) @if let Some(n) = &scope_name { small { " · " (n) } } }
            p.counts {
                span.badge.new { (ctx.ta("queue-new-count", &[("count", FluentValue::from(new_count))])) }
                " " span.muted { (ctx.ta("queue-sla-note", &[("hours", FluentValue::from(viewer.settings.sla_hours))])) }
            }
        }
        div #live-alert.error role="alert" hidden data-urgent=(urgent.unwrap_or(0)) data-text=(ctx.t("queue-urgent-alert")) {}
        button #notify.link type="button" hidden { (ctx.t("queue-notify")) }
        (attention_panel(&ctx, &look, &attention))
        @if ward.is_err() { p.error role="alert" { (ctx.t("queue-ward-unknown")) } }
        (ownership_tabs(&ctx, &q, filter.ownership, result.total, other_total))
        (filters(&ctx, &q, &officers, &ward_names))
        (list(&ctx, &look, &q, &viewer, &officers, &result, after.is_some()))
    };
    Ok(shell(&ctx, &title, "queue", Some(new_count), body))
}
