//! Login throttling: every attempt is counted before the password is checked,
//! per account and per client, and past a small allowance each key backs off
//! instead of locking out (anyone could otherwise lock out a named officer).
use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;

use super::{WebResult, WebSettings};
use crate::app::AppState;
use crate::domain::officer::LOGIN_THROTTLE_WINDOW_MS;
use crate::storage::login_throttle::Backoff;

/// Attempts per account, and per client, before backoff starts.
pub const FREE_ATTEMPTS_PER_ACCOUNT: i64 = 5;
pub const FREE_ATTEMPTS_PER_CLIENT: i64 = 20;
/// The longest wait backoff imposes.
const MAX_BACKOFF_MS: i64 = LOGIN_THROTTLE_WINDOW_MS;

/// The two counters one login attempt goes through.
pub struct LoginGuard<'a> {
    state: &'a AppState,
    account_key: String,
    client_key: String,
    account: Backoff,
    client: Backoff,
    now: i64,
}

impl<'a> LoginGuard<'a> {
    /// Keys are daily-rotating keyed hashes, so neither the address nor the
    /// attempted name is stored, and days cannot be joined.
    pub fn new(
        state: &'a AppState,
        settings: &WebSettings,
        username: &str,
        client: &str,
        now: i64,
    ) -> Self {
        let day = now / 86_400_000;
        let secret = &state.secret;
        let backoff = |free| Backoff {
            free,
            step_ms: settings.login_backoff_seconds * 1000,
            max_ms: MAX_BACKOFF_MS,
            window_ms: LOGIN_THROTTLE_WINDOW_MS,
        };
        LoginGuard {
            state,
            account_key: format!(
                "acct:{}",
                secret.daily_key("dashboard-login-account", &username.to_lowercase(), day)
            ),
            client_key: format!(
                "addr:{}",
                secret.daily_key("dashboard-login-address", client, day)
            ),
            account: backoff(FREE_ATTEMPTS_PER_ACCOUNT),
            client: backoff(FREE_ATTEMPTS_PER_CLIENT),
            now,
        }
    }

    /// Counts the attempt; false when the client or the account is backing off.
    /// The client is asked first, so a flood from one client does not use up
    /// the account's attempts beyond what that client was allowed.
    pub async fn admit(&self) -> WebResult<bool> {
        let store = &self.state.store;
        Ok(store
            .admit_login_attempt(&self.client_key, self.client, self.now)
            .await?
            && store
                .admit_login_attempt(&self.account_key, self.account, self.now)
                .await?)
    }

    /// A successful login clears the account's count and gives the client its try back.
    pub async fn succeeded(&self) -> WebResult<()> {
        let store = &self.state.store;
        store.clear_login_attempts(&self.account_key).await?;
        store
            .refund_login_attempt(&self.client_key, self.client)
            .await?;
        Ok(())
    }
}

/// The peer address, when the server was started with connect info.
pub struct ClientAddr(pub Option<SocketAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0),
        ))
    }
}

/// Who is asking, for throttling: the client's address, with IPv6 cut to its
/// /64 (one subscriber usually holds a whole /64 and could rotate through it).
pub fn client_bucket(headers: &HeaderMap, peer: Option<SocketAddr>, trust_proxy: bool) -> String {
    let forwarded = trust_proxy
        .then(|| {
            // The proxy appends the address it saw; earlier entries are client-supplied.
            headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split(',').next_back())
                .map(|v| v.trim().to_string())
        })
        .flatten();
    let raw = forwarded.or_else(|| peer.map(|a| a.ip().to_string()));
    match raw {
        Some(text) => match text.parse::<IpAddr>() {
            Ok(ip) => bucket_of(ip),
            Err(_) => text,
        },
        None => "unknown".to_string(),
    }
}

fn bucket_of(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let prefix = u128::from(v6) & !((1u128 << 64) - 1);
                format!("{}/64", std::net::Ipv6Addr::from(prefix))
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bucket(s: &str) -> String {
        bucket_of(s.parse().unwrap())
    }

    #[test]
    fn ipv6_clients_share_a_bucket_per_64_and_ipv4_stays_whole() {
        assert_eq!(bucket("2001:db8:1:2::1"), bucket("2001:db8:1:2:ffff:1:2:3"));
        assert_eq!(bucket("2001:db8:1:2::1"), "2001:db8:1:2::/64");
        assert_ne!(bucket("2001:db8:1:2::1"), bucket("2001:db8:1:3::1"));
        assert_eq!(bucket("::ffff:192.0.2.7"), "192.0.2.7");
        assert_ne!(bucket("192.0.2.7"), bucket("192.0.2.8"));
    }

    #[test]
    fn a_forwarded_address_is_used_only_behind_a_trusted_proxy() {
        let mut h = HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            "203.0.113.5, 2001:db8::9".parse().unwrap(),
        );
        let peer = Some("127.0.0.1:9".parse().unwrap());
        assert_eq!(client_bucket(&h, peer, true), "2001:db8::/64");
        assert_eq!(client_bucket(&h, peer, false), "127.0.0.1");
    }
}
