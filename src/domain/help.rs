//! Local help points (counselling, rehab): operator data, from the help
//! directory file or the dashboard. Every entry says who verified it and
//! when, and the bot shows that date.
use serde::Deserialize;

use crate::i18n::Lang;

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocalPoint {
    pub province_code: u32,
    pub kind: LocalKind,
    pub name_vi: String,
    pub name_en: String,
    pub address: String,
    pub phone: String,
    pub hours_vi: String,
    pub hours_en: String,
    /// Who verified the entry and how ("PC04 Đồng Nai, by phone").
    pub source: String,
    /// The day it was last verified, "YYYY-MM-DD"; the bot shows it.
    pub verified_on: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LocalKind {
    Counselling,
    Rehab,
}

impl LocalKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LocalKind::Counselling => "counselling",
            LocalKind::Rehab => "rehab",
        }
    }

    pub fn parse(s: &str) -> Option<LocalKind> {
        match s {
            "counselling" => Some(LocalKind::Counselling),
            "rehab" => Some(LocalKind::Rehab),
            _ => None,
        }
    }
}

impl LocalPoint {
    pub fn name(&self, lang: Lang) -> &str {
        if lang == Lang::Vi {
            &self.name_vi
        } else {
            &self.name_en
        }
    }
    pub fn hours(&self, lang: Lang) -> &str {
        if lang == Lang::Vi {
            &self.hours_vi
        } else {
            &self.hours_en
        }
    }
}

/// What is wrong with a local point, whether from the file or the dashboard:
/// every entry says who verified it and when, so the bot can show the date.
pub fn local_point_problem(p: &LocalPoint) -> Option<String> {
    let required = [
        ("name_vi", &p.name_vi),
        ("address", &p.address),
        ("phone", &p.phone),
        ("source", &p.source),
    ];
    if let Some((field, _)) = required.iter().find(|(_, v)| v.trim().is_empty()) {
        return Some(format!("{}: {field} is empty", p.name_vi));
    }
    if chrono::NaiveDate::parse_from_str(p.verified_on.trim(), "%Y-%m-%d").is_err() {
        return Some(format!(
            "{}: verified_on must be a date written YYYY-MM-DD, not {:?}",
            p.name_vi, p.verified_on
        ));
    }
    None
}
