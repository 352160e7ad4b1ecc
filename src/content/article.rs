//! Articles: Markdown-like text with TOML front matter between `+++` lines.
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{ContentError, LABEL_MAX_CHARS, line_at};

/// Longest chat message we send for an article page: fits Zalo (2000) and
/// Telegram (4096) with room for the header and footer, and reads well on a phone.
pub const PAGE_MAX_CHARS: usize = 1500;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Topic {
    Substances,
    Disguised,
    Families,
    Emergencies,
    Law,
    Help,
    Community,
    Privacy,
}

impl Topic {
    pub const ALL: [Topic; 8] = [
        Topic::Substances,
        Topic::Disguised,
        Topic::Families,
        Topic::Community,
        Topic::Emergencies,
        Topic::Law,
        Topic::Help,
        Topic::Privacy,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Topic::Substances => "substances",
            Topic::Disguised => "disguised",
            Topic::Families => "families",
            Topic::Emergencies => "emergencies",
            Topic::Law => "law",
            Topic::Help => "help",
            Topic::Community => "community",
            Topic::Privacy => "privacy",
        }
    }

    pub fn parse(s: &str) -> Option<Topic> {
        Topic::ALL.into_iter().find(|t| t.id() == s)
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub title: String,
    pub date: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    id: String,
    title: String,
    /// The button label: the full title is shown on the article page.
    #[serde(default)]
    short_title: Option<String>,
    topic: Topic,
    summary: String,
    #[serde(default)]
    keywords: Vec<String>,
    #[serde(default)]
    related: Vec<String>,
    last_reviewed: String,
    #[serde(default)]
    sources: Vec<Source>,
}

#[derive(Debug, Clone)]
pub struct Article {
    pub id: String,
    pub title: String,
    pub short_title: String,
    pub topic: Topic,
    pub summary: String,
    pub keywords: Vec<String>,
    pub related: Vec<String>,
    pub last_reviewed: String,
    pub sources: Vec<Source>,
    /// The body split into chat-sized pages.
    pub pages: Vec<String>,
    pub file: PathBuf,
    /// Folded search text, built once at load.
    pub(crate) search: super::search::SearchText,
}

pub fn load_dir(dir: &Path, errors: &mut Vec<ContentError>) -> Vec<Article> {
    let mut files: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "md"))
            .collect(),
        Err(e) => {
            errors.push(ContentError {
                file: dir.to_path_buf(),
                line: 0,
                message: format!("cannot read articles: {e}"),
            });
            return Vec::new();
        }
    };
    files.sort();
    files.iter().filter_map(|f| parse_file(f, errors)).collect()
}

fn parse_file(file: &Path, errors: &mut Vec<ContentError>) -> Option<Article> {
    let err = |line: usize, message: String| ContentError::at(file, line, message);
    let text = super::read_source(file, "", errors)?;
    let mut parts = text.splitn(3, "+++\n");
    let (Some(""), Some(front), Some(body)) = (parts.next(), parts.next(), parts.next()) else {
        errors.push(err(
            1,
            "expected front matter between two `+++` lines at the top".into(),
        ));
        return None;
    };
    let meta: FrontMatter = match toml::from_str(front) {
        Ok(m) => m,
        Err(e) => {
            let line = e.span().map_or(2, |s| line_at(front, s.start) + 1);
            errors.push(err(line, format!("front matter: {}", e.message())));
            return None;
        }
    };
    let body_line = line_at(&text, text.len() - body.len());
    let before = errors.len();
    for message in front_matter_problems(&meta, file) {
        errors.push(err(2, message));
    }
    if let Some(short) = &meta.short_title {
        let line = key_line(&text, "short_title");
        super::rules::check_label(file, line, "short_title", short, errors);
    }
    let mut pages = paginate(body, body_line, &mut |line, m| errors.push(err(line, m)));
    let header = meta.title.chars().count() + 6;
    leave_room_for_footer(&mut pages, header, footer_chars(&meta.sources));
    if errors.len() > before {
        return None;
    }
    let search = super::search::SearchText::new(&meta.title, &meta.keywords, &meta.summary, body);
    Some(Article {
        id: meta.id,
        title: meta.title,
        short_title: meta.short_title.unwrap_or_default(),
        topic: meta.topic,
        summary: meta.summary,
        keywords: meta.keywords,
        related: meta.related,
        last_reviewed: meta.last_reviewed,
        sources: meta.sources,
        pages,
        file: file.to_path_buf(),
        search,
    })
}

/// What is wrong with an article's front matter (reported at line 2):
/// missing or incomplete sources, no review date, an id unlike the file name.
fn front_matter_problems(meta: &FrontMatter, file: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    if meta.sources.is_empty() {
        problems.push(format!("article {:?} has no [[sources]]", meta.id));
    }
    for s in &meta.sources {
        if s.title.trim().is_empty() || s.date.trim().is_empty() {
            problems.push(format!(
                "article {:?}: every source needs a title and a date",
                meta.id
            ));
        }
    }
    if chrono::NaiveDate::parse_from_str(&meta.last_reviewed, "%Y-%m-%d").is_err() {
        problems.push(format!(
            "article {:?}: last_reviewed must be a date like 2026-11-22",
            meta.id
        ));
    }
    if meta.short_title.is_none() {
        problems.push(format!(
            "article {:?} has no short_title (its button label, at most {LABEL_MAX_CHARS} characters)",
            meta.id
        ));
    }
    let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    if stem != meta.id {
        problems.push(format!(
            "article id {:?} does not match the file name {stem:?}",
            meta.id
        ));
    }
    problems
}

/// 1-based line of the front-matter `key = ...` line (2 if it is missing).
fn key_line(text: &str, key: &str) -> usize {
    text.lines()
        .position(|l| l.starts_with(&format!("{key} =")))
        .map_or(2, |i| i + 1)
}

/// The review date as readers write it: 22/11/2026 in Vietnamese, 22 Nov 2026 in English.
pub fn display_date(iso: &str, lang: crate::i18n::Lang) -> String {
    match chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d") {
        Ok(d) if lang == crate::i18n::Lang::Vi => d.format("%d/%m/%Y").to_string(),
        Ok(d) => d.format("%-d %b %Y").to_string(),
        Err(_) => iso.to_string(),
    }
}

/// Longest whole message an article page may become with its title or its
/// sources footer: Zalo's 2,000 less a margin (`channels::split` uses the same).
const MESSAGE_MAX_CHARS: usize = 1900;

/// Room the sources footer takes on the last page, as the engine renders it
/// (each source's title and date on a line, plus the review line).
pub fn footer_chars(sources: &[Source]) -> usize {
    let lines: usize = sources
        .iter()
        .map(|s| s.title.chars().count() + s.date.len() + 8)
        .sum();
    lines + 80
}

/// Moves trailing paragraphs of the last page onto a page of their own until
/// the last page and its footer fit one message, so the footer is never cut.
/// A lone page also carries the `header` (the title).
fn leave_room_for_footer(pages: &mut Vec<String>, header: usize, footer: usize) {
    let header = if pages.len() == 1 { header } else { 0 };
    let room = MESSAGE_MAX_CHARS.saturating_sub(footer + header);
    let Some(last) = pages.pop() else { return };
    if last.chars().count() <= room || !last.contains("\n\n") {
        pages.push(last);
        return;
    }
    let paras: Vec<&str> = last.split("\n\n").collect();
    let mut split = paras.len() - 1;
    while split > 1 && paras[split - 1..].join("\n\n").chars().count() <= room {
        split -= 1;
    }
    pages.push(paras[..split].join("\n\n"));
    pages.push(paras[split..].join("\n\n"));
}

/// Packs paragraphs into pages of at most [`PAGE_MAX_CHARS`]; a paragraph that
/// alone is too long is an error (split it in the file), reported at its line.
fn paginate(body: &str, first_line: usize, report: &mut dyn FnMut(usize, String)) -> Vec<String> {
    let mut pages = Vec::new();
    let mut page = String::new();
    let mut line = first_line;
    for para in body.split("\n\n") {
        let para_line = line;
        line += para.matches('\n').count() + 2;
        let para = para.trim();
        if para.is_empty() {
            continue;
        }
        let len = para.chars().count();
        if len > PAGE_MAX_CHARS {
            report(
                para_line,
                format!(
                    "paragraph of {len} characters exceeds the message limit of {PAGE_MAX_CHARS}"
                ),
            );
            continue;
        }
        if !page.is_empty() && page.chars().count() + 2 + len > PAGE_MAX_CHARS {
            pages.push(std::mem::take(&mut page));
        }
        if !page.is_empty() {
            page.push_str("\n\n");
        }
        page.push_str(para);
    }
    if !page.is_empty() {
        pages.push(page);
    }
    if pages.is_empty() {
        report(first_line, "the article body is empty".into());
    }
    pages
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_bodies_split_into_pages_under_the_limit() {
        let body = (0..10)
            .map(|i| format!("{i} {}", "word ".repeat(80)))
            .collect::<Vec<_>>()
            .join("\n\n");
        let mut errs = Vec::new();
        let pages = paginate(&body, 1, &mut |l, m| errs.push((l, m)));
        assert!(errs.is_empty());
        assert!(pages.len() > 2);
        assert!(pages.iter().all(|p| p.chars().count() <= PAGE_MAX_CHARS));
    }

    #[test]
    fn review_dates_read_as_each_language_writes_them() {
        use crate::i18n::Lang;
        assert_eq!(display_date("2026-07-01", Lang::Vi), "01/07/2026");
        assert_eq!(display_date("2026-07-01", Lang::En), "1 Jul 2026");
    }

    #[test]
    fn an_oversized_paragraph_is_reported_at_its_line() {
        let body = format!("short\n\n{}", "x".repeat(PAGE_MAX_CHARS + 1));
        let mut errs = Vec::new();
        paginate(&body, 10, &mut |l, m| errs.push((l, m)));
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].0, 12);
    }
}
