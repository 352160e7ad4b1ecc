//! The bodies of `v3.0/oa/message/cs` requests. A question with at most
//! five options whose labels all fit becomes one message with `oa.query.show`
//! buttons: pressing one sends its payload back as an ordinary
//! `user_send_text`, which the engine reads like a typed answer. Anything
//! else is numbered text, as on the console.
use serde_json::{Value, json};

use crate::channels::outgoing::{Outgoing, compose, numbered};
use crate::channels::split::{ZALO_MAX_CHARS, split_message, utf16_len};
use crate::conversation::{Choice, Reply};

/// Zalo shows at most five buttons on a message.
pub const MAX_BUTTONS: usize = 5;
/// Zalo allows 100 characters in a button title; Zalo's way of counting is
/// unknown, so UTF-16 units with a margin.
pub const BUTTON_TITLE_MAX: usize = 80;
/// Zalo allows 1,000 characters in an `oa.query.show` payload.
pub const BUTTON_PAYLOAD_MAX: usize = 900;

/// The request bodies for one batch of replies, in order.
pub fn cs_bodies(user: &str, replies: &[Reply]) -> Vec<Value> {
    let mut bodies = Vec::new();
    for out in compose(replies, ZALO_MAX_CHARS) {
        if fits_buttons(&out.options) {
            bodies.push(with_buttons(user, &out));
            continue;
        }
        // Numbered options can push a message over the limit: split again at line breaks.
        for text in split_message(&numbered(&out.text, &out.options), ZALO_MAX_CHARS) {
            bodies.push(text_body(user, &text));
        }
    }
    bodies
}

pub fn text_body(user: &str, text: &str) -> Value {
    json!({ "recipient": { "user_id": user }, "message": { "text": text } })
}

/// True when the options can be buttons: one to five, each label a short,
/// non-empty title. The label doubles as the payload, so a press reads
/// exactly like typing the label.
fn fits_buttons(options: &[Choice]) -> bool {
    (1..=MAX_BUTTONS).contains(&options.len())
        && options.iter().all(|o| {
            let n = utf16_len(o.label.trim());
            n > 0 && n <= BUTTON_TITLE_MAX && n <= BUTTON_PAYLOAD_MAX
        })
}

fn with_buttons(user: &str, out: &Outgoing) -> Value {
    let buttons: Vec<Value> = out
        .options
        .iter()
        .map(|o| json!({ "title": o.label.trim(), "type": "oa.query.show", "payload": o.label.trim() }))
        .collect();
    json!({
        "recipient": { "user_id": user },
        "message": {
            "text": out.text,
            "attachment": { "type": "template", "payload": { "buttons": buttons } }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(n: usize) -> Vec<Choice> {
        (1..=n)
            .map(|i| Choice::new(format!("o{i}"), format!("Option {i}")))
            .collect()
    }

    #[test]
    fn three_options_become_query_buttons_carrying_their_label() {
        let bodies = cs_bodies("u", &[Reply::with_options("Pick", options(3))]);
        assert_eq!(bodies.len(), 1);
        let m = &bodies[0]["message"];
        assert_eq!(m["text"], "Pick");
        assert_eq!(m["attachment"]["type"], "template");
        let buttons = m["attachment"]["payload"]["buttons"].as_array().unwrap();
        assert_eq!(buttons.len(), 3);
        assert_eq!(buttons[1]["type"], "oa.query.show");
        assert_eq!(buttons[1]["title"], "Option 2");
        assert_eq!(buttons[1]["payload"], "Option 2");
    }

    #[test]
    fn six_options_are_numbered_text() {
        let bodies = cs_bodies("u", &[Reply::with_options("Pick", options(6))]);
        assert_eq!(bodies.len(), 1);
        let text = bodies[0]["message"]["text"].as_str().unwrap();
        assert!(text.ends_with("5. Option 5\n6. Option 6"), "{text}");
        assert!(bodies[0]["message"].get("attachment").is_none());
    }

    #[test]
    fn one_label_too_long_in_utf16_makes_the_whole_question_numbered() {
        let mut opts = options(2);
        // 41 emoji: 41 characters, 82 UTF-16 units, over the title limit.
        opts.push(Choice::new("long", "🚨".repeat(41)));
        let bodies = cs_bodies("u", &[Reply::with_options("Pick", opts)]);
        assert!(bodies[0]["message"].get("attachment").is_none());
        assert!(
            bodies[0]["message"]["text"]
                .as_str()
                .unwrap()
                .contains("3. 🚨")
        );
    }

    #[test]
    fn long_text_is_split_under_the_limit_and_buttons_ride_on_the_last_part() {
        let long = "chữ ".repeat(1200);
        let bodies = cs_bodies("u", &[Reply::with_options(long, options(2))]);
        assert!(bodies.len() >= 3);
        for b in &bodies {
            assert!(utf16_len(b["message"]["text"].as_str().unwrap()) <= ZALO_MAX_CHARS);
        }
        assert!(
            bodies[..bodies.len() - 1]
                .iter()
                .all(|b| b["message"].get("attachment").is_none())
        );
        assert!(bodies.last().unwrap()["message"]["attachment"].is_object());
    }
}
