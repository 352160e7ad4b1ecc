//! Load generator: N simulated citizens drive complete tip flows and awareness
//! browsing through the signed Telegram webhook of a real `tipline serve`
//! child process, whose replies go to a lean fake Bot API served here.
//!
//!     cargo run --release --example loadgen -- --citizens 500 --duration 30 [--database-url postgres://...]
//!
//! Reports updates/s, latency from webhook POST to the first sendMessage for
//! that chat, tips stored/s, the server's peak RSS (VmHWM of the child), and
//! the single-row durable-commit ceiling of the same database and settings.
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::time::{Duration, Instant};

use axum::extract::{Path as UrlPath, State};
use axum::routing::post;
use clap::Parser;
use serde_json::{Value, json};
use tipline::storage::{PoolSettings, Store};
use tokio::sync::mpsc;

const SECRET: &str = "loadgen_webhook-secret";
const CHAT_BASE: i64 = 1_000_000;
const STEP_TIMEOUT: Duration = Duration::from_secs(30);
const DESCRIPTION: &str =
    "Có người bán ma túy đá trước quán karaoke trên đường Nguyễn Ái Quốc vào mỗi buổi tối.";

#[derive(Parser)]
struct Args {
    /// Concurrent citizens, each waiting for the bot's reply before its next update.
    #[arg(long, default_value_t = 500)]
    citizens: usize,
    /// Seconds of load; then no new updates are sent and in-flight ones drain.
    #[arg(long, default_value_t = 30)]
    duration: u64,
    /// Stop earlier after this many updates.
    #[arg(long, default_value_t = u64::MAX)]
    max_updates: u64,
    /// PostgreSQL admin URL; a fresh database is created on it and dropped afterwards.
    /// Without it, a fresh SQLite file in a temp dir.
    #[arg(long)]
    database_url: Option<String>,
    /// Server pool size (TIPLINE_DB_MAX_CONNECTIONS); the server's default when absent.
    #[arg(long)]
    pool: Option<u32>,
    /// Single-row commits for the ceiling measurement.
    #[arg(long, default_value_t = 3000)]
    ceiling_commits: u64,
    /// Keep teloxide's Throttle in the path with these global/per-chat limits
    /// (messages/s) instead of turning pacing off.
    #[arg(long)]
    paced: Option<u32>,
}

/// A message the bot sent, as the fake saw it.
struct Sent {
    message_id: i64,
    text: String,
    buttons: Vec<(String, String)>,
    at: Instant,
}

struct Fake {
    chats: Vec<mpsc::UnboundedSender<Sent>>,
    next_id: AtomicI64,
    webhook_set: AtomicBool,
}

async fn fake_api(
    State(fake): State<Arc<Fake>>,
    UrlPath((_token, method)): UrlPath<(String, String)>,
    body: axum::body::Bytes,
) -> axum::Json<Value> {
    let method = method.to_ascii_lowercase();
    let params: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let result = match method.as_str() {
        "getme" => {
            json!({ "id": 999, "is_bot": true, "first_name": "Tipline", "username": "TiplineLoadBot",
            "can_join_groups": true, "can_read_all_group_messages": false, "supports_inline_queries": false, "has_main_web_app": false })
        }
        "sendmessage" | "editmessagetext" => {
            let chat = params["chat_id"].as_i64().unwrap_or(0);
            let text = params["text"].as_str().unwrap_or("").to_string();
            let edit = method == "editmessagetext";
            let id = if edit {
                params["message_id"].as_i64().unwrap_or(0)
            } else {
                fake.next_id.fetch_add(1, Ordering::Relaxed)
            };
            let mut msg = json!({ "message_id": id, "date": 1_700_000_000, "text": text,
                "chat": { "id": chat, "type": "private", "first_name": "Citizen" },
                "from": { "id": 999, "is_bot": true, "first_name": "Tipline" } });
            if let Some(markup) = params.get("reply_markup") {
                msg["reply_markup"] = markup.clone();
            }
            if !edit && let Some(tx) = fake.chats.get((chat - CHAT_BASE) as usize) {
                let buttons = params["reply_markup"]["inline_keyboard"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .flat_map(|row| row.as_array().into_iter().flatten())
                    .map(|b| {
                        let s = |k: &str| b[k].as_str().unwrap_or("").to_string();
                        (s("text"), s("callback_data"))
                    })
                    .collect();
                let _ = tx.send(Sent {
                    message_id: id,
                    text,
                    buttons,
                    at: Instant::now(),
                });
            }
            msg
        }
        "setwebhook" => {
            fake.webhook_set.store(true, Ordering::Release);
            json!(true)
        }
        _ => json!(true),
    };
    axum::Json(json!({ "ok": true, "result": result }))
}

/// What a step waits for before the citizen goes on.
enum Expect {
    /// A message offering a button whose data starts with this.
    Button(&'static str),
    /// A message containing this text.
    Text(&'static str),
    /// Any message.
    Any,
}

struct Citizen {
    chat: i64,
    rx: mpsc::UnboundedReceiver<Sent>,
    http: reqwest::Client,
    url: String,
    next_update: Arc<AtomicI64>,
    stop: Arc<AtomicBool>,
    max_updates: u64,
    latencies_us: Vec<u32>,
    /// The last message that offered each button, to tap it.
    last: Option<Sent>,
}

impl Citizen {
    fn user(&self) -> Value {
        json!({ "id": self.chat, "is_bot": false, "first_name": "Citizen", "language_code": "vi" })
    }

    async fn say(&mut self, text: &str, expect: Expect) -> anyhow::Result<bool> {
        let msg = json!({ "message_id": 1, "date": 1_700_000_000, "text": text,
            "chat": { "id": self.chat, "type": "private", "first_name": "Citizen" }, "from": self.user() });
        self.send(json!({ "message": msg }), expect).await
    }

    async fn tap(&mut self, prefix: &str, expect: Expect) -> anyhow::Result<bool> {
        let m = self
            .last
            .as_ref()
            .ok_or_else(|| anyhow::anyhow!("no message to tap"))?;
        let data = m
            .buttons
            .iter()
            .find(|b| b.1.starts_with(prefix))
            .map(|b| b.1.clone())
            .ok_or_else(|| anyhow::anyhow!("no button {prefix} in {:?}", m.text))?;
        let rows: Vec<Value> = m
            .buttons
            .iter()
            .map(|(t, d)| json!([{ "text": t, "callback_data": d }]))
            .collect();
        let message = json!({ "message_id": m.message_id, "date": 1_700_000_000, "text": m.text,
            "chat": { "id": self.chat, "type": "private", "first_name": "Citizen" },
            "from": { "id": 999, "is_bot": true, "first_name": "Tipline" },
            "reply_markup": { "inline_keyboard": rows } });
        let q = json!({ "callback_query": { "id": format!("cb{}", self.chat), "from": self.user(),
            "message": message, "chat_instance": "1", "data": data } });
        self.send(q, expect).await
    }

    /// Posts one update and waits for the expected reply. `Ok(false)` once stopped.
    async fn send(&mut self, mut update: Value, expect: Expect) -> anyhow::Result<bool> {
        if self.stop.load(Ordering::Relaxed) {
            return Ok(false);
        }
        let n = self.next_update.fetch_add(1, Ordering::Relaxed);
        if n as u64 >= self.max_updates {
            self.stop.store(true, Ordering::Relaxed);
            return Ok(false);
        }
        update["update_id"] = json!(n + 1);
        while self.rx.try_recv().is_ok() {} // stale trailing replies of the previous step
        let start = Instant::now();
        let r = self
            .http
            .post(&self.url)
            .header("X-Telegram-Bot-Api-Secret-Token", SECRET)
            .json(&update)
            .send()
            .await?;
        anyhow::ensure!(r.status() == 200, "webhook answered {}", r.status());
        let deadline = tokio::time::Instant::now() + STEP_TIMEOUT;
        let mut first = true;
        loop {
            let sent = tokio::time::timeout_at(deadline, self.rx.recv())
                .await
                .map_err(|_| anyhow::anyhow!("no reply within {STEP_TIMEOUT:?}"))?
                .ok_or_else(|| anyhow::anyhow!("fake closed"))?;
            if first {
                first = false;
                let us = sent.at.saturating_duration_since(start).as_micros();
                self.latencies_us.push(us.min(u32::MAX as u128) as u32);
            }
            let done = match expect {
                Expect::Button(p) => sent.buttons.iter().any(|b| b.1.starts_with(p)),
                Expect::Text(t) => sent.text.contains(t),
                Expect::Any => true,
            };
            if !sent.buttons.is_empty() {
                self.last = Some(sent);
            }
            if done {
                return Ok(true);
            }
        }
    }

    /// A complete anonymous tip, from /report to the receipt.
    async fn tip(&mut self) -> anyhow::Result<bool> {
        Ok(self.say("/report", Expect::Button("cat:")).await?
            && self.tap("cat:dealing", Expect::Text("2/5")).await?
            && self.say("bien hoa", Expect::Button("ward:26068")).await?
            && self.tap("ward:26068", Expect::Button("when:")).await?
            && self.tap("when:earlier", Expect::Text("4/5")).await?
            && self.say(DESCRIPTION, Expect::Button("att:done")).await?
            && self.tap("att:done", Expect::Button("review:send")).await?
            && self.tap("review:send", Expect::Text("Đã gửi")).await?)
    }

    /// Awareness reading: topics, a topic, an article, and its next page when there is one.
    async fn browse(&mut self) -> anyhow::Result<bool> {
        let ok = self.say("/learn", Expect::Button("topic:")).await?
            && self.tap("topic:", Expect::Button("art:")).await?
            && self.tap("art:", Expect::Any).await?;
        let more = self
            .last
            .as_ref()
            .is_some_and(|m| m.buttons.iter().any(|b| b.1 == "learn:more"));
        Ok(ok && (!more || self.tap("learn:more", Expect::Any).await?))
    }

    async fn run(mut self, tip_first: bool) -> (Vec<u32>, Option<String>) {
        let mut tip = tip_first;
        let err = loop {
            let r = if tip {
                self.tip().await
            } else {
                self.browse().await
            };
            tip = !tip;
            match r {
                Ok(true) => {}
                Ok(false) => break None,
                Err(e) => break Some(format!("chat {}: {e}", self.chat)),
            }
        };
        (self.latencies_us, err)
    }
}

/// A database for this run: a temp SQLite file or a fresh PostgreSQL database.
async fn fresh_database(
    admin: Option<&str>,
    dir: &Path,
) -> anyhow::Result<(String, Option<String>)> {
    use sqlx::Connection;
    let Some(admin) = admin else {
        return Ok((
            format!("sqlite://{}", dir.join("tipline.db").display()),
            None,
        ));
    };
    let name = format!("tipline_loadgen_{:08x}", rand::random::<u32>());
    let mut conn = sqlx::PgConnection::connect(admin).await?;
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await?;
    let base = admin.rsplit_once('/').map_or(admin, |(b, _)| b);
    Ok((format!("{base}/{name}"), Some(name)))
}

async fn drop_database(admin: &str, name: &str) -> anyhow::Result<()> {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(admin).await?;
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(&mut conn)
        .await?;
    Ok(())
}

/// `tipline serve`, built (a no-op when fresh) next to this example.
/// Under `cargo run` (CARGO is set, with the caller's environment) it is
/// brought up to date; run directly, the existing binary is used as is.
fn server_binary() -> anyhow::Result<PathBuf> {
    if let Ok(cargo) = std::env::var("CARGO") {
        let status = std::process::Command::new(cargo)
            .args(["build", "--release", "--quiet", "--bin", "tipline"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()?;
        anyhow::ensure!(status.success(), "building tipline failed");
    }
    let exe = std::env::current_exe()?;
    let release = exe
        .parent()
        .and_then(Path::parent)
        .ok_or_else(|| anyhow::anyhow!("unexpected example path {}", exe.display()))?;
    Ok(release.join("tipline"))
}

fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i] as f64 / 1000.0
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let binary = server_binary()?;
    let dir = tempfile::tempdir()?;
    let (db_url, pg_name) = fresh_database(args.database_url.as_deref(), dir.path()).await?;
    let result = run(&args, &binary, dir.path(), &db_url).await;
    if let (Some(admin), Some(name)) = (&args.database_url, &pg_name) {
        drop_database(admin, name).await?;
    }
    result
}

async fn run(args: &Args, binary: &Path, dir: &Path, db_url: &str) -> anyhow::Result<()> {
    // The fake Bot API, one reply channel per citizen.
    let (txs, rxs): (Vec<_>, Vec<_>) = (0..args.citizens)
        .map(|_| mpsc::unbounded_channel())
        .unzip();
    let fake = Arc::new(Fake {
        chats: txs,
        next_id: AtomicI64::new(1),
        webhook_set: AtomicBool::new(false),
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let api_url = format!("http://{}/", listener.local_addr()?);
    let api = axum::Router::new()
        .route("/{token}/{method}", post(fake_api))
        .with_state(fake.clone());
    tokio::spawn(async move { axum::serve(listener, api).await });

    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let log = std::fs::File::create(dir.join("server.log"))?;
    let mut cmd = tokio::process::Command::new(binary);
    cmd.arg("serve")
        .current_dir(dir)
        .env("TIPLINE_DATA_DIR", dir)
        .env("DATABASE_URL", db_url)
        .env("TIPLINE_BIND", format!("127.0.0.1:{port}"))
        .env(
            "TIPLINE_CONTENT_DIR",
            concat!(env!("CARGO_MANIFEST_DIR"), "/locales"),
        )
        .env("TELEGRAM_BOT_TOKEN", "123456:LOADGEN-token")
        .env("TELOXIDE_API_URL", &api_url)
        .env(
            "TELEGRAM_WEBHOOK_URL",
            "https://tipline.test/telegram/webhook",
        )
        .env("TELEGRAM_WEBHOOK_SECRET", SECRET)
        .env("TELEGRAM_RATE_GLOBAL", args.paced.unwrap_or(0).to_string())
        .env(
            "TELEGRAM_RATE_PER_CHAT",
            args.paced.unwrap_or(1).to_string(),
        )
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .stderr(log)
        .kill_on_drop(true);
    if let Some(pool) = args.pool {
        cmd.env("TIPLINE_DB_MAX_CONNECTIONS", pool.to_string());
    }
    let mut child = cmd.spawn()?;
    let pid = child
        .id()
        .ok_or_else(|| anyhow::anyhow!("server exited at once"))?;
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(args.citizens)
        .build()?;
    let base = format!("http://127.0.0.1:{port}");
    let ready = async {
        loop {
            let healthy = http
                .get(format!("{base}/healthz"))
                .send()
                .await
                .is_ok_and(|r| r.status() == 200);
            if healthy && fake.webhook_set.load(Ordering::Acquire) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    };
    if tokio::time::timeout(Duration::from_secs(60), ready)
        .await
        .is_err()
    {
        let log = std::fs::read_to_string(dir.join("server.log")).unwrap_or_default();
        anyhow::bail!("server did not become ready:\n{log}");
    }

    // Our own handle on the same database and pool size, for counts and the ceiling.
    let pool = args.pool.unwrap_or(PoolSettings::default().max_connections);
    let settings = PoolSettings {
        max_connections: pool,
        ..Default::default()
    };
    let store = Store::connect(db_url, &settings).await?;
    let ceiling = store
        .measure_commit_ceiling(args.ceiling_commits, pool as usize)
        .await?;

    let tips_before = store.count_tips().await?;
    let stop = Arc::new(AtomicBool::new(false));
    let next_update = Arc::new(AtomicI64::new(0));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for (i, rx) in rxs.into_iter().enumerate() {
        let citizen = Citizen {
            chat: CHAT_BASE + i as i64,
            rx,
            http: http.clone(),
            url: format!("{base}/telegram/webhook"),
            next_update: next_update.clone(),
            stop: stop.clone(),
            max_updates: args.max_updates,
            latencies_us: Vec::new(),
            last: None,
        };
        tasks.push(tokio::spawn(citizen.run(i % 2 == 0)));
    }
    let stopper = stop.clone();
    let duration = Duration::from_secs(args.duration);
    tokio::spawn(async move {
        tokio::time::sleep(duration).await;
        stopper.store(true, Ordering::Relaxed);
    });
    let mut latencies = Vec::new();
    let mut errors = Vec::new();
    for t in tasks {
        let (l, e) = t.await?;
        latencies.extend(l);
        errors.extend(e);
    }
    let elapsed = start.elapsed();
    let tips = store.count_tips().await? - tips_before;
    let rss = peak_rss_kib(pid);
    store.close().await;
    // SIGTERM: the server drains and closes the database.
    unsafe { libc::kill(pid as i32, libc::SIGTERM) };
    let _ = tokio::time::timeout(Duration::from_secs(30), child.wait()).await;

    latencies.sort_unstable();
    let secs = elapsed.as_secs_f64();
    let tips_per_s = tips as f64 / secs;
    let backend = if db_url.starts_with("sqlite") {
        "sqlite"
    } else {
        "postgres"
    };
    println!(
        "backend            {backend} (pool {pool}, {} citizens, pacing {})",
        args.citizens,
        args.paced.map_or("off".to_string(), |r| format!("{r}/s"))
    );
    println!(
        "elapsed            {secs:.1} s (load {} s + drain)",
        args.duration
    );
    println!(
        "updates            {} ({:.0}/s)",
        latencies.len(),
        latencies.len() as f64 / secs
    );
    println!(
        "latency ms         p50 {:.1}  p95 {:.1}  p99 {:.1}  max {:.1}",
        percentile(&latencies, 0.50),
        percentile(&latencies, 0.95),
        percentile(&latencies, 0.99),
        percentile(&latencies, 1.0)
    );
    println!("tips stored        {tips} ({tips_per_s:.1}/s)");
    println!(
        "commit ceiling     {:.0}/s ({} single-row commits, concurrency {pool})",
        ceiling.per_second(),
        ceiling.commits
    );
    println!(
        "tips / ceiling     {:.1}%",
        100.0 * tips_per_s / ceiling.per_second()
    );
    match rss {
        Some(kib) => println!(
            "server peak RSS    {:.1} MiB (VmHWM of the tipline serve child)",
            kib as f64 / 1024.0
        ),
        None => println!("server peak RSS    unavailable (no /proc)"),
    }
    println!("failed citizens    {}", errors.len());
    for e in errors.iter().take(5) {
        println!("  {e}");
    }
    Ok(())
}
