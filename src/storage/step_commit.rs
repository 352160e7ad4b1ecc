//! Group commit for conversation steps. Every message a citizen sends ends in
//! one durable write: the session (compare-and-swap on its version), the
//! step's effects, and the claim on the platform's message id. Steps that
//! arrive while a commit is in flight wait and go into the next transaction
//! together, so one fsync covers many citizens: under load the database does
//! a few large commits instead of many small ones. A lone step is committed at
//! once; nothing waits for a batch to fill.
//!
//! A step is only answered after the transaction that holds it is durable.
use std::collections::HashSet;
use std::sync::Arc;

use sqlx::AnyPool;
use tokio::sync::{Mutex, mpsc, oneshot};

use super::channels::{claim_many_in, fingerprint, release_many_in};
use super::stored_time::day_number;
use super::subscriptions::{self, Address};
use super::tips::{NewEvent, add_event_in, insert_tip_in};
use super::write_gate::WriteGate;
use super::{Result, StorageError, Store, counters, erasable, reply_notices, sessions};
use crate::domain::channel::Channel;
use crate::domain::effect::Effect;
use crate::domain::tip::EventKind;
use crate::privacy::keyed::SessionKey;
use crate::privacy::seal::DataKeys;

/// Steps per transaction at most: bounds the work lost to a rollback and the
/// time the SQLite write gate is held.
const MAX_BATCH: usize = 64;
/// Steps waiting for a committer before `apply_step` callers queue (backpressure).
const QUEUE: usize = 4096;
/// How long a claimed platform message id is remembered, against
/// redeliveries: through the end of the day after the one it arrived on (at
/// least 24 hours), in whole days so the record cannot date the message.
pub const DELIVERY_TTL_DAYS: i64 = 2;

/// One conversation step to make durable.
#[derive(Debug)]
pub struct StepWrite {
    pub key: SessionKey,
    /// Where the speaker is reached; stored only by a subscription effect.
    pub channel: Channel,
    pub user_id: String,
    /// The session version the step was computed from (0 = new session).
    pub expected_version: i64,
    pub state: String,
    pub effects: Vec<Effect>,
    pub now_ms: i64,
    /// The platform's id of the inbound message ("telegram:<update id>"),
    /// claimed in the same transaction so a redelivery is handled once.
    pub delivery: Option<String>,
}

/// How a step ended when it did not fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepSaved {
    Saved,
    /// The message was already handled (a platform redelivery): nothing written.
    Duplicate,
}

type Job = (StepWrite, oneshot::Sender<Result<StepSaved>>);

/// The queue in front of the committer tasks.
#[derive(Debug)]
pub(crate) struct Committer {
    jobs: mpsc::Sender<Job>,
}

impl Committer {
    /// Starts `workers` committer tasks. SQLite has one writer, so one task;
    /// PostgreSQL commits several groups in parallel.
    pub(crate) fn start(
        pool: AnyPool,
        gate: WriteGate,
        keys: Arc<DataKeys>,
        workers: usize,
    ) -> Self {
        let (jobs, rx) = mpsc::channel(QUEUE);
        let rx = Arc::new(Mutex::new(rx));
        for _ in 0..workers.max(1) {
            tokio::spawn(run_worker(
                pool.clone(),
                gate.clone(),
                keys.clone(),
                rx.clone(),
            ));
        }
        Committer { jobs }
    }
}

impl Store {
    /// Saves a conversation step atomically: the session, every durable
    /// effect and the delivery claim commit together or not at all.
    /// `Err(Conflict)` when the session changed since it was loaded.
    pub async fn apply_step(&self, write: StepWrite) -> Result<StepSaved> {
        let (done, result) = oneshot::channel();
        self.committer
            .jobs
            .send((write, done))
            .await
            .map_err(|_| StorageError::Closed)?;
        result.await.map_err(|_| StorageError::Closed)?
    }
}

async fn run_worker(
    pool: AnyPool,
    gate: WriteGate,
    keys: Arc<DataKeys>,
    rx: Arc<Mutex<mpsc::Receiver<Job>>>,
) {
    let mut batch: Vec<Job> = Vec::with_capacity(MAX_BATCH);
    loop {
        {
            let mut rx = rx.lock().await;
            let Some(first) = rx.recv().await else { return };
            batch.push(first);
            while batch.len() < MAX_BATCH {
                match rx.try_recv() {
                    Ok(job) => batch.push(job),
                    Err(_) => break,
                }
            }
        }
        let writes: Vec<&StepWrite> = batch.iter().map(|(w, _)| w).collect();
        let started = std::time::Instant::now();
        let results = {
            let _gate = gate.lock().await;
            commit_group(&pool, &keys, &writes).await
        };
        tracing::debug!(
            steps = writes.len(),
            micros = started.elapsed().as_micros() as u64,
            "group committed"
        );
        for ((_, done), result) in batch.drain(..).zip(results) {
            // A caller that went away still had its step committed; nothing to tell.
            let _ = done.send(result);
        }
    }
}

/// Commits the group in one transaction. If anything in it fails (a broken
/// row, a full disk), it is rolled back and each step is retried in its own
/// transaction, so one bad step cannot take its neighbours down with it.
#[tracing::instrument(name = "step_commit", skip_all, fields(steps = writes.len()))]
async fn commit_group(
    pool: &AnyPool,
    keys: &DataKeys,
    writes: &[&StepWrite],
) -> Vec<Result<StepSaved>> {
    match commit_together(pool, keys, writes).await {
        Ok(results) => results,
        Err(e) if writes.len() > 1 => {
            tracing::warn!(error = %e, steps = writes.len(), "a grouped commit failed; committing its steps one by one");
            let mut results = Vec::with_capacity(writes.len());
            for w in writes {
                results.push(match commit_together(pool, keys, &[w]).await {
                    Ok(mut one) => one.pop().unwrap_or(Err(StorageError::Closed)),
                    Err(e) => Err(e),
                });
            }
            results
        }
        Err(e) => vec![Err(e)],
    }
}

/// Every step's outcome, or the error that must roll the whole group back.
/// The claims and the session saves of the whole group take one statement
/// each, whatever its size; only the effects go step by step.
async fn commit_together(
    pool: &AnyPool,
    keys: &DataKeys,
    writes: &[&StepWrite],
) -> Result<Vec<Result<StepSaved>>> {
    let claim_keys: Vec<Option<String>> = writes
        .iter()
        .map(|w| w.delivery.as_deref().map(fingerprint))
        .collect();
    let mut outcome = repeats_in_group(writes, &claim_keys);

    let mut tx = pool.begin().await?;
    let claims: Vec<(usize, &str, i64)> = pending(&outcome)
        .filter_map(|i| {
            let k = claim_keys[i].as_deref()?;
            Some((i, k, day_number(writes[i].now_ms) + DELIVERY_TTL_DAYS))
        })
        .collect();
    if !claims.is_empty() {
        let rows: Vec<(&str, i64)> = claims.iter().map(|c| (c.1, c.2)).collect();
        let taken = claim_many_in(&mut tx, &rows, DELIVERY_TTL_DAYS).await?;
        for (i, k, _) in &claims {
            if !taken.contains(*k) {
                outcome[*i] = Outcome::Duplicate;
            }
        }
    }

    let saves: Vec<sessions::Save> = pending(&outcome)
        .map(|i| sessions::Save {
            key: &writes[i].key,
            state: &writes[i].state,
            now_ms: writes[i].now_ms,
            expected_version: writes[i].expected_version,
        })
        .collect();
    let saved = if saves.is_empty() {
        HashSet::new()
    } else {
        sessions::save_many_in(&mut tx, keys, &saves).await?
    };
    let mut release = Vec::new();
    for i in pending(&outcome).collect::<Vec<_>>() {
        if saved.contains(writes[i].key.as_str()) {
            outcome[i] = Outcome::Saved;
        } else {
            outcome[i] = Outcome::Conflict;
            // The retry of this very message must be able to claim it again.
            release.extend(claim_keys[i].as_deref());
        }
    }
    if !release.is_empty() {
        release_many_in(&mut tx, &release).await?;
    }

    apply_saved_effects_in(&mut tx, keys, writes, &outcome).await?;
    tx.commit().await?;
    Ok(outcome
        .into_iter()
        .map(|o| match o {
            Outcome::Saved => Ok(StepSaved::Saved),
            Outcome::Duplicate => Ok(StepSaved::Duplicate),
            Outcome::Conflict | Outcome::Pending => Err(StorageError::Conflict),
        })
        .collect())
}

/// One step per session and per platform message in a group: a second
/// step of the same session is computed from a state this group changes,
/// so it conflicts and is retried; a second copy of a message is a redelivery.
fn repeats_in_group(writes: &[&StepWrite], claim_keys: &[Option<String>]) -> Vec<Outcome> {
    let mut outcome = vec![Outcome::Pending; writes.len()];
    let mut sessions_seen = HashSet::new();
    let mut claims_seen = HashSet::new();
    for (i, w) in writes.iter().enumerate() {
        if !sessions_seen.insert(w.key.as_str()) {
            outcome[i] = Outcome::Conflict;
        } else if let Some(k) = &claim_keys[i]
            && !claims_seen.insert(k.as_str())
        {
            outcome[i] = Outcome::Duplicate;
        }
    }
    outcome
}

/// The effects of the saved steps, in one global order (counters by key,
/// then subscriptions, then the ledger), so concurrent groups (other
/// replicas, officers' actions) take row locks in the same order and cannot
/// deadlock on each other.
async fn apply_saved_effects_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    keys: &DataKeys,
    writes: &[&StepWrite],
    outcome: &[Outcome],
) -> Result<()> {
    let mut effects: Vec<(EffectOrder, &StepWrite, &Effect)> = writes
        .iter()
        .zip(outcome)
        .filter(|(_, o)| **o == Outcome::Saved)
        .flat_map(|(w, _)| w.effects.iter().map(move |e| (effect_order(e), *w, e)))
        .collect();
    effects.sort_by(|a, b| a.0.cmp(&b.0));
    for (_, w, effect) in effects {
        let speaker = Address {
            channel: w.channel,
            id: &w.user_id,
        };
        apply_effect_in(tx, keys, &w.key, speaker, effect, w.now_ms).await?;
    }
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Pending,
    Saved,
    Duplicate,
    Conflict,
}

/// (lock class, key): counters, then subscriptions, then the ledger head.
type EffectOrder<'a> = (u8, &'a str, &'a str);

fn effect_order(e: &Effect) -> EffectOrder<'_> {
    match e {
        Effect::CountArticleView { article, lang } => (0, lang.code(), article),
        Effect::QuizCompleted { lang, class, .. } => {
            (1, lang.code(), class.as_deref().unwrap_or(""))
        }
        Effect::Subscribe { .. }
        | Effect::Unsubscribe
        | Effect::SubscriptionLang { .. }
        | Effect::LookupReceipt { .. }
        | Effect::CreateClass { .. }
        | Effect::DiscardAttachments { .. }
        | Effect::EraseConversation
        | Effect::ForgetConversation
        | Effect::ReplyNoticeOptIn { .. }
        | Effect::Forget => (2, "", ""),
        Effect::SubmitTip(_) | Effect::AddFollowUp { .. } => (3, "", ""),
    }
}

fn pending(outcome: &[Outcome]) -> impl Iterator<Item = usize> + '_ {
    outcome
        .iter()
        .enumerate()
        .filter(|(_, o)| **o == Outcome::Pending)
        .map(|(i, _)| i)
}

async fn apply_effect_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    keys: &DataKeys,
    owner: &SessionKey,
    speaker: Address<'_>,
    effect: &Effect,
    now_ms: i64,
) -> Result<()> {
    match effect {
        Effect::SubmitTip(tip) => {
            let tip_id = insert_tip_in(tx, keys, tip, "citizen").await?;
            // Unit notices ride in the tip's transaction: never lost, never for a rolled-back tip.
            super::channels::enqueue_tip_notices_in(tx, tip_id, tip).await?;
        }
        Effect::AddFollowUp { tip_id, body } => {
            let event = NewEvent {
                kind: EventKind::FollowUp,
                actor: "reporter",
                value: "",
                body,
            };
            let event_id = add_event_in(tx, keys, *tip_id, event, now_ms).await?;
            // The queue's unread mark and "last activity" (open and closed tips alike).
            let at = super::stored_time::tip_time(now_ms);
            super::workspace::note_followup_in(tx, *tip_id, event_id, at).await?;
        }
        // Answered by the runtime before the commit (see `bot`).
        Effect::LookupReceipt { .. } | Effect::CreateClass { .. } => {}
        Effect::DiscardAttachments { ids } => {
            super::tips::discard_draft_attachments_in(tx, ids).await?;
        }
        Effect::CountArticleView { article, lang } => {
            counters::bump_in(tx, now_ms, "article_view", lang.code(), article).await?;
        }
        Effect::Subscribe { province, lang } => {
            subscriptions::subscribe_in(tx, keys, speaker, *lang, *province).await?;
        }
        Effect::Unsubscribe => {
            subscriptions::unsubscribe_in(tx, keys, speaker, "unsubscribed", now_ms).await?;
        }
        Effect::SubscriptionLang { lang } => {
            subscriptions::set_lang_in(tx, keys, speaker, *lang).await?;
        }
        // The channel deletes the messages after the commit; the ids it
        // needs are taken then, so nothing is stored here.
        Effect::EraseConversation => {}
        Effect::ForgetConversation => erasable::forget_in(tx, owner).await?,
        Effect::ReplyNoticeOptIn { receipt_hash, lang } => {
            reply_notices::opt_in_in(tx, speaker, receipt_hash, *lang).await?;
        }
        Effect::Forget => {
            reply_notices::forget_in(tx, speaker).await?;
            erasable::forget_in(tx, owner).await?;
            subscriptions::unsubscribe_in(tx, keys, speaker, "unsubscribed", now_ms).await?;
        }
        Effect::QuizCompleted {
            lang,
            class,
            score,
            total,
            answers,
        } => {
            let class = class.as_deref().unwrap_or("");
            counters::bump_in(tx, now_ms, "quiz_completed", lang.code(), class).await?;
            let code = lang.code();
            counters::bump_by_in(tx, now_ms, "quiz_points", code, class, *score as i64).await?;
            counters::bump_by_in(tx, now_ms, "quiz_questions", code, class, *total as i64).await?;
            counters::record_quiz_in(tx, class, *score, *total, answers).await?;
        }
    }
    Ok(())
}
