//! Drives one Telegram private chat against the fake Bot API, the way a
//! person would: type, tap buttons, send a photo. Each step waits for the
//! bot's reply that contains an expected piece of text.
use serde_json::{Value, json};

use super::fake_telegram::{FakeTelegram, Sent, chat_json, user_json};

pub enum Transport {
    Polling,
    Webhook { url: String, secret: String },
}

pub struct Chat {
    pub fake: FakeTelegram,
    pub chat_id: i64,
    pub lang: &'static str,
    pub transport: Transport,
    pub http: reqwest::Client,
}

impl Chat {
    pub fn new(
        fake: &FakeTelegram,
        chat_id: i64,
        lang: &'static str,
        transport: Transport,
    ) -> Chat {
        Chat {
            fake: fake.clone(),
            chat_id,
            lang,
            transport,
            http: reqwest::Client::new(),
        }
    }

    /// In a private chat the chat id is the user's id; in a group someone else speaks.
    pub fn user_id(&self) -> i64 {
        if self.chat_id > 0 { self.chat_id } else { 5 }
    }

    pub async fn deliver(&self, update: Value) {
        match &self.transport {
            Transport::Polling => {
                self.fake.queue_update(update);
            }
            Transport::Webhook { url, secret } => {
                let update = self.fake.number_update(update);
                let r = self
                    .http
                    .post(url)
                    .header("X-Telegram-Bot-Api-Secret-Token", secret)
                    .json(&update)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), 200, "webhook refused an update");
                // Like Telegram, run a method the bot put in the webhook response.
                let body = r.bytes().await.unwrap();
                if !body.is_empty() {
                    let call: Value =
                        serde_json::from_slice(&body).expect("webhook answer is JSON");
                    self.fake.run_webhook_answer(&call);
                }
            }
        }
    }

    fn message(&self, body: Value) -> Value {
        let id = self.fake.user_message_id(self.chat_id);
        let mut m = json!({ "message_id": id, "date": 1_700_000_000,
            "chat": chat_json(self.chat_id), "from": user_json(self.user_id(), self.lang) });
        for (k, v) in body.as_object().unwrap() {
            m[k] = v.clone();
        }
        json!({ "message": m })
    }

    pub async fn say(&self, text: &str, expect: &str) -> Sent {
        let before = self.fake.sent_to(self.chat_id).len();
        self.deliver(self.message(json!({ "text": text }))).await;
        self.reply_after(before, expect).await
    }

    pub async fn location(&self, lat: f64, lon: f64, expect: &str) -> Sent {
        let before = self.fake.sent_to(self.chat_id).len();
        self.deliver(self.message(json!({ "location": { "latitude": lat, "longitude": lon } })))
            .await;
        self.reply_after(before, expect).await
    }

    /// Sends a photo in three sizes: a thumbnail, the real one, and one over the size limit.
    pub async fn photo(&self, file_id: &str, bytes: Vec<u8>, expect: &str) -> Sent {
        let len = bytes.len();
        self.fake.add_file(file_id, bytes);
        let sizes = json!([
            { "file_id": "thumb-not-stored", "file_unique_id": "t", "width": 4, "height": 4, "file_size": 100 },
            { "file_id": file_id, "file_unique_id": "p", "width": 16, "height": 16, "file_size": len },
            { "file_id": "too-big", "file_unique_id": "b", "width": 9000, "height": 9000, "file_size": 40_000_000 },
        ]);
        let before = self.fake.sent_to(self.chat_id).len();
        self.deliver(self.message(json!({ "photo": sizes }))).await;
        self.reply_after(before, expect).await
    }

    /// Sends a file as a Telegram document (not compressed by the client).
    pub async fn document(&self, file_id: &str, bytes: Vec<u8>, mime: &str) {
        let len = bytes.len();
        self.fake.add_file(file_id, bytes);
        let doc = json!({ "file_id": file_id, "file_unique_id": format!("u{file_id}"),
            "file_name": "photo.png", "mime_type": mime, "file_size": len });
        self.deliver(self.message(json!({ "document": doc }))).await;
    }

    /// Taps the button whose callback data starts with `data_prefix` on the latest message offering it.
    pub async fn tap(&self, data_prefix: &str, expect: &str) -> Sent {
        let sent = self.fake.sent_to(self.chat_id);
        let (message_id, data) = sent
            .iter()
            .rev()
            .find_map(|m| m.data_for(data_prefix).map(|d| (m.message_id, d)))
            .unwrap_or_else(|| panic!("no button {data_prefix:?} in chat {}", self.chat_id));
        let before = sent.len();
        let query = json!({ "callback_query": { "id": format!("cb{}", rand::random::<u32>()), "from": user_json(self.user_id(), self.lang),
            "message": self.fake.message_json(message_id), "chat_instance": "1", "data": data } });
        self.deliver(query).await;
        self.reply_after(before, expect).await
    }

    pub async fn reply_after(&self, before: usize, expect: &str) -> Sent {
        let chat = self.chat_id;
        self.fake
            .wait_until(
                &format!("a reply in chat {chat} containing {expect:?}"),
                |f| {
                    f.sent_to(chat)
                        .get(before..)
                        .and_then(|new| new.iter().rev().find(|m| m.text.contains(expect)).cloned())
                },
            )
            .await
    }
}
