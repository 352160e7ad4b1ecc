//! Helpers for broadcast tests: many subscribers, a campaign, pacers to
//! start, kill and stop.
#![allow(dead_code)]
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tipline::app::AppState;
use tipline::domain::campaign::{CampaignDraft, Schedule, Target};
use tipline::domain::channel::Channel;
use tipline::i18n::Lang;
use tipline::storage::campaigns::{CampaignState, Progress};
use tipline::storage::subscriptions::Address;
use tipline::workers::broadcast::{Deliver, Pacer, PacerConfig, StopHandle, footers};

/// Subscribes chats `first..first+n` on `channel`; even ids in Vietnamese, odd in English.
pub async fn subscribe_many(app: &AppState, channel: Channel, first: i64, n: i64) {
    let ids: Vec<String> = (first..first + n).map(|i| i.to_string()).collect();
    for chunk in ids.chunks(1000) {
        let subs: Vec<_> = chunk
            .iter()
            .map(|id| {
                let lang = if id.parse::<i64>().unwrap() % 2 == 0 {
                    Lang::Vi
                } else {
                    Lang::En
                };
                (Address { channel, id }, lang, None)
            })
            .collect();
        app.store.add_subscriptions(&subs).await.unwrap();
    }
}

pub async fn campaign_now(app: &AppState, title: &str) -> i64 {
    let draft = CampaignDraft {
        title: title.into(),
        text_vi: "Tháng 6 là Tháng hành động phòng, chống ma túy.".into(),
        text_en: "June is the Month of Action against drugs.".into(),
        target: Target::All,
        schedule: Schedule::Now,
    };
    app.store
        .create_campaign(&draft, "test", tipline::bot::now_ms())
        .await
        .unwrap()
}

/// Pacing fast enough for tests (a short lease so a killed pacer's
/// successor takes over within a second or two).
pub fn test_config(rate: u32, in_flight: usize) -> PacerConfig {
    PacerConfig {
        rate_per_sec: rate,
        in_flight,
        lease_ttl: Duration::from_millis(1200),
        idle_poll: Duration::from_millis(100),
        ..PacerConfig::default()
    }
}

pub struct RunningPacer {
    pub stop: StopHandle,
    pub task: tokio::task::JoinHandle<anyhow::Result<()>>,
}

impl RunningPacer {
    /// Like a crash: the task and its sends in flight are dropped at once.
    pub async fn kill(self) {
        self.task.abort();
        let _ = self.task.await;
    }

    pub async fn stop(self) {
        self.stop.stop();
        self.task.await.unwrap().unwrap();
    }
}

pub fn start_pacer<D: Deliver>(
    app: &Arc<AppState>,
    deliver: D,
    config: PacerConfig,
) -> RunningPacer {
    let pacer = Pacer::new(app.store.clone(), Arc::new(deliver), footers(app), config);
    let stop = pacer.stop_handle();
    RunningPacer {
        stop,
        task: tokio::spawn(pacer.run()),
    }
}

/// Polls `cond` every 20 ms until it holds; panics after `timeout`.
pub async fn wait_for<F, Fut>(what: &str, timeout: Duration, mut cond: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + timeout;
    while !cond().await {
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

pub async fn wait_done(app: &AppState, id: i64, timeout: Duration) -> Progress {
    wait_for("the campaign to finish", timeout, || async {
        app.store.campaign(id).await.unwrap().unwrap().state == CampaignState::Done
    })
    .await;
    app.store.campaign_progress(id).await.unwrap()
}
