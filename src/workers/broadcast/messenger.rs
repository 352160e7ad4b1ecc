//! Campaign messages on Messenger, within Meta's rules.
//!
//! A Page may send a standard message (`messaging_type: UPDATE`) only within
//! 24 hours of the user's last message to it. Message tags reach further,
//! but each covers one narrow purpose (an account update, a confirmed event,
//! a human agent's reply) and none covers awareness campaigns: using one
//! for them breaks Meta's policy and gets Pages restricted. So a campaign
//! goes only to subscribers whose last interaction (kept as a day, never a
//! finer time: see `storage::windows`) is surely inside the 24 hours, which
//! means today (UTC); everyone else is recorded `outside_window`, shown in
//! the progress, and never sent. Meta's own refusal (10 / 2018278) is read
//! the same way. Reaching people beyond the window needs Meta's Marketing
//! Messages product (opt-in and review), which is not implemented.
use std::future::Future;
use std::time::Duration;

use super::{Deliver, DeliveryResult};
use crate::channels::messenger::errors::{self, ErrorClass};
use crate::channels::messenger::graph::{self, GraphError, MessagingType};
use crate::channels::messenger::send::{Answer, post};
use crate::domain::channel::Channel;
use crate::storage::windows::day_of;

pub const CHANNEL: Channel = Channel::Messenger;
/// Meta's standard messaging window.
pub const WINDOW_MS: i64 = 24 * 3600 * 1000;

/// The oldest interaction day surely inside the window at `now_ms`: only the
/// day is known, so the interaction is taken to be at its very start. With
/// a 24-hour window that is always today.
pub fn oldest_day(now_ms: i64) -> i64 {
    day_of(now_ms - WINDOW_MS) + 1
}

pub struct MessengerDeliver {
    http: reqwest::Client,
    api_base: String,
    token: String,
    /// How long to stop after a Graph rate limit, which gives no retry-after.
    rate_pause: Duration,
}

impl MessengerDeliver {
    pub fn new(http: reqwest::Client, api_base: &str, token: &str, rate_pause: Duration) -> Self {
        MessengerDeliver {
            http,
            api_base: api_base.trim_end_matches('/').to_string(),
            token: token.to_string(),
            rate_pause,
        }
    }
}

impl Deliver for MessengerDeliver {
    fn channel(&self) -> Channel {
        CHANNEL
    }

    fn oldest_interaction_day(&self, now_ms: i64) -> Option<i64> {
        Some(oldest_day(now_ms))
    }

    fn send(&self, address: &str, text: &str) -> impl Future<Output = DeliveryResult> + Send {
        let body = graph::send_body(address, MessagingType::Update, text, &[]);
        let (http, base, token) = (self.http.clone(), self.api_base.clone(), self.token.clone());
        let pause = self.rate_pause;
        async move { classify(post(&http, &base, &token, &body).await, pause) }
    }
}

/// Meta's answer, read through the table the chat replies use too.
pub fn classify(answer: Answer, rate_pause: Duration) -> DeliveryResult {
    match answer {
        Answer::Sent => DeliveryResult::Sent,
        Answer::NotConnected(_) => {
            DeliveryResult::NotSent("cannot connect to the Graph API".into())
        }
        Answer::Unclear(why) => DeliveryResult::Ambiguous(why),
        Answer::Refused(e) => refused(&e, rate_pause),
    }
}

fn refused(e: &GraphError, rate_pause: Duration) -> DeliveryResult {
    let code = e.code;
    match errors::classify(e) {
        ErrorClass::TokenInvalid => {
            tracing::error!(
                code,
                "the Messenger Page access token was refused: campaign messages wait for a new MESSENGER_PAGE_ACCESS_TOKEN"
            );
            DeliveryResult::NotSent(format!("Page access token refused ({code})"))
        }
        ErrorClass::OutsideWindow => {
            DeliveryResult::Undeliverable(format!("outside Messenger's 24-hour window ({code})"))
        }
        ErrorClass::UserUnavailable => {
            DeliveryResult::Undeliverable(format!("Messenger user unavailable ({code})"))
        }
        ErrorClass::RateLimited => DeliveryResult::RetryAfter(rate_pause),
        ErrorClass::Temporary => {
            DeliveryResult::NotSent(format!("Meta's temporary error ({code})"))
        }
        ErrorClass::Failed => DeliveryResult::Failed(format!("Graph error {code}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: i64 = 3600 * 1000;
    const PAUSE: Duration = Duration::from_secs(60);

    fn refusal(code: i64, sub: Option<i64>) -> Answer {
        Answer::Refused(GraphError {
            code,
            error_subcode: sub,
            message: String::new(),
        })
    }

    #[test]
    fn only_an_interaction_today_is_surely_inside_24_hours() {
        let day = 20_000i64;
        let start = day * 24 * HOUR;
        assert_eq!(oldest_day(start), day);
        assert_eq!(oldest_day(start + 23 * HOUR), day);
        // Yesterday at 23:00 may be an hour ago, or 24 hours and more: outside.
        assert!(day - 1 < oldest_day(start + HOUR));
    }

    #[test]
    fn the_window_and_unavailable_users_are_final_and_limits_pause() {
        assert!(matches!(
            classify(refusal(10, Some(2018278)), PAUSE),
            DeliveryResult::Undeliverable(_)
        ));
        assert!(matches!(
            classify(refusal(551, Some(1545041)), PAUSE),
            DeliveryResult::Undeliverable(_)
        ));
        assert_eq!(
            classify(refusal(613, None), PAUSE),
            DeliveryResult::RetryAfter(PAUSE)
        );
        assert!(matches!(
            classify(refusal(190, None), PAUSE),
            DeliveryResult::NotSent(_)
        ));
        assert!(matches!(
            classify(refusal(100, None), PAUSE),
            DeliveryResult::Failed(_)
        ));
        assert_eq!(classify(Answer::Sent, PAUSE), DeliveryResult::Sent);
    }
}
