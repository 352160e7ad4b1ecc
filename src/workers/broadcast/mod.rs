//! Campaign delivery: one pacer per bot (channel) sends a campaign to its
//! subscribers below the platform's limits, across crashes and replicas.
//!
//! - [`pace`] decides when the next message may start (global rate, 1/s per
//!   chat, 429 pauses).
//! - [`pacer`] runs the claim -> send -> finish cycle under a lease, so only
//!   one pacer per bot sends at a time, whichever replica it runs on.
//! - [`telegram`], [`zalo`] and [`messenger`] implement [`Deliver`] for each platform.
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use crate::app::AppState;
use crate::channels::Channels;
use crate::config::Config;
use crate::domain::channel::Channel;
use crate::i18n::Lang;

pub mod messenger;
pub mod pace;
pub mod pacer;
pub mod telegram;
pub mod zalo;

pub use pacer::Pacer;

#[derive(Debug, Clone)]
pub struct PacerConfig {
    /// Messages per second for this bot, all chats together.
    pub rate_per_sec: u32,
    /// Minimum time between two messages to one chat.
    pub per_chat_gap: Duration,
    /// Requests open at once. Needed to reach the rate over a slow link;
    /// also the most rows one crash can leave `unknown`.
    pub in_flight: usize,
    pub lease_ttl: Duration,
    /// How often an idle pacer looks for due campaigns.
    pub idle_poll: Duration,
    /// Deliveries read per query.
    pub batch: i64,
    /// Claims of one delivery before a "not sent" error is final.
    pub max_attempts: i64,
}

impl Default for PacerConfig {
    fn default() -> Self {
        PacerConfig {
            rate_per_sec: 25,
            per_chat_gap: Duration::from_secs(1),
            in_flight: 4,
            lease_ttl: Duration::from_secs(15),
            idle_poll: Duration::from_secs(2),
            batch: 500,
            max_attempts: 5,
        }
    }
}

/// Asks a running pacer to stop after its sends in flight.
#[derive(Clone, Debug)]
pub struct StopHandle(pub(super) Arc<tokio::sync::watch::Sender<bool>>);

impl StopHandle {
    pub fn stop(&self) {
        let _ = self.0.send(true);
    }
}

/// What the platform said about one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeliveryResult {
    Sent,
    /// 429 flood control: not sent; nothing may be sent for this long.
    RetryAfter(Duration),
    /// The recipient blocked the bot, was deleted or left the OA.
    Removed(String),
    /// The platform refuses this message type now (e.g. outside Zalo's
    /// consultation window). Final: retrying would only be refused again.
    Undeliverable(String),
    /// A permanent error for this message.
    Failed(String),
    /// Certainly not delivered (no connection was made): may be retried.
    NotSent(String),
    /// Maybe delivered (timeout, 5xx, unreadable answer): never resent.
    Ambiguous(String),
}

/// Sends one text to one chat. Implementations classify the platform's
/// answer and must never retry on their own: the pacer decides.
pub trait Deliver: Send + Sync + 'static {
    /// The channel whose subscribers this sends to.
    fn channel(&self) -> Channel;
    fn send(&self, address: &str, text: &str) -> impl Future<Output = DeliveryResult> + Send;

    /// For a platform with a messaging window (Zalo, Messenger): the oldest
    /// last-interaction day (see `storage::windows`) a subscriber may have
    /// to be sent to at `now_ms`. Everyone older is recorded
    /// `outside_window` and never sent. None: no window.
    fn oldest_interaction_day(&self, _now_ms: i64) -> Option<i64> {
        None
    }
}

/// The localized unsubscribe line appended to every campaign message.
pub fn footers(app: &AppState) -> [String; 2] {
    [
        app.i18n.tr(Lang::Vi, "campaign-footer"),
        app.i18n.tr(Lang::En, "campaign-footer"),
    ]
}

/// Per-channel pacing settings from the configuration.
pub fn pacer_config(config: &Config, channel: Channel) -> anyhow::Result<PacerConfig> {
    let b = &config.broadcast;
    let rate_per_sec = match channel {
        Channel::Zalo => b.zalo_rate,
        Channel::Telegram => b.telegram_rate,
        Channel::Messenger => b.messenger_rate,
        // No pacer runs for a channel that cannot receive broadcasts.
        Channel::Console | Channel::Web => anyhow::bail!("{channel} does not receive broadcasts"),
    };
    Ok(PacerConfig {
        rate_per_sec,
        in_flight: b.in_flight,
        lease_ttl: Duration::from_secs(b.lease_secs),
        ..PacerConfig::default()
    })
}

/// The pacers `tipline serve` runs: one for each configured channel.
pub struct Running {
    stops: Vec<StopHandle>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Running {
    /// Asks every pacer to stop after its sends in flight, and waits, so a
    /// graceful shutdown leaves no delivery in the ambiguous 'sending' state.
    pub async fn stop(self) {
        for s in &self.stops {
            s.stop();
        }
        for t in self.tasks {
            let _ = t.await;
        }
    }
}

/// Starts a pacer for each configured channel, reusing its adapter: the
/// Telegram bot (token, TELOXIDE_API_URL, HTTP client; not its Throttle,
/// whose queue would pace a second time and only in this process) and the
/// Zalo OA client with its refreshed access token.
pub fn spawn(app: &Arc<AppState>, channels: &Channels) -> anyhow::Result<Running> {
    let mut running = Running {
        stops: Vec::new(),
        tasks: Vec::new(),
    };
    if let Some(tg) = channels.telegram() {
        let d = telegram::TelegramDeliver::new(tg.bot().inner().clone());
        start(app, d, &mut running)?;
    }
    if let Some(z) = channels.zalo() {
        let d = zalo::ZaloDeliver::with_client(
            z.http().clone(),
            z.api_base(),
            zalo::AdapterToken(z.clone()),
        )
        .with_quota_pause(z.back_off_pause())
        .with_window(zalo::window_setting(&app.config));
        start(app, d, &mut running)?;
    }
    if let Some(m) = channels.messenger() {
        let d = messenger::MessengerDeliver::new(
            m.http().clone(),
            m.api_base(),
            m.page_access_token(),
            m.back_off_pause(),
        );
        start(app, d, &mut running)?;
    }
    Ok(running)
}

fn start<D: Deliver>(app: &Arc<AppState>, d: D, running: &mut Running) -> anyhow::Result<()> {
    let config = pacer_config(&app.config, d.channel())?;
    let pacer = Pacer::new(app.store.clone(), Arc::new(d), footers(app), config);
    let stop = pacer.stop_handle();
    running.tasks.push(tokio::spawn(async move {
        if let Err(e) = pacer.run().await {
            tracing::error!(error = %e, "broadcast pacer stopped");
        }
    }));
    running.stops.push(stop);
    Ok(())
}

/// Time left for a campaign at the configured rates: the slowest channel's
/// remaining deliveries over its rate. An estimate, not a promise (429
/// pauses and retries come on top).
pub fn eta(progress: &crate::storage::campaigns::Progress, config: &Config) -> Duration {
    let mut secs = 0f64;
    for (channel, remaining) in &progress.remaining_by_channel {
        let rate = pacer_config(config, *channel)
            .map(|c| c.rate_per_sec)
            .unwrap_or(1)
            .max(1);
        secs = secs.max(*remaining as f64 / f64::from(rate));
    }
    Duration::from_secs_f64(secs)
}
