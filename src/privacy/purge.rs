//! When a retention purge is allowed. The purger and `ledger verify` both ask
//! [`purge_problem`], so a purge the job makes always verifies, and a purge an
//! insider forges for an open or recently closed tip never does.
use crate::domain::replay::{ReplayedEvent, TipState};
use crate::domain::tip::{EventKind, Priority, Status};
use crate::privacy::ledger::PurgeFacts;

pub const DAY_MS: i64 = 86_400_000;

/// The shortest retention an admin can set; a purge claiming less is refused
/// even when no setting change was ledgered.
pub const MIN_RETENTION_DAYS: i64 = 30;

/// Why this purge is not allowed, or `None` when the tip's replayed status
/// was closed and the retention in force had passed at the purge time.
/// `retention_in_force` is the newest ledgered retention setting, if any.
pub fn purge_problem(facts: &PurgeFacts, retention_in_force: Option<i64>) -> Option<String> {
    let floor = retention_in_force.unwrap_or(0).max(MIN_RETENTION_DAYS);
    if facts.retention_days < floor {
        return Some(format!(
            "purge claims a retention of {} days, less than the {floor} days in force",
            facts.retention_days
        ));
    }
    // Only status and closing time matter here; the unit and priority the tip
    // started with went with its row.
    let mut state = TipState::reported("", Priority::Normal);
    for e in &facts.events {
        let Some(kind) = EventKind::parse(&e.kind) else {
            return Some(format!(
                "purged event {} has unknown kind {:?}",
                e.event_id, e.kind
            ));
        };
        state.apply(&ReplayedEvent {
            kind,
            actor: &e.actor,
            value: &e.value,
            body: "",
            created_at: e.created_at,
        });
    }
    match (state.status, state.closed_at) {
        (Status::Closed, Some(closed_at)) => {
            let due = closed_at.saturating_add(facts.retention_days.saturating_mul(DAY_MS));
            (facts.purged_at < due).then(|| {
                format!(
                    "purged before its retention of {} days had passed since it was closed",
                    facts.retention_days
                )
            })
        }
        _ => Some(format!(
            "its ledgered events say it was {}, not closed, when it was purged",
            state.status
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::privacy::ledger::EventFacts;

    fn status(value: &str, at: i64) -> EventFacts {
        EventFacts {
            event_id: at,
            tip_reference: "TL-1".into(),
            kind: "status".into(),
            actor: "officer:an".into(),
            value: value.into(),
            body_sha256: String::new(),
            created_at: at,
        }
    }

    fn purge(events: Vec<EventFacts>, purged_at: i64, days: i64) -> PurgeFacts {
        PurgeFacts {
            tip_id: 1,
            reference: "TL-1".into(),
            purged_at,
            retention_days: days,
            removed: vec![],
            events,
        }
    }

    #[test]
    fn a_closed_tip_past_retention_may_go() {
        let f = purge(vec![status("closed:actioned", 10)], 10 + 365 * DAY_MS, 365);
        assert_eq!(purge_problem(&f, Some(365)), None);
    }

    #[test]
    fn open_reopened_early_or_short_retention_purges_are_refused() {
        let late = 10 + 400 * DAY_MS;
        let open = purge(vec![status("open", 10)], late, 365);
        assert!(purge_problem(&open, None).unwrap().contains("not closed"));
        let reopened = purge(
            vec![status("closed:spam", 10), status("open", 20)],
            late,
            365,
        );
        assert!(purge_problem(&reopened, None).is_some());
        let early = purge(vec![status("closed:spam", 10)], 10 + 364 * DAY_MS, 365);
        assert!(purge_problem(&early, None).unwrap().contains("retention"));
        let short = purge(vec![status("closed:spam", 10)], late, 1);
        assert!(purge_problem(&short, None).unwrap().contains("less than"));
        let below_setting = purge(vec![status("closed:spam", 10)], late, 100);
        assert!(purge_problem(&below_setting, Some(365)).is_some());
    }
}
