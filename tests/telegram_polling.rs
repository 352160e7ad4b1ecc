//! Telegram through long polling against the fake Bot API: complete tips in
//! English and Vietnamese with button callbacks, a photo whose EXIF GPS is
//! stripped, a 429 survived, the unit group's notice, and groups ignored.
mod common;
mod support;

use support::fake_telegram::{BOT_USERNAME, FakeTelegram};
use support::telegram_chat::{Chat, Transport};
use support::tipline_app::{PUBLIC_URL, RunningApp};
use tipline::privacy::metadata::has_exif;
use tipline::storage::dashboard::Scope;
use tipline::storage::officers::{NewOfficer, Role};
use tipline::storage::tip_actions::TipAction;
use tipline::storage::units::UnitSettings;
use tipline::storage::{PoolSettings, Store};

const TOKEN: &str = "123456:TEST-token";
const UNIT_GROUP: i64 = -100123;
const OTHER_GROUP: i64 = -100456;
const DESCRIPTION_EN: &str = "A man sells small packets of meth outside the karaoke bar on Nguyen Ai Quoc street every evening.";
const DESCRIPTION_VI: &str =
    "Có người bán ma túy đá trước quán karaoke trên đường Nguyễn Ái Quốc vào mỗi buổi tối.";

fn settings(fake: &FakeTelegram) -> Vec<(&'static str, String)> {
    vec![
        ("TELEGRAM_BOT_TOKEN", TOKEN.into()),
        ("TELOXIDE_API_URL", fake.base_url.clone()),
        ("TIPLINE_UNIT_GROUPS", format!("CA-26068={UNIT_GROUP}")),
    ]
}

/// English, with a photo carrying EXIF GPS. Returns the tip's reference.
async fn english_flow(chat: &Chat) -> String {
    let m = chat.say("/start", "Choose your language").await;
    assert_eq!(
        m.buttons.iter().map(|b| b.1.as_str()).collect::<Vec<_>>(),
        ["lang:vi", "lang:en"]
    );
    let m = chat.tap("lang:en", "What would you like to do?").await;
    assert!(
        m.text.starts_with("Language set to English."),
        "replies are merged into one message: {:?}",
        m.text
    );
    chat.tap("menu:report", "Step 1/5").await;
    let m = chat.tap("cat:dealing", "Step 2/5").await;
    assert_eq!(m.buttons.len(), 1, "one button per row: {:?}", m.buttons);
    chat.location(10.95, 106.82, "Is it near").await;
    let m = chat.say("bien hoa", "Pick the right place").await;
    assert!(
        m.buttons
            .iter()
            .any(|(label, data)| data == "ward:26068" && label.contains("Biên Hòa")),
        "{:?}",
        m.buttons
    );
    chat.tap("ward:26068", "Step 3/5").await;
    let m = chat.tap("when:this_week", "Step 4/5").await;
    assert!(m.buttons.is_empty());
    chat.say(DESCRIPTION_EN, "Step 5/5").await;
    chat.photo("photo-1", support::jpeg_with_exif_gps(), "Received 1/5")
        .await;
    let review = chat.tap("att:done", "Please check your report").await;
    assert!(review.text.contains("Photos: 1"), "{}", review.text);
    let done = chat.tap("review:send", "Report sent").await;
    let reference = done
        .text
        .split("Reference: ")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .expect("reference")
        .to_string();
    assert!(done.text.contains("Receipt code"));
    // The pressed button's question was edited to show the choice, keyboard removed.
    let review_now = chat.fake.message(review.message_id).unwrap();
    assert!(
        review_now.buttons.is_empty() && review_now.text.ends_with("→ ✅ Send report"),
        "{review_now:?}"
    );
    reference
}

/// Vietnamese, no photo; a 429 on one send is waited out.
async fn vietnamese_flow(chat: &Chat) -> String {
    chat.say("/start", "Choose your language").await;
    chat.tap("lang:vi", "Bạn muốn làm gì?").await;
    chat.tap("menu:report", "Bước 1/5").await;
    chat.tap("cat:use_venue", "Bước 2/5").await;
    chat.fake.inject(
        "sendMessage",
        chat.chat_id,
        429,
        serde_json::json!({ "ok": false, "error_code": 429,
        "description": "Too Many Requests: retry after 1", "parameters": { "retry_after": 1 } }),
    );
    chat.say("bien hoa", "Bạn chọn đúng nơi").await;
    chat.tap("ward:26068", "Bước 3/5").await;
    chat.tap("when:now", "Bước 4/5").await;
    chat.say(DESCRIPTION_VI, "Bước 5/5").await;
    chat.tap("att:done", "Bạn kiểm tra lại tin báo").await;
    let done = chat.tap("review:send", "Đã gửi tin báo").await;
    let line = done
        .text
        .lines()
        .find(|l| l.contains("TL-"))
        .expect("reference line");
    line[line.find("TL-").unwrap()..]
        .split_whitespace()
        .next()
        .unwrap()
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn tips_complete_through_polling_in_english_and_vietnamese_with_a_clean_photo_and_a_unit_notice()
 {
    for db in common::all_dbs().await {
        let fake = FakeTelegram::start().await;
        let app = RunningApp::start(&db, &settings(&fake)).await;
        let en = Chat::new(&fake, 1001, "en", Transport::Polling);
        let vi = Chat::new(&fake, 1002, "vi", Transport::Polling);
        let (ref_en, ref_vi) = tokio::join!(english_flow(&en), vietnamese_flow(&vi));

        // Startup: commands in both languages, no webhook in polling mode.
        let langs: Vec<_> = fake
            .calls("setMyCommands")
            .iter()
            .map(|c| c.params["language_code"].as_str().unwrap_or("").to_string())
            .collect();
        assert!(
            langs.contains(&"vi".into()) && langs.contains(&"en".into()),
            "{langs:?}"
        );
        assert!(!fake.calls("deleteWebhook").is_empty() && fake.calls("setWebhook").is_empty());
        // Every button press was answered.
        let taps = fake.calls("answerCallbackQuery").len();
        assert_eq!(taps, 14, "7 taps in each chat ({})", db.label);
        // The 429 was waited out and the message sent again.
        let sends = fake.calls("sendMessage");
        let bien_hoa: Vec<_> = sends
            .iter()
            .filter(|c| {
                c.params["chat_id"] == 1002
                    && c.params["text"]
                        .as_str()
                        .unwrap()
                        .contains("Bạn chọn đúng nơi")
            })
            .collect();
        assert_eq!(
            bien_hoa.len(),
            2,
            "one refused with 429, one retried ({})",
            db.label
        );

        // Both tips are in the ward unit's queue, with their descriptions.
        let queue = app.state.store.queue("CA-26068", 10).await.unwrap();
        let en_tip = queue
            .iter()
            .find(|t| t.reference == ref_en)
            .expect("English tip queued");
        assert_eq!(en_tip.category, "dealing");
        assert_eq!(en_tip.description, DESCRIPTION_EN);
        assert!(
            en_tip.latitude.is_some(),
            "shared location kept with the tip"
        );
        assert!(
            queue
                .iter()
                .any(|t| t.reference == ref_vi && t.description == DESCRIPTION_VI)
        );

        // The stored photo is the re-encoded one: no EXIF, no GPS (read
        // through storage, which opens the sealed bytes).
        let store = &app.state.store;
        let photos = store.tip_attachments(en_tip.id).await.unwrap();
        assert_eq!(photos.len(), 1, "one photo linked to the tip");
        let (_, bytes) = store
            .tip_attachment(en_tip.id, &photos[0].id)
            .await
            .unwrap()
            .expect("photo");
        assert!(
            !has_exif(&bytes)
                && !bytes.windows(3).any(|w| w == b"GPS")
                && !bytes.windows(7).any(|w| w == b"PhoneCo")
        );
        assert_eq!(
            fake.calls("download").len(),
            1,
            "only the chosen size was downloaded"
        );

        // The unit group hears about both tips: reference, category, place, priority, link; no description.
        for reference in [&ref_en, &ref_vi] {
            let tip_id = queue.iter().find(|t| &t.reference == reference).unwrap().id;
            let notice = fake
                .wait_until("the unit group's notice", |f| {
                    f.sent_to(UNIT_GROUP)
                        .into_iter()
                        .find(|m| m.text.contains(reference.as_str()))
                })
                .await;
            assert!(
                notice.text.contains("Phường Biên Hòa")
                    && notice.text.contains(&format!("{PUBLIC_URL}/tips/{tip_id}")),
                "{}",
                notice.text
            );
            assert!(
                notice.text.contains("Mức ưu tiên"),
                "notices are in Vietnamese by default"
            );
            assert!(
                !notice.text.contains("Nguyen Ai Quoc")
                    && !notice.text.contains("Nguyễn Ái Quốc")
                    && !notice.text.contains("Citizen"),
                "no description or reporter data: {}",
                notice.text
            );
        }

        // A transfer on the dashboard notifies the receiving unit, in the
        // group an admin set for it there.
        let admin_id = app
            .state
            .store
            .create_officer(
                NewOfficer {
                    unit: "PC04-75",
                    username: "admin",
                    role: Role::Admin,
                    password_hash: "x",
                },
                0,
            )
            .await
            .unwrap();
        let admin = app
            .state
            .store
            .officer_by_username("admin")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(admin.id, admin_id);
        let settings = UnitSettings {
            code: "PC04-75".into(),
            display_name: String::new(),
            telegram_chat_id: Some(OTHER_GROUP.to_string()),
        };
        app.state
            .store
            .upsert_unit_settings(&settings, 0)
            .await
            .unwrap();
        let en_id = queue.iter().find(|t| t.reference == ref_en).unwrap().id;
        let transfer = TipAction::Transfer {
            unit: "PC04-75".into(),
            reason: "lab suspected".into(),
        };
        app.state
            .store
            .apply_tip_action(&Scope::All, &admin, en_id, &transfer, 1)
            .await
            .unwrap();
        let notice = fake
            .wait_until("the transfer notice", |f| {
                f.sent_to(OTHER_GROUP)
                    .into_iter()
                    .find(|m| m.text.contains(&ref_en))
            })
            .await;
        assert!(
            notice.text.contains("đã được chuyển cho PC04"),
            "{}",
            notice.text
        );
        assert!(!notice.text.contains("lab suspected") && !notice.text.contains("Nguyen Ai Quoc"));

        // Groups: a report attempt gets a pointer to the private chat; nothing is stored.
        let before = app.state.store.sessions_fingerprint().await.unwrap();
        let group = Chat::new(&fake, -100999, "vi", Transport::Polling);
        let reply = group
            .say(&format!("/report@{BOT_USERNAME}"), "trò chuyện riêng")
            .await;
        assert!(reply.text.contains(&format!("@{BOT_USERNAME}")));
        // Another bot's command and plain chatter are ignored: the next reply
        // (to our command, handled after them in order) is the only new one.
        group.deliver(serde_json::json!({ "message": { "message_id": 1, "date": 1_700_000_000,
            "chat": support::fake_telegram::chat_json(-100999), "from": support::fake_telegram::user_json(5, "vi"), "text": "/report@SomeOtherBot" } })).await;
        group.say("/tip", "trò chuyện riêng").await;
        assert_eq!(fake.sent_to(-100999).len(), 2);
        assert_eq!(
            app.state.store.sessions_fingerprint().await.unwrap(),
            before,
            "group messages never reach the engine"
        );

        app.stop().await;

        // The offset survived the shutdown: a restart would neither replay nor skip updates.
        let keys = db.config().data_keys().unwrap();
        let store = Store::connect(&db.url, &PoolSettings::default(), keys)
            .await
            .unwrap();
        let (offset, _) = store
            .channel_value_with_age("telegram.offset.123456")
            .await
            .unwrap()
            .expect("offset saved");
        assert_eq!(
            offset.parse::<i64>().unwrap(),
            fake.last_update_id() + 1,
            "next offset saved ({})",
            db.label
        );
        // Both notices were recorded as sent (the notifier finishes its batch before stopping).
        let outcomes = store.unit_notice_counts().await.unwrap();
        assert_eq!(outcomes, [("sent".to_string(), 3)], "{}", db.label);
        store.close().await;
    }
}
