//! Tips: submission (with its ledger entry), events, the unit queue, and the
//! reporter's view by receipt.
use serde::Serialize;
use sqlx::Row;

use super::ledger::{
    Subject, append_in, attachment_content_hash, event_content_hash, event_facts, tip_content_hash,
};
use super::sealed::{self, ATTACHMENT_BYTES, EVENT_BODY, TIP_DESCRIPTION};
use super::stored_time::{DAY_MS, day_number, tip_time};
use super::{Result, StorageError, Store};
use crate::domain::effect::{NewTip, TipMessageView, TipStatusView};
use crate::domain::tip::{EventKind, Resolution, Status};
use crate::privacy::ledger::EntryKind;
use crate::privacy::seal::DataKeys;

/// A tip as listed in a unit's queue.
#[derive(Debug, Clone, Serialize)]
pub struct QueuedTip {
    pub id: i64,
    #[serde(rename = "ref")]
    pub reference: String,
    pub category: String,
    pub province_code: i64,
    pub ward_code: Option<i64>,
    pub unit: String,
    pub informed_unit: Option<String>,
    pub status: String,
    pub resolution: Option<String>,
    pub priority: String,
    pub created_at: String,
    pub created_at_ms: i64,
    pub when_seen: String,
    pub routing_reason: String,
    pub description: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

/// A queue row, opened: the description and GPS point are sealed at rest.
pub(crate) fn queued_from_row(keys: &DataKeys, r: &sqlx::any::AnyRow) -> Result<QueuedTip> {
    let created_at_ms: i64 = r.get("created_at");
    let point = sealed::open_location(keys, r.get("location"))?;
    Ok(QueuedTip {
        id: r.get("id"),
        reference: r.get("reference"),
        category: r.get("category"),
        province_code: r.get("province_code"),
        ward_code: r.get("ward_code"),
        unit: r.get("unit"),
        informed_unit: r.get("informed_unit"),
        status: r.get("status"),
        resolution: r.get("resolution"),
        priority: r.get("priority"),
        created_at: chrono::DateTime::from_timestamp_millis(created_at_ms)
            .map(|d| d.to_rfc3339())
            .unwrap_or_default(),
        created_at_ms,
        when_seen: r.get("when_seen"),
        routing_reason: r.get("routing_reason"),
        description: sealed::open_text(keys, TIP_DESCRIPTION, r.get("description"))?,
        latitude: point.map(|p| p.0),
        longitude: point.map(|p| p.1),
    })
}

pub(crate) const QUEUE_COLUMNS: &str = "id, reference, category, province_code, ward_code, unit, informed_unit, status, resolution, \
    priority, created_at, when_seen, routing_reason, description, location";

/// A stored attachment waiting to be linked to a tip on submit.
#[derive(Debug, Clone)]
pub struct NewAttachment<'a> {
    pub id: &'a str,
    pub sha256: &'a str,
    pub content_type: &'a str,
    pub bytes: &'a [u8],
}

impl Store {
    pub async fn store_attachment(&self, a: NewAttachment<'_>, now_ms: i64) -> Result<()> {
        let _gate = self.write_guard().await;
        sqlx::query("INSERT INTO attachments (id, tip_id, sha256, content_type, size, bytes, created_at) VALUES ($1, NULL, $2, $3, $4, $5, $6)")
            .bind(a.id)
            .bind(a.sha256)
            .bind(a.content_type)
            .bind(a.bytes.len() as i64)
            .bind(self.keys.seal_bytes(ATTACHMENT_BYTES, a.bytes))
            .bind(tip_time(now_ms))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// A unit's queue (assigned or informed), most urgent then newest first.
    pub async fn queue(&self, unit: &str, limit: i64) -> Result<Vec<QueuedTip>> {
        let sql = format!(
            "SELECT {QUEUE_COLUMNS} FROM tips WHERE unit = $1 OR informed_unit = $2 ORDER BY created_at DESC, id DESC LIMIT $3"
        );
        let rows = sqlx::query(&sql)
            .bind(unit)
            .bind(unit)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| queued_from_row(&self.keys, r))
            .collect()
    }

    /// Deletes photos uploaded for drafts that were never sent, up to the
    /// same whole day as `purge_sessions`, so a draft and its photos go together.
    pub async fn purge_orphan_attachments(&self, cutoff_ms: i64) -> Result<u64> {
        let _gate = self.write_guard().await;
        let r = sqlx::query("DELETE FROM attachments WHERE tip_id IS NULL AND created_at < $1")
            .bind(day_number(cutoff_ms) * DAY_MS)
            .execute(&self.pool)
            .await?;
        Ok(r.rows_affected())
    }

    pub async fn count_tips(&self) -> Result<i64> {
        Ok(sqlx::query("SELECT COUNT(*) AS n FROM tips")
            .fetch_one(&self.pool)
            .await?
            .get("n"))
    }

    /// What the holder of a receipt may see: status and the reporter-visible messages.
    pub async fn tip_by_receipt(&self, receipt_hash: &str) -> Result<Option<TipStatusView>> {
        let Some(row) = sqlx::query("SELECT id, reference, status, resolution, created_at FROM tips WHERE receipt_hash = $1")
            .bind(receipt_hash)
            .fetch_optional(&self.pool)
            .await?
        else {
            return Ok(None);
        };
        let tip_id: i64 = row.get("id");
        let messages = sqlx::query("SELECT kind, body, created_at FROM tip_events WHERE tip_id = $1 AND kind IN ('reply', 'followup') ORDER BY id")
            .bind(tip_id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|m| Ok(TipMessageView { from_officer: m.get::<String, _>("kind") == "reply", body: sealed::open_text(&self.keys, EVENT_BODY, m.get("body"))?, at: m.get("created_at") }))
            .collect::<Result<_>>()?;
        let status: String = row.get("status");
        Ok(Some(TipStatusView {
            tip_id,
            reference: row.get("reference"),
            status: Status::parse(&status)
                .ok_or_else(|| StorageError::Corrupt(format!("tip status {status:?}")))?,
            resolution: row
                .get::<Option<String>, _>("resolution")
                .as_deref()
                .and_then(Resolution::parse),
            created_at: row.get("created_at"),
            messages,
        }))
    }
}

/// Inserts a tip, links its attachments, and appends its ledger entry.
pub(crate) async fn insert_tip_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    keys: &DataKeys,
    tip: &NewTip,
    _actor: &str,
) -> Result<i64> {
    // The stored time is coarser than the step's clock (see `stored_time`).
    let created_at = tip_time(tip.created_at);
    let row = sqlx::query(
        "INSERT INTO tips (reference, receipt_hash, category, province_code, ward_code, routed_unit, informed_unit, routing_reason, \
         reported_priority, when_seen, description, location, lang, channel, created_at, unit, status, resolution, \
         priority, priority_rank, updated_at, ledger_hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 'new', NULL, $17, $18, $19, '') \
         RETURNING id, reference, receipt_hash, category, province_code, ward_code, routed_unit, informed_unit, routing_reason, \
         reported_priority, when_seen, description, latitude, longitude, location, lang, channel, created_at",
    )
    .bind(&tip.reference)
    .bind(&tip.receipt_hash)
    .bind(tip.category.as_str())
    .bind(tip.province.0 as i64)
    .bind(tip.ward.map(|w| w.0 as i64))
    .bind(tip.routing.unit.as_str())
    .bind(tip.routing.informed.as_ref().map(|u| u.as_str().to_string()))
    .bind(&tip.routing.reason)
    .bind(tip.priority.as_str())
    .bind(tip.when_seen.as_str())
    .bind(keys.seal_text(TIP_DESCRIPTION, &tip.description))
    .bind(sealed::seal_location(keys, tip.location.map(|p| (p.lat, p.lon))))
    .bind(tip.lang.code())
    .bind(tip.channel.as_str())
    .bind(created_at)
    .bind(tip.routing.unit.as_str())
    .bind(tip.priority.as_str())
    .bind(tip.priority.rank())
    .bind(created_at)
    .fetch_one(&mut **tx)
    .await?;
    let tip_id: i64 = row.get("id");
    link_attachments_in(tx, tip, tip_id).await?;
    ledger_new_tip_in(tx, keys, tip, tip_id, &row, created_at).await?;
    Ok(tip_id)
}

/// Moves the draft's photos onto the tip: the linked ones lose the chat's key.
async fn link_attachments_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    tip: &NewTip,
    tip_id: i64,
) -> Result<()> {
    for a in &tip.attachments {
        // The draft is done: its other uploads no longer count against the
        // chat, and the linked ones lose the chat's key.
        sqlx::query("UPDATE attachments SET draft_key = NULL WHERE tip_id IS NULL AND draft_key = (SELECT draft_key FROM attachments WHERE id = $1)")
            .bind(&a.id)
            .execute(&mut **tx)
            .await?;
        sqlx::query(
            "UPDATE attachments SET tip_id = $1, draft_key = NULL WHERE id = $2 AND tip_id IS NULL",
        )
        .bind(tip_id)
        .bind(&a.id)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Appends the tip's ledger entry and one per attachment, and stamps the tip
/// with its entry's hash.
async fn ledger_new_tip_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    keys: &DataKeys,
    tip: &NewTip,
    tip_id: i64,
    row: &sqlx::any::AnyRow,
    created_at: i64,
) -> Result<()> {
    // RETURNING gives the row as stored, which is what `ledger verify` will
    // read back, open and hash again.
    let attachments = if tip.attachments.is_empty() {
        Vec::new()
    } else {
        sqlx::query("SELECT id, sha256, content_type, size, created_at FROM attachments WHERE tip_id = $1 ORDER BY sha256")
            .bind(tip_id)
            .fetch_all(&mut **tx)
            .await?
    };
    let hashes: Vec<String> = attachments.iter().map(|r| r.get("sha256")).collect();
    let content = tip_content_hash(keys, row, &hashes)?;
    let subject = Subject::of(EntryKind::Tip, tip_id, tip_id);
    let hash = append_in(tx, subject, &content, created_at).await?;
    for a in &attachments {
        let key: String = a.get("id");
        let subject = Subject {
            kind: EntryKind::Attachment,
            id: tip_id,
            key: &key,
            tip_id,
        };
        let content = attachment_content_hash(a, &tip.reference);
        append_in(tx, subject, &content, created_at).await?;
    }
    sqlx::query("UPDATE tips SET ledger_hash = $1 WHERE id = $2")
        .bind(&hash)
        .bind(tip_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// One event to append: `value` holds a new setting, `body` free text
/// (sealed at rest).
pub(crate) struct NewEvent<'a> {
    pub kind: EventKind,
    pub actor: &'a str,
    pub value: &'a str,
    pub body: &'a str,
}

/// Appends an event to a tip's timeline and to the ledger.
pub(crate) async fn add_event_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    keys: &DataKeys,
    tip_id: i64,
    event: NewEvent<'_>,
    now_ms: i64,
) -> Result<i64> {
    let NewEvent {
        kind,
        actor,
        value,
        body,
    } = event;
    // The stored time is coarser than the step's clock (see `stored_time`).
    let at = tip_time(now_ms);
    let row = sqlx::query("INSERT INTO tip_events (tip_id, kind, actor, value, body, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
        .bind(tip_id)
        .bind(kind.as_str())
        .bind(actor)
        .bind(value)
        .bind(keys.seal_text(EVENT_BODY, body))
        .bind(at)
        .fetch_one(&mut **tx)
        .await?;
    let event_id: i64 = row.get("id");
    let stored = sqlx::query("SELECT e.kind, e.actor, e.value, e.body, e.created_at, t.reference FROM tip_events e JOIN tips t ON t.id = e.tip_id WHERE e.id = $1")
        .bind(event_id)
        .fetch_one(&mut **tx)
        .await?;
    let reference: String = stored.get("reference");
    let content = event_content_hash(&event_facts(keys, event_id, &reference, &stored)?);
    let subject = Subject::of(EntryKind::Event, event_id, tip_id);
    append_in(tx, subject, &content, at).await?;
    sqlx::query("UPDATE tips SET updated_at = $1 WHERE id = $2")
        .bind(at)
        .bind(tip_id)
        .execute(&mut **tx)
        .await?;
    Ok(event_id)
}

/// Deletes photos of a cancelled draft. A photo already linked to a tip is
/// never touched.
pub(crate) async fn discard_draft_attachments_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    ids: &[String],
) -> Result<()> {
    for id in ids {
        sqlx::query("DELETE FROM attachments WHERE id = $1 AND tip_id IS NULL")
            .bind(id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}
