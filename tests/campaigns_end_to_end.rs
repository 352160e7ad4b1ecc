//! Campaigns through the real server and channel adapters, against the
//! channels' fake Bot API and fake OA API: citizens subscribe in chat, the
//! server's own pacer delivers with the adapters' clients and tokens, and a
//! blocked bot or an unfollow deletes the subscription.
mod common;
mod support;

use std::time::Duration;

use common::broadcast::{campaign_now, wait_done, wait_for};
use serde_json::{Value, json};
use support::fake_telegram::FakeTelegram;
use support::fake_zalo::FakeZalo;
use support::telegram_chat::{Chat, Transport};
use support::tipline_app::RunningApp;
use tipline::channels::zalo::signature;
use tipline::domain::channel::Channel;

fn blocked() -> Value {
    json!({ "ok": false, "error_code": 403, "description": "Forbidden: bot was blocked by the user" })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn telegram_subscribers_get_the_campaign_and_blocked_chats_are_removed() {
    for db in common::all_dbs().await {
        let fake = FakeTelegram::start().await;
        let settings = vec![
            ("TELEGRAM_BOT_TOKEN", "123456:TEST-token".to_string()),
            ("TELOXIDE_API_URL", fake.base_url.clone()),
        ];
        let app = RunningApp::start(&db, &settings).await;
        let store = &app.state.store;
        let alice = Chat::new(&fake, 7001, "en", Transport::Polling);
        let bob = Chat::new(&fake, 7002, "vi", Transport::Polling);
        let carol = Chat::new(&fake, 7003, "en", Transport::Polling);
        alice.say("/subscribe", "national awareness messages").await;
        bob.say("/subscribe Hà Nội", "Hà Nội").await;
        carol.say("/subscribe", "national awareness messages").await;

        // Carol blocks the bot; the reply to her next message gets a 403.
        fake.inject("sendMessage", carol.chat_id, 403, blocked());
        carol.deliver(json!({ "message": { "message_id": 9, "date": 1_700_000_000,
            "chat": { "id": carol.chat_id, "type": "private", "first_name": "C" },
            "from": { "id": carol.chat_id, "is_bot": false, "first_name": "C" }, "text": "/help" } }))
            .await;
        wait_for(
            "the blocked chat's subscription to go",
            Duration::from_secs(20),
            || async {
                !store
                    .is_subscribed(Channel::Telegram, "7003")
                    .await
                    .unwrap()
            },
        )
        .await;

        // Bob blocks the bot before the campaign reaches him.
        fake.inject("sendMessage", bob.chat_id, 403, blocked());
        let id = campaign_now(&app.state, "June").await;
        let p = wait_done(&app.state, id, Duration::from_secs(60)).await;
        assert_eq!(
            (p.total, p.sent, p.removed),
            (2, 1, 1),
            "[{}] {p:?}",
            db.label
        );
        let got = fake.sent_to(alice.chat_id);
        let campaign = got
            .iter()
            .filter(|m| m.text.starts_with("June is the Month"))
            .count();
        assert_eq!(
            campaign, 1,
            "[{}] alice got the campaign {campaign} times",
            db.label
        );
        assert!(got.last().unwrap().text.contains("/unsubscribe"));
        assert!(
            !store
                .is_subscribed(Channel::Telegram, "7002")
                .await
                .unwrap()
        );
        assert!(
            store
                .is_subscribed(Channel::Telegram, "7001")
                .await
                .unwrap()
        );
        app.stop().await;
    }
}

const APP_ID: &str = "4313000000000000001";
const OA_SECRET: &str = "oa-secret-key-for-tests";

async fn zalo_event(url: &str, mut body: Value) {
    let ts = chrono::Utc::now().timestamp_millis().to_string();
    body["app_id"] = json!(APP_ID);
    body["timestamp"] = json!(ts);
    let raw = serde_json::to_string(&body).unwrap();
    let sig = signature(APP_ID, raw.as_bytes(), &ts, OA_SECRET);
    let status = reqwest::Client::new()
        .post(url)
        .header("content-type", "application/json")
        .header("X-ZEvent-Signature", sig)
        .body(raw)
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, 200);
}

fn zalo_text(user: &str, text: &str) -> Value {
    json!({ "event_name": "user_send_text", "sender": { "id": user }, "recipient": { "id": "1" },
        "message": { "msg_id": format!("m{}", rand::random::<u64>()), "text": text } })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn zalo_followers_get_the_campaign_with_the_adapters_token_and_unfollowers_are_removed() {
    for db in common::all_dbs().await {
        let fake = FakeZalo::start("RT-1").await;
        let settings = vec![
            ("ZALO_APP_ID", APP_ID.to_string()),
            ("ZALO_OA_SECRET_KEY", OA_SECRET.to_string()),
            ("ZALO_APP_SECRET", "app-secret".to_string()),
            ("ZALO_ACCESS_TOKEN", "AT-stale".to_string()),
            ("ZALO_REFRESH_TOKEN", "RT-1".to_string()),
            ("ZALO_API_BASE_URL", fake.base_url.clone()),
            ("ZALO_OAUTH_BASE_URL", fake.base_url.clone()),
        ];
        let app = RunningApp::start(&db, &settings).await;
        let store = &app.state.store;
        let url = app.url("/zalo/webhook");
        let (stays, leaves) = ("8309393969855402319", "8309393969855402320");
        for user in [stays, leaves] {
            zalo_event(&url, zalo_text(user, "/subscribe")).await;
            fake.wait_until("the subscription reply", |f| {
                f.delivered_to(user)
                    .iter()
                    .find(|t| t.contains("/unsubscribe"))
                    .cloned()
            })
            .await;
        }
        assert!(store.is_subscribed(Channel::Zalo, leaves).await.unwrap());
        zalo_event(&url, json!({ "event_name": "unfollow", "follower": { "id": leaves }, "oa_id": "1", "source": "oa" })).await;
        assert!(
            !store.is_subscribed(Channel::Zalo, leaves).await.unwrap(),
            "[{}] unfollow kept the subscription",
            db.label
        );

        let id = campaign_now(&app.state, "26/6").await;
        let p = wait_done(&app.state, id, Duration::from_secs(60)).await;
        assert_eq!((p.total, p.sent), (1, 1), "[{}] {p:?}", db.label);
        let got = fake.delivered_to(stays);
        assert_eq!(
            got.iter().filter(|t| t.starts_with("Tháng 6")).count(),
            1,
            "[{}] {got:?}",
            db.label
        );
        // Sent with the adapter's refreshed token, never the stale configured one.
        let campaign_calls: Vec<_> = fake
            .cs_calls()
            .into_iter()
            .filter(|c| c.text.starts_with("Tháng 6"))
            .collect();
        assert!(
            campaign_calls.iter().all(|c| c.access_token != "AT-stale"),
            "[{}]",
            db.label
        );
        assert!(
            fake.delivered_to(leaves)
                .iter()
                .all(|t| !t.starts_with("Tháng 6"))
        );
        app.stop().await;
    }
}
