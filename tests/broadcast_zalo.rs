//! A campaign on Zalo, against the fake OA: `cs` messages only, users Zalo
//! refuses are recorded as undeliverable once (not retried, not
//! unsubscribed), a quota refusal pauses the pacer, a kill mid-way causes no
//! duplicate, and only subscribers inside the free 48 h window are sent to
//! unless the paid window is allowed. SQLite, and PostgreSQL when configured.
mod common;
mod support;

use std::collections::HashSet;
use std::time::Duration;

use common::broadcast::{
    campaign_now, start_pacer, subscribe_many, test_config, wait_done, wait_for,
};
use common::pacing::{arrivals_during_pauses, max_in_window, min_gap_per_chat};
use support::fake_zalo::{FakeZalo, FakeZaloConfig, HOUR_MS};
use tipline::storage::windows::day_of;
use tipline::workers::broadcast::zalo::{FixedToken, Window, ZaloDeliver};

const TOKEN: &str = "zalo-test-access-token";
use tipline::domain::channel::Channel;

const USERS: i64 = 400;
const FIRST_USER: i64 = 7_000_000_000_000_000;
const RATE: u32 = 100;
const IN_FLIGHT: usize = 3;

fn deliver(fake: &FakeZalo) -> ZaloDeliver {
    ZaloDeliver::new(&fake.base_url, FixedToken(TOKEN.into()))
        .unwrap()
        .with_quota_pause(Duration::from_millis(700))
}

fn now_ms() -> i64 {
    tipline::bot::now_ms()
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
        let fake = FakeZalo::with(FakeZaloConfig {
            access_tokens: vec![TOKEN.into()],
            every_quota: Some(150),
            quota_pause: Duration::from_millis(700),
            ..FakeZaloConfig::default()
        })
        .await;
        // Everyone wrote to the OA today as far as Tipline knows; Zalo knows
        // better for the `outside` ones (their last interaction is 8 days old).
        for u in FIRST_USER..FIRST_USER + USERS {
            let u = u.to_string();
            app.store
                .note_interaction_day(Channel::Zalo, &u, day_of(now_ms()))
                .await
                .unwrap();
            let age = if outside.contains(&u) { 8 * 24 } else { 1 };
            fake.set_interaction(&u, fake.now_ms() - age * HOUR_MS);
        }
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

/// Subscribers whose last interaction day is today (inside 48 h), three days
/// ago (the paid 48 h-7 d window), ten days ago, or unknown.
async fn subscribers_of_every_age(app: &tipline::app::AppState, fake: &FakeZalo) -> [String; 4] {
    let first = 7_100_000_000_000_000i64;
    subscribe_many(app, Channel::Zalo, first, 4).await;
    let users = [0, 1, 2, 3].map(|i| (first + i).to_string());
    for (user, days) in users.iter().zip([Some(0), Some(3), Some(10), None]) {
        if let Some(days) = days {
            let at = now_ms() - days * 24 * HOUR_MS;
            app.store
                .note_interaction_day(Channel::Zalo, user, day_of(at))
                .await
                .unwrap();
            fake.set_interaction(user, fake.now_ms() - (now_ms() - at));
        }
    }
    users
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn zalo_campaigns_reach_only_the_free_48_hour_window_unless_the_paid_window_is_allowed() {
    for db in common::all_dbs().await {
        for (window, sent) in [(Window::Free, 1), (Window::Paid, 2)] {
            let app = db.app().await;
            let fake = FakeZalo::with(FakeZaloConfig {
                access_tokens: vec![TOKEN.into()],
                ..FakeZaloConfig::default()
            })
            .await;
            let users = subscribers_of_every_age(&app, &fake).await;
            let title = format!("window {window:?}");
            let id = campaign_now(&app, &title).await;
            let pacer = start_pacer(
                &app,
                deliver(&fake).with_window(window),
                test_config(RATE, IN_FLIGHT),
            );
            let p = wait_done(&app, id, Duration::from_secs(60)).await;
            pacer.stop().await;
            let label = format!("[{} {window:?}]", db.label);
            assert_eq!(p.total, 4, "{label} {p:?}");
            let delivered = fake.delivered();
            let got = |u: &String| delivered.get(u).copied().unwrap_or(0);
            assert_eq!(got(&users[0]), 1, "{label} today's subscriber");
            assert_eq!(
                got(&users[1]),
                u32::from(window == Window::Paid),
                "{label} 3 days ago"
            );
            assert_eq!(
                got(&users[2]) + got(&users[3]),
                0,
                "{label} 10 days ago / unknown"
            );
            assert_eq!(fake.delivered_total(), sent, "{label}");
            // Only the paid window costs money, and only for the 3-day-old subscriber.
            assert_eq!(
                fake.billed(),
                usize::from(window == Window::Paid),
                "{label}"
            );
            assert_eq!(p.sent, sent as i64, "{label} {p:?}");
            assert_eq!(
                p.outside_window,
                p.total - p.sent,
                "{label} the rest shows as outside the window: {p:?}"
            );
            assert_eq!(
                fake.cs_calls().iter().filter(|c| c.error != 0).count(),
                0,
                "{label} nothing refused"
            );
        }
    }
}
