//! The chat platforms Tipline talks on. One enum, so a new platform is a
//! compile error everywhere it must be handled instead of a string that
//! silently falls through to a default.
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A chat platform. Stored in the database and hashed into session keys by
/// [`Channel::as_str`]; those names must never change.
///
/// Adding a platform: add a variant, give it a name in `as_str`, say in
/// `can_broadcast` whether campaign messages can reach it, and add it to `ALL`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    Telegram,
    Zalo,
    /// A Facebook Page's Messenger inbox.
    Messenger,
    /// The local terminal (`tipline chat`): no one can reach it later.
    Console,
    /// The web chat (`/chat`, `widget.js`): a browser tab that holds only a
    /// random token, gone when the tab closes, so no one can reach it later.
    Web,
}

impl Channel {
    pub const ALL: [Channel; 5] = [
        Channel::Telegram,
        Channel::Zalo,
        Channel::Messenger,
        Channel::Console,
        Channel::Web,
    ];

    /// The stored name: "telegram", "zalo", "messenger", "console", "web".
    pub const fn as_str(self) -> &'static str {
        match self {
            Channel::Telegram => "telegram",
            Channel::Zalo => "zalo",
            Channel::Messenger => "messenger",
            Channel::Console => "console",
            Channel::Web => "web",
        }
    }

    /// The platform's own spelling, for officers' screens.
    pub const fn display_name(self) -> &'static str {
        match self {
            Channel::Telegram => "Telegram",
            Channel::Zalo => "Zalo",
            Channel::Messenger => "Messenger",
            Channel::Console => "Console",
            Channel::Web => "Web",
        }
    }

    /// Whether a campaign message can reach a subscriber later. The console
    /// and the web chat cannot, so subscribing there would be a promise we
    /// cannot keep. Messenger can, but only within Meta's 24-hour window (see
    /// `workers::broadcast::messenger`).
    pub const fn can_broadcast(self) -> bool {
        match self {
            Channel::Telegram | Channel::Zalo | Channel::Messenger => true,
            Channel::Console | Channel::Web => false,
        }
    }

    /// Whether the bot can delete the messages of a conversation, its own
    /// and the user's, from the user's chat (Telegram: private chats, within
    /// 48 hours). Elsewhere the bot tells the user how to delete it by hand.
    pub const fn can_delete_messages(self) -> bool {
        match self {
            Channel::Telegram => true,
            Channel::Zalo | Channel::Messenger | Channel::Web | Channel::Console => false,
        }
    }

    /// The channels campaigns are delivered on.
    pub fn broadcast() -> impl Iterator<Item = Channel> {
        Channel::ALL.into_iter().filter(|c| c.can_broadcast())
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown channel {0:?}")]
pub struct UnknownChannel(pub String);

impl FromStr for Channel {
    type Err = UnknownChannel;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Channel::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| UnknownChannel(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_channel_parses_back_from_its_stored_name() {
        for c in Channel::ALL {
            assert_eq!(c.as_str().parse::<Channel>(), Ok(c));
            assert_eq!(c.to_string(), c.as_str());
        }
        assert!("facebook".parse::<Channel>().is_err());
        assert!("Telegram".parse::<Channel>().is_err());
    }

    #[test]
    fn every_chat_platform_but_the_console_receives_broadcasts() {
        let b: Vec<Channel> = Channel::broadcast().collect();
        assert_eq!(
            b,
            vec![Channel::Telegram, Channel::Zalo, Channel::Messenger]
        );
    }

    #[test]
    fn serde_uses_the_stored_name() {
        assert_eq!(serde_json::to_string(&Channel::Zalo).unwrap(), "\"zalo\"");
    }
}
