//! Starts the real Tipline server (AppState + app::build on port 0) with
//! extra settings, and stops it the way SIGTERM does. The one server
//! harness of the integration tests (the dashboard tests use it too).
use std::sync::Arc;

use tipline::app::{self, AppState};
use tipline::config::Config;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::common::TestDb;

pub const PUBLIC_URL: &str = "https://tipline.test";

pub struct RunningApp {
    pub port: u16,
    /// `http://127.0.0.1:<port>`, without a trailing slash.
    pub base: String,
    pub state: Arc<AppState>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<anyhow::Result<()>>>,
}

impl RunningApp {
    /// With the public URL of a deployment (https, so cookies are `Secure`)
    /// and `settings` on top of the test database's configuration.
    pub async fn start(db: &TestDb, settings: &[(&str, String)]) -> RunningApp {
        let mut config = db.config_with(settings);
        config.public_url = PUBLIC_URL.into();
        RunningApp::start_with(config).await
    }

    /// With exactly `config` (the dashboard tests keep its http public URL,
    /// so a plain-http test client gets its cookies back).
    pub async fn start_with(config: Config) -> RunningApp {
        tipline::cli::init_tracing();
        let state = AppState::load(config).await.expect("app state");
        let server = app::build(state.clone()).await.expect("server");
        let port = server.port();
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(server.run_until(async move {
            let _ = rx.await;
        }));
        RunningApp {
            port,
            base: format!("http://127.0.0.1:{port}"),
            state,
            stop: Some(tx),
            task: Some(task),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Graceful stop, as on SIGTERM: returns once in-flight work is done.
    pub async fn stop(mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            task.await
                .expect("server task")
                .expect("server stopped cleanly");
        }
    }
}
