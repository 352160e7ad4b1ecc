//! Fluent bundles for `vi` and `en`, loaded from `<content dir>/<lang>/*.ftl`.
//! Isolation marks are off (they break chat formatting). A key missing in one
//! language is a startup error, never a silent fallback.
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use serde::{Deserialize, Serialize};

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Vi, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    /// Accepts "vi", "en", and platform codes such as "en-US" or "vi-VN".
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        match s.split(['-', '_']).next()? {
            "vi" => Some(Lang::Vi),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum I18nError {
    #[error("{path}: cannot read: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}:{line}: Fluent syntax error: {message}")]
    Syntax {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("{path}:{line}: message `{key}` is defined twice")]
    Duplicate {
        path: PathBuf,
        line: usize,
        key: String,
    },
    #[error(
        "{path}:{line}: message `{key}` exists in `{has}` but is missing from locale `{missing}`"
    )]
    Missing {
        path: PathBuf,
        line: usize,
        key: String,
        has: Lang,
        missing: Lang,
    },
    #[error("locale directory {0} has no .ftl files")]
    Empty(PathBuf),
    #[error("{path}:{line}: phrase list `{key}`: {message}")]
    Phrases {
        path: PathBuf,
        line: usize,
        key: String,
        message: String,
    },
}

/// Phrase lists the conversation reads (one phrase a line, in the locale
/// files); each must exist in every language and hold at least one phrase.
pub const PHRASE_LISTS: [&str; 6] = [
    "phrases-report",
    "phrases-cancel",
    "phrases-greeting",
    "phrases-when-now",
    "phrases-when-this_week",
    "phrases-when-earlier",
];

/// Where each key was defined, for precise error messages.
type KeySites = BTreeMap<String, (PathBuf, usize)>;

pub struct I18n {
    bundles: HashMap<Lang, FluentBundle<FluentResource>>,
    /// Phrases per (language, list key), parsed once at load.
    phrases: HashMap<(Lang, &'static str), Vec<String>>,
}

impl std::fmt::Debug for I18n {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("I18n").finish_non_exhaustive()
    }
}

pub type Args<'a> = [(&'a str, FluentValue<'a>)];

impl I18n {
    /// Loads every locale; all errors found are returned, not just the first.
    pub fn load(content_dir: &Path) -> Result<Self, Vec<I18nError>> {
        let mut errors = Vec::new();
        let mut bundles = HashMap::new();
        let mut sites: HashMap<Lang, KeySites> = HashMap::new();
        for lang in Lang::ALL {
            let (bundle, keys) = load_lang(&content_dir.join(lang.code()), lang, &mut errors);
            bundles.insert(lang, bundle);
            sites.insert(lang, keys);
        }
        for has in Lang::ALL {
            for missing in Lang::ALL.into_iter().filter(|l| *l != has) {
                for (key, (path, line)) in &sites[&has] {
                    if !sites[&missing].contains_key(key) {
                        let (path, line) = (path.clone(), *line);
                        errors.push(I18nError::Missing {
                            path,
                            line,
                            key: key.clone(),
                            has,
                            missing,
                        });
                    }
                }
            }
        }
        let mut i18n = I18n {
            bundles,
            phrases: HashMap::new(),
        };
        i18n.load_phrases(&sites, &mut errors);
        if errors.is_empty() {
            Ok(i18n)
        } else {
            Err(errors)
        }
    }

    /// Parses every [`PHRASE_LISTS`] entry: one phrase a line (the conversation folds them).
    fn load_phrases(&mut self, sites: &HashMap<Lang, KeySites>, errors: &mut Vec<I18nError>) {
        for lang in Lang::ALL {
            for key in PHRASE_LISTS {
                let Some((path, line)) = sites[&lang].get(key).cloned() else {
                    let path = PathBuf::from(lang.code());
                    let message = "missing: every language needs this list".to_string();
                    let key = key.to_string();
                    errors.push(I18nError::Phrases {
                        path,
                        line: 0,
                        key,
                        message,
                    });
                    continue;
                };
                let text = self.tr(lang, key);
                let mut list = Vec::new();
                for (i, raw) in text
                    .lines()
                    .enumerate()
                    .filter(|(_, l)| !l.trim().is_empty())
                {
                    let phrase = raw.trim().to_lowercase();
                    if !phrase.chars().any(char::is_alphanumeric) {
                        errors.push(I18nError::Phrases {
                            path: path.clone(),
                            line: line + i,
                            key: key.to_string(),
                            message: format!("{raw:?} has no letters or digits"),
                        });
                    }
                    list.push(phrase);
                }
                if list.is_empty() {
                    let message = "no phrases".to_string();
                    errors.push(I18nError::Phrases {
                        path,
                        line,
                        key: key.to_string(),
                        message,
                    });
                }
                self.phrases.insert((lang, key), list);
            }
        }
    }

    /// A phrase list from [`PHRASE_LISTS`], lowercased; empty for an unknown key.
    pub fn phrases(&self, lang: Lang, key: &str) -> &[String] {
        self.phrases
            .iter()
            .find(|((l, k), _)| *l == lang && *k == key)
            .map_or(&[], |(_, v)| v.as_slice())
    }

    pub fn has(&self, lang: Lang, key: &str) -> bool {
        self.bundles[&lang].has_message(key)
    }

    pub fn tr(&self, lang: Lang, key: &str) -> String {
        self.tr_args(lang, key, &[])
    }

    /// Formats a message. Keys are validated at startup; should one still be
    /// missing, the key itself is shown and logged, rather than crashing a chat.
    pub fn tr_args(&self, lang: Lang, key: &str, args: &Args<'_>) -> String {
        let bundle = &self.bundles[&lang];
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
            tracing::error!(key, lang = lang.code(), "missing Fluent message");
            return key.to_string();
        };
        let mut fargs = FluentArgs::new();
        for (k, v) in args {
            fargs.set(*k, v.clone());
        }
        let mut errs = Vec::new();
        let out = bundle.format_pattern(pattern, Some(&fargs), &mut errs);
        if !errs.is_empty() {
            tracing::error!(key, lang = lang.code(), ?errs, "Fluent formatting error");
        }
        out.into_owned()
    }
}

fn load_lang(
    dir: &Path,
    lang: Lang,
    errors: &mut Vec<I18nError>,
) -> (FluentBundle<FluentResource>, KeySites) {
    let langid: unic_langid::LanguageIdentifier = lang.code().parse().expect("static language id");
    let mut bundle = FluentBundle::new_concurrent(vec![langid]);
    bundle.set_use_isolating(false);
    let mut keys = KeySites::new();
    let mut files: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "ftl"))
            .collect(),
        Err(source) => {
            errors.push(I18nError::Read {
                path: dir.to_path_buf(),
                source,
            });
            return (bundle, keys);
        }
    };
    files.sort();
    if files.is_empty() {
        errors.push(I18nError::Empty(dir.to_path_buf()));
    }
    for path in files {
        let source = match std::fs::read_to_string(&path) {
            Ok(s) => s,
            Err(source) => {
                errors.push(I18nError::Read { path, source });
                continue;
            }
        };
        let line_of = |offset: usize| source[..offset.min(source.len())].matches('\n').count() + 1;
        let resource = match FluentResource::try_new(source.clone()) {
            Ok(r) => r,
            Err((r, errs)) => {
                for e in errs {
                    errors.push(I18nError::Syntax {
                        path: path.clone(),
                        line: line_of(e.pos.start),
                        message: e.to_string(),
                    });
                }
                r
            }
        };
        for entry in resource.entries() {
            if let fluent_syntax::ast::Entry::Message(m) = entry {
                let key = m.id.name.to_string();
                let line = source
                    .lines()
                    .position(|l| {
                        l.starts_with(&format!("{key} =")) || l.starts_with(&format!("{key}="))
                    })
                    .map_or(0, |i| i + 1);
                if keys.insert(key.clone(), (path.clone(), line)).is_some() {
                    errors.push(I18nError::Duplicate {
                        path: path.clone(),
                        line,
                        key,
                    });
                }
            }
        }
        let _ = bundle.add_resource(resource);
    }
    (bundle, keys)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platform_language_codes_map_to_our_locales() {
        assert_eq!(Lang::parse("en-US"), Some(Lang::En));
        assert_eq!(Lang::parse("vi"), Some(Lang::Vi));
        assert_eq!(Lang::parse("fr"), None);
        assert_eq!(Lang::parse(""), None);
    }
}
