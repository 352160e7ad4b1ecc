//! The retention purge: closed tips past the retention period are deleted
//! with their events and attachments, and each purge is itself a ledger
//! entry, written in the same transaction as the deletes. A crash leaves
//! either the tip and no purge entry, or the entry and no tip.
use sqlx::Row;

use super::ledger::{Subject, append_in, event_facts};
use super::{Result, StorageError, Store};
use crate::privacy::ledger::{EntryKind, PurgeFacts, RemovedEntry, canonical, content_hash};
use crate::privacy::purge::{DAY_MS, purge_problem};
use crate::privacy::seal::DataKeys;

impl Store {
    /// Purges up to `batch` tips closed more than `retention_days` before
    /// `now_ms`, in one transaction; returns how many went. A tip whose
    /// ledgered events do not bear the closing out is left alone and logged.
    pub async fn purge_closed_tips(
        &self,
        retention_days: i64,
        batch: i64,
        now_ms: i64,
    ) -> Result<u64> {
        let _g = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        let cutoff = now_ms.saturating_sub(retention_days.saturating_mul(DAY_MS));
        let rows = sqlx::query("SELECT id, reference FROM tips WHERE status = 'closed' AND closed_at < $1 ORDER BY closed_at, id LIMIT $2")
            .bind(cutoff)
            .bind(batch)
            .fetch_all(&mut *tx)
            .await?;
        let mut purged = 0;
        for r in &rows {
            let facts = match purge_facts_in(
                &mut tx,
                &self.keys,
                r.get("id"),
                r.get("reference"),
                retention_days,
                now_ms,
            )
            .await
            {
                Ok(facts) => facts,
                Err(StorageError::Sealed(e)) => {
                    let tip_id: i64 = r.get("id");
                    tracing::error!(tip_id, error = %e, "an event of this tip does not open; not purged (run `tipline ledger verify`)");
                    continue;
                }
                Err(e) => return Err(e),
            };
            if let Some(problem) = purge_problem(&facts, None) {
                tracing::error!(tip_id = facts.tip_id, %problem, "tip looks closed but its ledger disagrees; not purged (run `tipline ledger verify`)");
                continue;
            }
            purge_tip_in(&mut tx, &facts).await?;
            purged += 1;
        }
        tx.commit().await?;
        Ok(purged)
    }
}

/// What the purge entry records: the tip's entries and its event skeletons,
/// in ledger order.
async fn purge_facts_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    keys: &DataKeys,
    tip_id: i64,
    reference: String,
    retention_days: i64,
    now_ms: i64,
) -> Result<PurgeFacts> {
    let removed = sqlx::query(
        "SELECT seq, content_hash FROM ledger WHERE tip_id = $1 AND kind <> 'purge' ORDER BY seq",
    )
    .bind(tip_id)
    .fetch_all(&mut **tx)
    .await?
    .iter()
    .map(|r| RemovedEntry {
        seq: r.get("seq"),
        content_hash: r.get("content_hash"),
    })
    .collect();
    let events = sqlx::query("SELECT e.id, e.kind, e.actor, e.value, e.body, e.created_at FROM tip_events e \
         JOIN ledger l ON l.kind = 'event' AND l.subject_id = e.id WHERE e.tip_id = $1 ORDER BY l.seq")
        .bind(tip_id)
        .fetch_all(&mut **tx)
        .await?
        .iter()
        .map(|e| event_facts(keys, e.get("id"), &reference, e))
        .collect::<Result<_>>()?;
    Ok(PurgeFacts {
        tip_id,
        reference,
        // Ledger entries keep minute-rounded times (see `stored_time`).
        purged_at: super::stored_time::tip_time(now_ms),
        retention_days,
        removed,
        events,
    })
}

async fn purge_tip_in(tx: &mut sqlx::Transaction<'_, sqlx::Any>, facts: &PurgeFacts) -> Result<()> {
    let json =
        serde_json::to_string(facts).map_err(|e| super::StorageError::Corrupt(e.to_string()))?;
    sqlx::query(
        "INSERT INTO purged_tips (tip_id, reference, purged_at, facts) VALUES ($1, $2, $3, $4)",
    )
    .bind(facts.tip_id)
    .bind(&facts.reference)
    .bind(facts.purged_at)
    .bind(&json)
    .execute(&mut **tx)
    .await?;
    let content = content_hash(&canonical(EntryKind::Purge, facts));
    let subject = Subject::of(EntryKind::Purge, facts.tip_id, facts.tip_id);
    append_in(tx, subject, &content, facts.purged_at).await?;
    // Children first: PostgreSQL cascades, but SQLite only does when
    // foreign keys are on for that connection; be explicit on both.
    for sql in [
        "DELETE FROM tip_events WHERE tip_id = $1",
        "DELETE FROM tip_seen WHERE tip_id = $1",
        "DELETE FROM attachments WHERE tip_id = $1",
        "DELETE FROM transfer_notices WHERE tip_id = $1",
        "DELETE FROM tips WHERE id = $1",
    ] {
        sqlx::query(sql)
            .bind(facts.tip_id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}
