//! Period reports: the form (`/reports`), the printable document
//! (`/reports/view`) and its exports (`/reports/export?format=csv|json|html`).
//! The area must lie in the viewer's scope (else 404); every view and export
//! is audited. `tipline report` builds the same report from the command line.
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use serde::Deserialize;

use super::auth::Viewer;
use super::layout::{Ctx, shell};
use super::stats::{AreaError, area_label, audit_unit, requested_area};
use super::{WebError, WebResult, text};
use crate::app::AppState;
use crate::bot::now_ms;

pub mod figures;
pub mod html;
pub mod model;
pub mod period;

use html::Delivery;
use model::Request;
use period::Period;

pub const JS: &str = include_str!("report.js");

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReportQuery {
    from: String,
    to: String,
    unit: String,
    province: String,
    suppress: String,
    format: String,
}

impl ReportQuery {
    fn query_string(&self, format: Option<&str>) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        s.append_pair("from", &self.from)
            .append_pair("to", &self.to);
        for (k, v) in [("unit", &self.unit), ("province", &self.province)] {
            if !v.trim().is_empty() {
                s.append_pair(k, v.trim());
            }
        }
        if self.suppress == "1" {
            s.append_pair("suppress", "1");
        }
        if let Some(f) = format {
            s.append_pair("format", f);
        }
        s.finish()
    }
}

/// A refused request: its message key and status.
fn refused(
    state: &AppState,
    viewer: &Viewer,
    q: &ReportQuery,
    key: &str,
    code: StatusCode,
) -> Response {
    let ctx = Ctx::new(&state.i18n, viewer);
    let mut res = form_page(&ctx, q, Some(&ctx.t(key)));
    *res.status_mut() = code;
    res
}

/// Resolves the request, or answers with why not.
async fn resolve(state: &AppState, viewer: &Viewer, q: &ReportQuery) -> Result<Request, Response> {
    let period = Period::parse(&q.from, &q.to)
        .map_err(|e| refused(state, viewer, q, e.key(), StatusCode::BAD_REQUEST))?;
    let area = match requested_area(viewer, state, Some(&q.unit), Some(&q.province)) {
        Ok(a) => a,
        Err(AreaError::UnknownUnit) => {
            return Err(refused(
                state,
                viewer,
                q,
                "report-error-unit",
                StatusCode::BAD_REQUEST,
            ));
        }
        Err(AreaError::UnknownProvince) => {
            return Err(refused(
                state,
                viewer,
                q,
                "report-error-province",
                StatusCode::BAD_REQUEST,
            ));
        }
        Err(AreaError::NotVisible) => return Err(WebError::NotFound.into_response()),
    };
    Ok(Request {
        area,
        period,
        suppress_small: q.suppress == "1",
    })
}

async fn build_audited(
    state: &AppState,
    viewer: &Viewer,
    req: &Request,
    action: &str,
    format: &str,
) -> WebResult<model::Report> {
    let detail = format!(
        "{} {}..{} {format}{}",
        req.area.code(),
        req.period.from_day(),
        req.period.to_day(),
        if req.suppress_small {
            " suppressed"
        } else {
            ""
        }
    );
    let unit = audit_unit(&viewer.scope, &viewer.officer.unit);
    state
        .store
        .audit(&viewer.audit(unit, None, action, &detail), now_ms())
        .await?;
    let ctx = Ctx::new(&state.i18n, viewer);
    let name = area_label(state, &ctx, &req.area).await;
    Ok(model::build(state, req, name).await?)
}

/// GET /reports: the form.
pub async fn page(
    State(state): State<Arc<AppState>>,
    viewer: Viewer,
    Query(q): Query<ReportQuery>,
) -> Response {
    let ctx = Ctx::new(&state.i18n, &viewer);
    form_page(&ctx, &q, None)
}

fn form_page(ctx: &Ctx<'_>, q: &ReportQuery, error: Option<&str>) -> Response {
    let today = text::date(now_ms());
    let from = if q.from.is_empty() {
        format!("{}-01", &today[..7])
    } else {
        q.from.clone()
    };
    let to = if q.to.is_empty() { today } else { q.to.clone() };
    let title = ctx.t("report-title");
    let body = html! {
        div.titlebar { h1 { (title) } }
        @if let Some(e) = error { p.flash.error role="alert" { (e) } }
        form.filters method="get" action="/reports/view" {
            label { (ctx.t("filter-from")) input type="date" name="from" value=(from) required; }
            label { (ctx.t("filter-to")) input type="date" name="to" value=(to) required; }
            label { (ctx.t("stats-unit")) input name="unit" size="10" placeholder="CA-26068" value=(q.unit); }
            label { (ctx.t("report-province")) input name="province" size="4" placeholder="75" value=(q.province); }
            label { input type="checkbox" name="suppress" value="1" checked[q.suppress == "1"]; " " (ctx.t("report-suppress")) }
            button type="submit" { (ctx.t("report-open")) }
        }
        p.muted { (ctx.t("report-help")) }
    };
    shell(ctx, &title, "reports", None, body)
}

fn toolbar(ctx: &Ctx<'_>, q: &ReportQuery) -> Markup {
    html! {
        nav.toolbar {
            a href={ "/reports?" (q.query_string(None)) } { "← " (ctx.t("report-back")) }
            button id="print" type="button" { (ctx.t("report-print")) }
            a id="csv" href={ "/reports/export?" (q.query_string(Some("csv"))) } { "CSV" }
            a id="json" href={ "/reports/export?" (q.query_string(Some("json"))) } { "JSON" }
            a id="html" href={ "/reports/export?" (q.query_string(Some("html"))) } { "HTML" }
        }
    }
}

/// GET /reports/view: the printable document.
pub async fn view(
    State(state): State<Arc<AppState>>,
    viewer: Viewer,
    Query(q): Query<ReportQuery>,
) -> WebResult<Response> {
    let req = match resolve(&state, &viewer, &q).await {
        Ok(r) => r,
        Err(res) => return Ok(res),
    };
    let report = build_audited(&state, &viewer, &req, "report-view", "html").await?;
    let ctx = Ctx::new(&state.i18n, &viewer);
    Ok(html::document(&ctx, &report, Delivery::Dashboard, toolbar(&ctx, &q)).into_response())
}

/// GET /reports/export: a download in the asked format.
pub async fn export(
    State(state): State<Arc<AppState>>,
    viewer: Viewer,
    Query(q): Query<ReportQuery>,
) -> WebResult<Response> {
    let format = match q.format.as_str() {
        "csv" | "json" | "html" => q.format.clone(),
        _ => {
            return Ok(refused(
                &state,
                &viewer,
                &q,
                "report-error-format",
                StatusCode::BAD_REQUEST,
            ));
        }
    };
    let req = match resolve(&state, &viewer, &q).await {
        Ok(r) => r,
        Err(res) => return Ok(res),
    };
    let report = build_audited(&state, &viewer, &req, "report-export", &format).await?;
    let ctx = Ctx::new(&state.i18n, &viewer);
    let (body, content_type) = render(&ctx, &report, &format)?;
    let filename = format!(
        "tipline-report-{}-{}-{}.{format}",
        report.scope.area, report.period.from, report.period.to
    );
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(res)
}

/// The report's bytes and content type in one of the file formats.
pub fn render(
    ctx: &Ctx<'_>,
    report: &model::Report,
    format: &str,
) -> WebResult<(Vec<u8>, &'static str)> {
    Ok(match format {
        "csv" => (
            figures::csv(report).map_err(|_| WebError::BadRequest)?,
            "text/csv; charset=utf-8",
        ),
        "json" => (
            serde_json::to_vec_pretty(report).map_err(|_| WebError::BadRequest)?,
            "application/json",
        ),
        _ => (
            html::document(ctx, report, Delivery::File, html! {})
                .into_string()
                .into_bytes(),
            "text/html; charset=utf-8",
        ),
    })
}

pub async fn css() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        html::CSS,
    )
}

pub async fn js() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        JS,
    )
}
