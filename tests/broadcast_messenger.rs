//! A campaign on Messenger, against the fake Messenger Platform: standard
//! UPDATE messages only, never a message tag; only subscribers surely
//! inside Meta's 24-hour window (an interaction today) are sent to; the
//! rest are recorded outside the window and shown in the progress, and a
//! refusal by Meta (10 / 2018278) is final, not retried, and keeps the
//! subscription. SQLite and PostgreSQL.
mod common;
mod support;

use std::time::Duration;

use common::broadcast::{campaign_now, start_pacer, subscribe_many, test_config, wait_done};
use support::fake_messenger::{FakeMessenger, HOUR_MS, PAGE_TOKEN, now_ms};
use tipline::domain::channel::Channel;
use tipline::storage::windows::day_of;
use tipline::workers::broadcast::messenger::MessengerDeliver;

const FIRST: i64 = 2_400_000_000_000_000;

fn deliver(fake: &FakeMessenger) -> MessengerDeliver {
    let http = reqwest::Client::new();
    MessengerDeliver::new(
        http,
        &fake.api_base(),
        PAGE_TOKEN,
        Duration::from_millis(500),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_messenger_campaign_reaches_only_the_24_hour_window_and_reports_the_rest() {
    for db in common::all_dbs().await {
        let app = db.app().await;
        let fake = FakeMessenger::start().await;
        subscribe_many(&app, Channel::Messenger, FIRST, 6).await;
        let users: Vec<String> = (FIRST..FIRST + 6).map(|u| u.to_string()).collect();
        let now = now_ms();
        // (what Tipline kept: days ago, or never; Meta's last message: hours ago)
        let ages: [(Option<i64>, i64); 6] = [
            (Some(0), 1),  // wrote an hour ago: inside
            (Some(0), 2),  // inside
            (Some(0), 30), // Tipline's day says today, Meta says 30 h: Meta refuses
            (Some(1), 20), // yesterday: maybe inside, but not surely: not sent
            (Some(3), 72), // outside
            (None, 2),     // subscribed before days were kept: unknown, not sent
        ];
        for (u, (days, hours)) in users.iter().zip(ages) {
            if let Some(d) = days {
                let day = day_of(now) - d;
                app.store
                    .note_interaction_day(Channel::Messenger, u, day)
                    .await
                    .unwrap();
            }
            fake.set_interaction(u, now - hours * HOUR_MS);
        }
        let id = campaign_now(&app, "26/6 Messenger").await;
        let pacer = start_pacer(&app, deliver(&fake), test_config(50, 2));
        let p = wait_done(&app, id, Duration::from_secs(60)).await;
        pacer.stop().await;

        let label = &db.label;
        let sent = fake.sent();
        let delivered: Vec<_> = sent.iter().filter(|s| s.error.is_none()).collect();
        let to: Vec<&str> = delivered.iter().map(|s| s.psid.as_str()).collect();
        assert_eq!(to.len(), 2, "[{label}] {sent:?}");
        assert!(to.contains(&users[0].as_str()) && to.contains(&users[1].as_str()));
        assert!(
            delivered
                .iter()
                .all(|s| s.text.contains("Tháng hành động") || s.text.contains("Month of Action"))
        );
        // Standard messages only: no tag ever stretches the window.
        assert!(
            sent.iter().all(|s| s.messaging_type == "UPDATE"),
            "[{label}] {sent:?}"
        );
        // Meta refused the one Tipline thought inside, once, never retried.
        let refused: Vec<_> = sent.iter().filter(|s| s.error.is_some()).collect();
        assert_eq!(refused.len(), 1, "[{label}] {sent:?}");
        assert_eq!(refused[0].psid, users[2]);
        assert_eq!(refused[0].error, Some((10, Some(2018278))));
        // Nobody outside the window was even tried.
        for u in &users[3..] {
            assert!(
                !sent.iter().any(|s| &s.psid == u),
                "[{label}] {u} was tried"
            );
        }
        assert_eq!(p.total, 6, "[{label}] {p:?}");
        assert_eq!(p.sent, 2, "[{label}] {p:?}");
        assert_eq!(
            p.outside_window, 3,
            "[{label}] reported outside the window: {p:?}"
        );
        assert_eq!(p.undeliverable, 1, "[{label}] {p:?}");
        assert_eq!(p.failed + p.removed + p.remaining(), 0, "[{label}] {p:?}");
        for u in &users {
            assert!(
                app.store
                    .is_subscribed(Channel::Messenger, u)
                    .await
                    .unwrap()
            );
        }
    }
}
