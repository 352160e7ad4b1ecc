//! The help directory: national numbers and operator-verified local points per province.
use serde::Deserialize;

use super::{BUILTIN_HELP_DIRECTORY, ContentError, HelpSource, line_at};
pub use crate::domain::help::{LocalKind, LocalPoint, local_point_problem};
use crate::i18n::Lang;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NationalNumber {
    pub number: String,
    pub name_vi: String,
    pub name_en: String,
    pub note_vi: String,
    pub note_en: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HelpDirectory {
    #[serde(default)]
    pub national: Vec<NationalNumber>,
    #[serde(default)]
    pub local: Vec<LocalPoint>,
    /// Points admins keep in the dashboard (stored in the database).
    #[serde(skip)]
    pub managed: Vec<LocalPoint>,
}

impl NationalNumber {
    pub fn name(&self, lang: Lang) -> &str {
        if lang == Lang::Vi {
            &self.name_vi
        } else {
            &self.name_en
        }
    }
    pub fn note(&self, lang: Lang) -> &str {
        if lang == Lang::Vi {
            &self.note_vi
        } else {
            &self.note_en
        }
    }
}

impl HelpDirectory {
    /// The province's points: the operator file's first, then the dashboard's.
    pub fn local_for(&self, province: u32) -> impl Iterator<Item = &LocalPoint> {
        self.local
            .iter()
            .chain(&self.managed)
            .filter(move |p| p.province_code == province)
    }
}

pub fn load(source: &HelpSource) -> Result<HelpDirectory, ContentError> {
    let (file, text) = match source {
        HelpSource::File(p) => match std::fs::read_to_string(p) {
            Ok(t) => (p.clone(), t),
            Err(e) => {
                return Err(ContentError {
                    file: p.clone(),
                    line: 0,
                    message: format!("cannot read help directory: {e}"),
                });
            }
        },
        HelpSource::Builtin => (
            "<built-in help-directory.toml>".into(),
            BUILTIN_HELP_DIRECTORY.to_string(),
        ),
    };
    let dir: HelpDirectory = toml::from_str(&text).map_err(|e| ContentError {
        file: file.clone(),
        line: e.span().map_or(0, |s| line_at(&text, s.start)),
        message: e.message().to_string(),
    })?;
    for p in &dir.local {
        if let Some(message) = local_point_problem(p) {
            let at = text.find(&p.name_vi).unwrap_or(0);
            return Err(ContentError {
                file,
                line: line_at(&text, at),
                message,
            });
        }
    }
    if dir.national.is_empty() {
        return Err(ContentError {
            file,
            line: 1,
            message: "no [[national]] numbers: at least 113 and 115 must be listed".into(),
        });
    }
    Ok(dir)
}
