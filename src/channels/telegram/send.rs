//! Replies as Telegram messages: plain text (no parse mode, so user-typed or
//! Fluent text never needs escaping), options as an inline keyboard with one
//! button per row.
use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};
use teloxide::{ApiError, RequestError};

use super::Telegram;
use crate::channels::outgoing::compose;
use crate::channels::split::TELEGRAM_MAX_CHARS;
use crate::conversation::{Choice, Reply};

/// Telegram's limit for callback_data.
const MAX_CALLBACK_BYTES: usize = 64;

/// Sends the replies in order; returns the ids of the messages sent.
pub(super) async fn replies(tg: &Telegram, chat: ChatId, replies: &[Reply]) -> Vec<i64> {
    let mut ids = Vec::new();
    for out in compose(replies, TELEGRAM_MAX_CHARS) {
        let markup = (!out.options.is_empty()).then(|| keyboard(&out.options));
        let sent = if tg.paced {
            send_one(&tg.bot, chat, out.text, markup).await
        } else {
            send_one(tg.bot.inner(), chat, out.text, markup).await
        };
        let e = match sent {
            Ok(id) => {
                ids.push(id);
                continue;
            }
            Err(e) => e,
        };
        if matches!(
            e,
            RequestError::Api(ApiError::BotBlocked | ApiError::UserDeactivated)
        ) {
            // The chat is gone: so is its campaign subscription, if any.
            if let Err(err) = tg
                .app
                .store
                .remove_subscription(super::CHANNEL, &chat.0.to_string(), crate::bot::now_ms())
                .await
            {
                tracing::error!(error = %err, "could not remove a blocked chat's subscription");
            }
        }
        // The rest would arrive out of context; the user can resend or tap /menu.
        tracing::warn!(error = %describe(&e), "Telegram sendMessage failed; remaining replies dropped");
        break;
    }
    ids
}

async fn send_one<B: Requester<Err = RequestError>>(
    bot: &B,
    chat: ChatId,
    text: String,
    markup: Option<InlineKeyboardMarkup>,
) -> Result<i64, RequestError> {
    let mut req = bot.send_message(chat, text);
    if let Some(markup) = markup {
        req = req.reply_markup(markup);
    }
    req.await.map(|m| i64::from(m.id.0))
}

pub(super) fn keyboard(options: &[Choice]) -> InlineKeyboardMarkup {
    let rows = options
        .iter()
        .filter(|o| {
            let fits = o.id.len() <= MAX_CALLBACK_BYTES;
            if !fits {
                tracing::error!(
                    id_len = o.id.len(),
                    "choice id longer than Telegram's callback_data limit; button left out"
                );
            }
            fits
        })
        .map(|o| {
            vec![InlineKeyboardButton::callback(
                o.label.clone(),
                o.id.clone(),
            )]
        })
        .collect::<Vec<_>>();
    InlineKeyboardMarkup::new(rows)
}

/// An error for the log: never the raw response (it may echo message text)
/// and never the token (teloxide already strips it from URLs).
pub fn describe(e: &RequestError) -> String {
    match e {
        RequestError::Api(api) => format!("Telegram API error: {api}"),
        RequestError::MigrateToChatId(_) => "group migrated to a supergroup".into(),
        RequestError::RetryAfter(s) => format!("rate limited, retry after {}s", s.seconds()),
        RequestError::Network(n) => format!("network error: {n}"),
        RequestError::InvalidJson { .. } => "invalid JSON in Telegram's answer".into(),
        RequestError::Io(io) => format!("I/O error: {io}"),
    }
}
