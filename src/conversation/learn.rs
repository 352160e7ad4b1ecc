//! Awareness reading: topics, articles in chat-sized pages with "more", and search.
use fluent_bundle::FluentValue;

use super::menu;
use super::state::{Session, Step};
use super::types::{Choice, Ctx, Effect, Input, Outcome, Reply};
use crate::content::article::display_date;
use crate::content::{Topic, search};

const SEARCH_LIMIT: usize = 5;

fn t(ctx: &Ctx<'_>, session: &Session, key: &str) -> String {
    ctx.i18n.tr(session.lang, key)
}

fn nav(ctx: &Ctx<'_>, session: &Session) -> Vec<Choice> {
    vec![
        Choice::new("learn:topics", t(ctx, session, "learn-topics-button")),
        Choice::new("learn:menu", t(ctx, session, "back-to-menu")),
    ]
}

pub fn topics(session: &mut Session, ctx: &mut Ctx<'_>, out: &mut Outcome) {
    session.step = Step::Topics;
    let mut options: Vec<Choice> = Topic::ALL
        .iter()
        .map(|tp| {
            Choice::new(
                format!("topic:{}", tp.id()),
                t(ctx, session, &format!("topic-{}", tp.id())),
            )
        })
        .collect();
    options.push(Choice::new("learn:menu", t(ctx, session, "back-to-menu")));
    out.replies.push(Reply::with_options(
        t(ctx, session, "learn-pick-topic"),
        options,
    ));
}

fn topic_articles(session: &mut Session, topic: Topic, ctx: &mut Ctx<'_>, out: &mut Outcome) {
    session.step = Step::TopicArticles {
        topic: topic.id().to_string(),
    };
    let mut options: Vec<Choice> = ctx
        .content
        .lang(session.lang)
        .articles
        .iter()
        .filter(|a| a.topic == topic)
        .map(|a| Choice::new(format!("art:{}", a.id), a.short_title.clone()))
        .collect();
    options.extend(nav(ctx, session));
    let text = ctx.i18n.tr_args(
        session.lang,
        "learn-pick-article",
        &[(
            "topic",
            FluentValue::from(t(ctx, session, &format!("topic-{}", topic.id()))),
        )],
    );
    out.replies.push(Reply::with_options(text, options));
}

/// Shows one page; the first page counts as a view.
pub fn read(session: &mut Session, id: &str, page: usize, ctx: &mut Ctx<'_>, out: &mut Outcome) {
    let l = session.lang;
    let Some(article) = ctx.content.article(l, id) else {
        return topics(session, ctx, out);
    };
    let page = page.min(article.pages.len().saturating_sub(1));
    let last = page + 1 == article.pages.len();
    let mut text = String::new();
    if page == 0 {
        text.push_str(&format!("📖 {}\n\n", article.title));
        out.effects.push(Effect::CountArticleView {
            article: article.id.clone(),
            lang: l,
        });
    }
    text.push_str(&article.pages[page]);
    let mut options = Vec::new();
    if last {
        let sources: Vec<String> = article
            .sources
            .iter()
            .map(|s| format!("• {} ({})", s.title, s.date))
            .collect();
        let footer = ctx.i18n.tr_args(
            l,
            "learn-footer",
            &[
                ("sources", FluentValue::from(sources.join("\n"))),
                (
                    "reviewed",
                    FluentValue::from(display_date(&article.last_reviewed, l)),
                ),
            ],
        );
        text.push_str("\n\n");
        text.push_str(&footer);
        for r in &article.related {
            if let Some(rel) = ctx.content.article(l, r) {
                options.push(Choice::new(
                    format!("art:{}", rel.id),
                    rel.short_title.clone(),
                ));
            }
        }
        options.push(Choice::new(
            "learn:report",
            t(ctx, session, "learn-report-shortcut"),
        ));
    } else {
        let label = ctx.i18n.tr_args(
            l,
            "learn-more",
            &[
                ("page", FluentValue::from(page + 2)),
                ("pages", FluentValue::from(article.pages.len())),
            ],
        );
        options.push(Choice::new("learn:more", label));
    }
    options.extend(nav(ctx, session));
    session.step = Step::Reading {
        article: article.id.clone(),
        page,
    };
    out.replies.push(Reply::with_options(text, options));
}

/// Free text outside a flow: find articles.
pub fn search(session: &mut Session, query: &str, ctx: &mut Ctx<'_>, out: &mut Outcome) {
    let hits = search::search(
        &ctx.content.lang(session.lang).articles,
        query,
        SEARCH_LIMIT,
    );
    // With or without hits, the answer ends with "report" and "menu", so
    // someone who came to report is never stuck among articles.
    let report = Choice::new("learn:report", t(ctx, session, "learn-report-shortcut"));
    if hits.is_empty() {
        out.replies
            .push(Reply::text(t(ctx, session, "learn-no-results")));
        topics(session, ctx, out);
        if let Some(last) = out.replies.last_mut() {
            let at = last.options.len().saturating_sub(1);
            last.options.insert(at, report);
        }
        return;
    }
    let mut options: Vec<Choice> = hits
        .iter()
        .map(|a| Choice::new(format!("art:{}", a.id), a.short_title.clone()))
        .collect();
    options.push(report);
    options.extend(nav(ctx, session));
    session.step = Step::SearchResults;
    out.replies.push(Reply::with_options(
        t(ctx, session, "learn-results"),
        options,
    ));
}

/// Input while browsing (topics, article lists, reading, search results).
pub fn on_input(
    session: &mut Session,
    input: Input,
    ic: &super::engine::InboundCtx,
    ctx: &mut Ctx<'_>,
    out: &mut Outcome,
) {
    match input {
        Input::Choice(id) => match id.as_str() {
            "learn:topics" => topics(session, ctx, out),
            "learn:menu" => menu::show(session, ctx, out),
            "learn:report" => super::report::start_or_resume(session, ic, ctx, out),
            "learn:more" => match session.step.clone() {
                Step::Reading { article, page } => read(session, &article, page + 1, ctx, out),
                _ => topics(session, ctx, out),
            },
            other => {
                if let Some(topic) = other.strip_prefix("topic:").and_then(Topic::parse) {
                    topic_articles(session, topic, ctx, out)
                } else if let Some(article) = other.strip_prefix("art:") {
                    read(session, article, 0, ctx, out)
                } else {
                    menu::not_understood(session, ctx, out)
                }
            }
        },
        Input::Text(text) if super::intent::is_report(ctx, &text) => {
            super::intent::offer_report(session, &text, ctx, out)
        }
        Input::Text(text) => search(session, &text, ctx, out),
        _ => menu::not_understood(session, ctx, out),
    }
}
