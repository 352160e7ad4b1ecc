//! The optional reply notice (issue 13), through Telegram against the fake
//! Bot API: with the opt-in, an officer's reply brings "you have a reply"
//! (never the reply's text); without it nothing is sent and no link row
//! exists; closing the tip and /forget delete the link. Officers' pages never
//! read the links. On SQLite and PostgreSQL.
mod common;
mod support;

use sqlx::Row;
use support::fake_telegram::FakeTelegram;
use support::telegram_chat::{Chat, Transport};
use support::tipline_app::RunningApp;
use tipline::domain::tip::{Resolution, Status};
use tipline::storage::dashboard::Scope;
use tipline::storage::officers::{NewOfficer, Officer, Role};
use tipline::storage::tip_actions::TipAction;

const TOKEN: &str = "123456:TEST-token";
const DESCRIPTION: &str =
    "Two men unload boxes of pills from a van behind the pharmacy on Tran Phu street at night.";
const REPLY: &str = "Officer reply: please tell us the colour of the van, we are checking it now.";

fn settings(fake: &FakeTelegram) -> Vec<(&'static str, String)> {
    vec![
        ("TELEGRAM_BOT_TOKEN", TOKEN.into()),
        ("TELOXIDE_API_URL", fake.base_url.clone()),
        ("TELEGRAM_RATE_GLOBAL", "0".into()),
    ]
}

/// Reports a tip; returns its reference.
async fn report(chat: &Chat) -> String {
    chat.say("/start", "Choose your language").await;
    chat.tap("lang:en", "What would you like to do?").await;
    chat.tap("menu:report", "Step 1/5").await;
    chat.tap("cat:dealing", "Step 2/5").await;
    chat.say("bien hoa", "Pick the right place").await;
    chat.tap("ward:26068", "Step 3/5").await;
    chat.tap("when:this_week", "Step 4/5").await;
    chat.say(DESCRIPTION, "Step 5/5").await;
    chat.tap("att:done", "Please check your report").await;
    let done = chat.tap("review:send", "Report sent").await;
    assert!(
        done.text.contains("encrypted address") && done.data_for("notice:").is_some(),
        "the receipt explains the opt-in and offers it: {done:?}"
    );
    done.text
        .split("Reference: ")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .expect("reference")
        .to_string()
}

async fn links(pool: &sqlx::AnyPool) -> Vec<i64> {
    sqlx::query("SELECT tip_id FROM reply_notices ORDER BY tip_id")
        .fetch_all(pool)
        .await
        .unwrap()
        .iter()
        .map(|r| r.get::<i64, _>(0))
        .collect()
}

async fn officer(app: &RunningApp) -> Officer {
    let store = &app.state.store;
    let new = NewOfficer {
        unit: "PC04-75",
        username: "admin",
        role: Role::Admin,
        password_hash: "x",
    };
    store.create_officer(new, 0).await.unwrap();
    store.officer_by_username("admin").await.unwrap().unwrap()
}

async fn tip_id(app: &RunningApp, reference: &str) -> i64 {
    let queue = app.state.store.queue("CA-26068", 50).await.unwrap();
    queue.iter().find(|t| t.reference == reference).unwrap().id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_officer_reply_sends_a_notice_only_to_a_chat_that_opted_in() {
    for db in common::all_dbs().await {
        let fake = FakeTelegram::start().await;
        let app = RunningApp::start(&db, &settings(&fake)).await;
        sqlx::any::install_default_drivers();
        let pool = sqlx::AnyPool::connect(&db.url).await.unwrap();
        let with = Chat::new(&fake, 4001, "en", Transport::Polling);
        let without = Chat::new(&fake, 4002, "en", Transport::Polling);
        let ref_with = report(&with).await;
        let ref_without = report(&without).await;
        with.tap("notice:", "when officers reply").await;
        let (id_with, id_without) = (
            tip_id(&app, &ref_with).await,
            tip_id(&app, &ref_without).await,
        );
        assert_eq!(
            links(&pool).await,
            vec![id_with],
            "{}: only the opt-in is stored",
            db.label
        );

        let admin = officer(&app).await;
        let reply = TipAction::Reply(REPLY.into());
        // The tip without a link first: the worker handles links in order,
        // so by the time the other notice arrives this one would have too.
        for id in [id_without, id_with] {
            app.state
                .store
                .apply_tip_action(&Scope::All, &admin, id, &reply, 1)
                .await
                .unwrap();
        }
        let notice = fake
            .wait_until("the reply notice", |f| {
                f.sent_to(4001)
                    .into_iter()
                    .find(|m| m.text.contains("You have a reply about"))
            })
            .await;
        assert!(notice.text.contains("/status"), "{}", notice.text);
        for secret in [REPLY, "colour of the van", ref_with.as_str()] {
            assert!(
                !notice.text.contains(secret),
                "{}: {}",
                db.label,
                notice.text
            );
        }
        let to_without = fake.sent_to(4002);
        assert!(
            !to_without
                .iter()
                .any(|m| m.text.contains("You have a reply about")),
            "{}: no notice without the opt-in",
            db.label
        );
        assert_eq!(links(&pool).await, vec![id_with]);

        // One reply, one notice; closing the tip deletes its link.
        tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
        let notices = fake
            .sent_to(4001)
            .iter()
            .filter(|m| m.text.contains("You have a reply about"))
            .count();
        assert_eq!(notices, 1, "{}", db.label);
        let close = TipAction::SetStatus {
            status: Status::Closed,
            resolution: Some(Resolution::Actioned),
            duplicate_of: None,
        };
        app.state
            .store
            .apply_tip_action(&Scope::All, &admin, id_with, &close, 2)
            .await
            .unwrap();
        assert!(
            links(&pool).await.is_empty(),
            "{}: closed, unlinked",
            db.label
        );
        pool.close().await;
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn forget_deletes_the_chats_reply_notice_links() {
    for db in common::all_dbs().await {
        let fake = FakeTelegram::start().await;
        let app = RunningApp::start(&db, &settings(&fake)).await;
        sqlx::any::install_default_drivers();
        let pool = sqlx::AnyPool::connect(&db.url).await.unwrap();
        let chat = Chat::new(&fake, 4003, "en", Transport::Polling);
        let other = Chat::new(&fake, 4004, "en", Transport::Polling);
        report(&chat).await;
        chat.tap("notice:", "when officers reply").await;
        let other_ref = report(&other).await;
        other.tap("notice:", "when officers reply").await;
        assert_eq!(links(&pool).await.len(), 2);
        chat.say("/forget", "reply notices").await;
        assert_eq!(
            links(&pool).await,
            vec![tip_id(&app, &other_ref).await],
            "{}: only this chat's link goes",
            db.label
        );
        pool.close().await;
        app.stop().await;
    }
}

/// Officers never see whether a tip has a link: nothing that builds their
/// pages or exports reads the table.
#[test]
fn no_officer_page_reads_the_reply_notice_links() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![
        root.join("storage/dashboard.rs"),
        root.join("storage/queue.rs"),
        root.join("storage/stats.rs"),
    ];
    for e in std::fs::read_dir(root.join("web")).unwrap() {
        files.push(e.unwrap().path());
    }
    for f in files.iter().filter(|f| f.is_file()) {
        let text = std::fs::read_to_string(f).unwrap();
        assert!(!text.contains("reply_notice"), "{}", f.display());
    }
}
