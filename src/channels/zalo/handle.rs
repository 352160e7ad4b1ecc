//! One verified Zalo event, on its own task: run the step, tell the webhook
//! whether it was saved, note the subscriber's interaction day, reply.
use std::sync::Arc;

use tokio::sync::oneshot;

use super::event::{Event, ZaloInput};
use super::{CHANNEL, Zalo, api};
use crate::bot::{self, Speaker};
use crate::conversation::Inbound;
use crate::storage::windows::day_of;

/// Whether the event's effects are committed (the webhook answers 200) or
/// nothing was saved (503: Zalo delivers it again later).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Saved {
    Yes,
    No,
}

/// One user's events are handled in arrival order.
pub(super) fn ordering_key(event: &Event) -> &str {
    match event {
        Event::Message { sender, .. } => sender,
        Event::Follow { follower, .. } | Event::Unfollow { follower, .. } => follower,
        Event::Other => "",
    }
}

pub(super) async fn event(z: &Arc<Zalo>, event: Event, now: i64, saved: oneshot::Sender<Saved>) {
    match event {
        Event::Message {
            sender,
            msg_id,
            input,
        } => step(z, &sender, input, &msg_id, now, saved).await,
        // A new follower is greeted like /start; the session is created only by the engine.
        Event::Follow {
            follower,
            timestamp,
        } => {
            let key = dedupe_key(z, "follow", &follower, &timestamp);
            step(
                z,
                &follower,
                ZaloInput::Text("/start".into()),
                &key,
                now,
                saved,
            )
            .await
        }
        Event::Unfollow {
            follower,
            timestamp,
        } => {
            let key = format!(
                "{CHANNEL}:{}",
                dedupe_key(z, "unfollow", &follower, &timestamp)
            );
            unfollow(z, &follower, &key, now, saved).await
        }
        Event::Other => {
            let _ = saved.send(Saved::Yes);
        }
    }
}

/// Follow events carry no msg_id. Their event name, follower and signed
/// timestamp are the same on every redelivery; keyed with the server
/// secret, so the stored claim says nothing about who followed.
fn dedupe_key(z: &Zalo, event: &str, follower: &str, timestamp: &str) -> String {
    let subject = format!("{event}:{follower}:{timestamp}");
    z.app.secret.session_key("zalo-event", &subject).0
}

async fn step(
    z: &Arc<Zalo>,
    user: &str,
    input: ZaloInput,
    delivery: &str,
    now: i64,
    saved: oneshot::Sender<Saved>,
) {
    let speaker = Speaker {
        channel: CHANNEL,
        user_id: user,
    };
    let input = api::to_input(z, speaker, input, now).await;
    let inbound = Inbound {
        input,
        now_ms: now,
        lang_hint: None,
        accepts_attachments: true,
    };
    let replies = match bot::try_handle_delivery(&z.app, speaker, inbound, Some(delivery)).await {
        Ok(replies) => {
            let _ = saved.send(Saved::Yes);
            note_interaction(z, user, now).await;
            replies
        }
        Err(not_saved) => {
            if saved.send(Saved::No).is_ok() {
                tracing::warn!("Zalo event not saved; answered 503 so Zalo delivers it again");
                return;
            }
            // Already acknowledged: Zalo will not retry, so ask the user to.
            not_saved.replies
        }
    };
    api::send_replies(z, user, &replies).await;
}

async fn unfollow(z: &Zalo, follower: &str, key: &str, now: i64, saved: oneshot::Sender<Saved>) {
    match z.app.store.zalo_unfollow_once(follower, key, now).await {
        Ok(_) => {
            let _ = saved.send(Saved::Yes);
        }
        Err(e) => {
            tracing::error!(error = %e, "could not remove the subscription of an unfollower");
            if saved.send(Saved::No).is_err() {
                tracing::error!(
                    "the unfollow was acknowledged already; the subscription stays until the next campaign finds the user gone"
                );
            }
        }
    }
}

/// Keeps the subscriber's last interaction day (for Zalo's windows), if
/// they are subscribed. A failure costs only a broadcast skipping them.
async fn note_interaction(z: &Zalo, user: &str, now: i64) {
    if let Err(e) = z
        .app
        .store
        .note_interaction_day(CHANNEL, user, day_of(now))
        .await
    {
        tracing::warn!(error = %e, "could not note the Zalo interaction day");
    }
}
