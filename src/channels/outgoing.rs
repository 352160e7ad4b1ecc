//! Turning the engine's replies into platform messages. Consecutive replies
//! are merged into one message (fewer messages means less waiting on
//! Telegram's one-message-per-second-per-chat pacing), options stay on the
//! message whose text asks for them, and no message exceeds the platform limit.
use super::split::split_message;
use crate::conversation::{Choice, Reply};

/// One message to send; `options` ride on it (buttons or numbered lines).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    pub text: String,
    pub options: Vec<Choice>,
}

/// Merges replies and splits long text; options go on the last part of the
/// reply that carried them.
pub fn compose(replies: &[Reply], max_chars: usize) -> Vec<Outgoing> {
    let mut merged: Vec<Outgoing> = Vec::new();
    let mut pending = String::new();
    for r in replies {
        if !pending.is_empty() {
            pending.push_str("\n\n");
        }
        pending.push_str(&r.text);
        if !r.options.is_empty() {
            merged.push(Outgoing {
                text: std::mem::take(&mut pending),
                options: r.options.clone(),
            });
        }
    }
    if !pending.trim().is_empty() {
        merged.push(Outgoing {
            text: pending,
            options: Vec::new(),
        });
    }
    let mut out = Vec::new();
    for m in merged {
        let mut parts = split_message(&m.text, max_chars);
        let last = parts.pop().unwrap_or_default();
        out.extend(parts.into_iter().map(|text| Outgoing {
            text,
            options: Vec::new(),
        }));
        out.push(Outgoing {
            text: last,
            options: m.options,
        });
    }
    out
}

/// Options as numbered lines ("1. label"), for channels without buttons.
/// The engine accepts the number or the label typed back.
pub fn numbered(text: &str, options: &[Choice]) -> String {
    let mut s = text.to_string();
    if !options.is_empty() {
        s.push('\n');
    }
    for (i, o) in options.iter().enumerate() {
        s.push_str(&format!("\n{}. {}", i + 1, o.label));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_replies_merge_into_the_next_question() {
        let replies = vec![
            Reply::text("Thanks."),
            Reply::with_options("Pick one", vec![Choice::new("a", "A")]),
            Reply::text("trailing"),
        ];
        let out = compose(&replies, 4000);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].text, "Thanks.\n\nPick one");
        assert_eq!(out[0].options.len(), 1);
        assert_eq!(out[1].text, "trailing");
    }

    #[test]
    fn long_text_is_split_and_options_stay_on_the_last_part() {
        let replies = vec![Reply::with_options(
            "word ".repeat(1000),
            vec![Choice::new("a", "A")],
        )];
        let out = compose(&replies, 2000);
        assert!(out.len() >= 3);
        assert!(out.iter().all(|o| o.text.chars().count() <= 2000));
        assert!(out[..out.len() - 1].iter().all(|o| o.options.is_empty()));
        assert_eq!(out.last().unwrap().options.len(), 1);
    }

    #[test]
    fn numbered_options_read_as_a_list() {
        let s = numbered("Q?", &[Choice::new("a", "Yes"), Choice::new("b", "No")]);
        assert_eq!(s, "Q?\n\n1. Yes\n2. No");
    }
}
