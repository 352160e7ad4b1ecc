//! Scripted conversations on a controlled clock, for the privacy checks
//! (issue 13): a tip then idle, a tip then /status then idle, a follow-up, an
//! abandoned draft, a cancelled draft with a photo, /subscribe then
//! /unsubscribe, and an officer's reply.
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use tipline::app::AppState;
use tipline::bot::{self, Speaker};
use tipline::conversation::{Inbound, Input};
use tipline::domain::channel::Channel;
use tipline::domain::tip::AttachmentRef;
use tipline::i18n::Lang;
use tipline::storage::dashboard::Scope;
use tipline::storage::officers::{NewOfficer, Role};
use tipline::storage::tip_actions::TipAction;
use tipline::storage::tips::NewAttachment;

use super::chat::{receipt_in, render};

pub const TIP_PHRASE: &str = "purple scooter with a cracked mirror";
pub const FOLLOW_UP_PHRASE: &str = "stash under the jackfruit tree";
pub const DRAFT_PHRASE: &str = "abandoned draft about a tattooed cook";
pub const CANCELLED_PHRASE: &str = "cancelled draft about a silver van";
pub const REPLY_PHRASE: &str = "officer asks which night exactly";
pub const GPS: (f64, f64) = (10.957_314, 106.842_687);
/// The chat id that subscribes and unsubscribes again.
pub const UNSUBSCRIBED_CHAT: &str = "7390145826";
pub const CANCELLED_PHOTO: &str = "cancelled-photo-1";

/// What the scripts produced, for the checks.
#[derive(Debug, Default)]
pub struct Outcome {
    pub receipts: Vec<String>,
    pub references: Vec<String>,
}

/// A clock that moves 7.919 s per message and never stops on a whole minute,
/// so any equality the checks find is a real link, not a rounding accident.
pub struct Script {
    pub app: Arc<AppState>,
    clock: AtomicI64,
}

impl Script {
    pub fn new(app: &Arc<AppState>) -> Self {
        let now = bot::now_ms();
        Script {
            app: app.clone(),
            clock: AtomicI64::new(now - now % 60_000 + 12_345),
        }
    }

    pub fn tick(&self) -> i64 {
        let mut t = self.clock.fetch_add(7_919, Ordering::SeqCst) + 7_919;
        if t % 60_000 == 0 {
            t = self.clock.fetch_add(1, Ordering::SeqCst) + 1;
        }
        t
    }

    pub async fn send(&self, channel: Channel, user: &str, input: Input, photos: bool) -> String {
        let inbound = Inbound {
            input,
            now_ms: self.tick(),
            lang_hint: Some(Lang::En),
            accepts_attachments: photos,
        };
        let speaker = Speaker {
            channel,
            user_id: user,
        };
        render(&bot::handle(&self.app, speaker, inbound).await)
    }

    pub async fn say(&self, user: &str, lines: &[&str]) -> String {
        let mut all = String::new();
        for line in lines {
            let input = Input::Text(line.to_string());
            all.push_str(&self.send(Channel::Console, user, input, false).await);
        }
        all
    }

    /// A full report with GPS, ending on the receipt.
    pub async fn tip(&self, user: &str, outcome: &mut Outcome) -> String {
        self.say(user, &["/report", "1"]).await;
        let (lat, lon) = GPS;
        let located = Input::Location { lat, lon };
        self.send(Channel::Console, user, located, false).await;
        let description = format!("A man on a {TIP_PHRASE} sells pills at the school gate.");
        // The ward by name, the first place offered, "when: now", the description, send.
        let out = self
            .say(user, &["bien hoa", "1", "1", &description, "1"])
            .await;
        let receipt = receipt_in(&out).unwrap_or_else(|| panic!("no receipt: {out}"));
        let reference = out
            .split_whitespace()
            .find(|w| w.starts_with("TL-"))
            .expect("reference")
            .to_string();
        outcome.references.push(reference);
        outcome.receipts.push(receipt.clone());
        receipt
    }

    /// Every scripted conversation of issue 13, then an officer's reply.
    pub async fn run_all(&self) -> Outcome {
        let mut outcome = Outcome::default();
        self.tip("idle-tipper", &mut outcome).await;

        let receipt = self.tip("status-idler", &mut outcome).await;
        let out = self
            .say("status-idler", &[&format!("/status {receipt}")])
            .await;
        assert!(out.contains("Status:"), "{out}");

        let receipt = self.tip("follower", &mut outcome).await;
        let follow_up = format!("Also a {FOLLOW_UP_PHRASE} behind the shop.");
        let status = format!("/status {receipt}");
        let lines = [status.as_str(), "Add information", &follow_up, &receipt];
        let out = self.say("follower", &lines).await;
        assert!(out.contains("Your message was added"), "{out}");

        let draft = format!("Someone saw an {DRAFT_PHRASE} near the river.");
        self.say("abandoner", &["/report", "1", "bien hoa", "1", "1", &draft])
            .await;

        self.cancel_a_draft_with_a_photo().await;

        let out = self
            .send(
                Channel::Telegram,
                UNSUBSCRIBED_CHAT,
                Input::Text("/subscribe".into()),
                false,
            )
            .await;
        assert!(!out.is_empty());
        self.send(
            Channel::Telegram,
            UNSUBSCRIBED_CHAT,
            Input::Text("/unsubscribe".into()),
            false,
        )
        .await;

        self.officer_replies(&outcome.references[0]).await;
        outcome
    }

    async fn cancel_a_draft_with_a_photo(&self) {
        let user = "canceller";
        let text = format!("There is a {CANCELLED_PHRASE} at night.");
        for line in ["/report", "1", "bien hoa", "1", "1", text.as_str()] {
            self.send(Channel::Console, user, Input::Text(line.into()), true)
                .await;
        }
        let bytes = b"\xff\xd8\xff\xe0 cancelled photo bytes";
        let sha = "ab".repeat(32);
        let photo = NewAttachment {
            id: CANCELLED_PHOTO,
            sha256: &sha,
            content_type: "image/jpeg",
            bytes,
        };
        self.app
            .store
            .store_attachment(photo, self.tick())
            .await
            .unwrap();
        let photo = AttachmentRef {
            id: CANCELLED_PHOTO.into(),
            sha256: sha.clone(),
            content_type: "image/jpeg".into(),
            size: bytes.len() as u64,
        };
        self.send(Channel::Console, user, Input::Attachment(photo), true)
            .await;
        let out = self
            .send(Channel::Console, user, Input::Text("/cancel".into()), true)
            .await;
        assert!(out.contains("Cancelled"), "{out}");
    }

    async fn officer_replies(&self, reference: &str) {
        let store = &self.app.store;
        let hash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA";
        let officer = NewOfficer {
            unit: "CA-26068",
            username: "lan",
            role: Role::Admin,
            password_hash: hash,
        };
        store.create_officer(officer, self.tick()).await.unwrap();
        let lan = store.officer_by_username("lan").await.unwrap().unwrap();
        let tip = store
            .queue("CA-26068", 50)
            .await
            .unwrap()
            .into_iter()
            .find(|t| t.reference == reference)
            .expect("the first tip is in CA-26068's queue");
        let reply = TipAction::Reply(format!("Thank you; {REPLY_PHRASE}?"));
        store
            .apply_tip_action(&Scope::All, &lan, tip.id, &reply, self.tick())
            .await
            .unwrap();
    }
}
