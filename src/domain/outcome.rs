//! What a tip led to, as the lead records it when the tip is closed as
//! actioned: the measure Crime Stoppers programmes report upward. It is
//! officer-side only; the reporter sees their status and nothing of this.
use serde::{Deserialize, Serialize};

use super::tip::string_enum;

string_enum!(
    /// What was seized. The list follows what Vietnamese units report; "other" covers the rest.
    Substance {
        Methamphetamine = "methamphetamine",
        Heroin = "heroin",
        Cannabis = "cannabis",
        Mdma = "mdma",
        Ketamine = "ketamine",
        SyntheticCannabinoid = "synthetic_cannabinoid",
        Other = "other",
    }
);

string_enum!(
    /// The unit of an approximate quantity (variant names match the stored text).
    QuantityUnit {
        G = "g",
        Kg = "kg",
        Ml = "ml",
        Tablet = "tablet",
        Plant = "plant",
    }
);

string_enum!(
    /// Whether the tip itself led to the result, or backed up other information.
    Contribution {
        Direct = "direct",
        Corroboration = "corroboration",
    }
);

/// One line of seized substances: a kind and an approximate quantity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seizure {
    pub kind: Substance,
    pub quantity: f64,
    pub unit: QuantityUnit,
}

/// The structured outcome of an actioned tip.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    pub contribution: Contribution,
    pub case_opened: bool,
    pub detained: u32,
    pub substances: Vec<Seizure>,
    pub venue_closed: bool,
}

/// Bounds that keep a typo from becoming a national statistic.
pub const MAX_DETAINED: u32 = 1_000;
pub const MAX_SEIZURES: usize = 10;
pub const MAX_QUANTITY: f64 = 1_000_000.0;

/// Why an outcome was refused; each is a Fluent key (`flash-` + key).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutcomeError {
    Detained,
    Quantity,
    TooManySeizures,
}

impl OutcomeError {
    pub fn key(self) -> &'static str {
        match self {
            OutcomeError::Detained => "outcome-error-detained",
            OutcomeError::Quantity => "outcome-error-quantity",
            OutcomeError::TooManySeizures => "outcome-error-seizures",
        }
    }
}

impl Outcome {
    /// Checks the bounds; a quantity is positive, finite and at most [`MAX_QUANTITY`].
    pub fn validate(&self) -> Result<(), OutcomeError> {
        if self.detained > MAX_DETAINED {
            return Err(OutcomeError::Detained);
        }
        if self.substances.len() > MAX_SEIZURES {
            return Err(OutcomeError::TooManySeizures);
        }
        let bad = |q: f64| !q.is_finite() || q <= 0.0 || q > MAX_QUANTITY;
        if self.substances.iter().any(|s| bad(s.quantity)) {
            return Err(OutcomeError::Quantity);
        }
        Ok(())
    }

    /// The canonical text kept in the ledgered event and the tip row: JSON
    /// with fields in declaration order, so the same outcome encodes the same.
    pub fn encode(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads a stored outcome; None when the text is not one (a corrupt row).
    pub fn decode(s: &str) -> Option<Outcome> {
        serde_json::from_str::<Outcome>(s)
            .ok()
            .filter(|o| o.validate().is_ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Outcome {
        Outcome {
            contribution: Contribution::Direct,
            case_opened: true,
            detained: 2,
            substances: vec![Seizure {
                kind: Substance::Methamphetamine,
                quantity: 12.5,
                unit: QuantityUnit::G,
            }],
            venue_closed: false,
        }
    }

    #[test]
    fn an_outcome_round_trips_through_its_canonical_text() {
        let o = sample();
        let text = o.encode();
        assert!(text.starts_with("{\"contribution\":\"direct\",\"case_opened\":true"));
        assert_eq!(Outcome::decode(&text), Some(o));
        assert_eq!(Outcome::decode("{\"contribution\":\"direct\"}"), None);
    }

    #[test]
    fn absurd_numbers_are_refused() {
        let mut o = sample();
        o.detained = MAX_DETAINED + 1;
        assert_eq!(o.validate(), Err(OutcomeError::Detained));
        let mut o = sample();
        o.substances[0].quantity = 0.0;
        assert_eq!(o.validate(), Err(OutcomeError::Quantity));
        o.substances[0].quantity = f64::INFINITY;
        assert_eq!(o.validate(), Err(OutcomeError::Quantity));
        let mut o = sample();
        o.substances = vec![o.substances[0].clone(); MAX_SEIZURES + 1];
        assert_eq!(o.validate(), Err(OutcomeError::TooManySeizures));
    }
}
