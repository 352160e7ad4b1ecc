//! One Telegram update: private messages and button presses go to the
//! engine; group chats go to [`super::group`]; everything else is ignored.
//! The user and chat ids live in memory for the duration of the update only.
use teloxide::prelude::*;
use teloxide::types::{
    CallbackQuery, InlineKeyboardButtonKind, MaybeInaccessibleMessage, MediaKind, MessageKind,
    UpdateKind,
};

use super::{CHANNEL, Telegram, erase, files, group, send};
use crate::bot::{self, Speaker};
use crate::channels::attachment;
use crate::conversation::{Inbound, Input};
use crate::i18n::Lang;

/// Whether a button press still needs an answerCallbackQuery call.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Answered {
    /// The webhook response carried the answer.
    InWebhookResponse,
    /// Polling: we must call answerCallbackQuery ourselves.
    No,
}

/// Handles one update to the end: engine step committed, replies sent.
/// The update id is claimed with the step, so a redelivery is handled once.
#[tracing::instrument(name = "telegram_update", skip_all)]
pub(super) async fn process(tg: &Telegram, update: Update, answered: Answered) {
    let delivery = update.id.0.to_string();
    match update.kind {
        UpdateKind::Message(m) => on_message(tg, m, &delivery).await,
        UpdateKind::CallbackQuery(q) => on_callback(tg, q, &delivery, answered).await,
        _ => {}
    }
}

/// The chat an update belongs to, for ordering; None for updates we ignore.
/// A malformed chat id (outside every range Telegram assigns) is None too:
/// teloxide panics on one inside its Throttle worker, which would stop every
/// reply of the bot. Telegram never sends one; found by fuzzing the webhook.
pub(super) fn chat_of(update: &Update) -> Option<i64> {
    let chat = match &update.kind {
        UpdateKind::Message(m) => m.chat.id.0,
        UpdateKind::CallbackQuery(q) => q
            .message
            .as_ref()
            .map_or(q.from.id.0 as i64, |m| m.chat().id.0),
        _ => return None,
    };
    // teloxide's ranges: channels and supergroups from -1_997_852_516_352,
    // users up to 2^40 - 1.
    (-1_997_852_516_352..=(1i64 << 40) - 1)
        .contains(&chat)
        .then_some(chat)
}

async fn on_message(tg: &Telegram, m: Message, delivery: &str) {
    if !m.chat.is_private() {
        return group::on_message(tg, &m).await;
    }
    let Some(from) = m.from.as_ref().filter(|u| !u.is_bot) else {
        return;
    };
    let user_id = from.id.0.to_string();
    let speaker = Speaker {
        channel: CHANNEL,
        user_id: &user_id,
    };
    let now = bot::now_ms();
    let MessageKind::Common(common) = &m.kind else {
        return;
    };
    let input = match &common.media_kind {
        MediaKind::Text(t) => Input::Text(t.text.clone()),
        MediaKind::Location(l) => Input::Location {
            lat: l.location.latitude,
            lon: l.location.longitude,
        },
        MediaKind::Venue(v) => Input::Location {
            lat: v.venue.location.latitude,
            lon: v.venue.location.longitude,
        },
        MediaKind::Photo(p) => files::photo_input(tg, speaker, &p.photo, now).await,
        MediaKind::Document(d) => files::document_input(tg, speaker, &d.document, now).await,
        // Contacts, voice, video, stickers...: refused without being read or kept.
        _ => attachment::unsupported(),
    };
    let lang_hint = from.language_code.as_deref().and_then(Lang::parse);
    let inbound = Inbound {
        input,
        now_ms: now,
        lang_hint,
        accepts_attachments: true,
    };
    let handled = bot::handle_delivery_full(&tg.app, speaker, inbound, Some(delivery)).await;
    let sent = send::replies(tg, m.chat.id, &handled.replies).await;
    erase::after_step(tg, speaker, m.chat.id, Some(m.id), &handled, sent).await;
}

async fn on_callback(tg: &Telegram, q: CallbackQuery, delivery: &str, answered: Answered) {
    // Always answer, or the user's button keeps spinning.
    if answered == Answered::No
        && let Err(e) = tg.bot.answer_callback_query(q.id.clone()).await
    {
        tracing::debug!(error = %send::describe(&e), "answerCallbackQuery failed");
    }
    let (Some(data), Some(message)) = (q.data.as_ref(), q.message.as_ref()) else {
        return;
    };
    let chat = message.chat().id;
    if !message.chat().is_private() || q.from.is_bot {
        return;
    }
    let user_id = q.from.id.0.to_string();
    let speaker = Speaker {
        channel: CHANNEL,
        user_id: &user_id,
    };
    let lang_hint = q.from.language_code.as_deref().and_then(Lang::parse);
    let inbound = Inbound {
        input: Input::Choice(data.clone()),
        now_ms: bot::now_ms(),
        lang_hint,
        accepts_attachments: true,
    };
    // Marking the old question and running the step are independent: do
    // both at once, so the reply does not wait for the edit's round trip.
    let mark = async {
        if let MaybeInaccessibleMessage::Regular(m) = message {
            mark_chosen(tg, m, data).await;
        }
    };
    let step = bot::handle_delivery_full(&tg.app, speaker, inbound, Some(delivery));
    let ((), handled) = tokio::join!(mark, step);
    let sent = send::replies(tg, chat, &handled.replies).await;
    // The message whose button was pressed belongs to the conversation too.
    erase::after_step(tg, speaker, chat, Some(message.id()), &handled, sent).await;
}

/// Replaces the keyboard of the answered question with the choice made, so
/// old buttons cannot be pressed again by mistake and the chat reads well.
async fn mark_chosen(tg: &Telegram, m: &Message, data: &str) {
    let Some(text) = m.text() else { return };
    let label = m
        .reply_markup()
        .into_iter()
        .flat_map(|k| k.inline_keyboard.iter().flatten())
        .find(|b| matches!(&b.kind, InlineKeyboardButtonKind::CallbackData(d) if d == data))
        .map(|b| b.text.clone());
    let Some(label) = label else { return };
    if let Err(e) = tg
        .bot
        .edit_message_text(m.chat.id, m.id, format!("{text}\n\n→ {label}"))
        .await
    {
        tracing::debug!(error = %send::describe(&e), "editMessageText failed");
    }
}
