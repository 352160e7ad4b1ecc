//! The sealed columns, and the one way storage reads and writes them.
//!
//! # Sealed at rest
//! Everything a person wrote or that could find them is stored sealed
//! (`privacy::seal`, XChaCha20-Poly1305 under the data key file, never in
//! the database): tip descriptions and GPS, event bodies (replies,
//! follow-ups, notes), attachment bytes, session states (drafts), officers'
//! TOTP seeds, the Zalo OA tokens and subscription addresses. Storage seals
//! on write and opens on read, so everything above it sees plaintext. A
//! value that does not open is an error ([`StorageError::Sealed`]), never
//! shown. The ledger hashes the plaintext, so `ledger verify` still catches
//! an edit and a key rotation changes no hash.
use super::{Result, StorageError};
use crate::domain::channel::Channel;
use crate::privacy::seal::DataKeys;

/// Associated data of each sealed column (`table.column`): a value moved to
/// another column does not open there.
pub const TIP_DESCRIPTION: &str = "tips.description";
pub const TIP_LOCATION: &str = "tips.location";
pub const EVENT_BODY: &str = "tip_events.body";
pub const ATTACHMENT_BYTES: &str = "attachments.bytes";
pub const SESSION_STATE: &str = "sessions.state";
pub const TOTP_SECRET: &str = "officers.totp_secret";
pub const ZALO_ACCESS: &str = "zalo_tokens.access_token";
pub const ZALO_REFRESH: &str = "zalo_tokens.refresh_token";
pub const SUB_ADDRESS: &str = "subscriptions.address";
pub const KEY_PROBE: &str = "data_keys_in_use.probe";

pub(crate) fn open_text(keys: &DataKeys, context: &str, stored: &str) -> Result<String> {
    keys.open_text(context, stored).map_err(StorageError::from)
}

pub(crate) fn open_opt(
    keys: &DataKeys,
    context: &str,
    stored: Option<String>,
) -> Result<Option<String>> {
    stored.map(|s| open_text(keys, context, &s)).transpose()
}

pub(crate) fn open_bytes(keys: &DataKeys, context: &str, stored: &[u8]) -> Result<Vec<u8>> {
    keys.open_bytes(context, stored).map_err(StorageError::from)
}

/// A GPS point as sealed text. `f64`'s `Display` is the shortest text that
/// reads back to the same bits, so the ledger hashes the very same numbers.
pub(crate) fn seal_location(keys: &DataKeys, point: Option<(f64, f64)>) -> Option<String> {
    point.map(|(lat, lon)| keys.seal_text(TIP_LOCATION, &format!("{lat},{lon}")))
}

pub(crate) fn open_location(keys: &DataKeys, stored: Option<String>) -> Result<Option<(f64, f64)>> {
    let Some(text) = open_opt(keys, TIP_LOCATION, stored)? else {
        return Ok(None);
    };
    let parsed = text
        .split_once(',')
        .and_then(|(a, b)| Some((a.parse().ok()?, b.parse().ok()?)));
    parsed
        .map(Some)
        .ok_or_else(|| StorageError::Corrupt("a sealed GPS point is not two numbers".into()))
}

/// The lookup values of a chat address (current key first): subscriptions
/// are found by these, never by the address itself.
pub(crate) fn address_keys(keys: &DataKeys, channel: Channel, address: &str) -> Vec<String> {
    keys.index_candidates(SUB_ADDRESS, &format!("{}:{address}", channel.as_str()))
}

/// `$first, $first+1, ...`: placeholders for an IN list of `n` values.
pub(crate) fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gps_point_reads_back_to_the_same_bits() {
        let keys = DataKeys::generate("k");
        // Neither has a short exact decimal form.
        let p = (10.957_314 + 1e-13, -(0.1 + 0.2) - 106.0);
        let sealed = seal_location(&keys, Some(p));
        assert!(!sealed.as_deref().unwrap().contains("10.95"));
        let back = open_location(&keys, sealed).unwrap().unwrap();
        assert_eq!(back.0.to_bits(), p.0.to_bits());
        assert_eq!(back.1.to_bits(), p.1.to_bits());
        assert_eq!(open_location(&keys, None).unwrap(), None);
    }

    #[test]
    fn in_lists_number_their_placeholders() {
        assert_eq!(placeholders(3, 2), "$3, $4");
    }
}
