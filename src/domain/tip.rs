//! What a tip is: its category, timing, priority and lifecycle.
use serde::{Deserialize, Serialize};

macro_rules! string_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $s),+ }
            }

            pub fn parse(s: &str) -> Option<Self> {
                match s { $($s => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub(crate) use string_enum;

string_enum!(
    /// What the reporter says is happening. The order is the order shown to users.
    Category {
        Dealing = "dealing",
        UseVenue = "use_venue",
        Trafficking = "trafficking",
        Production = "production",
        Cultivation = "cultivation",
        DisguisedSale = "disguised_sale",
        PersonInDanger = "person_in_danger",
        Other = "other",
    }
);

string_enum!(
    /// When it happened, as the reporter remembers it.
    WhenSeen {
        Now = "now",
        ThisWeek = "this_week",
        Earlier = "earlier",
        Unknown = "unknown",
    }
);

string_enum!(Priority { Urgent = "urgent", High = "high", Normal = "normal", Low = "low" });

string_enum!(Status { New = "new", Open = "open", Closed = "closed" });

string_enum!(Resolution { Actioned = "actioned", Unfounded = "unfounded", Duplicate = "duplicate", Spam = "spam" });

impl Category {
    /// A person in danger needs help before paperwork.
    pub fn default_priority(self) -> Priority {
        match self {
            Category::PersonInDanger => Priority::Urgent,
            Category::Production | Category::Trafficking | Category::DisguisedSale => {
                Priority::High
            }
            _ => Priority::Normal,
        }
    }
}

impl Priority {
    /// Sort rank, most urgent first.
    pub fn rank(self) -> i64 {
        match self {
            Priority::Urgent => 0,
            Priority::High => 1,
            Priority::Normal => 2,
            Priority::Low => 3,
        }
    }
}

/// Limits on the free-text description, in characters.
pub const DESCRIPTION_MIN_CHARS: usize = 20;
pub const DESCRIPTION_MAX_CHARS: usize = 3000;
/// Follow-up messages from a reporter.
pub const MESSAGE_MAX_CHARS: usize = 2000;

/// A coordinate pair the reporter shared; validated so nonsense cannot be stored.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GeoPoint {
    pub lat: f64,
    pub lon: f64,
}

impl GeoPoint {
    pub fn parse(lat: f64, lon: f64) -> Option<Self> {
        let ok = lat.is_finite()
            && lon.is_finite()
            && (-90.0..=90.0).contains(&lat)
            && (-180.0..=180.0).contains(&lon);
        ok.then_some(GeoPoint { lat, lon })
    }
}

/// A file the channel already fetched, stripped and stored in the attachment
/// store; the draft only carries its reference and hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentRef {
    pub id: String,
    pub sha256: String,
    pub content_type: String,
    pub size: u64,
}

pub const MAX_ATTACHMENTS: usize = 5;
/// Total stored bytes of one draft's photos (after stripping and scaling down).
pub const MAX_DRAFT_ATTACHMENT_BYTES: usize = 25 * 1024 * 1024;

string_enum!(
    /// What can happen to a tip after submission. Each one is a ledger entry.
    EventKind {
        Status = "status",
        Transfer = "transfer",
        Priority = "priority",
        Assign = "assign",
        Labels = "labels",
        Note = "note",
        Reply = "reply",
        FollowUp = "followup",
        Outcome = "outcome",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_category_round_trips_through_its_name() {
        for c in Category::ALL {
            assert_eq!(Category::parse(c.as_str()), Some(*c));
        }
        assert_eq!(Category::parse("nonsense"), None);
    }

    #[test]
    fn a_person_in_danger_is_urgent() {
        assert_eq!(
            Category::PersonInDanger.default_priority(),
            Priority::Urgent
        );
        assert_eq!(Category::Dealing.default_priority(), Priority::Normal);
    }

    #[test]
    fn geo_points_outside_the_globe_are_refused() {
        assert!(GeoPoint::parse(10.9, 106.8).is_some());
        assert!(GeoPoint::parse(91.0, 0.0).is_none());
        assert!(GeoPoint::parse(f64::NAN, 0.0).is_none());
    }
}
