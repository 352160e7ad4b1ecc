//! The statistics charts, one SVG per request so the page stays light and
//! each image carries the same range and scope as the page.
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use super::auth::Viewer;
use super::charts::{self, Series};
use super::layout::Ctx;
use super::stats::{Range, StatsQuery};
use super::{WebError, WebResult, text};
use crate::app::AppState;
use crate::domain::tip::{Category, Resolution, Status};
use crate::storage::stats::WEEK_MS;

pub async fn chart(
    State(state): State<Arc<AppState>>,
    viewer: Viewer,
    Path(name): Path<String>,
    Query(q): Query<StatsQuery>,
) -> WebResult<Response> {
    let range = Range::resolve(&q, &viewer, &state);
    let ctx = Ctx::new(&state.i18n, &viewer);
    let unit = range.unit.as_deref();
    let labels = range.week_labels();
    let weeks = range.weeks();
    let empty = ctx.t("chart-empty");
    let svg = match name.as_str() {
        "weekly.svg" => {
            let rows = state
                .store
                .weekly_category_counts(unit, range.from_ms, range.to_ms)
                .await?;
            let series: Vec<Series> = Category::ALL
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
                        name: ctx.t(&format!("dash-category-{c}")),
                        values,
                    }
                })
                .collect();
            charts::lines(
                &ctx.t("chart-weekly"),
                &labels,
                &series,
                &ctx.t("chart-tips"),
                &empty,
            )
        }
        "status.svg" => {
            let counts = state
                .store
                .category_status_counts(unit, range.from_ms, range.to_ms)
                .await?;
            let mut bars: Vec<(String, i64)> = Vec::new();
            for s in [Status::New, Status::Open] {
                bars.push((
                    ctx.t(&format!("dash-status-{s}")),
                    counts
                        .iter()
                        .filter(|c| c.status == s.as_str())
                        .map(|c| c.n)
                        .sum(),
                ));
            }
            for r in Resolution::ALL {
                let n = counts
                    .iter()
                    .filter(|c| c.status == "closed" && c.resolution.as_deref() == Some(r.as_str()))
                    .map(|c| c.n)
                    .sum();
                bars.push((
                    format!(
                        "{}: {}",
                        ctx.t("dash-status-closed"),
                        ctx.t(&format!("dash-resolution-{r}"))
                    ),
                    n,
                ));
            }
            charts::bars(&ctx.t("chart-status"), &bars, &empty)
        }
        "response.svg" => {
            let timings = state
                .store
                .tip_timings(unit, range.from_ms, range.to_ms)
                .await?;
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
            let series = vec![
                Series {
                    name: ctx.t("stats-median-first"),
                    values: hours(first),
                },
                Series {
                    name: ctx.t("stats-median-close"),
                    values: hours(close),
                },
            ];
            charts::lines(
                &ctx.t("chart-response"),
                &labels,
                &series,
                &ctx.t("chart-hours"),
                &empty,
            )
        }
        "awareness.svg" => {
            let days = state.store.daily_counts(&range.from, &range.to).await?;
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
            let series = vec![
                Series {
                    name: ctx.t("chart-article-views"),
                    values: views,
                },
                Series {
                    name: ctx.t("chart-quiz-completions"),
                    values: quizzes,
                },
            ];
            charts::lines(
                &ctx.t("chart-awareness"),
                &labels,
                &series,
                &ctx.t("chart-count"),
                &empty,
            )
        }
        _ => return Err(WebError::NotFound),
    };
    let mut res = svg.into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("image/svg+xml"),
    );
    Ok(res)
}
