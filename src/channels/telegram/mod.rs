//! Telegram through teloxide: long polling by default, or a webhook on our
//! own axum server when TELEGRAM_WEBHOOK_URL is set. The adapter only
//! translates updates to [`Inbound`](crate::conversation::Inbound) and
//! replies to messages; the engine owns every flow.
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use teloxide::adaptors::Throttle;
use teloxide::adaptors::throttle::Limits;
use teloxide::prelude::*;
use teloxide::types::{AllowedUpdate, BotCommand};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::app::AppState;
use crate::channels::ordering::InOrder;
use crate::config::TelegramConfig;
use crate::domain::channel::Channel;
use crate::i18n::Lang;

mod erase;
mod files;
mod group;
mod polling;
mod send;
pub use send::describe;
mod update;
mod webhook;

pub use webhook::WEBHOOK_PATH;

/// The bot as every part of Tipline uses it: outgoing messages are paced by Throttle,
/// which also waits out a 429's `retry_after` and resends.
pub type TgBot = Throttle<Bot>;

/// The channel name hashed into session keys and stored with tips.
pub const CHANNEL: Channel = Channel::Telegram;

/// The updates Tipline acts on; everything else is never even delivered.
pub(crate) fn allowed_updates() -> Vec<AllowedUpdate> {
    vec![AllowedUpdate::Message, AllowedUpdate::CallbackQuery]
}

#[derive(Clone)]
struct Webhook {
    url: reqwest::Url,
    secret: String,
}

pub struct Telegram {
    app: Arc<AppState>,
    bot: TgBot,
    webhook: Option<Webhook>,
    /// The bot's @username (from getMe), to tell our commands from other bots' in groups.
    username: OnceLock<String>,
    tracker: TaskTracker,
    /// Keeps one chat's webhook updates in order.
    in_order: InOrder<i64>,
    /// False only when TELEGRAM_RATE_GLOBAL=0: replies bypass Throttle (fake or local Bot API).
    paced: bool,
}

/// Telegram's documented limits, unless overridden: 30 messages/s overall and
/// 1/s per chat (teloxide's defaults). Returns `None` when TELEGRAM_RATE_GLOBAL
/// is 0, which turns pacing off: only for a fake or a local Bot API server,
/// since Throttle releases queued messages on a 250 ms tick.
fn send_limits(config: &TelegramConfig) -> Option<Limits> {
    let defaults = Limits::default();
    if config.rate_global == 0 {
        return None;
    }
    let per_chat = config.rate_per_chat.max(1);
    // The per-minute cap keeps Telegram's ratio to the per-second one (20/min for 1/s).
    let per_min_chat = defaults
        .messages_per_min_chat
        .saturating_mul(per_chat / defaults.messages_per_sec_chat.max(1));
    Some(Limits {
        messages_per_sec_overall: config.rate_global,
        messages_per_sec_chat: per_chat,
        messages_per_min_chat: per_min_chat.max(defaults.messages_per_min_chat),
        ..defaults
    })
}

impl Telegram {
    /// `None` when no bot token is configured. The settings were validated
    /// at startup (a webhook URL always comes with a strong secret).
    pub fn from_config(
        app: &Arc<AppState>,
        tracker: TaskTracker,
    ) -> anyhow::Result<Option<Arc<Telegram>>> {
        let config = &app.config.telegram;
        let Some(token) = &config.bot_token else {
            return Ok(None);
        };
        let mut bot = Bot::new(token.expose());
        if let Some(url) = &config.api_url {
            bot = bot.set_api_url(url.clone());
        }
        let webhook = config.webhook.as_ref().map(|w| {
            if !w.url.path().ends_with(WEBHOOK_PATH) {
                tracing::warn!(
                    path = WEBHOOK_PATH,
                    "TELEGRAM_WEBHOOK_URL does not end with the webhook path; make sure your proxy forwards to it"
                );
            }
            Webhook {
                url: w.url.clone(),
                secret: w.secret.expose().to_string(),
            }
        });
        let limits = send_limits(config);
        let paced = limits.is_some();
        let bot = Throttle::new_spawn(bot, limits.unwrap_or_default());
        Ok(Some(Arc::new(Telegram {
            app: app.clone(),
            bot,
            paced,
            webhook,
            username: OnceLock::new(),
            tracker,
            in_order: InOrder::default(),
        })))
    }

    pub fn bot(&self) -> &TgBot {
        &self.bot
    }

    /// The webhook route; it answers 404 unless webhook mode is configured.
    pub fn routes(self: &Arc<Self>) -> axum::Router {
        webhook::routes(self.clone())
    }

    pub fn is_webhook(&self) -> bool {
        self.webhook.is_some()
    }

    /// Registers commands and the webhook (or clears it and starts polling).
    /// Runs in the background and retries, so a Telegram outage at startup
    /// does not keep the dashboard and Zalo down.
    pub fn start(self: &Arc<Self>, cancel: CancellationToken) {
        let tg = self.clone();
        self.tracker.spawn(async move {
            let mut delay = Duration::from_secs(1);
            loop {
                match tg.setup().await {
                    Ok(()) => break,
                    Err(e) => {
                        tracing::error!(error = %e, retry_in = ?delay, "Telegram setup failed")
                    }
                }
                tokio::select! {
                    _ = cancel.cancelled() => return,
                    _ = tokio::time::sleep(delay) => {}
                }
                delay = (delay * 2).min(Duration::from_secs(60));
            }
            if tg.webhook.is_none() {
                polling::run(tg, cancel).await;
            }
        });
    }

    async fn setup(&self) -> anyhow::Result<()> {
        let me = self
            .bot
            .get_me()
            .await
            .map_err(|e| anyhow::anyhow!("getMe: {}", send::describe(&e)))?;
        let username = me.user.username.clone().unwrap_or_default();
        let _ = self.username.set(username.clone());
        for lang in Lang::ALL {
            let cmds = self.commands(lang);
            self.bot
                .set_my_commands(cmds)
                .language_code(lang.code())
                .await
                .map_err(|e| anyhow::anyhow!("setMyCommands: {}", send::describe(&e)))?;
        }
        // Users whose app language is neither vi nor en get the Vietnamese list.
        self.bot
            .set_my_commands(self.commands(Lang::Vi))
            .await
            .map_err(|e| anyhow::anyhow!("setMyCommands: {}", send::describe(&e)))?;
        match &self.webhook {
            Some(w) => {
                self.bot
                    .set_webhook(w.url.clone())
                    .secret_token(w.secret.clone())
                    .allowed_updates(allowed_updates())
                    .await
                    .map_err(|e| anyhow::anyhow!("setWebhook: {}", send::describe(&e)))?;
                tracing::info!(bot = %username, "Telegram connected (webhook)");
            }
            None => {
                // getUpdates refuses to work while a webhook is set.
                self.bot
                    .delete_webhook()
                    .await
                    .map_err(|e| anyhow::anyhow!("deleteWebhook: {}", send::describe(&e)))?;
                tracing::info!(bot = %username, "Telegram connected (long polling)");
            }
        }
        Ok(())
    }

    fn commands(&self, lang: Lang) -> Vec<BotCommand> {
        [
            "start", "report", "status", "menu", "cancel", "lang", "privacy", "help",
        ]
        .iter()
        .map(|c| BotCommand::new(*c, self.app.i18n.tr(lang, &format!("telegram-command-{c}"))))
        .collect()
    }

    fn username(&self) -> Option<&str> {
        self.username
            .get()
            .map(String::as_str)
            .filter(|u| !u.is_empty())
    }
}
