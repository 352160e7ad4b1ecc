//! Zalo Official Account: a signed webhook in, the `message/cs` API out.
//! Enabled when ZALO_APP_ID and ZALO_OA_SECRET_KEY are set. Like Telegram,
//! the adapter only translates; options become numbered lines.
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::app::AppState;
use crate::channels::ordering::InOrder;
use crate::domain::channel::Channel;

mod api;
mod event;
mod tokens;
mod webhook;

pub use webhook::{WEBHOOK_PATH, signature};

pub const CHANNEL: Channel = Channel::Zalo;

pub struct Settings {
    pub app_id: String,
    pub oa_secret_key: String,
    pub app_secret: Option<String>,
    pub access_token: Option<String>,
    pub refresh_token: Option<String>,
    pub api_base: String,
    pub oauth_base: String,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("api_base", &self.api_base)
            .field("oauth_base", &self.oauth_base)
            .finish_non_exhaustive()
    }
}

pub struct Zalo {
    app: Arc<AppState>,
    settings: Settings,
    http: reqwest::Client,
    tokens: tokens::Tokens,
    tracker: TaskTracker,
    in_order: InOrder<String>,
}

impl Zalo {
    pub fn from_config(
        app: &Arc<AppState>,
        tracker: TaskTracker,
    ) -> anyhow::Result<Option<Arc<Zalo>>> {
        let c = &app.config.zalo;
        let Some((app_id, oa_secret_key)) = c.enabled() else {
            return Ok(None);
        };
        let exposed =
            |s: &Option<crate::config::Secret>| s.as_ref().map(|s| s.expose().to_string());
        let settings = Settings {
            app_id: app_id.to_string(),
            oa_secret_key: oa_secret_key.expose().to_string(),
            app_secret: exposed(&c.app_secret),
            access_token: exposed(&c.access_token),
            refresh_token: exposed(&c.refresh_token),
            api_base: c.api_base.clone(),
            oauth_base: c.oauth_base.clone(),
        };
        if settings.access_token.is_none() && settings.refresh_token.is_none() {
            tracing::warn!(
                "Zalo is enabled but neither ZALO_ACCESS_TOKEN nor ZALO_REFRESH_TOKEN is set: replies cannot be sent until a token is stored"
            );
        }
        // No redirects: an attachment URL in a webhook event must not be able
        // to bounce our download to another host (an internal address, say).
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(20))
            .build()
            .context("building the Zalo HTTP client")?;
        Ok(Some(Arc::new(Zalo {
            app: app.clone(),
            settings,
            http,
            tokens: tokens::Tokens::new(),
            tracker,
            in_order: InOrder::default(),
        })))
    }

    /// The OA API client, base URL and tokens, shared with the campaign
    /// deliverer so broadcasts use the same refreshed access token.
    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }

    pub fn api_base(&self) -> &str {
        &self.settings.api_base
    }

    pub async fn access_token(&self) -> Option<String> {
        self.tokens.access_token(self).await
    }

    /// Zalo refused `token`: refresh it (once, by the single token holder).
    pub async fn token_rejected(&self, token: &str) {
        self.tokens.refresh_after_rejection(self, token).await
    }

    pub fn routes(self: &Arc<Self>) -> axum::Router {
        webhook::routes(self.clone())
    }

    /// Seeds the token pair, then keeps the access token fresh in the background.
    pub async fn start(self: &Arc<Self>, cancel: CancellationToken) {
        tokens::seed(self).await;
        let z = self.clone();
        self.tracker
            .spawn(async move { tokens::keep_fresh(z, cancel).await });
    }
}
