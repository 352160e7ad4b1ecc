//! A Vietnamese citizen on Messenger, through the fake Messenger Platform:
//! a full tip through quick replies with a photo whose GPS is stripped, the
//! receipt, an officer's reply seen with /status, the quiz and /learn (long
//! labels as numbered text with number quick replies), the Page profile
//! set up without touching other fields, and no PSID anywhere but a
//! subscription the user asked for. SQLite and PostgreSQL.
mod common;
mod support;

use serde_json::json;
use sqlx::Row;
use support::fake_messenger::{FakeMessenger, Sent};
use support::messenger_chat::{PSID, WEBHOOK, choose, reply_after, say, start};
use support::tipline_app::RunningApp;
use tipline::privacy::metadata::has_exif;
use tipline::storage::dashboard::Scope;
use tipline::storage::officers::{NewOfficer, Role};
use tipline::storage::tip_actions::TipAction;

const DESCRIPTION: &str =
    "Có người bán ma túy đá trước quán karaoke trên đường Nguyễn Ái Quốc vào mỗi buổi tối.";
const OFFICER_REPLY: &str = "Cảm ơn bạn, chúng tôi đang xác minh.";

/// The tip flow up to the receipt; returns the "sent" message.
async fn report_a_tip(fake: &FakeMessenger, app: &RunningApp) -> Sent {
    let url = app.url(WEBHOOK);
    // Get Started is a postback carrying /start: the language choice follows.
    assert_eq!(
        fake.postback(&url, PSID, "Bắt đầu", "/start").await.status,
        200
    );
    let m = reply_after(fake, PSID, 0, "Choose your language").await;
    assert_eq!(m.titles(), ["Tiếng Việt", "English"]);
    let menu = choose(fake, app, &m, "Tiếng Việt", "Bạn muốn làm gì?").await;
    let m = choose(fake, app, &menu, "Báo tin", "Bước 1/5").await;
    choose(fake, app, &m, "Mua bán ma túy", "Bước 2/5").await;
    let places = say(fake, app, "bien hoa", "Bạn chọn đúng nơi").await;
    let when = choose(fake, app, &places, "Phường Biên Hòa", "Bước 3/5").await;
    choose(fake, app, &when, "", "Bước 4/5").await;
    say(fake, app, DESCRIPTION, "Bước 5/5").await;
    let photo = fake.add_file("p1.jpg", support::jpeg_with_exif_gps());
    let before = fake.delivered(PSID).len();
    assert_eq!(fake.image(&url, PSID, &photo).await.status, 200);
    let got = reply_after(fake, PSID, before, "Đã nhận 1/5").await;
    assert_eq!(fake.file_fetches(), 1, "the photo was fetched from the CDN");
    let review = choose(fake, app, &got, "Xong", "Bạn kiểm tra lại tin báo").await;
    choose(fake, app, &review, "Gửi", "Đã gửi tin báo").await
}

async fn officer_replies(app: &RunningApp, reference: &str) {
    let store = &app.state.store;
    let hash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA";
    let officer = NewOfficer {
        unit: "CA-26068",
        username: "lan",
        role: Role::Officer,
        password_hash: hash,
    };
    let now = tipline::bot::now_ms();
    store.create_officer(officer, now).await.unwrap();
    let lan = store.officer_by_username("lan").await.unwrap().unwrap();
    let tip = store.queue("CA-26068", 10).await.unwrap();
    let tip = tip.iter().find(|t| t.reference == reference).unwrap();
    let scope = Scope::Unit("CA-26068".into());
    let reply = TipAction::Reply(OFFICER_REPLY.into());
    store
        .apply_tip_action(&scope, &lan, tip.id, &reply, now)
        .await
        .unwrap();
}

async fn stored_photo(db: &common::TestDb, reference: &str) -> Vec<u8> {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&db.url).await.unwrap();
    let row = sqlx::query(
        "SELECT a.bytes FROM attachments a JOIN tips t ON t.id = a.tip_id WHERE t.reference = $1",
    )
    .bind(reference)
    .fetch_one(&pool)
    .await
    .unwrap();
    pool.close().await;
    row.get("bytes")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_vietnamese_citizen_reports_with_a_photo_and_follows_up_with_the_receipt() {
    for db in common::all_dbs().await {
        let (fake, app) = start(&db, &[]).await;
        let done = report_a_tip(&fake, &app).await;
        let receipt = common::chat::receipt_in(&done.text)
            .unwrap_or_else(|| panic!("[{}] no receipt in {}", db.label, done.text));

        // The tip is in the ward unit's queue, its photo stored without EXIF or GPS.
        let queue = app.state.store.queue("CA-26068", 10).await.unwrap();
        assert_eq!(queue.len(), 1, "[{}]", db.label);
        assert!(done.text.contains(&queue[0].reference));
        assert_eq!(queue[0].description, DESCRIPTION);
        let bytes = stored_photo(&db, &queue[0].reference).await;
        assert!(!has_exif(&bytes), "[{}] EXIF kept", db.label);
        assert!(!bytes.windows(3).any(|w| w == b"GPS"), "[{}]", db.label);

        // An officer answers; /status with the receipt shows it.
        officer_replies(&app, &queue[0].reference).await;
        let status = say(&fake, &app, &format!("/status {receipt}"), OFFICER_REPLY).await;
        assert!(status.text.contains(&queue[0].reference), "{}", status.text);

        // Every message was accepted by the strict fake, as a RESPONSE, no tags.
        let sent = fake.sent();
        assert!(
            sent.iter().all(|s| s.error.is_none()),
            "[{}] {sent:?}",
            db.label
        );
        assert!(sent.iter().all(|s| s.messaging_type == "RESPONSE"));
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_quiz_has_numbered_options_with_number_quick_replies_and_learn_works() {
    for db in common::all_dbs().await {
        let (fake, app) = start(&db, &[]).await;
        let url = app.url(WEBHOOK);
        assert_eq!(fake.text(&url, PSID, "/start").await.status, 200);
        let m = reply_after(&fake, PSID, 0, "Choose your language").await;
        choose(&fake, &app, &m, "Tiếng Việt", "Bạn muốn làm gì?").await;

        let topics = say(&fake, &app, "/learn", "Bạn muốn tìm hiểu chủ đề nào?").await;
        assert!(!topics.quick.is_empty(), "[{}] {topics:?}", db.label);
        let (first_title, _) = topics.quick[0].clone();
        let label = if first_title.chars().all(|c| c.is_ascii_digit()) {
            topics
                .text
                .lines()
                .find_map(|l| l.strip_prefix("1. "))
                .unwrap()
                .to_string()
        } else {
            first_title
        };
        choose(&fake, &app, &topics, &label, "").await;

        let intro = say(&fake, &app, "/quiz", "Trắc nghiệm").await;
        let q1 = choose(&fake, &app, &intro, "Bắt đầu", "Câu 1/").await;
        // Answers are up to 32 characters: the full labels are numbered in
        // the text, the quick replies are just "1".."n".
        let n = q1.quick.len();
        assert!(n >= 2, "[{}] {q1:?}", db.label);
        let numbers: Vec<String> = (1..=n).map(|i| i.to_string()).collect();
        if q1.titles() == numbers {
            // Some answer was too long for a quick reply: all are numbered in the text.
            assert!(q1.text.contains("\n1. ") && q1.text.contains(&format!("\n{n}. ")));
        } else {
            // Every answer fits Meta's 20-character title: the buttons are the answers.
            assert!(
                q1.titles().iter().all(|t| t.chars().count() <= 20) && !q1.text.contains("\n1. "),
                "[{}] {q1:?}",
                db.label
            );
        }
        let before = fake.delivered(PSID).len();
        let (title, payload) = q1.quick[0].clone();
        fake.quick_reply(&url, PSID, &title, &payload).await;
        let fb = reply_after(&fake, PSID, before, "").await;
        assert!(
            fb.text.contains("Chính xác") || fb.text.contains("Chưa đúng"),
            "[{}] {}",
            db.label,
            fb.text
        );
        assert!(fake.sent().iter().all(|s| s.error.is_none()));
        app.stop().await;
    }
}

/// Every (table, column) whose value contains `needle` somewhere, text or bytes.
async fn columns_holding(db: &common::TestDb, needle: &str) -> Vec<(String, String)> {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&db.url).await.unwrap();
    let sqlite = db.url.starts_with("sqlite");
    let columns_sql = if sqlite {
        "SELECT m.name AS t, p.name AS c, 'any' AS k FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type = 'table'"
    } else {
        "SELECT table_name::text AS t, column_name::text AS c, data_type::text AS k FROM information_schema.columns WHERE table_schema = current_schema()"
    };
    let rows = sqlx::query(columns_sql).fetch_all(&pool).await.unwrap();
    let mut hits = Vec::new();
    for r in rows {
        let (t, c, k): (String, String, String) = (r.get("t"), r.get("c"), r.get("k"));
        let test = if sqlite {
            format!("instr(CAST(\"{c}\" AS BLOB), CAST($1 AS BLOB)) > 0")
        } else if k == "bytea" {
            format!("position(convert_to($1, 'UTF8') in \"{c}\") > 0")
        } else {
            format!("strpos(\"{c}\"::text, $1) > 0")
        };
        let q = format!("SELECT COUNT(*) AS n FROM \"{t}\" WHERE {test}");
        let n: i64 = sqlx::query(&q)
            .bind(needle)
            .fetch_one(&pool)
            .await
            .unwrap()
            .get("n");
        if n > 0 {
            hits.push((t, c));
        }
    }
    pool.close().await;
    hits
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn no_psid_is_kept_anywhere_but_the_subscription_the_user_asked_for() {
    for db in common::all_dbs().await {
        let (fake, app) = start(&db, &[]).await;
        report_a_tip(&fake, &app).await;
        say(&fake, &app, "/privacy", "").await;
        // Before subscribing: the PSID is nowhere in the database or data dir.
        let hits = columns_holding(&db, PSID).await;
        assert!(hits.is_empty(), "[{}] {hits:?}", db.label);
        if db.url.starts_with("sqlite") {
            grep_data_dir(&db, false);
        }
        // After /subscribe, only the subscription holds it.
        let before = fake.delivered(PSID).len();
        fake.text(&app.url(WEBHOOK), PSID, "/subscribe").await;
        reply_after(&fake, PSID, before, "").await;
        assert!(
            app.state
                .store
                .is_subscribed(tipline::domain::channel::Channel::Messenger, PSID)
                .await
                .unwrap()
        );
        // Subscription addresses are sealed at rest (issue 13): even the
        // subscription the user asked for holds no PSID in the clear.
        let hits = columns_holding(&db, PSID).await;
        assert!(hits.is_empty(), "[{}] {hits:?}", db.label);
        app.stop().await;
    }
}

/// Greps every file under the data dir (database, WAL, keys) for the PSID.
fn grep_data_dir(db: &common::TestDb, allowed: bool) {
    let mut stack = vec![db.data_dir()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let bytes = std::fs::read(&path).unwrap_or_default();
            let found = bytes.windows(PSID.len()).any(|w| w == PSID.as_bytes());
            assert!(allowed || !found, "PSID found in {}", path.display());
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn setup_sets_get_started_greeting_and_menu_and_keeps_other_fields() {
    let db = common::TestDb::sqlite();
    let fake = FakeMessenger::start().await;
    fake.set_profile_field("whitelisted_domains", json!(["https://police.example.vn"]));
    let config = db.config_with(&support::messenger_chat::settings(&fake));
    let state = tipline::app::AppState::load(config).await.unwrap();
    let http = reqwest::Client::new();
    let token = support::fake_messenger::PAGE_TOKEN;
    tipline::channels::messenger::profile::set_up(&http, &fake.api_base(), token, &state.i18n)
        .await
        .unwrap();
    let p = fake.profile();
    assert_eq!(p["get_started"]["payload"], "/start");
    assert_eq!(p["greeting"][0]["locale"], "default");
    assert_eq!(p["greeting"][1]["locale"], "en_US");
    let menu = p["persistent_menu"][0]["call_to_actions"]
        .as_array()
        .unwrap();
    assert!(menu.iter().any(|a| a["payload"] == "/report"));
    assert_eq!(p["whitelisted_domains"][0], "https://police.example.vn");
    // A wrong token is refused with Meta's message, never echoing the token.
    let err =
        tipline::channels::messenger::profile::set_up(&http, &fake.api_base(), "bad", &state.i18n)
            .await
            .unwrap_err()
            .to_string();
    assert!(err.contains("190") && !err.contains("bad"), "{err}");
}
