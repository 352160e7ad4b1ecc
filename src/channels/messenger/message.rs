//! The engine's replies as Send API messages. A question whose options all
//! fit Messenger's quick replies (at most 13, titles of at most 20
//! characters) carries them, with the option's id as payload. Otherwise the
//! full labels go into the text as a numbered list, and the quick replies
//! are just the numbers ("1", "2", ...); with more than 13 options there are
//! none, and the user types the number. The engine accepts a pressed id, a
//! number or a label, so every form works.
use super::graph::{MAX_QUICK_REPLIES, QUICK_REPLY_PAYLOAD_MAX, QUICK_REPLY_TITLE_MAX, QuickReply};
use crate::channels::outgoing::{compose, numbered};
use crate::channels::split::{MESSENGER_MAX_CHARS, split_message, utf16_len};
use crate::conversation::{Choice, Reply};

/// One message to send: its text and the quick replies that ride on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub quick: Vec<QuickReply>,
}

/// The messages for one batch of replies, in order.
pub fn messages(replies: &[Reply]) -> Vec<Message> {
    let mut out = Vec::new();
    for o in compose(replies, MESSENGER_MAX_CHARS) {
        if o.options.is_empty() {
            out.push(Message {
                text: o.text,
                quick: Vec::new(),
            });
        } else if !o.text.trim().is_empty() && labels_fit(&o.options) {
            let quick = o.options.iter().map(|c| quick(c.label.trim(), c)).collect();
            out.push(Message {
                text: o.text,
                quick,
            });
        } else {
            out.extend(numbered_messages(&o.text, &o.options));
        }
    }
    out
}

/// The full labels as numbered lines, split under the limit; the numbers
/// ride on the last part as quick replies when there are few enough.
fn numbered_messages(text: &str, options: &[Choice]) -> Vec<Message> {
    let mut parts: Vec<Message> = split_message(&numbered(text, options), MESSENGER_MAX_CHARS)
        .into_iter()
        .map(|text| Message {
            text,
            quick: Vec::new(),
        })
        .collect();
    if options.len() <= MAX_QUICK_REPLIES
        && ids_fit(options)
        && let Some(last) = parts.last_mut()
    {
        last.quick = options
            .iter()
            .enumerate()
            .map(|(i, c)| quick(&(i + 1).to_string(), c))
            .collect();
    }
    parts
}

fn quick(title: &str, c: &Choice) -> QuickReply {
    QuickReply {
        title: title.to_string(),
        payload: c.id.clone(),
    }
}

/// Option ids are short by design; checked anyway, since Meta refuses a
/// payload over its limit and the whole message with it.
fn ids_fit(options: &[Choice]) -> bool {
    options
        .iter()
        .all(|c| (1..=QUICK_REPLY_PAYLOAD_MAX).contains(&utf16_len(&c.id)))
}

fn labels_fit(options: &[Choice]) -> bool {
    options.len() <= MAX_QUICK_REPLIES
        && ids_fit(options)
        && options
            .iter()
            .all(|c| (1..=QUICK_REPLY_TITLE_MAX).contains(&utf16_len(c.label.trim())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(n: usize, label: &str) -> Vec<Choice> {
        (1..=n)
            .map(|i| Choice::new(format!("o{i}"), format!("{label} {i}")))
            .collect()
    }

    #[test]
    fn short_labels_become_quick_replies_carrying_the_option_id() {
        let m = messages(&[Reply::with_options("Pick", options(3, "Opt"))]);
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].text, "Pick");
        assert_eq!(m[0].quick[1].title, "Opt 2");
        assert_eq!(m[0].quick[1].payload, "o2");
    }

    #[test]
    fn a_long_label_makes_numbered_text_with_number_quick_replies() {
        let mut opts = options(2, "Opt");
        opts.push(Choice::new(
            "long",
            "Một lựa chọn rất dài hơn hai mươi ký tự",
        ));
        let m = messages(&[Reply::with_options("Pick", opts)]);
        assert_eq!(m.len(), 1);
        assert!(
            m[0].text
                .ends_with("3. Một lựa chọn rất dài hơn hai mươi ký tự")
        );
        let titles: Vec<_> = m[0].quick.iter().map(|q| q.title.as_str()).collect();
        assert_eq!(titles, ["1", "2", "3"]);
        assert_eq!(m[0].quick[2].payload, "long");
    }

    #[test]
    fn more_than_thirteen_options_are_numbered_text_to_type() {
        let m = messages(&[Reply::with_options("Pick", options(14, "O"))]);
        assert!(m[0].text.contains("\n14. O 14"));
        assert!(m[0].quick.is_empty());
    }

    #[test]
    fn long_text_is_split_under_2000_and_quick_replies_ride_on_the_last_part() {
        let m = messages(&[Reply::with_options("chữ ".repeat(1200), options(2, "O"))]);
        assert!(m.len() >= 3);
        assert!(m.iter().all(|m| utf16_len(&m.text) <= 2000));
        assert!(m[..m.len() - 1].iter().all(|m| m.quick.is_empty()));
        assert_eq!(m.last().unwrap().quick.len(), 2);
    }
}
