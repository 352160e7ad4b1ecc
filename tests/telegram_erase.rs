//! Erasing a report conversation from the reporter's Telegram chat (issue
//! 13), against the fake Bot API, whose deleteMessage answers like
//! Telegram's ("message to delete not found", "message can't be deleted").
//! After the receipt (and after /status) one button deletes every message of
//! the conversation, the bot's and the reporter's; earlier messages stay; a
//! second press, messages the user already deleted, and messages past 48
//! hours all get a plain answer. On SQLite and PostgreSQL.
mod common;
mod support;

use serde_json::{Value, json};
use support::fake_telegram::{FakeTelegram, user_json};
use support::telegram_chat::{Chat, Transport};
use support::tipline_app::RunningApp;

const TOKEN: &str = "123456:TEST-token";
const DESCRIPTION: &str = "A man sells small packets of meth outside the karaoke bar on Nguyen Ai Quoc street every evening.";

fn settings(fake: &FakeTelegram) -> Vec<(&'static str, String)> {
    vec![
        ("TELEGRAM_BOT_TOKEN", TOKEN.into()),
        ("TELOXIDE_API_URL", fake.base_url.clone()),
        ("TELEGRAM_RATE_GLOBAL", "0".into()),
    ]
}

/// Greets, then reports a tip. Returns the ids visible before the report
/// began (they must survive) and the receipt message's text.
async fn report(chat: &Chat) -> (Vec<i64>, String) {
    chat.say("/start", "Choose your language").await;
    let menu = chat.tap("lang:en", "What would you like to do?").await;
    let mut before = chat.fake.visible_in(chat.chat_id);
    // The menu whose button starts the report belongs to the report.
    before.retain(|id| *id != menu.message_id);
    chat.tap("menu:report", "Step 1/5").await;
    chat.tap("cat:dealing", "Step 2/5").await;
    chat.say("bien hoa", "Pick the right place").await;
    chat.tap("ward:26068", "Step 3/5").await;
    chat.tap("when:this_week", "Step 4/5").await;
    chat.say(DESCRIPTION, "Step 5/5").await;
    chat.tap("att:done", "Please check your report").await;
    let done = chat.tap("review:send", "Report sent").await;
    assert!(
        done.data_for("erase:ask").is_some(),
        "the receipt offers erasing: {:?}",
        done.buttons
    );
    (before, done.text)
}

/// A button press on the latest message offering `data`, as Telegram sends it.
fn press(chat: &Chat, data: &str) -> Value {
    let sent = chat.fake.sent_to(chat.chat_id);
    let m = sent
        .iter()
        .rev()
        .find(|m| m.data_for(data).is_some())
        .unwrap_or_else(|| panic!("no {data} button"));
    json!({ "callback_query": { "id": format!("cb{}", rand::random::<u32>()),
        "from": user_json(chat.user_id(), chat.lang), "message": chat.fake.message_json(m.message_id),
        "chat_instance": "1", "data": data } })
}

/// Presses erase:now and waits for the answer containing `expect`.
async fn erase(chat: &Chat, query: Value, expect: &str) -> String {
    let before = chat.fake.sent_to(chat.chat_id).len();
    chat.deliver(query).await;
    chat.reply_after(before, expect).await.text
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn erase_deletes_every_message_of_the_report_and_a_second_press_is_answered_politely() {
    for db in common::all_dbs().await {
        let fake = FakeTelegram::start().await;
        let app = RunningApp::start(&db, &settings(&fake)).await;
        let chat = Chat::new(&fake, 3001, "en", Transport::Polling);
        let (before, receipt) = report(&chat).await;
        assert!(receipt.contains("Receipt code"), "{receipt}");
        chat.tap("erase:ask", "Erase this conversation").await;
        // Two presses of "erase", the second before the first is answered.
        let first = press(&chat, "erase:now");
        let second = first.clone();
        let flow: Vec<i64> = fake
            .visible_in(3001)
            .into_iter()
            .filter(|id| !before.contains(id))
            .collect();
        assert!(
            flow.len() >= 12,
            "{}: both sides of the report: {flow:?}",
            db.label
        );

        let done = erase(&chat, first, "messages were deleted").await;
        assert!(done.contains(&format!("{} messages", flow.len())), "{done}");
        let deletes: Vec<i64> = fake
            .calls("deleteMessage")
            .iter()
            .map(|c| c.params["message_id"].as_i64().unwrap())
            .collect();
        let mut sorted = deletes.clone();
        sorted.sort_unstable();
        assert_eq!(
            sorted, flow,
            "{}: every message of the flow, once each",
            db.label
        );
        let left = fake.visible_in(3001);
        assert_eq!(
            left[..before.len()],
            before[..],
            "{}: what came before the report stays",
            db.label
        );
        assert_eq!(
            left.len(),
            before.len() + 1,
            "only the neutral answer is new"
        );
        let answer = fake.message(*left.last().unwrap()).unwrap().text;
        assert!(
            !answer.contains("report") && !answer.contains("TL-"),
            "{answer}"
        );

        let again = erase(&chat, second, "nothing left here").await;
        assert!(
            again.contains("Clear history"),
            "says how to do it by hand: {again}"
        );
        assert_eq!(
            fake.calls("deleteMessage").len(),
            deletes.len(),
            "{}",
            db.label
        );
        let key = app.state.secret.session_key("telegram", "3001");
        assert_eq!(app.state.store.erasable_count(&key).await.unwrap(), 0);
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn erase_after_status_copes_with_messages_gone_already_or_too_old() {
    for db in common::all_dbs().await {
        let fake = FakeTelegram::start().await;
        let app = RunningApp::start(&db, &settings(&fake)).await;

        // /status on its own: the receipt typed again, then erased. The
        // reporter deleted one of their own messages first.
        let chat = Chat::new(&fake, 3002, "en", Transport::Polling);
        let (_, receipt) = report(&chat).await;
        chat.tap("erase:ask", "Erase this conversation").await;
        erase(&chat, press(&chat, "erase:now"), "messages were deleted").await;
        let code = receipt
            .split_whitespace()
            .find(|w| w.len() == 24 && w.matches('-').count() == 4)
            .expect("receipt code")
            .to_string();
        let asked = fake.visible_in(3002).len();
        let view = chat.say(&format!("/status {code}"), "Status").await;
        assert!(view.data_for("erase:ask").is_some(), "{:?}", view.buttons);
        let typed = fake.visible_in(3002)[asked];
        fake.user_deletes(typed);
        chat.tap("erase:ask", "Erase this conversation").await;
        let done = erase(&chat, press(&chat, "erase:now"), "messages were deleted").await;
        assert!(!done.contains("could not"), "{done}");
        assert_eq!(fake.visible_in(3002).len(), asked + 1, "{}", db.label);

        // Past Telegram's 48 hours: nothing can be deleted, and the bot says so.
        let old = Chat::new(&fake, 3003, "en", Transport::Polling);
        report(&old).await;
        old.tap("erase:ask", "Erase this conversation").await;
        let query = press(&old, "erase:now");
        fake.age_past_48_hours(3003);
        let text = erase(&old, query, "could not be deleted").await;
        assert!(text.contains("Clear history"), "{text}");
        // The bot still answers normally afterwards.
        old.say("/menu", "What would you like to do?").await;
        app.stop().await;
    }
}

/// One message through the runtime at `now_ms`, as `channel` would pass it.
async fn say_at(
    app: &std::sync::Arc<tipline::app::AppState>,
    channel: tipline::domain::channel::Channel,
    input: tipline::conversation::Input,
    now_ms: i64,
) -> String {
    use tipline::bot::{self, Speaker};
    let inbound = tipline::conversation::Inbound {
        input,
        now_ms,
        lang_hint: Some(tipline::i18n::Lang::En),
        accepts_attachments: false,
    };
    let speaker = Speaker {
        channel,
        user_id: "77",
    };
    let replies = bot::handle(app, speaker, inbound).await;
    tipline::channels::console::render(&replies)
}

/// Past 48 hours (in whole days) the engine does not try: it says so and
/// how to delete by hand. Zalo and the console explain by hand at once.
#[tokio::test]
async fn erase_after_two_days_or_where_the_platform_cannot_delete_is_explained() {
    use tipline::conversation::Input;
    use tipline::domain::channel::Channel;
    for db in common::all_dbs().await {
        let app = db.app().await;
        let now = tipline::bot::now_ms();
        let text = |s: &str| Input::Text(s.to_string());
        say_at(&app, Channel::Telegram, text("/report"), now).await;
        let later = now + 2 * 86_400_000;
        let out = say_at(
            &app,
            Channel::Telegram,
            Input::Choice("erase:now".into()),
            later,
        )
        .await;
        assert!(
            out.contains("only within 48 hours") && out.contains("Clear history"),
            "{out}"
        );
        let again = say_at(
            &app,
            Channel::Telegram,
            Input::Choice("erase:now".into()),
            later,
        )
        .await;
        assert!(again.contains("nothing left here"), "{again}");

        let zalo = say_at(&app, Channel::Zalo, text("/erase"), now).await;
        assert!(zalo.contains("Delete chat history"), "{}: {zalo}", db.label);
        let console = say_at(&app, Channel::Console, text("/erase"), now).await;
        assert!(console.contains("nothing is kept on a phone"), "{console}");
    }
}
