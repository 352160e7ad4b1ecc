//! Starts the real Tipline server (AppState + app::build on port 0) with
//! extra settings, and stops it the way SIGTERM does.
use std::sync::Arc;

use tipline::app::{self, AppState};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::common::TestDb;

pub const PUBLIC_URL: &str = "https://tipline.test";

pub struct RunningApp {
    pub port: u16,
    pub state: Arc<AppState>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<anyhow::Result<()>>>,
}

impl RunningApp {
    pub async fn start(db: &TestDb, settings: &[(&str, String)]) -> RunningApp {
        tipline::cli::init_tracing();
        let mut config = db.config_with(settings);
        config.public_url = PUBLIC_URL.into();
        let state = AppState::load(config).await.expect("app state");
        let server = app::build(state.clone()).await.expect("server");
        let port = server.port();
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(server.run_until(async move {
            let _ = rx.await;
        }));
        RunningApp {
            port,
            state,
            stop: Some(tx),
            task: Some(task),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
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
