//! The engine's inputs and outputs.
use serde::{Deserialize, Serialize};

use crate::content::Catalog;
use crate::domain::area::Areas;
use crate::domain::channel::Channel;
use crate::domain::routing::Router;
use crate::domain::tip::AttachmentRef;
use crate::i18n::{I18n, Lang};
// Domain types the engine modules name next to their own.
pub use crate::domain::effect::Effect;
pub use crate::domain::effect::{NewTip, TipStatusView};

/// One thing the user did.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// Typed text, including commands such as `/status CODE`.
    Text(String),
    /// A button press, carrying the [`Choice::id`] the engine offered.
    Choice(String),
    Location {
        lat: f64,
        lon: f64,
    },
    /// A photo or file the channel fetched and cleaned.
    Attachment(AttachmentRef),
    /// A file the channel could not accept; `reason` is a Fluent key.
    RejectedAttachment {
        reason: &'static str,
    },
    /// The answer to an [`Effect::LookupReceipt`] the engine asked for.
    LookupResult(Option<TipStatusView>),
    /// The answer to an [`Effect::CreateClass`]: the issued code and the
    /// results link (the runtime knows the server's public address).
    ClassCreated {
        code: String,
        link: String,
        valid_until_ms: i64,
    },
}

#[derive(Debug, Clone)]
pub struct Inbound {
    pub input: Input,
    /// Wall clock in unix milliseconds, supplied by the caller so the engine stays pure.
    pub now_ms: i64,
    /// Language the platform reports for the user; only used for a brand-new session.
    pub lang_hint: Option<Lang>,
    /// Whether this channel can deliver photos/files; if not, the attachment step is skipped.
    pub accepts_attachments: bool,
}

impl Inbound {
    pub fn text(text: impl Into<String>, now_ms: i64) -> Self {
        Inbound {
            input: Input::Text(text.into()),
            now_ms,
            lang_hint: None,
            accepts_attachments: false,
        }
    }
}

/// A button or numbered option.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub id: String,
    pub label: String,
}

impl Choice {
    pub fn new(id: impl Into<String>, label: impl Into<String>) -> Self {
        Choice {
            id: id.into(),
            label: label.into(),
        }
    }
}

/// One message back to the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub text: String,
    pub options: Vec<Choice>,
}

impl Reply {
    pub fn text(text: impl Into<String>) -> Self {
        Reply {
            text: text.into(),
            options: Vec::new(),
        }
    }

    pub fn with_options(text: impl Into<String>, options: Vec<Choice>) -> Self {
        Reply {
            text: text.into(),
            options,
        }
    }
}

/// Read-only context for one step.
pub struct Ctx<'a> {
    pub i18n: &'a I18n,
    pub areas: &'a Areas,
    pub router: &'a Router,
    pub content: &'a Catalog,
    /// CSPRNG for receipts and references.
    pub rng: &'a mut dyn rand::CryptoRng,
    /// The channel stored with a tip.
    pub channel: Channel,
}

/// The result of one step.
#[derive(Debug, Default)]
pub struct Outcome {
    pub replies: Vec<Reply>,
    pub effects: Vec<Effect>,
}
