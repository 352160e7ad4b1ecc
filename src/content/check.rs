//! Cross-language checks: every locale has the same articles, questions and
//! answers, and related links point at real articles.
use std::collections::BTreeMap;
use std::path::Path;

use super::{Catalog, ContentError, Level};
use crate::domain::quiz::QUIZ_LENGTH;
use crate::i18n::Lang;

pub fn cross_check(c: &Catalog, content_dir: &Path, errors: &mut Vec<ContentError>) {
    for (has, other) in [(Lang::Vi, Lang::En), (Lang::En, Lang::Vi)] {
        check_articles(c, content_dir, has, other, errors);
        check_questions(c, has, other, errors);
    }
    check_bank_sizes(c, content_dir, errors);
}

/// Every article of `has` exists in `other` with the same topic (Vietnamese
/// is the reference), and its related links point at real articles.
fn check_articles(
    c: &Catalog,
    content_dir: &Path,
    has: Lang,
    other: Lang,
    errors: &mut Vec<ContentError>,
) {
    let theirs: BTreeMap<&str, _> = c
        .lang(other)
        .articles
        .iter()
        .map(|a| (a.id.as_str(), a))
        .collect();
    for a in &c.lang(has).articles {
        match theirs.get(a.id.as_str()) {
            None => errors.push(ContentError {
                file: a.file.clone(),
                line: 2,
                message: format!(
                    "article {:?} exists in `{has}` but is missing from `{other}` ({})",
                    a.id,
                    content_dir.join(other.code()).join("articles").display()
                ),
            }),
            Some(b) if b.topic != a.topic && has == Lang::Vi => errors.push(ContentError {
                file: b.file.clone(),
                line: 2,
                message: format!(
                    "article {:?} has topic {:?} here but {:?} in `{has}`",
                    a.id, b.topic, a.topic
                ),
            }),
            _ => {}
        }
        for r in a
            .related
            .iter()
            .filter(|r| !c.lang(has).articles.iter().any(|x| &x.id == *r))
        {
            errors.push(ContentError {
                file: a.file.clone(),
                line: 2,
                message: format!("article {:?} relates to unknown article {r:?}", a.id),
            });
        }
    }
}

/// Every question of `has` exists in `other`; Vietnamese is the reference
/// for the answer, the number of options and the level.
fn check_questions(c: &Catalog, has: Lang, other: Lang, errors: &mut Vec<ContentError>) {
    let their_q: BTreeMap<&str, _> = c
        .lang(other)
        .quiz
        .iter()
        .map(|q| (q.id.as_str(), q))
        .collect();
    for q in &c.lang(has).quiz {
        match their_q.get(q.id.as_str()) {
            None => errors.push(ContentError {
                file: q.file.clone(),
                line: q.line,
                message: format!("question {:?} exists in `{has}` but is missing from `{other}`", q.id),
            }),
            Some(o) if has == Lang::Vi && (o.answer != q.answer || o.options.len() != q.options.len() || o.level != q.level) => errors.push(ContentError {
                file: o.file.clone(),
                line: o.line,
                message: format!(
                    "question {:?}: {} options with answer {} at level {:?} here, but {} options with answer {} at level {:?} in `vi`",
                    q.id, o.options.len(), o.answer, o.level, q.options.len(), q.answer, q.level
                ),
            }),
            _ => {}
        }
    }
}

/// Each language's bank, and its lower-secondary part, can fill a quiz.
fn check_bank_sizes(c: &Catalog, content_dir: &Path, errors: &mut Vec<ContentError>) {
    for lang in Lang::ALL {
        let bank = &c.lang(lang).quiz;
        let lower = bank.iter().filter(|q| q.level == Level::Lower).count();
        for (n, what) in [
            (bank.len(), "questions"),
            (lower, "lower-secondary questions"),
        ] {
            if n < QUIZ_LENGTH {
                errors.push(ContentError {
                    file: content_dir.join(lang.code()).join("quiz.toml"),
                    line: 1,
                    message: format!(
                        "the quiz bank has {n} {what}; a quiz needs at least {}",
                        QUIZ_LENGTH
                    ),
                });
            }
        }
    }
}
