//! Shared helpers for the dashboard tests: a running server on port 0, officer
//! accounts, tips submitted through the real chat engine, and a signed-in
//! HTTP client that knows its CSRF token.
#![allow(dead_code)]
use std::sync::Arc;

use tipline::app::AppState;
use tipline::bot::{self, Speaker};
use tipline::conversation::{Inbound, Input, Reply};
use tipline::domain::channel::Channel;
use tipline::storage::officers::{NewOfficer, Role};
use tipline::web::password;

use crate::common::TestDb;
use crate::support::tipline_app::RunningApp;

pub const PASSWORD: &str = "correct horse battery";

/// The dashboard tests run the one shared server harness.
pub type Running = RunningApp;

pub async fn start(db: &TestDb) -> Running {
    start_with(db, &[]).await
}

/// A server with extra settings (environment names, as in `tipline.toml`).
pub async fn start_with(db: &TestDb, settings: &[(&str, &str)]) -> Running {
    let settings: Vec<(&str, String)> = settings.iter().map(|(k, v)| (*k, v.to_string())).collect();
    RunningApp::start_with(db.config_with(&settings)).await
}

pub async fn add_officer(state: &AppState, unit: &str, username: &str, role: Role) -> i64 {
    let hash = password::hash(PASSWORD).unwrap();
    state
        .store
        .create_officer(
            NewOfficer {
                unit,
                username,
                role,
                password_hash: &hash,
            },
            bot::now_ms(),
        )
        .await
        .expect("create officer")
}

/// A tip as the reporter got it back from the bot.
#[derive(Debug, Clone)]
pub struct Submitted {
    pub id: i64,
    pub reference: String,
    pub receipt: String,
}

async fn say(state: &Arc<AppState>, user: &str, input: Input) -> Vec<Reply> {
    say_on(state, user, input, false).await
}

async fn say_on(
    state: &Arc<AppState>,
    user: &str,
    input: Input,
    accepts_attachments: bool,
) -> Vec<Reply> {
    let inbound = Inbound {
        input,
        now_ms: bot::now_ms(),
        lang_hint: None,
        accepts_attachments,
    };
    bot::handle(
        state,
        Speaker {
            channel: Channel::Console,
            user_id: user,
        },
        inbound,
    )
    .await
}

pub async fn chat(state: &Arc<AppState>, user: &str, text: &str) -> String {
    let replies = say(state, user, Input::Text(text.to_string())).await;
    replies
        .iter()
        .map(|r| r.text.clone())
        .collect::<Vec<_>>()
        .join("\n")
}

pub async fn choose(state: &Arc<AppState>, user: &str, id: &str) -> String {
    let replies = say(state, user, Input::Choice(id.to_string())).await;
    replies
        .iter()
        .map(|r| r.text.clone())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Reports a tip through the chat engine, as a citizen would on the console.
pub async fn submit_tip(
    state: &Arc<AppState>,
    user: &str,
    category: &str,
    ward: u32,
    description: &str,
) -> Submitted {
    chat(state, user, "/report").await;
    choose(state, user, &format!("cat:{category}")).await;
    choose(state, user, &format!("ward:{ward}")).await;
    choose(state, user, "when:now").await;
    chat(state, user, description).await;
    let text = choose(state, user, "review:send").await;
    let receipt = text
        .split_whitespace()
        .find(|w| w.len() == 24 && w.matches('-').count() == 4)
        .unwrap_or_else(|| panic!("no receipt in {text:?}"))
        .to_string();
    let reference = text
        .split_whitespace()
        .find(|w| w.starts_with("TL-") && w.len() == 13)
        .unwrap_or_else(|| panic!("no reference in {text:?}"))
        .to_string();
    let id = state
        .store
        .scoped_tip_id_by_reference(&tipline::storage::dashboard::Scope::All, &reference)
        .await
        .unwrap()
        .expect("tip stored");
    Submitted {
        id,
        reference,
        receipt,
    }
}

/// A signed-in browser-like client.
pub struct Officer {
    pub client: reqwest::Client,
    pub csrf: String,
    pub base: String,
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap()
}

pub fn no_redirect_client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// The value of the first `name="csrf"` hidden field in a page.
pub fn csrf_of(html: &str) -> String {
    let i = html
        .find("name=\"csrf\" value=\"")
        .expect("page has a csrf field")
        + "name=\"csrf\" value=\"".len();
    html[i..].split('"').next().unwrap().to_string()
}

/// Posts the login form; returns the final response after redirects.
pub async fn post_login(
    client: &reqwest::Client,
    base: &str,
    username: &str,
    password: &str,
) -> reqwest::Response {
    let page = client
        .get(format!("{base}/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = csrf_of(&page);
    client
        .post(format!("{base}/login"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("username", username),
            ("password", password),
            ("totp", ""),
        ])
        .send()
        .await
        .unwrap()
}

pub async fn login(run: &Running, username: &str) -> Officer {
    let client = client();
    let res = post_login(&client, &run.base, username, PASSWORD).await;
    assert_eq!(res.status(), 200, "login of {username} failed");
    assert!(
        res.url().path().starts_with("/queue"),
        "login should land on the queue, got {}",
        res.url()
    );
    let html = res.text().await.unwrap();
    Officer {
        client,
        csrf: csrf_of(&html),
        base: run.base.clone(),
    }
}

impl Officer {
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap()
    }

    pub async fn get_text(&self, path: &str) -> (u16, String) {
        let r = self.get(path).await;
        (r.status().as_u16(), r.text().await.unwrap())
    }

    /// Posts a form with this session's CSRF token; returns the final status and page.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> (u16, String) {
        let mut form: Vec<(&str, &str)> = vec![("csrf", self.csrf.as_str())];
        form.extend_from_slice(fields);
        let r = self
            .client
            .post(format!("{}{path}", self.base))
            .form(&form)
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    }
}

/// A small clean JPEG, as a channel would store it after stripping metadata.
pub fn photo() -> tipline::privacy::metadata::CleanAttachment {
    let img = image::RgbImage::from_fn(32, 24, |x, y| {
        image::Rgb([(x * 8) as u8, (y * 10) as u8, 120])
    });
    let mut jpeg = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut jpeg, image::ImageFormat::Jpeg)
        .unwrap();
    tipline::privacy::metadata::strip(&jpeg.into_inner()).unwrap()
}

/// Reports a tip with one photo, through a channel that accepts attachments.
pub async fn submit_tip_with_photo(
    state: &Arc<AppState>,
    user: &str,
    category: &str,
    ward: u32,
) -> (Submitted, String, Vec<u8>) {
    let clean = photo();
    let id = format!("att-{user}");
    let new = tipline::storage::tips::NewAttachment {
        id: &id,
        sha256: &clean.sha256,
        content_type: clean.content_type,
        bytes: &clean.bytes,
    };
    state
        .store
        .store_attachment(new, bot::now_ms())
        .await
        .unwrap();
    let aref = tipline::domain::tip::AttachmentRef {
        id: id.clone(),
        sha256: clean.sha256.clone(),
        content_type: clean.content_type.into(),
        size: clean.bytes.len() as u64,
    };
    say_on(state, user, Input::Text("/report".into()), true).await;
    say_on(state, user, Input::Choice(format!("cat:{category}")), true).await;
    say_on(state, user, Input::Choice(format!("ward:{ward}")), true).await;
    say_on(state, user, Input::Choice("when:now".into()), true).await;
    say_on(
        state,
        user,
        Input::Text("Ảnh chụp người giao hàng đáng ngờ trước cổng trường.".into()),
        true,
    )
    .await;
    say_on(state, user, Input::Attachment(aref), true).await;
    say_on(state, user, Input::Choice("att:done".into()), true).await;
    let replies = say_on(state, user, Input::Choice("review:send".into()), true).await;
    let text = replies
        .iter()
        .map(|r| r.text.clone())
        .collect::<Vec<_>>()
        .join("\n");
    let reference = text
        .split_whitespace()
        .find(|w| w.starts_with("TL-") && w.len() == 13)
        .unwrap_or_else(|| panic!("no reference in {text:?}"))
        .to_string();
    let receipt = text
        .split_whitespace()
        .find(|w| w.len() == 24 && w.matches('-').count() == 4)
        .unwrap()
        .to_string();
    let tip_id = state
        .store
        .scoped_tip_id_by_reference(&tipline::storage::dashboard::Scope::All, &reference)
        .await
        .unwrap()
        .expect("tip stored");
    (
        Submitted {
            id: tip_id,
            reference,
            receipt,
        },
        id,
        clean.bytes,
    )
}
