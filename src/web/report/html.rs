//! The report as a printable Vietnamese administrative document: the issuing
//! unit and the national motto side by side, a title and period, numbered
//! sections I-V with tables and the project's SVG charts, and an A4 print
//! stylesheet. Every number sits in a cell whose `data-k` names its CSV row.
use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::figures::data_key;
use super::model::{Cell, Report, Uplift};
use crate::domain::tip::Category;
use crate::web::charts::{self, Series};
use crate::web::layout::Ctx;
use crate::web::outcome::number;

pub const CSS: &str = include_str!("report.css");

/// How the document is delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// Served by the dashboard: the stylesheet and print button come from /static.
    Dashboard,
    /// A file (export, CLI, PDF): styles inline, no script, no links.
    File,
}

fn fig(section: &str, key: &str, sub: &str, value: impl std::fmt::Display) -> Markup {
    html! { td.num data-k=(data_key(section, key, sub)) { (value) } }
}

fn opt_hours(v: Option<f64>) -> String {
    v.map(number).unwrap_or_default()
}

pub fn document(ctx: &Ctx<'_>, r: &Report, delivery: Delivery, toolbar: Markup) -> Markup {
    let title = ctx.t("report-title");
    html! {
        (DOCTYPE)
        html lang=(ctx.lang.code()) {
            head {
                meta charset="utf-8";
                title { (title) " · " (r.scope.name) " · " (r.period.from) " – " (r.period.to) }
                @match delivery {
                    Delivery::Dashboard => {
                        link rel="stylesheet" href="/static/report.css";
                        script src="/static/report.js" defer {}
                    }
                    Delivery::File => style { (PreEscaped(CSS)) },
                }
            }
            body {
                @if delivery == Delivery::Dashboard { (toolbar) }
                article.report {
                    (heading(ctx, r))
                    (section_tips(ctx, r))
                    (section_results(ctx, r))
                    (section_awareness(ctx, r))
                    (section_campaigns(ctx, r))
                    (section_trend(ctx, r))
                    p.footnote { (ctx.t("report-footnote")) }
                }
            }
        }
    }
}

fn heading(ctx: &Ctx<'_>, r: &Report) -> Markup {
    html! {
        header.doc-head {
            div.agency { p { (r.scope.name) } p.rule {} }
            div.motto {
                p.upper { "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" }
                p.bold { "Độc lập - Tự do - Hạnh phúc" }
                p.rule {}
            }
        }
        h1 { (ctx.t("report-heading")) }
        p.subtitle { (ctx.t("report-subtitle")) }
        p.subtitle { (ctx.ta("report-period", &[("from", r.period.from.clone().into()), ("to", r.period.to.clone().into())])) }
        @if r.small_cells_suppressed { p.note { (ctx.t("report-suppressed-note")) } }
    }
}

/// Category columns in the order of the report's maps (by name).
fn categories() -> Vec<&'static str> {
    let mut v: Vec<&str> = Category::ALL.iter().map(|c| c.as_str()).collect();
    v.sort_unstable();
    v
}

fn category_header(ctx: &Ctx<'_>) -> Markup {
    html! { @for c in categories() { th { (ctx.t(&format!("dash-category-{c}"))) } } }
}

fn section_tips(ctx: &Ctx<'_>, r: &Report) -> Markup {
    let t = &r.tips;
    let bars: Vec<(String, i64)> = t
        .by_category
        .iter()
        .map(|(k, c)| {
            (
                ctx.t(&format!("dash-category-{k}")),
                if let Cell::N(n) = c { *n } else { 0 },
            )
        })
        .collect();
    html! {
        h2 { "I. " (ctx.t("report-section-tips")) }
        table.figures {
            tr { th { (ctx.t("report-total-tips")) } (fig("tips", "total", "", t.total)) }
        }
        h3 { "1. " (ctx.t("report-by-category")) }
        table.figures {
            thead { tr { (category_header(ctx)) } }
            tbody { tr { @for (k, v) in &t.by_category { (fig("tips_by_category", k, "", v)) } } }
        }
        @if !r.small_cells_suppressed { div.chart { (PreEscaped(charts::bars(&ctx.t("report-by-category"), &bars, &ctx.t("chart-empty")))) } }
        h3 { "2. " (ctx.t("report-by-channel")) }
        table.figures {
            tbody { @for (k, v) in &t.by_channel { tr { th { (k) } (fig("tips_by_channel", k, "", v)) } } }
        }
        h3 { "3. " (ctx.t("report-by-ward")) }
        table.figures.wide {
            thead { tr { th { (ctx.t("report-ward")) } th { (ctx.t("report-total")) } (category_header(ctx)) } }
            tbody {
                @for w in &t.by_ward {
                    @let code = w.ward_code.map(|c| c.to_string()).unwrap_or_default();
                    tr {
                        th { @if w.ward.is_empty() { (ctx.t("area-ward-unknown")) } @else { (w.ward) } }
                        (fig("tips_by_ward", &code, "total", w.total))
                        @for (k, v) in &w.by_category { (fig("tips_by_ward", &code, k, v)) }
                    }
                }
            }
        }
    }
}

fn section_results(ctx: &Ctx<'_>, r: &Report) -> Markup {
    let t = &r.tips;
    let o = &r.outcomes;
    html! {
        h2 { "II. " (ctx.t("report-section-results")) }
        h3 { "1. " (ctx.t("report-by-status")) }
        table.figures {
            tbody {
                @for s in &t.by_status {
                    tr {
                        th { (ctx.t(&format!("dash-status-{}", s.status))) @if let Some(res) = &s.resolution { " – " (ctx.t(&format!("dash-resolution-{res}"))) } }
                        (fig("tips_by_status", &s.status, s.resolution.as_deref().unwrap_or(""), s.n))
                    }
                }
            }
        }
        table.figures {
            tr { th { (ctx.t("report-median-first")) } (fig("median_hours", "first_response", "", opt_hours(t.median_first_response_hours))) }
            tr { th { (ctx.t("report-median-close")) } (fig("median_hours", "close", "", opt_hours(t.median_close_hours))) }
        }
        h3 { "2. " (ctx.t("report-outcomes")) }
        table.figures {
            @for (k, v) in [("actioned", o.actioned), ("with_outcome", o.with_outcome), ("direct", o.direct), ("corroboration", o.corroboration), ("cases_opened", o.cases_opened), ("detained", o.detained), ("venues_closed", o.venues_closed)] {
                tr { th { (ctx.t(&format!("report-outcome-{k}"))) } (fig("outcomes", k, "", v)) }
            }
            @for s in &o.seized {
                tr {
                    th { (ctx.t("report-seized")) ": " (ctx.t(&format!("substance-{}", s.substance))) " (" (ctx.t(&format!("qty-unit-{}", s.unit))) ")" }
                    (fig("seized", &s.substance, &s.unit, number(s.quantity)))
                }
            }
        }
    }
}

fn section_awareness(ctx: &Ctx<'_>, r: &Report) -> Markup {
    let a = &r.awareness;
    html! {
        h2 { "III. " (ctx.t("report-section-awareness")) }
        p.note { (ctx.t("report-awareness-note")) }
        h3 { "1. " (ctx.t("report-article-views")) }
        table.figures { tbody { @for (k, v) in &a.article_views_by_topic { tr { th { (ctx.t(&format!("report-topic-{k}"))) } (fig("article_views", k, "", v)) } } } }
        h3 { "2. " (ctx.t("report-quiz")) }
        table.figures {
            thead { tr { th { (ctx.t("report-class")) } th { (ctx.t("report-completions")) } th { (ctx.t("report-mean-score")) } } }
            tbody {
                @for q in &a.quiz_by_class {
                    tr {
                        th { @if q.class.is_empty() { "–" } @else { (q.class) } }
                        (fig("quiz", &q.class, "completions", q.completions))
                        (fig("quiz", &q.class, "mean_score_percent", opt_hours(q.mean_score_percent)))
                    }
                }
            }
        }
        h3 { "3. " (ctx.t("report-deliveries")) }
        table.figures {
            tbody {
                @for (channel, states) in &a.deliveries {
                    @for (state, n) in states { tr { th { (channel) " – " (state) } (fig("deliveries", channel, state, n)) } }
                }
            }
        }
        h3 { "4. " (ctx.t("report-subscriptions")) }
        table.figures { tbody { @for (k, v) in &a.subscriptions { tr { th { (k) } (fig("subscriptions", k, "", v)) } } } }
    }
}

fn uplift_table(ctx: &Ctx<'_>, u: &Uplift) -> Markup {
    let sides = [
        ("targeted_before", Some(&u.targeted_before)),
        ("targeted_after", Some(&u.targeted_after)),
        ("matched_before", u.matched_before.as_ref()),
        ("matched_after", u.matched_after.as_ref()),
    ];
    html! {
        table.figures.wide {
            thead { tr { th {} th { (ctx.t("report-total")) } (category_header(ctx)) } }
            tbody {
                @for (side, counts) in sides {
                    @if let Some(counts) = counts {
                        @let key = format!("{}:{side}", u.campaign_id);
                        tr {
                            th { (ctx.t(&format!("report-uplift-{side}"))) }
                            (fig("uplift", &key, "total", counts.values().sum::<i64>()))
                            @for (k, v) in counts { (fig("uplift", &key, k, v)) }
                        }
                    }
                }
            }
        }
    }
}

fn section_campaigns(ctx: &Ctx<'_>, r: &Report) -> Markup {
    html! {
        h2 { "IV. " (ctx.t("report-section-campaigns")) }
        p.note { (ctx.t("report-uplift-caveat")) }
        @if r.campaigns.is_empty() { p { (ctx.t("report-no-campaigns")) } }
        @for u in &r.campaigns {
            h3 { (u.title) " · " (u.first_delivery) }
            p {
                (ctx.t("report-uplift-targeted")) ": "
                @match &u.targeted_provinces { Some(p) => (join(p)), None => (ctx.t("report-uplift-all-provinces")) }
                " · " (ctx.t("report-uplift-matched")) ": "
                @if u.matched_provinces.is_empty() { (ctx.t("report-uplift-no-match")) } @else { (join(&u.matched_provinces)) }
            }
            (uplift_table(ctx, u))
        }
    }
}

fn join(v: &[i64]) -> String {
    v.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")
}

fn section_trend(ctx: &Ctx<'_>, r: &Report) -> Markup {
    let labels: Vec<String> = r
        .weekly
        .iter()
        .map(|w| w.from.get(5..).unwrap_or(&w.from).to_string())
        .collect();
    let series = vec![Series {
        name: ctx.t("report-total-tips"),
        values: r.weekly.iter().map(|w| Some(w.total as f64)).collect(),
    }];
    html! {
        h2 { "V. " (ctx.t("report-section-trend")) }
        table.figures.wide {
            thead { tr { th { (ctx.t("report-week")) } th { (ctx.t("report-total")) } (category_header(ctx)) } }
            tbody {
                @for w in &r.weekly {
                    tr { th { (w.from) } (fig("weekly", &w.from, "total", w.total)) @for (k, v) in &w.by_category { (fig("weekly", &w.from, k, v)) } }
                }
            }
        }
        div.chart { (PreEscaped(charts::lines(&ctx.t("report-section-trend"), &labels, &series, &ctx.t("report-total-tips"), &ctx.t("chart-empty")))) }
        h3 { (ctx.t("report-last-year")) }
        @match &r.last_year {
            None => p { (ctx.t("report-no-last-year")) },
            Some(ly) => {
                p { (ly.from) " – " (ly.to) }
                table.figures.wide {
                    thead { tr { th { (ctx.t("report-total")) } (category_header(ctx)) } }
                    tbody { tr { (fig("last_year", "total", "", ly.total)) @for (k, v) in &ly.by_category { (fig("last_year", k, "", v)) } } }
                }
            }
        }
    }
}
