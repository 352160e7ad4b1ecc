//! The queue's query string: what the officer chose, read leniently (an
//! unknown value means "any"), and written back for links.
use serde::Deserialize;

use super::auth::Viewer;
use super::text;
use crate::domain::tip::{Category, Priority};
use crate::storage::queue::{AssigneeFilter, Ownership, QueueFilter, QueueSort, StatusFilter};

#[derive(Debug, Default, Deserialize, Clone)]
pub struct QueueQuery {
    pub status: Option<String>,
    pub category: Option<String>,
    pub priority: Option<String>,
    /// A ward's name ("Biên Hòa") or code.
    pub ward: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub assignee: Option<String>,
    /// A tip reference, or words to search for.
    pub q: Option<String>,
    pub sort: Option<String>,
    /// "own" (default) or "informed".
    pub own: Option<String>,
    pub after: Option<String>,
}

pub fn nonempty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// "TL-7K3M9Q2XAB" (any case): a reference, looked up exactly.
fn is_reference(s: &str) -> bool {
    let s = s.trim();
    s.len() == 13
        && s.is_ascii()
        && s[..3].eq_ignore_ascii_case("TL-")
        && s[3..].bytes().all(|b| b.is_ascii_alphanumeric())
}

impl QueueQuery {
    pub fn ownership(&self) -> Ownership {
        match nonempty(&self.own) {
            Some("informed") => Ownership::Informed,
            _ => Ownership::Own,
        }
    }

    pub fn sort(&self) -> QueueSort {
        nonempty(&self.sort)
            .and_then(QueueSort::parse)
            .unwrap_or_default()
    }

    pub fn filter(&self, viewer: &Viewer, overdue_before: i64, ward: Option<i64>) -> QueueFilter {
        let q = nonempty(&self.q);
        QueueFilter {
            status: nonempty(&self.status)
                .and_then(StatusFilter::parse)
                .unwrap_or_default(),
            category: nonempty(&self.category)
                .and_then(Category::parse)
                .map(|c| c.as_str().to_string()),
            priority: nonempty(&self.priority)
                .and_then(Priority::parse)
                .map(|p| p.as_str().to_string()),
            ward_code: ward,
            from_ms: nonempty(&self.from).and_then(text::parse_date),
            to_ms: nonempty(&self.to)
                .and_then(text::parse_date)
                .map(|d| d + 86_400_000),
            assignee: match nonempty(&self.assignee) {
                Some("me") => AssigneeFilter::Officer(viewer.officer.id),
                Some("none") => AssigneeFilter::Unassigned,
                Some(id) => id.parse().map(AssigneeFilter::Officer).unwrap_or_default(),
                None => AssigneeFilter::Anyone,
            },
            reference: q.filter(|q| is_reference(q)).map(str::to_string),
            text: q.filter(|q| !is_reference(q)).map(str::to_string),
            ownership: self.ownership(),
            sort: self.sort(),
            viewer_id: viewer.officer.id,
            overdue_before,
        }
    }

    /// The filters as a query string (without the page), for links.
    pub fn query_string(&self) -> String {
        self.with(&[])
    }

    /// The query string with some parameters replaced (an empty value drops it).
    pub fn with(&self, changes: &[(&str, &str)]) -> String {
        let pairs = [
            ("status", &self.status),
            ("category", &self.category),
            ("priority", &self.priority),
            ("ward", &self.ward),
            ("from", &self.from),
            ("to", &self.to),
            ("assignee", &self.assignee),
            ("q", &self.q),
            ("sort", &self.sort),
            ("own", &self.own),
        ];
        let mut ser = form_urlencoded::Serializer::new(String::new());
        for (k, v) in pairs {
            let changed = changes.iter().find(|(c, _)| *c == k).map(|(_, v)| *v);
            let v = match changed {
                Some(v) => Some(v).filter(|v| !v.is_empty()),
                None => nonempty(v),
            };
            if let Some(v) = v {
                ser.append_pair(k, v);
            }
        }
        ser.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_told_apart_from_words() {
        assert!(is_reference("TL-7K3M9Q2XAB"));
        assert!(is_reference("tl-7k3m9q2xab"));
        assert!(!is_reference("Lê Lợi"));
        assert!(!is_reference("TL-ẮK3M9Q2X"));
        assert!(!is_reference("TẮ3456789012"));
    }

    #[test]
    fn links_replace_and_drop_parameters() {
        let q = QueueQuery {
            status: Some("closed".into()),
            q: Some("lê lợi".into()),
            ..QueueQuery::default()
        };
        assert_eq!(q.query_string(), "status=closed&q=l%C3%AA+l%E1%BB%A3i");
        assert_eq!(
            q.with(&[("status", ""), ("own", "informed")]),
            "q=l%C3%AA+l%E1%BB%A3i&own=informed"
        );
    }
}
