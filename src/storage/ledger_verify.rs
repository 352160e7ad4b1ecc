//! `ledger verify`: walks the chain in batches (never the whole ledger in
//! memory), checks every link, every checkpoint kept outside the database and
//! every purge; then `ledger_rows` checks rows and entries against each other.
use std::collections::HashSet;

use sqlx::Row;

use super::{Result, Store};
use crate::privacy::checkpoint::AnchoredCheckpoint;
use crate::privacy::ledger::{
    EntryKind, GENESIS, PurgeFacts, VerifyOutcome, canonical, chain_hash, content_hash,
};
use crate::privacy::purge::purge_problem;

const BATCH: i64 = 5_000;

/// One ledger row as the chain walk reads it.
pub(crate) struct Entry {
    pub seq: i64,
    pub kind: String,
    pub tip_id: i64,
    pub content_hash: String,
    pub hash: String,
    pub created_at: i64,
}

/// A problem found: the entry (0 when a row has no entry), what, and why.
pub(crate) type Broken = (i64, String, String);

pub(crate) fn broken(seq: i64, subject: impl Into<String>, problem: impl Into<String>) -> Broken {
    (seq, subject.into(), problem.into())
}

/// What the chain walk hands to the row checks.
pub(crate) struct Walked {
    pub entries: u64,
    /// Tips whose purge entry checked out: their missing rows are accounted for.
    pub purged: HashSet<i64>,
}

impl Store {
    /// The whole check without outside checkpoints.
    pub async fn verify_ledger(&self) -> Result<VerifyOutcome> {
        self.verify_ledger_against(&[], i64::MAX).await
    }

    /// The whole check: chain, `checkpoints` (read from outside the database),
    /// purges (none dated after `now_ms`), then rows against entries.
    pub async fn verify_ledger_against(
        &self,
        checkpoints: &[AnchoredCheckpoint],
        now_ms: i64,
    ) -> Result<VerifyOutcome> {
        let outcome = match self.walk_chain(checkpoints, now_ms).await? {
            Err(b) => Err(b),
            Ok(walked) => self.check_rows(&walked).await?.map(|()| walked.entries),
        };
        Ok(match outcome {
            Ok(entries) => VerifyOutcome::Intact { entries },
            Err((seq, subject, problem)) => VerifyOutcome::Broken {
                seq,
                subject,
                problem,
            },
        })
    }

    async fn walk_chain(
        &self,
        checkpoints: &[AnchoredCheckpoint],
        now_ms: i64,
    ) -> Result<std::result::Result<Walked, Broken>> {
        let mut pending: Vec<&AnchoredCheckpoint> = checkpoints.iter().collect();
        pending.sort_by_key(|c| c.checkpoint.seq);
        let mut pending = pending.into_iter().peekable();
        let mut walked = Walked {
            entries: 0,
            purged: HashSet::new(),
        };
        let (mut prev, mut last_seq) = (GENESIS.to_string(), 0i64);
        // The newest sequence number a checkpoint confirmed: a rewrite lies after it.
        let mut anchored = 0i64;
        loop {
            while let Some(c) = pending.next_if(|c| c.checkpoint.seq <= last_seq) {
                if c.checkpoint.seq < last_seq || c.checkpoint.head != prev {
                    return Ok(Err(rewritten(c, anchored, &prev)));
                }
                anchored = last_seq;
            }
            let batch = self.ledger_batch(last_seq).await?;
            if batch.is_empty() {
                break;
            }
            for e in batch {
                if e.seq != last_seq + 1 {
                    let gap = format!("entry #{}", last_seq + 1);
                    return Ok(Err(broken(
                        last_seq + 1,
                        gap,
                        "sequence gap: an entry was removed",
                    )));
                }
                if let Some(c) = pending.peek().filter(|c| c.checkpoint.seq < e.seq) {
                    return Ok(Err(rewritten(c, anchored, &prev)));
                }
                if let Some(b) = self.check_entry(&e, &prev, now_ms, &mut walked).await? {
                    return Ok(Err(b));
                }
                if let Some(c) = pending.peek().filter(|c| c.checkpoint.seq == e.seq) {
                    if c.checkpoint.head != e.hash {
                        return Ok(Err(rewritten(c, anchored, &e.hash)));
                    }
                    anchored = e.seq;
                    pending.next();
                }
                prev = e.hash;
                last_seq = e.seq;
                walked.entries += 1;
            }
        }
        if let Some(b) = self
            .check_chain_end(pending.next(), last_seq, &prev)
            .await?
        {
            return Ok(Err(b));
        }
        Ok(Ok(walked))
    }

    /// One entry against the chain so far: its link, its kind, and for a purge
    /// whether the purge was allowed. `Some` is the first break.
    async fn check_entry(
        &self,
        e: &Entry,
        prev: &str,
        now_ms: i64,
        walked: &mut Walked,
    ) -> Result<Option<Broken>> {
        let label = format!("entry #{} ({})", e.seq, e.kind);
        if chain_hash(prev, e.seq, &e.content_hash) != e.hash {
            let problem = "chain hash mismatch (the ledger was changed)";
            return Ok(Some(broken(e.seq, label, problem)));
        }
        match EntryKind::parse(&e.kind) {
            None => {
                let problem = format!("unknown entry kind {:?}", e.kind);
                Ok(Some(broken(e.seq, label, problem)))
            }
            Some(EntryKind::Purge) => {
                if let Some(problem) = self.check_purge(e, now_ms).await? {
                    let subject = format!("purge of tip id {}", e.tip_id);
                    return Ok(Some(broken(e.seq, subject, problem)));
                }
                walked.purged.insert(e.tip_id);
                Ok(None)
            }
            Some(EntryKind::Tip | EntryKind::Event | EntryKind::Attachment | EntryKind::Audit) => {
                Ok(None)
            }
        }
    }

    /// After the last entry: no checkpoint may vouch for more entries than the
    /// chain has (truncation), and the stored head must be the last entry.
    async fn check_chain_end(
        &self,
        beyond: Option<&AnchoredCheckpoint>,
        last_seq: i64,
        prev: &str,
    ) -> Result<Option<Broken>> {
        if let Some(c) = beyond {
            return Ok(Some(broken(
                last_seq + 1,
                format!("entries after #{last_seq}"),
                format!(
                    "the chain ends at #{last_seq} but checkpoint {} vouches for #{}: entries were removed (truncation)",
                    c.origin, c.checkpoint.seq
                ),
            )));
        }
        let head = sqlx::query("SELECT seq, hash FROM ledger_head WHERE id = 1")
            .fetch_one(&self.pool)
            .await?;
        if head.get::<i64, _>("seq") != last_seq || head.get::<String, _>("hash") != prev {
            return Ok(Some(broken(
                last_seq + 1,
                "ledger head",
                "entries after the last one were removed",
            )));
        }
        Ok(None)
    }

    async fn ledger_batch(&self, after_seq: i64) -> Result<Vec<Entry>> {
        let rows = sqlx::query("SELECT seq, kind, tip_id, content_hash, hash, created_at FROM ledger WHERE seq > $1 ORDER BY seq LIMIT $2")
            .bind(after_seq)
            .bind(BATCH)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows
            .iter()
            .map(|r| Entry {
                seq: r.get("seq"),
                kind: r.get("kind"),
                tip_id: r.get("tip_id"),
                content_hash: r.get("content_hash"),
                hash: r.get("hash"),
                created_at: r.get("created_at"),
            })
            .collect())
    }

    /// A purge entry is sound when its record matches it, lists exactly the
    /// tip's earlier entries, proves the tip closed and past retention, and
    /// the tip's row is really gone.
    async fn check_purge(&self, e: &Entry, now_ms: i64) -> Result<Option<String>> {
        let row = sqlx::query("SELECT facts FROM purged_tips WHERE tip_id = $1")
            .bind(e.tip_id)
            .fetch_optional(&self.pool)
            .await?;
        let Some(facts) = row
            .map(|r| r.get::<String, _>("facts"))
            .and_then(|f| serde_json::from_str::<PurgeFacts>(&f).ok())
        else {
            return Ok(Some("the purge record is missing or unreadable".into()));
        };
        if content_hash(&canonical(EntryKind::Purge, &facts)) != e.content_hash
            || facts.tip_id != e.tip_id
            || facts.purged_at != e.created_at
        {
            return Ok(Some(
                "the purge record does not match its entry (it was changed)".into(),
            ));
        }
        if facts.purged_at > now_ms {
            return Ok(Some("the purge is dated in the future".into()));
        }
        if let Some(problem) = self.removed_entries_problem(e, &facts).await? {
            return Ok(Some(problem));
        }
        if let Some(problem) = purge_problem(&facts, self.retention_in_force(e.seq).await?) {
            return Ok(Some(problem));
        }
        let still_there = sqlx::query("SELECT id FROM tips WHERE id = $1")
            .bind(e.tip_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(still_there.map(|_| "the tip is still present after its purge".into()))
    }

    /// The purge must list every earlier entry of the tip, and the event
    /// skeletons it keeps must hash to the event entries.
    async fn removed_entries_problem(
        &self,
        e: &Entry,
        facts: &PurgeFacts,
    ) -> Result<Option<String>> {
        let rows = sqlx::query("SELECT seq, kind, content_hash FROM ledger WHERE tip_id = $1 AND kind <> 'purge' ORDER BY seq")
            .bind(e.tip_id)
            .fetch_all(&self.pool)
            .await?;
        let listed: Vec<(i64, String)> = facts
            .removed
            .iter()
            .map(|r| (r.seq, r.content_hash.clone()))
            .collect();
        let found: Vec<(i64, String)> = rows
            .iter()
            .map(|r| (r.get("seq"), r.get("content_hash")))
            .collect();
        if listed != found || found.iter().any(|(seq, _)| *seq > e.seq) {
            return Ok(Some(
                "its list of removed entries does not match the tip's entries".into(),
            ));
        }
        let event_hashes = rows
            .iter()
            .filter(|r| r.get::<&str, _>("kind") == EntryKind::Event.as_str())
            .map(|r| r.get::<String, _>("content_hash"));
        let kept = facts.events.iter().map(super::ledger::event_content_hash);
        if !event_hashes.eq(kept) {
            return Ok(Some(
                "its event skeletons do not hash to the tip's event entries".into(),
            ));
        }
        Ok(None)
    }

    /// The newest retention an admin set (ledgered as an audit entry) before `seq`.
    async fn retention_in_force(&self, seq: i64) -> Result<Option<i64>> {
        let row = sqlx::query("SELECT a.detail FROM audit_log a JOIN ledger l ON l.kind = 'audit' AND l.subject_id = a.id \
             WHERE a.action = 'settings' AND l.seq < $1 ORDER BY l.seq DESC LIMIT 1")
            .bind(seq)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.and_then(|r| {
            let detail: String = r.get("detail");
            detail
                .split_whitespace()
                .find_map(|kv| kv.strip_prefix("retention_days="))
                .and_then(|d| d.parse().ok())
        }))
    }
}

fn rewritten(c: &AnchoredCheckpoint, anchored: i64, ours: &str) -> Broken {
    broken(
        anchored + 1,
        format!("entries #{}..#{}", anchored + 1, c.checkpoint.seq),
        format!(
            "checkpoint {} says the head at #{} is {}, but the chain gives {ours}: an entry from #{} on was rewritten, removed or reordered",
            c.origin,
            c.checkpoint.seq,
            c.checkpoint.head,
            anchored + 1
        ),
    )
}
