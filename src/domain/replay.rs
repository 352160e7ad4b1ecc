//! The mutable part of a tip as its ledgered events say it should be. The
//! officer actions write these columns and an event in one transaction;
//! `ledger verify` replays the events and compares, so a column changed
//! directly in the database stands out.
use super::tip::{EventKind, Priority, Resolution, Status};

/// A status event's body when a tip is closed as a duplicate: this prefix,
/// then the other tip's reference.
pub const DUPLICATE_OF_PREFIX: &str = "duplicate of ";

/// Officer events carry the actor `officer:<username>`.
pub const OFFICER_ACTOR_PREFIX: &str = "officer:";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TipState {
    pub unit: String,
    pub status: Status,
    pub resolution: Option<Resolution>,
    pub priority: Priority,
    /// Username of the assigned officer.
    pub assignee: Option<String>,
    /// Comma-joined, as stored.
    pub labels: String,
    pub duplicate_of: Option<String>,
    pub first_response_at: Option<i64>,
    pub closed_at: Option<i64>,
    /// The lead's record of what the tip led to, as encoded by `domain::outcome`.
    pub outcome: Option<String>,
}

/// One event as the replay needs it.
#[derive(Debug, Clone, Copy)]
pub struct ReplayedEvent<'a> {
    pub kind: EventKind,
    pub actor: &'a str,
    pub value: &'a str,
    pub body: &'a str,
    pub created_at: i64,
}

impl TipState {
    pub fn reported(unit: &str, priority: Priority) -> Self {
        TipState {
            unit: unit.to_string(),
            status: Status::New,
            resolution: None,
            priority,
            assignee: None,
            labels: String::new(),
            duplicate_of: None,
            first_response_at: None,
            closed_at: None,
            outcome: None,
        }
    }

    /// Applies one event, in ledger order. Status values are "open", "new" or
    /// "closed:<resolution>".
    pub fn apply(&mut self, e: &ReplayedEvent<'_>) {
        if self.first_response_at.is_none() && e.actor.starts_with(OFFICER_ACTOR_PREFIX) {
            self.first_response_at = Some(e.created_at);
        }
        match e.kind {
            EventKind::Status => {
                let (status, resolution) = e.value.split_once(':').unwrap_or((e.value, ""));
                if let Some(s) = Status::parse(status) {
                    self.status = s;
                    self.resolution = Resolution::parse(resolution);
                    self.closed_at = (s == Status::Closed).then_some(e.created_at);
                    self.duplicate_of =
                        e.body.strip_prefix(DUPLICATE_OF_PREFIX).map(str::to_string);
                }
            }
            EventKind::Transfer => {
                self.unit = e.value.to_string();
                self.assignee = None;
            }
            EventKind::Priority => {
                if let Some(p) = Priority::parse(e.value) {
                    self.priority = p;
                }
            }
            EventKind::Assign => {
                self.assignee = (!e.value.is_empty()).then(|| e.value.to_string());
            }
            EventKind::Labels => self.labels = e.value.to_string(),
            EventKind::Outcome => self.outcome = (!e.value.is_empty()).then(|| e.value.to_string()),
            EventKind::Note | EventKind::Reply | EventKind::FollowUp => {}
        }
    }

    /// The first column that differs from `actual`, by name.
    pub fn first_difference(&self, actual: &TipState) -> Option<&'static str> {
        let checks = [
            ("unit", self.unit == actual.unit),
            ("status", self.status == actual.status),
            ("resolution", self.resolution == actual.resolution),
            ("priority", self.priority == actual.priority),
            ("assignee", self.assignee == actual.assignee),
            ("labels", self.labels == actual.labels),
            ("duplicate_of", self.duplicate_of == actual.duplicate_of),
            (
                "first_response_at",
                self.first_response_at == actual.first_response_at,
            ),
            ("closed_at", self.closed_at == actual.closed_at),
            ("outcome", self.outcome == actual.outcome),
        ];
        checks.into_iter().find(|(_, same)| !same).map(|(n, _)| n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event<'a>(
        kind: EventKind,
        actor: &'a str,
        value: &'a str,
        body: &'a str,
        at: i64,
    ) -> ReplayedEvent<'a> {
        ReplayedEvent {
            kind,
            actor,
            value,
            body,
            created_at: at,
        }
    }

    #[test]
    fn closing_as_duplicate_sets_closed_time_and_duplicate_of() {
        let mut s = TipState::reported("CA-1", Priority::Normal);
        s.apply(&event(EventKind::FollowUp, "reporter", "", "more", 5));
        assert_eq!(s.first_response_at, None);
        s.apply(&event(
            EventKind::Status,
            "officer:an",
            "closed:duplicate",
            "duplicate of TL-2",
            9,
        ));
        assert_eq!(s.status, Status::Closed);
        assert_eq!(s.resolution, Some(Resolution::Duplicate));
        assert_eq!(s.closed_at, Some(9));
        assert_eq!(s.first_response_at, Some(9));
        assert_eq!(s.duplicate_of.as_deref(), Some("TL-2"));
        s.apply(&event(EventKind::Status, "officer:an", "open", "", 12));
        assert_eq!((s.closed_at, s.duplicate_of.clone()), (None, None));
    }

    #[test]
    fn a_transfer_clears_the_assignee_and_differences_are_named() {
        let mut s = TipState::reported("CA-1", Priority::Normal);
        s.apply(&event(EventKind::Assign, "officer:an", "an", "", 1));
        s.apply(&event(EventKind::Labels, "officer:an", "car,night", "", 2));
        let before = s.clone();
        s.apply(&event(
            EventKind::Transfer,
            "officer:an",
            "PC04-75",
            "why",
            3,
        ));
        assert_eq!(s.assignee, None);
        assert_eq!(s.first_difference(&before), Some("unit"));
        let mut labels = s.clone();
        labels.labels = "car".into();
        assert_eq!(s.first_difference(&labels), Some("labels"));
        assert_eq!(s.first_difference(&s.clone()), None);
    }
}
