//! Officer actions on a tip. Each one, in a single transaction: re-checks the
//! scope, updates the tip row, appends a tip event (and so a ledger entry) and
//! an audit row. Status, transfer and priority use the event values that
//! `TipState` replays in `ledger verify`, so the chain keeps matching the rows.
use sqlx::Row;

use super::dashboard::{
    Access, Arg, Args, NewAudit, RECORD_COLUMNS, Scope, audit_in, record_from_row, scope_condition,
};
use super::officers::Officer;
use super::tips::add_event_in;
use super::units::notify_unit_in;
use super::{StorageError, Store};
use crate::domain::replay::{DUPLICATE_OF_PREFIX, OFFICER_ACTOR_PREFIX};
use crate::domain::tip::{EventKind, Priority, Resolution, Status};

#[derive(Debug, Clone, PartialEq, Eq)]
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
        let mut args = Args::default();
        let id = args.push(Arg::I(tip_id));
        let cond = scope_condition(scope, &mut args);
        let sql = format!(
            "SELECT {RECORD_COLUMNS} FROM tips t LEFT JOIN officers o ON o.id = t.assignee_id WHERE t.id = {id} AND {cond}"
        );
        let row = args
            .bind(sqlx::query(&sql))
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(ActionError::NotFound)?;
        let tip = record_from_row(&row, scope);
        if tip.access == Access::ReadOnly {
            return Err(ActionError::ReadOnly);
        }
        let who = format!("{OFFICER_ACTOR_PREFIX}{}", actor.username);
        let (kind, value, body, detail) = match action {
            TipAction::Claim => {
                sqlx::query("UPDATE tips SET assignee_id = $1 WHERE id = $2")
                    .bind(actor.id)
                    .bind(tip_id)
                    .execute(&mut *tx)
                    .await?;
                (
                    EventKind::Assign,
                    actor.username.clone(),
                    String::new(),
                    actor.username.clone(),
                )
            }
            TipAction::Assign { officer_id } => {
                let name = match officer_id {
                    Some(oid) => {
                        let r = sqlx::query("SELECT username FROM officers WHERE id = $1 AND unit = $2 AND disabled = 0")
                            .bind(*oid)
                            .bind(&tip.unit)
                            .fetch_optional(&mut *tx)
                            .await?
                            .ok_or(ActionError::Invalid("action-error-assignee"))?;
                        r.get::<String, _>("username")
                    }
                    None => String::new(),
                };
                sqlx::query("UPDATE tips SET assignee_id = $1 WHERE id = $2")
                    .bind(*officer_id)
                    .bind(tip_id)
                    .execute(&mut *tx)
                    .await?;
                (EventKind::Assign, name.clone(), String::new(), name)
            }
            TipAction::SetStatus {
                status,
                resolution,
                duplicate_of,
            } => {
                let (value, resolution, dup) = match (status, resolution) {
                    (Status::Closed, Some(r)) => {
                        let dup = if *r == Resolution::Duplicate {
                            let reference = duplicate_of
                                .as_deref()
                                .map(|s| s.trim().to_ascii_uppercase())
                                .unwrap_or_default();
                            let mut a = Args::default();
                            let rp = a.push(Arg::S(reference.clone()));
                            let me = a.push(Arg::I(tip_id));
                            let c = scope_condition(scope, &mut a);
                            let q = format!(
                                "SELECT t.id FROM tips t WHERE t.reference = {rp} AND t.id <> {me} AND {c}"
                            );
                            a.bind(sqlx::query(&q))
                                .fetch_optional(&mut *tx)
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
                let closed_at = (*status == Status::Closed).then_some(now_ms);
                sqlx::query("UPDATE tips SET status = $1, resolution = $2, duplicate_of = $3, closed_at = $4 WHERE id = $5")
                    .bind(status.as_str())
                    .bind(resolution)
                    .bind(dup.as_deref())
                    .bind(closed_at)
                    .bind(tip_id)
                    .execute(&mut *tx)
                    .await?;
                let body = dup
                    .map(|d| format!("{DUPLICATE_OF_PREFIX}{d}"))
                    .unwrap_or_default();
                (EventKind::Status, value.clone(), body, value)
            }
            TipAction::SetPriority(p) => {
                sqlx::query("UPDATE tips SET priority = $1, priority_rank = $2 WHERE id = $3")
                    .bind(p.as_str())
                    .bind(p.rank())
                    .bind(tip_id)
                    .execute(&mut *tx)
                    .await?;
                (
                    EventKind::Priority,
                    p.as_str().to_string(),
                    String::new(),
                    p.as_str().to_string(),
                )
            }
            TipAction::SetLabels(labels) => {
                let joined = labels.join(",");
                sqlx::query("UPDATE tips SET labels = $1 WHERE id = $2")
                    .bind(&joined)
                    .bind(tip_id)
                    .execute(&mut *tx)
                    .await?;
                (EventKind::Labels, joined.clone(), String::new(), joined)
            }
            TipAction::Note(text) => (EventKind::Note, String::new(), text.clone(), String::new()),
            TipAction::Reply(text) => {
                (EventKind::Reply, String::new(), text.clone(), String::new())
            }
            TipAction::Transfer { unit, reason } => {
                if *unit == tip.unit {
                    return Err(ActionError::Invalid("action-error-same-unit"));
                }
                // The assignee belongs to the old unit; the new unit triages afresh.
                sqlx::query("UPDATE tips SET unit = $1, assignee_id = NULL WHERE id = $2")
                    .bind(unit)
                    .bind(tip_id)
                    .execute(&mut *tx)
                    .await?;
                notify_unit_in(&mut tx, unit, tip_id, "transfer", now_ms).await?;
                (
                    EventKind::Transfer,
                    unit.clone(),
                    reason.clone(),
                    format!("{} -> {unit}", tip.unit),
                )
            }
        };
        add_event_in(&mut tx, tip_id, kind, &who, &value, &body, now_ms).await?;
        sqlx::query(
            "UPDATE tips SET first_response_at = $1 WHERE id = $2 AND first_response_at IS NULL",
        )
        .bind(now_ms)
        .bind(tip_id)
        .execute(&mut *tx)
        .await?;
        let entry = NewAudit {
            officer_id: actor.id,
            username: &actor.username,
            unit: &tip.unit,
            tip_id: Some(tip_id),
            tip_reference: Some(&tip.reference),
            action: action.name(),
            detail: &detail,
        };
        audit_in(&mut tx, &entry, now_ms).await?;
        tx.commit().await?;
        Ok(())
    }
}
