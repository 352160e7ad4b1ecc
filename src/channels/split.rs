//! Splitting long replies into messages a platform accepts.

/// Telegram's limit is 4096 UTF-16 units; Zalo's text limit is 2000 chars.
pub const TELEGRAM_MAX_CHARS: usize = 4000;
pub const ZALO_MAX_CHARS: usize = 2000;

/// Splits at paragraph, then line, then word boundaries so no part exceeds `max` chars.
pub fn split_message(text: &str, max: usize) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut current_len = 0usize;
    for piece in pieces(text, max) {
        let len = piece.chars().count();
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
        if para.chars().count() <= max {
            out.push(para.to_string());
            continue;
        }
        let mut chunk = String::new();
        for word in para.split_inclusive(' ') {
            if chunk.chars().count() + word.chars().count() > max && !chunk.is_empty() {
                out.push(std::mem::take(&mut chunk));
            }
            if word.chars().count() > max {
                // One enormous "word" (no spaces): hard-cut on char boundaries.
                let chars: Vec<char> = word.chars().collect();
                for c in chars.chunks(max) {
                    out.push(c.iter().collect());
                }
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
        assert!(parts.iter().all(|p| p.chars().count() <= 4000));
        let joined: String = parts.concat();
        let strip = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        assert_eq!(strip(&joined), strip(&text));
    }

    #[test]
    fn short_text_is_one_part() {
        assert_eq!(
            split_message("xin chào", 4000),
            vec!["xin chào".to_string()]
        );
    }
}
