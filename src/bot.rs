//! The runtime between channels and the engine: load the session, run the
//! engine, answer its lookups, commit state and effects atomically, and only
//! then hand back the replies. Every channel calls [`handle`].
use std::sync::Arc;

use crate::app::AppState;
use crate::conversation::{self, Ctx, Effect, Inbound, Input, Outcome, Reply, Session};
use crate::domain::channel::Channel;
use crate::i18n::Lang;
use crate::storage::StorageError;
use crate::storage::step_commit::{StepSaved, StepWrite};

/// How often a compare-and-swap conflict (two messages of one user racing) is retried.
const MAX_ATTEMPTS: u32 = 32;

/// Who is talking, as the channel knows them. The user id is hashed at once
/// and never logged; it is stored only when the user asks for campaign
/// messages with /subscribe (see `storage::subscriptions`), and /unsubscribe deletes it.
#[derive(Clone, Copy)]
pub struct Speaker<'a> {
    pub channel: Channel,
    pub user_id: &'a str,
}

/// One handled message: the replies, and what else the channel must do.
#[derive(Debug, Default)]
pub struct Handled {
    pub replies: Vec<Reply>,
    /// The speaker's language, for text the channel adds itself.
    pub lang: Lang,
    /// The conversation is kept for erasing: the channel remembers the
    /// platform ids of this inbound message and of the replies it sends
    /// ([`remember_erasable`]). Only on channels that can delete messages.
    pub keep_ids: bool,
    /// Delete the remembered messages from the chat now ([`take_erasable`]).
    pub erase: bool,
}

/// Handles one inbound message that has no platform id to deduplicate on.
pub async fn handle(app: &Arc<AppState>, speaker: Speaker<'_>, inbound: Inbound) -> Vec<Reply> {
    handle_delivery(app, speaker, inbound, None).await
}

/// Handles one inbound message. `delivery` is the platform's id for it
/// (a Telegram update id, a Zalo msg_id): it is claimed in the step's own
/// transaction, so a redelivered message is answered with nothing.
pub async fn handle_delivery(
    app: &Arc<AppState>,
    speaker: Speaker<'_>,
    inbound: Inbound,
    delivery: Option<&str>,
) -> Vec<Reply> {
    handle_delivery_full(app, speaker, inbound, delivery)
        .await
        .replies
}

/// [`handle_delivery`], with what the channel must do besides replying.
pub async fn handle_delivery_full(
    app: &Arc<AppState>,
    speaker: Speaker<'_>,
    inbound: Inbound,
    delivery: Option<&str>,
) -> Handled {
    let lang = inbound.lang_hint.unwrap_or_default();
    try_handle_full(app, speaker, inbound, delivery)
        .await
        .unwrap_or_else(|not_saved| Handled {
            replies: not_saved.replies,
            lang,
            ..Handled::default()
        })
}

/// Remembers platform message ids of a conversation kept for erasing.
/// A failure only means those messages will not be erased: logged, not fatal.
pub async fn remember_erasable(app: &AppState, speaker: Speaker<'_>, ids: &[i64]) {
    let key = app
        .secret
        .session_key(speaker.channel.as_str(), speaker.user_id);
    if let Err(e) = app.store.remember_erasable(&key, ids, now_ms()).await {
        tracing::warn!(error = %e, "could not remember messages for erasing");
    }
}

/// Takes the ids of the conversation's messages that may still be deleted.
pub async fn take_erasable(app: &AppState, speaker: Speaker<'_>) -> Vec<i64> {
    let key = app
        .secret
        .session_key(speaker.channel.as_str(), speaker.user_id);
    app.store
        .take_erasable(&key, now_ms())
        .await
        .unwrap_or_else(|e| {
            tracing::warn!(error = %e, "could not read the messages to erase");
            Vec::new()
        })
}

/// The message could not be saved (storage failed): nothing was written and
/// its platform id was not claimed, so a redelivery will be handled.
/// `replies` ask the user, in their language, to try again.
#[derive(Debug)]
pub struct NotSaved {
    pub replies: Vec<Reply>,
}

/// Like [`handle_delivery`], but says when nothing could be saved, for a
/// channel that can ask the platform to deliver the message again (Zalo).
#[tracing::instrument(skip_all, fields(channel = speaker.channel.as_str()))]
pub async fn try_handle_delivery(
    app: &Arc<AppState>,
    speaker: Speaker<'_>,
    inbound: Inbound,
    delivery: Option<&str>,
) -> Result<Vec<Reply>, NotSaved> {
    try_handle_full(app, speaker, inbound, delivery)
        .await
        .map(|h| h.replies)
}

async fn try_handle_full(
    app: &Arc<AppState>,
    speaker: Speaker<'_>,
    inbound: Inbound,
    delivery: Option<&str>,
) -> Result<Handled, NotSaved> {
    let key = app
        .secret
        .session_key(speaker.channel.as_str(), speaker.user_id);
    let mut lang = inbound.lang_hint.unwrap_or_default();
    let delivery = delivery.map(|id| format!("{}:{id}", speaker.channel));
    for attempt in 0..MAX_ATTEMPTS {
        let result = attempt_once(app, speaker, &key, inbound.clone(), &mut lang, &delivery).await;
        match result {
            Ok(replies) => return Ok(replies),
            Err(StorageError::Conflict) => {
                // Jittered backoff so racing messages of one user interleave instead of colliding again.
                tracing::debug!(attempt, "session changed concurrently; retrying");
                let cap_ms = 2u64.pow(attempt.min(6));
                let wait = rand::Rng::random_range(&mut rand::rng(), 0..=cap_ms);
                tokio::time::sleep(std::time::Duration::from_millis(wait)).await;
            }
            Err(e) => {
                tracing::error!(error = %e, "storage failed; nothing was saved");
                return Err(NotSaved {
                    replies: vec![Reply::text(app.i18n.tr(lang, "error-try-again"))],
                });
            }
        }
    }
    tracing::error!("session kept conflicting; giving up on this message");
    Ok(Handled {
        replies: vec![Reply::text(app.i18n.tr(lang, "error-try-again"))],
        lang,
        ..Handled::default()
    })
}

async fn attempt_once(
    app: &Arc<AppState>,
    speaker: Speaker<'_>,
    key: &crate::privacy::keyed::SessionKey,
    inbound: Inbound,
    lang: &mut Lang,
    delivery: &Option<String>,
) -> Result<Handled, StorageError> {
    let stored = app.store.load_session(key).await?;
    let (mut session, version) = match stored {
        Some(s) => match serde_json::from_str::<Session>(&s.state) {
            Ok(session) => (session, s.version),
            Err(e) => {
                // An unreadable state must not lock the user out: start over, keep the row version.
                tracing::warn!(error = %e, "unreadable session state; starting a fresh session");
                (
                    Session::new(inbound.lang_hint.unwrap_or_default()),
                    s.version,
                )
            }
        },
        None => (Session::new(inbound.lang_hint.unwrap_or_default()), 0),
    };
    *lang = session.lang;
    let now = inbound.now_ms;
    let accepts = inbound.accepts_attachments;
    let mut out = run_engine(app, speaker, &mut session, inbound);
    // Requests the engine made of the runtime (a receipt lookup, a class code):
    // answer them and let it continue.
    while let Some(input) = answer_request(app, &mut out.effects).await? {
        let follow = Inbound {
            input,
            now_ms: now,
            lang_hint: None,
            accepts_attachments: accepts,
        };
        let more = run_engine(app, speaker, &mut session, follow);
        out.replies.extend(more.replies);
        out.effects.extend(more.effects);
    }
    *lang = session.lang;
    let erase = out.effects.contains(&Effect::EraseConversation);
    let keep_ids = session.erasable_since_day.is_some();
    let state =
        serde_json::to_string(&session).map_err(|e| StorageError::Corrupt(e.to_string()))?;
    let write = StepWrite {
        key: key.clone(),
        channel: speaker.channel,
        user_id: speaker.user_id.to_string(),
        expected_version: version,
        state,
        effects: out.effects,
        now_ms: now,
        delivery: delivery.clone(),
    };
    match app.store.apply_step(write).await? {
        StepSaved::Saved => Ok(Handled {
            replies: out.replies,
            lang: *lang,
            keep_ids,
            erase,
        }),
        StepSaved::Duplicate => {
            tracing::debug!("a redelivered message; already answered");
            Ok(Handled {
                lang: *lang,
                ..Handled::default()
            })
        }
    }
}

/// Takes the first request out of `effects` and answers it as the engine's next input.
/// A class code is written here, before the step commits: if the step then
/// fails, an unused code is left behind, which names nobody and expires.
async fn answer_request(
    app: &AppState,
    effects: &mut Vec<Effect>,
) -> Result<Option<Input>, StorageError> {
    let Some(pos) = effects
        .iter()
        .position(|e| matches!(e, Effect::LookupReceipt { .. } | Effect::CreateClass { .. }))
    else {
        return Ok(None);
    };
    let input = match effects.remove(pos) {
        Effect::LookupReceipt { receipt_hash } => {
            Input::LookupResult(app.store.tip_by_receipt(&receipt_hash).await?)
        }
        Effect::CreateClass {
            label,
            token,
            valid_until_ms,
        } => {
            let hash = crate::domain::quiz::class_token_hash(&token);
            let code = app
                .store
                .create_class(&label, &hash, valid_until_ms)
                .await?;
            let link = format!(
                "{}/lop/{token}",
                app.config.public_url.trim_end_matches('/')
            );
            Input::ClassCreated {
                code,
                link,
                valid_until_ms,
            }
        }
        _ => unreachable!("matched above"),
    };
    Ok(Some(input))
}

fn run_engine(
    app: &AppState,
    speaker: Speaker<'_>,
    session: &mut Session,
    inbound: Inbound,
) -> Outcome {
    let mut rng = rand::rng();
    let content = app.content.snapshot();
    let mut ctx = Ctx {
        i18n: &app.i18n,
        areas: &app.areas,
        router: &app.router,
        content: &content,
        rng: &mut rng,
        channel: speaker.channel,
    };
    conversation::step(session, inbound, &mut ctx)
}

pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}
