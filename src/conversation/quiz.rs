//! Awareness quizzes: 10 random questions with shuffled options, feedback after
//! each answer, a score at the end, and optional class codes for teachers.
use fluent_bundle::FluentValue;
use rand::seq::SliceRandom;

use super::menu;
use super::state::{QuizItem, QuizRun, Session, Step};
use super::types::{Choice, Ctx, Input, Outcome, Reply};
use crate::content::Level;
use crate::domain::effect::Effect;
pub use crate::domain::quiz::parse_class;
use crate::domain::quiz::{QUIZ_LENGTH, looks_issued};

fn t(ctx: &Ctx<'_>, session: &Session, key: &str) -> String {
    ctx.i18n.tr(session.lang, key)
}

/// `/quiz [CODE]` or the menu: intro, or straight in when a class code was given.
pub fn start(session: &mut Session, arg: &str, ctx: &mut Ctx<'_>, out: &mut Outcome) {
    if !arg.is_empty() {
        match parse_class(arg) {
            Some(class) => return begin(session, Some(class), ctx, out),
            None => out
                .replies
                .push(Reply::text(t(ctx, session, "quiz-bad-class"))),
        }
    }
    intro(session, None, ctx, out);
}

fn intro(session: &mut Session, class: Option<String>, ctx: &mut Ctx<'_>, out: &mut Outcome) {
    session.step = Step::QuizIntro {
        class: class.clone(),
    };
    let text = ctx.i18n.tr_args(
        session.lang,
        "quiz-intro",
        &[("count", FluentValue::from(QUIZ_LENGTH))],
    );
    let options = vec![
        Choice::new("quiz:start", t(ctx, session, "quiz-start")),
        Choice::new("quiz:class", t(ctx, session, "quiz-enter-class")),
        Choice::new("quiz:menu", t(ctx, session, "back-to-menu")),
    ];
    out.replies.push(Reply::with_options(text, options));
}

fn begin(session: &mut Session, class: Option<String>, ctx: &mut Ctx<'_>, out: &mut Outcome) {
    let bank = &ctx.content.lang(session.lang).quiz;
    let band = class.as_deref().and_then(Level::of_class);
    let mut ids: Vec<&crate::content::Question> = bank
        .iter()
        .filter(|q| Level::admits(band, q.level))
        .collect();
    ids.shuffle(ctx.rng);
    let items = ids
        .into_iter()
        .take(QUIZ_LENGTH)
        .map(|q| {
            let mut order: Vec<usize> = (0..q.options.len()).collect();
            order.shuffle(ctx.rng);
            QuizItem {
                id: q.id.clone(),
                order,
            }
        })
        .collect();
    if let Some(c) = &class {
        // A bare "10A1" pools every school's 10A1: say so, and how to get a code of one's own.
        let key = if looks_issued(c) {
            "quiz-class-set"
        } else {
            "quiz-class-shared"
        };
        let text = ctx.i18n.tr_args(
            session.lang,
            key,
            &[("class", FluentValue::from(c.clone()))],
        );
        out.replies.push(Reply::text(text));
    }
    let run = QuizRun {
        items,
        index: 0,
        score: 0,
        class,
        results: Vec::new(),
    };
    ask(session, run, ctx, out);
}

fn ask(session: &mut Session, run: QuizRun, ctx: &mut Ctx<'_>, out: &mut Outcome) {
    let item = &run.items[run.index];
    let Some(q) = ctx.content.question(session.lang, &item.id) else {
        // The bank changed under a running quiz (content reload): end gracefully.
        return finish(session, run, ctx, out);
    };
    let text = ctx.i18n.tr_args(
        session.lang,
        "quiz-question",
        &[
            ("n", FluentValue::from(run.index + 1)),
            ("total", FluentValue::from(run.items.len())),
            ("text", FluentValue::from(q.text.clone())),
        ],
    );
    let options = item
        .order
        .iter()
        .filter_map(|i| {
            q.options
                .get(*i)
                .map(|o| Choice::new(format!("ans:{i}"), o.clone()))
        })
        .collect();
    session.step = Step::Quiz(run);
    out.replies.push(Reply::with_options(text, options));
}

fn answer(
    session: &mut Session,
    mut run: QuizRun,
    chosen: usize,
    ctx: &mut Ctx<'_>,
    out: &mut Outcome,
) {
    let l = session.lang;
    let Some(q) = ctx.content.question(l, &run.items[run.index].id) else {
        return finish(session, run, ctx, out);
    };
    let right = chosen == q.answer;
    let verdict = if right {
        run.score += 1;
        t(ctx, session, "quiz-right")
    } else {
        let correct = q.options.get(q.answer).cloned().unwrap_or_default();
        ctx.i18n
            .tr_args(l, "quiz-wrong", &[("answer", FluentValue::from(correct))])
    };
    run.results.push((q.id.clone(), right));
    let text = ctx.i18n.tr_args(
        l,
        "quiz-feedback",
        &[
            ("verdict", FluentValue::from(verdict)),
            ("explanation", FluentValue::from(q.explanation.clone())),
            ("source", FluentValue::from(q.source.clone())),
        ],
    );
    out.replies.push(Reply::text(text));
    run.index += 1;
    if run.index < run.items.len() {
        ask(session, run, ctx, out)
    } else {
        finish(session, run, ctx, out)
    }
}

fn finish(session: &mut Session, run: QuizRun, ctx: &mut Ctx<'_>, out: &mut Outcome) {
    let total = run.results.len() as u32;
    let key = if total > 0 && run.score * 10 >= total * 8 {
        "quiz-score-great"
    } else {
        "quiz-score"
    };
    let text = ctx.i18n.tr_args(
        session.lang,
        key,
        &[
            ("score", FluentValue::from(run.score)),
            ("total", FluentValue::from(total)),
        ],
    );
    if total > 0 {
        out.effects.push(Effect::QuizCompleted {
            lang: session.lang,
            class: run.class.clone(),
            score: run.score,
            total,
            answers: run.results,
        });
    }
    session.step = Step::QuizDone { class: run.class };
    let options = vec![
        Choice::new("quiz:again", t(ctx, session, "quiz-again")),
        Choice::new("learn:topics", t(ctx, session, "learn-topics-button")),
        Choice::new("quiz:menu", t(ctx, session, "back-to-menu")),
    ];
    out.replies.push(Reply::with_options(text, options));
}

pub fn on_input(session: &mut Session, input: Input, ctx: &mut Ctx<'_>, out: &mut Outcome) {
    let step = session.step.clone();
    match (step, input) {
        (_, Input::Choice(id)) if id == "quiz:menu" => menu::show(session, ctx, out),
        (_, Input::Choice(id)) if id == "learn:topics" => super::learn::topics(session, ctx, out),
        (Step::QuizIntro { class }, Input::Choice(id)) if id == "quiz:start" => {
            begin(session, class, ctx, out)
        }
        (Step::QuizIntro { .. }, Input::Choice(id)) if id == "quiz:class" => {
            session.step = Step::QuizClassCode;
            out.replies.push(Reply::with_options(
                t(ctx, session, "quiz-ask-class"),
                vec![Choice::new("quiz:menu", t(ctx, session, "back-to-menu"))],
            ));
        }
        (Step::QuizClassCode, Input::Text(text)) => match parse_class(&text) {
            Some(class) => begin(session, Some(class), ctx, out),
            None => {
                out.replies.push(Reply::with_options(
                    t(ctx, session, "quiz-bad-class"),
                    vec![Choice::new("quiz:menu", t(ctx, session, "back-to-menu"))],
                ));
            }
        },
        (Step::Quiz(run), Input::Choice(id)) if id.starts_with("ans:") => {
            let item = &run.items[run.index];
            match id[4..]
                .parse::<usize>()
                .ok()
                .filter(|i| item.order.contains(i))
            {
                Some(i) => answer(session, run, i, ctx, out),
                None => {
                    out.replies
                        .push(Reply::text(t(ctx, session, "quiz-pick-an-option")));
                    ask(session, run, ctx, out)
                }
            }
        }
        (Step::Quiz(run), _) => {
            out.replies
                .push(Reply::text(t(ctx, session, "quiz-pick-an-option")));
            ask(session, run, ctx, out)
        }
        (Step::QuizDone { class }, Input::Choice(id)) if id == "quiz:again" => {
            begin(session, class, ctx, out)
        }
        (Step::QuizIntro { class }, _) => intro(session, class, ctx, out),
        _ => menu::not_understood(session, ctx, out),
    }
}

#[cfg(test)]
mod tests {
    use super::parse_class;

    #[test]
    fn class_codes_are_normalised_and_validated() {
        assert_eq!(parse_class(" 10a1 ").as_deref(), Some("10A1"));
        assert_eq!(parse_class("lop-9b").as_deref(), Some("LOP-9B"));
        assert_eq!(parse_class(""), None);
        assert_eq!(parse_class("lớp 9"), None);
        assert_eq!(parse_class(&"A".repeat(21)), None);
    }
}
