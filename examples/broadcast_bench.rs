//! Benchmark: how close the broadcast pacer gets to its configured rate.
//!
//!     cargo run --release --example broadcast_bench -- --subscribers 20000 --rate 25
//!     cargo run --release --example broadcast_bench -- --subscribers 20000 --rate 500
//!
//! Sends one campaign to N subscribers through the real pacer and Telegram
//! deliverer (teloxide), against a loopback fake Bot API, on a temporary
//! SQLite database (or DATABASE_URL=postgres://...). Reports the achieved
//! send rate, measured by the fake between its first and last request, as a
//! fraction of the configured rate, and the busiest 1-second window. Stops
//! by itself; at 25/s a 20,000-subscriber broadcast takes about 13 minutes.
// The tests' fake Bot API, and the pacing records it keeps.
#[path = "../tests/common/pacing.rs"]
mod pacing;
mod common {
    pub(crate) use super::pacing;
}
#[path = "../tests/support/fake_telegram.rs"]
mod fake_telegram;
#[path = "../tests/support/telegram_limits.rs"]
mod telegram_limits;

use std::sync::Arc;
use std::time::Duration;

use common::pacing::max_in_window;
use fake_telegram::{FakeConfig, FakeTelegram};
use tipline::app::AppState;
use tipline::config::{CliOverrides, Config};
use tipline::domain::campaign::{CampaignDraft, Schedule, Target};
use tipline::domain::channel::Channel;
use tipline::i18n::Lang;
use tipline::storage::campaigns::CampaignState;
use tipline::storage::subscriptions::Address;
use tipline::workers::broadcast::telegram::TelegramDeliver;
use tipline::workers::broadcast::{Pacer, footers, pacer_config};

struct Args {
    subscribers: i64,
    rate: u32,
    in_flight: Option<usize>,
}

fn args() -> Args {
    let mut a = Args {
        subscribers: 20_000,
        rate: 25,
        in_flight: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().unwrap_or_default();
        match flag.as_str() {
            "--subscribers" => a.subscribers = value.parse().expect("--subscribers N"),
            "--rate" => a.rate = value.parse().expect("--rate N"),
            "--in-flight" => a.in_flight = Some(value.parse().expect("--in-flight N")),
            other => panic!("unknown flag {other}; use --subscribers, --rate, --in-flight"),
        }
    }
    a
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tipline::cli::init_tracing();
    let a = args();
    let dir = tempfile::tempdir()?;
    let empty = dir.path().join("empty.toml");
    std::fs::write(&empty, "")?;
    let mut config = Config::load(&CliOverrides {
        data_dir: Some(dir.path().join("data")),
        database_url: std::env::var("DATABASE_URL").ok(),
        config_file: Some(empty),
        ..Default::default()
    })?;
    config.content_dir = concat!(env!("CARGO_MANIFEST_DIR"), "/locales").into();
    let app: Arc<AppState> = AppState::load(config).await?;

    let ids: Vec<String> = (1..=a.subscribers)
        .map(|i| (10_000_000 + i).to_string())
        .collect();
    for chunk in ids.chunks(2_000) {
        let subs: Vec<_> = chunk
            .iter()
            .map(|id| {
                (
                    Address {
                        channel: Channel::Telegram,
                        id,
                    },
                    Lang::Vi,
                    None,
                )
            })
            .collect();
        app.store.add_subscriptions(&subs).await?;
    }
    let fake = FakeTelegram::start_with(FakeConfig::default()).await;
    let draft = CampaignDraft {
        title: "benchmark".into(),
        text_vi: "Tháng 6 là Tháng hành động phòng, chống ma túy.".into(),
        text_en: "June is the Month of Action against drugs.".into(),
        target: Target::All,
        schedule: Schedule::Now,
    };
    let id = app
        .store
        .create_campaign(&draft, "bench", tipline::bot::now_ms())
        .await?;

    let mut pc = pacer_config(&app.config, Channel::Telegram)?;
    pc.rate_per_sec = a.rate;
    if let Some(f) = a.in_flight {
        pc.in_flight = f;
    }
    pc.idle_poll = Duration::from_millis(200);
    println!(
        "broadcast_bench: {} subscribers, configured rate {}/s, {} in flight, {} database",
        a.subscribers,
        a.rate,
        pc.in_flight,
        if app.config.database_url.starts_with("sqlite") {
            "SQLite"
        } else {
            "PostgreSQL"
        }
    );
    let bot = teloxide::Bot::new("123456:BENCH").set_api_url(fake.base_url.parse()?);
    let pacer = Pacer::new(
        app.store.clone(),
        Arc::new(TelegramDeliver::new(bot)),
        footers(&app),
        pc,
    );
    let stop = pacer.stop_handle();
    let task = tokio::spawn(pacer.run());

    let started = tokio::time::Instant::now();
    let mut last_report = started;
    loop {
        tokio::time::sleep(Duration::from_millis(200)).await;
        let state = app.store.campaign(id).await?.map(|c| c.state);
        if state == Some(CampaignState::Done) {
            break;
        }
        if last_report.elapsed() >= Duration::from_secs(30) {
            last_report = tokio::time::Instant::now();
            println!(
                "  {:>6.0}s  {} sent",
                started.elapsed().as_secs_f64(),
                fake.delivered_total()
            );
        }
    }
    stop.stop();
    task.await??;

    let arrivals = fake.arrivals();
    let first = arrivals.iter().map(|x| x.at).min().expect("requests");
    let last = arrivals.iter().map(|x| x.at).max().expect("requests");
    let span = (last - first).as_secs_f64();
    // n requests span n-1 intervals.
    let achieved = (arrivals.len() as f64 - 1.0) / span;
    let progress = app.store.campaign_progress(id).await?;
    println!(
        "sent {} of {} in {:.1}s (first to last request); achieved {:.2}/s = {:.1}% of the configured {}/s; busiest 1-second window {} requests",
        progress.sent,
        progress.total,
        span,
        achieved,
        100.0 * achieved / f64::from(a.rate),
        a.rate,
        max_in_window(&arrivals, Duration::from_secs(1)),
    );
    Ok(())
}
