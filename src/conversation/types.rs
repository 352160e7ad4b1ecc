//! The engine's inputs and outputs.
use serde::{Deserialize, Serialize};

use crate::content::Catalog;
use crate::domain::area::{Areas, ProvinceCode, WardCode};
use crate::domain::routing::{Router, RoutingDecision};
use crate::domain::tip::{
    AttachmentRef, Category, GeoPoint, Priority, Resolution, Status, WhenSeen,
};
use crate::i18n::{I18n, Lang};

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

/// Durable work the runtime must do in the same transaction that saves the
/// session; replies are only delivered after that commit succeeds.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    SubmitTip(Box<NewTip>),
    /// A read the engine needs; the runtime answers with [`Input::LookupResult`].
    LookupReceipt {
        receipt_hash: String,
    },
    AddFollowUp {
        tip_id: i64,
        body: String,
    },
    /// Photos of a draft that was cancelled or restarted: deleted at once,
    /// in the step's transaction (only while not linked to a tip).
    DiscardAttachments {
        ids: Vec<String>,
    },
    /// Anonymous counters: no link to the user, only day, language and article.
    CountArticleView {
        article: String,
        lang: Lang,
    },
    QuizCompleted {
        lang: Lang,
        class: Option<String>,
        score: u32,
        total: u32,
        answers: Vec<(String, bool)>,
    },
    /// Opt in to campaign messages (national, plus one province if given).
    /// The runtime stores it with the speaker's delivery address.
    Subscribe {
        province: Option<ProvinceCode>,
        lang: Lang,
    },
    /// Opt out: the runtime deletes the subscription row, chat id included.
    Unsubscribe,
    /// The user changed language; an existing subscription follows.
    SubscriptionLang {
        lang: Lang,
    },
}

/// A tip ready to be stored.
#[derive(Debug, Clone, PartialEq)]
pub struct NewTip {
    pub reference: String,
    pub receipt_hash: String,
    pub category: Category,
    pub province: ProvinceCode,
    pub ward: Option<WardCode>,
    pub routing: RoutingDecision,
    pub priority: Priority,
    pub when_seen: WhenSeen,
    pub description: String,
    pub location: Option<GeoPoint>,
    pub attachments: Vec<AttachmentRef>,
    pub lang: Lang,
    pub channel: String,
    pub created_at: i64,
}

/// What a reporter may see of their tip.
#[derive(Debug, Clone, PartialEq)]
pub struct TipStatusView {
    pub tip_id: i64,
    pub reference: String,
    pub status: Status,
    pub resolution: Option<Resolution>,
    pub created_at: i64,
    pub messages: Vec<TipMessageView>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TipMessageView {
    pub from_officer: bool,
    pub body: String,
    pub at: i64,
}

/// Read-only context for one step.
pub struct Ctx<'a> {
    pub i18n: &'a I18n,
    pub areas: &'a Areas,
    pub router: &'a Router,
    pub content: &'a Catalog,
    /// CSPRNG for receipts and references.
    pub rng: &'a mut dyn rand::CryptoRng,
    /// The channel name stored with a tip ("telegram", "zalo", "console").
    pub channel: &'a str,
}

/// The result of one step.
#[derive(Debug, Default)]
pub struct Outcome {
    pub replies: Vec<Reply>,
    pub effects: Vec<Effect>,
}
