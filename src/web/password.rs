//! Password hashing (argon2id) and TOTP codes.
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rand::RngCore;
use subtle::ConstantTimeEq;
use totp_rs::{Algorithm, Secret, TOTP};

use crate::app::AppState;

/// Checked against when the username does not exist, so a wrong name costs
/// as much time as a wrong password.
pub const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$dGlwbGluZWR1bW15c2FsdA$Ck1mcbbPXQ2yX2+Lr3TnVYGd4Fk9+5gEGsKZ4yMrBmw";

/// Shortest password accepted for an officer account.
pub const MIN_PASSWORD_CHARS: usize = 10;

pub fn hash(password: &str) -> Result<String, argon2::password_hash::Error> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt)?;
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// `verify` on a blocking thread, behind the password gate, so a login flood
/// cannot occupy the async workers the webhooks and the dashboard share.
pub async fn verify_gated(state: &AppState, password: &str, stored: &str) -> bool {
    let Ok(_permit) = state.gates.passwords.acquire().await else {
        return false; // the gate closes only at shutdown
    };
    let (password, stored) = (password.to_string(), stored.to_string());
    tokio::task::spawn_blocking(move || verify(&password, &stored))
        .await
        .unwrap_or(false)
}

/// A refusal reason (a Fluent key) for a new password, or None when acceptable.
pub fn weakness(password: &str) -> Option<&'static str> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        Some("password-too-short")
    } else {
        None
    }
}

fn totp(secret_b32: &str) -> Option<TOTP> {
    let bytes = Secret::Encoded(secret_b32.to_string()).to_bytes().ok()?;
    Some(TOTP::new_unchecked(Algorithm::SHA1, 6, 1, 30, bytes))
}

/// True when `code` is valid now (one step of clock skew either way).
pub fn totp_check(secret_b32: &str, code: &str) -> bool {
    code.len() == 6 && totp(secret_b32).is_some_and(|t| t.check_current(code).unwrap_or(false))
}

/// The time step `code` belongs to (now, or one step either side for clock
/// skew), so the caller can refuse a step already used.
pub fn totp_step(secret_b32: &str, code: &str, now_ms: i64) -> Option<i64> {
    if code.len() != 6 {
        return None;
    }
    let totp = totp(secret_b32)?;
    let now_step = now_ms.div_euclid(30_000);
    (now_step - 1..=now_step + 1).find(|step| {
        let at = u64::try_from(step * 30).unwrap_or(0);
        bool::from(totp.generate(at).as_bytes().ct_eq(code.as_bytes()))
    })
}

/// The code of a given time step (tests: the next step's code is valid now,
/// and differs from the current one, so replay protection can be tested).
pub fn totp_code_at_step(secret_b32: &str, step: i64) -> Option<String> {
    Some(totp(secret_b32)?.generate(u64::try_from(step * 30).ok()?))
}

/// The current code; for tests and for the setup page's self-check.
pub fn totp_now(secret_b32: &str) -> Option<String> {
    totp(secret_b32)?.generate_current().ok()
}

/// A fresh 160-bit secret, base32 without padding.
pub fn new_totp_secret() -> String {
    let mut b = [0u8; 20];
    rand::rng().fill_bytes(&mut b);
    match Secret::Raw(b.to_vec()).to_encoded() {
        Secret::Encoded(s) => s,
        Secret::Raw(_) => unreachable!("to_encoded always encodes"),
    }
}

/// The `otpauth://` URI authenticator apps accept when typed or pasted.
pub fn otpauth_uri(secret_b32: &str, username: &str) -> String {
    let label: String =
        form_urlencoded::byte_serialize(format!("Tipline:{username}").as_bytes()).collect();
    format!(
        "otpauth://totp/{label}?secret={secret_b32}&issuer=Tipline&algorithm=SHA1&digits=6&period=30"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hashed_password_verifies_and_a_wrong_one_does_not() {
        let h = hash("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("correct horse battery", &h));
        assert!(!verify("correct horse batterz", &h));
        assert!(!verify("anything", DUMMY_HASH));
    }

    #[test]
    fn the_current_totp_code_is_accepted_and_others_are_not() {
        let s = new_totp_secret();
        let code = totp_now(&s).unwrap();
        assert!(totp_check(&s, &code));
        assert!(!totp_check("not base32!", &code));
        // Every wrong code, at a fixed time so the window cannot move under us.
        let now = 1_800_000_000_000_i64;
        let step = now / 30_000;
        let window: Vec<String> = (step - 1..=step + 1)
            .map(|st| totp_code_at_step(&s, st).unwrap())
            .collect();
        for (st, c) in (step - 1..=step + 1).zip(&window) {
            assert_eq!(totp_step(&s, c, now), Some(st));
        }
        let current = &window[1];
        let mut wrong: Vec<String> = Vec::new();
        // Each digit replaced by each other digit.
        for i in 0..6 {
            for d in b'0'..=b'9' {
                let mut b = current.clone().into_bytes();
                if b[i] != d {
                    b[i] = d;
                    wrong.push(String::from_utf8(b).unwrap());
                }
            }
        }
        // Codes of steps outside the window.
        for st in (step - 20..step - 1).chain(step + 2..step + 20) {
            wrong.push(totp_code_at_step(&s, st).unwrap());
        }
        // The right digits in the wrong shape.
        wrong.extend([
            current[..5].to_string(),
            current[1..].to_string(),
            format!("{current}0"),
            format!("0{current}"),
            format!(" {current}"),
            format!("{current} "),
            current.replace('0', "o"),
            current
                .chars()
                .map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap())
                .collect(),
            String::new(),
            "000000".into(),
            "999999".into(),
        ]);
        // And a fixed-seed sample of arbitrary six-digit codes.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..5_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            wrong.push(format!("{:06}", x % 1_000_000));
        }
        let mut tried = 0;
        for c in wrong.iter().filter(|c| !window.contains(c)) {
            assert_eq!(totp_step(&s, c, now), None, "accepted wrong code {c:?}");
            tried += 1;
        }
        assert!(tried > 5_000, "only {tried} wrong codes tried");
    }

    #[test]
    fn a_code_names_its_own_time_step_and_wrong_codes_name_none() {
        let s = new_totp_secret();
        let now = 1_800_000_000_000_i64;
        let step = now / 30_000;
        let t = totp(&s).unwrap();
        let code = t.generate((step * 30) as u64);
        assert_eq!(totp_step(&s, &code, now), Some(step));
        let previous = t.generate(((step - 1) * 30) as u64);
        assert_eq!(totp_step(&s, &previous, now), Some(step - 1));
        let old = t.generate(((step - 5) * 30) as u64);
        assert_eq!(totp_step(&s, &old, now), None);
    }
}
