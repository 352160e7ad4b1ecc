//! The Zalo webhook contract, against the fake Zalo platform: the
//! registration probe, signatures, sane timestamps of any age, retries of a
//! delivery the server failed, dedupe of events without a msg_id, the OA
//! check, and domain verification. SQLite and PostgreSQL.
mod common;
mod support;

use std::time::Duration;

use serde_json::json;
use support::fake_zalo_events::mac;
use support::zalo_chat::{APP_ID, OA_ID, OA_SECRET, USER, reply_after, say, start};

const HOUR_MS: i64 = 3600 * 1000;

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// Posts `raw` to the webhook signed with `timestamp` (as Zalo's formula),
/// optionally with an X-ZEvent-Timestamp header.
async fn post_signed(url: &str, raw: &str, timestamp: &str, header_ts: Option<&str>) -> u16 {
    let mut r = reqwest::Client::new()
        .post(url)
        .header("content-type", "application/json")
        .header("X-ZEvent-Signature", mac(APP_ID, raw, timestamp, OA_SECRET))
        .body(raw.to_string());
    if let Some(ts) = header_ts {
        r = r.header("X-ZEvent-Timestamp", ts);
    }
    r.send().await.unwrap().status().as_u16()
}

fn text_event(ts: i64, oa: &str, text: &str) -> String {
    json!({ "app_id": APP_ID, "event_name": "user_send_text", "sender": { "id": USER },
        "recipient": { "id": oa }, "message": { "msg_id": format!("m{}", rand::random::<u64>()), "text": text },
        "timestamp": ts.to_string() })
    .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_registration_probe_gets_200_and_stores_nothing_while_unsigned_events_get_401() {
    for db in common::all_dbs().await {
        let app_state = db.app().await;
        let before = (
            app_state.store.sessions_fingerprint().await.unwrap(),
            app_state.store.count_tips().await.unwrap(),
        );
        drop(app_state);
        // `start` registers the webhook: the fake's probe must get 200.
        let (fake, app) = start(&db, &[]).await;
        let url = app.url("/zalo/webhook");
        let http = reqwest::Client::new();
        for probe in ["{}", "", r#"{"hello":"zalo"}"#] {
            let s = http.post(&url).body(probe).send().await.unwrap().status();
            assert_eq!(s, 200, "[{}] probe {probe:?}", db.label);
        }
        // A body claiming to be an event needs a valid signature.
        let event = text_event(now_ms(), OA_ID, "/report");
        let unsigned = http
            .post(&url)
            .body(event.clone())
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(unsigned, 401, "[{}]", db.label);
        let forged = http
            .post(&url)
            .header("X-ZEvent-Signature", "mac=00")
            .body(event)
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(forged, 401, "[{}]", db.label);
        tokio::time::sleep(Duration::from_millis(300)).await;
        let after = (
            app.state.store.sessions_fingerprint().await.unwrap(),
            app.state.store.count_tips().await.unwrap(),
        );
        assert_eq!(after, before, "[{}] the probes stored something", db.label);
        assert!(
            fake.cs_calls().is_empty(),
            "[{}] the probes were answered",
            db.label
        );
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn signed_events_of_any_sane_age_are_accepted_and_absurd_timestamps_refused() {
    for db in common::all_dbs().await {
        let (fake, app) = start(&db, &[]).await;
        let url = app.url("/zalo/webhook");
        // Events posted by hand below bypass the fake: tell it the user is active.
        fake.set_interaction(USER, fake.now_ms());
        let cases = [
            (now_ms() - 6 * HOUR_MS, 200, "six hours old (a late retry)"),
            (now_ms() - 25 * HOUR_MS, 401, "over a day old"),
            (now_ms() + 10 * 60 * 1000, 401, "ten minutes in the future"),
        ];
        for (ts, want, what) in cases {
            let raw = text_event(ts, OA_ID, "/help");
            assert_eq!(
                post_signed(&url, &raw, &ts.to_string(), None).await,
                want,
                "[{}] {what}",
                db.label
            );
        }
        reply_after(&fake, USER, 0, "/report").await;
        // The hedge: signed with the X-ZEvent-Timestamp header instead of the body's.
        let raw = text_event(now_ms(), OA_ID, "/privacy");
        let header_ts = (now_ms() + 1).to_string();
        assert_eq!(
            post_signed(&url, &raw, &header_ts, Some(&header_ts)).await,
            200,
            "[{}]",
            db.label
        );
        reply_after(&fake, USER, 1, "Chúng tôi").await;
        // Signed by our app but for another OA: acknowledged, not answered.
        let n = fake.cs_calls().len();
        let ts = now_ms();
        let raw = text_event(ts, "999", "/help");
        assert_eq!(post_signed(&url, &raw, &ts.to_string(), None).await, 200);
        say(&fake, USER, "/privacy", "Chúng tôi").await;
        assert_eq!(
            fake.cs_calls().len(),
            n + 1,
            "[{}] answered another OA's event",
            db.label
        );
        app.stop().await;
    }
}

/// Takes the sessions table away from the running server (and gives it back).
async fn sessions_table(db: &common::TestDb, present: bool) {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&db.url).await.unwrap();
    let sql = if present {
        "ALTER TABLE sessions_away RENAME TO sessions"
    } else {
        "ALTER TABLE sessions RENAME TO sessions_away"
    };
    sqlx::query(sql).execute(&pool).await.unwrap();
    pool.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_delivery_the_server_fails_is_retried_minutes_later_and_answered_once() {
    for db in common::all_dbs().await {
        let (fake, app) = start(&db, &[]).await;
        say(&fake, USER, "/start", "Choose your language").await;
        // The event is stamped six minutes ago: every retry carries that stamp.
        fake.set_clock(now_ms() - 6 * 60 * 1000);
        sessions_table(&db, false).await;
        assert_eq!(
            fake.user_text(USER, "/privacy").await,
            503,
            "[{}] not saved",
            db.label
        );
        fake.advance(Duration::from_secs(30)).await;
        sessions_table(&db, true).await;
        // Zalo's second retry comes 5 minutes after the first.
        fake.advance(Duration::from_secs(5 * 60)).await;
        let statuses: Vec<_> = fake
            .webhook_deliveries()
            .into_iter()
            .filter(|d| d.event_name == "user_send_text")
            .map(|d| (d.num_retry, d.status))
            .collect();
        assert_eq!(
            statuses[1..],
            [(0, 503), (1, 503), (2, 200)],
            "[{}]",
            db.label
        );
        reply_after(&fake, USER, 1, "Chúng tôi").await;
        // Nothing is left to retry; two hours on, it was still answered once.
        fake.advance(Duration::from_secs(2 * 3600)).await;
        assert_eq!(fake.retries_waiting(), 0);
        tokio::time::sleep(Duration::from_millis(300)).await;
        let answers = fake
            .delivered_to(USER)
            .iter()
            .filter(|t| t.contains("Chúng tôi"))
            .count();
        assert_eq!(answers, 1, "[{}]", db.label);
        assert!(
            fake.delivered_to(USER).iter().all(|t| !t.contains("busy")),
            "[{}] asked to resend",
            db.label
        );
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_redelivered_follow_or_unfollow_takes_effect_once() {
    for db in common::all_dbs().await {
        let (fake, app) = start(&db, &[]).await;
        let url = app.url("/zalo/webhook");
        // Events posted by hand below bypass the fake: tell it the user followed.
        fake.set_interaction(USER, fake.now_ms());
        let ts = now_ms().to_string();
        let follow = json!({ "app_id": APP_ID, "event_name": "follow", "oa_id": OA_ID,
            "follower": { "id": USER }, "source": "oa_profile", "timestamp": ts })
        .to_string();
        for _ in 0..2 {
            assert_eq!(post_signed(&url, &follow, &ts, None).await, 200);
        }
        reply_after(&fake, USER, 0, "Choose your language").await;
        say(&fake, USER, "English", "What would you like to do").await;
        say(&fake, USER, "/subscribe", "/unsubscribe").await;
        let greetings = fake
            .delivered_to(USER)
            .iter()
            .filter(|t| t.contains("Choose your language"))
            .count();
        assert_eq!(greetings, 1, "[{}] the follow was handled twice", db.label);

        let unfollow = json!({ "app_id": APP_ID, "event_name": "unfollow", "oa_id": OA_ID,
            "follower": { "id": USER }, "source": "oa_profile", "timestamp": ts })
        .to_string();
        assert_eq!(post_signed(&url, &unfollow, &ts, None).await, 200);
        assert!(
            !app.state
                .store
                .is_subscribed(tipline::domain::channel::Channel::Zalo, USER)
                .await
                .unwrap()
        );
        // The user comes back and subscribes; a late copy of the old unfollow changes nothing.
        say(&fake, USER, "/subscribe", "/unsubscribe").await;
        assert_eq!(post_signed(&url, &unfollow, &ts, None).await, 200);
        assert!(
            app.state
                .store
                .is_subscribed(tipline::domain::channel::Channel::Zalo, USER)
                .await
                .unwrap(),
            "[{}]",
            db.label
        );
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_home_page_carries_the_zalo_tag_and_the_verification_file_is_served() {
    for db in common::all_dbs().await {
        let settings = [
            ("ZALO_SITE_VERIFICATION", "SeEEB8ES51jd-test".to_string()),
            (
                "ZALO_VERIFICATION_FILE",
                "zalo_verifierAB12cd.html".to_string(),
            ),
            (
                "ZALO_VERIFICATION_FILE_CONTENT",
                "<html>zalo-verifier-content</html>".to_string(),
            ),
        ];
        let app = support::tipline_app::RunningApp::start(&db, &settings).await;
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let home = http.get(app.url("/")).send().await.unwrap();
        assert_eq!(home.status(), 200);
        let html = home.text().await.unwrap();
        let head = html.split("</head>").next().unwrap();
        assert!(
            head.contains(
                r#"<meta name="zalo-platform-site-verification" content="SeEEB8ES51jd-test">"#
            ),
            "[{}] {html}",
            db.label
        );
        let file = http
            .get(app.url("/zalo_verifierAB12cd.html"))
            .send()
            .await
            .unwrap();
        assert_eq!(file.status(), 200);
        assert_eq!(
            file.text().await.unwrap(),
            "<html>zalo-verifier-content</html>"
        );
        // The dashboard itself is untouched: the queue still asks for a login.
        let queue = http.get(app.url("/queue")).send().await.unwrap();
        assert_ne!(queue.status(), 200, "[{}]", db.label);
        app.stop().await;
    }
}
