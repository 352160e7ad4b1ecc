//! Zalo's OA API error codes, sorted once into what to do about them. Both
//! the chat replies (`api.rs`) and campaign deliveries
//! (`workers/broadcast/zalo.rs`) read this table, so a code never means
//! one thing in a reply and another in a broadcast.
//!
//! Sources: Zalo's OA API error table as its SDKs and integrators publish it
//! (-201 "parameter is invalid", -210 "parameter exceeds the allowed limit",
//! -213 "user has not followed the OA", -227 "user banned or inactive for
//! 45 days", -230 "no interaction in the last 7 days", -232 "no interaction
//! or it has expired", -244 "user restricted this message type").
use std::time::Duration;

/// How long to stop sending after Zalo's -32 ("reached the API call limit"),
/// which carries no retry-after of its own.
pub const DEFAULT_BACK_OFF: Duration = Duration::from_secs(60);

/// What one Zalo answer code asks us to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorClass {
    /// 0: the message was accepted.
    Sent,
    /// The access token was refused or expired: refresh it, then try again.
    RefreshToken,
    /// This user cannot get this message now (window passed, not a follower,
    /// inactive, restricted). Final for this message; retrying only repeats it.
    Undeliverable,
    /// Zalo says our request is malformed: a bug in Tipline, never the user's
    /// fault. Reported loudly, not retried.
    Bug,
    /// Zalo's call limit: pause all sends for a while, then try again.
    BackOff,
    /// Anything else: this message failed.
    Failed,
}

/// The one table. Codes not listed are failures.
pub fn classify(code: i64) -> ErrorClass {
    match code {
        0 => ErrorClass::Sent,
        -216 | -220 | -124 => ErrorClass::RefreshToken,
        -230 | -232 | -213 | -227 | -244 => ErrorClass::Undeliverable,
        -201 | -210 => ErrorClass::Bug,
        -32 => ErrorClass::BackOff,
        _ => ErrorClass::Failed,
    }
}

/// Logs a request Zalo called malformed: loud, because every later message
/// built the same way will fail too.
pub fn report_bug(code: i64, message: &str, path: &str) {
    tracing::error!(
        code,
        zalo_message = %message,
        path,
        "BUG: Zalo refused a request we built as invalid; every message built this way will fail until the code is fixed"
    );
}

/// After a -32, every send of this process waits until the pause is over.
pub use crate::channels::back_off::BackOff;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_codes_ask_for_a_refresh() {
        for code in [-216, -220, -124] {
            assert_eq!(classify(code), ErrorClass::RefreshToken, "{code}");
        }
    }

    #[test]
    fn window_follow_and_restriction_codes_are_undeliverable() {
        for code in [-230, -232, -213, -227, -244] {
            assert_eq!(classify(code), ErrorClass::Undeliverable, "{code}");
        }
    }

    #[test]
    fn invalid_parameter_codes_are_bugs_not_window_refusals() {
        for code in [-201, -210] {
            assert_eq!(classify(code), ErrorClass::Bug, "{code}");
        }
    }

    #[test]
    fn the_call_limit_backs_off() {
        assert_eq!(classify(-32), ErrorClass::BackOff);
    }

    #[test]
    fn success_is_sent_and_anything_else_failed() {
        assert_eq!(classify(0), ErrorClass::Sent);
        for code in [-1, -100, -200, -204, -211, -500, 12] {
            assert_eq!(classify(code), ErrorClass::Failed, "{code}");
        }
    }
}
