//! A campaign to 5,000 Telegram subscribers against a fake Bot API that
//! injects 429s and 403s, with the pacer killed twice mid-way. Afterwards
//! nobody got the message twice, blocked chats were removed, and the pace
//! never broke the configured limits. SQLite, and PostgreSQL when configured.
mod common;
mod support;

use std::collections::HashSet;
use std::time::Duration;

use common::broadcast::{
    campaign_now, start_pacer, subscribe_many, test_config, wait_done, wait_for,
};
use common::pacing::{arrivals_during_pauses, max_in_window, min_gap_per_chat};
use support::fake_telegram::{FakeConfig, FakeTelegram};
use tipline::domain::channel::Channel;
use tipline::workers::broadcast::telegram::TelegramDeliver;

const SUBSCRIBERS: i64 = 5_000;
const FIRST_CHAT: i64 = 100_000;
const RATE: u32 = 500;
const IN_FLIGHT: usize = 1;
const KILLS: i64 = 2;

fn deliver(fake: &FakeTelegram) -> TelegramDeliver {
    let bot = teloxide::Bot::new("123456:TEST-TOKEN").set_api_url(fake.base_url.parse().unwrap());
    TelegramDeliver::new(bot)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn broadcast_to_5000_reaches_everyone_once_despite_429s_403s_and_kills() {
    for db in common::all_dbs().await {
        let app = db.app().await;
        subscribe_many(&app, Channel::Telegram, FIRST_CHAT, SUBSCRIBERS).await;
        // Every 50th chat has blocked the bot.
        let blocked: HashSet<i64> = (FIRST_CHAT..FIRST_CHAT + SUBSCRIBERS)
            .filter(|c| c % 50 == 7)
            .collect();
        let fake = FakeTelegram::start_with(FakeConfig {
            blocked: blocked.clone(),
            every_429: Some(1_100),
            retry_after_s: 1,
            max_latency_ms: 3,
        })
        .await;
        let id = campaign_now(&app, "Month of Action").await;
        let config = test_config(RATE, IN_FLIGHT);

        // Run, kill, restart, kill, restart: each kill drops sends in flight.
        for kill_at in [1_500u64, 3_200] {
            let pacer = start_pacer(&app, deliver(&fake), config.clone());
            wait_for(
                "deliveries before the kill",
                Duration::from_secs(120),
                || async { fake.delivered_total() >= kill_at },
            )
            .await;
            pacer.kill().await;
        }
        let pacer = start_pacer(&app, deliver(&fake), config.clone());
        let p = wait_done(&app, id, Duration::from_secs(180)).await;
        pacer.stop().await;

        // Exactly once, or removed for a 403, or honestly reported unknown.
        let delivered = fake.delivered();
        assert!(
            delivered.values().all(|n| *n == 1),
            "[{}] a chat got the message twice",
            db.label
        );
        assert_eq!(p.total, SUBSCRIBERS, "[{}] {p:?}", db.label);
        assert_eq!(p.remaining(), 0, "[{}] {p:?}", db.label);
        assert_eq!(
            p.failed + p.undeliverable + p.skipped,
            0,
            "[{}] {p:?}",
            db.label
        );
        assert_eq!(p.removed, blocked.len() as i64, "[{}] {p:?}", db.label);
        assert_eq!(
            p.sent + p.unknown + p.removed,
            SUBSCRIBERS,
            "[{}] {p:?}",
            db.label
        );
        assert!(
            p.unknown <= IN_FLIGHT as i64 * KILLS,
            "[{}] {} unknown",
            db.label,
            p.unknown
        );
        for chat in &blocked {
            assert!(
                !delivered.contains_key(chat),
                "[{}] blocked chat got it",
                db.label
            );
            assert!(
                !app.store
                    .is_subscribed(Channel::Telegram, &chat.to_string())
                    .await
                    .unwrap()
            );
        }
        let missing = (FIRST_CHAT..FIRST_CHAT + SUBSCRIBERS)
            .filter(|c| !blocked.contains(c) && !delivered.contains_key(c))
            .count() as i64;
        assert!(
            missing <= p.unknown,
            "[{}] {missing} chats lost, {} unknown",
            db.label,
            p.unknown
        );
        assert!(
            p.sent <= delivered.len() as i64,
            "[{}] sent {} > delivered {}",
            db.label,
            p.sent,
            delivered.len()
        );

        // The pace: never above the rate in any 1-second window, never two
        // messages to one chat within a second, nothing during a 429's pause
        // except requests already on their way.
        let arrivals = fake.arrivals();
        let busiest = max_in_window(&arrivals, Duration::from_secs(1));
        assert!(
            busiest <= RATE as usize,
            "[{}] {busiest} requests in one second",
            db.label
        );
        if let Some(gap) = min_gap_per_chat(&arrivals) {
            assert!(
                gap >= Duration::from_secs(1),
                "[{}] chat messaged {gap:?} apart",
                db.label
            );
        }
        let pauses = fake.pauses();
        assert!(!pauses.is_empty(), "the fake should have injected 429s");
        let during = arrivals_during_pauses(&arrivals, &pauses);
        assert!(
            during <= (IN_FLIGHT - 1) * pauses.len(),
            "[{}] {during} requests during 429 pauses",
            db.label
        );

        // Both languages went out, each with its unsubscribe line.
        let texts = fake.texts_seen();
        assert!(
            texts
                .iter()
                .any(|t| t.starts_with("Tháng 6") && t.contains("/unsubscribe"))
        );
        assert!(
            texts
                .iter()
                .any(|t| t.starts_with("June") && t.contains("/unsubscribe"))
        );
        fake.stop();
        eprintln!(
            "[{}] sent {} removed {} unknown {} · busiest second {busiest} · {} 429s",
            db.label,
            p.sent,
            p.removed,
            p.unknown,
            pauses.len()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_graceful_stop_leaves_nothing_ambiguous_and_a_restart_finishes() {
    for db in common::all_dbs().await {
        let app = db.app().await;
        subscribe_many(&app, Channel::Telegram, 900, 60).await;
        // Slow answers, so requests are in flight and claimed rows wait for the pace.
        let fake = FakeTelegram::start_with(FakeConfig {
            max_latency_ms: 80,
            ..FakeConfig::default()
        })
        .await;
        let id = campaign_now(&app, "graceful").await;
        let config = test_config(20, 4);
        let pacer = start_pacer(&app, deliver(&fake), config.clone());
        wait_for("a few deliveries", Duration::from_secs(30), || async {
            fake.delivered_total() >= 10
        })
        .await;
        pacer.stop().await;
        let p = app.store.campaign_progress(id).await.unwrap();
        assert_eq!((p.sending, p.unknown), (0, 0), "[{}] {p:?}", db.label);
        assert!(
            p.pending > 0,
            "[{}] stopped too late to test anything: {p:?}",
            db.label
        );
        assert_eq!(
            p.sent as u64,
            fake.delivered_total(),
            "[{}] {p:?}",
            db.label
        );

        // The cooldown after a release is one second; then a new pacer finishes.
        let pacer = start_pacer(&app, deliver(&fake), config);
        let p = wait_done(&app, id, Duration::from_secs(60)).await;
        pacer.stop().await;
        assert_eq!((p.sent, p.unknown), (60, 0), "[{}] {p:?}", db.label);
        assert!(fake.delivered().values().all(|n| *n == 1));
        fake.stop();
    }
}
