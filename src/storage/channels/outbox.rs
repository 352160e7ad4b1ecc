//! The unit notification outbox, written in the tip's transaction and
//! drained by the notifier (workers::notifications).
use sqlx::Row;

use crate::domain::effect::NewTip;
use crate::storage::stored_time::day_number;
use crate::storage::{Result, Store};

/// What a unit is told about: a new tip for it, a tip it is informed of, or a transfer to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    Routed,
    Informed,
    Transferred,
}

impl NoticeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NoticeKind::Routed => "routed",
            NoticeKind::Informed => "informed",
            NoticeKind::Transferred => "transferred",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "routed" => Some(NoticeKind::Routed),
            "informed" => Some(NoticeKind::Informed),
            "transferred" => Some(NoticeKind::Transferred),
            _ => None,
        }
    }
}

/// An outbox row claimed by one worker.
#[derive(Debug, Clone)]
pub struct PendingNotice {
    pub id: i64,
    pub tip_id: i64,
    pub unit: String,
    pub kind: String,
    pub attempts: i64,
}

/// The facts a unit notice may carry: never the description, never reporter data.
#[derive(Debug, Clone)]
pub struct NoticeFacts {
    pub reference: String,
    pub category: String,
    pub province_code: i64,
    pub ward_code: Option<i64>,
    pub priority: String,
}

impl Store {
    /// Claims up to `limit` due notices for `holder` until `until_ms`.
    pub async fn claim_unit_notices(
        &self,
        holder: &str,
        now_ms: i64,
        until_ms: i64,
        limit: i64,
    ) -> Result<Vec<PendingNotice>> {
        // A read first: an idle outbox must not take SQLite's write lock every poll.
        let due = sqlx::query(
            "SELECT id FROM unit_notifications WHERE done_at IS NULL AND next_attempt_at <= $1 AND claimed_until <= $2 LIMIT 1",
        )
        .bind(now_ms)
        .bind(now_ms)
        .fetch_optional(&self.pool)
        .await?;
        if due.is_none() {
            return Ok(Vec::new());
        }
        let _g = self.write_guard().await;
        // The outer conditions repeat the inner ones: PostgreSQL re-checks them
        // on rows another replica claimed meanwhile, so no row is taken twice.
        let rows = sqlx::query(
            "UPDATE unit_notifications SET claimed_by = $1, claimed_until = $2 \
             WHERE done_at IS NULL AND next_attempt_at <= $3 AND claimed_until <= $4 AND id IN \
             (SELECT id FROM unit_notifications WHERE done_at IS NULL AND next_attempt_at <= $5 AND claimed_until <= $6 ORDER BY id LIMIT $7) \
             RETURNING id, tip_id, unit, kind, attempts",
        )
        .bind(holder)
        .bind(until_ms)
        .bind(now_ms)
        .bind(now_ms)
        .bind(now_ms)
        .bind(now_ms)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let mut out: Vec<PendingNotice> = rows
            .iter()
            .map(|r| PendingNotice {
                id: r.get("id"),
                tip_id: r.get("tip_id"),
                unit: r.get("unit"),
                kind: r.get("kind"),
                attempts: r.get("attempts"),
            })
            .collect();
        out.sort_by_key(|n| n.id);
        Ok(out)
    }

    pub async fn notice_facts(&self, tip_id: i64) -> Result<Option<NoticeFacts>> {
        let row = sqlx::query("SELECT reference, category, province_code, ward_code, priority FROM tips WHERE id = $1")
            .bind(tip_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| NoticeFacts {
            reference: r.get("reference"),
            category: r.get("category"),
            province_code: r.get("province_code"),
            ward_code: r.get("ward_code"),
            priority: r.get("priority"),
        }))
    }

    /// Marks a notice done: `sent`, `no_group` or `failed`. The day only
    /// (see `stored_time`): the moment a notice went out is the moment its
    /// tip arrived, to the second.
    pub async fn finish_unit_notice(&self, id: i64, outcome: &str, now_ms: i64) -> Result<()> {
        let _g = self.write_guard().await;
        sqlx::query("UPDATE unit_notifications SET done_at = $1, outcome = $2, attempts = attempts + 1, claimed_by = '', claimed_until = 0 WHERE id = $3")
            .bind(day_number(now_ms))
            .bind(outcome)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Puts a notice back for another attempt at `next_at_ms`.
    pub async fn retry_unit_notice(&self, id: i64, next_at_ms: i64) -> Result<()> {
        let _g = self.write_guard().await;
        sqlx::query("UPDATE unit_notifications SET attempts = attempts + 1, next_attempt_at = $1, claimed_by = '', claimed_until = 0 WHERE id = $2")
            .bind(next_at_ms)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Moves the dashboard's transfer notices (migration 0003) into this
    /// outbox, so they get the same lease, retries and rendering. Each row is
    /// marked delivered and enqueued in one transaction; the conditional
    /// UPDATE lets exactly one replica adopt a row.
    pub async fn adopt_transfer_notices(&self, now_ms: i64, limit: i64) -> Result<usize> {
        let pending = sqlx::query(
            "SELECT id, unit, tip_id, kind FROM transfer_notices WHERE delivered_at IS NULL ORDER BY id LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        if pending.is_empty() {
            return Ok(0);
        }
        let _g = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        let mut adopted = 0;
        for r in &pending {
            let id: i64 = r.get("id");
            let taken = sqlx::query(
                "UPDATE transfer_notices SET delivered_at = $1 WHERE id = $2 AND delivered_at IS NULL",
            )
            .bind(day_number(now_ms))
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if taken == 1 {
                let kind = match r.get::<String, _>("kind").as_str() {
                    "transfer" => NoticeKind::Transferred,
                    _ => NoticeKind::Routed,
                };
                let unit: String = r.get("unit");
                enqueue_unit_notice_in(&mut tx, r.get("tip_id"), &unit, kind, now_ms).await?;
                adopted += 1;
            }
        }
        tx.commit().await?;
        Ok(adopted)
    }

    /// (outcome, count) of finished notices, and pending ones as "pending": for tests and health.
    pub async fn unit_notice_counts(&self) -> Result<Vec<(String, i64)>> {
        let rows = sqlx::query("SELECT COALESCE(outcome, 'pending') AS o, COUNT(*) AS n FROM unit_notifications GROUP BY COALESCE(outcome, 'pending') ORDER BY 1")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(|r| (r.get("o"), r.get("n"))).collect())
    }
}

/// Queues the notices a new tip causes, inside the tip's own transaction:
/// one for the unit it is routed to, one for a unit kept informed.
pub(crate) async fn enqueue_tip_notices_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    tip_id: i64,
    tip: &NewTip,
) -> Result<()> {
    enqueue_unit_notice_in(
        tx,
        tip_id,
        tip.routing.unit.as_str(),
        NoticeKind::Routed,
        tip.created_at,
    )
    .await?;
    if let Some(informed) = &tip.routing.informed {
        enqueue_unit_notice_in(
            tx,
            tip_id,
            informed.as_str(),
            NoticeKind::Informed,
            tip.created_at,
        )
        .await?;
    }
    Ok(())
}

/// Queues one notice; the dashboard calls this with `Transferred` when an officer transfers a tip.
/// It is stored with its day and is due at once (attempt time 0), so no
/// value of the row equals or pins down its tip's or event's time.
pub async fn enqueue_unit_notice_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    tip_id: i64,
    unit: &str,
    kind: NoticeKind,
    now_ms: i64,
) -> Result<()> {
    sqlx::query("INSERT INTO unit_notifications (tip_id, unit, kind, created_at, next_attempt_at) VALUES ($1, $2, $3, $4, 0)")
        .bind(tip_id)
        .bind(unit)
        .bind(kind.as_str())
        .bind(day_number(now_ms))
        .execute(&mut **tx)
        .await?;
    Ok(())
}
