//! "No English on a Vietnamese page": the words of the English catalog that
//! the Vietnamese catalog never uses are English UI words; a Vietnamese page
//! whose visible text (or placeholders, titles, labels) holds one has an
//! untranslated string. Product names are allowed.
use std::collections::BTreeSet;
use std::path::Path;

use fantoccini::Client;

/// Names that stay as they are in every language.
const PRODUCT_NAMES: &[&str] = &[
    "tipline",
    "telegram",
    "zalo",
    "messenger",
    "csv",
    "png",
    "jpeg",
    "totp",
    "english",
    "utf",
    "sha",
];

/// Common interface words, in case the English catalog stops using one.
const COMMON: &[&str] = &[
    "the",
    "not",
    "found",
    "you",
    "may",
    "this",
    "and",
    "reporter",
    "units",
    "error",
    "save",
    "cancel",
    "search",
    "next",
    "page",
    "queue",
    "tips",
    "status",
    "new",
    "open",
    "closed",
    "ward",
    "police",
    "informed",
    "now",
    "all",
    "characters",
    "messages",
];

fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() >= 3 && w.chars().all(|c| c.is_ascii_alphabetic()))
        .map(str::to_lowercase)
}

fn catalog_words(lang: &str) -> BTreeSet<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("locales")
        .join(lang);
    let mut out = BTreeSet::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "ftl") {
            let text = std::fs::read_to_string(&path).unwrap();
            for line in text.lines().filter(|l| !l.trim_start().starts_with('#')) {
                // Message ids and variables are code, not text.
                let value = line.split_once(" = ").map_or(line, |(_, v)| v);
                let value: String = value
                    .split('{')
                    .map(|part| part.split_once('}').map_or(part, |(_, rest)| rest))
                    .collect::<Vec<_>>()
                    .join(" ");
                out.extend(words(&value));
            }
        }
    }
    out
}

/// The English-only words: in the English catalog (or common UI words) and
/// nowhere in the Vietnamese one.
pub struct EnglishWords(BTreeSet<String>);

impl EnglishWords {
    pub fn load() -> Self {
        let vi = catalog_words("vi");
        let mut en = catalog_words("en");
        en.extend(COMMON.iter().map(|w| w.to_string()));
        let english = en
            .into_iter()
            .filter(|w| !vi.contains(w) && !PRODUCT_NAMES.contains(&w.as_str()))
            .collect();
        EnglishWords(english)
    }

    /// The English words in `text`.
    pub fn find(&self, text: &str) -> Vec<String> {
        let mut found: Vec<String> = words(text).filter(|w| self.0.contains(w)).collect();
        found.sort();
        found.dedup();
        found
    }

    /// Asserts the page on screen shows no English: its visible text (minus
    /// anything marked lang="en"), placeholders, titles and ARIA labels.
    pub async fn assert_page_is_vietnamese(&self, c: &Client, what: &str) {
        let script = "var b = document.body.cloneNode(true);\
            b.querySelectorAll('[lang=en], script, style').forEach(function (e) { e.remove(); });\
            var extra = Array.from(document.querySelectorAll('[placeholder],[title],[aria-label]')).map(function (e) {\
              return [e.getAttribute('placeholder'), e.getAttribute('title'), e.getAttribute('aria-label')].join(' '); });\
            document.body.appendChild(b); b.hidden = false; var t = b.innerText; b.remove();\
            return t + ' ' + extra.join(' ') + ' ' + document.title;";
        let text = c.execute(script, vec![]).await.unwrap();
        let text = text.as_str().unwrap_or_default();
        let found = self.find(text);
        assert!(
            found.is_empty(),
            "{what}: English on a Vietnamese page: {found:?}"
        );
    }
}
