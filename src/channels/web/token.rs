//! The conversation token: 128 random bits the browser keeps in
//! `sessionStorage`, plus a MAC so the server can tell a token it issued
//! from a made-up one without remembering either. Nothing about a token is
//! stored: the session is keyed by a keyed hash of it, like a chat id.
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::privacy::keyed::ServerSecret;

/// 16 random bytes and a 16-byte tag, as 64 lowercase hex digits.
pub const TOKEN_HEX_LEN: usize = 64;
const RANDOM_BYTES: usize = 16;

/// Why a token was refused: its shape, or its tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenError {
    Missing,
    Malformed,
    Forged,
}

/// A token this server issued. `id` is what the engine sees as the user id:
/// a keyed hash, so not even the token reaches storage.
#[derive(Clone)]
pub struct Token {
    pub id: String,
}

pub struct Tokens {
    key: Vec<u8>,
}

impl Tokens {
    pub fn new(secret: &ServerSecret) -> Tokens {
        Tokens {
            key: secret.derive("web-chat-token"),
        }
    }

    fn tag(&self, random: &[u8]) -> [u8; 16] {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes any key");
        mac.update(random);
        let full = mac.finalize().into_bytes();
        let mut tag = [0u8; 16];
        tag.copy_from_slice(&full[..16]);
        tag
    }

    /// A fresh token for a new conversation.
    pub fn issue(&self) -> String {
        let random: [u8; RANDOM_BYTES] = rand::random();
        let mut bytes = random.to_vec();
        bytes.extend(self.tag(&random));
        hex::encode(bytes)
    }

    /// Checks the shape, then the tag in constant time.
    pub fn verify(&self, secret: &ServerSecret, text: Option<&str>) -> Result<Token, TokenError> {
        let text = text.ok_or(TokenError::Missing)?;
        let well_formed = text.len() == TOKEN_HEX_LEN
            && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        if !well_formed {
            return Err(TokenError::Malformed);
        }
        let bytes = hex::decode(text).map_err(|_| TokenError::Malformed)?;
        let (random, tag) = bytes.split_at(RANDOM_BYTES);
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes any key");
        mac.update(random);
        mac.verify_truncated_left(tag)
            .map_err(|_| TokenError::Forged)?;
        Ok(Token {
            id: secret.session_key("web-token", text).0,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret(b: u8) -> ServerSecret {
        ServerSecret::from_bytes(vec![b; 32]).unwrap()
    }

    #[test]
    fn an_issued_token_verifies_and_its_id_is_not_the_token() {
        let s = secret(1);
        let tokens = Tokens::new(&s);
        let t = tokens.issue();
        assert_eq!(t.len(), TOKEN_HEX_LEN);
        let id = tokens.verify(&s, Some(&t)).unwrap().id;
        assert!(!id.contains(&t[..32]));
        assert_ne!(tokens.issue(), t, "random");
    }

    #[test]
    fn made_up_altered_or_misshapen_tokens_are_refused() {
        let s = secret(1);
        let tokens = Tokens::new(&s);
        let t = tokens.issue();
        let mut altered = t.clone().into_bytes();
        altered[3] = if altered[3] == b'a' { b'b' } else { b'a' };
        let altered = String::from_utf8(altered).unwrap();
        assert_eq!(
            tokens.verify(&s, Some(&altered)).err(),
            Some(TokenError::Forged)
        );
        let other = Tokens::new(&secret(2)).issue();
        assert_eq!(
            tokens.verify(&s, Some(&other)).err(),
            Some(TokenError::Forged)
        );
        for bad in [
            "",
            "abc",
            &t.to_uppercase(),
            &format!("{t}0"),
            &"g".repeat(64),
        ] {
            assert_eq!(
                tokens.verify(&s, Some(bad)).err(),
                Some(TokenError::Malformed),
                "{bad}"
            );
        }
        assert_eq!(tokens.verify(&s, None).err(), Some(TokenError::Missing));
    }
}
