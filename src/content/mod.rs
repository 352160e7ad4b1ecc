//! Awareness content as data: articles, quiz banks and the help directory,
//! loaded from the content directory, validated with precise file:line errors,
//! and swapped atomically when operators edit the files.
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

pub mod article;
pub mod check;
pub mod help;
pub mod quiz;
pub mod rules;
pub mod search;
pub mod watch;

pub use article::{Article, Source, Topic};
pub use help::{HelpDirectory, LocalPoint, NationalNumber};
pub use quiz::{Level, Question};

use crate::i18n::Lang;

/// Telegram cuts a button after about 30–35 characters; every button label
/// (options, short titles, menu entries) stays within this.
pub const LABEL_MAX_CHARS: usize = 32;

/// One problem in the content, located precisely.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentError {
    pub file: PathBuf,
    pub line: usize,
    pub message: String,
}

impl ContentError {
    pub(crate) fn at(file: &Path, line: usize, message: String) -> Self {
        ContentError {
            file: file.to_path_buf(),
            line,
            message,
        }
    }
}

/// A content file's text, or `None` after recording why it cannot be read.
pub(crate) fn read_source(
    file: &Path,
    what: &str,
    errors: &mut Vec<ContentError>,
) -> Option<String> {
    match std::fs::read_to_string(file) {
        Ok(t) => Some(t),
        Err(e) => {
            errors.push(ContentError::at(file, 0, format!("cannot read{what}: {e}")));
            None
        }
    }
}

impl std::fmt::Display for ContentError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.file.display(), self.line, self.message)
    }
}

/// Everything the awareness flows read, for both languages. Cloning is cheap
/// (the articles and quizzes are shared), so the help points an admin edits
/// can be swapped in without reloading the files.
#[derive(Debug, Default, Clone)]
pub struct Catalog {
    pub vi: Arc<LangContent>,
    pub en: Arc<LangContent>,
    pub help: HelpDirectory,
}

#[derive(Debug, Default)]
pub struct LangContent {
    pub articles: Vec<Article>,
    pub quiz: Vec<Question>,
}

impl Catalog {
    pub fn lang(&self, lang: Lang) -> &LangContent {
        match lang {
            Lang::Vi => &self.vi,
            Lang::En => &self.en,
        }
    }

    pub fn article(&self, lang: Lang, id: &str) -> Option<&Article> {
        self.lang(lang).articles.iter().find(|a| a.id == id)
    }

    pub fn question(&self, lang: Lang, id: &str) -> Option<&Question> {
        self.lang(lang).quiz.iter().find(|q| q.id == id)
    }

    /// Loads and cross-checks both languages; all problems are returned together.
    pub fn load(content_dir: &Path, help_file: &HelpSource) -> Result<Catalog, Vec<ContentError>> {
        let mut errors = Vec::new();
        let vi = load_lang(content_dir, Lang::Vi, &mut errors);
        let en = load_lang(content_dir, Lang::En, &mut errors);
        let help = match help::load(help_file) {
            Ok(h) => h,
            Err(e) => {
                errors.push(e);
                HelpDirectory::default()
            }
        };
        rules::check_files(content_dir, &help, &mut errors);
        let catalog = Catalog {
            vi: Arc::new(vi),
            en: Arc::new(en),
            help,
        };
        check::cross_check(&catalog, content_dir, &mut errors);
        if errors.is_empty() {
            Ok(catalog)
        } else {
            Err(errors)
        }
    }
}

fn load_lang(dir: &Path, lang: Lang, errors: &mut Vec<ContentError>) -> LangContent {
    let lang_dir = dir.join(lang.code());
    let articles = article::load_dir(&lang_dir.join("articles"), errors);
    let quiz = quiz::load(&lang_dir.join("quiz.toml"), errors);
    LangContent { articles, quiz }
}

/// Where the help directory comes from: an operator's file, or the copy shipped in the binary.
#[derive(Debug, Clone)]
pub enum HelpSource {
    File(PathBuf),
    Builtin,
}

pub const BUILTIN_HELP_DIRECTORY: &str = include_str!("../../data/help-directory.toml");

/// The live catalog: readers take a cheap snapshot; a reload swaps it whole,
/// so a conversation never sees half-old, half-new content.
#[derive(Debug)]
pub struct LiveCatalog {
    current: RwLock<Arc<Catalog>>,
    /// The local help points admins keep in the database (see `set_managed_points`).
    managed: RwLock<Vec<LocalPoint>>,
    pub content_dir: PathBuf,
    pub help_source: HelpSource,
}

impl LiveCatalog {
    pub fn new(catalog: Catalog, content_dir: PathBuf, help_source: HelpSource) -> Self {
        LiveCatalog {
            current: RwLock::new(Arc::new(catalog)),
            managed: RwLock::new(Vec::new()),
            content_dir,
            help_source,
        }
    }

    pub fn snapshot(&self) -> Arc<Catalog> {
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Reloads from disk; on any error the old content stays and the errors are returned.
    pub fn reload(&self) -> Result<(), Vec<ContentError>> {
        let mut fresh = Catalog::load(&self.content_dir, &self.help_source)?;
        fresh.help.managed = self
            .managed
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(fresh);
        Ok(())
    }

    /// Installs the help points kept in the database beside the file's own,
    /// keeping the rest of the catalog as it is.
    pub fn set_managed_points(&self, points: Vec<LocalPoint>) {
        let mut current = self.current.write().unwrap_or_else(|e| e.into_inner());
        let mut next = Catalog::clone(&current);
        next.help.managed = points.clone();
        *current = Arc::new(next);
        *self.managed.write().unwrap_or_else(|e| e.into_inner()) = points;
    }
}

/// 1-based line of a byte offset.
pub(crate) fn line_at(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}
