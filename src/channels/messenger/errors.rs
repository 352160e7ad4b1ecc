//! The Graph API's Send API errors, sorted once into what to do about them.
//! Chat replies (`send.rs`) and campaign deliveries
//! (`workers/broadcast/messenger.rs`) both read this table.
//!
//! Source: Meta's "Messenger Platform: Common Error Codes" and the Send API
//! error reference (code 190 invalid OAuth token; 10 / 2018278 "sent outside
//! of allowed window"; 551 / 1545041 "this person isn't available right
//! now"; 100 / 2018001 "no matching user found"; 4 and 613 rate limits;
//! 2 and 1200 temporary failures).
use super::graph::GraphError;

/// What one Graph answer asks us to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorClass {
    /// The Page access token is invalid or expired: nothing can be sent
    /// until an operator sets a new one. Reported loudly.
    TokenInvalid,
    /// More than 24 hours since the user's last message: Meta allows no
    /// standard message now, and no tag covers our content. Final.
    OutsideWindow,
    /// The user cannot be reached (blocked the Page, deactivated, or the
    /// id matches nobody). Final for this message.
    UserUnavailable,
    /// Too many calls: pause every send for a while, then try again.
    RateLimited,
    /// Meta's own temporary failure: the message was not sent; try again.
    Temporary,
    /// Anything else: this message failed.
    Failed,
}

/// Subcodes of code 10 that mean the messaging window is closed.
const WINDOW_SUBCODES: [i64; 3] = [2018278, 2018065, 2018108];

/// The one table. Codes not listed are failures.
pub fn classify(e: &GraphError) -> ErrorClass {
    match (e.code, e.error_subcode) {
        (190, _) => ErrorClass::TokenInvalid,
        (10, Some(sub)) if WINDOW_SUBCODES.contains(&sub) => ErrorClass::OutsideWindow,
        (551, _) | (100, Some(2018001)) => ErrorClass::UserUnavailable,
        (4 | 613 | 32, _) => ErrorClass::RateLimited,
        (2 | 1200, _) => ErrorClass::Temporary,
        _ => ErrorClass::Failed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(code: i64, sub: Option<i64>) -> GraphError {
        GraphError {
            code,
            error_subcode: sub,
            message: String::new(),
        }
    }

    #[test]
    fn the_documented_codes_land_in_their_class() {
        assert_eq!(classify(&e(190, Some(463))), ErrorClass::TokenInvalid);
        assert_eq!(classify(&e(10, Some(2018278))), ErrorClass::OutsideWindow);
        assert_eq!(
            classify(&e(551, Some(1545041))),
            ErrorClass::UserUnavailable
        );
        assert_eq!(
            classify(&e(100, Some(2018001))),
            ErrorClass::UserUnavailable
        );
        assert_eq!(classify(&e(613, None)), ErrorClass::RateLimited);
        assert_eq!(classify(&e(4, None)), ErrorClass::RateLimited);
        assert_eq!(classify(&e(1200, None)), ErrorClass::Temporary);
    }

    #[test]
    fn a_permission_error_or_a_bad_parameter_is_a_failure_not_the_window() {
        assert_eq!(classify(&e(10, None)), ErrorClass::Failed);
        assert_eq!(classify(&e(100, None)), ErrorClass::Failed);
        assert_eq!(classify(&e(200, Some(1545041))), ErrorClass::Failed);
    }
}
