//! Meta's side of the Messenger webhook, against the fake Messenger
//! Platform: the verification handshake, signatures, bad bodies, a `mid`
//! redelivered ten times, and a batch of several senders handled in order
//! per sender. SQLite and PostgreSQL.
mod common;
mod support;

use std::time::Duration;

use serde_json::json;
use sqlx::Row;
use support::fake_messenger::FakeMessenger;
use support::fake_messenger_events::{APP_SECRET, VERIFY_TOKEN};
use support::messenger_chat::{PSID, WEBHOOK, reply_after, start};
use support::tipline_app::RunningApp;
use tipline::channels::messenger::signature;

/// Rows in the tables a handled message would write to.
async fn stored_rows(db: &common::TestDb) -> i64 {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&db.url).await.unwrap();
    let mut n = 0;
    for table in ["sessions", "processed_messages", "tips", "subscriptions"] {
        let row = sqlx::query(&format!("SELECT COUNT(*) AS n FROM {table}"))
            .fetch_one(&pool)
            .await
            .unwrap();
        n += row.get::<i64, _>("n");
    }
    pool.close().await;
    n
}

/// Gives background tasks a moment, then checks nothing was sent.
async fn nothing_sent(fake: &FakeMessenger, label: &str) {
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert!(fake.sent().is_empty(), "[{label}] {:?}", fake.sent());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_verify_handshake_echoes_the_challenge_only_for_the_right_token() {
    for db in common::all_dbs().await {
        // `start` checks the right token gets the challenge back.
        let (fake, app) = start(&db, &[]).await;
        let url = app.url(WEBHOOK);
        let (status, body) = fake.verify(&url, "wrong-token", "12345").await;
        assert_eq!(status, 403, "[{}]", db.label);
        assert!(!body.contains("12345"));
        let (status, _) = fake.verify(&url, "", "12345").await;
        assert_eq!(status, 403);
        let http = reqwest::Client::new();
        let wrong_mode = http
            .get(&url)
            .query(&[
                ("hub.mode", "unsubscribe"),
                ("hub.verify_token", VERIFY_TOKEN),
                ("hub.challenge", "1"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(wrong_mode.status(), 403);
        let odd = http
            .get(&url)
            .query(&[
                ("hub.mode", "subscribe"),
                ("hub.verify_token", VERIFY_TOKEN),
                ("hub.challenge", "<script>"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(
            odd.status(),
            400,
            "a challenge that is not plain is not echoed"
        );
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn forged_missing_or_odd_deliveries_get_their_status_and_change_nothing() {
    for db in common::all_dbs().await {
        let (fake, app) = start(&db, &[]).await;
        let url = app.url(WEBHOOK);
        let item = fake.message_item(PSID, json!({ "text": "/start" }));
        let body =
            json!({ "object": "page", "entry": [{ "id": "1", "time": 1, "messaging": [item] }] })
                .to_string();
        // Forged (another secret), tampered (body changed after signing), missing.
        let forged = signature("not-the-app-secret", body.as_bytes());
        assert_eq!(fake.post_raw(&url, &body, Some(&forged)).await, 401);
        let good = signature(APP_SECRET, body.as_bytes());
        let tampered = body.replace("/start", "/stop!");
        assert_eq!(fake.post_raw(&url, &tampered, Some(&good)).await, 401);
        assert_eq!(fake.post_raw(&url, &body, None).await, 401);
        assert_eq!(fake.post_raw(&url, &body, Some("sha256=")).await, 401);
        assert_eq!(fake.post_raw(&url, &body, Some("sha1=abc")).await, 401);
        // Signed but not JSON: 400. Signed, another object: 200 and ignored.
        let junk = "not json {";
        let sig = signature(APP_SECRET, junk.as_bytes());
        assert_eq!(fake.post_raw(&url, junk, Some(&sig)).await, 400);
        let other = body.replace("\"page\"", "\"instagram\"");
        let sig = signature(APP_SECRET, other.as_bytes());
        assert_eq!(fake.post_raw(&url, &other, Some(&sig)).await, 200);
        // 2 MB: refused before the signature is even computed.
        let huge = format!(
            "{{\"object\":\"page\",\"pad\":\"{}\"}}",
            "x".repeat(2 << 20)
        );
        let sig = signature(APP_SECRET, huge.as_bytes());
        assert_eq!(fake.post_raw(&url, &huge, Some(&sig)).await, 413);
        nothing_sent(&fake, db.label).await;
        assert_eq!(stored_rows(&db).await, 0, "[{}]", db.label);
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_mid_delivered_ten_times_is_answered_once() {
    for db in common::all_dbs().await {
        let (fake, app) = start(&db, &[]).await;
        let url = app.url(WEBHOOK);
        let first = fake.text(&url, PSID, "/start").await;
        assert_eq!(first.status, 200);
        reply_after(&fake, PSID, 0, "Choose your language").await;
        for _ in 0..9 {
            assert_eq!(fake.redeliver(&url, &first).await, 200);
        }
        // A later message is answered, so the redeliveries were all handled by then.
        let next = fake.postback(&url, PSID, "Bắt đầu", "/privacy").await;
        assert_eq!(next.status, 200);
        reply_after(&fake, PSID, 1, "").await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        let sent = fake.delivered(PSID);
        let greetings = sent
            .iter()
            .filter(|s| s.text.contains("Choose your language"))
            .count();
        assert_eq!(greetings, 1, "[{}] {sent:?}", db.label);
        assert_eq!(sent.len(), 2, "[{}] {sent:?}", db.label);
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_batch_of_several_senders_is_answered_in_order_per_sender() {
    for db in common::all_dbs().await {
        let (fake, app) = start(&db, &[]).await;
        let url = app.url(WEBHOOK);
        let users = ["1000000000000001", "1000000000000002", "1000000000000003"];
        let mut items = Vec::new();
        for u in users {
            items.push(fake.message_item(u, json!({ "text": "/start" })));
        }
        // The language buttons carry option ids; each user picks English, then asks /help.
        for u in users {
            items.push(fake.message_item(
                u,
                json!({ "text": "English", "quick_reply": { "payload": "lang:en" } }),
            ));
            items.push(fake.message_item(u, json!({ "text": "/help" })));
        }
        assert_eq!(fake.deliver(&url, items).await.status, 200);
        for u in users {
            let got = fake
                .wait_until("three answers per user", |f| {
                    let d = f.delivered(u);
                    (d.len() >= 3).then_some(d)
                })
                .await;
            assert!(got[0].text.contains("Choose your language"), "{got:?}");
            assert!(got[2].text.contains("/report"), "[{}] {got:?}", db.label);
        }
        app.stop().await;
    }
}

/// Messenger off: the route does not exist, so Meta cannot verify it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_settings_there_is_no_messenger_webhook() {
    let db = common::TestDb::sqlite();
    let app = RunningApp::start(&db, &[]).await;
    let r = reqwest::get(app.url(WEBHOOK)).await.unwrap();
    assert_eq!(r.status(), 404);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn each_class_of_send_api_error_is_handled_as_the_table_says() {
    for db in common::all_dbs().await {
        let (fake, app) = start(&db, &[("MESSENGER_BACKOFF_SECS", "1".into())]).await;
        let url = app.url(WEBHOOK);
        fake.text(&url, PSID, "/start").await;
        reply_after(&fake, PSID, 0, "Choose your language").await;
        // Final for this message (token, window, user unavailable, a bad
        // parameter): one attempt, never retried; the next message is answered.
        for (code, sub) in [
            (190, None),
            (10, Some(2018278)),
            (551, Some(1545041)),
            (100, None),
        ] {
            let n = fake.sent().len();
            fake.inject(code, sub);
            fake.text(&url, PSID, "/privacy").await;
            let before = fake.delivered(PSID).len();
            fake.text(&url, PSID, "/help").await;
            reply_after(&fake, PSID, before, "/report").await;
            let sent = fake.sent();
            assert_eq!(sent[n].error, Some((code, sub)), "[{}]", db.label);
            assert!(
                sent[n + 1].error.is_none(),
                "[{}] {code} was retried",
                db.label
            );
        }
        // Meta's temporary failure is retried and the reply arrives.
        let n = fake.sent().len();
        fake.inject(1200, None);
        let before = fake.delivered(PSID).len();
        fake.text(&url, PSID, "/help").await;
        reply_after(&fake, PSID, before, "/report").await;
        assert_eq!(fake.sent()[n].error, Some((1200, None)));
        // A rate limit pauses every send (1 s here), then the reply goes out.
        fake.inject(613, None);
        let before = fake.delivered(PSID).len();
        let t0 = std::time::Instant::now();
        fake.text(&url, PSID, "/help").await;
        reply_after(&fake, PSID, before, "/report").await;
        assert!(
            t0.elapsed() >= Duration::from_millis(900),
            "[{}] no pause",
            db.label
        );
        app.stop().await;
    }
}
