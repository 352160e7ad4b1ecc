//! The OA access token. A refresh token can be used only once, so the pair
//! lives in the database and exactly one holder refreshes at a time (a lease
//! row, see migration 0004); every replica reads the current pair from there.
use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;
use serde_json::Value;
use tokio_util::sync::CancellationToken;

use super::Zalo;
use crate::bot;
use crate::storage::channels::{ZaloTokens, fingerprint};

/// Refresh this long before the announced expiry.
const REFRESH_MARGIN_MS: i64 = 10 * 60 * 1000;
/// A lease outlives one OAuth call (20 s client timeout) with room to spare.
const LEASE_MS: i64 = 60 * 1000;
/// A configured access token of unknown age is trusted this long, then refreshed.
const UNKNOWN_AGE_TRUST_MS: i64 = 60 * 60 * 1000;
/// Without a refresh token nothing can be renewed: trust a configured token for Zalo's usual 25 hours.
const ACCESS_ONLY_TRUST_MS: i64 = 25 * 60 * 60 * 1000;
const CHECK_EVERY: Duration = Duration::from_secs(60);

pub(super) struct Tokens {
    holder: String,
    /// One refresh at a time inside this process; the lease covers other replicas.
    gate: tokio::sync::Mutex<()>,
}

#[derive(Deserialize)]
struct OAuthAnswer {
    access_token: Option<String>,
    refresh_token: Option<String>,
    expires_in: Option<Value>,
    error: Option<Value>,
    error_name: Option<String>,
}

impl Tokens {
    pub(super) fn new() -> Self {
        Tokens {
            holder: hex::encode(rand::random::<[u8; 8]>()),
            gate: tokio::sync::Mutex::new(()),
        }
    }

    /// A usable access token, refreshing first when it is about to expire.
    pub(super) async fn access_token(&self, z: &Zalo) -> Option<String> {
        let now = bot::now_ms();
        match z.app.store.zalo_tokens().await {
            Ok(Some(t)) if !t.access_token.is_empty() && t.expires_at - now > REFRESH_MARGIN_MS => {
                Some(t.access_token)
            }
            Ok(Some(t)) => self
                .refresh(z, &t.access_token)
                .await
                .or((!t.access_token.is_empty() && t.expires_at > now).then_some(t.access_token)),
            Ok(None) => None,
            Err(e) => {
                tracing::error!(error = %e, "could not read the Zalo token");
                None
            }
        }
    }

    /// Zalo refused `rejected`: refresh unless someone already replaced it.
    pub(super) async fn refresh_after_rejection(&self, z: &Zalo, rejected: &str) {
        let _ = self.refresh(z, rejected).await;
    }

    /// Refreshes the pair; `stale` is the access token the caller found wanting.
    async fn refresh(&self, z: &Zalo, stale: &str) -> Option<String> {
        let _one_at_a_time = self.gate.lock().await;
        let secret = z.settings.app_secret.as_deref()?;
        for _ in 0..60 {
            let now = bot::now_ms();
            let current = z.app.store.zalo_tokens().await.ok()??;
            if current.refresh_token.is_empty() {
                return None; // seeded with an access token only
            }
            if current.access_token != stale
                && !current.access_token.is_empty()
                && current.expires_at > now
            {
                return Some(current.access_token); // another holder refreshed meanwhile
            }
            if z.app
                .store
                .zalo_take_lease(&self.holder, now, now + LEASE_MS)
                .await
                .ok()?
            {
                return self.refresh_holding_lease(z, secret, &current).await;
            }
            // Another replica holds the lease: wait for its new pair.
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        None
    }

    async fn refresh_holding_lease(
        &self,
        z: &Zalo,
        secret: &str,
        current: &ZaloTokens,
    ) -> Option<String> {
        let url = format!("{}/v4/oa/access_token", z.settings.oauth_base);
        let form = [
            ("refresh_token", current.refresh_token.as_str()),
            ("app_id", z.settings.app_id.as_str()),
            ("grant_type", "refresh_token"),
        ];
        let answer = match z
            .http
            .post(url)
            .header("secret_key", secret)
            .form(&form)
            .send()
            .await
        {
            Ok(r) => r.json::<OAuthAnswer>().await.ok(),
            Err(e) => {
                tracing::error!(error = %e.without_url(), "Zalo token refresh failed (network)");
                None
            }
        };
        let now = bot::now_ms();
        let pair = answer
            .as_ref()
            .and_then(|a| Some((a.access_token.clone()?, a.refresh_token.clone()?, a)));
        let Some((access, refresh, a)) = pair else {
            if let Some(a) = &answer {
                tracing::error!(code = ?a.error, name = ?a.error_name, "Zalo refused the refresh token; set a new ZALO_REFRESH_TOKEN if this persists");
            }
            let _ = z.app.store.zalo_release_lease(&self.holder).await;
            return None;
        };
        // Trust expires_in (seconds; Zalo sends it as a string or a number).
        let secs = a
            .expires_in
            .as_ref()
            .and_then(|v| v.as_i64().or_else(|| v.as_str()?.parse().ok()))
            .unwrap_or(3600);
        let expires_at = now + secs * 1000;
        match z
            .app
            .store
            .zalo_store_refreshed(&self.holder, &access, &refresh, expires_at, now)
            .await
        {
            Ok(true) => {
                tracing::info!(expires_in_s = secs, "Zalo access token refreshed");
                Some(access)
            }
            Ok(false) => {
                // Our lease expired mid-call; the single-use refresh token is spent either way.
                tracing::error!(
                    "Zalo token refreshed after our lease expired; the new pair was not stored"
                );
                None
            }
            Err(e) => {
                tracing::error!(error = %e, "could not store the refreshed Zalo token pair");
                None
            }
        }
    }
}

/// Stores the configured pair unless that same pair seeded the database
/// before (then the stored pair is newer: refresh tokens rotate).
pub(super) async fn seed(z: &Zalo) {
    if let Some(seed) = seed_from_config(z)
        && let Err(e) = z.app.store.zalo_seed_tokens(&seed, bot::now_ms()).await
    {
        tracing::error!(error = %e, "could not store the configured Zalo tokens");
    }
}

/// Refreshes ahead of expiry until shutdown.
pub(super) async fn keep_fresh(z: Arc<Zalo>, cancel: CancellationToken) {
    if z.settings.refresh_token.is_none() || z.settings.app_secret.is_none() {
        return; // nothing to refresh with; the configured access token is used as is
    }
    loop {
        let _ = z.tokens.access_token(&z).await;
        tokio::select! {
            _ = cancel.cancelled() => return,
            _ = tokio::time::sleep(CHECK_EVERY) => {}
        }
    }
}

fn seed_from_config(z: &Zalo) -> Option<ZaloTokens> {
    let s = &z.settings;
    let now = bot::now_ms();
    let access = s.access_token.clone().unwrap_or_default();
    match &s.refresh_token {
        Some(refresh) => Some(ZaloTokens {
            expires_at: if access.is_empty() {
                0
            } else {
                now + UNKNOWN_AGE_TRUST_MS
            },
            access_token: access,
            refresh_token: refresh.clone(),
            seed_fingerprint: fingerprint(&format!("refresh:{refresh}")),
        }),
        None if !access.is_empty() => Some(ZaloTokens {
            seed_fingerprint: fingerprint(&format!("access:{access}")),
            access_token: access,
            refresh_token: String::new(),
            expires_at: now + ACCESS_ONLY_TRUST_MS,
        }),
        None => None,
    }
}
