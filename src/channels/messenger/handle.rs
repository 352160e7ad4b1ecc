//! One sender's events from a delivery, in order: each is one engine step
//! (its `mid` claimed in the step's transaction), then the subscriber's
//! interaction day is noted and the replies are sent.
use std::sync::Arc;

use super::graph::{Delivery, UserEvent, UserInput};
use super::{CHANNEL, Messenger, send};
use crate::bot::{self, Speaker};
use crate::channels::attachment;
use crate::conversation::{Inbound, Input};
use crate::storage::windows::day_of;

pub(super) async fn events(m: &Arc<Messenger>, events: Vec<UserEvent>, now: i64) {
    for e in events {
        step(m, e, now).await;
    }
}

async fn step(m: &Arc<Messenger>, e: UserEvent, now: i64) {
    let speaker = Speaker {
        channel: CHANNEL,
        user_id: &e.sender,
    };
    let delivery = delivery_key(m, &e.sender, &e.delivery);
    let inbound = Inbound {
        input: to_input(m, speaker, e.input, now).await,
        now_ms: now,
        lang_hint: None,
        accepts_attachments: true,
    };
    let replies = bot::handle_delivery(&m.app, speaker, inbound, Some(&delivery)).await;
    if replies.is_empty() {
        return; // a redelivery: answered the first time
    }
    note_interaction(m, &e.sender, now).await;
    send::replies(m, &e.sender, &replies).await;
}

/// The id claimed for this input. A `mid` is Meta's own; a postback
/// without one is keyed by its sender and signed timestamp, the same on
/// every redelivery, hashed with the server secret so the stored claim
/// says nothing about who pressed.
fn delivery_key(m: &Messenger, sender: &str, d: &Delivery) -> String {
    match d {
        Delivery::Mid(mid) => mid.clone(),
        Delivery::Stamped(ts) => {
            let subject = format!("postback:{sender}:{ts}");
            m.app.secret.session_key("messenger-event", &subject).0
        }
    }
}

/// A postback payload is one we set in the Page's profile (`profile.rs`):
/// a command. Anything else is read as typed text.
fn postback_text(payload: String) -> String {
    if payload.trim().is_empty() {
        "/start".into()
    } else {
        payload
    }
}

async fn to_input(m: &Arc<Messenger>, speaker: Speaker<'_>, input: UserInput, now: i64) -> Input {
    match input {
        UserInput::Text(t) => Input::Text(t),
        UserInput::QuickReply(id) => Input::Choice(id),
        UserInput::Postback(p) => Input::Text(postback_text(p)),
        UserInput::Location { lat, lon } => Input::Location { lat, lon },
        UserInput::Unsupported => attachment::unsupported(),
        UserInput::Image { url } => {
            attachment::from_url(&m.app, &m.http, speaker, &url, None, now).await
        }
    }
}

/// Keeps the subscriber's last interaction day (for Meta's 24-hour
/// window), if they are subscribed. A failure costs only a campaign
/// skipping them.
async fn note_interaction(m: &Messenger, user: &str, now: i64) {
    if let Err(e) = m
        .app
        .store
        .note_interaction_day(CHANNEL, user, day_of(now))
        .await
    {
        tracing::warn!(error = %e, "could not note the Messenger interaction day");
    }
}
