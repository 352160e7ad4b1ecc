//! Erasing a report conversation from the reporter's Telegram chat (issue
//! 13). While the engine keeps a conversation for erasing, the ids of the
//! messages both ways are remembered (storage::erasable, the day only); when
//! the reporter confirms, each is deleted with deleteMessage, which Telegram
//! allows in private chats for 48 hours, for the bot's messages and the
//! user's. Messages the user already deleted count as gone; ones too old to
//! delete are counted and the reporter is told to delete them by hand.
use fluent_bundle::FluentValue;
use teloxide::prelude::*;
use teloxide::types::MessageId;
use teloxide::{ApiError, RequestError};

use super::{Telegram, send};
use crate::bot::{self, Handled, Speaker};
use crate::conversation::Reply;

/// What the deletes did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Erased {
    /// Deleted now, or already gone (the user deleted them first).
    removed: usize,
    /// Telegram refused: older than 48 hours, or the call failed.
    left: usize,
}

/// After a step's replies went out: remember this exchange's message ids
/// while the conversation is kept, or erase it when the reporter asked.
pub(super) async fn after_step(
    tg: &Telegram,
    speaker: Speaker<'_>,
    chat: ChatId,
    inbound: Option<MessageId>,
    handled: &Handled,
    sent: Vec<i64>,
) {
    let mut ids = sent;
    ids.extend(inbound.map(|m| i64::from(m.0)));
    if handled.erase {
        ids.extend(bot::take_erasable(&tg.app, speaker).await);
        ids.sort_unstable();
        ids.dedup();
        let erased = delete_all(tg, chat, &ids).await;
        let text = result_text(tg, handled, erased);
        // The answer itself says nothing about a report, and is not kept.
        send::replies(tg, chat, &[Reply::text(text)]).await;
    } else if handled.keep_ids {
        bot::remember_erasable(&tg.app, speaker, &ids).await;
    }
}

async fn delete_all(tg: &Telegram, chat: ChatId, ids: &[i64]) -> Erased {
    let mut erased = Erased::default();
    for id in ids {
        let Ok(id) = i32::try_from(*id) else {
            erased.left += 1;
            continue;
        };
        match tg.bot.delete_message(chat, MessageId(id)).await {
            Ok(_) | Err(RequestError::Api(ApiError::MessageToDeleteNotFound)) => {
                erased.removed += 1
            }
            Err(RequestError::Api(ApiError::MessageCantBeDeleted)) => erased.left += 1,
            Err(e) => {
                tracing::warn!(error = %send::describe(&e), "deleteMessage failed");
                erased.left += 1;
            }
        }
    }
    erased
}

fn result_text(tg: &Telegram, handled: &Handled, erased: Erased) -> String {
    let i18n = &tg.app.i18n;
    let l = handled.lang;
    if erased.left == 0 {
        return i18n.tr_args(
            l,
            "erase-done",
            &[("count", FluentValue::from(erased.removed))],
        );
    }
    let partly = i18n.tr_args(
        l,
        "erase-partly",
        &[
            ("count", FluentValue::from(erased.removed)),
            ("left", FluentValue::from(erased.left)),
        ],
    );
    format!("{partly}\n\n{}", i18n.tr(l, "erase-by-hand-telegram"))
}
