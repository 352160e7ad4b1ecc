//! Teachers' class codes on the web: an officer can issue one for a school
//! (`/classes`), and a teacher reads the class's results through the secret
//! link the bot or the dashboard gave them (`/lop/{token}`), without a login.
use std::sync::Arc;

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use fluent_bundle::FluentValue;
use maud::{Markup, html};
use rand::RngCore;
use serde::Deserialize;

use super::WebResult;
use super::auth::{LangQuery, Viewer};
use super::layout::{Ctx, public_page, shell};
use crate::app::AppState;
use crate::bot::now_ms;
use crate::content::Catalog;
use crate::domain::quiz::{
    class_token_hash, is_class_token, parse_class_label, school_year_end_ms,
};
use crate::domain::time::vn_day;
use crate::i18n::Lang;
use crate::storage::counters::ClassStats;

/// Questions listed as "most often missed".
const MISSED_SHOWN: usize = 5;

/// `GET /lop/{token}`: the class's results, for whoever holds the link.
pub async fn results(
    State(state): State<Arc<AppState>>,
    Path(token): Path<String>,
    Query(q): Query<LangQuery>,
) -> WebResult<Response> {
    let lang = q.lang.as_deref().and_then(Lang::parse).unwrap_or(Lang::Vi);
    let ctx = Ctx::anonymous(&state.i18n, lang);
    let class = if is_class_token(&token) {
        state
            .store
            .class_by_token(&class_token_hash(&token), now_ms())
            .await?
    } else {
        None
    };
    let Some(class) = class else {
        let title = ctx.t("class-results-missing-title");
        let body = html! { h1 { (title) } p { (ctx.t("class-results-missing")) } };
        return Ok((StatusCode::NOT_FOUND, public_page(&ctx, &title, body)).into_response());
    };
    let stats = state.store.quiz_stats(Some(&class.code)).await?;
    let content = state.content.snapshot();
    let title = ctx.ta(
        "class-results-title",
        &[("code", FluentValue::from(class.code.clone()))],
    );
    let until = vn_day(class.valid_until_ms);
    let other = if lang == Lang::Vi { "en" } else { "vi" };
    let body = html! {
        h1 { (title) }
        p.muted { (ctx.ta("class-results-valid", &[("until", FluentValue::from(until))])) }
        (summary(&ctx, &content, stats.first()))
        p.muted { (ctx.t("class-results-privacy")) }
        p { a href={ "?lang=" (other) } { (if lang == Lang::Vi { "English" } else { "Tiếng Việt" }) } }
    };
    Ok(public_page(&ctx, &title, body).into_response())
}

fn summary(ctx: &Ctx<'_>, content: &Catalog, stats: Option<&ClassStats>) -> Markup {
    let Some(s) = stats.filter(|s| s.attempts > 0) else {
        return html! { p data-tipline="class-empty" { (ctx.t("class-results-empty")) } };
    };
    let mean = format!("{:.1} / {:.0}", s.average_score, s.questions_per_attempt);
    let mut missed: Vec<_> = s
        .questions
        .iter()
        .filter(|q| q.correct < q.answered)
        .collect();
    missed.sort_by(|a, b| {
        a.correct_rate
            .total_cmp(&b.correct_rate)
            .then(b.answered.cmp(&a.answered))
    });
    html! {
        dl.facts {
            dt { (ctx.t("class-results-attempts")) } dd data-tipline="class-attempts" { (s.attempts) }
            dt { (ctx.t("class-results-mean")) } dd data-tipline="class-mean" { (mean) }
        }
        h2 { (ctx.t("class-results-missed")) }
        @if missed.is_empty() { p { (ctx.t("class-results-none-missed")) } } @else {
            ol data-tipline="class-missed" {
                @for q in missed.iter().take(MISSED_SHOWN) {
                    li {
                        (question_text(content, ctx.lang, &q.question_id))
                        " "
                        span.muted { (ctx.ta("class-results-right-share", &[
                            ("correct", FluentValue::from(q.correct)),
                            ("answered", FluentValue::from(q.answered)),
                        ])) }
                    }
                }
            }
        }
    }
}

/// A question in words, in the page's language, falling back to the other
/// language's bank (a class may mix both) and, for a retired question, its id.
fn question_text(content: &Catalog, lang: Lang, id: &str) -> String {
    let other = if lang == Lang::Vi { Lang::En } else { Lang::Vi };
    content
        .question(lang, id)
        .or_else(|| content.question(other, id))
        .map(|q| q.text.clone())
        .unwrap_or_else(|| id.to_string())
}

/// `GET /classes`: the form an officer uses to issue a code for a school.
pub async fn page(State(state): State<Arc<AppState>>, viewer: Viewer) -> WebResult<Response> {
    let ctx = Ctx::new(&state.i18n, &viewer);
    Ok(render(&ctx, None, None))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ClassForm {
    label: String,
}

/// `POST /classes`: issues a code and shows it with its results link, once.
pub async fn create(
    State(state): State<Arc<AppState>>,
    viewer: Viewer,
    Form(f): Form<ClassForm>,
) -> WebResult<Response> {
    let ctx = Ctx::new(&state.i18n, &viewer);
    let Some(label) = parse_class_label(&f.label) else {
        return Ok(render(&ctx, None, Some(ctx.t("class-bad-label"))));
    };
    let mut secret = [0u8; 16];
    rand::rng().fill_bytes(&mut secret);
    let token = hex::encode(secret);
    let now = now_ms();
    let until = school_year_end_ms(now);
    let code = state
        .store
        .create_class(&label, &class_token_hash(&token), until)
        .await?;
    state
        .store
        .audit(
            &viewer.audit(&viewer.officer.unit, None, "class-create", &code),
            now,
        )
        .await?;
    let link = format!(
        "{}/lop/{token}",
        state.config.public_url.trim_end_matches('/')
    );
    let issued = ctx.ta(
        "class-issued",
        &[
            ("code", FluentValue::from(code)),
            ("link", FluentValue::from(link)),
            ("until", FluentValue::from(vn_day(until))),
        ],
    );
    Ok(render(&ctx, Some(issued), None))
}

fn render(ctx: &Ctx<'_>, issued: Option<String>, error: Option<String>) -> Response {
    let title = ctx.t("classes-title");
    let body = html! {
        h1 { (title) }
        p.muted { (ctx.t("classes-intro")) }
        @if let Some(e) = &error { p.flash.error role="alert" { (e) } }
        @if let Some(text) = &issued {
            pre.issued data-tipline="class-issued" { (text) }
        }
        form.stack method="post" action="/classes" {
            (ctx.csrf())
            label { (ctx.t("classes-label")) input name="label" required maxlength="16" placeholder="10A1"; }
            button type="submit" { (ctx.t("classes-create")) }
        }
    };
    shell(ctx, &title, "classes", None, body)
}
