//! What one conversation step asks the runtime to do, and the tip data that
//! crosses between the engine and storage. The engine returns these; storage
//! applies them in the transaction that saves the session.
use super::area::{ProvinceCode, WardCode};
use super::channel::Channel;
use super::routing::RoutingDecision;
use super::tip::{AttachmentRef, Category, GeoPoint, Priority, Resolution, Status, WhenSeen};
use crate::i18n::Lang;

/// Durable work the runtime must do in the same transaction that saves the
/// session; replies are only delivered after that commit succeeds.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    SubmitTip(Box<NewTip>),
    /// A read the engine needs; the runtime answers with `conversation::Input::LookupResult`.
    LookupReceipt {
        receipt_hash: String,
    },
    /// A teacher asked for a class code. Like a lookup, the runtime answers it
    /// before the commit (it picks a code no other class has) and steps again
    /// with `conversation::Input::ClassCreated`. Only the token's hash is stored.
    CreateClass {
        label: String,
        token: String,
        valid_until_ms: i64,
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
    /// Delete this conversation's remembered messages from the user's chat,
    /// the bot's and the user's, then forget their ids. Done by the channel
    /// after the step is saved (only where `Channel::can_delete_messages`).
    EraseConversation,
    /// Forget the remembered message ids without deleting anything.
    ForgetConversation,
    /// The reporter asks to be told in this chat when officers reply to the
    /// tip this receipt opens. The runtime stores the speaker's address,
    /// sealed, linked to that tip; never the reply text.
    ReplyNoticeOptIn {
        receipt_hash: String,
        lang: Lang,
    },
    /// /forget: delete this chat's reply-notice links and its subscription.
    Forget,
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
    pub channel: Channel,
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
