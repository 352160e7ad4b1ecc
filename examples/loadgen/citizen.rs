//! One simulated citizen: Telegram-shaped updates POSTed to the signed
//! webhook, each followed by a wait for the bot's reply at the fake Bot API.
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::time::Duration;

use serde_json::{Value, json};
use tokio::sync::mpsc;
use tokio::time::Instant;

use crate::fake::Sent;

pub const SECRET: &str = "loadgen_webhook-secret";
const STEP_TIMEOUT: Duration = Duration::from_secs(30);
const DESCRIPTION: &str =
    "Có người bán ma túy đá trước quán karaoke trên đường Nguyễn Ái Quốc vào mỗi buổi tối.";

/// What a step waits for before the citizen goes on.
pub enum Expect {
    /// A message offering a button whose data starts with this.
    Button(&'static str),
    /// A message containing this text.
    Text(&'static str),
    /// Any message.
    Any,
}

/// Shared by all citizens of a phase.
#[derive(Clone)]
pub struct Shared {
    pub http: reqwest::Client,
    pub url: String,
    pub next_update: Arc<AtomicI64>,
    pub stop: Arc<AtomicBool>,
    pub max_updates: u64,
}

pub struct Citizen {
    pub chat: i64,
    pub rx: mpsc::UnboundedReceiver<Sent>,
    pub shared: Shared,
    /// Time between this citizen's updates when the load is paced.
    pub interval: Option<Duration>,
    next_at: Instant,
    pub latencies_us: Vec<u32>,
    /// The last message that offered buttons, to tap one.
    last: Option<Sent>,
}

impl Citizen {
    pub fn new(chat: i64, rx: mpsc::UnboundedReceiver<Sent>, shared: Shared) -> Self {
        Citizen {
            chat,
            rx,
            shared,
            interval: None,
            next_at: Instant::now(),
            latencies_us: Vec::new(),
            last: None,
        }
    }

    /// Paces this citizen at one update per `interval`, starting after `offset`
    /// (offsets spread the citizens evenly, so the offered load is smooth).
    pub fn paced(mut self, interval: Duration, offset: Duration) -> Self {
        self.interval = Some(interval);
        self.next_at = Instant::now() + offset;
        self
    }

    fn user(&self) -> Value {
        json!({ "id": self.chat, "is_bot": false, "first_name": "Citizen", "language_code": "vi" })
    }

    async fn say(&mut self, text: &str, expect: Expect) -> anyhow::Result<bool> {
        let msg = json!({ "message_id": 1, "date": 1_700_000_000, "text": text,
            "chat": { "id": self.chat, "type": "private", "first_name": "Citizen" }, "from": self.user() });
        self.send(json!({ "message": msg }), expect).await
    }

    async fn tap(&mut self, prefix: &str, expect: Expect) -> anyhow::Result<bool> {
        let m = self
            .last
            .as_ref()
            .ok_or_else(|| anyhow::anyhow!("no message to tap"))?;
        let data = m
            .buttons
            .iter()
            .find(|b| b.1.starts_with(prefix))
            .map(|b| b.1.clone())
            .ok_or_else(|| anyhow::anyhow!("no button {prefix} in {:?}", m.text))?;
        let rows: Vec<Value> = m
            .buttons
            .iter()
            .map(|(t, d)| json!([{ "text": t, "callback_data": d }]))
            .collect();
        let message = json!({ "message_id": m.message_id, "date": 1_700_000_000, "text": m.text,
            "chat": { "id": self.chat, "type": "private", "first_name": "Citizen" },
            "from": { "id": 999, "is_bot": true, "first_name": "Tipline" },
            "reply_markup": { "inline_keyboard": rows } });
        let q = json!({ "callback_query": { "id": format!("cb{}", self.chat), "from": self.user(),
            "message": message, "chat_instance": "1", "data": data } });
        self.send(q, expect).await
    }

    /// Posts one update and waits for the expected reply. `Ok(false)` once stopped.
    async fn send(&mut self, mut update: Value, expect: Expect) -> anyhow::Result<bool> {
        if let Some(interval) = self.interval {
            tokio::time::sleep_until(self.next_at).await;
            // A citizen that fell behind starts afresh instead of bursting to catch up.
            self.next_at = (self.next_at + interval).max(Instant::now());
        }
        let shared = &self.shared;
        if shared.stop.load(Ordering::Relaxed) {
            return Ok(false);
        }
        let n = shared.next_update.fetch_add(1, Ordering::Relaxed);
        if n as u64 >= shared.max_updates {
            shared.stop.store(true, Ordering::Relaxed);
            return Ok(false);
        }
        update["update_id"] = json!(n + 1);
        let is_tap = update.get("callback_query").is_some();
        while self.rx.try_recv().is_ok() {} // stale trailing replies of the previous step
        let start = std::time::Instant::now();
        let r = shared
            .http
            .post(&shared.url)
            .header("X-Telegram-Bot-Api-Secret-Token", SECRET)
            .json(&update)
            .send()
            .await?;
        anyhow::ensure!(r.status() == 200, "webhook answered {}", r.status());
        if is_tap {
            // The button press must be answered in the webhook response itself.
            let body: Value = r.json().await?;
            anyhow::ensure!(
                body["method"] == "answerCallbackQuery",
                "button press not answered: {body}"
            );
        }
        let deadline = Instant::now() + STEP_TIMEOUT;
        let mut first = true;
        loop {
            let sent = tokio::time::timeout_at(deadline, self.rx.recv())
                .await
                .map_err(|_| anyhow::anyhow!("no reply within {STEP_TIMEOUT:?}"))?
                .ok_or_else(|| anyhow::anyhow!("fake closed"))?;
            if first {
                first = false;
                let us = sent.at.saturating_duration_since(start).as_micros();
                self.latencies_us.push(us.min(u32::MAX as u128) as u32);
            }
            let done = match expect {
                Expect::Button(p) => sent.buttons.iter().any(|b| b.1.starts_with(p)),
                Expect::Text(t) => sent.text.contains(t),
                Expect::Any => true,
            };
            if !sent.buttons.is_empty() {
                self.last = Some(sent);
            }
            if done {
                return Ok(true);
            }
        }
    }

    /// A tip up to its review: everything but the final "send".
    pub async fn draft_tip(&mut self) -> anyhow::Result<bool> {
        Ok(self.say("/report", Expect::Button("cat:")).await?
            && self.tap("cat:dealing", Expect::Text("2/5")).await?
            && self.say("bien hoa", Expect::Button("ward:26068")).await?
            && self.tap("ward:26068", Expect::Button("when:")).await?
            && self.tap("when:earlier", Expect::Text("4/5")).await?
            && self.say(DESCRIPTION, Expect::Button("att:done")).await?
            && self.tap("att:done", Expect::Button("review:send")).await?)
    }

    /// Sends the reviewed draft and waits for the receipt.
    pub async fn submit_tip(&mut self) -> anyhow::Result<bool> {
        self.tap("review:send", Expect::Text("Đã gửi")).await
    }

    /// Awareness reading: topics, a topic, an article, and its next page when there is one.
    async fn browse(&mut self) -> anyhow::Result<bool> {
        let ok = self.say("/learn", Expect::Button("topic:")).await?
            && self.tap("topic:", Expect::Button("art:")).await?
            && self.tap("art:", Expect::Any).await?;
        let more = self
            .last
            .as_ref()
            .is_some_and(|m| m.buttons.iter().any(|b| b.1 == "learn:more"));
        Ok(ok && (!more || self.tap("learn:more", Expect::Any).await?))
    }

    /// Alternates complete tips and browsing until stopped.
    pub async fn run(mut self, tip_first: bool) -> (Vec<u32>, Option<String>) {
        let mut tip = tip_first;
        let err = loop {
            let r = if tip {
                match self.draft_tip().await {
                    Ok(true) => self.submit_tip().await,
                    other => other,
                }
            } else {
                self.browse().await
            };
            tip = !tip;
            match r {
                Ok(true) => {}
                Ok(false) => break None,
                Err(e) => break Some(format!("chat {}: {e}", self.chat)),
            }
        };
        (self.latencies_us, err)
    }
}
