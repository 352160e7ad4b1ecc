//! Driving the engine through the real runtime (bot::handle), like a channel would.
use std::sync::Arc;

use tipline::app::AppState;
use tipline::bot::{self, Speaker};
use tipline::conversation::{Inbound, Input, Reply};
use tipline::domain::channel::Channel;
use tipline::i18n::Lang;

pub struct Chatter {
    pub app: Arc<AppState>,
    pub user: String,
    pub lang: Option<Lang>,
    pub channel: Channel,
}

impl Chatter {
    pub fn new(app: &Arc<AppState>, user: &str) -> Self {
        Chatter {
            app: app.clone(),
            user: user.to_string(),
            lang: Some(Lang::En),
            channel: Channel::Console,
        }
    }

    pub async fn input(&self, input: Input) -> Vec<Reply> {
        let inbound = Inbound {
            input,
            now_ms: bot::now_ms(),
            lang_hint: self.lang,
            accepts_attachments: false,
        };
        bot::handle(
            &self.app,
            Speaker {
                channel: self.channel,
                user_id: &self.user,
            },
            inbound,
        )
        .await
    }

    /// Sends one line and returns all reply texts and option labels as one string.
    pub async fn say(&self, text: &str) -> String {
        render(&self.input(Input::Text(text.to_string())).await)
    }

    /// Where this speaker's conversation stands, as stored.
    pub async fn step(&self) -> tipline::conversation::Step {
        let key = self
            .app
            .secret
            .session_key(self.channel.as_str(), &self.user);
        let stored = self.app.store.load_session(&key).await.unwrap();
        let state = stored.map(|s| s.state).unwrap_or_default();
        serde_json::from_str::<tipline::conversation::Session>(&state)
            .map(|s| s.step)
            .unwrap_or_default()
    }

    pub async fn say_all(&self, lines: &[&str]) -> String {
        let mut all = String::new();
        for l in lines {
            all.push_str(&self.say(l).await);
        }
        all
    }
}

pub fn render(replies: &[Reply]) -> String {
    tipline::channels::console::render(replies)
}

/// Extracts the receipt code from a "report sent" reply.
pub fn receipt_in(text: &str) -> Option<String> {
    text.split(|c: char| c.is_whitespace())
        .find(|w| w.len() == 24 && w.matches('-').count() == 4)
        .map(str::to_string)
}

pub const DESCRIPTION: &str = "A man in a grey jacket sells small packets from a red motorbike outside the market gate every evening.";
