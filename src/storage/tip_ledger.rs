//! A quick check of one tip's ledger entries for its detail page: each entry's
//! content matches the rows and links to the entry before it. The full chain
//! walk (coverage, replay, checkpoints) stays with `ledger verify`.
use sqlx::Row;

use super::ledger::{
    TIP_FACT_COLUMNS, attachment_content_hash, event_content_hash, event_facts, tip_content_hash,
};
use super::ledger_rows::unopened_never_matches;
use super::{Result, Store};
use crate::privacy::ledger::{EntryKind, GENESIS, chain_hash};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TipLedgerStatus {
    Intact {
        entries: usize,
    },
    /// Which entry failed, and how.
    Broken {
        seq: i64,
        problem: &'static str,
    },
}

impl Store {
    pub async fn verify_tip_ledger(&self, tip_id: i64) -> Result<TipLedgerStatus> {
        let entries = sqlx::query("SELECT seq, kind, subject_id, subject_key, content_hash, hash FROM ledger WHERE tip_id = $1 ORDER BY seq")
            .bind(tip_id)
            .fetch_all(&self.pool)
            .await?;
        for e in &entries {
            let seq: i64 = e.get("seq");
            let stored: String = e.get("content_hash");
            let content = match EntryKind::parse(e.get("kind")) {
                Some(kind) => self.current_content(kind, e).await?,
                None => None,
            };
            let Some(content) = content else {
                return Ok(TipLedgerStatus::Broken {
                    seq,
                    problem: "the entry's row is missing",
                });
            };
            if content != stored {
                return Ok(TipLedgerStatus::Broken {
                    seq,
                    problem: "content does not match its ledger entry",
                });
            }
            let Some(prev) = self.entry_hash_before(seq).await? else {
                return Ok(TipLedgerStatus::Broken {
                    seq,
                    problem: "the entry before it is missing",
                });
            };
            if chain_hash(&prev, seq, &content) != e.get::<String, _>("hash") {
                return Ok(TipLedgerStatus::Broken {
                    seq,
                    problem: "chain hash mismatch",
                });
            }
        }
        Ok(TipLedgerStatus::Intact {
            entries: entries.len(),
        })
    }

    /// The content hash of the entry's row as stored now, if the row exists.
    async fn current_content(
        &self,
        kind: EntryKind,
        e: &sqlx::any::AnyRow,
    ) -> Result<Option<String>> {
        let subject: i64 = e.get("subject_id");
        Ok(match kind {
            EntryKind::Tip => {
                let sql = format!("SELECT {TIP_FACT_COLUMNS} FROM tips WHERE id = $1");
                match sqlx::query(&sql).bind(subject).fetch_optional(&self.pool).await? {
                    Some(r) => Some(unopened_never_matches(tip_content_hash(
                        &self.keys,
                        &r,
                        &self.attachment_hashes(subject).await?,
                    ))),
                    None => None,
                }
            }
            EntryKind::Event => sqlx::query(
                "SELECT e.kind, e.actor, e.value, e.body, e.created_at, t.reference FROM tip_events e JOIN tips t ON t.id = e.tip_id WHERE e.id = $1",
            )
            .bind(subject)
            .fetch_optional(&self.pool)
            .await?
            .map(|r| {
                let facts = event_facts(&self.keys, subject, r.get("reference"), &r);
                unopened_never_matches(facts.map(|f| event_content_hash(&f)))
            }),
            EntryKind::Attachment => sqlx::query(
                "SELECT a.id, a.sha256, a.content_type, a.size, a.created_at, t.reference FROM attachments a JOIN tips t ON t.id = a.tip_id WHERE a.tip_id = $1 AND a.id = $2",
            )
            .bind(subject)
            .bind(e.get::<String, _>("subject_key"))
            .fetch_optional(&self.pool)
            .await?
            .map(|r| attachment_content_hash(&r, r.get("reference"))),
            // A tip being shown has not been purged, and audit entries carry no tip.
            EntryKind::Purge | EntryKind::Audit => None,
        })
    }

    async fn entry_hash_before(&self, seq: i64) -> Result<Option<String>> {
        if seq == 1 {
            return Ok(Some(GENESIS.to_string()));
        }
        Ok(sqlx::query("SELECT hash FROM ledger WHERE seq = $1")
            .bind(seq - 1)
            .fetch_optional(&self.pool)
            .await?
            .map(|r| r.get("hash")))
    }

    pub(crate) async fn attachment_hashes(&self, tip_id: i64) -> Result<Vec<String>> {
        let rows = sqlx::query("SELECT sha256 FROM attachments WHERE tip_id = $1 ORDER BY sha256")
            .bind(tip_id)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(|r| r.get("sha256")).collect())
    }
}
