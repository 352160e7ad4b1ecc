//! Group chats: the tip flow never runs there (a group is not anonymous).
//! A report command gets a pointer to the private chat; nothing is stored and
//! the engine is never called. Unit notification groups only receive notices.
use fluent_bundle::FluentValue;
use teloxide::prelude::*;

use super::{Telegram, send};
use crate::i18n::Lang;

/// Commands that would start or continue a conversation with the bot.
const PRIVATE_ONLY: &[&str] = &["report", "tip", "start", "status", "menu"];

pub(super) async fn on_message(tg: &Telegram, m: &Message) {
    let Some(text) = m.text() else { return };
    let Some((command, addressee)) = command_of(text) else {
        return;
    };
    if let (Some(to), Some(me)) = (addressee, tg.username())
        && !to.eq_ignore_ascii_case(me)
    {
        return; // another bot's command
    }
    if !PRIVATE_ONLY.contains(&command.as_str()) {
        return;
    }
    let lang = m
        .from
        .as_ref()
        .and_then(|u| u.language_code.as_deref())
        .and_then(Lang::parse)
        .unwrap_or_default();
    let bot = tg.username().map(|u| format!("@{u}")).unwrap_or_default();
    let text = tg.app.i18n.tr_args(
        lang,
        "telegram-group-private-only",
        &[("bot", FluentValue::from(bot))],
    );
    if let Err(e) = tg.bot.send_message(m.chat.id, text).await {
        tracing::debug!(error = %send::describe(&e), "group reply failed");
    }
}

/// "/report@TiplineBot now" -> ("report", Some("TiplineBot"))
fn command_of(text: &str) -> Option<(String, Option<&str>)> {
    let head = text
        .trim_start()
        .strip_prefix('/')?
        .split_whitespace()
        .next()?;
    let (name, to) = match head.split_once('@') {
        Some((n, t)) => (n, Some(t)),
        None => (head, None),
    };
    Some((name.to_ascii_lowercase(), to))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_commands_are_parsed_with_their_addressee() {
        assert_eq!(
            command_of("/report@TiplineBot x"),
            Some(("report".into(), Some("TiplineBot")))
        );
        assert_eq!(command_of("/TIP"), Some(("tip".into(), None)));
        assert_eq!(command_of("hello /report"), None);
    }
}
