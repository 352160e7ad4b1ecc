//! Facebook Messenger: a Page's inbox through Meta's signed webhook in and
//! the Graph API's Send API out. Enabled when MESSENGER_PAGE_ACCESS_TOKEN,
//! MESSENGER_APP_SECRET and MESSENGER_VERIFY_TOKEN are set. Like the other
//! adapters it only translates; options become quick replies where they
//! fit, numbered lines with number quick replies where they do not.
//!
//! No maintained Rust crate covers the Messenger Platform, so the Graph
//! API's shapes are written out in [`graph`], and nowhere else.
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use tokio_util::task::TaskTracker;

use crate::app::AppState;
use crate::channels::back_off::BackOff;
use crate::channels::ordering::InOrder;
use crate::domain::channel::Channel;

pub mod errors;
pub mod graph;
mod handle;
pub mod message;
pub mod profile;
pub mod send;
mod webhook;

pub use webhook::{WEBHOOK_PATH, signature};

pub const CHANNEL: Channel = Channel::Messenger;

pub struct Settings {
    pub page_access_token: String,
    pub app_secret: String,
    pub verify_token: String,
    /// The Graph API base with its version, without a trailing slash.
    pub api_base: String,
    pub back_off: Duration,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("api_base", &self.api_base)
            .finish_non_exhaustive()
    }
}

pub struct Messenger {
    app: Arc<AppState>,
    settings: Settings,
    http: reqwest::Client,
    tracker: TaskTracker,
    /// One sender's messages are handled in arrival order, across deliveries.
    in_order: InOrder<String>,
    back_off: BackOff,
}

impl Messenger {
    pub fn from_config(
        app: &Arc<AppState>,
        tracker: TaskTracker,
    ) -> anyhow::Result<Option<Arc<Messenger>>> {
        let c = &app.config.messenger;
        let Some((token, app_secret, verify_token)) = c.enabled() else {
            return Ok(None);
        };
        let settings = Settings {
            page_access_token: token.expose().to_string(),
            app_secret: app_secret.expose().to_string(),
            verify_token: verify_token.expose().to_string(),
            api_base: c.api_base.trim_end_matches('/').to_string(),
            back_off: Duration::from_secs(c.backoff_secs),
        };
        Ok(Some(Arc::new(Messenger::new(app, settings, tracker)?)))
    }

    pub fn new(
        app: &Arc<AppState>,
        settings: Settings,
        tracker: TaskTracker,
    ) -> anyhow::Result<Messenger> {
        // No redirects: a photo URL in a delivery must not bounce our
        // download to another host (an internal address, say).
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(20))
            .build()
            .context("building the Messenger HTTP client")?;
        let back_off = BackOff::new(settings.back_off);
        Ok(Messenger {
            app: app.clone(),
            settings,
            http,
            tracker,
            in_order: InOrder::default(),
            back_off,
        })
    }

    pub fn routes(self: &Arc<Self>) -> axum::Router {
        webhook::routes(self.clone())
    }

    /// The Graph client, base URL and token, shared with the campaign deliverer.
    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }

    pub fn api_base(&self) -> &str {
        &self.settings.api_base
    }

    pub fn page_access_token(&self) -> &str {
        &self.settings.page_access_token
    }

    /// How long sends pause after a rate limit (shared with the broadcasts).
    pub fn back_off_pause(&self) -> Duration {
        self.back_off.pause()
    }
}
