//! The web chat in a real browser (headless Chromium through chromedriver),
//! against the real `tipline serve` binary, on SQLite and PostgreSQL:
//!
//! - an agency's page on another loopback origin embeds `widget.js`; through
//!   the `data-tipline` hooks a citizen opens it, completes a Vietnamese tip
//!   with a photo, copies the receipt; an officer replies; in a fresh tab the
//!   receipt reads that reply; "Leave quickly" leaves nothing behind;
//! - the same tip on `/chat` at 360 px wide, with a screenshot;
//! - the browser asked no origin but the two loopback ones and got no cookie;
//! - afterwards neither the data dir nor the server's debug log holds the
//!   browser's address or user agent.
mod common;
mod dashboard_support;
mod support;
mod web_chat_support;

use std::time::Duration;

use fantoccini::{Client, Locator};
use tipline::app::AppState;
use tipline::storage::dashboard::Scope;
use tipline::storage::officers::Role;
use tipline::storage::tip_actions::TipAction;
use web_chat_support::browser::{browser, requested_urls, screenshot, start_chromedriver, tools};
use web_chat_support::servers::{HostSite, Tipline, contains, files_under, host_site};

const DESCRIPTION: &str =
    "Có người bán ma túy đá trước quán karaoke trên đường Nguyễn Ái Quốc vào mỗi buổi tối.";
const REPLY: &str = "Cảm ơn bạn, công an phường đang xác minh tin báo này.";

/// The text of every message in the chat frame, bot and user.
async fn transcript(c: &Client) -> String {
    let js = "return Array.from(document.querySelectorAll('[data-tipline=message]')).map(function (m) { return m.getAttribute('data-from') + ': ' + m.textContent; }).join('\\n');";
    c.execute(js, vec![])
        .await
        .unwrap()
        .as_str()
        .unwrap_or("")
        .to_string()
}

async fn wait_for_bot(c: &Client, needle: &str) -> String {
    for _ in 0..300 {
        // The newest bot message holding the needle: a step may answer with
        // several messages (the receipt, then the menu).
        let js = "var b = document.querySelectorAll('[data-tipline=message][data-from=bot]'); for (var i = b.length - 1; i >= 0; i--) { if (b[i].textContent.indexOf(arguments[0]) >= 0) { return b[i].textContent; } } return '';";
        let last = c.execute(js, vec![needle.into()]).await.unwrap();
        if last.as_str().is_some_and(|t| t.contains(needle)) {
            return last.as_str().unwrap().to_string();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "no bot message with {needle:?}; transcript:\n{}",
        transcript(c).await
    );
}

/// Presses the newest option button whose label contains `label`.
async fn press(c: &Client, label: &str) {
    for _ in 0..300 {
        let options = c
            .find_all(Locator::Css("[data-tipline=option]"))
            .await
            .unwrap();
        for o in options.iter().rev() {
            if o.text().await.unwrap_or_default().contains(label) {
                o.click().await.unwrap();
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no option {label:?}; transcript:\n{}", transcript(c).await);
}

async fn type_and_send(c: &Client, text: &str) {
    let input = c.find(Locator::Css("[data-tipline=input]")).await.unwrap();
    input.send_keys(text).await.unwrap();
    c.find(Locator::Css("[data-tipline=send]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

/// From the language question to the receipt, with one photo; returns the receipt.
async fn tip_with_photo(c: &Client, photo: &std::path::Path) -> String {
    wait_for_bot(c, "Chọn ngôn ngữ").await;
    press(c, "Tiếng Việt").await;
    wait_for_bot(c, "Bạn muốn làm gì?").await;
    press(c, "Báo tin ẩn danh").await;
    wait_for_bot(c, "Bước 1/5").await;
    press(c, "Mua bán ma túy").await;
    wait_for_bot(c, "Bước 2/5").await;
    type_and_send(c, "bien hoa").await;
    press(c, "Phường Biên Hòa").await;
    wait_for_bot(c, "Bước 3/5").await;
    press(c, "Đang diễn ra").await;
    wait_for_bot(c, "Bước 4/5").await;
    type_and_send(c, DESCRIPTION).await;
    wait_for_bot(c, "Bước 5/5").await;
    let file = c.find(Locator::Css("[data-tipline=file]")).await.unwrap();
    file.send_keys(&photo.display().to_string()).await.unwrap();
    wait_for_bot(c, "Đã nhận 1/5").await;
    press(c, "Xong").await;
    wait_for_bot(c, "kiểm tra lại").await;
    press(c, "Gửi tin báo").await;
    wait_for_bot(c, "Đã gửi tin báo").await;
    let receipt = c
        .find(Locator::Css("[data-tipline=receipt]"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(receipt.len(), 24, "{receipt}");
    // The copy button works (the page says so only when the copy succeeded).
    c.find(Locator::Css("[data-tipline=copy]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    for _ in 0..100 {
        let status = c
            .find(Locator::Id("status"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        if status.contains("Đã sao chép") {
            return receipt;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let status = c
        .find(Locator::Id("status"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let focus = c
        .execute(
            "return [document.hasFocus(), window.isSecureContext, !!navigator.clipboard];",
            vec![],
        )
        .await
        .unwrap();
    panic!("copying the receipt did not succeed: {status:?} {focus}");
}

async fn session_storage_len(c: &Client) -> u64 {
    c.execute("return sessionStorage.length;", vec![])
        .await
        .unwrap()
        .as_u64()
        .unwrap()
}

/// Opens the widget on the agency's page and enters its chat frame.
async fn open_widget(c: &Client, host: &HostSite) {
    c.goto(&host.base).await.unwrap();
    let widget = c
        .wait()
        .for_element(Locator::Css("tipline-chat"))
        .await
        .unwrap();
    let shadow = widget.shadow_root().await.unwrap();
    shadow
        .find(Locator::Css("[data-tipline=launcher]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let frame = shadow.find(Locator::Css("iframe")).await.unwrap();
    frame.enter_frame().await.unwrap();
}

async fn officer_replies(state: &AppState) -> String {
    let tip = state
        .store
        .queue("CA-26068", 10)
        .await
        .unwrap()
        .into_iter()
        .next()
        .expect("the tip is queued");
    assert_eq!(tip.description, DESCRIPTION);
    let officer_id = dashboard_support::add_officer(state, "CA-26068", "lan", Role::Officer).await;
    let lan = state
        .store
        .officer_by_username("lan")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(lan.id, officer_id);
    state
        .store
        .apply_tip_action(
            &Scope::All,
            &lan,
            tip.id,
            &TipAction::Reply(REPLY.into()),
            tipline::bot::now_ms(),
        )
        .await
        .unwrap();
    tip.reference
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_citizen_reports_through_the_widget_and_the_chat_page_and_leaves_no_trace() {
    let Some((chromium, chromedriver)) = tools() else {
        return;
    };
    let (_driver, webdriver) = start_chromedriver(&chromedriver).await;
    for (i, db) in common::all_dbs().await.into_iter().enumerate() {
        // The log names the database host; keep loopback's address out of it.
        let url = db.url.replace("@127.0.0.1:", "@localhost:");
        let logs = tempfile::tempdir().unwrap();
        let host = host_site().await;
        let neutral = format!("{}/neutral", host.base);
        let tipline = Tipline::start(
            &db.data_dir(),
            &url,
            &neutral,
            logs.path().join("serve.log"),
        )
        .await;
        host.embed(&tipline.base);
        let photo = logs.path().join("photo.jpg");
        std::fs::write(&photo, support::jpeg_with_exif_gps()).unwrap();
        let profile = tempfile::tempdir().unwrap();
        let c = browser(&webdriver, &chromium, profile.path(), (1200, 900)).await;
        let user_agent = c
            .execute("return navigator.userAgent;", vec![])
            .await
            .unwrap()
            .as_str()
            .unwrap()
            .to_string();

        // The widget on the agency's page: a tip with a photo.
        open_widget(&c, &host).await;
        let receipt = tip_with_photo(&c, &photo).await;
        assert!(
            session_storage_len(&c).await > 0,
            "the token is in sessionStorage while chatting"
        );
        let mut urls = requested_urls(&c).await;
        let frame_urls = c
            .execute(
                "return performance.getEntries().map(function (e) { return e.name; });",
                vec![],
            )
            .await
            .unwrap();
        urls.extend(
            frame_urls
                .as_array()
                .unwrap()
                .iter()
                .map(|u| u.as_str().unwrap().to_string()),
        );
        // Both logs saw something: the host page loading the widget, the frame's API calls.
        assert!(
            urls.contains(&format!("{}/widget.js", tipline.base)),
            "{urls:?}"
        );
        assert!(
            urls.iter().any(|u| u.contains("/chat/api/photos")),
            "{urls:?}"
        );

        // An officer answers in the dashboard's store.
        let state = AppState::load(db.config()).await.unwrap();
        let reference = officer_replies(&state).await;

        // A fresh tab: nothing of the first conversation; the receipt reads the answer.
        let first = c.window().await.unwrap();
        let tab = c.new_window(true).await.unwrap();
        c.switch_to_window(tab.handle).await.unwrap();
        open_widget(&c, &host).await;
        wait_for_bot(&c, "Chọn ngôn ngữ").await;
        assert!(
            !transcript(&c).await.contains("Bước"),
            "a fresh tab starts afresh"
        );
        press(&c, "Tiếng Việt").await;
        press(&c, "Theo dõi tin đã báo").await;
        wait_for_bot(&c, "mã biên nhận").await;
        type_and_send(&c, &receipt).await;
        let seen = wait_for_bot(&c, REPLY).await;
        assert!(seen.contains(&reference), "{seen}");
        urls.extend(requested_urls(&c).await);

        // Leave quickly, from the widget's own button: the tab goes to the
        // neutral page, and nothing of the chat is left in it.
        c.enter_parent_frame().await.unwrap();
        let widget = c.find(Locator::Css("tipline-chat")).await.unwrap();
        let leave = widget
            .shadow_root()
            .await
            .unwrap()
            .find(Locator::Css("[data-tipline=leave]"))
            .await
            .unwrap();
        leave.click().await.unwrap();
        c.wait().for_url(&neutral.parse().unwrap()).await.unwrap();
        let html = c.source().await.unwrap();
        assert!(
            !html.contains("data-tipline")
                && !html.contains(&receipt)
                && !html.contains("tipline-chat"),
            "{html}"
        );
        let probe = c.wait().for_element(Locator::Id("probe")).await.unwrap();
        probe.enter_frame().await.unwrap();
        assert_eq!(
            session_storage_len(&c).await,
            0,
            "Leave quickly emptied sessionStorage"
        );
        c.enter_parent_frame().await.unwrap();
        urls.extend(requested_urls(&c).await);

        // No cookie on either origin.
        for origin in [&host.base, &tipline.base] {
            c.goto(&format!("{origin}/healthz")).await.unwrap();
            assert!(
                c.get_all_cookies().await.unwrap().is_empty(),
                "{origin}: cookies"
            );
        }
        c.close_window().await.unwrap();
        c.switch_to_window(first).await.unwrap();

        // The full page at 360 px: the same tip, a screenshot, then Leave quickly.
        c.set_window_size(360, 780).await.unwrap();
        c.goto(&format!("{}/chat?lang=vi", tipline.base))
            .await
            .unwrap();
        let width = c
            .execute(
                "return [window.innerWidth, document.documentElement.scrollWidth];",
                vec![],
            )
            .await
            .unwrap();
        assert!(
            width[0].as_u64().unwrap() <= 360 && width[1].as_u64() <= width[0].as_u64(),
            "fits 360 px: {width}"
        );
        tip_with_photo(&c, &photo).await;
        let fits = "return document.documentElement.scrollHeight <= window.innerHeight && document.documentElement.scrollWidth <= window.innerWidth;";
        let dims = c.execute("var r = [window.innerHeight, document.documentElement.scrollHeight, document.body.scrollHeight]; Array.from(document.querySelectorAll('#chat > *, body > *')).forEach(function (e) { var b = e.getBoundingClientRect(); r.push(e.tagName + '.' + e.className + '#' + e.id + ':' + Math.round(b.top) + '+' + Math.round(b.height)); }); return r;", vec![]).await.unwrap();
        assert_eq!(
            c.execute(fits, vec![]).await.unwrap(),
            true,
            "only the conversation scrolls: {dims}"
        );
        if i == 0 {
            // target/screenshots/; a copy is kept in docs/screenshots/.
            screenshot(&c, "web-chat-360.png").await;
        }
        c.find(Locator::Css("[data-tipline=leave]"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        c.wait().for_url(&neutral.parse().unwrap()).await.unwrap();
        assert!(!c.source().await.unwrap().contains(DESCRIPTION));
        urls.extend(requested_urls(&c).await);
        c.goto(&format!("{}/widget.js", tipline.base))
            .await
            .unwrap();
        assert_eq!(
            session_storage_len(&c).await,
            0,
            "Leave quickly on /chat emptied sessionStorage"
        );
        assert_eq!(
            state.store.queue("CA-26068", 10).await.unwrap().len(),
            2,
            "two tips"
        );
        c.close().await.unwrap();

        // Only the two loopback origins were asked for anything.
        let allowed = [&host.base, &tipline.base];
        let strays: Vec<&String> = urls
            .iter()
            .filter(|u| u.starts_with("http") || u.starts_with("ws"))
            .filter(|u| {
                !allowed
                    .iter()
                    .any(|a| u.starts_with(&format!("{a}/")) || u == a)
            })
            .collect();
        assert!(strays.is_empty(), "requests to other origins: {strays:?}");

        // Neither the browser's address nor its user agent was kept or logged.
        tipline.stop();
        state.store.close().await;
        let client_ips: Vec<String> = host
            .clients
            .lock()
            .unwrap()
            .iter()
            .map(|a| a.ip().to_string())
            .collect();
        let client_ip = client_ips
            .first()
            .expect("the browser visited the host page")
            .clone();
        assert_ne!(
            client_ip,
            web_chat_support::servers::TIPLINE_IP,
            "the browser's address differs from the server's"
        );
        let log = std::fs::read(logs.path().join("serve.log")).unwrap();
        assert!(
            contains(&log, "/chat/api/replies"),
            "the log is verbose enough to show requests"
        );
        let mut kept = files_under(&db.data_dir());
        kept.push((logs.path().join("serve.log"), log));
        for (path, bytes) in &kept {
            for needle in [client_ip.as_str(), user_agent.as_str(), "HeadlessChrome"] {
                assert!(
                    !contains(bytes, needle),
                    "{} holds {needle:?}",
                    path.display()
                );
            }
        }
        drop(host);
    }
}
