//! The tamper-evident ledger: each entry's hash covers a canonical encoding of
//! what it records plus the previous entry's hash. Storage feeds it rows; this
//! module only defines the encoding and the chain rule, so verification and
//! appending can never disagree.
use serde::{Deserialize, Serialize};
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
/// The free text is committed to by its digest ([`text_digest`]), so a purge
/// can keep this skeleton (and `verify` can replay the status it proves)
/// without keeping what anyone wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventFacts {
    pub event_id: i64,
    pub tip_reference: String,
    pub kind: String,
    pub actor: String,
    pub value: String,
    pub body_sha256: String,
    pub created_at: i64,
}

/// A stored photo or file of a tip. The bytes are covered by `sha256`, which
/// `verify` recomputes from the stored bytes.
#[derive(Debug, Clone, Serialize)]
pub struct AttachmentFacts<'a> {
    pub attachment_id: &'a str,
    pub tip_reference: &'a str,
    pub sha256: &'a str,
    pub content_type: &'a str,
    pub size: i64,
    pub created_at: i64,
}

/// One audit-log row: who viewed or changed what.
#[derive(Debug, Clone, Serialize)]
pub struct AuditFacts<'a> {
    pub audit_id: i64,
    pub officer_id: i64,
    pub username: &'a str,
    pub unit: &'a str,
    pub tip_id: Option<i64>,
    pub tip_reference: Option<&'a str>,
    pub action: &'a str,
    pub detail: &'a str,
    pub created_at: i64,
}

/// One ledger entry a purge removes the row of: its position and content hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemovedEntry {
    pub seq: i64,
    pub content_hash: String,
}

/// The retention purge of one tip. `events` are the skeletons of its events,
/// from which `verify` recomputes their content hashes and replays that the
/// tip was closed, and since when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurgeFacts {
    pub tip_id: i64,
    pub reference: String,
    pub purged_at: i64,
    pub retention_days: i64,
    pub removed: Vec<RemovedEntry>,
    pub events: Vec<EventFacts>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntryKind {
    Tip,
    Event,
    Attachment,
    Purge,
    Audit,
}

impl EntryKind {
    pub const ALL: [EntryKind; 5] = [
        EntryKind::Tip,
        EntryKind::Event,
        EntryKind::Attachment,
        EntryKind::Purge,
        EntryKind::Audit,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Tip => "tip",
            EntryKind::Event => "event",
            EntryKind::Attachment => "attachment",
            EntryKind::Purge => "purge",
            EntryKind::Audit => "audit",
        }
    }

    pub fn parse(s: &str) -> Option<EntryKind> {
        EntryKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Entries whose row goes with the tip in a retention purge.
    pub fn is_tip_content(self) -> bool {
        matches!(
            self,
            EntryKind::Tip | EntryKind::Event | EntryKind::Attachment
        )
    }
}

/// The digest by which the ledger commits to free text (descriptions stay
/// hashed as plaintext inside the tip's facts; event bodies go through here).
/// Whatever storage does to the text at rest, the ledger hashes the plaintext.
pub fn text_digest(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// SHA-256 of stored bytes (attachments), as hex.
pub fn bytes_digest(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Canonical bytes: JSON of a struct whose field order is fixed by its definition,
/// tagged with the entry kind so a tip can never be replayed as an event.
pub fn canonical<T: Serialize>(kind: EntryKind, facts: &T) -> Vec<u8> {
    let mut out = kind.as_str().as_bytes().to_vec();
    out.push(b'\n');
    // Serialising plain structs of strings and numbers cannot fail; an empty
    // body would only make the hash mismatch, never pass.
    out.extend(serde_json::to_vec(facts).unwrap_or_default());
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

/// Where a verification stopped. `seq` is the first bad entry, or 0 when the
/// problem is a row that has no entry at all.
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
        let hash = |f: &TipFacts| content_hash(&canonical(EntryKind::Tip, f));
        type Change = fn(&mut TipFacts);
        // One change per field of TipFacts; the count below keeps the list whole.
        let changes: [(&str, Change); 17] = [
            ("reference", |f| f.reference = "TL-2"),
            ("receipt_hash", |f| f.receipt_hash = "ac"),
            ("category", |f| f.category = "trafficking"),
            ("province_code", |f| f.province_code = 79),
            ("ward_code", |f| f.ward_code = None),
            ("routed_unit", |f| f.routed_unit = "PC04-75"),
            ("informed_unit", |f| f.informed_unit = Some("CA-26068")),
            ("routing_reason", |f| f.routing_reason = "s"),
            ("reported_priority", |f| f.reported_priority = "urgent"),
            ("when_seen", |f| f.when_seen = "earlier"),
            ("description", |f| f.description = "bán ma tuý"),
            ("latitude", |f| f.latitude = Some(10.9)),
            ("longitude", |f| f.longitude = Some(106.8)),
            ("lang", |f| f.lang = "en"),
            ("channel", |f| f.channel = "telegram"),
            ("created_at", |f| f.created_at = 2),
            ("attachment_hashes", |f| f.attachment_hashes = vec!["cd"]),
        ];
        let fields = serde_json::to_value(facts("bán ma túy")).unwrap();
        assert_eq!(fields.as_object().unwrap().len(), changes.len());
        let base = hash(&facts("bán ma túy"));
        let mut seen = std::collections::HashSet::from([base.clone()]);
        for (field, change) in changes {
            let mut f = facts("bán ma túy");
            let before = serde_json::to_value(&f).unwrap();
            change(&mut f);
            let after = serde_json::to_value(&f).unwrap();
            // The change touched exactly the named field.
            let touched: Vec<&String> = before
                .as_object()
                .unwrap()
                .iter()
                .filter(|(k, v)| after[k.as_str()] != **v)
                .map(|(k, _)| k)
                .collect();
            assert_eq!(touched, [field], "the change for {field}");
            let h = hash(&f);
            assert_ne!(h, base, "changing {field} left the hash as it was");
            assert!(seen.insert(h), "changing {field} collided");
            assert_ne!(
                chain_hash(GENESIS, 1, &hash(&f)),
                chain_hash(GENESIS, 1, &base)
            );
        }
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
