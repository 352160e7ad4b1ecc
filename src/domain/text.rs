//! Text helpers shared by search (wards, articles) and input hygiene.

/// Folds text for matching: strips diacritics (đ -> d), lowercases, keeps only
/// letters and digits, and collapses everything else into single spaces.
/// Emoji and symbols are dropped before transliteration, so "✅ Gửi" folds to "gui".
pub fn fold(input: &str) -> String {
    let letters: String = input
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let ascii = deunicode::deunicode(&letters);
    let mut out = String::with_capacity(ascii.len());
    let mut space = true;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
            space = false;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Removes control and invisible formatting characters (zero-width, bidi
/// overrides) that users paste by accident or to spoof text, keeps newlines
/// and tabs, and trims. Officers must read what was meant, not what hides.
pub fn clean_user_text(input: &str) -> String {
    let cleaned: String = input
        .chars()
        .filter(|c| match *c {
            '\n' | '\t' => true,
            c if c.is_control() => false,
            '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' => false,
            '\u{FEFF}' => false,
            _ => true,
        })
        .collect();
    cleaned.trim().to_string()
}

/// Counts user-perceived length in chars (not bytes), which is what limits mean to people.
pub fn char_len(s: &str) -> usize {
    s.chars().count()
}

/// Cuts `s` to at most `max` chars on a char boundary.
pub fn truncate_chars(s: &str, max: usize) -> &str {
    match s.char_indices().nth(max) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_strips_vietnamese_diacritics_and_case() {
        assert_eq!(fold("Phường Biên Hòa"), "phuong bien hoa");
        assert_eq!(fold("ĐỒNG NAI"), "dong nai");
        assert_eq!(fold("  tem--giấy!! "), "tem giay");
        assert_eq!(fold("✅ Gửi tin báo"), "gui tin bao");
    }

    #[test]
    fn clean_user_text_drops_zero_width_and_bidi_controls() {
        assert_eq!(
            clean_user_text("a\u{200B}b\u{202E}c\u{0007}\n d "),
            "abc\n d"
        );
    }

    #[test]
    fn truncate_respects_char_boundaries() {
        assert_eq!(truncate_chars("ếếế", 2), "ếế");
        assert_eq!(truncate_chars("ab", 5), "ab");
    }
}
