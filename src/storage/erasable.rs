//! The message ids of a conversation the reporter may erase from their chat
//! (issue 13). Only ids, under the session's keyed hash and with the day
//! they were sent: no text, no chat id, no time a tip could be lined up with.
//! They live until the conversation is erased or forgotten, and two days at
//! most ([`ERASABLE_DAYS`]), since Telegram deletes only within 48 hours.
use sqlx::Row;

use super::stored_time::day_number;
use super::{Result, Store};
use crate::privacy::keyed::SessionKey;

/// Rows of day `d` are purged once today is `d + ERASABLE_DAYS`: under 48 hours.
pub const ERASABLE_DAYS: i64 = 2;

impl Store {
    /// Remembers message ids of a conversation being kept for erasing.
    pub async fn remember_erasable(
        &self,
        owner: &SessionKey,
        ids: &[i64],
        now_ms: i64,
    ) -> Result<()> {
        if ids.is_empty() {
            return Ok(());
        }
        let _g = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        for id in ids {
            sqlx::query(
                "INSERT INTO erasable_messages (owner, message_id, day) VALUES ($1, $2, $3) \
                 ON CONFLICT (owner, message_id) DO NOTHING",
            )
            .bind(owner.as_str())
            .bind(*id)
            .bind(day_number(now_ms))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Takes (reads and deletes) a conversation's ids that may still be
    /// deleted, oldest first; older ones are dropped with them.
    pub async fn take_erasable(&self, owner: &SessionKey, now_ms: i64) -> Result<Vec<i64>> {
        let _g = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        let rows =
            sqlx::query("DELETE FROM erasable_messages WHERE owner = $1 RETURNING message_id, day")
                .bind(owner.as_str())
                .fetch_all(&mut *tx)
                .await?;
        tx.commit().await?;
        let oldest = day_number(now_ms) - ERASABLE_DAYS;
        let mut ids: Vec<i64> = rows
            .iter()
            .filter(|r| r.get::<i64, _>("day") > oldest)
            .map(|r| r.get::<i64, _>("message_id"))
            .collect();
        ids.sort_unstable();
        Ok(ids)
    }

    /// How many ids a conversation has remembered (for tests and checks).
    pub async fn erasable_count(&self, owner: &SessionKey) -> Result<i64> {
        let r = sqlx::query("SELECT COUNT(*) FROM erasable_messages WHERE owner = $1")
            .bind(owner.as_str())
            .fetch_one(&self.pool)
            .await?;
        Ok(r.get::<i64, _>(0))
    }
}

/// Forgets a conversation's ids without deleting anything, in a step's transaction.
pub(crate) async fn forget_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    owner: &SessionKey,
) -> Result<()> {
    sqlx::query("DELETE FROM erasable_messages WHERE owner = $1")
        .bind(owner.as_str())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Drops ids too old to delete; run with the other channel purges.
pub(crate) async fn purge_old(pool: &sqlx::AnyPool, now_ms: i64) -> Result<u64> {
    let r = sqlx::query("DELETE FROM erasable_messages WHERE day <= $1")
        .bind(day_number(now_ms) - ERASABLE_DAYS)
        .execute(pool)
        .await?;
    Ok(r.rows_affected())
}
