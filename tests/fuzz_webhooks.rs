//! Fuzzing the two doors the internet can knock on: the Telegram webhook
//! (update JSON into the engine) and the Zalo webhook (JSON plus signature).
//! Random and mutated payloads must get 200/400/401, never a panic or a 5xx,
//! and the server must keep serving real users afterwards. Bounded in CI by
//! PROPTEST_CASES; run longer with e.g. PROPTEST_CASES=20000.
mod common;
mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Value, json};
use support::fake_telegram::{FakeTelegram, chat_json, user_json};
use support::fake_zalo::FakeZalo;
use support::tipline_app::RunningApp;
use tipline::channels::zalo::signature;

const SECRET: &str = "fuzz_webhook_secret";
const APP_ID: &str = "fuzz-app";
const OA_SECRET: &str = "fuzz-oa-secret";

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256)
}

/// Leaves of JSON that parsers trip on: wrong types, huge numbers, odd text.
fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f)
            .map(Value::Number)
            .unwrap_or(Value::Null)),
        "\\PC{0,300}".prop_map(Value::String),
        Just(json!("x".repeat(70_000))),
        Just(json!([])),
        Just(json!({})),
    ]
}

/// Inputs that move a tip flow on (category, place, ward, time...), so a
/// conversation gets past its first step and the later steps are fuzzed too.
const FLOW: [&str; 7] = [
    "1",
    "2",
    "bien hoa",
    "Someone sells pills from a grey car behind the market every night.",
    "/cancel",
    "/start",
    "/status 0000-0000-0000-0000-0000",
];

/// A plausible Telegram update (its update_id is filled in when sent) with
/// some fields replaced by junk.
fn telegram_update(chat: i64) -> impl Strategy<Value = Value> {
    let text = prop_oneof![
        3 => prop::sample::select(FLOW.to_vec()).prop_map(String::from),
        2 => "\\PC{0,200}",
        1 => Just("/report".to_string())
    ];
    (text, prop::collection::vec((0usize..8, leaf()), 0..4), any::<bool>()).prop_map(move |(text, junk, callback)| {
        let mut u = if callback {
            json!({ "update_id": 0, "callback_query": { "id": "q", "from": user_json(chat, "en"), "chat_instance": "1", "data": text,
                "message": { "message_id": 5, "date": 1_700_000_000, "chat": chat_json(chat), "text": "x" } } })
        } else {
            json!({ "update_id": 0, "message": { "message_id": 5, "date": 1_700_000_000, "chat": chat_json(chat), "from": user_json(chat, "en"), "text": text } })
        };
        let paths: [&[&str]; 8] = [
            &["message", "text"], &["message", "chat", "id"], &["message", "from"], &["message", "location"],
            &["message", "photo"], &["callback_query", "data"], &["message", "chat", "type"], &["update_id"],
        ];
        for (i, v) in junk {
            let path = paths[i];
            let mut node = &mut u;
            for p in &path[..path.len() - 1] {
                node = &mut node[*p];
            }
            if node.is_object() {
                node[path[path.len() - 1]] = v;
            }
        }
        u
    })
}

/// One citizen's conversation: a clean `/report`, then fuzzed updates in the same chat.
fn telegram_conversation() -> impl Strategy<Value = (i64, Vec<Value>)> {
    (1i64..5_000_000).prop_flat_map(|chat| {
        prop::collection::vec(telegram_update(chat), 1..8).prop_map(move |mut updates| {
            let start = json!({ "update_id": 0, "message": { "message_id": 4, "date": 1_700_000_000,
                "chat": chat_json(chat), "from": user_json(chat, "en"), "text": "/report" } });
            updates.insert(0, start);
            (chat, updates)
        })
    })
}

fn zalo_event() -> impl Strategy<Value = Value> {
    let name = prop::sample::select(vec![
        "user_send_text",
        "user_send_location",
        "user_send_image",
        "user_send_file",
        "follow",
        "unfollow",
        "user_send_sticker",
        "",
        "oa_send_text",
    ]);
    (name, leaf(), leaf(), "\\PC{0,40}", any::<bool>()).prop_map(|(name, a, b, sender, coords)| {
        let attachments = if coords {
            json!([{ "type": "location", "payload": { "coordinates": { "latitude": a, "longitude": b } } }])
        } else {
            json!([{ "type": "image", "payload": { "url": a, "size": b } }])
        };
        json!({ "event_name": name, "sender": { "id": sender }, "recipient": { "id": "oa" },
            "message": { "msg_id": format!("m{}", rand::random::<u64>()), "text": a, "attachments": attachments } })
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn random_webhook_payloads_never_panic_or_break_the_server() {
    let panics = Arc::new(AtomicUsize::new(0));
    let counter = panics.clone();
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        counter.fetch_add(1, Ordering::SeqCst);
        previous(info);
    }));

    let db = common::TestDb::sqlite();
    let tg = FakeTelegram::start().await;
    let zalo = FakeZalo::start("RT-1").await;
    let settings = vec![
        ("TELEGRAM_BOT_TOKEN", "123456:FUZZ".to_string()),
        ("TELOXIDE_API_URL", tg.base_url.clone()),
        (
            "TELEGRAM_WEBHOOK_URL",
            "https://tipline.test/telegram/webhook".to_string(),
        ),
        ("TELEGRAM_WEBHOOK_SECRET", SECRET.to_string()),
        // Pacing off: the fuzzed flows now reach real steps and send hundreds
        // of replies, which Telegram's 30/s would queue ahead of the last check.
        ("TELEGRAM_RATE_GLOBAL", "0".to_string()),
        ("ZALO_APP_ID", APP_ID.to_string()),
        ("ZALO_OA_SECRET_KEY", OA_SECRET.to_string()),
        ("ZALO_APP_SECRET", "app-secret".to_string()),
        ("ZALO_REFRESH_TOKEN", "RT-1".to_string()),
        ("ZALO_API_BASE_URL", zalo.base_url.clone()),
        ("ZALO_OAUTH_BASE_URL", zalo.base_url.clone()),
    ];
    let app = RunningApp::start(&db, &settings).await;
    let http = reqwest::Client::new();
    let handle = tokio::runtime::Handle::current();
    let config = Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    };

    let (tg_url, z_url) = (app.url("/telegram/webhook"), app.url("/zalo/webhook"));
    // Far above the ids the fake numbers the real chat's updates with, so the
    // check after the fuzz is never taken for a redelivery of a fuzzed update.
    let next_update = std::sync::atomic::AtomicI64::new(1_000_000_000);
    let conversations = AtomicUsize::new(0);
    let chats = std::sync::Mutex::new(Vec::new());
    tokio::task::block_in_place(|| {
        let mut runner = TestRunner::new(config.clone());
        runner
            .run(
                &(
                    telegram_conversation(),
                    any::<bool>(),
                    prop::collection::vec(any::<u8>(), 0..200),
                ),
                |((chat, updates), raw, bytes)| {
                    conversations.fetch_add(1, Ordering::Relaxed);
                    if !raw {
                        chats.lock().unwrap().push(chat);
                    }
                    let bodies: Vec<Vec<u8>> = if raw {
                        vec![bytes]
                    } else {
                        updates
                            .into_iter()
                            .map(|mut u| {
                                // Unique ids: a repeated id is a redelivery and would be dropped unseen.
                                if u["update_id"] == json!(0) {
                                    u["update_id"] =
                                        json!(next_update.fetch_add(1, Ordering::Relaxed));
                                }
                                serde_json::to_vec(&u).unwrap()
                            })
                            .collect()
                    };
                    for body in bodies {
                        let status = handle.block_on(async {
                            http.post(&tg_url)
                                .header("X-Telegram-Bot-Api-Secret-Token", SECRET)
                                .header("content-type", "application/json")
                                .body(body)
                                .send()
                                .await
                                .unwrap()
                                .status()
                                .as_u16()
                        });
                        prop_assert!(
                            status == 200 || status == 400,
                            "telegram answered {}",
                            status
                        );
                    }
                    Ok(())
                },
            )
            .unwrap();

        let mut runner = TestRunner::new(config);
        runner
            .run(&(zalo_event(), 0u8..4), |(mut event, mode)| {
                let now = chrono::Utc::now().timestamp_millis();
                // Mode 2: signed, but over a day old (Zalo retries for about two hours).
                let ts = if mode == 2 { now - 2 * 86_400_000 } else { now };
                event["app_id"] = json!(APP_ID);
                event["timestamp"] = json!(ts.to_string());
                let raw = serde_json::to_string(&event).unwrap();
                let sig = match mode {
                    1 => "mac=0000".to_string(),
                    _ => signature(APP_ID, raw.as_bytes(), &ts.to_string(), OA_SECRET),
                };
                let status = handle.block_on(async {
                    http.post(&z_url)
                        .header("X-ZEvent-Signature", sig)
                        .header("content-type", "application/json")
                        .body(raw)
                        .send()
                        .await
                        .unwrap()
                        .status()
                        .as_u16()
                });
                match mode {
                    1 | 2 => prop_assert_eq!(status, 401),
                    _ => prop_assert!(status == 200 || status == 400, "zalo answered {}", status),
                }
                Ok(())
            })
            .unwrap();
    });

    // Background work triggered by the fuzz must finish without panicking, and a real user is still served.
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    let chat = support::telegram_chat::Chat::new(
        &tg,
        424_242,
        "en",
        support::telegram_chat::Transport::Webhook {
            url: tg_url.clone(),
            secret: SECRET.into(),
        },
    );
    chat.say("/help", "/report").await;
    assert_eq!(
        reqwest::get(app.url("/healthz")).await.unwrap().status(),
        200
    );
    // A graceful stop waits for every update's step, so the counts below are final.
    app.stop().await;
    // The fuzz reached the flows: conversations got past their first step,
    // so the later steps saw odd input too (a repeated update id would have
    // been dropped as a redelivery and left every flow at its start).
    let chats = chats.into_inner().unwrap();
    let advanced = chats
        .iter()
        .filter(|c| tg.sent_to(**c).iter().any(|m| m.text.contains("Step 2/5")))
        .count();
    let answered = chats.iter().filter(|c| tg.sent_to(**c).len() >= 2).count();
    eprintln!(
        "telegram fuzz: {} conversations, {answered} answered at least twice, {advanced} reached step 2",
        conversations.load(Ordering::Relaxed)
    );
    assert!(
        answered * 2 >= chats.len() && advanced > 0,
        "flows did not advance: {answered} answered twice, {advanced} at step 2, of {}",
        chats.len()
    );
    assert_eq!(
        panics.load(Ordering::SeqCst),
        0,
        "a payload made Tipline panic (see the output above)"
    );
}

/// A plausible Messenger `messaging` item with some fields replaced by junk:
/// texts, quick replies, postbacks, photos, locations, echoes, reads.
fn messenger_item() -> impl Strategy<Value = Value> {
    let kind = 0usize..7;
    let junk = prop::collection::vec((0usize..6, leaf()), 0..3);
    (kind, leaf(), "\\PC{0,120}", "[0-9]{1,18}", junk).prop_map(|(kind, a, text, psid, junk)| {
        let mid = format!("m_fuzz_{}", rand::random::<u64>());
        let body = match kind {
            0 => json!({ "message": { "mid": mid, "text": text } }),
            1 => json!({ "message": { "mid": mid, "text": text, "quick_reply": { "payload": a } } }),
            2 => json!({ "postback": { "title": text, "payload": a } }),
            3 => json!({ "message": { "mid": mid, "attachments": [{ "type": "image", "payload": { "url": a } }] } }),
            4 => json!({ "message": { "mid": mid, "attachments": [{ "type": "location", "payload": { "coordinates": { "lat": a, "long": a } } }] } }),
            5 => json!({ "message": { "mid": mid, "text": text, "is_echo": true } }),
            _ => json!({ "read": { "watermark": a } }),
        };
        let mut item = json!({ "sender": { "id": psid }, "recipient": { "id": "104729385710293" }, "timestamp": 1_700_000_000_000i64 });
        for (k, v) in body.as_object().unwrap() {
            item[k] = v.clone();
        }
        let fields = ["sender", "timestamp", "message", "postback", "recipient", "read"];
        for (i, v) in junk {
            item[fields[i]] = v;
        }
        item
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn random_messenger_deliveries_never_panic_or_break_the_server() {
    use support::fake_messenger::FakeMessenger;
    use support::fake_messenger_events::APP_SECRET;
    use tipline::channels::messenger::signature;

    let panics = Arc::new(AtomicUsize::new(0));
    let counter = panics.clone();
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        counter.fetch_add(1, Ordering::SeqCst);
        previous(info);
    }));
    let db = common::TestDb::sqlite();
    let fake = FakeMessenger::start().await;
    let app = RunningApp::start(&db, &support::messenger_chat::settings(&fake)).await;
    let http = reqwest::Client::new();
    let handle = tokio::runtime::Handle::current();
    let url = app.url(support::messenger_chat::WEBHOOK);
    let config = Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    };
    let strategy = (
        prop::collection::vec(messenger_item(), 0..5),
        prop_oneof![Just("page".to_string()), "\\PC{0,10}"],
        0u8..3,
        prop::collection::vec(any::<u8>(), 0..200),
    );
    tokio::task::block_in_place(|| {
        let mut runner = TestRunner::new(config);
        runner
            .run(&strategy, |(items, object, mode, bytes)| {
                // Mode 2: random bytes, correctly signed.
                let body = if mode == 2 {
                    bytes
                } else {
                    let entry = json!([{ "id": "104729385710293", "time": 1, "messaging": items }]);
                    serde_json::to_vec(&json!({ "object": object, "entry": entry })).unwrap()
                };
                // Mode 1: signed with another secret.
                let secret = if mode == 1 { "forged" } else { APP_SECRET };
                let sig = signature(secret, &body);
                let status = handle.block_on(async {
                    let r = http
                        .post(&url)
                        .header("X-Hub-Signature-256", sig)
                        .body(body);
                    r.send().await.unwrap().status().as_u16()
                });
                match mode {
                    1 => prop_assert_eq!(status, 401),
                    _ => prop_assert!(
                        status == 200 || status == 400,
                        "messenger answered {}",
                        status
                    ),
                }
                Ok(())
            })
            .unwrap();
    });

    // The steps started by the fuzz finish without panicking; a real user is still served.
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    let psid = "777000111222333";
    let before = fake.delivered(psid).len();
    assert_eq!(fake.text(&url, psid, "/help").await.status, 200);
    support::messenger_chat::reply_after(&fake, psid, before, "/report").await;
    app.stop().await;
    assert_eq!(
        panics.load(Ordering::SeqCst),
        0,
        "a Messenger delivery made Tipline panic (see the output above)"
    );
}
