//! Quiz rules shared by the engine (which asks the questions), the content
//! check (which makes sure the bank is big enough) and teachers' class codes.
use chrono::{Datelike, NaiveDate, TimeZone};
use sha2::{Digest, Sha256};

use super::time::{vn_local, vn_offset};

/// Questions in one quiz run; a language's bank must hold at least this many.
pub const QUIZ_LENGTH: usize = 10;

/// Longest class code, issued or typed ("10A1-7KQ", "LOP-9B").
pub const CLASS_MAX_CHARS: usize = 20;

/// Longest label a teacher may give a class, leaving room for "-XXX".
pub const CLASS_LABEL_MAX_CHARS: usize = 16;

/// Letters and digits of an issued code's suffix: no 0/O, 1/I/L, so a
/// teacher can read it aloud and students can copy it from a board.
pub const CLASS_SUFFIX_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// Characters in an issued code's suffix.
pub const CLASS_SUFFIX_LEN: usize = 3;

/// A class code as teachers write it ("10A1", "lop-9b"): letters, digits,
/// - and _; upper-cased so "10a1" and "10A1" are one class.
pub fn parse_class(s: &str) -> Option<String> {
    let s = s.trim();
    let ok = !s.is_empty()
        && s.chars().count() <= CLASS_MAX_CHARS
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    ok.then(|| s.to_ascii_uppercase())
}

/// A label a teacher asks a code for: a class code short enough for a suffix.
pub fn parse_class_label(s: &str) -> Option<String> {
    parse_class(s).filter(|l| l.chars().count() <= CLASS_LABEL_MAX_CHARS)
}

/// Whether `code` has the shape of a code the bot issues ("10A1-7KQ").
/// Anything else ("10A1") is a code many schools may share.
pub fn looks_issued(code: &str) -> bool {
    code.rsplit_once('-').is_some_and(|(label, suffix)| {
        !label.is_empty()
            && suffix.len() == CLASS_SUFFIX_LEN
            && suffix.bytes().all(|b| CLASS_SUFFIX_ALPHABET.contains(&b))
    })
}

/// What the database keeps of a results link's secret token: its SHA-256, so
/// a copy of the database cannot open any class's results page.
pub fn class_token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A results token as the bot issues it: 32 lower-case hex digits (128 bits).
pub fn is_class_token(token: &str) -> bool {
    token.len() == 32
        && token
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The end of the Vietnamese school year `now_ms` falls in: the last moment of
/// 31 August (the new year starts in early September), Vietnam time.
pub fn school_year_end_ms(now_ms: i64) -> i64 {
    let today = vn_local(now_ms)
        .or_else(|| vn_local(0))
        .expect("epoch is in range");
    let year = if today.month() >= 9 {
        today.year() + 1
    } else {
        today.year()
    };
    let first_september = NaiveDate::from_ymd_opt(year, 9, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .expect("valid date");
    vn_offset()
        .from_local_datetime(&first_september)
        .single()
        .expect("fixed offset")
        .timestamp_millis()
        - 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::vn_day;

    #[test]
    fn a_school_year_ends_on_31_august() {
        // 2026-12-02 -> 2027-08-31; 2027-05-20 -> 2027-08-31; 2027-09-01 -> 2028-08-31.
        assert_eq!(vn_day(school_year_end_ms(1_796_169_600_000)), "2027-08-31");
        let may = 1_810_771_200_000; // 2027-05-20
        assert_eq!(vn_day(may), "2027-05-20");
        assert_eq!(vn_day(school_year_end_ms(may)), "2027-08-31");
        let end = school_year_end_ms(may);
        assert_eq!(vn_day(end + 1), "2027-09-01");
        assert_eq!(vn_day(school_year_end_ms(end + 1)), "2028-08-31");
    }

    #[test]
    fn issued_codes_are_told_from_shared_ones() {
        assert!(looks_issued("10A1-7KQ"));
        assert!(!looks_issued("10A1"));
        assert!(!looks_issued("LOP-9B"));
        assert!(!looks_issued("10A1-7K0"), "0 is not in the alphabet");
        assert!(!looks_issued("-7KQ"));
    }

    #[test]
    fn labels_leave_room_for_the_suffix() {
        assert_eq!(parse_class_label(" 10a1 ").as_deref(), Some("10A1"));
        assert_eq!(
            parse_class_label("A234567890123456"),
            Some("A234567890123456".into())
        );
        assert_eq!(parse_class_label("A2345678901234567"), None);
        assert_eq!(parse_class_label("10A1 😀"), None);
    }

    #[test]
    fn tokens_are_32_hex_digits() {
        assert!(is_class_token("0123456789abcdef0123456789abcdef"));
        assert!(!is_class_token("0123456789ABCDEF0123456789abcdef"));
        assert!(!is_class_token("0123456789abcdef"));
        assert_ne!(class_token_hash("a"), class_token_hash("b"));
    }
}
