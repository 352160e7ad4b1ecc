//! A Tipline server wired to the fake Zalo platform, and a citizen chatting
//! through it: events go out signed by the fake, replies come back as the
//! fake's recorded `cs` calls.
use super::fake_zalo::{CsCall, FakeZalo};
use super::tipline_app::RunningApp;
use crate::common::TestDb;

pub const APP_ID: &str = "4313000000000000001";
pub const OA_SECRET: &str = "oa-secret-key-for-tests";
pub const OA_ID: &str = "1423847451268726170";
pub const USER: &str = "8309393969855402319";

/// The server (with `extra` settings) and the fake, its webhook registered
/// the way Zalo's console does it (the probe must get 200).
pub async fn start(db: &TestDb, extra: &[(&str, String)]) -> (FakeZalo, RunningApp) {
    let fake = FakeZalo::start("RT-1").await;
    let mut settings = vec![
        ("ZALO_APP_ID", APP_ID.to_string()),
        ("ZALO_OA_SECRET_KEY", OA_SECRET.to_string()),
        ("ZALO_OA_ID", OA_ID.to_string()),
        ("ZALO_APP_SECRET", "app-secret".to_string()),
        ("ZALO_REFRESH_TOKEN", "RT-1".to_string()),
        ("ZALO_API_BASE_URL", fake.base_url.clone()),
        ("ZALO_OAUTH_BASE_URL", fake.base_url.clone()),
    ];
    settings.extend(extra.iter().cloned());
    let app = RunningApp::start(db, &settings).await;
    let probe = fake
        .register_webhook(&app.url("/zalo/webhook"), APP_ID, OA_SECRET, OA_ID)
        .await;
    assert_eq!(
        probe, 200,
        "Zalo saves a webhook URL only if its probe gets 200"
    );
    (fake, app)
}

/// Waits for a message to `user`, delivered after the first `before`, whose text contains `expect`.
pub async fn reply_after(fake: &FakeZalo, user: &str, before: usize, expect: &str) -> CsCall {
    fake.wait_until(&format!("a Zalo reply containing {expect:?}"), |f| {
        f.delivered_calls(user)
            .get(before..)
            .and_then(|n| n.iter().rev().find(|c| c.text.contains(expect)).cloned())
    })
    .await
}

/// Sends `text` and waits for the reply containing `expect`.
pub async fn say(fake: &FakeZalo, user: &str, text: &str, expect: &str) -> CsCall {
    let before = fake.delivered_calls(user).len();
    assert_eq!(fake.user_text(user, text).await, 200);
    reply_after(fake, user, before, expect).await
}

/// Picks the option whose label contains `label` on `last`, the way a
/// citizen would: pressing its button, or typing its number when the
/// options came as numbered text. Then waits for the reply containing `expect`.
pub async fn choose(
    fake: &FakeZalo,
    user: &str,
    last: &CsCall,
    label: &str,
    expect: &str,
) -> CsCall {
    let before = fake.delivered_calls(user).len();
    let status = match last.buttons.iter().find(|b| b.title.contains(label)) {
        Some(b) => fake.press(user, &b.title).await,
        None => {
            fake.user_text(user, &option_number(&last.text, label))
                .await
        }
    };
    assert_eq!(status, 200);
    reply_after(fake, user, before, expect).await
}

/// The number shown before the option whose label contains `label`.
pub fn option_number(text: &str, label: &str) -> String {
    text.lines()
        .filter_map(|l| l.split_once(". "))
        .find(|(n, t)| n.chars().all(|c| c.is_ascii_digit()) && t.contains(label))
        .map(|(n, _)| n.to_string())
        .unwrap_or_else(|| panic!("no option {label:?} in {text}"))
}
