//! Campaign messages through the Zalo OA API.
//!
//! Only what the OA API allows: the `cs` (consultation, "tin tư vấn")
//! message, which Zalo accepts only within a window after the user's last
//! interaction with the OA. We do not keep interaction times (next to a
//! chat id they could be lined up with a tip's time), so we cannot skip
//! users outside the window in advance: Zalo refuses the message, and the
//! delivery is recorded as `undeliverable`, once, without retries.
//!
//! Zalo also offers a "promotion" message type (tin truyền thông,
//! `v3.0/oa/message/promotion`) meant for broadcasts to followers outside
//! that window. It needs a verified OA, an approved template and a paid
//! quota, so it is not implemented here, and we do not pretend that `cs`
//! reaches everyone.
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use serde::Deserialize;
use serde_json::json;

use super::{Deliver, DeliveryResult};
use crate::domain::channel::Channel;

pub const CHANNEL: Channel = Channel::Zalo;

/// Zalo's "access token invalid/expired" codes (as the chat adapter reads them).
const TOKEN_REFUSED: [i64; 3] = [-216, -124, -220];

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
            quota_pause: Duration::from_secs(60),
        }
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
}

impl<T: AccessToken> Deliver for ZaloDeliver<T> {
    fn channel(&self) -> Channel {
        CHANNEL
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
                    let code = resp.json::<Answer>().await.ok().map(|a| a.error);
                    if code.is_some_and(|c| TOKEN_REFUSED.contains(&c)) {
                        source.rejected(&token).await;
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

/// Zalo's answer, sorted the same way as the chat adapter's replies. The
/// codes come from Zalo's OA API error table; their exact meaning is not
/// fully documented, so every refusal is final rather than retried.
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
    match error {
        Some(0) => DeliveryResult::Sent,
        // Outside the consultation window / not a follower any more.
        Some(code @ (-213 | -201 | -230)) => {
            DeliveryResult::Undeliverable(format!("outside the OA messaging window (Zalo {code})"))
        }
        // Request quota exceeded: Zalo gives no retry_after.
        Some(-32) => DeliveryResult::RetryAfter(quota_pause),
        // Token refused: nothing was sent; the adapter refreshes the token.
        Some(code) if TOKEN_REFUSED.contains(&code) => {
            DeliveryResult::NotSent(format!("Zalo access token refused ({code})"))
        }
        Some(code @ (-1 | -500)) => DeliveryResult::Ambiguous(format!("Zalo error {code}")),
        Some(code) => DeliveryResult::Failed(format!("Zalo error {code}")),
        None => DeliveryResult::Ambiguous(format!(
            "unreadable answer from Zalo (HTTP {})",
            status.as_u16()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINUTE: Duration = Duration::from_secs(60);

    #[test]
    fn zalo_refusals_are_final_and_never_resent() {
        let ok = reqwest::StatusCode::OK;
        assert_eq!(classify(ok, Some(0), MINUTE), DeliveryResult::Sent);
        assert!(matches!(
            classify(ok, Some(-230), MINUTE),
            DeliveryResult::Undeliverable(_)
        ));
        assert!(matches!(
            classify(ok, Some(-216), MINUTE),
            DeliveryResult::NotSent(_)
        ));
        assert!(matches!(
            classify(ok, Some(-32), MINUTE),
            DeliveryResult::RetryAfter(_)
        ));
        assert!(matches!(
            classify(reqwest::StatusCode::BAD_GATEWAY, None, MINUTE),
            DeliveryResult::Ambiguous(_)
        ));
    }
}
