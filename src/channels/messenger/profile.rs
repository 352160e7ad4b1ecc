//! The Page's Messenger profile (`tipline messenger setup`): a Get Started
//! button, a greeting and a persistent menu, in Vietnamese (Meta's
//! "default" locale) and English. One `POST {base}/me/messenger_profile`
//! with only these three fields: Meta replaces just the fields given, so
//! ice breakers, allowlisted domains and the rest stay as the Page has them.
//! The menu's postbacks carry the commands the engine already knows.
use anyhow::{Context, bail};
use serde_json::{Value, json};

use crate::i18n::{I18n, Lang};

/// Sent when someone taps Get Started: the same as typing /start.
pub const GET_STARTED_PAYLOAD: &str = "/start";
/// Greeting text limit (Meta: 160 characters).
pub const GREETING_MAX: usize = 160;
/// Persistent menu item title limit (Meta: 30 characters).
pub const MENU_TITLE_MAX: usize = 30;
/// (command sent back, Fluent key of its title), in menu order.
const MENU: [(&str, &str); 4] = [
    ("/report", "messenger-menu-report"),
    ("/status", "messenger-menu-status"),
    ("/learn", "messenger-menu-learn"),
    ("/menu", "messenger-menu-main"),
];

/// Meta's locale for each language; Vietnamese is the Page's default.
fn locale(lang: Lang) -> &'static str {
    match lang {
        Lang::Vi => "default",
        Lang::En => "en_US",
    }
}

/// The profile body; Err names a text over Meta's limits.
pub fn body(i18n: &I18n) -> anyhow::Result<Value> {
    let mut greeting = Vec::new();
    let mut menus = Vec::new();
    for lang in [Lang::Vi, Lang::En] {
        let text = i18n.tr(lang, "messenger-greeting");
        if text.chars().count() > GREETING_MAX {
            bail!("messenger-greeting ({lang}) is over Meta's {GREETING_MAX} characters");
        }
        greeting.push(json!({ "locale": locale(lang), "text": text }));
        let mut actions = Vec::new();
        for (payload, key) in MENU {
            let title = i18n.tr(lang, key);
            if title.chars().count() > MENU_TITLE_MAX {
                bail!("{key} ({lang}) is over Meta's {MENU_TITLE_MAX} characters");
            }
            actions.push(json!({ "type": "postback", "title": title, "payload": payload }));
        }
        menus.push(
            json!({ "locale": locale(lang), "composer_input_disabled": false,
            "call_to_actions": actions }),
        );
    }
    Ok(json!({
        "get_started": { "payload": GET_STARTED_PAYLOAD },
        "greeting": greeting,
        "persistent_menu": menus,
    }))
}

/// Sets the profile; the error carries Meta's message (never the token).
pub async fn set_up(
    http: &reqwest::Client,
    api_base: &str,
    token: &str,
    i18n: &I18n,
) -> anyhow::Result<()> {
    let body = body(i18n)?;
    let resp = http
        .post(format!(
            "{}/me/messenger_profile",
            api_base.trim_end_matches('/')
        ))
        .query(&[("access_token", token)])
        .json(&body)
        .send()
        .await
        .map_err(|e| anyhow::anyhow!("calling the Messenger Profile API: {}", e.without_url()))?;
    let status = resp.status();
    let bytes = resp.bytes().await.context("reading Meta's answer")?;
    if let Some(e) = super::graph::error_of(&bytes) {
        bail!(
            "Meta refused the profile (code {}{}): {}",
            e.code,
            e.error_subcode
                .map(|s| format!(", subcode {s}"))
                .unwrap_or_default(),
            e.message
        );
    }
    let ok = serde_json::from_slice::<Value>(&bytes)
        .ok()
        .is_some_and(|v| v["result"] == "success");
    if !status.is_success() || !ok {
        bail!("unexpected answer from the Messenger Profile API (HTTP {status})");
    }
    Ok(())
}
