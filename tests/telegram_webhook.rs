//! Telegram in webhook mode, served by Tipline's own axum server: the secret
//! header is required (401 and nothing stored without it), and a full tip
//! flow runs through webhook POSTs with button callbacks.
mod common;
mod support;

use serde_json::json;
use support::fake_telegram::{FakeTelegram, chat_json, user_json};
use support::telegram_chat::{Chat, Transport};
use support::tipline_app::RunningApp;

const SECRET: &str = "test_webhook-Secret_123";
const DESCRIPTION: &str =
    "Có người bán ma túy đá trước quán karaoke trên đường Nguyễn Ái Quốc vào mỗi buổi tối.";

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn webhook_requires_the_secret_header_and_completes_a_tip() {
    for db in common::all_dbs().await {
        let fake = FakeTelegram::start().await;
        let settings = vec![
            ("TELEGRAM_BOT_TOKEN", "123456:TEST-token".to_string()),
            ("TELOXIDE_API_URL", fake.base_url.clone()),
            (
                "TELEGRAM_WEBHOOK_URL",
                "https://tipline.test/telegram/webhook".to_string(),
            ),
            ("TELEGRAM_WEBHOOK_SECRET", SECRET.to_string()),
        ];
        let app = RunningApp::start(&db, &settings).await;
        let url = app.url("/telegram/webhook");

        // setWebhook carries our fixed secret, never a random one, and no polling happens.
        let set = fake
            .wait_until("setWebhook", |f| f.calls("setWebhook").into_iter().next())
            .await;
        assert_eq!(set.params["secret_token"], SECRET);
        assert_eq!(set.params["url"], "https://tipline.test/telegram/webhook");

        // Missing or wrong secret: 401, and nothing reaches the engine or storage.
        let http = reqwest::Client::new();
        let update = json!({ "update_id": 1, "message": { "message_id": 1, "date": 1_700_000_000,
            "chat": chat_json(2001), "from": user_json(2001, "vi"), "text": "/start" } });
        let before = (
            app.state.store.sessions_fingerprint().await.unwrap(),
            app.state.store.count_tips().await.unwrap(),
        );
        let missing = http.post(&url).json(&update).send().await.unwrap();
        assert_eq!(missing.status(), 401);
        let wrong = http
            .post(&url)
            .header("X-Telegram-Bot-Api-Secret-Token", "test_webhook-Secret_124")
            .json(&update)
            .send()
            .await
            .unwrap();
        assert_eq!(wrong.status(), 401);
        let after = (
            app.state.store.sessions_fingerprint().await.unwrap(),
            app.state.store.count_tips().await.unwrap(),
        );
        assert_eq!(before, after);
        assert!(fake.sent_to(2001).is_empty());
        // Malformed JSON with the right secret is refused plainly.
        let garbage = http
            .post(&url)
            .header("X-Telegram-Bot-Api-Secret-Token", SECRET)
            .body("{not json")
            .send()
            .await
            .unwrap();
        assert_eq!(garbage.status(), 400);

        // The same flow, through webhook POSTs.
        let chat = Chat::new(
            &fake,
            2001,
            "vi",
            Transport::Webhook {
                url: url.clone(),
                secret: SECRET.into(),
            },
        );
        chat.say("/start", "Chọn ngôn ngữ").await;
        chat.tap("lang:vi", "Bạn muốn làm gì?").await;
        chat.tap("menu:report", "Bước 1/5").await;
        chat.tap("cat:dealing", "Bước 2/5").await;
        chat.say("bien hoa", "Bạn chọn đúng nơi").await;
        chat.tap("ward:26068", "Bước 3/5").await;
        chat.tap("when:earlier", "Bước 4/5").await;
        chat.say(DESCRIPTION, "Bước 5/5").await;
        let review = chat.tap("att:done", "Bạn kiểm tra lại tin báo").await;
        assert_eq!(
            review
                .buttons
                .iter()
                .map(|b| b.1.as_str())
                .collect::<Vec<_>>(),
            ["review:send", "review:edit", "review:cancel"]
        );
        let done = chat.tap("review:send", "Đã gửi tin báo").await;
        // The receipt (with its erase and reply-notice buttons) comes first, the menu after it.
        let before_menu = fake.sent_to(2001).len() - 1;
        chat.reply_after(before_menu, "Bạn muốn làm gì?").await;
        assert_eq!(
            fake.calls("answerCallbackQuery").len(),
            7,
            "every button press answered"
        );

        let queue = app.state.store.queue("CA-26068", 10).await.unwrap();
        assert_eq!(queue.len(), 1, "{}", db.label);
        assert!(done.text.contains(&queue[0].reference));
        assert_eq!(queue[0].description, DESCRIPTION);

        // A redelivered update (same update_id) is handled once.
        let sessions = app.state.store.sessions_fingerprint().await.unwrap();
        let sent_before = fake.sent_to(2001).len();
        let replay = fake
            .number_update(json!({ "message": { "message_id": 2, "date": 1_700_000_000,
            "chat": chat_json(2001), "from": user_json(2001, "vi"), "text": "/menu" } }));
        for _ in 0..2 {
            let r = http
                .post(&url)
                .header("X-Telegram-Bot-Api-Secret-Token", SECRET)
                .json(&replay)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200);
        }
        chat.say("/help", "/privacy").await; // handled after the /menu in chat order
        assert_eq!(
            fake.sent_to(2001).len(),
            sent_before + 2,
            "one reply to /menu, one to /help"
        );
        assert_eq!(
            app.state.store.sessions_fingerprint().await.unwrap().1,
            sessions.1 + 2
        );

        assert!(
            fake.calls("getUpdates").is_empty(),
            "webhook mode never polls"
        );
        // Shutdown right after an update is accepted: it is still handled and answered.
        let sent_before = fake.sent_to(2001).len();
        chat.deliver(json!({ "message": { "message_id": 3, "date": 1_700_000_000,
            "chat": chat_json(2001), "from": user_json(2001, "vi"), "text": "/privacy" } }))
            .await;
        app.stop().await;
        let last = fake.sent_to(2001);
        assert_eq!(
            last.len(),
            sent_before + 1,
            "the in-flight update finished before shutdown"
        );
        assert!(last.last().unwrap().text.contains("Chúng tôi lưu gì"));
    }
}

#[tokio::test]
async fn webhook_mode_without_a_strong_secret_refuses_to_start() {
    let db = common::TestDb::sqlite();
    let load = |secret: Option<&str>| {
        let mut settings = vec![
            ("TELEGRAM_BOT_TOKEN", "123456:TEST-token".to_string()),
            (
                "TELEGRAM_WEBHOOK_URL",
                "https://tipline.test/telegram/webhook".to_string(),
            ),
        ];
        if let Some(s) = secret {
            settings.push(("TELEGRAM_WEBHOOK_SECRET", s.to_string()));
        }
        let cli = tipline::config::CliOverrides {
            data_dir: Some(db.data_dir()),
            database_url: Some(db.url.clone()),
            settings: settings.into_iter().map(|(k, v)| (k.into(), v)).collect(),
            ..Default::default()
        };
        tipline::config::Config::from_layers(
            &cli,
            common::env::clean_env(),
            Default::default(),
            None,
        )
        .expect_err("startup must fail")
        .to_string()
    };
    let missing = load(None);
    assert!(
        missing.contains("TELEGRAM_WEBHOOK_SECRET is not set: required with TELEGRAM_WEBHOOK_URL"),
        "{missing}"
    );
    let weak = load(Some("fifteen_chars15"));
    assert!(
        weak.contains(
            "TELEGRAM_WEBHOOK_SECRET='***' from the command line: must be 16-256 characters"
        ),
        "{weak}"
    );
    assert!(
        !weak.contains("fifteen_chars15"),
        "the secret is never echoed: {weak}"
    );
}

/// Real concurrent arrivals: ten chats each POST a whole tip flow back to
/// back, without waiting for any reply (the webhook answers before the step
/// runs). Each chat's steps must still run in the order they arrived, or
/// the flow derails and no receipt comes.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn updates_posted_back_to_back_run_in_arrival_order_per_chat() {
    for db in common::all_dbs().await {
        let fake = FakeTelegram::start().await;
        let settings = vec![
            ("TELEGRAM_BOT_TOKEN", "123456:TEST-token".to_string()),
            ("TELOXIDE_API_URL", fake.base_url.clone()),
            (
                "TELEGRAM_WEBHOOK_URL",
                "https://tipline.test/telegram/webhook".to_string(),
            ),
            ("TELEGRAM_WEBHOOK_SECRET", SECRET.to_string()),
        ];
        let app = RunningApp::start(&db, &settings).await;
        let url = app.url("/telegram/webhook");
        let http = reqwest::Client::new();
        let steps = ["/report", "1", "bien hoa", "1", "1", DESCRIPTION, "1", "1"];
        let chats: Vec<i64> = (0..10).map(|i| 3_100 + i).collect();
        let posting = chats.iter().map(|&chat| {
            let (http, url, fake) = (http.clone(), url.clone(), fake.clone());
            tokio::spawn(async move {
                for text in steps {
                    let update = fake.number_update(json!({ "message": { "message_id": 1,
                        "date": 1_700_000_000, "chat": chat_json(chat),
                        "from": user_json(chat, "en"), "text": text } }));
                    let r = http
                        .post(&url)
                        .header("X-Telegram-Bot-Api-Secret-Token", SECRET)
                        .json(&update)
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(r.status(), 200);
                }
            })
        });
        for p in posting.collect::<Vec<_>>() {
            p.await.unwrap();
        }
        for &chat in &chats {
            let receipt = fake
                .wait_until("a receipt", |f| {
                    f.sent_to(chat)
                        .into_iter()
                        .find(|m| m.text.contains("Receipt code"))
                })
                .await;
            assert!(receipt.text.contains("Receipt code"), "{}", db.label);
        }
        assert_eq!(
            app.state.store.count_tips().await.unwrap(),
            chats.len() as i64,
            "{}",
            db.label
        );
        app.stop().await;
    }
}
