//! Formatting for officers: times in Vietnam time (UTC+7, no daylight saving),
//! ages, and date parsing for filters.
use chrono::{NaiveDate, TimeZone};

use crate::domain::time::{vn_local as local, vn_offset};

/// "2025-07-01 14:05"
pub fn time(ms: i64) -> String {
    local(ms)
        .map(|d| d.format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}

/// "2025-07-01"
pub fn date(ms: i64) -> String {
    local(ms)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// Local midnight of a "YYYY-MM-DD" date, in unix ms.
pub fn parse_date(s: &str) -> Option<i64> {
    let d = NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()?;
    let dt = vn_offset()
        .from_local_datetime(&d.and_hms_opt(0, 0, 0)?)
        .single()?;
    Some(dt.timestamp_millis())
}

/// "45m", "5h", "3d": how long something has waited.
pub fn age(ms: i64) -> String {
    let minutes = (ms / 60_000).max(0);
    match minutes {
        m if m < 60 => format!("{m}m"),
        m if m < 48 * 60 => format!("{}h", m / 60),
        m => format!("{}d", m / (24 * 60)),
    }
}

/// Hours with one decimal, for medians.
pub fn hours(ms: i64) -> String {
    format!("{:.1}", ms as f64 / 3_600_000.0)
}

/// The first `n` characters of a description, on one line.
pub fn preview(s: &str, n: usize) -> String {
    let one_line: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > n {
        format!("{}…", one_line.chars().take(n).collect::<String>())
    } else {
        one_line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_and_shown_in_vietnam_time() {
        let ms = parse_date("2025-07-01").unwrap();
        assert_eq!(time(ms), "2025-07-01 00:00");
        assert_eq!(ms, 1_751_302_800_000);
        assert_eq!(parse_date("2025-13-01"), None);
    }

    #[test]
    fn ages_read_naturally() {
        assert_eq!(age(5 * 60_000), "5m");
        assert_eq!(age(5 * 3_600_000), "5h");
        assert_eq!(age(72 * 3_600_000), "3d");
    }

    #[test]
    fn previews_are_one_line_and_bounded() {
        assert_eq!(preview("a\nb   c", 10), "a b c");
        assert_eq!(preview("abcdef", 3), "abc…");
    }
}
