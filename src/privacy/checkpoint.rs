//! Signed checkpoints: (sequence number, head hash, time) signed with the
//! ledger's Ed25519 key, as one line of text anyone can keep. A copy kept
//! outside the database pins the chain's prefix: rewriting, truncating or
//! reordering anything up to that sequence number changes the head.
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};

/// Every checkpoint line starts with this word (after any pasted prefix).
pub const MARKER: &str = "tipline-checkpoint";
const VERSION: &str = "v1";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    pub seq: i64,
    pub head: String,
    pub signed_at: i64,
}

/// A checkpoint read from outside, with where it came from ("file:line").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnchoredCheckpoint {
    pub checkpoint: Checkpoint,
    pub origin: String,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CheckpointError {
    #[error("{origin}: checkpoint line is truncated or incomplete ({what})")]
    Truncated { origin: String, what: &'static str },
    #[error("{origin}: not a valid checkpoint line ({what})")]
    Malformed { origin: String, what: &'static str },
    #[error(
        "{origin}: signature does not match this ledger's public key (signed by another key, or the line was altered)"
    )]
    ForeignKey { origin: String },
    #[error("{origin}: no checkpoint line found")]
    Empty { origin: String },
}

/// The signing key. Never in the database, never logged.
pub struct LedgerKey(SigningKey);

impl std::fmt::Debug for LedgerKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LedgerKey(***)")
    }
}

impl LedgerKey {
    pub fn generate() -> LedgerKey {
        LedgerKey(SigningKey::from_bytes(&rand::random::<[u8; 32]>()))
    }

    /// The 32-byte seed as hex, as kept in the key file.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0.to_bytes())
    }

    pub fn from_hex(s: &str) -> Option<LedgerKey> {
        let seed: [u8; 32] = hex::decode(s.trim()).ok()?.try_into().ok()?;
        Some(LedgerKey(SigningKey::from_bytes(&seed)))
    }

    pub fn public(&self) -> PublicKey {
        PublicKey(self.0.verifying_key())
    }

    /// The line to publish for `checkpoint`.
    pub fn sign(&self, checkpoint: &Checkpoint) -> String {
        let message = signed_part(checkpoint);
        let signature = self.0.sign(message.as_bytes());
        format!("{message} sig={}", hex::encode(signature.to_bytes()))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey(VerifyingKey);

impl PublicKey {
    pub fn to_hex(&self) -> String {
        hex::encode(self.0.to_bytes())
    }

    pub fn from_hex(s: &str) -> Option<PublicKey> {
        let bytes: [u8; 32] = hex::decode(s.trim()).ok()?.try_into().ok()?;
        VerifyingKey::from_bytes(&bytes).ok().map(PublicKey)
    }
}

fn signed_part(c: &Checkpoint) -> String {
    format!(
        "{MARKER} {VERSION} seq={} head={} time={}",
        c.seq, c.head, c.signed_at
    )
}

/// Reads one checkpoint line (text before the marker is ignored, so a line
/// pasted with a chat prefix still reads) and checks its signature.
pub fn parse_line(
    line: &str,
    origin: &str,
    key: &PublicKey,
) -> Result<Checkpoint, CheckpointError> {
    let start = line.find(MARKER).unwrap_or(0);
    let tokens: Vec<&str> = line[start..].split_whitespace().collect();
    let truncated = |what| CheckpointError::Truncated {
        origin: origin.to_string(),
        what,
    };
    let malformed = |what| CheckpointError::Malformed {
        origin: origin.to_string(),
        what,
    };
    if tokens.first() != Some(&MARKER) {
        return Err(truncated("the line does not start with tipline-checkpoint"));
    }
    if tokens.get(1).is_some_and(|v| *v != VERSION) {
        return Err(malformed("unknown version"));
    }
    let field = |i: usize, name: &'static str| -> Result<&str, CheckpointError> {
        tokens
            .get(i)
            .and_then(|t| t.strip_prefix(name))
            .ok_or_else(|| truncated(name))
    };
    let seq = field(2, "seq=")?;
    let head = field(3, "head=")?;
    let time = field(4, "time=")?;
    let sig = field(5, "sig=")?;
    if tokens.len() > 6 {
        return Err(malformed("text after the signature"));
    }
    if head.len() != 64 || sig.len() != 128 {
        return Err(truncated("hash or signature too short"));
    }
    let checkpoint = Checkpoint {
        seq: seq.parse().map_err(|_| malformed("seq is not a number"))?,
        head: head.to_ascii_lowercase(),
        signed_at: time
            .parse()
            .map_err(|_| malformed("time is not a number"))?,
    };
    let sig_bytes: [u8; 64] = hex::decode(sig)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| malformed("signature is not hex"))?;
    key.0
        .verify(
            signed_part(&checkpoint).as_bytes(),
            &Signature::from_bytes(&sig_bytes),
        )
        .map_err(|_| CheckpointError::ForeignKey {
            origin: origin.to_string(),
        })?;
    Ok(checkpoint)
}

/// Every checkpoint in a file or pasted message. Lines that mention no
/// checkpoint (a chat header, blank lines) are passed over; a line that does
/// but fails to read is an error naming it, never skipped.
pub fn parse_text(
    text: &str,
    name: &str,
    key: &PublicKey,
) -> Result<Vec<AnchoredCheckpoint>, CheckpointError> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if !line.contains("tipline-") {
            continue;
        }
        let origin = format!("{name}:{}", i + 1);
        let checkpoint = parse_line(line, &origin, key)?;
        out.push(AnchoredCheckpoint { checkpoint, origin });
    }
    if out.is_empty() {
        return Err(CheckpointError::Empty {
            origin: name.to_string(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Checkpoint {
        Checkpoint {
            seq: 42,
            head: "ab".repeat(32),
            signed_at: 1_764_000_000_000,
        }
    }

    #[test]
    fn a_signed_line_reads_back_even_with_a_chat_prefix() {
        let key = LedgerKey::generate();
        let line = key.sign(&sample());
        let text = format!("Ledger checkpoint:\n\n> {line}\n");
        let got = parse_text(&text, "msg", &key.public()).unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].checkpoint, sample());
        assert_eq!(got[0].origin, "msg:3");
    }

    #[test]
    fn truncated_foreign_and_altered_lines_are_named_errors() {
        let key = LedgerKey::generate();
        let line = key.sign(&sample());
        let cut = &line[..line.len() - 10];
        assert!(matches!(
            parse_text(&format!("x\n{cut}"), "f", &key.public()),
            Err(CheckpointError::Truncated { origin, .. }) if origin == "f:2"
        ));
        let other = LedgerKey::generate();
        assert!(matches!(
            parse_text(&line, "f", &other.public()),
            Err(CheckpointError::ForeignKey { origin }) if origin == "f:1"
        ));
        let altered = line.replace("seq=42", "seq=41");
        assert!(matches!(
            parse_text(&altered, "f", &key.public()),
            Err(CheckpointError::ForeignKey { .. })
        ));
        assert!(matches!(
            parse_text("nothing here", "f", &key.public()),
            Err(CheckpointError::Empty { .. })
        ));
        assert_eq!(
            LedgerKey::from_hex(&key.to_hex()).unwrap().public(),
            key.public()
        );
    }
}
