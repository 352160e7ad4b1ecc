//! Article search: diacritic- and case-blind, best match first.
use super::Article;
use crate::domain::text::fold;

/// Pre-folded fields of an article.
#[derive(Debug, Clone, Default)]
pub struct SearchText {
    title: String,
    keywords: Vec<String>,
    summary: String,
    body: String,
}

impl SearchText {
    pub fn new(title: &str, keywords: &[String], summary: &str, body: &str) -> Self {
        SearchText {
            title: fold(title),
            keywords: keywords.iter().map(|k| fold(k)).collect(),
            summary: fold(summary),
            body: fold(body),
        }
    }
}

fn has_word(haystack: &str, word: &str) -> bool {
    haystack.split(' ').any(|w| w == word)
}

fn has_phrase(haystack: &str, phrase: &str) -> bool {
    // Whole words only: " tem giay " inside " ... tem giay ... ".
    format!(" {haystack} ").contains(&format!(" {phrase} "))
}

/// Scores an article for a folded query; 0 means no match.
fn score(a: &SearchText, q: &str, words: &[&str]) -> u32 {
    let mut s = 0;
    if a.keywords.iter().any(|k| k == q) {
        s += 100;
    }
    if a.keywords
        .iter()
        .any(|k| has_phrase(k, q) || has_phrase(q, k))
    {
        s += 40;
    }
    if has_phrase(&a.title, q) {
        s += 30;
    }
    if has_phrase(&a.summary, q) {
        s += 10;
    }
    if has_phrase(&a.body, q) {
        s += 5;
    }
    let meaningful: Vec<&&str> = words.iter().filter(|w| w.len() > 2).collect();
    for w in &meaningful {
        if a.keywords.iter().any(|k| has_word(k, w)) {
            s += 6;
        }
        if has_word(&a.title, w) {
            s += 4;
        }
        if has_word(&a.summary, w) || has_word(&a.body, w) {
            s += 1;
        }
    }
    s
}

/// Articles matching `query`, best first, at most `limit`.
pub fn search<'a>(articles: &'a [Article], query: &str, limit: usize) -> Vec<&'a Article> {
    let q = fold(query);
    if q.is_empty() {
        return Vec::new();
    }
    let words: Vec<&str> = q.split(' ').collect();
    let mut hits: Vec<(u32, &Article)> = articles
        .iter()
        .map(|a| (score(&a.search, &q, &words), a))
        .filter(|(s, _)| *s >= 4)
        .collect();
    hits.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.id.cmp(&b.1.id)));
    hits.into_iter().take(limit).map(|(_, a)| a).collect()
}
