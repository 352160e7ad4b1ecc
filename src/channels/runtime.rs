//! Starting and stopping the configured channels and the unit notifier
//! beside the HTTP server. Shutdown: the cancel token stops polling and the
//! workers from taking new work; the tracker then waits for every update
//! already in flight to be handled and answered.
use std::sync::Arc;

use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::messenger::Messenger;
use super::telegram::Telegram;
use super::web::WebChat;
use super::zalo::Zalo;
use crate::app::AppState;
use crate::workers::notifications::Notifier;

pub struct Channels {
    telegram: Option<Arc<Telegram>>,
    zalo: Option<Arc<Zalo>>,
    messenger: Option<Arc<Messenger>>,
    web: Option<Arc<WebChat>>,
    notifier: std::sync::Mutex<Option<Notifier>>,
    cancel: CancellationToken,
    tracker: TaskTracker,
}

impl Channels {
    /// Reads every channel setting; a misconfiguration fails here, at startup.
    /// Must run inside the Tokio runtime (Telegram's Throttle spawns a worker).
    pub fn from_config(app: &Arc<AppState>) -> anyhow::Result<Channels> {
        let tracker = TaskTracker::new();
        let cancel = CancellationToken::new();
        let web = WebChat::from_config(app, tracker.clone(), cancel.clone());
        let telegram = Telegram::from_config(app, tracker.clone())?;
        let zalo = Zalo::from_config(app, tracker.clone())?;
        let messenger = Messenger::from_config(app, tracker.clone())?;
        let notifier = Notifier::from_config(app, telegram.as_ref().map(|t| t.bot().clone()))?;
        Ok(Channels {
            telegram,
            zalo,
            messenger,
            web,
            notifier: std::sync::Mutex::new(Some(notifier)),
            cancel,
            tracker,
        })
    }

    /// Webhook routes, merged into the main axum router.
    pub fn routes(&self) -> axum::Router {
        let mut r = axum::Router::new();
        if let Some(t) = &self.telegram {
            r = r.merge(t.routes());
        }
        if let Some(z) = &self.zalo {
            r = r.merge(z.routes());
        }
        if let Some(m) = &self.messenger {
            r = r.merge(m.routes());
        }
        if let Some(w) = &self.web {
            r = r.merge(w.routes());
        }
        r
    }

    pub async fn start(&self) {
        if let Some(t) = &self.telegram {
            t.start(self.cancel.clone());
        }
        if let Some(z) = &self.zalo {
            z.start(self.cancel.clone()).await;
            tracing::info!("Zalo OA webhook enabled at {}", super::zalo::WEBHOOK_PATH);
        }
        if self.messenger.is_some() {
            let path = super::messenger::WEBHOOK_PATH;
            tracing::info!("Messenger webhook enabled at {path}");
        }
        if let Some(n) = self.notifier.lock().expect("notifier slot").take() {
            self.tracker.spawn(n.run(self.cancel.clone()));
        }
    }

    /// The configured adapters, for the campaign pacers to reuse.
    pub fn telegram(&self) -> Option<&Arc<Telegram>> {
        self.telegram.as_ref()
    }

    pub fn zalo(&self) -> Option<&Arc<Zalo>> {
        self.zalo.as_ref()
    }

    pub fn messenger(&self) -> Option<&Arc<Messenger>> {
        self.messenger.as_ref()
    }

    pub fn cancel_token(&self) -> CancellationToken {
        self.cancel.clone()
    }

    /// Stops taking work and waits until everything in flight is done.
    pub async fn stop(&self) {
        self.cancel.cancel();
        self.tracker.close();
        self.tracker.wait().await;
    }
}
