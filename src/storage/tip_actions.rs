//! Officer actions on a tip. Each one, in a single transaction: re-checks the
//! scope, updates the tip row, appends a tip event (and so a ledger entry) and
//! an audit row. Status, transfer and priority use the event values that
//! `TipState` replays in `ledger verify`, so the chain keeps matching the rows.
use sqlx::Row;

use super::dashboard::{
    Access, NewAudit, Scope, TipRecord, audit_in, scoped_tip_id_by_reference_in, scoped_tip_in,
};
use super::officers::Officer;
use super::stored_time::tip_time;
use super::tips::{NewEvent, add_event_in};
use super::units::notify_unit_in;
use super::{StorageError, Store};
use crate::domain::outcome::Outcome;
use crate::domain::replay::{DUPLICATE_OF_PREFIX, OFFICER_ACTOR_PREFIX};
use crate::domain::tip::{EventKind, Priority, Resolution, Status};

#[derive(Debug, Clone, PartialEq)]
pub enum TipAction {
    /// Assign to the acting officer.
    Claim,
    /// Assign to an officer of the tip's unit, or nobody.
    Assign {
        officer_id: Option<i64>,
    },
    /// `duplicate_of` is a tip reference, required with `Resolution::Duplicate`.
    SetStatus {
        status: Status,
        resolution: Option<Resolution>,
        duplicate_of: Option<String>,
    },
    SetPriority(Priority),
    SetLabels(Vec<String>),
    /// An internal note; never shown to the reporter.
    Note(String),
    Transfer {
        unit: String,
        reason: String,
    },
    /// A message the reporter reads with `/status`.
    Reply(String),
    /// What an actioned tip led to; leads only, never shown to the reporter.
    SetOutcome(Outcome),
}

impl TipAction {
    /// The audit log's name for the action.
    pub fn name(&self) -> &'static str {
        match self {
            TipAction::Claim => "claim",
            TipAction::Assign { .. } => "assign",
            TipAction::SetStatus { .. } => "status",
            TipAction::SetPriority(_) => "priority",
            TipAction::SetLabels(_) => "labels",
            TipAction::Note(_) => "note",
            TipAction::Transfer { .. } => "transfer",
            TipAction::Reply(_) => "reply",
            TipAction::SetOutcome(_) => "outcome",
        }
    }
}

/// Why an action was refused. The web layer maps these to 404, 403 or a message.
#[derive(Debug, thiserror::Error)]
pub enum ActionError {
    #[error("tip not found in scope")]
    NotFound,
    #[error("the unit was only informed of this tip")]
    ReadOnly,
    /// A Fluent key describing the problem to the officer.
    #[error("invalid action: {0}")]
    Invalid(&'static str),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl From<sqlx::Error> for ActionError {
    fn from(e: sqlx::Error) -> Self {
        ActionError::Storage(e.into())
    }
}

/// What an action did to a tip, as its event records it.
struct ActionEvent {
    kind: EventKind,
    /// The event value `ledger verify` replays (status, unit, priority...).
    value: String,
    /// Free text: a note, a reply, a transfer reason.
    body: String,
    /// The audit log's detail line.
    detail: String,
}

impl ActionEvent {
    /// An event whose value is also its audit detail.
    fn plain(kind: EventKind, value: String) -> Self {
        ActionEvent {
            kind,
            detail: value.clone(),
            value,
            body: String::new(),
        }
    }

    /// A text-only event (notes, replies): no value, no detail.
    fn text(kind: EventKind, body: &str) -> Self {
        ActionEvent {
            kind,
            value: String::new(),
            body: body.to_string(),
            detail: String::new(),
        }
    }
}

type Tx<'c> = sqlx::Transaction<'c, sqlx::Any>;

impl Store {
    /// Applies `action` by `actor` (whose scope is `scope`) to a tip.
    pub async fn apply_tip_action(
        &self,
        scope: &Scope,
        actor: &Officer,
        tip_id: i64,
        action: &TipAction,
        now_ms: i64,
    ) -> std::result::Result<(), ActionError> {
        let _g = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        let tip = scoped_tip_in(&mut *tx, &self.keys, scope, tip_id)
            .await?
            .ok_or(ActionError::NotFound)?;
        if tip.access == Access::ReadOnly {
            return Err(ActionError::ReadOnly);
        }
        if matches!(action, TipAction::SetOutcome(_)) && !actor.role.leads() {
            return Err(ActionError::ReadOnly);
        }
        let who = format!("{OFFICER_ACTOR_PREFIX}{}", actor.username);
        let event = apply_in(&mut tx, scope, actor, &tip, action, now_ms).await?;
        let new = NewEvent {
            kind: event.kind,
            actor: &who,
            value: &event.value,
            body: &event.body,
        };
        add_event_in(&mut tx, &self.keys, tip_id, new, now_ms).await?;
        // Stored like the event's own time, so the ledger replay matches it.
        sqlx::query(
            "UPDATE tips SET first_response_at = $1 WHERE id = $2 AND first_response_at IS NULL",
        )
        .bind(tip_time(now_ms))
        .bind(tip_id)
        .execute(&mut *tx)
        .await?;
        let entry = NewAudit {
            officer_id: actor.id,
            username: &actor.username,
            unit: tip.unit.as_str(),
            tip_id: Some(tip_id),
            tip_reference: Some(&tip.reference),
            action: action.name(),
            detail: &event.detail,
        };
        audit_in(&mut tx, &entry, now_ms).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Updates the tip row for one action and says what event it makes.
async fn apply_in(
    tx: &mut Tx<'_>,
    scope: &Scope,
    actor: &Officer,
    tip: &TipRecord,
    action: &TipAction,
    now_ms: i64,
) -> std::result::Result<ActionEvent, ActionError> {
    Ok(match action {
        TipAction::Claim => {
            set_assignee_in(tx, tip.id, Some(actor.id)).await?;
            ActionEvent::plain(EventKind::Assign, actor.username.clone())
        }
        TipAction::Assign { officer_id } => {
            let name = match officer_id {
                Some(oid) => assignable_officer_in(tx, *oid, tip.unit.as_str()).await?,
                None => String::new(),
            };
            set_assignee_in(tx, tip.id, *officer_id).await?;
            ActionEvent::plain(EventKind::Assign, name)
        }
        TipAction::SetStatus {
            status,
            resolution,
            duplicate_of,
        } => {
            let dup = duplicate_of.as_deref();
            set_status_in(tx, scope, tip.id, *status, *resolution, dup, now_ms).await?
        }
        TipAction::SetPriority(p) => {
            sqlx::query("UPDATE tips SET priority = $1, priority_rank = $2 WHERE id = $3")
                .bind(p.as_str())
                .bind(p.rank())
                .bind(tip.id)
                .execute(&mut **tx)
                .await?;
            ActionEvent::plain(EventKind::Priority, p.as_str().to_string())
        }
        TipAction::SetLabels(labels) => {
            let joined = labels.join(",");
            sqlx::query("UPDATE tips SET labels = $1 WHERE id = $2")
                .bind(&joined)
                .bind(tip.id)
                .execute(&mut **tx)
                .await?;
            ActionEvent::plain(EventKind::Labels, joined)
        }
        TipAction::Note(text) => ActionEvent::text(EventKind::Note, text),
        TipAction::Reply(text) => {
            super::reply_notices::reply_added_in(tx, tip.id)
                .await
                .map_err(ActionError::Storage)?;
            ActionEvent::text(EventKind::Reply, text)
        }
        TipAction::Transfer { unit, reason } => transfer_in(tx, tip, unit, reason, now_ms).await?,
        TipAction::SetOutcome(outcome) => outcome_in(tx, tip, outcome).await?,
    })
}

async fn set_assignee_in(
    tx: &mut Tx<'_>,
    tip_id: i64,
    officer_id: Option<i64>,
) -> std::result::Result<(), ActionError> {
    sqlx::query("UPDATE tips SET assignee_id = $1 WHERE id = $2")
        .bind(officer_id)
        .bind(tip_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The username of an active officer of `unit`; anyone else cannot take the tip.
async fn assignable_officer_in(
    tx: &mut Tx<'_>,
    officer_id: i64,
    unit: &str,
) -> std::result::Result<String, ActionError> {
    let r =
        sqlx::query("SELECT username FROM officers WHERE id = $1 AND unit = $2 AND disabled = 0")
            .bind(officer_id)
            .bind(unit)
            .fetch_optional(&mut **tx)
            .await?
            .ok_or(ActionError::Invalid("action-error-assignee"))?;
    Ok(r.get::<String, _>("username"))
}

/// A new status. Closing needs a resolution; closing as a duplicate needs
/// the reference of another tip in scope, kept in the event body.
async fn set_status_in(
    tx: &mut Tx<'_>,
    scope: &Scope,
    tip_id: i64,
    status: Status,
    resolution: Option<Resolution>,
    duplicate_of: Option<&str>,
    now_ms: i64,
) -> std::result::Result<ActionEvent, ActionError> {
    let (value, resolution, dup) = match (status, resolution) {
        (Status::Closed, Some(r)) => {
            let dup = if r == Resolution::Duplicate {
                let reference = duplicate_of
                    .map(|s| s.trim().to_ascii_uppercase())
                    .unwrap_or_default();
                scoped_tip_id_by_reference_in(&mut **tx, scope, &reference, Some(tip_id))
                    .await?
                    .ok_or(ActionError::Invalid("action-error-duplicate"))?;
                Some(reference)
            } else {
                None
            };
            (format!("closed:{r}"), Some(r.as_str()), dup)
        }
        (Status::Closed, None) => {
            return Err(ActionError::Invalid("action-error-resolution"));
        }
        (s, _) => (s.as_str().to_string(), None, None),
    };
    let closed_at = (status == Status::Closed).then_some(tip_time(now_ms));
    if status == Status::Closed {
        // A closed tip gets no more replies: its reply-notice links go now.
        super::reply_notices::tip_closed_in(tx, tip_id)
            .await
            .map_err(ActionError::Storage)?;
    }
    sqlx::query("UPDATE tips SET status = $1, resolution = $2, duplicate_of = $3, closed_at = $4 WHERE id = $5")
        .bind(status.as_str())
        .bind(resolution)
        .bind(dup.as_deref())
        .bind(closed_at)
        .bind(tip_id)
        .execute(&mut **tx)
        .await?;
    let body = dup
        .map(|d| format!("{DUPLICATE_OF_PREFIX}{d}"))
        .unwrap_or_default();
    Ok(ActionEvent {
        body,
        ..ActionEvent::plain(EventKind::Status, value)
    })
}

/// Moves the tip to another unit, which is notified and triages afresh.
async fn transfer_in(
    tx: &mut Tx<'_>,
    tip: &TipRecord,
    unit: &str,
    reason: &str,
    now_ms: i64,
) -> std::result::Result<ActionEvent, ActionError> {
    if unit == tip.unit.as_str() {
        return Err(ActionError::Invalid("action-error-same-unit"));
    }
    // The assignee belongs to the old unit; the new unit triages afresh.
    sqlx::query("UPDATE tips SET unit = $1, assignee_id = NULL WHERE id = $2")
        .bind(unit)
        .bind(tip.id)
        .execute(&mut **tx)
        .await?;
    notify_unit_in(tx, unit, tip.id, "transfer", now_ms).await?;
    Ok(ActionEvent {
        kind: EventKind::Transfer,
        value: unit.to_string(),
        body: reason.to_string(),
        detail: format!("{} -> {unit}", tip.unit),
    })
}

/// Records (or corrects) the outcome of a tip closed as actioned.
async fn outcome_in(
    tx: &mut Tx<'_>,
    tip: &TipRecord,
    outcome: &Outcome,
) -> std::result::Result<ActionEvent, ActionError> {
    if tip.status != Status::Closed || tip.resolution != Some(Resolution::Actioned) {
        return Err(ActionError::Invalid("action-error-outcome-not-actioned"));
    }
    outcome
        .validate()
        .map_err(|e| ActionError::Invalid(e.key()))?;
    let encoded = outcome.encode();
    sqlx::query("UPDATE tips SET outcome = $1 WHERE id = $2")
        .bind(&encoded)
        .bind(tip.id)
        .execute(&mut **tx)
        .await?;
    Ok(ActionEvent::plain(EventKind::Outcome, encoded))
}
