//! The queue's sort orders and the keyset cursor that pages through any of
//! them: a page costs the same at row 50 and at row 100,000, whichever order
//! the officer chose.
use super::dashboard::{Arg, Args};

/// How the queue is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum QueueSort {
    /// Most urgent, then newest.
    #[default]
    Urgency,
    /// Oldest first: what has waited longest.
    Oldest,
    /// Newest citizen activity (submission or follow-up) first.
    Activity,
    /// Overdue (no first response within the SLA) first, oldest first.
    Overdue,
    /// Unread follow-ups first, then the newest activity, then urgency.
    Attention,
}

impl QueueSort {
    pub const ALL: [QueueSort; 5] = [
        QueueSort::Urgency,
        QueueSort::Oldest,
        QueueSort::Activity,
        QueueSort::Overdue,
        QueueSort::Attention,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            QueueSort::Urgency => "urgency",
            QueueSort::Oldest => "oldest",
            QueueSort::Activity => "activity",
            QueueSort::Overdue => "overdue",
            QueueSort::Attention => "attention",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == s)
    }
}

/// The SQL of the per-row facts the queue sorts and filters on.
pub(crate) struct RowFacts {
    /// 0 when the viewer has an unread follow-up on the tip, else 1.
    pub unread_rank: String,
    /// 0 when the tip is overdue, else 1.
    pub overdue_rank: String,
    /// The newest citizen activity: a follow-up, else the submission.
    pub activity: String,
}

impl RowFacts {
    /// `seen` is the alias of the viewer's `tip_seen` row (LEFT JOINed);
    /// `overdue_before` the created_at before which an unanswered tip is late.
    pub fn new(overdue_before: i64, args: &mut Args) -> Self {
        let cut = args.push(Arg::I(overdue_before));
        RowFacts {
            unread_rank: "(CASE WHEN t.last_followup_id IS NOT NULL AND COALESCE(s.event_id, 0) < t.last_followup_id THEN 0 ELSE 1 END)".into(),
            overdue_rank: format!(
                "(CASE WHEN t.status <> 'closed' AND t.first_response_at IS NULL AND t.created_at < {cut} THEN 0 ELSE 1 END)"
            ),
            activity: "COALESCE(t.last_activity_at, t.created_at)".into(),
        }
    }

    /// The sort keys of `sort`, each with "descending?"; `t.id` always ends
    /// the list so the order is total and a cursor is unambiguous.
    pub fn keys(&self, sort: QueueSort) -> Vec<(String, bool)> {
        let k = |s: &str, desc: bool| (s.to_string(), desc);
        match sort {
            QueueSort::Urgency => vec![
                k("t.priority_rank", false),
                k("t.created_at", true),
                k("t.id", true),
            ],
            QueueSort::Oldest => vec![k("t.created_at", false), k("t.id", false)],
            QueueSort::Activity => vec![k(&self.activity, true), k("t.id", true)],
            QueueSort::Overdue => vec![
                k(&self.overdue_rank, false),
                k("t.created_at", false),
                k("t.id", false),
            ],
            QueueSort::Attention => vec![
                k(&self.unread_rank, false),
                k(&self.activity, true),
                k("t.priority_rank", false),
                k("t.id", true),
            ],
        }
    }
}

/// `ORDER BY` for the keys.
pub(crate) fn order_by(keys: &[(String, bool)]) -> String {
    let parts: Vec<String> = keys
        .iter()
        .map(|(k, desc)| format!("{k} {}", if *desc { "DESC" } else { "ASC" }))
        .collect();
    format!("ORDER BY {}", parts.join(", "))
}

/// Rows strictly after `cursor` in the order of `keys`.
pub(crate) fn after_condition(
    keys: &[(String, bool)],
    cursor: &QueueCursor,
    args: &mut Args,
) -> Option<String> {
    if cursor.0.len() != keys.len() {
        return None;
    }
    let values: Vec<String> = cursor.0.iter().map(|v| args.push(Arg::I(*v))).collect();
    // k0 > v0 OR (k0 = v0 AND (k1 > v1 OR (k1 = v1 AND ...))), built from the end.
    let mut cond: Option<String> = None;
    for ((key, desc), v) in keys.iter().zip(&values).rev() {
        let op = if *desc { "<" } else { ">" };
        cond = Some(match cond {
            None => format!("{key} {op} {v}"),
            Some(rest) => format!("({key} {op} {v} OR ({key} = {v} AND {rest}))"),
        });
    }
    cond
}

/// Position after the last row of a page: that row's sort key values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueCursor(pub Vec<i64>);

impl QueueCursor {
    /// "v1.v2.id", as carried in the `after` query parameter.
    pub fn encode(&self) -> String {
        self.0
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(".")
    }

    pub fn decode(s: &str) -> Option<Self> {
        let values: Option<Vec<i64>> = s.split('.').map(|p| p.parse().ok()).collect();
        values
            .filter(|v| (2..=4).contains(&v.len()))
            .map(QueueCursor)
    }
}

/// The aliases under which a page query returns the sort key values.
pub(crate) fn key_columns(keys: &[(String, bool)]) -> String {
    keys.iter()
        .enumerate()
        .map(|(i, (k, _))| format!(", {k} AS sort_key_{i}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_garbage() {
        let c = QueueCursor(vec![2, 1_750_000_000_000, 42]);
        assert_eq!(QueueCursor::decode(&c.encode()), Some(c));
        assert_eq!(QueueCursor::decode("1"), None);
        assert_eq!(QueueCursor::decode("1.2.3.4.5"), None);
        assert_eq!(QueueCursor::decode("a.b.c"), None);
    }

    #[test]
    fn the_after_condition_respects_each_keys_direction() {
        let keys = vec![("a".to_string(), false), ("b".to_string(), true)];
        let mut args = Args::default();
        let c = after_condition(&keys, &QueueCursor(vec![1, 2]), &mut args).unwrap();
        assert_eq!(c, "(a > $1 OR (a = $1 AND b < $2))");
        assert!(after_condition(&keys, &QueueCursor(vec![1, 2, 3]), &mut args).is_none());
    }

    #[test]
    fn sorts_parse_their_names() {
        for s in QueueSort::ALL {
            assert_eq!(QueueSort::parse(s.as_str()), Some(s));
        }
        assert_eq!(QueueSort::parse("random"), None);
    }
}
