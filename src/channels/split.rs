//! Splitting long replies into messages a platform accepts. Lengths are
//! counted in UTF-16 code units, as Telegram counts them; Zalo does not say
//! how it counts its 2,000, and UTF-16 is never shorter than a count of
//! characters, so it is the safe reading for both.

/// Telegram's limit is 4096 UTF-16 units; kept below it.
pub const TELEGRAM_MAX_CHARS: usize = 4000;
/// Zalo's `cs` text limit is 2,000 characters; 100 units of margin for its
/// unknown way of counting (emoji, combining marks).
pub const ZALO_MAX_CHARS: usize = 1900;
/// Messenger's Send API takes text of at most 2,000 characters.
pub const MESSENGER_MAX_CHARS: usize = 2000;

/// Length in UTF-16 code units: what the platform limits above count.
pub fn utf16_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

/// Splits at paragraph, then line, then word boundaries so no part exceeds
/// `max` UTF-16 units.
pub fn split_message(text: &str, max: usize) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut current_len = 0usize;
    for piece in pieces(text, max) {
        let len = utf16_len(&piece);
        if current_len + len > max && !current.is_empty() {
            parts.push(current.trim_end().to_string());
            current.clear();
            current_len = 0;
        }
        current.push_str(&piece);
        current_len += len;
    }
    if !current.trim().is_empty() || parts.is_empty() {
        parts.push(current.trim_end().to_string());
    }
    parts
}

/// Breaks text into chunks no longer than `max`, each ending at a natural boundary.
fn pieces(text: &str, max: usize) -> Vec<String> {
    let mut out = Vec::new();
    for para in text.split_inclusive('\n') {
        if utf16_len(para) <= max {
            out.push(para.to_string());
            continue;
        }
        let mut chunk = String::new();
        for word in para.split_inclusive(' ') {
            if utf16_len(&chunk) + utf16_len(word) > max && !chunk.is_empty() {
                out.push(std::mem::take(&mut chunk));
            }
            if utf16_len(word) > max {
                out.extend(hard_cut(word, max));
            } else {
                chunk.push_str(word);
            }
        }
        if !chunk.is_empty() {
            out.push(chunk);
        }
    }
    out
}

/// One enormous "word" (no spaces): cut on character boundaries, never
/// inside a surrogate pair.
fn hard_cut(word: &str, max: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut part = String::new();
    let mut units = 0;
    for c in word.chars() {
        if units + c.len_utf16() > max && !part.is_empty() {
            out.push(std::mem::take(&mut part));
            units = 0;
        }
        part.push(c);
        units += c.len_utf16();
    }
    if !part.is_empty() {
        out.push(part);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_part_exceeds_the_limit_and_nothing_is_lost() {
        let text = format!(
            "{}\n\n{}\n{}",
            "ế ".repeat(3000),
            "x".repeat(9000),
            "short line"
        );
        let parts = split_message(&text, 4000);
        assert!(parts.iter().all(|p| utf16_len(p) <= 4000));
        let joined: String = parts.concat();
        let strip = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        assert_eq!(strip(&joined), strip(&text));
    }

    #[test]
    fn emoji_count_as_two_units_and_are_never_cut_in_half() {
        // 1,500 emoji are 1,500 chars but 3,000 UTF-16 units: over Zalo's limit.
        let text = "😀".repeat(1500);
        let parts = split_message(&text, ZALO_MAX_CHARS);
        assert_eq!(parts.len(), 2);
        assert!(parts.iter().all(|p| utf16_len(p) <= ZALO_MAX_CHARS));
        assert_eq!(parts.concat(), text);
    }

    #[test]
    fn short_text_is_one_part() {
        assert_eq!(
            split_message("xin chào", 4000),
            vec!["xin chào".to_string()]
        );
    }
}
