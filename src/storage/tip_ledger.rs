//! A quick check of one tip's ledger entries for its detail page: each entry's
//! content matches the rows and links to the entry before it. The full chain
//! walk stays with `ledger verify`.
use sqlx::Row;

use super::ledger::{event_content_hash, tip_content_hash};
use super::{Result, Store};
use crate::privacy::ledger::{GENESIS, chain_hash};

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
        let entries = sqlx::query("SELECT seq, kind, subject_id, content_hash, hash FROM ledger WHERE tip_id = $1 ORDER BY seq")
            .bind(tip_id)
            .fetch_all(&self.pool)
            .await?;
        for e in &entries {
            let seq: i64 = e.get("seq");
            let subject: i64 = e.get("subject_id");
            let stored: String = e.get("content_hash");
            let content = match e.get::<String, _>("kind").as_str() {
                "tip" => {
                    let row = sqlx::query(
                        "SELECT reference, receipt_hash, category, province_code, ward_code, routed_unit, informed_unit, routing_reason, \
                         reported_priority, when_seen, description, latitude, longitude, lang, channel, created_at FROM tips WHERE id = $1",
                    )
                    .bind(subject)
                    .fetch_optional(&self.pool)
                    .await?;
                    match row {
                        Some(r) => tip_content_hash(&r, &self.attachment_hashes(subject).await?),
                        None => {
                            return Ok(TipLedgerStatus::Broken {
                                seq,
                                problem: "tip row is missing",
                            });
                        }
                    }
                }
                _ => {
                    let row = sqlx::query(
                        "SELECT e.kind, e.actor, e.value, e.body, e.created_at, t.reference FROM tip_events e JOIN tips t ON t.id = e.tip_id WHERE e.id = $1",
                    )
                    .bind(subject)
                    .fetch_optional(&self.pool)
                    .await?;
                    match row {
                        Some(r) => {
                            event_content_hash(subject, &r.get::<String, _>("reference"), &r)
                        }
                        None => {
                            return Ok(TipLedgerStatus::Broken {
                                seq,
                                problem: "event row is missing",
                            });
                        }
                    }
                }
            };
            if content != stored {
                return Ok(TipLedgerStatus::Broken {
                    seq,
                    problem: "content does not match its ledger entry",
                });
            }
            let prev = if seq == 1 {
                GENESIS.to_string()
            } else {
                match sqlx::query("SELECT hash FROM ledger WHERE seq = $1")
                    .bind(seq - 1)
                    .fetch_optional(&self.pool)
                    .await?
                {
                    Some(r) => r.get("hash"),
                    None => {
                        return Ok(TipLedgerStatus::Broken {
                            seq,
                            problem: "the entry before it is missing",
                        });
                    }
                }
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
}
