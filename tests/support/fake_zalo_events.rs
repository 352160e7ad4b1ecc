//! The webhook side of the fake Zalo platform: what Zalo sends to an OA's
//! webhook URL.
//!
//! - Saving a URL first posts an unsigned `{}` and keeps the URL only on 200.
//! - Every event is signed `mac = sha256(app_id + body + timestamp + OA secret)`
//!   (computed here, independently of Tipline's code) with the body's own
//!   timestamp from the fake clock.
//! - A delivery not answered 200 within 2 s is retried with the same body
//!   after 30 s, then 5, 15, 30 and 60 minutes (each after the previous),
//!   carrying a growing `num_retry` header. Retries happen only when the test
//!   moves the fake clock with [`FakeZalo::advance`].
//! - After each delivered message, `user_received_message` and
//!   `user_seen_message` receipts with its msg_id arrive, as on Zalo.
use std::time::Duration;

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::fake_zalo::{FakeZalo, HOUR_MS};

/// Delays before each retry, after the previous attempt.
const RETRY_DELAYS_MS: [i64; 5] = [30_000, 300_000, 900_000, 1_800_000, HOUR_MS];

#[derive(Debug, Clone)]
pub struct Webhook {
    pub url: String,
    pub app_id: String,
    pub oa_secret: String,
    pub oa_id: String,
    pub receipts: bool,
}

/// A failed delivery waiting for its retry.
#[derive(Debug, Clone)]
pub struct Pending {
    due_ms: i64,
    raw: String,
    mac: String,
    event_name: String,
    retries_done: usize,
}

/// One POST to the webhook and its answer (0: no answer within 2 s).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub event_name: String,
    pub num_retry: usize,
    pub status: u16,
}

pub fn mac(app_id: &str, raw: &str, timestamp: &str, oa_secret: &str) -> String {
    let mut h = Sha256::new();
    h.update(app_id.as_bytes());
    h.update(raw.as_bytes());
    h.update(timestamp.as_bytes());
    h.update(oa_secret.as_bytes());
    format!("mac={}", hex::encode(h.finalize()))
}

impl FakeZalo {
    /// Saves the webhook URL the way Zalo's console does: an unsigned `{}`
    /// first, and the URL is kept only if that gets 200. Returns its status.
    pub async fn register_webhook(
        &self,
        url: &str,
        app_id: &str,
        oa_secret: &str,
        oa_id: &str,
    ) -> u16 {
        let status = match self
            .http
            .post(url)
            .header("content-type", "application/json")
            .body("{}")
            .send()
            .await
        {
            Ok(r) => r.status().as_u16(),
            Err(_) => 0,
        };
        if status == 200 {
            self.lock().webhook = Some(Webhook {
                url: url.into(),
                app_id: app_id.into(),
                oa_secret: oa_secret.into(),
                oa_id: oa_id.into(),
                receipts: true,
            });
        }
        status
    }

    /// Moves the fake clock; the clock stamps events and measures windows.
    pub fn set_clock(&self, ms: i64) {
        self.lock().clock_ms = ms;
    }

    /// Moves the fake clock on and makes every retry that falls due, in order.
    pub async fn advance(&self, by: Duration) {
        let until = self.lock().clock_ms + by.as_millis() as i64;
        loop {
            let next = {
                let mut g = self.lock();
                g.pending.sort_by_key(|p| p.due_ms);
                match g.pending.first() {
                    Some(p) if p.due_ms <= until => {
                        let p = g.pending.remove(0);
                        g.clock_ms = p.due_ms;
                        Some(p)
                    }
                    _ => None,
                }
            };
            let Some(p) = next else { break };
            self.post(p).await;
        }
        self.lock().clock_ms = until;
    }

    /// Every webhook POST so far, with its answer.
    pub fn webhook_deliveries(&self) -> Vec<Delivery> {
        self.lock().deliveries.clone()
    }

    /// Failed deliveries still to be retried.
    pub fn retries_waiting(&self) -> usize {
        self.lock().pending.len()
    }

    /// Sends an event as Zalo would: `app_id` and `timestamp` filled in, the
    /// OA as recipient of user events, signed. A user event counts as an
    /// interaction for the messaging window. Returns the first answer.
    pub async fn send_event(&self, mut event: Value) -> u16 {
        let (hook, now) = {
            let g = self.lock();
            (
                g.webhook.clone().expect("register_webhook first"),
                g.clock_ms,
            )
        };
        let name = event["event_name"].as_str().unwrap_or("").to_string();
        event["app_id"] = json!(hook.app_id);
        event["timestamp"] = json!(now.to_string());
        if name.starts_with("user_send") {
            event["recipient"] = json!({ "id": hook.oa_id });
        }
        if name == "follow" || name == "unfollow" {
            event["oa_id"] = json!(hook.oa_id);
        }
        let user = event["sender"]["id"]
            .as_str()
            .or(event["follower"]["id"].as_str());
        if let Some(user) = user
            && (name.starts_with("user_send") || name == "follow")
        {
            self.set_interaction(user, now);
        }
        let raw = serde_json::to_string(&event).unwrap();
        let mac = mac(&hook.app_id, &raw, &now.to_string(), &hook.oa_secret);
        self.post(Pending {
            due_ms: now,
            raw,
            mac,
            event_name: name,
            retries_done: 0,
        })
        .await
    }

    pub async fn user_text(&self, user: &str, text: &str) -> u16 {
        let msg_id = format!("user-msg-{}", rand::random::<u64>());
        self.send_event(
            json!({ "event_name": "user_send_text", "sender": { "id": user },
            "message": { "msg_id": msg_id, "text": text } }),
        )
        .await
    }

    pub async fn follow(&self, user: &str) -> u16 {
        self.send_event(
            json!({ "event_name": "follow", "follower": { "id": user }, "source": "oa_profile" }),
        )
        .await
    }

    pub async fn unfollow(&self, user: &str) -> u16 {
        self.send_event(
            json!({ "event_name": "unfollow", "follower": { "id": user }, "source": "oa_profile" }),
        )
        .await
    }

    /// Presses the button titled `title` on the last message `user` got,
    /// as Zalo does for `oa.query.show`: its payload arrives as the user's text.
    pub async fn press(&self, user: &str, title: &str) -> u16 {
        let calls = self.delivered_calls(user);
        let last = calls.last().expect("no message to press a button on");
        let button = last
            .buttons
            .iter()
            .find(|b| b.title == title)
            .unwrap_or_else(|| panic!("no button {title:?} on {:?}", last));
        assert_eq!(button.kind, "oa.query.show");
        let payload = button.payload.as_str().unwrap().to_string();
        self.user_text(user, &payload).await
    }

    pub(super) fn spawn_receipts(&self, user: &str, message_id: &str) {
        let fake = self.clone();
        let user = user.to_string();
        let msg_ids = json!([message_id]);
        tokio::spawn(async move {
            for name in ["user_received_message", "user_seen_message"] {
                let oa = fake.lock().webhook.as_ref().map(|w| w.oa_id.clone());
                fake.send_event(json!({ "event_name": name, "sender": { "id": oa },
                    "recipient": { "id": user }, "message": { "msg_ids": msg_ids } }))
                    .await;
            }
        });
    }

    /// One POST; a non-200 answer schedules the next retry, if any is left.
    async fn post(&self, p: Pending) -> u16 {
        let url = self.lock().webhook.as_ref().map(|w| w.url.clone()).unwrap();
        let status = match self
            .http
            .post(url)
            .header("content-type", "application/json")
            .header("X-ZEvent-Signature", &p.mac)
            .header("num_retry", p.retries_done.to_string())
            .body(p.raw.clone())
            .send()
            .await
        {
            Ok(r) => r.status().as_u16(),
            Err(_) => 0,
        };
        let mut g = self.lock();
        g.deliveries.push(Delivery {
            event_name: p.event_name.clone(),
            num_retry: p.retries_done,
            status,
        });
        if status != 200 && p.retries_done < RETRY_DELAYS_MS.len() {
            g.pending.push(Pending {
                due_ms: p.due_ms + RETRY_DELAYS_MS[p.retries_done],
                retries_done: p.retries_done + 1,
                ..p
            });
        }
        drop(g);
        self.changed.notify_waiters();
        status
    }
}
