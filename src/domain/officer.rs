//! Rules for officer accounts, shared by the dashboard, the CLI and the
//! retention worker so each applies the same ones.

/// Failed logins are counted over this window; older counters are purged.
pub const LOGIN_THROTTLE_WINDOW_MS: i64 = 15 * 60_000;

/// Usernames: 3-32 of a-z, 0-9, dot, dash, underscore. Shown in logs and the ledger.
pub fn valid_username(u: &str) -> bool {
    (3..=32).contains(&u.len())
        && u.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::valid_username;

    #[test]
    fn usernames_are_short_lowercase_ascii() {
        for ok in ["abc", "nguyen.van-a_1", &"x".repeat(32)] {
            assert!(valid_username(ok), "{ok}");
        }
        for bad in ["ab", &"x".repeat(33), "Admin", "trần", "a b", "a@b"] {
            assert!(!valid_username(bad), "{bad}");
        }
    }
}
