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
use super::queue::{province_name, unit_label};
use super::stats_chart::Chart;
use super::stats_table::{CategoryTable, StatsColumn};
use super::{WebError, WebResult, text};
use crate::app::AppState;
use crate::bot::now_ms;
use crate::domain::area::ProvinceCode;
use crate::domain::routing::UnitCode;
use crate::storage::dashboard::Scope;
use crate::storage::scope::Area;
use crate::storage::stats::WEEK_MS;

const DEFAULT_WEEKS: i64 = 12;
const MAX_DAYS: i64 = 2 * 366;

#[derive(Debug, Default, Deserialize)]
pub struct StatsQuery {
    from: Option<String>,
    to: Option<String>,
    unit: Option<String>,
    province: Option<String>,
}

/// A resolved range and the area it counts.
pub struct Range {
    pub from_ms: i64,
    pub to_ms: i64,
    pub from: String,
    pub to: String,
    pub area: Area,
}

impl Range {
    /// The dates asked for (a bad range falls back to the last weeks) and the
    /// area, which the viewer's scope must allow: anything else is a 404.
    pub(super) fn resolve(q: &StatsQuery, viewer: &Viewer, state: &AppState) -> WebResult<Self> {
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
        let area = requested_area(viewer, state, q.unit.as_deref(), q.province.as_deref())
            .map_err(|_| WebError::NotFound)?;
        Ok(Range {
            from_ms: from_day,
            to_ms: to_day + 86_400_000,
            from: text::date(from_day),
            to: text::date(to_day),
            area,
        })
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
        match &self.area {
            Area::All => {}
            Area::Unit(u) => {
                s.append_pair("unit", u);
            }
            Area::Province(p) => {
                s.append_pair("province", &p.to_string());
            }
        }
        s.finish()
    }
}

pub async fn page(
    State(state): State<Arc<AppState>>,
    viewer: Viewer,
    Query(q): Query<StatsQuery>,
) -> WebResult<Response> {
    let range = Range::resolve(&q, &viewer, &state)?;
    if viewer.scope.is_oversight() {
        let detail = format!("{} {}..{}", range.area.code(), range.from, range.to);
        let unit = audit_unit(&viewer.scope, &viewer.officer.unit);
        let entry = viewer.audit(unit, None, "stats-view", &detail);
        state.store.audit(&entry, now_ms()).await?;
    }
    let table = CategoryTable::load(&state, &range).await?;
    let timings = state
        .store
        .tip_timings(&range.area, range.from_ms, range.to_ms)
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
    let scope_label = area_label(&state, &ctx, &range.area).await;
    let body = html! {
        div.titlebar {
            h1 { (title) small { " · " (scope_label) } }
        }
        form.filters method="get" action="/stats" {
            label { (ctx.t("filter-from")) input type="date" name="from" value=(range.from); }
            label { (ctx.t("filter-to")) input type="date" name="to" value=(range.to); }
            @if viewer.scope != Scope::Unit(viewer.officer.unit.clone()) {
                label { (ctx.t("stats-unit")) input name="unit" size="10" placeholder=(ctx.t("stats-all-units")) value=(unit_value(&range.area)); }
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
    let range = Range::resolve(&q, &viewer, &state)?;
    let table = CategoryTable::load(&state, &range).await?;
    let scope = range.area.code();
    let detail = format!("{scope} {}..{}", range.from, range.to);
    state
        .store
        .audit(
            &viewer.audit(
                audit_unit(&viewer.scope, &viewer.officer.unit),
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

/// Why a requested area was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AreaError {
    UnknownUnit,
    UnknownProvince,
    /// Outside the viewer's scope, or both a unit and a province: a 404.
    NotVisible,
}

/// The area a statistic or report asks for: a unit (`CA-26068`, `PC04-75`),
/// a province code, or neither for the viewer's own. Unit and province codes
/// are public (the ward list), so naming a bad one gives nothing away; an
/// area outside the viewer's scope is a 404.
pub fn requested_area(
    viewer: &Viewer,
    state: &AppState,
    unit: Option<&str>,
    province: Option<&str>,
) -> Result<Area, AreaError> {
    let unit = match unit.map(str::trim).filter(|u| !u.is_empty()) {
        Some(u) => Some(UnitCode::parse_known(u, &state.areas).ok_or(AreaError::UnknownUnit)?),
        None => None,
    };
    let province = match province.map(str::trim).filter(|p| !p.is_empty()) {
        Some(p) => Some(
            p.parse::<u32>()
                .ok()
                .map(ProvinceCode)
                .filter(|p| state.areas.province(*p).is_some())
                .ok_or(AreaError::UnknownProvince)?,
        ),
        None => None,
    };
    viewer
        .scope
        .area(unit.as_ref(), province, &state.areas)
        .ok_or(AreaError::NotVisible)
}

/// The audit row's unit for a read that is not about one tip: the scope's own
/// unit, where it has one (an admin's or the ministry's desk otherwise).
pub fn audit_unit<'a>(scope: &'a Scope, officer_unit: &'a str) -> &'a str {
    scope.own_unit().unwrap_or(officer_unit)
}

fn unit_value(area: &Area) -> String {
    match area {
        Area::Unit(u) => u.clone(),
        Area::All | Area::Province(_) => String::new(),
    }
}

/// An area's display name.
pub async fn area_label(state: &AppState, ctx: &Ctx<'_>, area: &Area) -> String {
    match area {
        Area::All => ctx.t("stats-all-units"),
        Area::Unit(u) => unit_label(state, u).await,
        Area::Province(p) => province_name(state, *p),
    }
}
