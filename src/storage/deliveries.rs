//! The delivery worker's SQL: the per-channel pacer lease, starting due
//! campaigns, and the claim -> send -> finish cycle of each delivery row.
//!
//! Crash safety rests on one rule: a row goes `pending -> sending` in a
//! committed claim BEFORE its HTTP call, and only the claimer moves it on.
//! A row is never put back to `pending` unless the platform said it was not
//! sent (429, refused connection), so no message is ever sent twice. Rows a
//! dead pacer left in `sending` become `unknown` when the next pacer takes
//! the lease: maybe delivered, never resent.
use sqlx::Row;

use super::sealed::{SUB_ADDRESS, open_text};
use super::subscriptions::{Address, unsubscribe_in};
use super::{Result, Store, channel_column};
use crate::domain::channel::Channel;
use crate::i18n::Lang;
use crate::privacy::seal::DataKeys;

/// A delivery ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub id: i64,
    pub campaign_id: i64,
    /// The chat address, read from `subscriptions` at send time.
    pub address: String,
    pub lang: Lang,
    /// Claims so far (before this one).
    pub attempts: i64,
}

/// How a claimed delivery ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finish {
    Sent,
    /// The recipient blocked the bot or left the OA: the subscription goes too.
    Removed,
    /// Outside the platform's messaging window; not retried.
    Undeliverable(String),
    Failed(String),
    /// Not sent, by the platform's own word; try again after `not_before`.
    Retry {
        not_before: i64,
        error: String,
    },
    /// Sent or not, nobody can tell (timeout, 5xx); never resent.
    Unknown(String),
    /// Claimed but never started (the pacer stopped first): back to pending.
    Unsent,
}

impl Finish {
    fn state(&self) -> &'static str {
        match self {
            Finish::Sent => "sent",
            Finish::Removed => "removed",
            Finish::Undeliverable(_) => "undeliverable",
            Finish::Failed(_) => "failed",
            Finish::Retry { .. } | Finish::Unsent => "pending",
            Finish::Unknown(_) => "unknown",
        }
    }

    fn error(&self) -> &str {
        match self {
            Finish::Sent | Finish::Removed | Finish::Unsent => "",
            Finish::Undeliverable(e) | Finish::Failed(e) | Finish::Unknown(e) => e,
            Finish::Retry { error, .. } => error,
        }
    }
}

impl Store {
    /// Takes or renews the pacer lease for `channel`; false while another
    /// live pacer holds it. On success, rows other pacers left in `sending`
    /// become `unknown` (see the module comment).
    pub async fn acquire_pacer_lease(
        &self,
        channel: Channel,
        holder: &str,
        now_ms: i64,
        ttl_ms: i64,
    ) -> Result<bool> {
        let _g = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        let r = sqlx::query(
            "INSERT INTO broadcast_leases (channel, holder, expires_at) VALUES ($1, $2, $3) \
             ON CONFLICT (channel) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at \
             WHERE broadcast_leases.holder = $4 OR broadcast_leases.expires_at < $5",
        )
        .bind(channel.as_str())
        .bind(holder)
        .bind(now_ms + ttl_ms)
        .bind(holder)
        .bind(now_ms)
        .execute(&mut *tx)
        .await?;
        if r.rows_affected() != 1 {
            return Ok(false);
        }
        let swept = sqlx::query(
            "UPDATE deliveries SET state = 'unknown', error = 'pacer stopped mid-send', updated_at = $1 \
             WHERE channel = $2 AND state = 'sending' AND claimed_by <> $3",
        )
        .bind(now_ms)
        .bind(channel.as_str())
        .bind(holder)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        tx.commit().await?;
        if swept > 0 {
            tracing::warn!(
                channel = channel.as_str(),
                rows = swept,
                "deliveries left mid-send by a stopped pacer marked unknown (not resent)"
            );
        }
        Ok(true)
    }

    /// Gives the lease up. It stays blocked for `cooldown_ms` so a successor
    /// cannot message a chat within a second of our last send to it.
    pub async fn release_pacer_lease(
        &self,
        channel: Channel,
        holder: &str,
        now_ms: i64,
        cooldown_ms: i64,
    ) -> Result<()> {
        let _g = self.write_guard().await;
        sqlx::query(
            "UPDATE broadcast_leases SET expires_at = $1 WHERE channel = $2 AND holder = $3",
        )
        .bind(now_ms + cooldown_ms)
        .bind(channel.as_str())
        .bind(holder)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Starts every scheduled campaign whose time has come: one delivery row
    /// per matching subscriber, in the same transaction as the state change,
    /// so a campaign is materialised exactly once even with several replicas.
    pub async fn start_due_campaigns(&self, now_ms: i64) -> Result<Vec<i64>> {
        let due: Vec<i64> = sqlx::query(
            "SELECT id FROM campaigns WHERE state = 'scheduled' AND scheduled_at <= $1 ORDER BY id",
        )
        .bind(now_ms)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| r.get("id"))
        .collect();
        let mut started = Vec::new();
        for id in due {
            let _g = self.write_guard().await;
            let mut tx = self.pool.begin().await?;
            let r = sqlx::query("UPDATE campaigns SET state = 'running', started_at = $1, updated_at = $2 WHERE id = $3 AND state = 'scheduled'")
                .bind(now_ms)
                .bind(now_ms)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            if r.rows_affected() != 1 {
                continue; // another replica started it, or it was paused meanwhile
            }
            let channels = Channel::broadcast()
                .map(|c| format!("'{c}'"))
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!(
                "INSERT INTO deliveries (campaign_id, subscription_id, channel, state, updated_at) \
                 SELECT $1, s.id, s.channel, 'pending', $2 FROM subscriptions s, campaigns c \
                 WHERE c.id = $3 AND s.channel IN ({channels}) AND (c.all_provinces = 1 OR s.province_code IN \
                 (SELECT province_code FROM campaign_provinces WHERE campaign_id = $4)) ORDER BY s.id"
            );
            let n = sqlx::query(&sql)
                .bind(id)
                .bind(now_ms)
                .bind(id)
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            tx.commit().await?;
            tracing::info!(campaign = id, deliveries = n, "campaign started");
            started.push(id);
        }
        Ok(started)
    }

    /// The next pending deliveries of running campaigns on `channel`, oldest
    /// campaign first, without claiming them.
    pub async fn next_deliveries(
        &self,
        channel: Channel,
        now_ms: i64,
        limit: i64,
    ) -> Result<Vec<Candidate>> {
        let rows = sqlx::query(
            "SELECT d.id, d.campaign_id, d.attempts, s.address, s.lang FROM deliveries d \
             JOIN subscriptions s ON s.id = d.subscription_id \
             JOIN campaigns c ON c.id = d.campaign_id \
             WHERE d.channel = $1 AND d.state = 'pending' AND d.not_before <= $2 AND c.state = 'running' \
             ORDER BY d.campaign_id, d.id LIMIT $3",
        )
        .bind(channel.as_str())
        .bind(now_ms)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Candidate {
                    id: r.get("id"),
                    campaign_id: r.get("campaign_id"),
                    address: open_text(&self.keys, SUB_ADDRESS, r.get("address"))?,
                    lang: Lang::parse(&r.get::<String, _>("lang")).unwrap_or_default(),
                    attempts: r.get("attempts"),
                })
            })
            .collect()
    }

    /// One transaction: record finished sends, then claim the rows `claim`.
    /// A claim succeeds only if the row is still pending, its campaign is
    /// still running and `holder` still holds the lease; returns the ids claimed.
    pub async fn finish_and_claim(
        &self,
        channel: Channel,
        holder: &str,
        finished: &[(i64, Finish)],
        claim: &[i64],
        now_ms: i64,
    ) -> Result<Vec<i64>> {
        let _g = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        for (id, f) in finished {
            finish_in(&mut tx, &self.keys, holder, *id, f, now_ms).await?;
        }
        let mut claimed = Vec::with_capacity(claim.len());
        for &id in claim {
            let r = sqlx::query(
                "UPDATE deliveries SET state = 'sending', claimed_by = $1, attempts = attempts + 1, updated_at = $2 \
                 WHERE id = $3 AND state = 'pending' \
                 AND EXISTS (SELECT 1 FROM campaigns c WHERE c.id = deliveries.campaign_id AND c.state = 'running') \
                 AND EXISTS (SELECT 1 FROM broadcast_leases l WHERE l.channel = $4 AND l.holder = $5 AND l.expires_at > $6)",
            )
            .bind(holder)
            .bind(now_ms)
            .bind(id)
            .bind(channel.as_str())
            .bind(holder)
            .bind(now_ms)
            .execute(&mut *tx)
            .await?;
            if r.rows_affected() == 1 {
                claimed.push(id);
            }
        }
        tx.commit().await?;
        Ok(claimed)
    }

    /// How many times a delivery has been claimed (attempts so far).
    pub async fn delivery_attempts(&self, id: i64) -> Result<i64> {
        let row = sqlx::query("SELECT attempts FROM deliveries WHERE id = $1")
            .bind(id)
            .fetch_one(&self.pool)
            .await?;
        Ok(row.get("attempts"))
    }

    /// Marks running campaigns with nothing left to send as done.
    pub async fn finish_campaigns(&self, now_ms: i64) -> Result<u64> {
        let _g = self.write_guard().await;
        let r = sqlx::query(
            "UPDATE campaigns SET state = 'done', finished_at = $1, updated_at = $2 WHERE state = 'running' \
             AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.campaign_id = campaigns.id AND d.state IN ('pending', 'sending'))",
        )
        .bind(now_ms)
        .bind(now_ms)
        .execute(&self.pool)
        .await?;
        Ok(r.rows_affected())
    }
}

/// Records how a send ended. Only the claimer may do so; it may also settle
/// a row a successor already marked `unknown`, since it knows the answer.
async fn finish_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    keys: &DataKeys,
    holder: &str,
    id: i64,
    f: &Finish,
    now_ms: i64,
) -> Result<()> {
    let not_before = match f {
        Finish::Retry { not_before, .. } => *not_before,
        _ => 0,
    };
    // A retry goes back to pending only from 'sending': once a successor
    // has declared the row unknown, it must never be sent again.
    let from_states = if matches!(f, Finish::Retry { .. } | Finish::Unsent) {
        "('sending')"
    } else {
        "('sending', 'unknown')"
    };
    let sql = format!(
        "UPDATE deliveries SET state = $1, error = $2, not_before = $3, updated_at = $4, attempts = attempts - $5 \
         WHERE id = $6 AND claimed_by = $7 AND state IN {from_states}"
    );
    let r = sqlx::query(&sql)
        .bind(f.state())
        .bind(f.error())
        .bind(not_before)
        .bind(now_ms)
        .bind(i64::from(*f == Finish::Unsent))
        .bind(id)
        .bind(holder)
        .execute(&mut **tx)
        .await?;
    if *f == Finish::Removed && r.rows_affected() == 1 {
        let row = sqlx::query(
            "SELECT s.channel, s.address FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id WHERE d.id = $1",
        )
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
        if let Some(row) = row {
            let channel = channel_column(&row, "channel")?;
            let address = open_text(keys, SUB_ADDRESS, row.get("address"))?;
            let to = Address {
                channel,
                id: &address,
            };
            unsubscribe_in(tx, keys, to, "removed", now_ms).await?;
        }
    }
    Ok(())
}
