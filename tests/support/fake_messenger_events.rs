//! The fake Messenger Platform's webhook side: Meta's verification request,
//! deliveries signed with the app secret (`X-Hub-Signature-256`), users'
//! messages, quick replies, postbacks and photos, and redeliveries of a
//! body exactly as first sent.
use serde_json::{Value, json};

use super::fake_messenger::{FakeMessenger, PAGE_ID, now_ms};

pub const APP_SECRET: &str = "meta-app-secret-for-tests";
pub const VERIFY_TOKEN: &str = "verify-token-for-tests-7f3a9c";

/// A delivery as sent: the body and its signature, to send again.
#[derive(Debug, Clone)]
pub struct Posted {
    pub body: String,
    pub signature: String,
    pub status: u16,
}

impl FakeMessenger {
    /// Meta's check when the callback URL is saved: (status, body).
    pub async fn verify(&self, url: &str, token: &str, challenge: &str) -> (u16, String) {
        let r = self
            .http
            .get(url)
            .query(&[
                ("hub.mode", "subscribe"),
                ("hub.verify_token", token),
                ("hub.challenge", challenge),
            ])
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.text().await.unwrap_or_default())
    }

    /// Posts `body` with `signature` (None: no header) as Meta would.
    pub async fn post_raw(&self, url: &str, body: &str, signature: Option<&str>) -> u16 {
        let mut req = self
            .http
            .post(url)
            .header("content-type", "application/json")
            .body(body.to_string());
        if let Some(s) = signature {
            req = req.header("X-Hub-Signature-256", s);
        }
        req.send().await.unwrap().status().as_u16()
    }

    /// Signs and posts `items` (messaging items) in one delivery.
    pub async fn deliver(&self, url: &str, items: Vec<Value>) -> Posted {
        let body = json!({ "object": "page", "entry": [{ "id": PAGE_ID, "time": now_ms(), "messaging": items }] });
        let body = body.to_string();
        let signature = tipline::channels::messenger::signature(APP_SECRET, body.as_bytes());
        let status = self.post_raw(url, &body, Some(&signature)).await;
        Posted {
            body,
            signature,
            status,
        }
    }

    /// Meta sends the same body again (after a timeout or an error).
    pub async fn redeliver(&self, url: &str, p: &Posted) -> u16 {
        self.post_raw(url, &p.body, Some(&p.signature)).await
    }

    /// A user's message item: it opens the 24-hour window, as on Meta.
    pub fn message_item(&self, psid: &str, message: Value) -> Value {
        let now = now_ms();
        let mut g = self.lock();
        g.known.insert(psid.to_string());
        g.interactions.insert(psid.to_string(), now);
        g.mids += 1;
        let mut message = message;
        if message.get("mid").is_none() {
            message["mid"] = json!(format!("m_user_{}_{}", g.mids, rand::random::<u32>()));
        }
        json!({ "sender": { "id": psid }, "recipient": { "id": PAGE_ID }, "timestamp": now, "message": message })
    }

    pub fn postback_item(&self, psid: &str, title: &str, payload: &str) -> Value {
        let now = now_ms();
        let mut g = self.lock();
        g.known.insert(psid.to_string());
        g.interactions.insert(psid.to_string(), now);
        g.mids += 1;
        json!({ "sender": { "id": psid }, "recipient": { "id": PAGE_ID }, "timestamp": now,
            "postback": { "mid": format!("m_pb_{}", g.mids), "title": title, "payload": payload } })
    }

    pub async fn text(&self, url: &str, psid: &str, text: &str) -> Posted {
        let item = self.message_item(psid, json!({ "text": text }));
        self.deliver(url, vec![item]).await
    }

    /// Tapping a quick reply: its title as text, its payload beside it.
    pub async fn quick_reply(&self, url: &str, psid: &str, title: &str, payload: &str) -> Posted {
        let item = self.message_item(
            psid,
            json!({ "text": title, "quick_reply": { "payload": payload } }),
        );
        self.deliver(url, vec![item]).await
    }

    pub async fn postback(&self, url: &str, psid: &str, title: &str, payload: &str) -> Posted {
        let item = self.postback_item(psid, title, payload);
        self.deliver(url, vec![item]).await
    }

    pub async fn image(&self, url: &str, psid: &str, image_url: &str) -> Posted {
        let item = self.message_item(
            psid,
            json!({ "attachments": [{ "type": "image", "payload": { "url": image_url } }] }),
        );
        self.deliver(url, vec![item]).await
    }
}
