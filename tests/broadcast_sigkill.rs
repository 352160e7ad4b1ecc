//! The broadcast pacer in a real `tipline serve` process, SIGKILLed
//! mid-campaign while it paces slowly with room for many requests in flight.
//! A pacer that claimed rows ahead of their slot would leave them `sending`
//! at the kill, the next pacer would mark them `unknown`, and those
//! subscribers would never get the campaign although nothing was sent to
//! them. Every subscriber whose request had not started must get the message
//! exactly once after the restart; only a request that had started may end
//! `unknown`. SQLite, and PostgreSQL when configured.
mod common;
mod support;

use std::time::Duration;

use common::broadcast::{campaign_now, subscribe_many, wait_done};
use support::fake_telegram::FakeTelegram;
use support::server_process::ServerProcess;
use tipline::domain::channel::Channel;

const SECRET: &str = "broadcast-kill_secret";
const FIRST_CHAT: i64 = 910_000;
const SUBSCRIBERS: i64 = 12;
/// Slow enough that the kill (right after a message arrives) lands long
/// before the next slot, whatever the machine's load.
const RATE: u32 = 2;
/// Room for many requests: the old pacer claimed this many rows at once.
const IN_FLIGHT: usize = 8;
const KILL_AFTER: u64 = 3;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sigkilled_pacer_leaves_no_unstarted_subscriber_behind() {
    for db in common::all_dbs().await {
        let app = db.app().await;
        subscribe_many(&app, Channel::Telegram, FIRST_CHAT, SUBSCRIBERS).await;
        let id = campaign_now(&app, "Month of Action").await;
        let fake = FakeTelegram::start().await;
        let mut server = ServerProcess::new(&db, &fake.base_url, SECRET);
        server.env = vec![
            ("TIPLINE_BROADCAST_RATE".into(), RATE.to_string()),
            ("TIPLINE_BROADCAST_IN_FLIGHT".into(), IN_FLIGHT.to_string()),
            ("TIPLINE_BROADCAST_LEASE_SECS".into(), "2".into()),
        ];
        server.spawn();
        fake.wait_until("the first campaign messages", |f| {
            (f.delivered_total() >= KILL_AFTER).then_some(())
        })
        .await;
        server.kill();
        let before = fake.delivered();
        let stuck = app.store.campaign_progress(id).await.unwrap();
        assert!(
            stuck.sending <= 1,
            "[{}] {} rows claimed at the kill, at most the one request that had started: {stuck:?}",
            db.label,
            stuck.sending
        );

        server.spawn();
        let p = wait_done(&app, id, Duration::from_secs(120)).await;
        server.stop();
        let after = fake.delivered();
        for chat in FIRST_CHAT..FIRST_CHAT + SUBSCRIBERS {
            let n = after.get(&chat).copied().unwrap_or(0);
            if before.contains_key(&chat) {
                assert_eq!(n, 1, "[{}] chat {chat} got it again", db.label);
            } else {
                assert_eq!(
                    n, 1,
                    "[{}] chat {chat}, whose request never started before the kill, got it {n} times; {p:?}",
                    db.label
                );
            }
        }
        assert_eq!(p.total, SUBSCRIBERS, "[{}] {p:?}", db.label);
        assert_eq!(p.sent + p.unknown, SUBSCRIBERS, "[{}] {p:?}", db.label);
        assert!(p.unknown <= 1, "[{}] {p:?}", db.label);
        eprintln!(
            "[{}] killed after {} arrivals: {} sent, {} unknown (its request had started)",
            db.label,
            before.values().sum::<u32>(),
            p.sent,
            p.unknown
        );
    }
}
