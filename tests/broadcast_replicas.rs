//! Two replicas (two connection pools on one database) both run a Telegram
//! pacer. Only the lease holder sends; when it dies the other takes over;
//! together they deliver every message once and keep one shared pace.
//! The issue asks this of PostgreSQL; it holds on SQLite too, so both run.
mod common;
mod support;

use std::time::Duration;

use common::broadcast::{
    campaign_now, start_pacer, subscribe_many, test_config, wait_done, wait_for,
};
use common::pacing::max_in_window;
use support::fake_telegram::{FakeConfig, FakeTelegram};
use tipline::domain::channel::Channel;
use tipline::workers::broadcast::telegram::TelegramDeliver;

const SUBSCRIBERS: i64 = 2_000;
const FIRST_CHAT: i64 = 500_000;
const RATE: u32 = 400;
const IN_FLIGHT: usize = 3;

fn deliver(fake: &FakeTelegram) -> TelegramDeliver {
    let bot = teloxide::Bot::new("123456:TEST-TOKEN").set_api_url(fake.base_url.parse().unwrap());
    TelegramDeliver::new(bot)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_replicas_share_one_pacer_and_deliver_without_duplicates() {
    for db in common::all_dbs().await {
        let replica_a = db.app().await;
        let replica_b = db.app().await;
        subscribe_many(&replica_a, Channel::Telegram, FIRST_CHAT, SUBSCRIBERS).await;
        let id = campaign_now(&replica_a, "replicas").await;
        // Each replica talks to its own fake, so we can tell who sent what.
        let fake_a = FakeTelegram::start_with(FakeConfig::default()).await;
        let fake_b = FakeTelegram::start_with(FakeConfig::default()).await;
        let config = test_config(RATE, IN_FLIGHT);
        let pacer_a = start_pacer(&replica_a, deliver(&fake_a), config.clone());
        let pacer_b = start_pacer(&replica_b, deliver(&fake_b), config);

        wait_for(
            "the first 600 deliveries",
            Duration::from_secs(60),
            || async { fake_a.delivered_total() + fake_b.delivered_total() >= 600 },
        )
        .await;
        // Exactly one replica has been sending so far.
        let (a, b) = (fake_a.delivered_total(), fake_b.delivered_total());
        assert!(
            a == 0 || b == 0,
            "[{}] both replicas sent at once ({a}, {b})",
            db.label
        );
        // Kill the active one; the other must take over.
        let (survivor_fake, dead_fake, survivor) = if a > 0 {
            pacer_a.kill().await;
            (&fake_b, &fake_a, pacer_b)
        } else {
            pacer_b.kill().await;
            (&fake_a, &fake_b, pacer_a)
        };
        let p = wait_done(&replica_a, id, Duration::from_secs(120)).await;
        survivor.stop().await;

        let mut all = dead_fake.delivered();
        for (chat, n) in survivor_fake.delivered() {
            *all.entry(chat).or_default() += n;
        }
        assert!(
            all.values().all(|n| *n == 1),
            "[{}] a chat got the message twice",
            db.label
        );
        assert_eq!(p.total, SUBSCRIBERS);
        assert_eq!(p.remaining(), 0);
        assert_eq!(p.sent + p.unknown, SUBSCRIBERS, "[{}] {p:?}", db.label);
        assert!(p.unknown <= IN_FLIGHT as i64, "[{}] {p:?}", db.label);
        assert!(all.len() as i64 >= p.sent && all.len() as i64 <= SUBSCRIBERS);
        assert!(
            survivor_fake.delivered_total() > 0,
            "the survivor never took over"
        );

        // One pace across both: the takeover came after the dead pacer's last
        // request, and no second ever saw more than the rate.
        let dead = dead_fake.arrivals();
        let alive = survivor_fake.arrivals();
        let last_dead = dead.iter().map(|a| a.at).max().unwrap();
        let first_alive = alive.iter().map(|a| a.at).min().unwrap();
        assert!(
            last_dead < first_alive,
            "[{}] the replicas overlapped",
            db.label
        );
        let combined: Vec<_> = dead.into_iter().chain(alive).collect();
        let busiest = max_in_window(&combined, Duration::from_secs(1));
        assert!(
            busiest <= RATE as usize,
            "[{}] {busiest} in one second",
            db.label
        );
        fake_a.stop();
        fake_b.stop();
    }
}
