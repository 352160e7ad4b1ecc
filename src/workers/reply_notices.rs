//! Reply notices (issue 13): when an officer replies to a tip whose reporter
//! opted in, one short message goes to that chat: "you have a reply: send
//! /status and your code". Never the reply's text, never the reference. The
//! links live in storage::reply_notices (sealed addresses); an officer's
//! reply marks them due in the reply's own transaction, and this worker
//! sends them, under a lease so replicas do not send twice.
use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use super::broadcast::messenger::MessengerDeliver;
use super::broadcast::telegram::TelegramDeliver;
use super::broadcast::zalo::{AdapterToken, ZaloDeliver, window_setting};
use super::broadcast::{Deliver, DeliveryResult};
use crate::app::AppState;
use crate::bot;
use crate::channels::Channels;
use crate::domain::channel::Channel;
use crate::storage::reply_notices::DueNotice;

const POLL_EVERY: Duration = Duration::from_secs(2);
const CLAIM_MS: i64 = 60_000;
const BATCH: i64 = 20;
/// After this many failed attempts in a row the link is given up.
const MAX_ATTEMPTS: i64 = 8;

/// Sends reply notices on the channels that are configured.
pub struct ReplyNotifier {
    app: Arc<AppState>,
    telegram: Option<TelegramDeliver>,
    zalo: Option<ZaloDeliver<AdapterToken>>,
    messenger: Option<MessengerDeliver>,
}

impl ReplyNotifier {
    /// Reuses the adapters' clients, like the campaign pacers.
    pub fn new(app: &Arc<AppState>, channels: &Channels) -> ReplyNotifier {
        let telegram = channels
            .telegram()
            .map(|tg| TelegramDeliver::new(tg.bot().inner().clone()));
        let zalo = channels.zalo().map(|z| {
            ZaloDeliver::with_client(z.http().clone(), z.api_base(), AdapterToken(z.clone()))
                .with_window(window_setting(&app.config))
        });
        let messenger = channels.messenger().map(|m| {
            MessengerDeliver::new(
                m.http().clone(),
                m.api_base(),
                m.page_access_token(),
                m.back_off_pause(),
            )
        });
        ReplyNotifier {
            app: app.clone(),
            telegram,
            zalo,
            messenger,
        }
    }

    pub async fn run(self, cancel: CancellationToken) {
        loop {
            while self.run_once().await > 0 && !cancel.is_cancelled() {}
            tokio::select! {
                _ = cancel.cancelled() => return,
                _ = tokio::time::sleep(POLL_EVERY) => {}
            }
        }
    }

    /// Sends the notices due now; returns how many were handled.
    #[tracing::instrument(name = "reply_notifier", skip_all)]
    pub async fn run_once(&self) -> usize {
        let now = bot::now_ms();
        let due = match self
            .app
            .store
            .claim_reply_notices(now, now + CLAIM_MS, BATCH)
            .await
        {
            Ok(d) => d,
            Err(e) => {
                tracing::warn!(error = %e, "could not read the reply notices");
                return 0;
            }
        };
        for n in &due {
            self.deliver(n).await;
        }
        due.len()
    }

    async fn send(&self, n: &DueNotice, text: &str) -> Option<DeliveryResult> {
        match n.channel {
            Channel::Telegram => Some(self.telegram.as_ref()?.send(&n.address, text).await),
            Channel::Zalo => Some(self.zalo.as_ref()?.send(&n.address, text).await),
            Channel::Messenger => Some(self.messenger.as_ref()?.send(&n.address, text).await),
            Channel::Web | Channel::Console => None,
        }
    }

    async fn deliver(&self, n: &DueNotice) {
        let store = &self.app.store;
        let text = self.app.i18n.tr(n.lang, "notice-reply");
        let Some(result) = self.send(n, &text).await else {
            // The channel is not configured now: try again later.
            let _ = store
                .retry_reply_notice(n.id, bot::now_ms() + CLAIM_MS * 10)
                .await;
            return;
        };
        let outcome = match result {
            // Sent, or maybe sent: never twice. Refused for now (outside
            // Zalo's window): the reporter can still look with /status.
            DeliveryResult::Sent
            | DeliveryResult::Ambiguous(_)
            | DeliveryResult::Undeliverable(_) => store.finish_reply_notice(n).await,
            DeliveryResult::Removed(_) => store.delete_reply_notice(n.id).await,
            DeliveryResult::RetryAfter(_) | DeliveryResult::NotSent(_)
                if n.attempts + 1 < MAX_ATTEMPTS =>
            {
                let backoff = 30_000 * (1i64 << n.attempts.min(10));
                store
                    .retry_reply_notice(n.id, bot::now_ms() + backoff)
                    .await
            }
            DeliveryResult::RetryAfter(_)
            | DeliveryResult::NotSent(_)
            | DeliveryResult::Failed(_) => {
                tracing::warn!(channel = %n.channel, "a reply notice could not be sent; the link is dropped");
                store.delete_reply_notice(n.id).await
            }
        };
        if let Err(e) = outcome {
            tracing::error!(error = %e, "could not record a reply notice's outcome");
        }
    }
}
