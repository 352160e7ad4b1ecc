//! The tamper-evident ledger: each entry's hash covers a canonical encoding of
//! what it records plus the previous entry's hash. Storage feeds it rows; this
//! module only defines the encoding and the chain rule, so verification and
//! appending can never disagree.
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The hash before the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The immutable facts of a tip, as reported. Mutable state (status, unit after
/// transfer, priority) is covered by the event entries that changed it.
#[derive(Debug, Clone, Serialize)]
pub struct TipFacts<'a> {
    pub reference: &'a str,
    pub receipt_hash: &'a str,
    pub category: &'a str,
    pub province_code: i64,
    pub ward_code: Option<i64>,
    pub routed_unit: &'a str,
    pub informed_unit: Option<&'a str>,
    pub routing_reason: &'a str,
    pub reported_priority: &'a str,
    pub when_seen: &'a str,
    pub description: &'a str,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub lang: &'a str,
    pub channel: &'a str,
    pub created_at: i64,
    pub attachment_hashes: Vec<&'a str>,
}

/// One change to a tip after submission: status, transfer, note, reply...
#[derive(Debug, Clone, Serialize)]
pub struct EventFacts<'a> {
    pub event_id: i64,
    pub tip_reference: &'a str,
    pub kind: &'a str,
    pub actor: &'a str,
    pub value: &'a str,
    pub body: &'a str,
    pub created_at: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    Tip,
    Event,
}

impl EntryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Tip => "tip",
            EntryKind::Event => "event",
        }
    }
}

/// Canonical bytes: JSON of a struct whose field order is fixed by its definition,
/// tagged with the entry kind so a tip can never be replayed as an event.
pub fn canonical<T: Serialize>(kind: EntryKind, facts: &T) -> Vec<u8> {
    let mut out = kind.as_str().as_bytes().to_vec();
    out.push(b'\n');
    out.extend(serde_json::to_vec(facts).expect("ledger facts are plain data"));
    out
}

/// SHA-256 of an entry's canonical bytes.
pub fn content_hash(canonical: &[u8]) -> String {
    hex::encode(Sha256::digest(canonical))
}

/// entry_hash = SHA-256(prev_hash_hex || "\n" || seq || "\n" || content_hash_hex)
pub fn chain_hash(prev_hash: &str, seq: i64, content_hash: &str) -> String {
    let mut h = Sha256::new();
    h.update(prev_hash.as_bytes());
    h.update(b"\n");
    h.update(seq.to_string().as_bytes());
    h.update(b"\n");
    h.update(content_hash.as_bytes());
    hex::encode(h.finalize())
}

/// Where a verification stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerifyOutcome {
    Intact {
        entries: u64,
    },
    Broken {
        seq: i64,
        subject: String,
        problem: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(description: &str) -> TipFacts<'_> {
        TipFacts {
            reference: "TL-1",
            receipt_hash: "ab",
            category: "dealing",
            province_code: 75,
            ward_code: Some(26068),
            routed_unit: "CA-26068",
            informed_unit: None,
            routing_reason: "r",
            reported_priority: "normal",
            when_seen: "now",
            description,
            latitude: None,
            longitude: None,
            lang: "vi",
            channel: "console",
            created_at: 1,
            attachment_hashes: vec![],
        }
    }

    #[test]
    fn changing_any_field_changes_the_hash() {
        let a = chain_hash(
            GENESIS,
            1,
            &content_hash(&canonical(EntryKind::Tip, &facts("bán ma túy"))),
        );
        let b = chain_hash(
            GENESIS,
            1,
            &content_hash(&canonical(EntryKind::Tip, &facts("bán ma tuý"))),
        );
        assert_ne!(a, b);
    }

    #[test]
    fn the_previous_hash_and_position_are_part_of_the_chain() {
        let c = content_hash(&canonical(EntryKind::Tip, &facts("x")));
        assert_ne!(
            chain_hash(GENESIS, 1, &c),
            chain_hash(&"1".repeat(64), 1, &c)
        );
        assert_ne!(chain_hash(GENESIS, 1, &c), chain_hash(GENESIS, 2, &c));
    }
}
