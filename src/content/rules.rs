//! Line rules over the raw content files, so that mistakes a reader notices
//! can never come back: button labels too long for a phone, machine dates and
//! "n.d." shown to Vietnamese readers, and promises of help-directory entries
//! that the directory does not hold. Every finding names its file and line.
use std::path::{Path, PathBuf};

use super::help::{HelpDirectory, LocalKind};
use super::{ContentError, LABEL_MAX_CHARS};
use crate::domain::text::fold;
use crate::i18n::Lang;

/// Fluent keys that are shown as buttons, by prefix and by name.
const LABEL_PREFIXES: [&str; 4] = ["category-", "topic-", "when-", "edit-"];
const LABEL_KEYS: [&str; 25] = [
    "menu-report",
    "menu-continue-report",
    "menu-status",
    "menu-privacy",
    "menu-help",
    "menu-language",
    "menu-learn",
    "menu-quiz",
    "menu-helpdesk",
    "menu-campaigns",
    "back-to-menu",
    "report-dont-know-ward",
    "report-search-again",
    "report-skip-attachments",
    "report-done-attachments",
    "review-send",
    "review-edit",
    "review-cancel",
    "status-reply",
    "learn-topics-button",
    "learn-more",
    "learn-report-shortcut",
    "quiz-start",
    "quiz-enter-class",
    "quiz-again",
];
const MORE_LABEL_KEYS: [&str; 2] = ["subscribe-button", "unsubscribe-button"];

/// Officer-facing files and keys, where the input format of the dashboard
/// (2027-06-26 08:00) is part of the instructions, are not reader text.
fn is_reader_text(file: &Path, key: &str) -> bool {
    file.file_name().is_none_or(|n| n != "dashboard.ftl")
        && !key.starts_with("campaigns-")
        && !key.starts_with("flash-")
        && !key.starts_with("nav-")
}

/// Phrases (folded: lower case, no accents or punctuation) by which a text
/// promises that the help directory lists entries of some kinds. A promise is
/// only allowed when the directory holds such entries.
const PROMISES: [(&str, &[LocalKind]); 8] = [
    (
        "diem tu van co so cai nghien da duoc xac minh",
        &[COUNSELLING, REHAB],
    ),
    (
        "diem tu van cai nghien tai dia phuong",
        &[COUNSELLING, REHAB],
    ),
    ("diem tu van tai dia phuong co trong", &[COUNSELLING]),
    ("diem tu van trong muc", &[COUNSELLING]),
    (
        "verified counselling points and rehab facilities",
        &[COUNSELLING, REHAB],
    ),
    ("local counselling and rehab points", &[COUNSELLING, REHAB]),
    ("counselling points are in", &[COUNSELLING]),
    ("counselling points in tipline", &[COUNSELLING]),
];
const COUNSELLING: LocalKind = LocalKind::Counselling;
const REHAB: LocalKind = LocalKind::Rehab;

fn kind_name(k: LocalKind) -> &'static str {
    match k {
        LocalKind::Counselling => "counselling",
        LocalKind::Rehab => "rehab",
    }
}

/// Checks every article, quiz bank and Fluent file of both languages.
pub fn check_files(content_dir: &Path, help: &HelpDirectory, errors: &mut Vec<ContentError>) {
    for lang in Lang::ALL {
        let dir = content_dir.join(lang.code());
        let mut files = list(&dir.join("articles"), "md");
        files.push(dir.join("quiz.toml"));
        for file in files {
            let Ok(text) = std::fs::read_to_string(&file) else {
                continue; // the loaders report unreadable files
            };
            for (i, line) in text.lines().enumerate() {
                // The review date is a machine field, shown to readers in their format.
                if !line.starts_with("last_reviewed") {
                    check_line(&file, i + 1, line, lang, true, help, errors);
                }
            }
        }
        for file in list(&dir, "ftl") {
            if let Ok(text) = std::fs::read_to_string(&file) {
                check_fluent(&file, &text, lang, help, errors);
            }
        }
    }
}

fn list(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == ext))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

fn check_fluent(
    file: &Path,
    text: &str,
    lang: Lang,
    help: &HelpDirectory,
    errors: &mut Vec<ContentError>,
) {
    let mut key = String::new();
    for (i, line) in text.lines().enumerate() {
        let continued = line.starts_with(' ') || line.starts_with('\t');
        if !continued {
            key = match line.split_once('=') {
                Some((k, _)) if !line.starts_with('#') => k.trim().to_string(),
                _ => String::new(),
            };
            if is_label_key(&key)
                && let Some((_, value)) = line.split_once('=')
            {
                check_label(file, i + 1, &format!("label `{key}`"), value.trim(), errors);
            }
        }
        if !line.starts_with('#') {
            let reader = is_reader_text(file, &key);
            check_line(file, i + 1, line, lang, reader, help, errors);
        }
    }
}

fn is_label_key(key: &str) -> bool {
    LABEL_PREFIXES.iter().any(|p| key.starts_with(p))
        || LABEL_KEYS.contains(&key)
        || MORE_LABEL_KEYS.contains(&key)
}

/// Placeables are counted as two characters ("{ $page }" shows "2").
pub fn shown_len(label: &str) -> usize {
    let mut n = 0;
    let mut depth = 0;
    for c in label.chars() {
        match c {
            '{' => {
                depth += 1;
                if depth == 1 {
                    n += 2;
                }
            }
            '}' => depth -= 1,
            _ if depth == 0 => n += 1,
            _ => {}
        }
    }
    n
}

/// A button label or short title over [`LABEL_MAX_CHARS`] is cut on phones.
pub fn check_label(
    file: &Path,
    line: usize,
    what: &str,
    label: &str,
    errors: &mut Vec<ContentError>,
) {
    let len = shown_len(label);
    if len > LABEL_MAX_CHARS {
        errors.push(ContentError {
            file: file.to_path_buf(),
            line,
            message: format!(
                "{what} {label:?} has {len} characters; buttons allow at most {LABEL_MAX_CHARS}"
            ),
        });
    }
}

fn check_line(
    file: &Path,
    line: usize,
    text: &str,
    lang: Lang,
    reader_text: bool,
    help: &HelpDirectory,
    errors: &mut Vec<ContentError>,
) {
    let mut report = |message: String| {
        errors.push(ContentError {
            file: file.to_path_buf(),
            line,
            message,
        })
    };
    if lang == Lang::Vi && reader_text {
        if has_no_date_marker(text) {
            report(
                "Vietnamese text says \"n.d.\": write \"không rõ ngày\" or an access date".into(),
            );
        }
        if let Some(d) = iso_date(text) {
            report(format!(
                "Vietnamese text shows the ISO date {d:?}: write dates as dd/mm/yyyy"
            ));
        }
    }
    let folded = format!(" {} ", fold(text));
    for (phrase, kinds) in PROMISES {
        if !folded.contains(&format!(" {phrase} ")) {
            continue;
        }
        for kind in kinds
            .iter()
            .filter(|k| !help.local.iter().any(|p| p.kind == **k))
        {
            report(format!(
                "the text promises {} entries in the help directory, which lists none",
                kind_name(*kind)
            ));
        }
    }
}

fn has_no_date_marker(text: &str) -> bool {
    text.match_indices("n.d.")
        .any(|(i, _)| !text[..i].ends_with(|c: char| c.is_alphanumeric()))
}

/// The first `yyyy-mm-dd` in the text, if any.
pub fn iso_date(text: &str) -> Option<&str> {
    let b = text.as_bytes();
    (0..b.len().saturating_sub(9)).find_map(|i| {
        let w = &b[i..i + 10];
        let digits = |r: std::ops::Range<usize>| w[r].iter().all(u8::is_ascii_digit);
        let bounded = (i == 0 || !b[i - 1].is_ascii_digit())
            && b.get(i + 10).is_none_or(|c| !c.is_ascii_digit());
        (bounded && digits(0..4) && w[4] == b'-' && digits(5..7) && w[7] == b'-' && digits(8..10))
            .then(|| &text[i..i + 10])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_are_found_and_other_numbers_are_not() {
        assert_eq!(iso_date("cập nhật 2026-11-22."), Some("2026-11-22"));
        assert_eq!(iso_date("22/11/2026"), None);
        assert_eq!(iso_date("số 0769.04.04.04, 12026-11-223"), None);
    }

    #[test]
    fn no_date_markers_are_whole_words() {
        assert!(has_no_date_marker("(n.d.)"));
        assert!(!has_no_date_marker("and.d."));
    }

    #[test]
    fn placeables_count_as_two_characters() {
        assert_eq!(shown_len("▶️ Xem tiếp ({ $page }/{ $pages })"), 19);
    }
}
