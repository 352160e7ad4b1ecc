//! Load generator: simulated citizens drive complete tip flows and awareness
//! browsing through the signed Telegram webhook of a real `tipline serve`
//! child process, whose replies go to a lean fake Bot API served here.
//!
//!     cargo run --release --example loadgen -- --citizens 500 --duration 20 [--rate 2000] [--database-url postgres://...]
//!
//! Three measurements in one run, on one database:
//! 1. the ceiling: single-row durable commits of a tip-sized row, same database and settings;
//! 2. the conversation load: updates/s, latency from webhook POST to the first
//!    sendMessage for that chat (p50/p95/p99), tips stored/s, the server's peak RSS;
//! 3. a tip burst: citizens holding a reviewed draft all press "send" at once;
//!    receipts per second through the whole path, as a share of the ceiling.
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::time::{Duration, Instant};

use axum::routing::post;
use clap::Parser;
use tipline::storage::{PoolSettings, Store};
use tokio::sync::mpsc;

mod citizen;
mod fake;
mod server;

use citizen::{Citizen, Shared};
use fake::{CHAT_BASE, Fake, Sent};

#[derive(Parser)]
struct Args {
    /// Concurrent citizens, each waiting for the bot's reply before its next update.
    #[arg(long, default_value_t = 500)]
    citizens: usize,
    /// Offered load in updates/s, spread evenly over the citizens; 0 = every
    /// citizen sends its next update as soon as the reply arrives (saturation).
    #[arg(long, default_value_t = 0)]
    rate: u32,
    /// Seconds of load; then no new updates are sent and in-flight ones drain.
    #[arg(long, default_value_t = 20)]
    duration: u64,
    /// Stop earlier after this many updates.
    #[arg(long, default_value_t = u64::MAX)]
    max_updates: u64,
    /// Citizens in each tip burst (0 = no burst).
    #[arg(long, default_value_t = 500)]
    burst: usize,
    /// Tip bursts; the median is reported.
    #[arg(long, default_value_t = 3)]
    burst_rounds: usize,
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

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i] as f64 / 1000.0
}

fn median(mut v: Vec<f64>) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let binary = server::server_binary()?;
    let dir = tempfile::tempdir()?;
    let (db_url, pg_name) =
        server::fresh_database(args.database_url.as_deref(), dir.path()).await?;
    let result = run(&args, &binary, dir.path(), &db_url).await;
    if let Ok(keep) = std::env::var("LOADGEN_KEEP_LOG") {
        let _ = std::fs::copy(dir.path().join("server.log"), keep);
    }
    if let (Some(admin), Some(name)) = (&args.database_url, &pg_name) {
        server::drop_database(admin, name).await?;
    }
    result
}

/// Citizens' reply channels, handed out in order: the fake routes a
/// sendMessage to `chats[chat - CHAT_BASE]`.
struct Inboxes(std::vec::IntoIter<mpsc::UnboundedReceiver<Sent>>, i64);

impl Inboxes {
    fn next(&mut self, shared: &Shared) -> Citizen {
        let rx = self.0.next().expect("enough inboxes");
        let chat = CHAT_BASE + self.1;
        self.1 += 1;
        Citizen::new(chat, rx, shared.clone())
    }
}

async fn run(
    args: &Args,
    binary: &std::path::Path,
    dir: &std::path::Path,
    db_url: &str,
) -> anyhow::Result<()> {
    let chats = args.citizens + args.burst * args.burst_rounds;
    let (txs, rxs): (Vec<_>, Vec<_>) = (0..chats).map(|_| mpsc::unbounded_channel()).unzip();
    let mut inboxes = Inboxes(rxs.into_iter(), 0);
    let fake = Arc::new(Fake {
        chats: txs,
        next_id: AtomicI64::new(1),
        webhook_set: AtomicBool::new(false),
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let api_url = format!("http://{}/", listener.local_addr()?);
    let api = axum::Router::new()
        .route("/{token}/{method}", post(fake::fake_api))
        .with_state(fake.clone());
    tokio::spawn(async move { axum::serve(listener, api).await });

    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let mut child =
        server::spawn_server(binary, dir, db_url, port, &api_url, args.paced, args.pool)?;
    let pid = child
        .id()
        .ok_or_else(|| anyhow::anyhow!("server exited at once"))?;
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(chats)
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
    // The server made the data key on its first start; the same key opens its rows.
    let (keys, _) = tipline::config::keyfile::load_data_keys(&dir.join("data.key"))?;
    let store = Store::connect(db_url, &settings, keys).await?;
    let ceiling = store
        .measure_commit_ceiling(args.ceiling_commits, pool as usize)
        .await?;

    // Phase 2: the conversation load.
    let shared = Shared {
        http: http.clone(),
        url: format!("{base}/telegram/webhook"),
        next_update: Arc::new(AtomicI64::new(0)),
        stop: Arc::new(AtomicBool::new(false)),
        max_updates: args.max_updates,
    };
    let tips_before = store.count_tips().await?;
    let start = Instant::now();
    let mut tasks = Vec::new();
    for i in 0..args.citizens {
        let mut citizen = inboxes.next(&shared);
        if args.rate > 0 {
            let interval = Duration::from_secs_f64(args.citizens as f64 / args.rate as f64);
            citizen = citizen.paced(interval, interval.mul_f64(i as f64 / args.citizens as f64));
        }
        tasks.push(tokio::spawn(citizen.run(i % 2 == 0)));
    }
    let stopper = shared.stop.clone();
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

    // Phase 3: tip bursts, on fresh chats so no draft is half-done.
    let burst_shared = Shared {
        stop: Arc::new(AtomicBool::new(false)),
        max_updates: u64::MAX,
        ..shared.clone()
    };
    let mut burst_rates = Vec::new();
    let rounds = if args.burst > 0 { args.burst_rounds } else { 0 };
    for _ in 0..rounds {
        let (rate, errs) = tip_burst(&mut inboxes, &burst_shared, &store, args.burst).await?;
        burst_rates.push(rate);
        errors.extend(errs);
    }

    let rss = server::peak_rss_kib(pid);
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
    let offered = if args.rate > 0 {
        format!("{}/s offered", args.rate)
    } else {
        "unpaced".into()
    };
    println!(
        "backend            {backend} (pool {pool}, {} citizens, {offered}, Bot API pacing {})",
        args.citizens,
        args.paced.map_or("off".to_string(), |r| format!("{r}/s"))
    );
    println!(
        "commit ceiling     {:.0}/s ({} single-row commits, concurrency {pool})",
        ceiling.per_second(),
        ceiling.commits
    );
    println!(
        "conversation load  {secs:.1} s (load {} s + drain)",
        args.duration
    );
    println!(
        "  updates          {} ({:.0}/s)",
        latencies.len(),
        latencies.len() as f64 / secs
    );
    println!(
        "  latency ms       p50 {:.1}  p95 {:.1}  p99 {:.1}  max {:.1}",
        percentile(&latencies, 0.50),
        percentile(&latencies, 0.95),
        percentile(&latencies, 0.99),
        percentile(&latencies, 1.0)
    );
    println!(
        "  tips stored      {tips} ({tips_per_s:.1}/s, {:.1}% of the ceiling; a tip is 8 updates)",
        100.0 * tips_per_s / ceiling.per_second()
    );
    if !burst_rates.is_empty() {
        let m = median(burst_rates.clone());
        let each: Vec<String> = burst_rates.iter().map(|r| format!("{r:.0}")).collect();
        println!(
            "tip burst          {} citizens press \"send\" at once: median {m:.0} tips/s ({}), {:.1}% of the ceiling",
            args.burst,
            each.join(", "),
            100.0 * m / ceiling.per_second()
        );
    }
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

/// `n` fresh citizens each draft a tip up to its review (not timed), then
/// all press "send" together. Returns receipts per second, counted in the
/// database, from the first press to the last receipt.
async fn tip_burst(
    inboxes: &mut Inboxes,
    shared: &Shared,
    store: &Store,
    n: usize,
) -> anyhow::Result<(f64, Vec<String>)> {
    let drafting: Vec<_> = (0..n)
        .map(|_| {
            let mut c = inboxes.next(shared);
            tokio::spawn(async move {
                let r = c.draft_tip().await;
                (c, r)
            })
        })
        .collect();
    let mut ready = Vec::with_capacity(n);
    let mut errors = Vec::new();
    for t in drafting {
        let (c, r) = t.await?;
        match r {
            Ok(true) => ready.push(c),
            Ok(false) => {}
            Err(e) => errors.push(format!("burst draft chat {}: {e}", c.chat)),
        }
    }
    let before = store.count_tips().await?;
    let start = Instant::now();
    let sending: Vec<_> = ready
        .into_iter()
        .map(|mut c| tokio::spawn(async move { (c.chat, c.submit_tip().await) }))
        .collect();
    for t in sending {
        if let (chat, Err(e)) = t.await? {
            errors.push(format!("burst send chat {chat}: {e}"));
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let stored = store.count_tips().await? - before;
    Ok((stored as f64 / secs, errors))
}
