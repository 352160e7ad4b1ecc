//! Sealing at rest: the sensitive columns (tip text, replies, GPS, photos,
//! TOTP seeds, platform tokens, chat addresses, session drafts) are stored
//! encrypted with XChaCha20-Poly1305, under a key that lives in a file
//! outside the database (`TIPLINE_DATA_KEY_FILE`). A copy of the database
//! alone reads as noise.
//!
//! Every sealed value names the key that sealed it, so keys can be rotated
//! (`tipline keys rotate`): the key file lists every key still needed, the
//! last one seals new data, older ones only open old data until the rotation
//! has re-sealed everything. Each value also carries its own random 192-bit
//! nonce, so one key seals any number of values safely.
//!
//! The `context` of a seal (for example `"tips.description"`) is bound as
//! associated data: a value copied into another column does not open there.
//!
//! Usage: `keys.seal_text("my_table.column", plain)` gives a `String` to
//! store in a TEXT column; `keys.open_text("my_table.column", &stored)` gives
//! the plaintext back or a [`SealError`]. `seal_bytes`/`open_bytes` do the
//! same for BLOB columns. [`DataKeys::index`] gives a keyed, deterministic
//! lookup value for equality searches on a sealed column.
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Text form: `ts1.<key id>.<base64url(nonce || ciphertext)>`.
const TEXT_PREFIX: &str = "ts1.";
/// Binary form: `TS1` + 4-byte key id + 24-byte nonce + ciphertext.
const BYTES_PREFIX: &[u8] = b"TS1";
const KEY_ID_LEN: usize = 4;
const NONCE_LEN: usize = 24;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SealError {
    /// The value was sealed by a key the key file does not hold.
    #[error(
        "stored data was sealed with data key {key_id}, which is not in the data key file {file}; start with the key file that sealed it (TIPLINE_DATA_KEY_FILE)"
    )]
    UnknownKey { key_id: String, file: String },
    /// The key id matches but the value does not open: tampered, or a
    /// different key file that happens to reuse the id.
    #[error(
        "stored data ({context}) does not open with data key {key_id} from {file}: wrong key file, or the data was altered"
    )]
    WrongKey {
        key_id: String,
        context: String,
        file: String,
    },
    #[error("stored data ({context}) is not sealed data")]
    Malformed { context: String },
    #[error("data key file {file}: {message}")]
    KeyFile { file: String, message: String },
}

/// One data key: an id, and the two keys derived from its material.
struct DataKey {
    id: [u8; KEY_ID_LEN],
    material: [u8; 32],
    aead: XChaCha20Poly1305,
    index: [u8; 32],
}

impl DataKey {
    fn new(id: [u8; KEY_ID_LEN], material: [u8; 32]) -> DataKey {
        // HKDF separates the two uses, so the lookup key is never the cipher key.
        let hk = Hkdf::<Sha256>::new(Some(b"tipline data key v1"), &material);
        let mut seal = [0u8; 32];
        let mut index = [0u8; 32];
        hk.expand(b"seal", &mut seal)
            .expect("32 bytes is a valid HKDF length");
        hk.expand(b"index", &mut index)
            .expect("32 bytes is a valid HKDF length");
        DataKey {
            id,
            material,
            aead: XChaCha20Poly1305::new((&seal).into()),
            index,
        }
    }

    fn id_hex(&self) -> String {
        hex::encode(self.id)
    }
}

/// The keyring read from the data key file. The last key is the current one.
pub struct DataKeys {
    keys: Vec<DataKey>,
    file: String,
}

impl std::fmt::Debug for DataKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DataKeys")
            .field("ids", &self.ids())
            .field("file", &self.file)
            .finish()
    }
}

impl DataKeys {
    /// A fresh keyring with one random key; `file` names it in errors.
    pub fn generate(file: &str) -> DataKeys {
        DataKeys {
            keys: vec![random_key()],
            file: file.to_string(),
        }
    }

    /// Parses the key file's text: `key <8 hex id> <64 hex material>` lines,
    /// oldest first; `#` comments and blank lines are skipped.
    pub fn parse(text: &str, file: &str) -> Result<DataKeys, SealError> {
        let bad = |message: String| SealError::KeyFile {
            file: file.to_string(),
            message,
        };
        let mut keys: Vec<DataKey> = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let parts: Vec<&str> = line.split_whitespace().collect();
            let parsed = match parts.as_slice() {
                ["key", id, material] => hex_array::<KEY_ID_LEN>(id).zip(hex_array::<32>(material)),
                _ => None,
            };
            let Some((id, material)) = parsed else {
                return Err(bad(format!(
                    "line {} is not `key <8 hex digits> <64 hex digits>`",
                    n + 1
                )));
            };
            if keys.iter().any(|k| k.id == id) {
                return Err(bad(format!("key {} is listed twice", hex::encode(id))));
            }
            keys.push(DataKey::new(id, material));
        }
        if keys.is_empty() {
            return Err(bad("holds no key".into()));
        }
        Ok(DataKeys {
            keys,
            file: file.to_string(),
        })
    }

    /// The key file's text for this keyring.
    pub fn to_file_text(&self) -> String {
        let mut out = String::from(
            "# Tipline data keys: they open the sealed columns of the database.\n\
             # Keep this file off the database host and out of database backups.\n\
             # The last key seals new data; older keys are kept only until\n\
             # `tipline keys rotate` has re-sealed everything with the last one.\n",
        );
        for k in &self.keys {
            out.push_str(&format!("key {} {}\n", k.id_hex(), hex::encode(k.material)));
        }
        out
    }

    /// This keyring plus a new random key, which becomes the current one.
    pub fn with_new_key(&self) -> DataKeys {
        let mut keys: Vec<DataKey> = self
            .keys
            .iter()
            .map(|k| DataKey::new(k.id, k.material))
            .collect();
        let mut new = random_key();
        while keys.iter().any(|k| k.id == new.id) {
            new = random_key();
        }
        keys.push(new);
        DataKeys {
            keys,
            file: self.file.clone(),
        }
    }

    /// Only the current key: what is left once a rotation has finished.
    pub fn current_only(&self) -> DataKeys {
        let k = self.current();
        DataKeys {
            keys: vec![DataKey::new(k.id, k.material)],
            file: self.file.clone(),
        }
    }

    /// Key ids, oldest first; the last one is current.
    pub fn ids(&self) -> Vec<String> {
        self.keys.iter().map(DataKey::id_hex).collect()
    }

    pub fn current_id(&self) -> String {
        self.current().id_hex()
    }

    /// The key file these keys came from, for messages.
    pub fn file(&self) -> &str {
        &self.file
    }

    fn current(&self) -> &DataKey {
        self.keys.last().expect("a keyring is never empty")
    }

    fn by_id(&self, id: &[u8]) -> Result<&DataKey, SealError> {
        self.keys
            .iter()
            .find(|k| k.id == id)
            .ok_or_else(|| SealError::UnknownKey {
                key_id: hex::encode(id),
                file: self.file.clone(),
            })
    }

    /// Seals `plain` under the current key, for a TEXT column.
    pub fn seal_text(&self, context: &str, plain: &str) -> String {
        let k = self.current();
        let body = encrypt(k, context, plain.as_bytes());
        format!(
            "{TEXT_PREFIX}{}.{}",
            k.id_hex(),
            URL_SAFE_NO_PAD.encode(body)
        )
    }

    /// Opens a value made by [`DataKeys::seal_text`] with the same `context`.
    pub fn open_text(&self, context: &str, sealed: &str) -> Result<String, SealError> {
        let malformed = || SealError::Malformed {
            context: context.to_string(),
        };
        let rest = sealed.strip_prefix(TEXT_PREFIX).ok_or_else(malformed)?;
        let (id, body) = rest.split_once('.').ok_or_else(malformed)?;
        let id = hex_array::<KEY_ID_LEN>(id).ok_or_else(malformed)?;
        let body = URL_SAFE_NO_PAD.decode(body).map_err(|_| malformed())?;
        let plain = decrypt(self.by_id(&id)?, context, &body, &self.file)?;
        String::from_utf8(plain).map_err(|_| malformed())
    }

    /// Seals `plain` under the current key, for a BLOB column.
    pub fn seal_bytes(&self, context: &str, plain: &[u8]) -> Vec<u8> {
        let k = self.current();
        let mut out =
            Vec::with_capacity(BYTES_PREFIX.len() + KEY_ID_LEN + NONCE_LEN + plain.len() + 16);
        out.extend_from_slice(BYTES_PREFIX);
        out.extend_from_slice(&k.id);
        out.extend_from_slice(&encrypt(k, context, plain));
        out
    }

    /// Opens a value made by [`DataKeys::seal_bytes`] with the same `context`.
    pub fn open_bytes(&self, context: &str, sealed: &[u8]) -> Result<Vec<u8>, SealError> {
        let rest = sealed
            .strip_prefix(BYTES_PREFIX)
            .ok_or_else(|| SealError::Malformed {
                context: context.to_string(),
            })?;
        if rest.len() < KEY_ID_LEN {
            return Err(SealError::Malformed {
                context: context.to_string(),
            });
        }
        let (id, body) = rest.split_at(KEY_ID_LEN);
        decrypt(self.by_id(id)?, context, body, &self.file)
    }

    /// Whether a TEXT value is sealed at all (legacy rows are plaintext
    /// until the first start after the upgrade seals them).
    pub fn is_sealed_text(stored: &str) -> bool {
        stored.starts_with(TEXT_PREFIX)
    }

    pub fn is_sealed_bytes(stored: &[u8]) -> bool {
        stored.starts_with(BYTES_PREFIX)
            && stored.len() > BYTES_PREFIX.len() + KEY_ID_LEN + NONCE_LEN
    }

    /// Whether a sealed TEXT value is sealed by the current key.
    pub fn is_current_text(&self, stored: &str) -> bool {
        stored
            .strip_prefix(TEXT_PREFIX)
            .and_then(|rest| rest.split_once('.'))
            .is_some_and(|(id, _)| id == self.current_id())
    }

    pub fn is_current_bytes(&self, stored: &[u8]) -> bool {
        stored
            .strip_prefix(BYTES_PREFIX)
            .is_some_and(|rest| rest.len() >= KEY_ID_LEN && rest[..KEY_ID_LEN] == self.current().id)
    }

    /// A deterministic keyed lookup value for `value` under the current key
    /// (HMAC-SHA256, hex), so a sealed column can still be found by equality
    /// without storing the value. Without the key file it cannot be reversed
    /// by trying every chat id.
    pub fn index(&self, context: &str, value: &str) -> String {
        index_with(self.current(), context, value)
    }

    /// [`DataKeys::index`] under every key, current first: during a rotation a
    /// row may still carry its index under an older key.
    pub fn index_candidates(&self, context: &str, value: &str) -> Vec<String> {
        self.keys
            .iter()
            .rev()
            .map(|k| index_with(k, context, value))
            .collect()
    }
}

fn random_key() -> DataKey {
    DataKey::new(rand::random(), rand::random())
}

fn hex_array<const N: usize>(s: &str) -> Option<[u8; N]> {
    hex::decode(s).ok()?.try_into().ok()
}

fn encrypt(k: &DataKey, context: &str, plain: &[u8]) -> Vec<u8> {
    let nonce: [u8; NONCE_LEN] = rand::random();
    let payload = Payload {
        msg: plain,
        aad: context.as_bytes(),
    };
    let ct = k
        .aead
        .encrypt(XNonce::from_slice(&nonce), payload)
        .expect("XChaCha20-Poly1305 encrypts any length that fits in memory");
    let mut out = Vec::with_capacity(NONCE_LEN + ct.len());
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ct);
    out
}

fn decrypt(k: &DataKey, context: &str, body: &[u8], file: &str) -> Result<Vec<u8>, SealError> {
    let wrong = || SealError::WrongKey {
        key_id: k.id_hex(),
        context: context.to_string(),
        file: file.to_string(),
    };
    if body.len() < NONCE_LEN {
        return Err(wrong());
    }
    let (nonce, ct) = body.split_at(NONCE_LEN);
    let payload = Payload {
        msg: ct,
        aad: context.as_bytes(),
    };
    k.aead
        .decrypt(XNonce::from_slice(nonce), payload)
        .map_err(|_| wrong())
}

fn index_with(k: &DataKey, context: &str, value: &str) -> String {
    let mut mac =
        <Hmac<Sha256> as Mac>::new_from_slice(&k.index).expect("HMAC takes any key length");
    mac.update(context.as_bytes());
    mac.update(b"\0");
    mac.update(value.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

#[cfg(test)]
#[path = "seal_tests.rs"]
mod tests;
