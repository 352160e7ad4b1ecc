//! Rows against entries, both ways, in batches: every tip, event, attachment,
//! audit row and purge record has exactly one entry whose content it matches,
//! every tip's mutable columns equal the replay of its events, and every entry
//! whose row is gone belongs to a tip with a sound purge.
use std::collections::HashMap;

use sqlx::Row;

use super::Store;
use super::ledger::{
    TIP_FACT_COLUMNS, attachment_content_hash, audit_content_hash, event_content_hash, event_facts,
    tip_content_hash,
};
use super::ledger_verify::{Broken, Walked, broken};
use crate::domain::replay::{ReplayedEvent, TipState};
use crate::domain::tip::{EventKind, Priority, Resolution, Status};

type Checked = super::Result<std::result::Result<(), Broken>>;

const TIP_BATCH: i64 = 500;
/// Attachments carry their bytes; read few at a time.
const ATTACHMENT_BATCH: i64 = 20;
const AUDIT_BATCH: i64 = 2_000;

/// The entry a row joined to (`LEFT JOIN ledger l`), if any.
fn entry_of(r: &sqlx::any::AnyRow) -> Option<(i64, String)> {
    let seq: Option<i64> = r.get("entry_seq");
    seq.map(|s| (s, r.get("entry_content")))
}

/// A sealed value that does not open: altered in the database, or sealed
/// under a key the key file does not hold. Reported as a changed record.
fn not_opened(entry: Option<(i64, String)>, label: &str, e: super::StorageError) -> Broken {
    let seq = entry.map_or(0, |x| x.0);
    broken(
        seq,
        label,
        format!("its sealed content does not open ({e}); the record was changed"),
    )
}

/// A content hash, or for a row whose sealed text does not open a value no
/// entry can hold: the row then fails [`matches`] like any changed record.
pub(crate) fn unopened_never_matches(content: super::Result<String>) -> String {
    content.unwrap_or_else(|e| format!("(sealed content does not open: {e})"))
}

/// `Err` unless the row has exactly one entry and its content matches.
/// `previous` is the key of the row before: a row joined to two entries
/// comes back twice in a row.
fn matches<K: PartialEq>(
    r: &sqlx::any::AnyRow,
    key: K,
    previous: &mut Option<K>,
    label: &str,
    content: &str,
) -> std::result::Result<i64, Broken> {
    let Some((seq, stored)) = entry_of(r) else {
        return Err(broken(
            0,
            label,
            "the row has no ledger entry (it was added behind the ledger's back)",
        ));
    };
    if previous.as_ref() == Some(&key) {
        return Err(broken(seq, label, "more than one entry for the same row"));
    }
    *previous = Some(key);
    if stored != content {
        return Err(broken(
            seq,
            label,
            "content does not match its ledger entry (the record was changed)",
        ));
    }
    Ok(seq)
}

impl Store {
    pub(crate) async fn check_rows(&self, walked: &Walked) -> Checked {
        if let Err(b) = self.check_tips().await? {
            return Ok(Err(b));
        }
        if let Err(b) = self.check_attachments().await? {
            return Ok(Err(b));
        }
        if let Err(b) = self.check_audit().await? {
            return Ok(Err(b));
        }
        self.check_orphans(walked).await
    }

    async fn check_tips(&self) -> Checked {
        let mut after = 0i64;
        loop {
            let facts: Vec<String> = TIP_FACT_COLUMNS
                .split(',')
                .map(|c| format!("t.{}", c.trim()))
                .collect();
            let sql = format!(
                "SELECT t.id, {},  t.unit, t.status, t.resolution, t.priority, t.labels, t.duplicate_of, \
                 t.first_response_at, t.closed_at, t.outcome, o.username AS assignee_name, l.seq AS entry_seq, l.content_hash AS entry_content \
                 FROM tips t LEFT JOIN officers o ON o.id = t.assignee_id \
                 LEFT JOIN ledger l ON l.kind = 'tip' AND l.subject_id = t.id AND l.subject_key = '' \
                 WHERE t.id > $1 ORDER BY t.id, l.seq LIMIT $2",
                facts.join(", ")
            );
            let tips = sqlx::query(&sql)
                .bind(after)
                .bind(TIP_BATCH)
                .fetch_all(&self.pool)
                .await?;
            let Some(last) = tips.last() else {
                // Events above the last tip id belong to no tip.
                return Ok(match self.events_between(after, i64::MAX).await?.first() {
                    Some(e) => Err(broken(
                        entry_of(e).map_or(0, |x| x.0),
                        format!("event {}", e.get::<i64, _>("id")),
                        "the event belongs to no tip",
                    )),
                    None => Ok(()),
                });
            };
            let hi: i64 = last.get("id");
            let hashes = self.attachment_hashes_between(after, hi).await?;
            let mut events = self.events_between(after, hi).await?.into_iter().peekable();
            let mut previous = None;
            for t in &tips {
                let id: i64 = t.get("id");
                let reference: String = t.get("reference");
                let label = format!("tip {reference}");
                let hashes = hashes.get(&id).map_or(&[][..], Vec::as_slice);
                let content = unopened_never_matches(tip_content_hash(&self.keys, t, hashes));
                let seq = match matches(t, id, &mut previous, &label, &content) {
                    Ok(seq) => seq,
                    Err(b) => return Ok(Err(b)),
                };
                let state = match replay_events(&self.keys, t, id, &reference, &mut events) {
                    Ok(state) => state,
                    Err(b) => return Ok(Err(b)),
                };
                let column = match current_state(t) {
                    Ok(current) => state.first_difference(&current),
                    Err(column) => Some(column),
                };
                if let Some(column) = column {
                    return Ok(Err(broken(
                        seq,
                        label,
                        format!(
                            "its {column} differs from what its ledgered events say (changed directly in the database)"
                        ),
                    )));
                }
            }
            if let Some(e) = events.next() {
                let label = format!("event {}", e.get::<i64, _>("id"));
                return Ok(Err(broken(
                    entry_of(&e).map_or(0, |x| x.0),
                    label,
                    "the event belongs to no tip",
                )));
            }
            after = hi;
        }
    }

    async fn attachment_hashes_between(
        &self,
        lo: i64,
        hi: i64,
    ) -> super::Result<HashMap<i64, Vec<String>>> {
        let rows = sqlx::query("SELECT tip_id, sha256 FROM attachments WHERE tip_id > $1 AND tip_id <= $2 ORDER BY tip_id, sha256")
            .bind(lo)
            .bind(hi)
            .fetch_all(&self.pool)
            .await?;
        let mut out: HashMap<i64, Vec<String>> = HashMap::new();
        for r in rows {
            out.entry(r.get("tip_id"))
                .or_default()
                .push(r.get("sha256"));
        }
        Ok(out)
    }

    /// Events of tips in (lo, hi], in ledger order; events of missing tips
    /// in that range come along and are reported.
    async fn events_between(&self, lo: i64, hi: i64) -> super::Result<Vec<sqlx::any::AnyRow>> {
        Ok(sqlx::query("SELECT e.id, e.tip_id, e.kind, e.actor, e.value, e.body, e.created_at, l.seq AS entry_seq, l.content_hash AS entry_content \
             FROM tip_events e LEFT JOIN ledger l ON l.kind = 'event' AND l.subject_id = e.id AND l.subject_key = '' \
             WHERE e.tip_id > $1 AND e.tip_id <= $2 ORDER BY e.tip_id, l.seq, e.id")
            .bind(lo)
            .bind(hi)
            .fetch_all(&self.pool)
            .await?)
    }

    async fn check_attachments(&self) -> Checked {
        let mut after = String::new();
        loop {
            let rows = sqlx::query("SELECT a.id, a.tip_id, a.sha256, a.content_type, a.size, a.bytes, a.created_at, t.reference, \
                 l.seq AS entry_seq, l.content_hash AS entry_content FROM attachments a LEFT JOIN tips t ON t.id = a.tip_id \
                 LEFT JOIN ledger l ON l.kind = 'attachment' AND l.subject_id = a.tip_id AND l.subject_key = a.id \
                 WHERE a.tip_id IS NOT NULL AND a.id > $1 ORDER BY a.id, l.seq LIMIT $2")
                .bind(&after)
                .bind(ATTACHMENT_BATCH)
                .fetch_all(&self.pool)
                .await?;
            let Some(last) = rows.last() else {
                return Ok(Ok(()));
            };
            after = last.get("id");
            let mut previous = None;
            for a in &rows {
                let id: String = a.get("id");
                let Some(reference) = a.get::<Option<String>, _>("reference") else {
                    return Ok(Err(broken(
                        entry_of(a).map_or(0, |x| x.0),
                        format!("attachment {id}"),
                        "the attachment belongs to no tip",
                    )));
                };
                let label = format!("attachment {id} of tip {reference}");
                let content = attachment_content_hash(a, &reference);
                let seq = match matches(a, id.clone(), &mut previous, &label, &content) {
                    Ok(seq) => seq,
                    Err(b) => return Ok(Err(b)),
                };
                let bytes = match super::sealed::open_bytes(
                    &self.keys,
                    super::sealed::ATTACHMENT_BYTES,
                    a.get("bytes"),
                ) {
                    Ok(bytes) => bytes,
                    Err(e) => return Ok(Err(not_opened(entry_of(a), &label, e))),
                };
                if crate::privacy::ledger::bytes_digest(&bytes) != a.get::<String, _>("sha256") {
                    return Ok(Err(broken(
                        seq,
                        label,
                        "the stored bytes do not match their hash (the file was replaced)",
                    )));
                }
            }
        }
    }

    async fn check_audit(&self) -> Checked {
        let mut after = 0i64;
        loop {
            let rows = sqlx::query("SELECT a.id, a.officer_id, a.username, a.unit, a.tip_id, a.tip_reference, a.action, a.detail, a.created_at, \
                 l.seq AS entry_seq, l.content_hash AS entry_content FROM audit_log a \
                 LEFT JOIN ledger l ON l.kind = 'audit' AND l.subject_id = a.id AND l.subject_key = '' \
                 WHERE a.id > $1 ORDER BY a.id, l.seq LIMIT $2")
                .bind(after)
                .bind(AUDIT_BATCH)
                .fetch_all(&self.pool)
                .await?;
            let Some(last) = rows.last() else {
                return Ok(Ok(()));
            };
            after = last.get("id");
            let mut previous = None;
            for a in &rows {
                let id: i64 = a.get("id");
                let label = format!("audit row {id}");
                if let Err(b) = matches(a, id, &mut previous, &label, &audit_content_hash(a)) {
                    return Ok(Err(b));
                }
            }
        }
    }

    /// Entries whose row is gone (only a sound purge may explain them), rows
    /// of missing tips, purge records without an entry, and duplicate entries.
    async fn check_orphans(&self, walked: &Walked) -> Checked {
        let mut after = 0i64;
        loop {
            let rows = sqlx::query("SELECT l.seq, l.kind, l.subject_id, l.tip_id FROM ledger l WHERE l.seq > $1 AND ( \
                 (l.kind = 'tip' AND NOT EXISTS (SELECT 1 FROM tips t WHERE t.id = l.subject_id)) \
                 OR (l.kind = 'event' AND NOT EXISTS (SELECT 1 FROM tip_events e WHERE e.id = l.subject_id AND e.tip_id = l.tip_id)) \
                 OR (l.kind = 'attachment' AND NOT EXISTS (SELECT 1 FROM attachments a WHERE a.id = l.subject_key AND a.tip_id = l.subject_id)) \
                 OR (l.kind = 'audit' AND NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.id = l.subject_id))) \
                 ORDER BY l.seq LIMIT 1000")
                .bind(after)
                .fetch_all(&self.pool)
                .await?;
            let Some(last) = rows.last() else { break };
            after = last.get("seq");
            for r in &rows {
                let (seq, kind, tip_id): (i64, String, i64) =
                    (r.get("seq"), r.get("kind"), r.get("tip_id"));
                if kind == "audit" || !walked.purged.contains(&tip_id) {
                    let what = format!(
                        "{kind} id {} of tip id {tip_id}",
                        r.get::<i64, _>("subject_id")
                    );
                    return Ok(Err(broken(
                        seq,
                        what,
                        "its row is missing and no sound purge covers it",
                    )));
                }
            }
        }
        let unledgered = sqlx::query("SELECT p.tip_id, p.reference FROM purged_tips p WHERE NOT EXISTS \
             (SELECT 1 FROM ledger l WHERE l.kind = 'purge' AND l.tip_id = p.tip_id) ORDER BY p.tip_id LIMIT 1")
            .fetch_optional(&self.pool)
            .await?;
        if let Some(p) = unledgered {
            let what = format!("purge record of tip {}", p.get::<String, _>("reference"));
            return Ok(Err(broken(
                0,
                what,
                "has no ledger entry: only the retention job purges, and it ledgers every purge",
            )));
        }
        let twice = sqlx::query("SELECT kind, subject_id, subject_key, MIN(seq) AS seq FROM ledger GROUP BY kind, subject_id, subject_key HAVING COUNT(*) > 1 ORDER BY MIN(seq) LIMIT 1")
            .fetch_optional(&self.pool)
            .await?;
        if let Some(d) = twice {
            let what = format!(
                "{} id {}",
                d.get::<String, _>("kind"),
                d.get::<i64, _>("subject_id")
            );
            return Ok(Err(broken(
                d.get("seq"),
                what,
                "more than one entry for the same row",
            )));
        }
        Ok(Ok(()))
    }
}

fn parse_priority(s: &str) -> Priority {
    Priority::parse(s).unwrap_or(Priority::Normal)
}

/// The mutable columns as stored; a value no replay can produce names its column.
fn current_state(t: &sqlx::any::AnyRow) -> std::result::Result<TipState, &'static str> {
    let resolution: Option<String> = t.get("resolution");
    Ok(TipState {
        unit: t.get("unit"),
        status: Status::parse(t.get("status")).ok_or("status")?,
        resolution: match resolution.as_deref() {
            Some(r) => Some(Resolution::parse(r).ok_or("resolution")?),
            None => None,
        },
        priority: Priority::parse(t.get("priority")).ok_or("priority")?,
        assignee: t.get("assignee_name"),
        labels: t.get("labels"),
        duplicate_of: t.get("duplicate_of"),
        first_response_at: t.get("first_response_at"),
        closed_at: t.get("closed_at"),
        outcome: t.get("outcome"),
    })
}

type Events = std::iter::Peekable<std::vec::IntoIter<sqlx::any::AnyRow>>;

/// Checks the events of tip `id` (the next ones in `events`) against their
/// entries and replays them into the state the tip's columns must show.
fn replay_events(
    keys: &crate::privacy::seal::DataKeys,
    t: &sqlx::any::AnyRow,
    id: i64,
    reference: &str,
    events: &mut Events,
) -> std::result::Result<TipState, Broken> {
    let mut state = TipState::reported(
        t.get("routed_unit"),
        parse_priority(t.get("reported_priority")),
    );
    let mut previous_event = None;
    while let Some(e) = events.next_if(|e| e.get::<i64, _>("tip_id") <= id) {
        let event_id: i64 = e.get("id");
        let event_label = format!("event {event_id} of tip {reference}");
        if e.get::<i64, _>("tip_id") < id {
            let seq = entry_of(&e).map_or(0, |x| x.0);
            return Err(broken(seq, event_label, "the event belongs to no tip"));
        }
        let facts = event_facts(keys, event_id, reference, &e);
        let content = unopened_never_matches(facts.map(|f| event_content_hash(&f)));
        matches(&e, event_id, &mut previous_event, &event_label, &content)?;
        if let Some(kind) = EventKind::parse(e.get("kind")) {
            // It matched its entry, so it opened.
            let body = super::sealed::open_text(keys, super::sealed::EVENT_BODY, e.get("body"))
                .unwrap_or_default();
            state.apply(&ReplayedEvent {
                kind,
                actor: e.get("actor"),
                value: e.get("value"),
                body: &body,
                created_at: e.get("created_at"),
            });
        }
    }
    Ok(state)
}
