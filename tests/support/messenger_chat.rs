//! A Tipline server wired to the fake Messenger Platform, and a citizen
//! chatting through it: messages go out signed by the fake, replies come
//! back as the fake's recorded Send API calls.
use super::fake_messenger::{FakeMessenger, PAGE_TOKEN, Sent};
use super::fake_messenger_events::{APP_SECRET, VERIFY_TOKEN};
use super::tipline_app::RunningApp;
use crate::common::TestDb;

pub const PSID: &str = "6543210987654321";

/// The settings that connect Tipline to `fake`.
pub fn settings(fake: &FakeMessenger) -> Vec<(&'static str, String)> {
    vec![
        ("MESSENGER_PAGE_ACCESS_TOKEN", PAGE_TOKEN.to_string()),
        ("MESSENGER_APP_SECRET", APP_SECRET.to_string()),
        ("MESSENGER_VERIFY_TOKEN", VERIFY_TOKEN.to_string()),
        ("MESSENGER_API_BASE_URL", fake.api_base()),
    ]
}

/// The server (with `extra` settings) and the fake, its webhook verified
/// the way Meta's app dashboard does it.
pub async fn start(db: &TestDb, extra: &[(&str, String)]) -> (FakeMessenger, RunningApp) {
    let fake = FakeMessenger::start().await;
    let mut s = settings(&fake);
    s.extend(extra.iter().cloned());
    let app = RunningApp::start(db, &s).await;
    let (status, body) = fake
        .verify(&app.url(WEBHOOK), VERIFY_TOKEN, "1158201444")
        .await;
    assert_eq!((status, body.as_str()), (200, "1158201444"));
    (fake, app)
}

pub const WEBHOOK: &str = "/messenger/webhook";

/// Waits for a message to `psid`, delivered after the first `before`,
/// whose text contains `expect`.
pub async fn reply_after(fake: &FakeMessenger, psid: &str, before: usize, expect: &str) -> Sent {
    fake.wait_until(&format!("a Messenger reply containing {expect:?}"), |f| {
        f.delivered(psid)
            .get(before..)
            .and_then(|n| n.iter().rev().find(|c| c.text.contains(expect)).cloned())
    })
    .await
}

/// Sends `text` and waits for the reply containing `expect`.
pub async fn say(fake: &FakeMessenger, app: &RunningApp, text: &str, expect: &str) -> Sent {
    let before = fake.delivered(PSID).len();
    assert_eq!(fake.text(&app.url(WEBHOOK), PSID, text).await.status, 200);
    reply_after(fake, PSID, before, expect).await
}

/// Taps the quick reply whose title contains `label`; when the options
/// came as numbered text, taps the number shown before that label. Then
/// waits for the reply containing `expect`.
pub async fn choose(
    fake: &FakeMessenger,
    app: &RunningApp,
    last: &Sent,
    label: &str,
    expect: &str,
) -> Sent {
    let title = match last.quick.iter().find(|(t, _)| t.contains(label)) {
        Some((t, _)) => t.clone(),
        None => option_number(&last.text, label),
    };
    let payload = last
        .quick
        .iter()
        .find(|(t, _)| *t == title)
        .map(|(_, p)| p.clone())
        .unwrap_or_else(|| panic!("no quick reply {title:?} for {label:?} on {last:?}"));
    let before = fake.delivered(PSID).len();
    let url = app.url(WEBHOOK);
    assert_eq!(
        fake.quick_reply(&url, PSID, &title, &payload).await.status,
        200
    );
    reply_after(fake, PSID, before, expect).await
}

/// The number shown before the option whose label contains `label`.
pub fn option_number(text: &str, label: &str) -> String {
    text.lines()
        .filter_map(|l| l.split_once(". "))
        .find(|(n, t)| n.chars().all(|c| c.is_ascii_digit()) && t.contains(label))
        .map(|(n, _)| n.to_string())
        .unwrap_or_else(|| panic!("no option {label:?} in {text}"))
}
