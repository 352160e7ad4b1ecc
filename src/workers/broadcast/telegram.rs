//! Campaign messages through the Telegram Bot API: the channel adapter's
//! own teloxide `Bot` (same token, TELOXIDE_API_URL and HTTP client). Deliberately not teloxide's Throttle: its
//! queue paces one process only, while our pacer's pace holds across
//! replicas through the lease.
use std::future::Future;

use teloxide::prelude::*;
use teloxide::{ApiError, RequestError};

use super::{Deliver, DeliveryResult};
use crate::domain::channel::Channel;

pub const CHANNEL: Channel = Channel::Telegram;

pub struct TelegramDeliver {
    bot: Bot,
}

impl TelegramDeliver {
    pub fn new(bot: Bot) -> Self {
        TelegramDeliver { bot }
    }
}

impl Deliver for TelegramDeliver {
    fn channel(&self) -> Channel {
        CHANNEL
    }

    fn send(&self, address: &str, text: &str) -> impl Future<Output = DeliveryResult> + Send {
        let chat = address.parse::<i64>().map(ChatId);
        // Plain text, no parse mode: what the preview shows is what arrives.
        let request = chat.map(|c| self.bot.send_message(c, text.to_string()));
        async move {
            match request {
                Ok(req) => classify(req.await.map(|_| ())),
                Err(_) => DeliveryResult::Failed("address is not a Telegram chat id".into()),
            }
        }
    }
}

/// Sorts Telegram's answer into what the pacer should do. Errors are
/// described by kind only: never the chat id or the message text.
pub fn classify(result: Result<(), RequestError>) -> DeliveryResult {
    match result {
        Ok(()) => DeliveryResult::Sent,
        Err(RequestError::RetryAfter(s)) => DeliveryResult::RetryAfter(s.duration()),
        Err(RequestError::Api(e)) => classify_api(&e),
        Err(RequestError::MigrateToChatId(_)) => {
            DeliveryResult::Failed("group migrated to a supergroup".into())
        }
        // No connection was made, so nothing reached Telegram.
        Err(RequestError::Network(e)) if e.is_connect() => {
            DeliveryResult::NotSent("cannot connect to the Bot API".into())
        }
        Err(RequestError::Network(e)) if e.is_timeout() => {
            DeliveryResult::Ambiguous("Bot API timed out".into())
        }
        Err(RequestError::Network(_)) => {
            DeliveryResult::Ambiguous("network error during the request".into())
        }
        // Includes 5xx pages: Telegram may have sent the message anyway.
        Err(RequestError::InvalidJson { .. }) => {
            DeliveryResult::Ambiguous("unreadable answer from the Bot API".into())
        }
        Err(RequestError::Io(_)) => DeliveryResult::Failed("I/O error".into()),
    }
}

fn classify_api(e: &ApiError) -> DeliveryResult {
    match e {
        // The chat is gone for good: 403s and a chat that no longer exists.
        ApiError::BotBlocked
        | ApiError::UserDeactivated
        | ApiError::CantInitiateConversation
        | ApiError::BotKicked
        | ApiError::BotKickedFromSupergroup
        | ApiError::BotKickedFromChannel
        | ApiError::ChatNotFound => DeliveryResult::Removed(format!("Telegram: {e}")),
        ApiError::Unknown(d) if d.starts_with("Forbidden") => {
            DeliveryResult::Removed("Telegram: Forbidden".into())
        }
        other => DeliveryResult::Failed(format!("Telegram API error: {other}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use teloxide::types::Seconds;

    #[test]
    fn telegram_answers_are_sorted_into_what_the_pacer_does() {
        assert_eq!(classify(Ok(())), DeliveryResult::Sent);
        assert_eq!(
            classify(Err(RequestError::RetryAfter(Seconds::from_seconds(3)))),
            DeliveryResult::RetryAfter(std::time::Duration::from_secs(3))
        );
        for gone in [
            ApiError::BotBlocked,
            ApiError::UserDeactivated,
            ApiError::ChatNotFound,
        ] {
            assert!(matches!(
                classify(Err(RequestError::Api(gone))),
                DeliveryResult::Removed(_)
            ));
        }
        let forbidden = ApiError::Unknown("Forbidden: bot can't send messages to bots".into());
        assert!(matches!(
            classify(Err(RequestError::Api(forbidden))),
            DeliveryResult::Removed(_)
        ));
        assert!(matches!(
            classify(Err(RequestError::Api(ApiError::MessageIsTooLong))),
            DeliveryResult::Failed(_)
        ));
    }
}
