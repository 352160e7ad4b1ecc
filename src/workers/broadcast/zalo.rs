//! Campaign messages through the Zalo OA API, within Zalo's rules.
//!
//! Only the `cs` (consultation, "tin tư vấn") message is used. Zalo accepts
//! it only within 7 days of the user's last interaction with the OA, free for
//! the first 48 hours and billed per message after that. So, by default, a
//! campaign goes only to subscribers whose last interaction (kept as a day,
//! never a finer time: see `storage::windows`) is inside the free 48 h;
//! ZALO_BROADCAST_PAID_WINDOW=true widens that to the paid 7 days. Everyone
//! else is recorded `outside_window`, shown in the progress, and never sent.
//!
//! Zalo also means `cs` for consultation, not for broadcasts; reaching all
//! followers takes its template/broadcast products, which need a verified OA,
//! approved templates and a paid quota. They are not implemented here (see
//! the README's Zalo broadcast section).
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use serde::Deserialize;
use serde_json::json;

use super::{Deliver, DeliveryResult};
use crate::channels::zalo::errors::{self, ErrorClass};
use crate::config::Config;
use crate::domain::channel::Channel;
use crate::storage::windows::day_of;

pub const CHANNEL: Channel = Channel::Zalo;

const HOUR_MS: i64 = 3600 * 1000;

/// Which part of Zalo's window a campaign may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    /// Within 48 h of the last interaction: free (the default).
    Free,
    /// Within 7 days: from 48 h on, every message is billed to the OA.
    Paid,
}

impl Window {
    fn length_ms(self) -> i64 {
        match self {
            Window::Free => 48 * HOUR_MS,
            Window::Paid => 7 * 24 * HOUR_MS,
        }
    }

    /// The oldest interaction day still surely inside the window at `now_ms`.
    /// Only the day is known, so the interaction is taken to be at its very
    /// start: a subscriber is sent to only while `day start + window` is
    /// still ahead, never after the window closed.
    pub fn oldest_day(self, now_ms: i64) -> i64 {
        day_of(now_ms - self.length_ms()) + 1
    }
}

/// ZALO_BROADCAST_PAID_WINDOW: true allows the paid 48 h–7 d window.
pub fn window_setting(config: &Config) -> Window {
    if config.zalo.broadcast_paid_window {
        Window::Paid
    } else {
        Window::Free
    }
}

/// Where the OA access token comes from: a fixed one from the settings, or
/// the channel adapter's refreshed token.
pub trait AccessToken: Send + Sync + 'static {
    fn get(&self) -> impl Future<Output = Option<String>> + Send;

    /// Zalo refused `token`; a refreshing source gets a new one.
    fn rejected(&self, _token: &str) -> impl Future<Output = ()> + Send {
        async {}
    }
}

/// The Zalo channel adapter's token: refreshed by its single holder, stored
/// in the database, shared by chat replies and campaigns.
pub struct AdapterToken(pub Arc<crate::channels::zalo::Zalo>);

impl AccessToken for AdapterToken {
    fn get(&self) -> impl Future<Output = Option<String>> + Send {
        let z = self.0.clone();
        async move { z.access_token().await }
    }

    fn rejected(&self, token: &str) -> impl Future<Output = ()> + Send {
        let z = self.0.clone();
        let token = token.to_string();
        async move { z.token_rejected(&token).await }
    }
}

/// A token given in the configuration (ZALO_ACCESS_TOKEN).
pub struct FixedToken(pub String);

impl AccessToken for FixedToken {
    fn get(&self) -> impl Future<Output = Option<String>> + Send {
        let t = self.0.clone();
        async move { Some(t) }
    }
}

pub struct ZaloDeliver<T: AccessToken = FixedToken> {
    http: reqwest::Client,
    api_base: String,
    token: Arc<T>,
    /// How long to stop after Zalo's "quota exceeded", which gives no retry_after.
    quota_pause: Duration,
    window: Window,
}

impl<T: AccessToken> ZaloDeliver<T> {
    /// A deliverer with its own HTTP client (tests, tools).
    pub fn new(api_base: &str, token: T) -> anyhow::Result<Self> {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(20))
            .build()
            .context("building the Zalo HTTP client")?;
        Ok(Self::with_client(http, api_base, token))
    }

    /// A deliverer on the channel adapter's HTTP client.
    pub fn with_client(http: reqwest::Client, api_base: &str, token: T) -> Self {
        ZaloDeliver {
            http,
            api_base: api_base.trim_end_matches('/').to_string(),
            token: Arc::new(token),
            quota_pause: errors::DEFAULT_BACK_OFF,
            window: Window::Free,
        }
    }

    pub fn with_window(mut self, window: Window) -> Self {
        self.window = window;
        self
    }

    pub fn with_quota_pause(mut self, pause: Duration) -> Self {
        self.quota_pause = pause;
        self
    }
}

#[derive(Deserialize)]
struct Answer {
    #[serde(default)]
    error: i64,
    #[serde(default)]
    message: String,
}

impl<T: AccessToken> Deliver for ZaloDeliver<T> {
    fn channel(&self) -> Channel {
        CHANNEL
    }

    fn oldest_interaction_day(&self, now_ms: i64) -> Option<i64> {
        Some(self.window.oldest_day(now_ms))
    }

    fn send(&self, address: &str, text: &str) -> impl Future<Output = DeliveryResult> + Send {
        let http = self.http.clone();
        let token = self.token.clone();
        let url = format!("{}/v3.0/oa/message/cs", self.api_base);
        let body = json!({ "recipient": { "user_id": address }, "message": { "text": text } });
        let quota_pause = self.quota_pause;
        async move {
            let source = token;
            let Some(token) = source.get().await else {
                return DeliveryResult::NotSent("no Zalo access token".into());
            };
            match http
                .post(url)
                .header("access_token", token.as_str())
                .json(&body)
                .send()
                .await
            {
                Ok(resp) => {
                    let status = resp.status();
                    let answer = resp.json::<Answer>().await.ok();
                    let code = answer.as_ref().map(|a| a.error);
                    if code.is_some_and(|c| errors::classify(c) == ErrorClass::RefreshToken) {
                        source.rejected(&token).await;
                    }
                    if let Some(a) = &answer
                        && errors::classify(a.error) == ErrorClass::Bug
                    {
                        errors::report_bug(a.error, &a.message, "/v3.0/oa/message/cs (campaign)");
                    }
                    classify(status, code, quota_pause)
                }
                Err(e) if e.is_connect() => {
                    DeliveryResult::NotSent("cannot connect to the Zalo API".into())
                }
                Err(_) => DeliveryResult::Ambiguous("network error during the request".into()),
            }
        }
    }
}

/// Zalo's answer, read through the one error table the chat replies use too.
pub fn classify(
    status: reqwest::StatusCode,
    error: Option<i64>,
    quota_pause: Duration,
) -> DeliveryResult {
    if status == reqwest::StatusCode::TOO_MANY_REQUESTS {
        return DeliveryResult::RetryAfter(quota_pause);
    }
    if status.is_server_error() {
        return DeliveryResult::Ambiguous(format!("Zalo HTTP {}", status.as_u16()));
    }
    let Some(code) = error else {
        return DeliveryResult::Ambiguous(format!(
            "unreadable answer from Zalo (HTTP {})",
            status.as_u16()
        ));
    };
    match errors::classify(code) {
        ErrorClass::Sent => DeliveryResult::Sent,
        // Nothing was sent; the token source refreshes, the pacer retries.
        ErrorClass::RefreshToken => {
            DeliveryResult::NotSent(format!("Zalo access token refused ({code})"))
        }
        ErrorClass::Undeliverable => {
            DeliveryResult::Undeliverable(format!("Zalo cannot deliver to this user now ({code})"))
        }
        ErrorClass::Bug => {
            DeliveryResult::Failed(format!("Zalo called our request invalid ({code}): a bug"))
        }
        ErrorClass::BackOff => DeliveryResult::RetryAfter(quota_pause),
        ErrorClass::Failed => DeliveryResult::Failed(format!("Zalo error {code}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINUTE: Duration = Duration::from_secs(60);
    const OK: reqwest::StatusCode = reqwest::StatusCode::OK;

    #[test]
    fn token_refusals_are_not_sent_and_retried_after_a_refresh() {
        for code in [-216, -220, -124] {
            assert!(matches!(
                classify(OK, Some(code), MINUTE),
                DeliveryResult::NotSent(_)
            ));
        }
    }

    #[test]
    fn window_and_follow_refusals_are_undeliverable_once() {
        for code in [-230, -232, -213, -227, -244] {
            assert!(matches!(
                classify(OK, Some(code), MINUTE),
                DeliveryResult::Undeliverable(_)
            ));
        }
    }

    #[test]
    fn invalid_parameters_fail_as_a_bug_not_as_the_window() {
        for code in [-201, -210] {
            let r = classify(OK, Some(code), MINUTE);
            assert!(
                matches!(&r, DeliveryResult::Failed(why) if why.contains("bug")),
                "{r:?}"
            );
        }
    }

    #[test]
    fn the_call_limit_pauses_for_the_back_off() {
        assert_eq!(
            classify(OK, Some(-32), MINUTE),
            DeliveryResult::RetryAfter(MINUTE)
        );
    }

    #[test]
    fn other_codes_fail_and_success_is_sent() {
        assert_eq!(classify(OK, Some(0), MINUTE), DeliveryResult::Sent);
        assert!(matches!(
            classify(OK, Some(-1), MINUTE),
            DeliveryResult::Failed(_)
        ));
        assert!(matches!(
            classify(reqwest::StatusCode::BAD_GATEWAY, None, MINUTE),
            DeliveryResult::Ambiguous(_)
        ));
    }

    #[test]
    fn the_free_window_ends_48_hours_after_the_start_of_the_interaction_day() {
        let day = 20_000i64;
        let start = day * 24 * HOUR_MS;
        // One hour before the window of someone active on `day` closes: inside.
        assert!(day >= Window::Free.oldest_day(start + 47 * HOUR_MS));
        // Exactly 48 h after the day began: outside.
        assert!(day < Window::Free.oldest_day(start + 48 * HOUR_MS));
        // The paid window reaches to 7 days.
        assert!(day >= Window::Paid.oldest_day(start + 6 * 24 * HOUR_MS));
        assert!(day < Window::Paid.oldest_day(start + 7 * 24 * HOUR_MS));
    }
}
