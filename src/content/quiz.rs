//! Quiz banks: `locales/<lang>/quiz.toml`, a list of `[[question]]` tables.
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{ContentError, line_at};

pub const QUESTION_MAX_CHARS: usize = 400;

/// Who a question is written for: lower secondary (grades 6–9) or upper
/// secondary (grades 10–12). A class code picks the band; without one, all
/// questions are in play.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Lower,
    Upper,
}

impl Level {
    /// The band of a class code by its leading grade: "9B" is lower, "10A1" upper;
    /// codes without a school grade ("CLB-1", "K15") have none.
    pub fn of_class(code: &str) -> Option<Level> {
        let digits: String = code.chars().take_while(char::is_ascii_digit).collect();
        match digits.parse::<u32>().ok()? {
            6..=9 => Some(Level::Lower),
            10..=12 => Some(Level::Upper),
            _ => None,
        }
    }

    /// Lower-secondary classes get only lower questions; older students get all.
    pub fn admits(class_band: Option<Level>, question: Level) -> bool {
        class_band != Some(Level::Lower) || question == Level::Lower
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub id: String,
    pub text: String,
    pub options: Vec<String>,
    pub answer: usize,
    pub level: Level,
    pub explanation: String,
    pub source: String,
    #[serde(skip)]
    pub file: PathBuf,
    #[serde(skip)]
    pub line: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Bank {
    #[serde(default)]
    question: Vec<Question>,
}

pub fn load(file: &Path, errors: &mut Vec<ContentError>) -> Vec<Question> {
    let err = |line: usize, message: String| ContentError::at(file, line, message);
    let Some(text) = super::read_source(file, " quiz bank", errors) else {
        return Vec::new();
    };
    let bank: Bank = match toml::from_str(&text) {
        Ok(b) => b,
        Err(e) => {
            errors.push(err(
                e.span().map_or(0, |s| line_at(&text, s.start)),
                e.message().to_string(),
            ));
            return Vec::new();
        }
    };
    // Locate each question's `id = "..."` line for precise messages.
    let mut questions = bank.question;
    for q in &mut questions {
        q.file = file.to_path_buf();
        q.line = text
            .find(&format!("id = \"{}\"", q.id))
            .map_or(0, |o| line_at(&text, o));
    }
    check_questions(file, &text, &questions, errors);
    check_length_giveaway(file, &questions, errors);
    questions
}

fn check_questions(
    file: &Path,
    text: &str,
    questions: &[Question],
    errors: &mut Vec<ContentError>,
) {
    let err = |line: usize, message: String| ContentError {
        file: file.to_path_buf(),
        line,
        message,
    };
    for q in questions {
        let here = |m: String| err(q.line, format!("question {:?}: {m}", q.id));
        if !(3..=4).contains(&q.options.len()) {
            errors.push(here(format!(
                "needs 3 or 4 options, has {}",
                q.options.len()
            )));
        }
        if q.answer >= q.options.len() {
            errors.push(here(format!(
                "answer index {} is out of range (options are numbered 0..{})",
                q.answer,
                q.options.len().saturating_sub(1)
            )));
        }
        if q.explanation.trim().is_empty() {
            errors.push(here("explanation is missing".into()));
        }
        if q.source.trim().is_empty() {
            errors.push(here("source is missing".into()));
        }
        if q.text.chars().count() > QUESTION_MAX_CHARS {
            errors.push(here(format!(
                "question text exceeds {QUESTION_MAX_CHARS} characters"
            )));
        }
        let options_line = line_of_key_after(text, q.line, "options");
        for o in &q.options {
            super::rules::check_label(file, options_line, "option", o, errors);
        }
    }
}

/// 1-based line of the first `key = ` line at or after `from`.
fn line_of_key_after(text: &str, from: usize, key: &str) -> usize {
    text.lines()
        .enumerate()
        .skip(from.saturating_sub(1))
        .find(|(_, l)| l.starts_with(&format!("{key} =")))
        .map_or(from, |(i, _)| i + 1)
}

/// True when the correct option is strictly longer than every other one.
pub fn answer_is_longest(q: &Question) -> bool {
    let len = |i: usize| q.options.get(i).map_or(0, |o| o.chars().count());
    (0..q.options.len()).all(|i| i == q.answer || len(i) < len(q.answer))
}

/// Picking the longest option must not pass the quiz: the correct option may
/// be the longest in at most a third of the questions.
fn check_length_giveaway(file: &Path, questions: &[Question], errors: &mut Vec<ContentError>) {
    let longest: Vec<&Question> = questions.iter().filter(|q| answer_is_longest(q)).collect();
    if longest.len() * 3 > questions.len() {
        let ids: Vec<String> = longest
            .iter()
            .take(5)
            .map(|q| format!("{} (line {})", q.id, q.line))
            .collect();
        errors.push(ContentError {
            file: file.to_path_buf(),
            line: longest.first().map_or(1, |q| q.line),
            message: format!(
                "the correct option is the longest in {} of {} questions (at most a third allowed), e.g. {}",
                longest.len(),
                questions.len(),
                ids.join(", ")
            ),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_codes_pick_the_school_band_by_grade() {
        assert_eq!(Level::of_class("9B"), Some(Level::Lower));
        assert_eq!(Level::of_class("6"), Some(Level::Lower));
        assert_eq!(Level::of_class("10A1"), Some(Level::Upper));
        assert_eq!(Level::of_class("12C"), Some(Level::Upper));
        assert_eq!(Level::of_class("13A"), None);
        assert_eq!(Level::of_class("5A"), None);
        assert_eq!(Level::of_class("LOP-9B"), None);
        assert!(Level::admits(Some(Level::Lower), Level::Lower));
        assert!(!Level::admits(Some(Level::Lower), Level::Upper));
        assert!(Level::admits(Some(Level::Upper), Level::Lower));
        assert!(Level::admits(None, Level::Upper));
    }

    #[test]
    fn a_tie_for_longest_is_no_giveaway() {
        let q = |options: &[&str], answer| Question {
            id: "q".into(),
            text: String::new(),
            options: options.iter().map(|o| o.to_string()).collect(),
            answer,
            level: Level::Lower,
            explanation: String::new(),
            source: String::new(),
            file: PathBuf::new(),
            line: 0,
        };
        assert!(answer_is_longest(&q(&["abcd", "ab", "abc"], 0)));
        assert!(!answer_is_longest(&q(&["abcd", "abce", "abc"], 0)));
        assert!(!answer_is_longest(&q(&["ab", "abcd", "abc"], 0)));
    }
}
