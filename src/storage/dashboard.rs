//! What an officer may read: the scoped queue, a tip's detail, timeline and
//! attachments, and the audit trail. Every tip read goes through
//! [`Store::scoped_tip`] or a query filtered by [`Scope`], so authorization
//! lives in one place.
use sqlx::Row;
use sqlx::any::AnyRow;

use super::sealed::{self, ATTACHMENT_BYTES, EVENT_BODY, TIP_DESCRIPTION};
pub(crate) use super::sql_args::{Arg, Args};
use super::{Result, StorageError, Store, channel_column};
use crate::domain::channel::Channel;
use crate::domain::outcome::Outcome;
use crate::domain::routing::UnitCode;
use crate::domain::tip::{Category, Priority, Resolution, Status, WhenSeen};
use crate::privacy::ledger::EntryKind;
use crate::privacy::seal::DataKeys;

pub use super::scope::{Access, Scope};

/// A tip as the dashboard shows it.
#[derive(Debug, Clone)]
pub struct TipRecord {
    pub id: i64,
    pub reference: String,
    pub category: Category,
    pub province_code: i64,
    pub ward_code: Option<i64>,
    pub routed_unit: UnitCode,
    pub unit: UnitCode,
    pub informed_unit: Option<UnitCode>,
    pub routing_reason: String,
    pub status: Status,
    pub resolution: Option<Resolution>,
    pub priority: Priority,
    pub when_seen: WhenSeen,
    pub description: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub channel: Channel,
    pub created_at: i64,
    pub assignee_id: Option<i64>,
    pub assignee: Option<String>,
    pub labels: Vec<String>,
    pub duplicate_of: Option<String>,
    pub first_response_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub outcome: Option<Outcome>,
    pub ledger_hash: String,
    pub access: Access,
}

pub(crate) const RECORD_COLUMNS: &str = "t.id, t.reference, t.category, t.province_code, t.ward_code, t.routed_unit, t.unit, \
    t.informed_unit, t.routing_reason, t.status, t.resolution, t.priority, t.priority_rank, t.when_seen, t.description, t.location, \
    t.channel, t.created_at, t.assignee_id, o.username AS assignee, t.labels, t.duplicate_of, t.first_response_at, \
    t.closed_at, t.outcome, t.ledger_hash";

/// Reads a stored enum or unit code; a value the domain does not know means
/// the row is corrupt, and the dashboard says so instead of guessing.
fn parsed<T>(r: &AnyRow, column: &str, parse: impl Fn(&str) -> Option<T>) -> Result<T> {
    let text: String = r.get(column);
    parse(&text).ok_or_else(|| StorageError::Corrupt(format!("tips.{column} = {text:?}")))
}

fn parsed_opt<T>(r: &AnyRow, column: &str, parse: impl Fn(&str) -> Option<T>) -> Result<Option<T>> {
    match r.get::<Option<String>, _>(column) {
        Some(text) => parse(&text)
            .map(Some)
            .ok_or_else(|| StorageError::Corrupt(format!("tips.{column} = {text:?}"))),
        None => Ok(None),
    }
}

/// A tip row, opened (the description and GPS point are sealed at rest).
pub(crate) fn record_from_row(keys: &DataKeys, r: &AnyRow, scope: &Scope) -> Result<TipRecord> {
    let unit = parsed(r, "unit", UnitCode::parse)?;
    let access = scope.access_to(unit.as_str());
    let labels: String = r.get("labels");
    let point = sealed::open_location(keys, r.get("location"))?;
    Ok(TipRecord {
        id: r.get("id"),
        reference: r.get("reference"),
        category: parsed(r, "category", Category::parse)?,
        province_code: r.get("province_code"),
        ward_code: r.get("ward_code"),
        routed_unit: parsed(r, "routed_unit", UnitCode::parse)?,
        unit,
        informed_unit: parsed_opt(r, "informed_unit", UnitCode::parse)?,
        routing_reason: r.get("routing_reason"),
        status: parsed(r, "status", Status::parse)?,
        resolution: parsed_opt(r, "resolution", Resolution::parse)?,
        priority: parsed(r, "priority", Priority::parse)?,
        when_seen: parsed(r, "when_seen", WhenSeen::parse)?,
        description: sealed::open_text(keys, TIP_DESCRIPTION, r.get("description"))?,
        latitude: point.map(|p| p.0),
        longitude: point.map(|p| p.1),
        channel: channel_column(r, "channel")?,
        created_at: r.get("created_at"),
        assignee_id: r.get("assignee_id"),
        assignee: r.get("assignee"),
        labels: labels
            .split(',')
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect(),
        duplicate_of: r.get("duplicate_of"),
        first_response_at: r.get("first_response_at"),
        closed_at: r.get("closed_at"),
        outcome: parsed_opt(r, "outcome", Outcome::decode)?,
        ledger_hash: r.get("ledger_hash"),
        access,
    })
}

/// One entry of a tip's timeline.
#[derive(Debug, Clone)]
pub struct TimelineEvent {
    pub id: i64,
    pub kind: String,
    pub actor: String,
    pub value: String,
    pub body: String,
    pub created_at: i64,
}

/// The one way a tip event is read (the search reads them the same way).
pub(crate) fn event_from_row(keys: &DataKeys, r: &AnyRow) -> Result<TimelineEvent> {
    Ok(TimelineEvent {
        id: r.get("id"),
        kind: r.get("kind"),
        actor: r.get("actor"),
        value: r.get("value"),
        body: sealed::open_text(keys, EVENT_BODY, r.get("body"))?,
        created_at: r.get("created_at"),
    })
}

#[derive(Debug, Clone)]
pub struct AttachmentMeta {
    pub id: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
}

#[derive(Debug, Clone)]
pub struct AuditEntry {
    pub id: i64,
    pub username: String,
    pub unit: String,
    pub tip_id: Option<i64>,
    pub tip_reference: Option<String>,
    pub action: String,
    pub detail: String,
    pub created_at: i64,
}

pub(crate) use super::scope::scope_condition;

/// The tip if `scope` may see it, read on `conn` (the pool, or the
/// transaction of an action that re-checks the scope).
pub(crate) async fn scoped_tip_in<'e, E>(
    conn: E,
    keys: &DataKeys,
    scope: &Scope,
    tip_id: i64,
) -> Result<Option<TipRecord>>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let mut args = Args::default();
    let id = args.push(Arg::I(tip_id));
    let cond = scope_condition(scope, &mut args);
    let sql = format!(
        "SELECT {RECORD_COLUMNS} FROM tips t LEFT JOIN officers o ON o.id = t.assignee_id WHERE t.id = {id} AND {cond}"
    );
    let row = args.bind(sqlx::query(&sql)).fetch_optional(conn).await?;
    row.map(|r| record_from_row(keys, &r, scope)).transpose()
}

/// The id of the tip with `reference` that `scope` may see, other than `except`.
pub(crate) async fn scoped_tip_id_by_reference_in<'e, E>(
    conn: E,
    scope: &Scope,
    reference: &str,
    except: Option<i64>,
) -> Result<Option<i64>>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let mut args = Args::default();
    let r = args.push(Arg::S(reference.trim().to_ascii_uppercase()));
    let not_me = match except {
        Some(id) => format!(" AND t.id <> {}", args.push(Arg::I(id))),
        None => String::new(),
    };
    let cond = scope_condition(scope, &mut args);
    let sql = format!("SELECT t.id FROM tips t WHERE t.reference = {r}{not_me} AND {cond}");
    let row = args.bind(sqlx::query(&sql)).fetch_optional(conn).await?;
    Ok(row.map(|r| r.get("id")))
}

impl Store {
    /// The tip if `scope` may see it, else None: the only way the dashboard loads a tip.
    pub async fn scoped_tip(&self, scope: &Scope, tip_id: i64) -> Result<Option<TipRecord>> {
        scoped_tip_in(&self.pool, &self.keys, scope, tip_id).await
    }

    /// A tip id by reference within `scope` (for "duplicate of" links and the search box).
    pub async fn scoped_tip_id_by_reference(
        &self,
        scope: &Scope,
        reference: &str,
    ) -> Result<Option<i64>> {
        scoped_tip_id_by_reference_in(&self.pool, scope, reference, None).await
    }

    /// Every event of a tip, oldest first. Callers have already checked scope.
    pub async fn tip_timeline(&self, tip_id: i64) -> Result<Vec<TimelineEvent>> {
        let rows = sqlx::query("SELECT id, kind, actor, value, body, created_at FROM tip_events WHERE tip_id = $1 ORDER BY id")
            .bind(tip_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|r| event_from_row(&self.keys, r)).collect()
    }

    pub async fn tip_attachments(&self, tip_id: i64) -> Result<Vec<AttachmentMeta>> {
        let rows = sqlx::query("SELECT id, content_type, size, sha256 FROM attachments WHERE tip_id = $1 ORDER BY created_at, id")
            .bind(tip_id)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows
            .iter()
            .map(|r| AttachmentMeta {
                id: r.get("id"),
                content_type: r.get("content_type"),
                size: r.get("size"),
                sha256: r.get("sha256"),
            })
            .collect())
    }

    /// An attachment's type and bytes, only if it belongs to that tip.
    pub async fn tip_attachment(
        &self,
        tip_id: i64,
        attachment_id: &str,
    ) -> Result<Option<(String, Vec<u8>)>> {
        let row = sqlx::query(
            "SELECT content_type, bytes FROM attachments WHERE tip_id = $1 AND id = $2",
        )
        .bind(tip_id)
        .bind(attachment_id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            let bytes = sealed::open_bytes(&self.keys, ATTACHMENT_BYTES, r.get("bytes"))?;
            Ok((r.get("content_type"), bytes))
        })
        .transpose()
    }

    /// Records a read (e.g. a detail view or an export) in the audit log.
    pub async fn audit(&self, entry: &NewAudit<'_>, now_ms: i64) -> Result<()> {
        let _g = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        audit_in(&mut tx, entry, now_ms).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The newest audit entries in `scope`, optionally for one tip.
    pub async fn audit_entries(
        &self,
        scope: &Scope,
        tip_id: Option<i64>,
        limit: i64,
    ) -> Result<Vec<AuditEntry>> {
        let mut args = Args::default();
        let mut conds = Vec::new();
        // Oversight reads the units' own trails; a supervisor's is its unit's.
        if let Some(u) = scope.own_unit() {
            conds.push(format!("unit = {}", args.push(Arg::S(u.to_string()))));
        }
        if let Some(id) = tip_id {
            conds.push(format!("tip_id = {}", args.push(Arg::I(id))));
        }
        let lim = args.push(Arg::I(limit));
        let cond = if conds.is_empty() {
            "1 = 1".to_string()
        } else {
            conds.join(" AND ")
        };
        let sql = format!(
            "SELECT id, username, unit, tip_id, tip_reference, action, detail, created_at FROM audit_log WHERE {cond} ORDER BY id DESC LIMIT {lim}"
        );
        let rows = args.bind(sqlx::query(&sql)).fetch_all(&self.pool).await?;
        Ok(rows
            .iter()
            .map(|r| AuditEntry {
                id: r.get("id"),
                username: r.get("username"),
                unit: r.get("unit"),
                tip_id: r.get("tip_id"),
                tip_reference: r.get("tip_reference"),
                action: r.get("action"),
                detail: r.get("detail"),
                created_at: r.get("created_at"),
            })
            .collect())
    }

    /// Total audit rows; tests use it to prove a refused request left no trace.
    pub async fn audit_count(&self) -> Result<i64> {
        Ok(sqlx::query("SELECT COUNT(*) AS n FROM audit_log")
            .fetch_one(&self.pool)
            .await?
            .get("n"))
    }

    /// Number of ledger entries (the head's sequence number).
    pub async fn ledger_len(&self) -> Result<i64> {
        Ok(sqlx::query("SELECT seq FROM ledger_head WHERE id = 1")
            .fetch_one(&self.pool)
            .await?
            .get("seq"))
    }
}

/// An audit row to write.
#[derive(Debug, Clone)]
pub struct NewAudit<'a> {
    pub officer_id: i64,
    pub username: &'a str,
    pub unit: &'a str,
    pub tip_id: Option<i64>,
    pub tip_reference: Option<&'a str>,
    pub action: &'a str,
    pub detail: &'a str,
}

pub(crate) async fn audit_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    e: &NewAudit<'_>,
    now_ms: i64,
) -> Result<()> {
    let row = sqlx::query(
        "INSERT INTO audit_log (officer_id, username, unit, tip_id, tip_reference, action, detail, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         RETURNING id, officer_id, username, unit, tip_id, tip_reference, action, detail, created_at",
    )
    .bind(e.officer_id)
    .bind(e.username)
    .bind(e.unit)
    .bind(e.tip_id)
    .bind(e.tip_reference)
    .bind(e.action)
    .bind(e.detail)
    .bind(now_ms)
    .fetch_one(&mut **tx)
    .await?;
    // The audit trail is ledgered like tips: deleting a view's row is caught.
    let content = super::ledger::audit_content_hash(&row);
    let subject = super::ledger::Subject::of(EntryKind::Audit, row.get("id"), 0);
    let at = super::stored_time::tip_time(now_ms);
    super::ledger::append_in(tx, subject, &content, at).await?;
    Ok(())
}
