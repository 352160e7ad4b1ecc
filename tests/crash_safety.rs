//! Crash safety: the real server is SIGKILLed at random points while citizens
//! report through the Telegram webhook, then restarted, several times. Every
//! tip whose receipt reached the citizen must be stored intact, the ledger
//! must verify, and every session must still be readable.
mod common;
mod support;

use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use rand::Rng;
use serde_json::json;
use support::fake_telegram::{FakeTelegram, chat_json, user_json};
use tipline::conversation::Session;
use tipline::domain::receipt::Receipt;

const SECRET: &str = "crash-test_secret";
const CITIZENS: i64 = 5;
const KILLS: usize = 3;

struct Server {
    child: Option<Child>,
    port: u16,
    data_dir: std::path::PathBuf,
    db_url: String,
    fake_url: String,
}

impl Server {
    /// Every start appends to one log, so a failure shows what each run said.
    fn log_file(&self) -> std::fs::File {
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.data_dir.join("server.log"))
            .expect("server log")
    }

    fn log_tail(&self) -> String {
        let log = std::fs::read_to_string(self.data_dir.join("server.log")).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    }

    fn spawn(&mut self) {
        let bind = format!("127.0.0.1:{}", self.port);
        let child = Command::new(env!("CARGO_BIN_EXE_tipline"))
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
            .env("TELEGRAM_WEBHOOK_SECRET", SECRET)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(self.log_file())
            .spawn()
            .expect("spawn tipline serve");
        self.child = Some(child);
    }

    fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill(); // SIGKILL: no cleanup, no graceful shutdown
            let _ = c.wait();
        }
    }

    fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = Command::new("kill")
                .arg("-TERM")
                .arg(c.id().to_string())
                .status();
            let _ = c.wait();
        }
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn wait_healthy(port: u16) {
    for _ in 0..200 {
        if let Ok(r) = reqwest::get(format!("http://127.0.0.1:{port}/healthz")).await
            && r.status() == 200
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("server did not become healthy");
}

/// One citizen typing a message, as Telegram would deliver it; retried while the server is down.
async fn send(http: &reqwest::Client, fake: &FakeTelegram, port: u16, chat: i64, text: &str) {
    let update = fake.number_update(json!({ "message": { "message_id": rand::random::<u16>() as i64 + 1,
        "date": 1_700_000_000, "chat": chat_json(chat), "from": user_json(chat, "en"), "text": text } }));
    for _ in 0..300 {
        let r = http
            .post(format!("http://127.0.0.1:{port}/telegram/webhook"))
            .header("X-Telegram-Bot-Api-Secret-Token", SECRET)
            .json(&update)
            .send()
            .await;
        if matches!(r, Ok(ref r) if r.status() == 200) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("webhook never accepted the update");
}

async fn reply_containing(
    fake: &FakeTelegram,
    chat: i64,
    before: usize,
    expect: &str,
) -> Option<String> {
    for _ in 0..80 {
        if let Some(m) = fake
            .sent_to(chat)
            .get(before..)
            .and_then(|new| new.iter().find(|m| m.text.contains(expect)).cloned())
        {
            return Some(m.text);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    None
}

/// Complete tip flows until told to stop; returns (receipt, description) for every receipt delivered.
async fn citizen(
    fake: FakeTelegram,
    port: u16,
    chat: i64,
    stop: Arc<AtomicBool>,
    receipts: Arc<AtomicUsize>,
) -> Vec<(String, String)> {
    let http = reqwest::Client::new();
    let mut delivered = Vec::new();
    let mut flow = 0;
    while !stop.load(Ordering::Relaxed) {
        flow += 1;
        let description = format!(
            "Citizen {chat} flow {flow}: packets sold from a blue scooter by the school gate."
        );
        let steps: [(&str, &str); 8] = [
            ("/report", "Step 1/5"),
            ("1", "Step 2/5"),
            ("bien hoa", "Pick the right place"),
            ("1", "Step 3/5"),
            ("1", "Step 4/5"),
            (&description, "Step 5/5"),
            ("1", "Please check your report"),
            ("1", "Receipt code"),
        ];
        let mut completed = true;
        for (text, expect) in steps {
            let before = fake.sent_to(chat).len();
            send(&http, &fake, port, chat, text).await;
            match reply_containing(&fake, chat, before, expect).await {
                Some(reply) if expect == "Receipt code" => {
                    let code = reply
                        .split("Receipt code: ")
                        .nth(1)
                        .and_then(|r| r.split_whitespace().next())
                        .unwrap()
                        .to_string();
                    delivered.push((code, description.clone()));
                    receipts.fetch_add(1, Ordering::Relaxed);
                }
                Some(_) => {}
                None => {
                    if std::env::var("CRASH_DEBUG").is_ok() {
                        let sent = fake.sent_to(chat);
                        eprintln!(
                            "chat {chat} expected {expect:?} after {text:?}; got {:?}",
                            sent.get(before..)
                                .map(|s| s.iter().map(|m| m.text.clone()).collect::<Vec<_>>())
                        );
                    }
                    // The update or its reply was lost in a crash: start the report over, as a person would.
                    completed = false;
                    break;
                }
            }
        }
        if !completed {
            send(&http, &fake, port, chat, "/cancel").await;
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
    }
    delivered
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn killing_the_server_at_random_points_loses_no_acknowledged_tip() {
    for db in common::all_dbs().await {
        let fake = FakeTelegram::start().await;
        let mut server = Server {
            child: None,
            port: free_port(),
            data_dir: db.data_dir(),
            db_url: db.url.clone(),
            fake_url: fake.base_url.clone(),
        };
        server.spawn();
        wait_healthy(server.port).await;
        let stop = Arc::new(AtomicBool::new(false));
        let receipts = Arc::new(AtomicUsize::new(0));
        let tasks: Vec<_> = (1..=CITIZENS)
            .map(|i| {
                tokio::spawn(citizen(
                    fake.clone(),
                    server.port,
                    7_000_000 + i,
                    stop.clone(),
                    receipts.clone(),
                ))
            })
            .collect();
        let kills = std::env::var("CRASH_KILLS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(KILLS);
        for _ in 0..kills {
            let wait = rand::rng().random_range(1500..4000);
            tokio::time::sleep(Duration::from_millis(wait)).await;
            server.kill();
            tokio::time::sleep(Duration::from_millis(rand::rng().random_range(100..600))).await;
            server.spawn();
            wait_healthy(server.port).await;
        }
        // Calm after the storm: citizens go on until some receipt was
        // delivered after all the kills (bounded), so the checks below test something.
        let after_kills = receipts.load(Ordering::Relaxed);
        tokio::time::sleep(Duration::from_secs(6)).await;
        for _ in 0..600 {
            if receipts.load(Ordering::Relaxed) > after_kills {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        stop.store(true, Ordering::Relaxed);
        let mut delivered: HashMap<String, String> = HashMap::new();
        for t in tasks {
            delivered.extend(
                tokio::time::timeout(Duration::from_secs(90), t)
                    .await
                    .expect("citizens finish")
                    .unwrap(),
            );
        }
        server.stop();
        assert!(
            !delivered.is_empty(),
            "{}: no flow completed; the test proved nothing. Last replies: {:?}\nServer log:\n{}",
            db.label,
            (1..=CITIZENS)
                .map(|i| fake
                    .sent_to(7_000_000 + i)
                    .iter()
                    .rev()
                    .take(3)
                    .map(|m| m.text.chars().take(60).collect::<String>())
                    .collect::<Vec<_>>())
                .collect::<Vec<_>>(),
            server.log_tail()
        );

        let app = db.app().await;
        let stored: HashMap<String, String> = app
            .store
            .queue("CA-26068", 100_000)
            .await
            .unwrap()
            .into_iter()
            .map(|t| (t.reference.clone(), t.description))
            .collect();
        for (code, description) in &delivered {
            let view = app
                .store
                .tip_by_receipt(&Receipt::parse(code).unwrap().hash())
                .await
                .unwrap();
            let view = view.unwrap_or_else(|| {
                panic!(
                    "{}: receipt {code} was delivered but its tip is missing",
                    db.label
                )
            });
            assert_eq!(
                stored.get(&view.reference),
                Some(description),
                "{}: tip {} is not intact",
                db.label,
                view.reference
            );
        }
        let verify = Command::new(env!("CARGO_BIN_EXE_tipline"))
            .arg("--data-dir")
            .arg(db.data_dir())
            .args(["--database-url", &db.url, "ledger", "verify"])
            .env(
                "TIPLINE_CONTENT_DIR",
                concat!(env!("CARGO_MANIFEST_DIR"), "/locales"),
            )
            .output()
            .unwrap();
        assert!(
            verify.status.success(),
            "{}: {}",
            db.label,
            String::from_utf8_lossy(&verify.stdout)
        );
        for state in app.store.session_states().await.unwrap() {
            serde_json::from_str::<Session>(&state)
                .unwrap_or_else(|e| panic!("{}: corrupted session: {e}", db.label));
        }
        eprintln!(
            "{}: {} receipts delivered across {KILLS} kills, all intact",
            db.label,
            delivered.len()
        );
    }
}
