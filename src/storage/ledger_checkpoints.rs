//! Checkpoints this server published, kept only so the dashboard can show
//! which checkpoint covers a tip. `ledger verify` never reads this table: it
//! trusts only copies kept outside the database.
use sqlx::Row;

use super::{Result, Store};
use crate::privacy::checkpoint::Checkpoint;

impl Store {
    /// The chain's head: (sequence number, hash).
    pub async fn ledger_head(&self) -> Result<(i64, String)> {
        let r = sqlx::query("SELECT seq, hash FROM ledger_head WHERE id = 1")
            .fetch_one(&self.pool)
            .await?;
        Ok((r.get("seq"), r.get("hash")))
    }

    pub async fn record_checkpoint(&self, c: &Checkpoint, line: &str) -> Result<()> {
        let _g = self.write_guard().await;
        sqlx::query(
            "INSERT INTO ledger_checkpoints (seq, head, signed_at, line) VALUES ($1, $2, $3, $4)",
        )
        .bind(c.seq)
        .bind(&c.head)
        .bind(c.signed_at)
        .bind(line)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// When the newest checkpoint was signed, if any.
    pub async fn newest_checkpoint_at(&self) -> Result<Option<i64>> {
        let r = sqlx::query("SELECT MAX(signed_at) AS at FROM ledger_checkpoints")
            .fetch_one(&self.pool)
            .await?;
        Ok(r.get("at"))
    }

    /// The newest checkpoint whose sequence number reaches the tip's last
    /// entry, i.e. that pins everything recorded about the tip so far.
    pub async fn newest_checkpoint_covering(&self, tip_id: i64) -> Result<Option<Checkpoint>> {
        let r = sqlx::query("SELECT c.seq, c.head, c.signed_at FROM ledger_checkpoints c \
             WHERE c.seq >= (SELECT COALESCE(MAX(seq), 0) FROM ledger WHERE tip_id = $1) ORDER BY c.seq DESC, c.id DESC LIMIT 1")
            .bind(tip_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(r.map(|r| Checkpoint {
            seq: r.get("seq"),
            head: r.get("head"),
            signed_at: r.get("signed_at"),
        }))
    }
}
