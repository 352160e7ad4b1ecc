//! The pacer: one loop per bot that claims, sends and finishes deliveries.
//!
//! Every message goes through the same cycle. When the pace lets the next
//! message start, one transaction records the results of finished sends and
//! claims that one row (`sending`), conditional on this pacer still holding
//! the lease; its HTTP request starts as soon as the commit returns, with
//! nothing to wait for in between. So a row is `sending` only while its
//! request is about to start or has started: a crash leaves at most
//! `in_flight` rows in `sending`, each of which may have reached the
//! platform, and the next pacer marks those `unknown` instead of resending
//! them. A row is never claimed ahead of its slot, because a claimed row
//! that dies waiting would become `unknown` without ever being sent. A
//! graceful stop waits for sends in flight and leaves none.
use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinSet;
use tokio::time::Instant;

use super::pace::{Pace, Readiness};
use super::{Deliver, DeliveryResult, PacerConfig, StopHandle};
use crate::bot::now_ms;
use crate::domain::campaign::render;
use crate::domain::channel::Channel;
use crate::i18n::Lang;
use crate::storage::Store;
use crate::storage::deliveries::{Candidate, Finish};

type Outcome = (u64, Candidate, DeliveryResult, Instant);

pub struct Pacer<D: Deliver> {
    store: Store,
    deliver: Arc<D>,
    footers: [String; 2],
    config: PacerConfig,
    /// Unique per pacer instance, so a restarted process never mistakes the
    /// rows its predecessor left in `sending` for its own.
    holder: String,
    stop_tx: Arc<watch::Sender<bool>>,
    stop_rx: watch::Receiver<bool>,
}

/// Mutable state of one run.
struct Run {
    pace: Pace,
    todo: VecDeque<Candidate>,
    done: Vec<(i64, Finish)>,
    sends: JoinSet<Outcome>,
    texts: HashMap<(i64, Lang), Option<Arc<str>>>,
    holding: bool,
    renew_at: Instant,
    failure_streak: u32,
}

impl<D: Deliver> Pacer<D> {
    pub fn new(store: Store, deliver: Arc<D>, footers: [String; 2], config: PacerConfig) -> Self {
        let (stop_tx, stop_rx) = watch::channel(false);
        let holder = format!(
            "{}-{}-{:08x}",
            deliver.channel(),
            std::process::id(),
            rand::random::<u32>()
        );
        Pacer {
            store,
            deliver,
            footers,
            config,
            holder,
            stop_tx: Arc::new(stop_tx),
            stop_rx,
        }
    }

    pub fn stop_handle(&self) -> StopHandle {
        StopHandle(self.stop_tx.clone())
    }

    fn channel(&self) -> Channel {
        self.deliver.channel()
    }

    fn stopping(&self) -> bool {
        *self.stop_rx.borrow()
    }

    /// Runs until stopped. Storage errors are logged and retried: a pacer
    /// that cannot record results stops sending until it can.
    #[tracing::instrument(skip_all, fields(channel = self.channel().as_str()))]
    pub async fn run(mut self) -> anyhow::Result<()> {
        let mut run = Run {
            pace: Pace::new(self.config.rate_per_sec, self.config.per_chat_gap),
            todo: VecDeque::new(),
            done: Vec::new(),
            sends: JoinSet::new(),
            texts: HashMap::new(),
            holding: false,
            renew_at: Instant::now(),
            failure_streak: 0,
        };
        tracing::info!(
            rate = self.config.rate_per_sec,
            in_flight = self.config.in_flight,
            "broadcast pacer started"
        );
        while !self.stopping() {
            if let Err(e) = self.step(&mut run).await {
                tracing::error!(error = %e, "broadcast pacer: storage error; retrying shortly");
                self.idle(&mut run, Duration::from_secs(1)).await;
            }
        }
        // Graceful stop: let sends in flight finish and record them, and
        // give back claimed rows that were never sent.
        self.drain(&mut run).await?;
        if run.holding {
            let cooldown = self.config.per_chat_gap.as_millis() as i64;
            self.store
                .release_pacer_lease(self.channel(), &self.holder, now_ms(), cooldown)
                .await?;
        }
        tracing::info!("broadcast pacer stopped");
        Ok(())
    }

    async fn step(&mut self, run: &mut Run) -> crate::storage::Result<()> {
        if !run.holding || Instant::now() >= run.renew_at {
            let ttl = self.config.lease_ttl.as_millis() as i64;
            let got = self
                .store
                .acquire_pacer_lease(self.channel(), &self.holder, now_ms(), ttl)
                .await?;
            if !got {
                if run.holding {
                    tracing::warn!("broadcast lease lost to another pacer; standing by");
                    self.drain(run).await?;
                }
                run.holding = false;
                self.idle(run, self.config.lease_ttl / 3).await;
                return Ok(());
            }
            if !run.holding {
                tracing::info!("broadcast lease acquired");
            }
            run.holding = true;
            run.renew_at = Instant::now() + self.config.lease_ttl / 3;
        }
        if run.sends.len() >= self.config.in_flight.max(1) {
            self.await_one(run).await;
            return Ok(());
        }
        if run.todo.is_empty() {
            return self.refill(run).await;
        }
        let next = &run.todo.front().expect("not empty").address;
        match run.pace.readiness(next, Instant::now()) {
            Readiness::Now => self.claim_and_start(run).await,
            Readiness::At(t) => {
                self.idle_until(run, t.min(run.renew_at)).await;
                Ok(())
            }
            Readiness::AwaitCompletion if !run.sends.is_empty() => {
                self.await_one(run).await;
                Ok(())
            }
            // Nothing in flight to wait for; cannot happen, but never spin.
            Readiness::AwaitCompletion => {
                self.idle(run, Duration::from_millis(10)).await;
                Ok(())
            }
        }
    }

    /// Records finished sends and reads the next deliveries due; idles when
    /// there are none.
    async fn refill(&mut self, run: &mut Run) -> crate::storage::Result<()> {
        let done = std::mem::take(&mut run.done);
        if let Err(e) = self
            .store
            .finish_and_claim(self.channel(), &self.holder, &done, &[], now_ms())
            .await
        {
            run.done = done;
            return Err(e);
        }
        self.store.start_due_campaigns(now_ms()).await?;
        if let Some(oldest_day) = self.deliver.oldest_interaction_day(now_ms()) {
            let n = self
                .store
                .skip_outside_window(self.channel(), oldest_day, now_ms())
                .await?;
            if n > 0 {
                tracing::info!(
                    deliveries = n,
                    "subscribers outside the messaging window: not sent"
                );
            }
        }
        run.todo = self
            .store
            .next_deliveries(self.channel(), now_ms(), self.config.batch)
            .await?
            .into();
        if run.todo.is_empty() {
            if run.sends.is_empty() {
                self.store.finish_campaigns(now_ms()).await?;
                run.pace.prune(Instant::now());
            }
            let wait = self
                .config
                .idle_poll
                .min(run.renew_at.saturating_duration_since(Instant::now()));
            self.idle(run, wait).await;
        }
        Ok(())
    }

    /// The next delivery's slot has come: claims it in the same transaction
    /// that records finished sends, then starts its request at once.
    async fn claim_and_start(&mut self, run: &mut Run) -> crate::storage::Result<()> {
        let c = run.todo.pop_front().expect("not empty");
        // A vanished campaign's rows are never claimed.
        let Some(text) = self.text(run, c.campaign_id, c.lang).await? else {
            return Ok(());
        };
        let done = std::mem::take(&mut run.done);
        let claimed = match self
            .store
            .finish_and_claim(self.channel(), &self.holder, &done, &[c.id], now_ms())
            .await
        {
            Ok(claimed) => claimed,
            Err(e) => {
                run.done = done;
                run.todo.push_front(c);
                return Err(e);
            }
        };
        if !claimed.contains(&c.id) {
            // Paused, cancelled, taken by an unsubscribe, or our lease lapsed:
            // re-read the queue and re-check the lease before going on.
            run.todo.clear();
            run.renew_at = Instant::now();
            return Ok(());
        }
        let seq = run.pace.start(&c.address, Instant::now());
        let deliver = self.deliver.clone();
        run.sends.spawn(async move {
            let result = deliver.send(&c.address, &text).await;
            (seq, c, result, Instant::now())
        });
        Ok(())
    }

    /// The rendered text of a campaign in one language, cached per run.
    async fn text(
        &self,
        run: &mut Run,
        campaign_id: i64,
        lang: Lang,
    ) -> crate::storage::Result<Option<Arc<str>>> {
        if let Some(t) = run.texts.get(&(campaign_id, lang)) {
            return Ok(t.clone());
        }
        let footer = match lang {
            Lang::Vi => &self.footers[0],
            Lang::En => &self.footers[1],
        };
        let text = self
            .store
            .campaign(campaign_id)
            .await?
            .map(|c| Arc::from(render(c.text(lang), footer)));
        run.texts.insert((campaign_id, lang), text.clone());
        Ok(text)
    }

    /// Classifies a send's result for storage and adjusts the pace.
    fn record(&self, run: &mut Run, (seq, c, result, at): Outcome) {
        run.pace.complete(seq, &c.address, at);
        let finish = match result {
            DeliveryResult::Sent => {
                run.failure_streak = 0;
                Finish::Sent
            }
            DeliveryResult::RetryAfter(wait) => {
                tracing::warn!(
                    retry_after_s = wait.as_secs_f64(),
                    "flood control (429): pausing the whole pacer"
                );
                run.pace.pause_until(at + wait);
                Finish::Retry {
                    not_before: 0,
                    error: "rate limited (429)".into(),
                }
            }
            DeliveryResult::Removed(why) => {
                run.failure_streak = 0;
                tracing::debug!(reason = %why, "recipient gone; subscription removed");
                Finish::Removed
            }
            DeliveryResult::Undeliverable(why) => {
                run.failure_streak = 0;
                tracing::info!(reason = %why, "campaign message undeliverable; not retried");
                Finish::Undeliverable(why)
            }
            DeliveryResult::Failed(why) => {
                tracing::warn!(reason = %why, "campaign message failed");
                Finish::Failed(why)
            }
            DeliveryResult::NotSent(why) => {
                self.back_off(run, at, &why);
                // `attempts` was read before this claim, which added one.
                if c.attempts + 1 >= self.config.max_attempts {
                    Finish::Failed(why)
                } else {
                    let wait = 1000i64 << c.attempts.clamp(0, 6);
                    Finish::Retry {
                        not_before: now_ms() + wait,
                        error: why,
                    }
                }
            }
            DeliveryResult::Ambiguous(why) => {
                self.back_off(run, at, &why);
                Finish::Unknown(why)
            }
        };
        run.done.push((c.id, finish));
    }

    /// Consecutive transport failures mean the platform (or our link) is in
    /// trouble: slow down instead of burning through the list.
    fn back_off(&self, run: &mut Run, at: Instant, why: &str) {
        run.failure_streak += 1;
        if run.failure_streak >= 3 {
            let secs = (1u64 << (run.failure_streak - 3).min(6)).min(60);
            tracing::warn!(reason = %why, streak = run.failure_streak, pause_s = secs, "send failures in a row: pausing the pacer");
            run.pace.pause_until(at + Duration::from_secs(secs));
        }
    }

    async fn await_one(&self, run: &mut Run) {
        if let Some(Ok(outcome)) = run.sends.join_next().await {
            self.record(run, outcome);
        }
    }

    async fn idle(&self, run: &mut Run, wait: Duration) {
        self.idle_until(run, Instant::now() + wait).await
    }

    /// Sleeps until `until`, a completion, or a stop request.
    async fn idle_until(&self, run: &mut Run, until: Instant) {
        let mut stop = self.stop_rx.clone();
        tokio::select! {
            _ = tokio::time::sleep_until(until) => {}
            r = run.sends.join_next(), if !run.sends.is_empty() => {
                if let Some(Ok(outcome)) = r {
                    self.record(run, outcome);
                }
            }
            _ = stop.wait_for(|s| *s) => {}
        }
    }

    /// Finishes what is in flight and records it. No row is ever claimed
    /// without its request starting, so nothing else is left in `sending`.
    async fn drain(&self, run: &mut Run) -> crate::storage::Result<()> {
        while let Some(r) = run.sends.join_next().await {
            if let Ok(outcome) = r {
                self.record(run, outcome);
            }
        }
        run.todo.clear();
        let done = std::mem::take(&mut run.done);
        self.store
            .finish_and_claim(self.channel(), &self.holder, &done, &[], now_ms())
            .await?;
        Ok(())
    }
}
