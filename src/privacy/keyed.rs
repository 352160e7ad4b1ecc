//! Keyed hashing: the only form in which a channel identity ever reaches storage.
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// The server secret (32+ random bytes). Never logged, never stored in the database.
#[derive(Clone)]
pub struct ServerSecret(Vec<u8>);

impl std::fmt::Debug for ServerSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ServerSecret(***)")
    }
}

impl ServerSecret {
    pub const MIN_BYTES: usize = 32;

    pub fn from_bytes(bytes: Vec<u8>) -> Option<Self> {
        (bytes.len() >= Self::MIN_BYTES).then_some(ServerSecret(bytes))
    }

    pub fn generate() -> Self {
        let mut bytes = vec![0u8; 32];
        rand::RngCore::fill_bytes(&mut rand::rng(), &mut bytes);
        ServerSecret(bytes)
    }

    pub fn to_hex(&self) -> String {
        hex::encode(&self.0)
    }

    pub fn from_hex(s: &str) -> Option<Self> {
        Self::from_bytes(hex::decode(s.trim()).ok()?)
    }

    fn mac(&self, parts: &[&[u8]]) -> String {
        let mut mac = HmacSha256::new_from_slice(&self.0).expect("HMAC takes any key length");
        for p in parts {
            mac.update(p);
        }
        hex::encode(mac.finalize().into_bytes())
    }

    /// HMAC-SHA256(secret, "channel:user_id"): the session key.
    pub fn session_key(&self, channel: &str, user_id: &str) -> SessionKey {
        SessionKey(self.mac(&[channel.as_bytes(), b":", user_id.as_bytes()]))
    }

    /// A key for abuse counters that changes every day, so counters from two days cannot be joined.
    pub fn daily_key(&self, purpose: &str, subject: &str, day: i64) -> String {
        self.mac(&[
            b"daily:",
            purpose.as_bytes(),
            b":",
            day.to_string().as_bytes(),
            b":",
            subject.as_bytes(),
        ])
    }

    /// Derives a purpose-specific sub-key (cookie signing, CSRF, webhook secrets).
    pub fn derive(&self, purpose: &str) -> Vec<u8> {
        hex::decode(self.mac(&[b"derive:", purpose.as_bytes()])).expect("hex we just made")
    }
}

/// Opaque session key (hex of an HMAC). Safe to store; says nothing about the user.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SessionKey(pub String);

impl SessionKey {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_keys_differ_by_channel_and_secret() {
        let a = ServerSecret::from_bytes(vec![1; 32]).unwrap();
        let b = ServerSecret::from_bytes(vec![2; 32]).unwrap();
        assert_ne!(a.session_key("telegram", "42"), a.session_key("zalo", "42"));
        assert_ne!(
            a.session_key("telegram", "42"),
            b.session_key("telegram", "42")
        );
        assert_eq!(
            a.session_key("telegram", "42"),
            a.session_key("telegram", "42")
        );
        assert!(!a.session_key("telegram", "424242").0.contains("424242"));
    }

    #[test]
    fn short_secrets_are_refused() {
        assert!(ServerSecret::from_bytes(vec![0; 8]).is_none());
        assert!(ServerSecret::from_hex("zz").is_none());
    }
}
