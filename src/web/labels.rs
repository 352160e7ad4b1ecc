//! The Fluent key that names each domain value on the dashboard. One
//! exhaustive match per type: a new variant does not compile until it has a
//! key, and the test below checks every key exists in vi and en.
use crate::domain::campaign::CampaignControl;
use crate::domain::tip::{Category, Priority, Resolution, Status, WhenSeen};
use crate::storage::campaigns::CampaignState;
use crate::storage::officers::Role;

/// A value that officers see by a localized name.
pub trait Label: Copy {
    /// The Fluent key of its name.
    fn label_key(self) -> &'static str;
}

impl Label for Category {
    fn label_key(self) -> &'static str {
        match self {
            Category::Dealing => "dash-category-dealing",
            Category::UseVenue => "dash-category-use_venue",
            Category::Trafficking => "dash-category-trafficking",
            Category::Production => "dash-category-production",
            Category::Cultivation => "dash-category-cultivation",
            Category::DisguisedSale => "dash-category-disguised_sale",
            Category::PersonInDanger => "dash-category-person_in_danger",
            Category::Other => "dash-category-other",
        }
    }
}

impl Label for Status {
    fn label_key(self) -> &'static str {
        match self {
            Status::New => "dash-status-new",
            Status::Open => "dash-status-open",
            Status::Closed => "dash-status-closed",
        }
    }
}

impl Label for Resolution {
    fn label_key(self) -> &'static str {
        match self {
            Resolution::Actioned => "dash-resolution-actioned",
            Resolution::Unfounded => "dash-resolution-unfounded",
            Resolution::Duplicate => "dash-resolution-duplicate",
            Resolution::Spam => "dash-resolution-spam",
        }
    }
}

impl Label for Priority {
    fn label_key(self) -> &'static str {
        match self {
            Priority::Urgent => "dash-priority-urgent",
            Priority::High => "dash-priority-high",
            Priority::Normal => "dash-priority-normal",
            Priority::Low => "dash-priority-low",
        }
    }
}

impl Label for WhenSeen {
    fn label_key(self) -> &'static str {
        match self {
            WhenSeen::Now => "when-now",
            WhenSeen::ThisWeek => "when-this_week",
            WhenSeen::Earlier => "when-earlier",
            WhenSeen::Unknown => "when-unknown",
        }
    }
}

impl Label for Role {
    fn label_key(self) -> &'static str {
        match self {
            Role::Officer => "role-officer",
            Role::Lead => "role-lead",
            Role::Supervisor => "role-supervisor",
            Role::National => "role-national",
            Role::Admin => "role-admin",
        }
    }
}

impl Label for CampaignState {
    fn label_key(self) -> &'static str {
        match self {
            CampaignState::Scheduled => "campaign-state-scheduled",
            CampaignState::Running => "campaign-state-running",
            CampaignState::Paused => "campaign-state-paused",
            CampaignState::Cancelled => "campaign-state-cancelled",
            CampaignState::Done => "campaign-state-done",
        }
    }
}

impl Label for CampaignControl {
    fn label_key(self) -> &'static str {
        match self {
            CampaignControl::Pause => "campaigns-pause",
            CampaignControl::Resume => "campaigns-resume",
            CampaignControl::Cancel => "campaigns-cancel",
        }
    }
}

/// Every key above.
#[cfg(test)]
fn all_keys() -> Vec<&'static str> {
    let mut keys = Vec::new();
    keys.extend(Category::ALL.iter().map(|v| v.label_key()));
    keys.extend(Status::ALL.iter().map(|v| v.label_key()));
    keys.extend(Resolution::ALL.iter().map(|v| v.label_key()));
    keys.extend(Priority::ALL.iter().map(|v| v.label_key()));
    keys.extend(WhenSeen::ALL.iter().map(|v| v.label_key()));
    keys.extend(Role::ALL.iter().map(|v| v.label_key()));
    keys.extend(
        [
            CampaignState::Scheduled,
            CampaignState::Running,
            CampaignState::Paused,
            CampaignState::Cancelled,
            CampaignState::Done,
        ]
        .map(Label::label_key),
    );
    keys.extend(
        [
            CampaignControl::Pause,
            CampaignControl::Resume,
            CampaignControl::Cancel,
        ]
        .map(Label::label_key),
    );
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_label_key_is_in_both_languages() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("locales");
        let i18n = crate::i18n::I18n::load(&dir).unwrap();
        for lang in crate::i18n::Lang::ALL {
            for key in all_keys() {
                assert!(i18n.has(lang, key), "{key} missing in {lang}");
            }
        }
    }

    #[test]
    fn keys_follow_the_stored_names() {
        for c in Category::ALL {
            assert_eq!(c.label_key(), format!("dash-category-{c}"));
        }
        for p in Priority::ALL {
            assert_eq!(p.label_key(), format!("dash-priority-{p}"));
        }
        for s in Status::ALL {
            assert_eq!(s.label_key(), format!("dash-status-{s}"));
        }
        for r in Resolution::ALL {
            assert_eq!(r.label_key(), format!("dash-resolution-{r}"));
        }
    }
}
