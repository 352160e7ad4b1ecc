//! What one conversation step asks the runtime to do. The engine returns
//! these; storage applies them in the transaction that saves the session.
use super::area::ProvinceCode;
use super::tip::NewTip;
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
    AddFollowUp {
        tip_id: i64,
        body: String,
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
