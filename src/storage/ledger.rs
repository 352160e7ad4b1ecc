//! Appending to and verifying the hash chain. The encoding and chain rule
//! live in `privacy::ledger`; this module only moves rows.
use sqlx::Row;

use super::{Result, Store};
use crate::domain::tip::{EventKind, Priority, TipState};
use crate::privacy::ledger::{
    EntryKind, EventFacts, GENESIS, TipFacts, VerifyOutcome, canonical, chain_hash, content_hash,
};

/// Appends one entry inside the caller's transaction. The head row is updated
/// first, which takes the write lock and orders concurrent appenders.
pub(crate) async fn append_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    kind: EntryKind,
    subject_id: i64,
    tip_id: i64,
    content: &str,
    now_ms: i64,
) -> Result<String> {
    let head = sqlx::query("UPDATE ledger_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash")
        .fetch_one(&mut **tx)
        .await?;
    let seq: i64 = head.get("seq");
    let prev: String = head.get("hash");
    let hash = chain_hash(&prev, seq, content);
    sqlx::query("INSERT INTO ledger (seq, kind, subject_id, tip_id, content_hash, hash, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(seq)
        .bind(kind.as_str())
        .bind(subject_id)
        .bind(tip_id)
        .bind(content)
        .bind(&hash)
        .bind(now_ms)
        .execute(&mut **tx)
        .await?;
    sqlx::query("UPDATE ledger_head SET hash = $1 WHERE id = 1")
        .bind(&hash)
        .execute(&mut **tx)
        .await?;
    Ok(hash)
}

/// Content hash of a tip as stored now.
pub(crate) fn tip_content_hash(row: &sqlx::any::AnyRow, attachment_hashes: &[String]) -> String {
    let facts = TipFacts {
        reference: row.get("reference"),
        receipt_hash: row.get("receipt_hash"),
        category: row.get("category"),
        province_code: row.get("province_code"),
        ward_code: row.get("ward_code"),
        routed_unit: row.get("routed_unit"),
        informed_unit: row.get("informed_unit"),
        routing_reason: row.get("routing_reason"),
        reported_priority: row.get("reported_priority"),
        when_seen: row.get("when_seen"),
        description: row.get("description"),
        latitude: row.get("latitude"),
        longitude: row.get("longitude"),
        lang: row.get("lang"),
        channel: row.get("channel"),
        created_at: row.get("created_at"),
        attachment_hashes: attachment_hashes.iter().map(String::as_str).collect(),
    };
    content_hash(&canonical(EntryKind::Tip, &facts))
}

pub(crate) fn event_content_hash(
    event_id: i64,
    tip_reference: &str,
    row: &sqlx::any::AnyRow,
) -> String {
    let facts = EventFacts {
        event_id,
        tip_reference,
        kind: row.get("kind"),
        actor: row.get("actor"),
        value: row.get("value"),
        body: row.get("body"),
        created_at: row.get("created_at"),
    };
    content_hash(&canonical(EntryKind::Event, &facts))
}

const TIP_COLUMNS: &str = "id, reference, receipt_hash, category, province_code, ward_code, routed_unit, informed_unit, \
    routing_reason, reported_priority, when_seen, description, latitude, longitude, lang, channel, created_at, \
    unit, status, resolution, priority";

impl Store {
    pub(crate) async fn attachment_hashes(&self, tip_id: i64) -> Result<Vec<String>> {
        let rows = sqlx::query("SELECT sha256 FROM attachments WHERE tip_id = $1 ORDER BY sha256")
            .bind(tip_id)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(|r| r.get("sha256")).collect())
    }

    /// Walks the whole chain: every link, every subject's content, and every
    /// tip's current status/unit/priority against its ledgered events.
    pub async fn verify_ledger(&self) -> Result<VerifyOutcome> {
        let mut prev = GENESIS.to_string();
        let mut checked = 0u64;
        let mut last_seq = 0i64;
        let mut expected: std::collections::BTreeMap<i64, (String, TipState)> = Default::default();
        loop {
            let entries = sqlx::query("SELECT seq, kind, subject_id, tip_id, content_hash, hash FROM ledger WHERE seq > $1 ORDER BY seq LIMIT 1000")
                .bind(last_seq)
                .fetch_all(&self.pool)
                .await?;
            if entries.is_empty() {
                break;
            }
            for e in &entries {
                let seq: i64 = e.get("seq");
                let kind: String = e.get("kind");
                let subject: i64 = e.get("subject_id");
                let tip_id: i64 = e.get("tip_id");
                let stored_content: String = e.get("content_hash");
                let stored_hash: String = e.get("hash");
                let broken = |problem: &str, subject: String| {
                    Ok(VerifyOutcome::Broken {
                        seq,
                        subject,
                        problem: problem.to_string(),
                    })
                };
                if seq != last_seq + 1 {
                    return broken(
                        "sequence gap: an entry was removed",
                        format!("entry #{}", last_seq + 1),
                    );
                }
                let (label, content) = match kind.as_str() {
                    "tip" => match self.tip_content(subject).await? {
                        TipContent::Present {
                            reference,
                            hash,
                            unit,
                            priority,
                        } => {
                            expected.insert(
                                subject,
                                (reference.clone(), TipState::reported(&unit, priority)),
                            );
                            (format!("tip {reference}"), hash)
                        }
                        TipContent::Purged(reference) => {
                            (format!("tip {reference} (purged)"), stored_content.clone())
                        }
                        TipContent::Missing => {
                            return broken("tip row is missing", format!("tip id {subject}"));
                        }
                    },
                    "event" => match self.event_content(subject).await? {
                        Some((tip_id, reference, hash, kind, value)) => {
                            if let (Some((_, state)), Some(k)) =
                                (expected.get_mut(&tip_id), EventKind::parse(&kind))
                            {
                                state.apply(k, &value);
                            }
                            (format!("event {subject} of tip {reference}"), hash)
                        }
                        None if self.is_purged(tip_id).await? => {
                            (format!("event {subject} (purged)"), stored_content.clone())
                        }
                        None => {
                            return broken("event row is missing", format!("event id {subject}"));
                        }
                    },
                    other => {
                        return broken(
                            &format!("unknown entry kind {other:?}"),
                            format!("entry #{seq}"),
                        );
                    }
                };
                if content != stored_content {
                    return broken(
                        "content does not match its ledger entry (the record was changed)",
                        label,
                    );
                }
                if chain_hash(&prev, seq, &content) != stored_hash {
                    return broken("chain hash mismatch (the ledger was changed)", label);
                }
                prev = stored_hash;
                last_seq = seq;
                checked += 1;
            }
        }
        let head = sqlx::query("SELECT seq, hash FROM ledger_head WHERE id = 1")
            .fetch_one(&self.pool)
            .await?;
        if head.get::<i64, _>("seq") != last_seq || head.get::<String, _>("hash") != prev {
            return Ok(VerifyOutcome::Broken {
                seq: last_seq + 1,
                subject: "ledger head".into(),
                problem: "entries after the last one were removed".into(),
            });
        }
        for (tip_id, (reference, state)) in expected {
            if let Some(actual) = self.tip_state(tip_id).await?
                && actual != state
            {
                let seq = self.ledger_seq_of_tip(tip_id).await?;
                return Ok(VerifyOutcome::Broken {
                    seq,
                    subject: format!("tip {reference}"),
                    problem: format!(
                        "current state {actual:?} differs from its ledgered events {state:?}"
                    ),
                });
            }
        }
        Ok(VerifyOutcome::Intact { entries: checked })
    }

    async fn tip_content(&self, tip_id: i64) -> Result<TipContent> {
        let sql = format!("SELECT {TIP_COLUMNS} FROM tips WHERE id = $1");
        match sqlx::query(&sql)
            .bind(tip_id)
            .fetch_optional(&self.pool)
            .await?
        {
            Some(row) => {
                let hashes = self.attachment_hashes(tip_id).await?;
                let priority = Priority::parse(&row.get::<String, _>("reported_priority"))
                    .unwrap_or(Priority::Normal);
                Ok(TipContent::Present {
                    reference: row.get("reference"),
                    hash: tip_content_hash(&row, &hashes),
                    unit: row.get("routed_unit"),
                    priority,
                })
            }
            None => {
                let purged = sqlx::query("SELECT reference FROM purged_tips WHERE tip_id = $1")
                    .bind(tip_id)
                    .fetch_optional(&self.pool)
                    .await?;
                Ok(purged.map_or(TipContent::Missing, |r| {
                    TipContent::Purged(r.get("reference"))
                }))
            }
        }
    }

    async fn event_content(
        &self,
        event_id: i64,
    ) -> Result<Option<(i64, String, String, String, String)>> {
        let row = sqlx::query(
            "SELECT e.tip_id, t.reference, e.kind, e.actor, e.value, e.body, e.created_at FROM tip_events e JOIN tips t ON t.id = e.tip_id WHERE e.id = $1",
        )
        .bind(event_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| {
            let reference: String = r.get("reference");
            let hash = event_content_hash(event_id, &reference, &r);
            (
                r.get("tip_id"),
                reference,
                hash,
                r.get("kind"),
                r.get("value"),
            )
        }))
    }

    /// Events are purged with their tip; the tip's purge record vouches for them.
    async fn is_purged(&self, tip_id: i64) -> Result<bool> {
        let row = sqlx::query("SELECT tip_id FROM purged_tips WHERE tip_id = $1")
            .bind(tip_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.is_some())
    }

    async fn tip_state(&self, tip_id: i64) -> Result<Option<TipState>> {
        let row = sqlx::query("SELECT unit, status, resolution, priority FROM tips WHERE id = $1")
            .bind(tip_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| {
            let mut s = TipState::reported(
                &r.get::<String, _>("unit"),
                Priority::parse(&r.get::<String, _>("priority")).unwrap_or(Priority::Low),
            );
            let status: String = r.get("status");
            let resolution: Option<String> = r.get("resolution");
            s.apply(
                EventKind::Status,
                &format!("{status}:{}", resolution.unwrap_or_default()),
            );
            s
        }))
    }

    async fn ledger_seq_of_tip(&self, tip_id: i64) -> Result<i64> {
        let row = sqlx::query("SELECT seq FROM ledger WHERE kind = 'tip' AND subject_id = $1")
            .bind(tip_id)
            .fetch_one(&self.pool)
            .await?;
        Ok(row.get("seq"))
    }
}

enum TipContent {
    Present {
        reference: String,
        hash: String,
        unit: String,
        priority: Priority,
    },
    Purged(String),
    Missing,
}
