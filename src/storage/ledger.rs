//! Appending to the hash chain, and turning stored rows into the facts the
//! ledger hashes. The encoding and chain rule live in `privacy::ledger`;
//! `ledger_verify` and `ledger_rows` walk the chain and the rows.
use sqlx::Row;

use super::Result;
use super::sealed::{self, EVENT_BODY, TIP_DESCRIPTION};
use crate::privacy::ledger::{
    AttachmentFacts, AuditFacts, EntryKind, EventFacts, TipFacts, canonical, chain_hash,
    content_hash, text_digest,
};
use crate::privacy::seal::DataKeys;

/// The row an entry is about. Attachments are keyed by text (`key`); every
/// other kind by `id` with an empty key. `tip_id` is 0 for audit entries, so a
/// tip's own entries (tip, events, attachments, purge) are exactly those
/// carrying its id.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Subject<'a> {
    pub kind: EntryKind,
    pub id: i64,
    pub key: &'a str,
    pub tip_id: i64,
}

impl Subject<'_> {
    pub(crate) fn of(kind: EntryKind, id: i64, tip_id: i64) -> Subject<'static> {
        Subject {
            kind,
            id,
            key: "",
            tip_id,
        }
    }
}

/// Appends one entry inside the caller's transaction and returns its hash.
/// The head row is updated first, which takes the write lock and orders
/// concurrent appenders.
pub(crate) async fn append_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    subject: Subject<'_>,
    content: &str,
    now_ms: i64,
) -> Result<String> {
    let head = sqlx::query("UPDATE ledger_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash")
        .fetch_one(&mut **tx)
        .await?;
    let seq: i64 = head.get("seq");
    let prev: String = head.get("hash");
    let hash = chain_hash(&prev, seq, content);
    sqlx::query("INSERT INTO ledger (seq, kind, subject_id, subject_key, tip_id, content_hash, hash, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        .bind(seq)
        .bind(subject.kind.as_str())
        .bind(subject.id)
        .bind(subject.key)
        .bind(subject.tip_id)
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

/// The immutable tip columns the tip entry covers.
pub(crate) const TIP_FACT_COLUMNS: &str = "reference, receipt_hash, category, province_code, ward_code, routed_unit, informed_unit, \
    routing_reason, reported_priority, when_seen, description, latitude, longitude, location, lang, channel, created_at";

/// Content hash of a tip as stored now (a row with [`TIP_FACT_COLUMNS`]).
/// The description and GPS point are hashed as plaintext (opened here), so
/// an edit of the sealed value is caught and a key rotation changes nothing.
pub(crate) fn tip_content_hash(
    keys: &DataKeys,
    row: &sqlx::any::AnyRow,
    attachment_hashes: &[String],
) -> Result<String> {
    let description = sealed::open_text(keys, TIP_DESCRIPTION, row.get("description"))?;
    // Rows from before sealing kept GPS in plain columns until sealed.
    let point = sealed::open_location(keys, row.get("location"))?.or(row
        .get::<Option<f64>, _>("latitude")
        .zip(row.get("longitude")));
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
        description: &description,
        latitude: point.map(|p| p.0),
        longitude: point.map(|p| p.1),
        lang: row.get("lang"),
        channel: row.get("channel"),
        created_at: row.get("created_at"),
        attachment_hashes: attachment_hashes.iter().map(String::as_str).collect(),
    };
    Ok(content_hash(&canonical(EntryKind::Tip, &facts)))
}

/// An event row (kind, actor, value, body, created_at) as the ledger sees
/// it: the digest of the body's plaintext.
pub(crate) fn event_facts(
    keys: &DataKeys,
    event_id: i64,
    tip_reference: &str,
    row: &sqlx::any::AnyRow,
) -> Result<EventFacts> {
    let body = sealed::open_text(keys, EVENT_BODY, row.get("body"))?;
    Ok(EventFacts {
        event_id,
        tip_reference: tip_reference.to_string(),
        kind: row.get("kind"),
        actor: row.get("actor"),
        value: row.get("value"),
        body_sha256: text_digest(&body),
        created_at: row.get("created_at"),
    })
}

pub(crate) fn event_content_hash(facts: &EventFacts) -> String {
    content_hash(&canonical(EntryKind::Event, facts))
}

/// An attachment row (id, sha256, content_type, size, created_at).
pub(crate) fn attachment_content_hash(row: &sqlx::any::AnyRow, tip_reference: &str) -> String {
    let facts = AttachmentFacts {
        attachment_id: row.get("id"),
        tip_reference,
        sha256: row.get("sha256"),
        content_type: row.get("content_type"),
        size: row.get("size"),
        created_at: row.get("created_at"),
    };
    content_hash(&canonical(EntryKind::Attachment, &facts))
}

/// An audit row with every column of `audit_log`.
pub(crate) fn audit_content_hash(row: &sqlx::any::AnyRow) -> String {
    let facts = AuditFacts {
        audit_id: row.get("id"),
        officer_id: row.get("officer_id"),
        username: row.get("username"),
        unit: row.get("unit"),
        tip_id: row.get("tip_id"),
        tip_reference: row.get("tip_reference"),
        action: row.get("action"),
        detail: row.get("detail"),
        created_at: row.get("created_at"),
    };
    content_hash(&canonical(EntryKind::Audit, &facts))
}
