//! A campaign on Zalo, against a fake OA API: `cs` messages only, users
//! outside the consultation window are recorded as undeliverable once (not
//! retried, not unsubscribed), a quota refusal pauses the pacer, and a kill
//! mid-way causes no duplicate. SQLite, and PostgreSQL when configured.
mod common;

use std::collections::HashSet;
use std::time::Duration;

use common::broadcast::{
    campaign_now, start_pacer, subscribe_many, test_config, wait_done, wait_for,
};
use common::fake_zalo_api::{FakeZaloApi, TOKEN, ZaloFakeConfig};
use common::pacing::{arrivals_during_pauses, max_in_window, min_gap_per_chat};
use tipline::domain::channel::Channel;
use tipline::workers::broadcast::zalo::{FixedToken, ZaloDeliver};

const USERS: i64 = 400;
const FIRST_USER: i64 = 7_000_000_000_000_000;
const RATE: u32 = 100;
const IN_FLIGHT: usize = 3;

fn deliver(fake: &FakeZaloApi) -> ZaloDeliver {
    ZaloDeliver::new(&fake.url, FixedToken(TOKEN.into()))
        .unwrap()
        .with_quota_pause(Duration::from_millis(700))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn zalo_campaign_respects_the_window_and_survives_a_kill() {
    for db in common::all_dbs().await {
        let app = db.app().await;
        subscribe_many(&app, Channel::Zalo, FIRST_USER, USERS).await;
        let outside: HashSet<String> = (FIRST_USER..FIRST_USER + USERS)
            .filter(|u| u % 10 == 3)
            .map(|u| u.to_string())
            .collect();
        let fake = FakeZaloApi::start(ZaloFakeConfig {
            outside_window: outside.clone(),
            every_quota: Some(150),
            quota_pause: Duration::from_millis(700),
        })
        .await;
        let id = campaign_now(&app, "26/6").await;
        let config = test_config(RATE, IN_FLIGHT);

        let pacer = start_pacer(&app, deliver(&fake), config.clone());
        wait_for(
            "deliveries before the kill",
            Duration::from_secs(60),
            || async { fake.delivered_total() >= 150 },
        )
        .await;
        pacer.kill().await;
        let pacer = start_pacer(&app, deliver(&fake), config);
        let p = wait_done(&app, id, Duration::from_secs(120)).await;
        pacer.stop().await;

        let delivered = fake.delivered();
        assert!(
            delivered.values().all(|n| *n == 1),
            "[{}] a user got it twice",
            db.label
        );
        assert_eq!(p.total, USERS, "[{}] {p:?}", db.label);
        assert_eq!(
            p.undeliverable,
            outside.len() as i64,
            "[{}] {p:?}",
            db.label
        );
        assert_eq!(
            p.removed + p.failed + p.remaining(),
            0,
            "[{}] {p:?}",
            db.label
        );
        assert_eq!(
            p.sent + p.unknown + p.undeliverable,
            USERS,
            "[{}] {p:?}",
            db.label
        );
        assert!(
            p.unknown <= IN_FLIGHT as i64,
            "[{}] {} unknown after one kill",
            db.label,
            p.unknown
        );
        assert_eq!(fake.bad_token_requests(), 0);
        for u in &outside {
            assert!(!delivered.contains_key(u));
            // Outside the window is not "left the OA": the subscription stays.
            assert!(app.store.is_subscribed(Channel::Zalo, u).await.unwrap());
        }
        // Every refused user was asked exactly once: no retry loop.
        let arrivals = fake.arrivals();
        for u in &outside {
            let chat: i64 = u.parse().unwrap();
            let asks = arrivals.iter().filter(|a| a.chat == chat).count();
            assert!(
                asks <= 2,
                "[{}] user outside the window asked {asks} times",
                db.label
            );
        }
        let busiest = max_in_window(&arrivals, Duration::from_secs(1));
        assert!(
            busiest <= RATE as usize,
            "[{}] {busiest} in one second",
            db.label
        );
        if let Some(gap) = min_gap_per_chat(&arrivals) {
            assert!(
                gap >= Duration::from_secs(1),
                "[{}] user messaged {gap:?} apart",
                db.label
            );
        }
        let pauses = fake.pauses();
        assert!(!pauses.is_empty());
        let during = arrivals_during_pauses(&arrivals, &pauses);
        assert!(
            during <= (IN_FLIGHT - 1) * pauses.len(),
            "[{}] {during} during pauses",
            db.label
        );
    }
}
