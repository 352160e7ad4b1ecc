//! Quiz banks: `locales/<lang>/quiz.toml`, a list of `[[question]]` tables.
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{ContentError, line_at};

/// Button labels must stay short on phones.
pub const OPTION_MAX_CHARS: usize = 100;
pub const QUESTION_MAX_CHARS: usize = 400;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub id: String,
    pub text: String,
    pub options: Vec<String>,
    pub answer: usize,
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
    for q in &questions {
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
        if let Some(o) = q
            .options
            .iter()
            .find(|o| o.chars().count() > OPTION_MAX_CHARS)
        {
            errors.push(here(format!(
                "option {o:?} exceeds {OPTION_MAX_CHARS} characters"
            )));
        }
    }
    questions
}
