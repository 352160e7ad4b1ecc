//! Campaigns as an admin writes them: text in both languages, a target and a
//! time in Vietnam. Parsing, validation and the per-channel preview are pure.
use serde::{Deserialize, Serialize};

use super::area::{Areas, ProvinceCode};
use super::channel::Channel;
use super::time::vn_offset;
use crate::i18n::Lang;

/// Telegram counts a message's length in UTF-16 code units (emoji count twice).
pub const TELEGRAM_LIMIT_UTF16: usize = 4096;
/// Zalo OA text messages: plain text, at most 2000 characters.
pub const ZALO_LIMIT_CHARS: usize = 2000;
/// Messenger's Send API: text of at most 2000 characters, like Zalo, so the
/// one check on `ZALO_LIMIT_CHARS` covers both.
pub const MESSENGER_LIMIT_CHARS: usize = ZALO_LIMIT_CHARS;
/// A title is for officers' lists only; recipients never see it.
pub const TITLE_MAX_CHARS: usize = 120;

/// What an admin can do to a campaign once it exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CampaignControl {
    /// Stop sending for now; sends in flight still finish.
    Pause,
    Resume,
    /// Stop for good: nothing more is sent.
    Cancel,
}

impl CampaignControl {
    /// "pause", "resume", "cancel": audit actions and Fluent key suffixes.
    pub const fn as_str(self) -> &'static str {
        match self {
            CampaignControl::Pause => "pause",
            CampaignControl::Resume => "resume",
            CampaignControl::Cancel => "cancel",
        }
    }

    /// "paused", "resumed", "cancelled", for the CLI's confirmation.
    pub const fn past_tense(self) -> &'static str {
        match self {
            CampaignControl::Pause => "paused",
            CampaignControl::Resume => "resumed",
            CampaignControl::Cancel => "cancelled",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Target {
    All,
    Provinces(Vec<ProvinceCode>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schedule {
    Now,
    /// Unix milliseconds.
    At(i64),
}

/// A validated campaign, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignDraft {
    pub title: String,
    pub text_vi: String,
    pub text_en: String,
    pub target: Target,
    pub schedule: Schedule,
}

impl CampaignDraft {
    pub fn text(&self, lang: Lang) -> &str {
        match lang {
            Lang::Vi => &self.text_vi,
            Lang::En => &self.text_en,
        }
    }
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum CampaignError {
    #[error("not valid TOML: {0}")]
    Toml(String),
    #[error("`title` is empty")]
    NoTitle,
    #[error("`title` is longer than {TITLE_MAX_CHARS} characters")]
    TitleTooLong,
    #[error("the {0} text is empty")]
    EmptyText(Lang),
    #[error(
        "the {lang} text is {chars} characters with the unsubscribe line; Zalo and Messenger accept at most {ZALO_LIMIT_CHARS}"
    )]
    TooLongForZalo { lang: Lang, chars: usize },
    #[error(
        "the {lang} text is {units} UTF-16 units with the unsubscribe line; Telegram accepts at most {TELEGRAM_LIMIT_UTF16}"
    )]
    TooLongForTelegram { lang: Lang, units: usize },
    #[error("`target` must be \"all\" or a list of province codes, e.g. [\"01\", \"79\"]")]
    BadTarget,
    #[error("unknown province code {0:?} (see data/vn-admin-units-2025.csv)")]
    UnknownProvince(String),
    #[error("`schedule` must be \"now\" or a Vietnam time like \"2027-06-26 08:00\", got {0:?}")]
    BadSchedule(String),
}

/// The file given to `tipline broadcast create --file` (also what the
/// dashboard form fills in).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CampaignFile {
    pub title: String,
    /// "now" or "YYYY-MM-DD HH:MM" in Vietnam time.
    #[serde(default = "now_str")]
    pub schedule: String,
    /// "all" or a list of province codes.
    #[serde(default = "all_target")]
    pub target: toml::Value,
    pub text: Texts,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Texts {
    pub vi: String,
    pub en: String,
}

fn now_str() -> String {
    "now".into()
}

fn all_target() -> toml::Value {
    toml::Value::String("all".into())
}

impl CampaignFile {
    pub fn parse(text: &str) -> Result<CampaignFile, CampaignError> {
        toml::from_str(text).map_err(|e| CampaignError::Toml(e.message().to_string()))
    }

    /// Checks everything against the province list and the platforms' limits.
    /// `footer` gives the unsubscribe line appended to every message.
    pub fn validate(
        &self,
        areas: &Areas,
        footer: impl Fn(Lang) -> String,
    ) -> Result<CampaignDraft, CampaignError> {
        let title = self.title.trim().to_string();
        if title.is_empty() {
            return Err(CampaignError::NoTitle);
        }
        if title.chars().count() > TITLE_MAX_CHARS {
            return Err(CampaignError::TitleTooLong);
        }
        let text_vi = normalise(&self.text.vi);
        let text_en = normalise(&self.text.en);
        for (lang, text) in [(Lang::Vi, &text_vi), (Lang::En, &text_en)] {
            if text.is_empty() {
                return Err(CampaignError::EmptyText(lang));
            }
            let full = render(text, &footer(lang));
            let chars = full.chars().count();
            if chars > ZALO_LIMIT_CHARS {
                return Err(CampaignError::TooLongForZalo { lang, chars });
            }
            let units = full.encode_utf16().count();
            if units > TELEGRAM_LIMIT_UTF16 {
                return Err(CampaignError::TooLongForTelegram { lang, units });
            }
        }
        Ok(CampaignDraft {
            title,
            text_vi,
            text_en,
            target: parse_target(&self.target, areas)?,
            schedule: parse_schedule(&self.schedule)?,
        })
    }
}

/// Trims, unifies line endings and drops invisible control characters that
/// would render differently on each platform.
fn normalise(text: &str) -> String {
    crate::domain::text::clean_user_text(&text.replace("\r\n", "\n"))
}

pub fn parse_target(value: &toml::Value, areas: &Areas) -> Result<Target, CampaignError> {
    match value {
        toml::Value::String(s) if s.trim().eq_ignore_ascii_case("all") => Ok(Target::All),
        toml::Value::String(s) => parse_province_list(s.split(','), areas),
        toml::Value::Array(items) => {
            let mut codes = Vec::new();
            for item in items {
                match item {
                    toml::Value::String(s) => codes.push(s.clone()),
                    toml::Value::Integer(i) => codes.push(i.to_string()),
                    _ => return Err(CampaignError::BadTarget),
                }
            }
            parse_province_list(codes.iter().map(String::as_str), areas)
        }
        _ => Err(CampaignError::BadTarget),
    }
}

/// "01, 79" -> [01, 79]; every code must exist.
pub fn parse_province_list<'a>(
    codes: impl Iterator<Item = &'a str>,
    areas: &Areas,
) -> Result<Target, CampaignError> {
    let mut out = Vec::new();
    for raw in codes {
        let code = raw.trim();
        if code.is_empty() {
            continue;
        }
        let p = code
            .parse::<u32>()
            .ok()
            .and_then(|c| areas.province(ProvinceCode(c)))
            .ok_or_else(|| CampaignError::UnknownProvince(code.to_string()))?;
        if !out.contains(&p.code) {
            out.push(p.code);
        }
    }
    if out.is_empty() {
        return Err(CampaignError::BadTarget);
    }
    out.sort();
    Ok(Target::Provinces(out))
}

/// "now", or "2027-06-26 08:00" read as Vietnam time.
pub fn parse_schedule(s: &str) -> Result<Schedule, CampaignError> {
    let t = s.trim();
    if t.eq_ignore_ascii_case("now") || t.is_empty() {
        return Ok(Schedule::Now);
    }
    let naive = ["%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M"]
        .iter()
        .find_map(|f| chrono::NaiveDateTime::parse_from_str(t, f).ok())
        .ok_or_else(|| CampaignError::BadSchedule(s.to_string()))?;
    let at = naive
        .and_local_timezone(vn_offset())
        .single()
        .ok_or_else(|| CampaignError::BadSchedule(s.to_string()))?;
    Ok(Schedule::At(at.timestamp_millis()))
}

/// Unix ms as "2027-06-26 08:00 (giờ Việt Nam)" style, without the suffix.
pub fn format_vn_time(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .with_timezone(&vn_offset())
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// The exact text a recipient gets: the campaign text, a blank line, and
/// the localized unsubscribe line. Plain text on both platforms (no parse
/// mode), so nothing needs escaping and nothing renders differently.
pub fn render(text: &str, footer: &str) -> String {
    format!("{text}\n\n{footer}")
}

/// How one language version looks on one platform.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Preview {
    pub channel: Channel,
    pub lang: Lang,
    pub text: String,
    /// Length in the platform's own unit (UTF-16 units on Telegram, chars on Zalo).
    pub length: usize,
    pub limit: usize,
    pub unit: &'static str,
}

impl Preview {
    pub fn fits(&self) -> bool {
        self.length <= self.limit
    }
}

/// Previews for Telegram, Zalo and Messenger in both languages.
pub fn previews(text_vi: &str, text_en: &str, footer: impl Fn(Lang) -> String) -> Vec<Preview> {
    let mut out = Vec::new();
    for (lang, text) in [(Lang::Vi, text_vi), (Lang::En, text_en)] {
        let full = render(text, &footer(lang));
        out.push(Preview {
            channel: Channel::Telegram,
            lang,
            length: full.encode_utf16().count(),
            limit: TELEGRAM_LIMIT_UTF16,
            unit: "UTF-16 units",
            text: full.clone(),
        });
        out.push(Preview {
            channel: Channel::Zalo,
            lang,
            length: full.chars().count(),
            limit: ZALO_LIMIT_CHARS,
            unit: "characters",
            text: full.clone(),
        });
        out.push(Preview {
            channel: Channel::Messenger,
            lang,
            length: full.chars().count(),
            limit: MESSENGER_LIMIT_CHARS,
            unit: "characters",
            text: full,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn areas() -> Areas {
        Areas::from_csv(crate::domain::ADMIN_UNITS_CSV.as_bytes()).unwrap()
    }

    fn footer(l: Lang) -> String {
        format!("[{l}] /unsubscribe")
    }

    #[test]
    fn schedule_is_read_as_vietnam_time() {
        // 08:00 in Hà Nội is 01:00 UTC.
        let Schedule::At(ms) = parse_schedule("2027-06-26 08:00").unwrap() else {
            panic!()
        };
        let utc = chrono::DateTime::from_timestamp_millis(ms).unwrap();
        assert_eq!(utc.to_rfc3339(), "2027-06-26T01:00:00+00:00");
        assert_eq!(format_vn_time(ms), "2027-06-26 08:00");
        assert_eq!(parse_schedule(" NOW ").unwrap(), Schedule::Now);
        assert!(parse_schedule("26/6/2027 8h").is_err());
    }

    #[test]
    fn targets_accept_all_or_known_province_codes() {
        let a = areas();
        assert_eq!(parse_target(&"all".into(), &a).unwrap(), Target::All);
        let list = toml::Value::Array(vec!["79".into(), toml::Value::Integer(1), "79".into()]);
        assert_eq!(
            parse_target(&list, &a).unwrap(),
            Target::Provinces(vec![ProvinceCode(1), ProvinceCode(79)])
        );
        assert_eq!(
            parse_target(&"02".into(), &a),
            Err(CampaignError::UnknownProvince("02".into()))
        );
    }

    #[test]
    fn campaign_file_is_validated_against_zalo_limit_including_footer() {
        let a = areas();
        let long = "a".repeat(ZALO_LIMIT_CHARS);
        let file = format!(
            "title = \"t\"\nschedule = \"now\"\ntarget = \"all\"\n[text]\nvi = \"xin chào\"\nen = \"{long}\"\n"
        );
        let err = CampaignFile::parse(&file)
            .unwrap()
            .validate(&a, footer)
            .unwrap_err();
        assert!(matches!(
            err,
            CampaignError::TooLongForZalo { lang: Lang::En, .. }
        ));
        let ok = "title = \" Ngày 26/6 \"\n[text]\nvi = \"Xin chào\\r\\n\"\nen = \"Hello\"\n";
        let d = CampaignFile::parse(ok)
            .unwrap()
            .validate(&a, footer)
            .unwrap();
        assert_eq!(d.title, "Ngày 26/6");
        assert_eq!(d.text_vi, "Xin chào");
        assert_eq!(d.schedule, Schedule::Now);
        assert_eq!(d.target, Target::All);
    }

    #[test]
    fn unknown_fields_are_rejected_not_ignored() {
        let bad = "title = \"t\"\ntarget_all = true\n[text]\nvi = \"a\"\nen = \"b\"\n";
        assert!(matches!(
            CampaignFile::parse(bad),
            Err(CampaignError::Toml(_))
        ));
    }

    #[test]
    fn previews_count_in_each_platforms_unit() {
        let p = previews("🇻🇳 Xin chào", "Hi", footer);
        let tg_vi = p
            .iter()
            .find(|p| p.channel == Channel::Telegram && p.lang == Lang::Vi)
            .unwrap();
        let zalo_vi = p
            .iter()
            .find(|p| p.channel == Channel::Zalo && p.lang == Lang::Vi)
            .unwrap();
        // The flag is 2 chars but 4 UTF-16 units.
        assert_eq!(tg_vi.length, zalo_vi.length + 2);
        assert!(tg_vi.text.ends_with("[vi] /unsubscribe"));
        assert!(p.iter().all(Preview::fits));
    }
}
