//! Looks each setting up in the layers (command line, environment, config
//! file, default), parses it, and remembers where it came from. Problems are
//! collected, not returned one at a time, so startup reports all of them.
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use super::secret::redact_url;

/// Where an effective value came from, as `tipline config` prints it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Cli,
    Env,
    File,
    Default,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Cli => "cli",
            Origin::Env => "env",
            Origin::File => "file",
            Origin::Default => "default",
        }
    }
}

/// How a setting may be given and shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Plain,
    /// Never printed; shown as `***`.
    Secret,
    /// A platform API base URL: bot tokens are sent there, so a config file
    /// may only set it when TIPLINE_ALLOW_FILE_API_URLS=true comes from the
    /// environment or command line.
    ApiUrl,
    /// Read from the environment or command line only, never from the file.
    NoFile,
}

/// One setting: its environment name (also its `tipline.toml` key), what it
/// does, and how it may be given.
#[derive(Debug, Clone, Copy)]
pub struct Setting {
    pub name: &'static str,
    pub help: &'static str,
    pub kind: Kind,
}

pub const fn plain(name: &'static str, help: &'static str) -> Setting {
    Setting {
        name,
        help,
        kind: Kind::Plain,
    }
}
pub const fn secret(name: &'static str, help: &'static str) -> Setting {
    Setting {
        name,
        help,
        kind: Kind::Secret,
    }
}
pub const fn api_url(name: &'static str, help: &'static str) -> Setting {
    Setting {
        name,
        help,
        kind: Kind::ApiUrl,
    }
}
pub const fn no_file(name: &'static str, help: &'static str) -> Setting {
    Setting {
        name,
        help,
        kind: Kind::NoFile,
    }
}

/// The raw values of every layer, keyed by upper-case setting name.
#[derive(Debug, Default, Clone)]
pub struct Layers {
    pub cli: BTreeMap<String, String>,
    pub env: BTreeMap<String, String>,
    pub file: BTreeMap<String, String>,
    /// Shown in messages about file values.
    pub file_path: Option<PathBuf>,
}

/// One effective value, for `tipline config`.
#[derive(Debug, Clone)]
pub struct Entry {
    pub name: &'static str,
    pub help: &'static str,
    /// Already redacted; `None` when unset.
    pub shown: Option<String>,
    pub origin: Origin,
}

/// An invalid value, with its name and source.
#[derive(Debug, Clone)]
pub struct Problem {
    pub name: String,
    /// Already redacted; `None` when the problem is a missing value.
    pub shown: Option<String>,
    /// "the environment", "the command line", a file path...
    pub source: String,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.shown {
            Some(v) => write!(
                f,
                "{}='{}' from {}: {}",
                self.name, v, self.source, self.message
            ),
            None => write!(f, "{} is not set: {}", self.name, self.message),
        }
    }
}

pub struct Resolver<'a> {
    layers: &'a Layers,
    allow_file_api_urls: bool,
    read: BTreeSet<&'static str>,
    pub entries: Vec<Entry>,
    pub problems: Vec<Problem>,
}

struct Raw {
    text: String,
    origin: Origin,
}

impl<'a> Resolver<'a> {
    pub fn new(layers: &'a Layers) -> Self {
        Resolver {
            layers,
            allow_file_api_urls: false,
            read: BTreeSet::new(),
            entries: Vec::new(),
            problems: Vec::new(),
        }
    }

    pub fn allow_file_api_urls(&mut self, allow: bool) {
        self.allow_file_api_urls = allow;
    }

    fn source(&self, origin: Origin) -> String {
        match origin {
            Origin::Cli => "the command line".into(),
            Origin::Env => "the environment".into(),
            Origin::File => match &self.layers.file_path {
                Some(p) => p.display().to_string(),
                None => "the config file".into(),
            },
            Origin::Default => "the default".into(),
        }
    }

    fn show(kind: Kind, text: &str) -> String {
        match kind {
            Kind::Secret => "***".into(),
            _ => redact_url(text),
        }
    }

    fn lookup(&mut self, s: Setting) -> Option<Raw> {
        self.read.insert(s.name);
        let l = self.layers;
        let (text, origin) = if let Some(v) = l.cli.get(s.name) {
            (v, Origin::Cli)
        } else if let Some(v) = l.env.get(s.name).filter(|v| !v.is_empty()) {
            (v, Origin::Env)
        } else {
            (l.file.get(s.name)?, Origin::File)
        };
        let refused = match (origin, s.kind) {
            (Origin::File, Kind::NoFile) => {
                Some("may only be set in the environment or on the command line")
            }
            (Origin::File, Kind::ApiUrl) if !self.allow_file_api_urls => Some(
                "a config file may not redirect a platform API (tokens are sent there); set it in the environment, or set TIPLINE_ALLOW_FILE_API_URLS=true there",
            ),
            _ => None,
        };
        if let Some(message) = refused {
            self.problem_at(s, text, origin, message);
            return None;
        }
        Some(Raw {
            text: text.clone(),
            origin,
        })
    }

    fn problem_at(&mut self, s: Setting, text: &str, origin: Origin, message: &str) {
        self.problems.push(Problem {
            name: s.name.into(),
            shown: Some(Self::show(s.kind, text)),
            source: self.source(origin),
            message: message.into(),
        });
    }

    pub fn has_problem(&self, name: &str) -> bool {
        self.problems.iter().any(|p| p.name == name)
    }

    /// Reports a problem about an already-read setting (cross-field checks).
    pub fn reject(&mut self, s: Setting, message: impl Into<String>) {
        let entry = self.entries.iter().find(|e| e.name == s.name);
        let problem = Problem {
            name: s.name.into(),
            shown: entry.and_then(|e| e.shown.clone()),
            source: entry.map_or_else(|| self.source(Origin::Default), |e| self.source(e.origin)),
            message: message.into(),
        };
        self.problems.push(problem);
    }

    /// A setting with no default: `None` when unset or invalid (then reported).
    pub fn optional<T>(
        &mut self,
        s: Setting,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        let raw = self.lookup(s);
        let shown = raw.as_ref().map(|r| Self::show(s.kind, &r.text));
        let origin = raw.as_ref().map_or(Origin::Default, |r| r.origin);
        self.entries.push(Entry {
            name: s.name,
            help: s.help,
            shown,
            origin,
        });
        let raw = raw?;
        match parse(raw.text.trim()) {
            Ok(v) => Some(v),
            Err(message) => {
                self.problem_at(s, &raw.text, raw.origin, &message);
                None
            }
        }
    }

    /// A setting with a default, shown as `shown_default` when unset.
    pub fn or_shown<T>(
        &mut self,
        s: Setting,
        default: T,
        shown_default: &str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> T {
        let is_set = self.lookup_peek(s);
        let value = self.optional(s, parse);
        if !is_set && let Some(e) = self.entries.last_mut() {
            e.shown = Some(shown_default.to_string());
        }
        value.unwrap_or(default)
    }

    /// A setting with a default printable as itself.
    pub fn or<T: ToString>(
        &mut self,
        s: Setting,
        default: T,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> T {
        let shown = default.to_string();
        self.or_shown(s, default, &shown, parse)
    }

    fn lookup_peek(&self, s: Setting) -> bool {
        let l = self.layers;
        l.cli.contains_key(s.name)
            || l.env.get(s.name).is_some_and(|v| !v.is_empty())
            || l.file.contains_key(s.name)
    }

    /// Keys of the config file that no setting reads: a typo, or a setting
    /// from another version. Reported rather than silently ignored.
    pub fn reject_unknown_file_keys(&mut self) {
        let unknown: Vec<(String, String)> = self
            .layers
            .file
            .iter()
            .filter(|(k, _)| !self.read.contains(k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        for (name, value) in unknown {
            self.problems.push(Problem {
                name,
                shown: Some(redact_url(&value)),
                source: self.source(Origin::File),
                message: "unknown setting (`tipline config` lists them all)".into(),
            });
        }
    }
}

// Parsers shared by the settings. Each returns the message shown after
// "NAME='value' from SOURCE: ".

pub fn text(v: &str) -> Result<String, String> {
    Ok(v.to_string())
}

pub fn path(v: &str) -> Result<PathBuf, String> {
    Ok(PathBuf::from(v))
}

pub fn flag(v: &str) -> Result<bool, String> {
    match v.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err("must be true or false".into()),
    }
}

/// A whole number of at least `min`.
pub fn at_least<T>(min: T) -> impl FnOnce(&str) -> Result<T, String>
where
    T: std::str::FromStr + PartialOrd + std::fmt::Display,
{
    move |v| match v.parse::<T>() {
        Ok(n) if n >= min => Ok(n),
        _ => Err(format!("must be a whole number of at least {min}")),
    }
}

/// An absolute http(s) URL, without a trailing slash.
pub fn http_url(v: &str) -> Result<String, String> {
    match reqwest::Url::parse(v) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.has_host() => {
            Ok(v.trim_end_matches('/').to_string())
        }
        _ => Err("must be an http:// or https:// URL".into()),
    }
}
