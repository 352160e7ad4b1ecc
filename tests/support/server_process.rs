//! `tipline serve` as a child process, for tests that SIGKILL it: Telegram
//! in webhook mode against a fake Bot API, every start appending to one log.
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub struct ServerProcess {
    child: Option<Child>,
    pub port: u16,
    pub data_dir: std::path::PathBuf,
    pub db_url: String,
    pub fake_url: String,
    pub secret: String,
    /// Further settings, by environment name.
    pub env: Vec<(String, String)>,
}

impl ServerProcess {
    pub fn new(db: &crate::common::TestDb, fake_url: &str, secret: &str) -> ServerProcess {
        ServerProcess {
            child: None,
            port: free_port(),
            data_dir: db.data_dir(),
            db_url: db.url.clone(),
            fake_url: fake_url.to_string(),
            secret: secret.to_string(),
            env: Vec::new(),
        }
    }

    fn log_file(&self) -> std::fs::File {
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.data_dir.join("server.log"))
            .expect("server log")
    }

    pub fn log_tail(&self) -> String {
        let log = std::fs::read_to_string(self.data_dir.join("server.log")).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    }

    pub fn spawn(&mut self) {
        let bind = format!("127.0.0.1:{}", self.port);
        let child = crate::common::env::tipline()
            .arg("--data-dir")
            .arg(&self.data_dir)
            .args(["--database-url", &self.db_url, "serve"])
            .env("TIPLINE_BIND", &bind)
            .env(
                "TIPLINE_CONTENT_DIR",
                concat!(env!("CARGO_MANIFEST_DIR"), "/locales"),
            )
            .env("TELEGRAM_BOT_TOKEN", "123456:CRASH-token")
            .env("TELOXIDE_API_URL", &self.fake_url)
            .env(
                "TELEGRAM_WEBHOOK_URL",
                format!("http://{bind}/telegram/webhook"),
            )
            .env("TELEGRAM_WEBHOOK_SECRET", &self.secret)
            .env("RUST_LOG", "warn")
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .stdout(Stdio::null())
            .stderr(self.log_file())
            .spawn()
            .expect("spawn tipline serve");
        self.child = Some(child);
    }

    /// SIGKILL: no cleanup, no graceful shutdown.
    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// SIGTERM, and waits for the graceful stop.
    pub fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = Command::new("kill")
                .arg("-TERM")
                .arg(c.id().to_string())
                .status();
            let _ = c.wait();
        }
    }

    /// Generous: on a loaded 2-core machine a cold start can take many seconds.
    pub async fn wait_healthy(&self) {
        for _ in 0..900 {
            if let Ok(r) = reqwest::get(format!("http://127.0.0.1:{}/healthz", self.port)).await
                && r.status() == 200
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("server did not become healthy:\n{}", self.log_tail());
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        self.kill();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}
