//! Statistics: counts and medians for a date range, as SVG charts, an HTML
//! table, and the CSV a unit sends upward. Officers and leads see their own
//! unit; an admin sees all units or picks one.
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use fluent_bundle::FluentValue;
use maud::html;
use serde::Deserialize;

use super::auth::Viewer;
use super::charts;
use super::labels::Label;
use super::layout::{Ctx, shell};
use super::stats_chart::Chart;
use super::stats_table::{CategoryTable, StatsColumn};
use super::{WebError, WebResult, text};
use crate::app::AppState;
use crate::bot::now_ms;
use crate::domain::routing::UnitCode;
use crate::storage::dashboard::Scope;
use crate::storage::stats::WEEK_MS;

const DEFAULT_WEEKS: i64 = 12;
const MAX_DAYS: i64 = 2 * 366;

#[derive(Debug, Default, Deserialize)]
pub struct StatsQuery {
    from: Option<String>,
    to: Option<String>,
    unit: Option<String>,
}

/// A resolved range and scope.
pub struct Range {
    pub from_ms: i64,
    pub to_ms: i64,
    pub from: String,
    pub to: String,
    pub unit: Option<String>,
}

impl Range {
    pub(super) fn resolve(q: &StatsQuery, viewer: &Viewer, state: &AppState) -> Self {
        let today = text::parse_date(&text::date(now_ms())).unwrap_or(0);
        let to_day = q.to.as_deref().and_then(text::parse_date).unwrap_or(today);
        let mut from_day = q
            .from
            .as_deref()
            .and_then(text::parse_date)
            .unwrap_or(to_day - DEFAULT_WEEKS * WEEK_MS + 86_400_000);
        if from_day > to_day || to_day - from_day > MAX_DAYS * 86_400_000 {
            from_day = to_day - DEFAULT_WEEKS * WEEK_MS + 86_400_000;
        }
        let unit = match &viewer.scope {
            Scope::Unit(u) => Some(u.clone()),
            Scope::All => q
                .unit
                .as_deref()
                .and_then(|u| UnitCode::parse_known(u, &state.areas))
                .map(|u| u.as_str().to_string()),
        };
        Range {
            from_ms: from_day,
            to_ms: to_day + 86_400_000,
            from: text::date(from_day),
            to: text::date(to_day),
            unit,
        }
    }

    pub(super) fn weeks(&self) -> usize {
        ((self.to_ms - self.from_ms + WEEK_MS - 1) / WEEK_MS).max(1) as usize
    }

    pub(super) fn week_labels(&self) -> Vec<String> {
        (0..self.weeks())
            .map(|w| text::date(self.from_ms + w as i64 * WEEK_MS)[5..].to_string())
            .collect()
    }

    fn query(&self) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        s.append_pair("from", &self.from)
            .append_pair("to", &self.to);
        if let Some(u) = &self.unit {
            s.append_pair("unit", u);
        }
        s.finish()
    }
}

pub async fn page(
    State(state): State<Arc<AppState>>,
    viewer: Viewer,
    Query(q): Query<StatsQuery>,
) -> WebResult<Response> {
    let range = Range::resolve(&q, &viewer, &state);
    let table = CategoryTable::load(&state, &range).await?;
    let timings = state
        .store
        .tip_timings(range.unit.as_deref(), range.from_ms, range.to_ms)
        .await?;
    let new_count = state.store.new_tip_count(&viewer.scope).await?;
    let total = table.totals()[0];
    let first = charts::median(
        timings
            .iter()
            .filter_map(|x| x.first_response_at.map(|f| f - x.created_at))
            .collect(),
    );
    let close = charts::median(
        timings
            .iter()
            .filter_map(|x| x.closed_at.map(|c| c - x.created_at))
            .collect(),
    );
    let ctx = Ctx::new(&state.i18n, &viewer);
    let query = range.query();
    let title = ctx.t("stats-title");
    let scope_label = range
        .unit
        .clone()
        .unwrap_or_else(|| ctx.t("stats-all-units"));
    let body = html! {
        div.titlebar {
            h1 { (title) small { " · " (scope_label) } }
        }
        form.filters method="get" action="/stats" {
            label { (ctx.t("filter-from")) input type="date" name="from" value=(range.from); }
            label { (ctx.t("filter-to")) input type="date" name="to" value=(range.to); }
            @if viewer.is_admin() {
                label { (ctx.t("stats-unit")) input name="unit" size="10" placeholder=(ctx.t("stats-all-units")) value=(range.unit.clone().unwrap_or_default()); }
            }
            button type="submit" { (ctx.t("filter-apply")) }
            a.button id="csv" href={ "/stats/export.csv?" (query) } { (ctx.t("stats-csv")) }
        }
        p.summary {
            (ctx.ta("stats-total", &[("count", FluentValue::from(total))])) " · "
            (ctx.t("stats-median-first")) ": " strong { (first.map(|m| format!("{} h", text::hours(m))).unwrap_or_else(|| "–".into())) } " · "
            (ctx.t("stats-median-close")) ": " strong { (close.map(|m| format!("{} h", text::hours(m))).unwrap_or_else(|| "–".into())) }
        }
        div.charts {
            @for chart in Chart::ALL {
                img src={ "/stats/chart/" (chart.file_name()) "?" (query) } alt=(ctx.t(chart.title_key())) width="720" height="320";
            }
        }
        h2 { (ctx.t("stats-table")) }
        table.counts {
            thead { tr {
                th { (ctx.t("col-category")) }
                @for col in StatsColumn::all() { th { (ctx.t(col.label_key())) } }
            } }
            tbody {
                @for (cat, row) in table.rows() {
                    tr { td { (ctx.t(cat.label_key())) } @for v in row { td.num { (v) } } }
                }
            }
        }
    };
    Ok(shell(&ctx, &title, "stats", Some(new_count), body))
}

pub async fn csv(
    State(state): State<Arc<AppState>>,
    viewer: Viewer,
    Query(q): Query<StatsQuery>,
) -> WebResult<Response> {
    let range = Range::resolve(&q, &viewer, &state);
    let table = CategoryTable::load(&state, &range).await?;
    let scope = range.unit.clone().unwrap_or_else(|| "all".into());
    let detail = format!("{scope} {}..{}", range.from, range.to);
    state
        .store
        .audit(
            &viewer.audit(
                range.unit.as_deref().unwrap_or(&viewer.officer.unit),
                None,
                "export",
                &detail,
            ),
            now_ms(),
        )
        .await?;
    let ctx = Ctx::new(&state.i18n, &viewer);
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["category".to_string(), "category_name".to_string()];
    header.extend(StatsColumn::all().map(|c| c.csv_name().to_string()));
    let write = |w: &mut csv::Writer<Vec<u8>>, rec: Vec<String>| {
        w.write_record(rec).map_err(|_| WebError::BadRequest)
    };
    write(&mut w, header)?;
    for (cat, row) in table.rows() {
        let mut rec = vec![cat.to_string(), ctx.t(cat.label_key())];
        rec.extend(row.iter().map(|v| v.to_string()));
        write(&mut w, rec)?;
    }
    let total = StatsColumn::Total;
    let mut rec = vec![total.csv_name().to_string(), ctx.t(total.label_key())];
    rec.extend(table.totals().iter().map(|v| v.to_string()));
    write(&mut w, rec)?;
    let mut body = "\u{feff}".as_bytes().to_vec(); // lets Excel read the Vietnamese names as UTF-8
    body.extend(w.into_inner().map_err(|_| WebError::BadRequest)?);
    let filename = format!("tipline-{scope}-{}-{}.csv", range.from, range.to);
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}
