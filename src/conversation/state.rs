//! Session state: what the bot remembers between messages. Serialised as JSON
//! under a keyed hash of the user's identity; it never holds that identity.
use serde::{Deserialize, Serialize};

use super::types::Choice;
use crate::domain::area::{ProvinceCode, WardCode};
use crate::domain::tip::{AttachmentRef, Category, GeoPoint, WhenSeen};
use crate::i18n::Lang;

/// Wrong receipts allowed per rolling hour before /status refuses to look.
pub const RECEIPT_ATTEMPTS_PER_HOUR: usize = 5;
pub const HOUR_MS: i64 = 3_600_000;
const MINUTE_MS: i64 = 60_000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Session {
    pub lang: Lang,
    pub step: Step,
    /// The report in progress, kept across /menu detours until sent or cancelled.
    pub draft: Option<Draft>,
    /// The options last offered, so "2" or the label's text selects like a button.
    pub options: Vec<Choice>,
    /// When recent wrong receipts were sent, in minutes since the unix epoch,
    /// for throttling. Minutes, not milliseconds: a session keeps no time that
    /// could equal or pin down a tip's or event's stored time. The session
    /// keeps no time of its last step at all (storage keeps its day).
    #[serde(default)]
    pub receipt_failure_minutes: Vec<i64>,
    /// Set while this report or /status conversation is kept for erasing
    /// from the chat: the day (since the unix epoch) it began. The channel
    /// keeps the platform's message ids meanwhile (storage::erasable), only
    /// on channels that can delete messages, and only for 48 hours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub erasable_since_day: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(tag = "at", rename_all = "snake_case")]
pub enum Step {
    /// Brand new: nothing said yet.
    #[default]
    New,
    ChooseLanguage,
    Menu,
    /// A teacher is asked for the class's name ("10A1").
    ClassLabel,
    /// A class code was asked for; the runtime answers within the same step.
    ClassPending,
    Report {
        step: ReportStep,
    },
    StatusAwaitReceipt,
    /// Looking at a tip found by receipt. Nothing naming the tip is kept:
    /// a session left on this screen must not tell which tip its chat has.
    StatusView,
    /// Writing a message for the officers; which tip it is for is not kept.
    StatusAwaitMessage,
    /// The message is written; the receipt, sent again, says which tip it is
    /// for. Only the message text waits here, never the tip.
    StatusMessageAwaitReceipt {
        body: String,
    },
    Topics,
    TopicArticles {
        topic: String,
    },
    Reading {
        article: String,
        page: usize,
    },
    SearchResults,
    QuizIntro {
        class: Option<String>,
    },
    QuizClassCode,
    Quiz(QuizRun),
    QuizDone {
        class: Option<String>,
    },
    HelpProvince,
    /// Free text that reads like a report: offered as a new report's description.
    ReportOffer {
        text: String,
    },
}

/// A quiz in progress: the drawn questions with their shuffled option order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizRun {
    pub items: Vec<QuizItem>,
    pub index: usize,
    pub score: u32,
    pub class: Option<String>,
    pub results: Vec<(String, bool)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizItem {
    pub id: String,
    /// Original option indices in the order shown.
    pub order: Vec<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportStep {
    Category,
    Location,
    LocationPick,
    Province,
    When,
    Description,
    Attachments,
    Review,
    EditPick,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Draft {
    pub category: Option<Category>,
    pub province: Option<ProvinceCode>,
    pub ward: Option<WardCode>,
    pub location: Option<GeoPoint>,
    pub when_seen: Option<WhenSeen>,
    /// The time as the reporter said it ("tối qua khoảng 10 giờ"), when typed.
    #[serde(default)]
    pub when_said: Option<String>,
    pub description: Option<String>,
    pub attachments: Vec<AttachmentRef>,
    /// Set while editing from the review screen, so answering returns to review.
    pub editing: bool,
}

impl Session {
    pub fn new(lang: Lang) -> Self {
        Session {
            lang,
            ..Default::default()
        }
    }

    /// Wrong receipts within the last hour; older ones are forgotten.
    pub fn recent_receipt_failures(&mut self, now_ms: i64) -> usize {
        let now = now_ms.div_euclid(MINUTE_MS);
        self.receipt_failure_minutes
            .retain(|t| now - *t < HOUR_MS / MINUTE_MS);
        self.receipt_failure_minutes.len()
    }

    pub fn record_receipt_failure(&mut self, now_ms: i64) {
        self.receipt_failure_minutes
            .push(now_ms.div_euclid(MINUTE_MS));
    }

    /// Minutes until the oldest remembered wrong receipt leaves the hour.
    pub fn minutes_until_receipts_allowed(&self, now_ms: i64) -> i64 {
        let now = now_ms.div_euclid(MINUTE_MS);
        let oldest = self
            .receipt_failure_minutes
            .iter()
            .min()
            .copied()
            .unwrap_or(now);
        (oldest + HOUR_MS / MINUTE_MS - now).max(1)
    }
}
