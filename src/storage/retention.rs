//! The retention purge: closed tips older than the retention period are
//! deleted with their events and attachments. A `purged_tips` row is written in
//! the same transaction, so `ledger verify` keeps accepting their entries.
use sqlx::Row;

use super::{Result, Store};

impl Store {
    /// Deletes up to `batch` tips closed before `cutoff_ms`; returns how many went.
    pub async fn purge_closed_tips(&self, cutoff_ms: i64, batch: i64, now_ms: i64) -> Result<u64> {
        let _g = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        let rows = sqlx::query("SELECT id, reference FROM tips WHERE status = 'closed' AND closed_at < $1 ORDER BY closed_at LIMIT $2")
            .bind(cutoff_ms)
            .bind(batch)
            .fetch_all(&mut *tx)
            .await?;
        for r in &rows {
            let id: i64 = r.get("id");
            let reference: String = r.get("reference");
            sqlx::query(
                "INSERT INTO purged_tips (tip_id, reference, purged_at) VALUES ($1, $2, $3)",
            )
            .bind(id)
            .bind(&reference)
            .bind(now_ms)
            .execute(&mut *tx)
            .await?;
            // Children first: PostgreSQL cascades, but SQLite only does when
            // foreign keys are on for that connection; be explicit on both.
            for sql in [
                "DELETE FROM tip_events WHERE tip_id = $1",
                "DELETE FROM attachments WHERE tip_id = $1",
                "DELETE FROM transfer_notices WHERE tip_id = $1",
                "DELETE FROM tips WHERE id = $1",
            ] {
                sqlx::query(sql).bind(id).execute(&mut *tx).await?;
            }
        }
        tx.commit().await?;
        Ok(rows.len() as u64)
    }
}
