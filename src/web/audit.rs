//! The audit trail for leads (their unit) and admins (everything).
use std::sync::Arc;

use axum::extract::State;
use axum::response::Response;
use maud::{Markup, html};

use super::auth::Viewer;
use super::layout::{Ctx, shell};
use super::{WebError, WebResult, text};
use crate::app::AppState;
use crate::storage::dashboard::AuditEntry;

pub fn audit_table(ctx: &Ctx<'_>, entries: &[AuditEntry]) -> Markup {
    html! {
        @if entries.is_empty() { p.empty { (ctx.t("audit-empty")) } } @else {
            table.audit {
                thead { tr { th { (ctx.t("audit-when")) } th { (ctx.t("audit-who")) } th { (ctx.t("audit-unit")) } th { (ctx.t("audit-tip")) } th { (ctx.t("audit-action")) } th { (ctx.t("audit-detail")) } } }
                tbody {
                    @for e in entries {
                        tr {
                            td.nowrap { (text::time(e.created_at)) } td { (e.username) } td.mono { (e.unit) }
                            td { @if let (Some(id), Some(r)) = (e.tip_id, &e.tip_reference) { a href={ "/tips/" (id) } { (r) } } }
                            td { (ctx.t(&format!("audit-action-{}", e.action))) } td { (e.detail) }
                        }
                    }
                }
            }
        }
    }
}

pub async fn audit_page(State(state): State<Arc<AppState>>, viewer: Viewer) -> WebResult<Response> {
    if !viewer.can_audit() {
        return Err(WebError::Forbidden);
    }
    let entries = state.store.audit_entries(&viewer.scope, None, 300).await?;
    let ctx = Ctx::new(&state.i18n, &viewer);
    let title = ctx.t("audit-title");
    let body =
        html! { h1 { (title) } p.muted { (ctx.t("audit-intro")) } (audit_table(&ctx, &entries)) };
    Ok(shell(&ctx, &title, "audit", None, body))
}
