//! Reading a place name the way people type it: "phuong 7 quan 3", "q1",
//! "tp bien hoa", "bien hoa, dong nai", "District 1", "Bien Hoa city".
//! The folded text is cut into segments, each an optional unit kind and a name;
//! the first segment is what is looked for, the rest narrow it down.
use crate::domain::text::fold;

/// One "kind name" part of a query: (Some("quan"), "3").
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Segment {
    pub kind: Option<&'static str>,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Query {
    pub primary: Segment,
    /// Districts and provinces that must contain the primary name.
    pub context: Vec<Segment>,
}

/// Unit kinds as folded words, longest first so "thanh pho" wins over nothing.
const KINDS: [(&str, &str); 10] = [
    ("thanh pho", "thanh pho"),
    ("thi xa", "thi xa"),
    ("thi tran", "thi tran"),
    ("dac khu", "dac khu"),
    ("phuong", "phuong"),
    ("quan", "quan"),
    ("huyen", "huyen"),
    ("tinh", "tinh"),
    ("xa", "xa"),
    ("tp", "thanh pho"),
];

/// Abbreviations glued to a number ("q1", "p7") or standing alone before a name.
const ABBREVIATIONS: [(&str, &str); 5] = [
    ("q", "quan"),
    ("p", "phuong"),
    ("tx", "thi xa"),
    ("tt", "thi tran"),
    ("tp", "thanh pho"),
];

/// English words that name a kind only before a number ("District 1", "Ward 7").
const ENGLISH_NUMBERED: [(&str, &str); 2] = [("district", "quan"), ("ward", "phuong")];

/// Words that add nothing to a place name when they stand after it.
const TRAILING_NOISE: [&str; 9] = [
    "cu", "old", "former", "city", "district", "ward", "commune", "province", "town",
];

/// At most this many kind words are read both ways (as a kind, and as part
/// of a name: "Xã Đông Quan" is not "Xã Đông" in "Quận ..."): 2^4 readings.
const AMBIGUOUS_KINDS: usize = 4;

/// All readings of `text`, the plain one (every kind word a kind) first.
/// Commas separate parts for sure ("bien hoa, dong nai"); `is_province`
/// recognises a province name or nickname at the end of a part.
pub(super) fn parse(text: &str, is_province: impl Fn(&str) -> bool) -> Vec<Query> {
    let parts: Vec<Vec<String>> = text
        .split([',', ';', '\n'])
        .map(|p| split_glued(&fold(p)))
        .filter(|t| !t.is_empty())
        .collect();
    let kinds: Vec<(usize, usize)> = parts
        .iter()
        .enumerate()
        .flat_map(|(pi, tokens)| (0..tokens.len()).map(move |i| (pi, i)))
        .filter(|(pi, i)| kind_at(&parts[*pi], *i).is_some())
        .take(AMBIGUOUS_KINDS)
        .collect();
    let mut out: Vec<Query> = Vec::new();
    for mask in 0..(1u32 << kinds.len()) {
        // Bit set = that kind word is read as part of a name.
        let as_name = |pi: usize, i: usize| {
            kinds
                .iter()
                .position(|k| *k == (pi, i))
                .is_some_and(|b| mask & (1 << b) != 0)
        };
        // A province name can also end a ward's own name ("Phường Phố Huế",
        // "Xã Hòa Quang Nam"): read each part with and without it split off.
        for split_province in [true, false] {
            let mut segments = Vec::new();
            for (pi, tokens) in parts.iter().enumerate() {
                let mut part = segment(tokens, |i| as_name(pi, i));
                if split_province {
                    split_trailing_province(&mut part, &is_province);
                }
                segments.extend(part);
            }
            let mut segments = segments.into_iter();
            if let Some(primary) = segments.next() {
                let q = Query {
                    primary,
                    context: segments.collect(),
                };
                if !out.contains(&q) {
                    out.push(q);
                }
            }
        }
    }
    out
}

/// Cuts one comma-free part into segments; `as_name(i)` keeps the kind word at `i` in a name.
fn segment(tokens: &[String], as_name: impl Fn(usize) -> bool) -> Vec<Segment> {
    let mut segments: Vec<Segment> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if let Some((kind, used)) = kind_at(tokens, i).filter(|_| !as_name(i)) {
            segments.push(Segment {
                kind: Some(kind),
                name: String::new(),
            });
            i += used;
            continue;
        }
        let tok = tokens[i].as_str();
        let next_is_kind = kind_at(tokens, i + 1).is_some();
        if TRAILING_NOISE.contains(&tok) && (i + 1 == tokens.len() || next_is_kind) {
            i += 1;
            continue;
        }
        if segments.is_empty() {
            segments.push(Segment {
                kind: None,
                name: String::new(),
            });
        }
        if let Some(last) = segments.last_mut() {
            if !last.name.is_empty() {
                last.name.push(' ');
            }
            last.name.push_str(tok);
        }
        i += 1;
    }
    segments.retain(|s| !s.name.is_empty());
    segments
}

/// "q1" -> ["q", "1"]; other tokens unchanged.
fn split_glued(folded: &str) -> Vec<String> {
    let mut out = Vec::new();
    for tok in folded.split(' ').filter(|t| !t.is_empty()) {
        let digits = tok.trim_start_matches(|c: char| c.is_ascii_alphabetic());
        let letters = &tok[..tok.len() - digits.len()];
        let glued = !digits.is_empty()
            && digits.chars().all(|c| c.is_ascii_digit())
            && ABBREVIATIONS.iter().any(|(a, _)| *a == letters);
        if glued {
            out.push(letters.to_string());
            out.push(digits.to_string());
        } else {
            out.push(tok.to_string());
        }
    }
    out
}

/// The kind starting at token `i`, and how many tokens it spans.
fn kind_at(tokens: &[String], i: usize) -> Option<(&'static str, usize)> {
    let tok = tokens.get(i)?.as_str();
    let next = tokens.get(i + 1).map(String::as_str);
    if let Some(next) = next {
        let two = format!("{tok} {next}");
        if let Some((_, kind)) = KINDS.iter().find(|(w, _)| *w == two) {
            return Some((kind, 2));
        }
    }
    if let Some((_, kind)) = KINDS.iter().find(|(w, _)| *w == tok) {
        return Some((kind, 1));
    }
    let before_name = next.is_some_and(|n| kind_at(tokens, i + 1).is_none() && !n.is_empty());
    if before_name && let Some((_, kind)) = ABBREVIATIONS.iter().find(|(a, _)| *a == tok) {
        return Some((kind, 1));
    }
    let before_number = next.is_some_and(|n| n.chars().all(|c| c.is_ascii_digit()));
    if before_number && let Some((_, kind)) = ENGLISH_NUMBERED.iter().find(|(w, _)| *w == tok) {
        return Some((kind, 1));
    }
    None
}

/// "bien hoa dong nai" -> "bien hoa" within province "dong nai".
fn split_trailing_province(segments: &mut Vec<Segment>, is_province: &impl Fn(&str) -> bool) {
    let Some(last) = segments.last_mut() else {
        return;
    };
    let words: Vec<&str> = last.name.split(' ').collect();
    for take in (1..words.len()).rev().take(4) {
        let tail = words[take..].join(" ");
        if is_province(&tail) {
            let head = words[..take].join(" ");
            last.name = head;
            segments.push(Segment {
                kind: Some("tinh"),
                name: tail,
            });
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(s: &str) -> Vec<Query> {
        parse(s, |n| n == "dong nai" || n == "ho chi minh")
    }

    fn p(s: &str) -> Query {
        all(s).remove(0)
    }

    fn seg(kind: Option<&'static str>, name: &str) -> Segment {
        Segment {
            kind,
            name: name.into(),
        }
    }

    #[test]
    fn old_ward_with_its_district_reads_as_ward_within_district() {
        let q = p("phường 7 quận 3");
        assert_eq!(q.primary, seg(Some("phuong"), "7"));
        assert_eq!(q.context, vec![seg(Some("quan"), "3")]);
    }

    #[test]
    fn abbreviations_and_english_numbered_kinds_are_understood() {
        assert_eq!(p("q1").primary, seg(Some("quan"), "1"));
        assert_eq!(p("Q.1").primary, seg(Some("quan"), "1"));
        assert_eq!(p("tp Biên Hòa").primary, seg(Some("thanh pho"), "bien hoa"));
        assert_eq!(p("District 1").primary, seg(Some("quan"), "1"));
        assert_eq!(p("Bien Hoa city").primary, seg(None, "bien hoa"));
        assert_eq!(p("quận 1 cũ").primary, seg(Some("quan"), "1"));
    }

    #[test]
    fn a_trailing_province_becomes_context() {
        let q = p("bien hoa dong nai");
        assert_eq!(q.primary, seg(None, "bien hoa"));
        assert_eq!(q.context, vec![seg(Some("tinh"), "dong nai")]);
        let q = p("Biên Hòa, Đồng Nai");
        assert_eq!(q.primary, seg(None, "bien hoa"));
        assert_eq!(q.context, vec![seg(None, "dong nai")]);
        // A province alone stays the thing looked for.
        assert_eq!(p("dong nai").primary, seg(None, "dong nai"));
    }

    #[test]
    fn a_kind_word_inside_a_name_is_also_read_as_part_of_the_name() {
        let readings = all("Xã Đông Quan, Huyện Đông Hưng");
        let wanted = Query {
            primary: seg(Some("xa"), "dong quan"),
            context: vec![seg(Some("huyen"), "dong hung")],
        };
        assert!(readings.contains(&wanted), "{readings:?}");
        assert!(
            all("phuong xa dan")
                .iter()
                .any(|q| q.primary == seg(Some("phuong"), "xa dan"))
        );
        assert_eq!(p("cu chi").primary, seg(None, "cu chi"));
    }

    #[test]
    fn kind_words_alone_leave_nothing_to_look_for() {
        assert!(all("phuong").iter().all(|q| q.primary.kind.is_none()));
        assert!(all("").is_empty());
        assert!(all("🙂🙂").is_empty());
    }
}
