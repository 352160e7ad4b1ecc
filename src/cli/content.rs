//! `tipline content check` and `tipline quiz stats`.
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::app::{AppState, help_source};
use crate::config::Config;
use crate::content::{Catalog, HelpSource};
use crate::i18n::I18n;

/// Every problem in the content, as "file:line: what is wrong" lines.
pub fn check(content_dir: &Path, help: &HelpSource) -> Vec<String> {
    let mut problems = Vec::new();
    if let Err(errs) = I18n::load(content_dir) {
        problems.extend(errs.iter().map(|e| e.to_string()));
    }
    if let Err(errs) = Catalog::load(content_dir, help) {
        problems.extend(errs.iter().map(|e| e.to_string()));
    }
    problems
}

pub fn run_check(config: &Config, dir: Option<PathBuf>) -> ExitCode {
    let dir = dir.unwrap_or_else(|| config.content_dir.clone());
    let problems = check(&dir, &help_source(config));
    if problems.is_empty() {
        match Catalog::load(&dir, &help_source(config)) {
            Ok(c) => println!(
                "content OK: {} articles and {} quiz questions per language (vi, en), {} national numbers, {} local help points",
                c.vi.articles.len(),
                c.vi.quiz.len(),
                c.help.national.len(),
                c.help.local.len()
            ),
            Err(_) => println!("content OK"),
        }
        ExitCode::SUCCESS
    } else {
        for p in &problems {
            eprintln!("{p}");
        }
        eprintln!("content check failed: {} problem(s)", problems.len());
        ExitCode::FAILURE
    }
}

pub async fn quiz_stats(
    config: Config,
    class: Option<String>,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let state = AppState::load(config).await?;
    let class = class.map(|c| crate::conversation::parse_class(&c).unwrap_or(c));
    let stats = state.store.quiz_stats(class.as_deref()).await?;
    if json {
        println!("{}", serde_json::to_string_pretty(&stats)?);
        return Ok(ExitCode::SUCCESS);
    }
    if stats.is_empty() {
        println!(
            "No quiz results yet{}.",
            class.map(|c| format!(" for class {c}")).unwrap_or_default()
        );
    }
    let issued = state.store.issued_class_codes().await?;
    for s in stats {
        // A code the bot did not issue ("10A1") may pool several schools' classes.
        let name = if s.class_code.is_empty() {
            "(no class code)".to_string()
        } else if issued.contains(&s.class_code) {
            s.class_code.clone()
        } else {
            format!(
                "{} (shared: not issued by /lop, may pool several schools)",
                s.class_code
            )
        };
        println!(
            "{name}: {} attempts, average score {:.2}/{:.0}",
            s.attempts, s.average_score, s.questions_per_attempt
        );
        for q in s.questions {
            println!(
                "  {:32} {:>4}/{:<4} correct ({:.0}%)",
                q.question_id,
                q.correct,
                q.answered,
                q.correct_rate * 100.0
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
