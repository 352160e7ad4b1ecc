//! The statistics charts, one SVG per request so the page stays light and
//! each image carries the same range and scope as the page.
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use super::auth::Viewer;
use super::charts::{self, Series};
use super::labels::Label;
use super::layout::Ctx;
use super::stats::{Range, StatsQuery};
use super::{WebError, WebResult, text};
use crate::app::AppState;
use crate::domain::tip::{Category, Resolution, Status};
use crate::storage::stats::WEEK_MS;

/// One chart of the statistics page: its file name and its Fluent keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chart {
    Weekly,
    Status,
    Response,
    Awareness,
}

impl Chart {
    /// In the order the page shows them.
    pub const ALL: [Chart; 4] = [
        Chart::Weekly,
        Chart::Status,
        Chart::Response,
        Chart::Awareness,
    ];

    /// The last path segment: `/stats/chart/<file name>`.
    pub fn file_name(self) -> &'static str {
        match self {
            Chart::Weekly => "weekly.svg",
            Chart::Status => "status.svg",
            Chart::Response => "response.svg",
            Chart::Awareness => "awareness.svg",
        }
    }

    /// The Fluent key of the title (also the image's alt text).
    pub fn title_key(self) -> &'static str {
        match self {
            Chart::Weekly => "chart-weekly",
            Chart::Status => "chart-status",
            Chart::Response => "chart-response",
            Chart::Awareness => "chart-awareness",
        }
    }

    fn from_file_name(name: &str) -> Option<Chart> {
        Chart::ALL.into_iter().find(|c| c.file_name() == name)
    }
}

pub async fn chart(
    State(state): State<Arc<AppState>>,
    viewer: Viewer,
    Path(name): Path<String>,
    Query(q): Query<StatsQuery>,
) -> WebResult<Response> {
    let chart = Chart::from_file_name(&name).ok_or(WebError::NotFound)?;
    let range = Range::resolve(&q, &viewer, &state)?;
    let ctx = Ctx::new(&state.i18n, &viewer);
    let title = ctx.t(chart.title_key());
    let empty = ctx.t("chart-empty");
    // Weekly line charts share the x axis; each names its y axis.
    let lines = |series: Vec<Series>, y_axis_key: &str| {
        charts::lines(
            &title,
            &range.week_labels(),
            &series,
            &ctx.t(y_axis_key),
            &empty,
        )
    };
    let svg = match chart {
        Chart::Weekly => lines(weekly_series(&state, &ctx, &range).await?, "chart-tips"),
        Chart::Status => charts::bars(&title, &status_bars(&state, &ctx, &range).await?, &empty),
        Chart::Response => lines(response_series(&state, &ctx, &range).await?, "chart-hours"),
        Chart::Awareness => lines(awareness_series(&state, &ctx, &range).await?, "chart-count"),
    };
    let mut res = svg.into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("image/svg+xml"),
    );
    Ok(res)
}

/// Tips per week, one line per category that has any.
async fn weekly_series(state: &AppState, ctx: &Ctx<'_>, range: &Range) -> WebResult<Vec<Series>> {
    let rows = state
        .store
        .weekly_category_counts(&range.area, range.from_ms, range.to_ms)
        .await?;
    let weeks = range.weeks();
    Ok(Category::ALL
        .iter()
        .filter(|c| rows.iter().any(|r| r.1 == c.as_str()))
        .map(|c| {
            let mut values = vec![Some(0.0); weeks];
            for (wk, _, n) in rows.iter().filter(|r| r.1 == c.as_str()) {
                if let Some(v) = values.get_mut(*wk as usize) {
                    *v = Some(*n as f64);
                }
            }
            Series {
                name: ctx.t(c.label_key()),
                values,
            }
        })
        .collect())
}

/// New, open, then closed by each resolution.
async fn status_bars(
    state: &AppState,
    ctx: &Ctx<'_>,
    range: &Range,
) -> WebResult<Vec<(String, i64)>> {
    let counts = state
        .store
        .category_status_counts(&range.area, range.from_ms, range.to_ms)
        .await?;
    let mut bars: Vec<(String, i64)> = Vec::new();
    for s in [Status::New, Status::Open] {
        let n = counts
            .iter()
            .filter(|c| c.status == s.as_str())
            .map(|c| c.n)
            .sum();
        bars.push((ctx.t(s.label_key()), n));
    }
    let closed = Status::Closed;
    for r in Resolution::ALL {
        let n = counts
            .iter()
            .filter(|c| c.status == closed.as_str() && c.resolution.as_deref() == Some(r.as_str()))
            .map(|c| c.n)
            .sum();
        let label = format!("{}: {}", ctx.t(closed.label_key()), ctx.t(r.label_key()));
        bars.push((label, n));
    }
    Ok(bars)
}

/// Median hours to first response and to closure, by week received.
async fn response_series(state: &AppState, ctx: &Ctx<'_>, range: &Range) -> WebResult<Vec<Series>> {
    let timings = state
        .store
        .tip_timings(&range.area, range.from_ms, range.to_ms)
        .await?;
    let weeks = range.weeks();
    let mut first = vec![Vec::new(); weeks];
    let mut close = vec![Vec::new(); weeks];
    for t in &timings {
        let wk = ((t.created_at - range.from_ms) / WEEK_MS) as usize;
        if let (Some(f), Some(v)) = (t.first_response_at, first.get_mut(wk)) {
            v.push(f - t.created_at);
        }
        if let (Some(c), Some(v)) = (t.closed_at, close.get_mut(wk)) {
            v.push(c - t.created_at);
        }
    }
    let hours = |v: Vec<Vec<i64>>| {
        v.into_iter()
            .map(|w| charts::median(w).map(|m| m as f64 / 3_600_000.0))
            .collect()
    };
    Ok(vec![
        Series {
            name: ctx.t("stats-median-first"),
            values: hours(first),
        },
        Series {
            name: ctx.t("stats-median-close"),
            values: hours(close),
        },
    ])
}

/// Article views and quiz completions per week (all channels, all units).
async fn awareness_series(
    state: &AppState,
    ctx: &Ctx<'_>,
    range: &Range,
) -> WebResult<Vec<Series>> {
    let days = state.store.daily_counts(&range.from, &range.to).await?;
    let weeks = range.weeks();
    let mut views = vec![Some(0.0); weeks];
    let mut quizzes = vec![Some(0.0); weeks];
    for d in &days {
        let Some(ms) = text::parse_date(&d.day) else {
            continue;
        };
        let wk = ((ms - range.from_ms) / WEEK_MS) as usize;
        let target = if d.kind == "article_view" {
            &mut views
        } else {
            &mut quizzes
        };
        if let Some(Some(v)) = target.get_mut(wk) {
            *v += d.n as f64;
        }
    }
    Ok(vec![
        Series {
            name: ctx.t("chart-article-views"),
            values: views,
        },
        Series {
            name: ctx.t("chart-quiz-completions"),
            values: quizzes,
        },
    ])
}
