//! The officer's workspace in a real browser (issue 22), with 200 tips, at a
//! desk's size (1366×900) and a phone's (390×844): citizens' follow-ups on an
//! open and on a closed tip show up, unread, at the top of "needs attention"
//! without a reload; a street name finds its tips; three duplicates are
//! closed in one go (one ledgered event each); a transfer picked by ward name
//! lands on the queue with its message, a bad one shows a red error and keeps
//! the reason; a campaign asks for confirmation with its audience size. Every
//! Vietnamese page visited is checked for English, and screenshots of the
//! queue, a tip, the statistics and the campaign confirmation are saved.
mod browser_support;
mod common;
mod dashboard_support;
mod support;

use std::sync::Arc;

use browser_support::english::EnglishWords;
use browser_support::*;
use dashboard_support::*;
use fantoccini::{Client, Locator};
use tipline::app::AppState;
use tipline::domain::area::ProvinceCode;
use tipline::domain::channel::Channel;
use tipline::privacy::ledger::VerifyOutcome;
use tipline::storage::dashboard::Scope;
use tipline::storage::officers::Role;
use tipline::storage::tip_actions::TipAction;
use tipline::web::unit_lookup;

const WARD: u32 = 26068;
const STREET: &str = "đường Nguyễn Ái Quốc";
const DUPLICATE: &str =
    "Quán karaoke Hoàng Gia trên phố Hàn Thuyên cho khách dùng ma túy trong phòng hát";

/// The tips the scenario needs, among 200.
struct Seeded {
    street: Vec<Submitted>,
    duplicates: Vec<Submitted>,
    open: Submitted,
    closed: Submitted,
    to_transfer: Submitted,
    to_refuse: Submitted,
}

async fn seed(s: &Arc<AppState>) -> Seeded {
    let categories = ["dealing", "use_venue", "disguised_sale", "other"];
    let places = [
        "hẻm 4 chợ Biên Hòa",
        "khu phố 3 bờ sông",
        "gần trường tiểu học",
        "bãi xe cuối ngõ 12",
    ];
    let mut filler = Vec::new();
    let mut street = Vec::new();
    for i in 0..4 {
        let d = format!(
            "Nhà số {} {STREET} có người bán ma túy đá vào buổi tối, khách ra vào liên tục.",
            10 + i
        );
        street.push(submit_tip(s, &format!("street{i}"), "dealing", WARD, &d).await);
    }
    let mut duplicates = Vec::new();
    for i in 0..4 {
        let d = format!("{DUPLICATE}, lần thứ {} người dân thấy.", i + 1);
        duplicates.push(submit_tip(s, &format!("dup{i}"), "use_venue", WARD, &d).await);
    }
    for i in 0..192 {
        let d = format!(
            "Tin số {i}: có dấu hiệu mua bán chất cấm ở {}, thường vào khoảng {} giờ.",
            places[i % places.len()],
            18 + i % 5
        );
        let cat = categories[i % categories.len()];
        filler.push(submit_tip(s, &format!("f{i}"), cat, WARD, &d).await);
    }
    let closed = filler.pop().unwrap();
    let lead = s.store.officer_for_login("minh").await.unwrap().unwrap().0;
    let close = TipAction::SetStatus {
        status: tipline::domain::tip::Status::Closed,
        resolution: Some(tipline::domain::tip::Resolution::Actioned),
        duplicate_of: None,
    };
    let scope = Scope::Unit(format!("CA-{WARD}"));
    s.store
        .apply_tip_action(&scope, &lead, closed.id, &close, tipline::bot::now_ms())
        .await
        .unwrap();
    Seeded {
        street,
        duplicates,
        open: filler.pop().unwrap(),
        to_transfer: filler.pop().unwrap(),
        to_refuse: filler.pop().unwrap(),
        closed,
    }
}

/// A citizen adds information to their tip through `/status`.
async fn follow_up(s: &Arc<AppState>, user: &str, tip: &Submitted, text: &str) {
    chat(s, user, &format!("/status {}", tip.receipt)).await;
    choose(s, user, "status:reply").await;
    chat(s, user, text).await;
    let out = chat(s, user, &tip.receipt).await;
    assert!(out.contains(&tip.reference), "follow-up not added: {out}");
}

async fn sign_in(c: &Client, run: &Running, user: &str) {
    c.goto(&run.url("/login")).await.unwrap();
    fill(c, "input[name=username]", user).await;
    fill(c, "input[name=password]", PASSWORD).await;
    click(c, "form button[type=submit]").await;
    c.wait().for_element(Locator::Css("h1")).await.unwrap();
}

async fn fill(c: &Client, css: &str, text: &str) {
    let e = c.find(Locator::Css(css)).await.unwrap();
    e.clear().await.unwrap();
    e.send_keys(text).await.unwrap();
}

async fn click(c: &Client, css: &str) {
    let e = c.find(Locator::Css(css)).await.unwrap();
    // The element itself is clicked (as a user's tap would), wherever the
    // live updates have just moved it; a coordinate click could hit the row
    // that slid under the pointer.
    c.execute(
        "arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();",
        vec![serde_json::to_value(&e).unwrap()],
    )
    .await
    .unwrap();
}

/// The references listed in the "needs attention" panel, in order.
async fn attention_refs(c: &Client) -> Vec<String> {
    let v = c
        .execute(
            "return Array.from(document.querySelectorAll('#attention li.unread a.ref')).map(function (a) { return a.textContent; });",
            vec![],
        )
        .await
        .unwrap();
    serde_json::from_value(v).unwrap()
}

#[tokio::test]
async fn the_workspace_triages_two_hundred_tips_at_a_desk_and_on_a_phone() {
    let Some((chromium, chromedriver)) = browser_binaries() else {
        return;
    };
    let english = EnglishWords::load();
    assert!(
        !english.find("Hàng chờ · Needs attention").is_empty(),
        "the English check must catch an untranslated label"
    );
    let (_driver, webdriver) = start_chromedriver(&chromedriver).await;
    let dbs = common::all_dbs().await;
    // Each backend runs once; on a machine without PostgreSQL, a second
    // SQLite database takes the phone's turn.
    for (i, size) in [Size::Desk, Size::Phone].into_iter().enumerate() {
        let fresh;
        let db = match dbs.get(i) {
            Some(db) => db,
            None => {
                fresh = common::TestDb::sqlite();
                &fresh
            }
        };
        scenario(db, size, &webdriver, &chromium, &english).await;
    }
}

async fn scenario(
    db: &common::TestDb,
    size: Size,
    webdriver: &str,
    chromium: &std::path::Path,
    english: &EnglishWords,
) {
    let label = format!("{} {}", db.label, size.name());
    let run = start(db).await;
    let s = &run.state;
    add_officer(s, "CA-26068", "minh", Role::Lead).await;
    add_officer(s, "CA-26068", "quantri", Role::Admin).await;
    common::broadcast::subscribe_many(s, Channel::Telegram, 1, 7).await;
    let t = seed(s).await;
    let profile = tempfile::tempdir().unwrap();
    let c = browser_sized(webdriver, chromium, profile.path(), size).await;
    sign_in(&c, &run, "minh").await;
    let html = page(&c).await;
    // 200 tips, one of them closed: 199 in the default (active) view.
    assert!(
        html.contains("Tin của đơn vị (199)"),
        "{label}: own tab total"
    );
    english
        .assert_page_is_vietnamese(&c, &format!("{label} queue"))
        .await;
    doc_screenshot(&c, &format!("queue-{}.png", size.name())).await;

    // Follow-ups on an open and on a closed tip: unread, on top, no reload.
    c.execute("window.__stayed = true;", vec![]).await.unwrap();
    follow_up(
        s,
        "f191",
        &t.closed,
        "Tôi thấy họ quay lại, biển số 60A-123.45.",
    )
    .await;
    follow_up(
        s,
        "f190",
        &t.open,
        "Bổ sung: xe máy màu đỏ, biển số 60B1-678.90.",
    )
    .await;
    let mut refs = Vec::new();
    for _ in 0..300 {
        refs = attention_refs(&c).await;
        if refs.len() >= 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    refs.truncate(2);
    refs.sort();
    let mut want = vec![t.open.reference.clone(), t.closed.reference.clone()];
    want.sort();
    assert_eq!(
        refs, want,
        "{label}: both follow-ups unread at the top of needs attention"
    );
    let stayed = c
        .execute("return window.__stayed === true;", vec![])
        .await
        .unwrap();
    assert_eq!(
        stayed,
        serde_json::Value::Bool(true),
        "{label}: the page was not reloaded"
    );

    // Full-text search: a street name without diacritics finds its four tips.
    fill(&c, "#search", "nguyen ai quoc").await;
    click(&c, "form.search button[type=submit]").await;
    let html = wait_for_source(&c, "search results", |h| {
        h.contains("trên tổng số 4 tin báo")
    })
    .await;
    for tip in &t.street {
        assert!(
            html.contains(&tip.reference),
            "{label}: search lacks {}",
            tip.reference
        );
    }
    english
        .assert_page_is_vietnamese(&c, &format!("{label} search"))
        .await;

    bulk_duplicates(&c, &run, &t, &label).await;
    transfers(&c, &run, &t, &label, english, size).await;

    // Statistics.
    c.goto(&run.url("/stats")).await.unwrap();
    c.wait()
        .for_element(Locator::Css("div.charts img"))
        .await
        .unwrap();
    english
        .assert_page_is_vietnamese(&c, &format!("{label} stats"))
        .await;
    doc_screenshot(&c, &format!("stats-{}.png", size.name())).await;
    c.close().await.unwrap();

    campaign(&run, webdriver, chromium, size, english, &label).await;
    assert!(
        matches!(
            s.store.verify_ledger().await.unwrap(),
            VerifyOutcome::Intact { .. }
        ),
        "{label}"
    );
    run.stop().await;
}

/// Three duplicates ticked in the queue and closed as duplicates of the
/// first: one confirmation, one ledgered status event per tip.
async fn bulk_duplicates(c: &Client, run: &Running, t: &Seeded, label: &str) {
    let s = &run.state;
    c.goto(&run.url("/queue?q=karaoke+hoang+gia"))
        .await
        .unwrap();
    wait_for_source(c, "the duplicates", |h| {
        h.contains("trên tổng số 4 tin báo")
    })
    .await;
    let primary = &t.duplicates[0];
    for d in &t.duplicates[1..] {
        click(c, &format!("input[type=checkbox][value='{}']", d.id)).await;
    }
    c.find(Locator::Id("bulk-action"))
        .await
        .unwrap()
        .select_by_value("duplicate")
        .await
        .unwrap();
    c.execute(
        "document.getElementById('bulk-action').dispatchEvent(new Event('change'));",
        vec![],
    )
    .await
    .unwrap();
    fill(c, "#bulk-primary", &primary.reference).await;
    let before: Vec<usize> = events_of(s, &t.duplicates[1..]).await;
    click(c, "#bulk-apply").await;
    c.accept_alert().await.unwrap();
    wait_for_source(c, "the bulk result", |h| {
        h.contains("Đã thực hiện cho các tin đã chọn")
    })
    .await;
    let after = events_of(s, &t.duplicates[1..]).await;
    for ((d, b), a) in t.duplicates[1..].iter().zip(&before).zip(&after) {
        assert_eq!(a - b, 1, "{label}: one ledgered event for {}", d.reference);
        let tip = s
            .store
            .scoped_tip(&Scope::All, d.id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            tip.duplicate_of.as_deref(),
            Some(primary.reference.as_str()),
            "{label}"
        );
    }
    let p = s
        .store
        .scoped_tip(&Scope::All, primary.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(p.status.as_str(), "new", "{label}: the primary stays open");
}

async fn events_of(s: &Arc<AppState>, tips: &[Submitted]) -> Vec<usize> {
    let mut out = Vec::new();
    for t in tips {
        out.push(s.store.tip_timeline(t.id).await.unwrap().len());
    }
    out
}

/// A transfer picked by ward name lands on the queue with its message; a
/// unit that does not exist is refused in red, with the reason kept.
async fn transfers(
    c: &Client,
    run: &Running,
    t: &Seeded,
    label: &str,
    english: &EnglishWords,
    size: Size,
) {
    let s = &run.state;
    // A ward of the same province whose name alone names it.
    let other = s
        .areas
        .wards_of(ProvinceCode(75))
        .find(|w| {
            w.code.0 != WARD
                && unit_lookup::resolve_ward(&s.areas, Some(&w.name))
                    == Ok(Some(i64::from(w.code.0)))
        })
        .unwrap();
    c.goto(&run.url(&format!("/tips/{}", t.to_refuse.id)))
        .await
        .unwrap();
    c.wait()
        .for_element(Locator::Id("transfer-unit"))
        .await
        .unwrap();
    english
        .assert_page_is_vietnamese(c, &format!("{label} tip"))
        .await;
    doc_screenshot(c, &format!("tip-{}.png", size.name())).await;
    let reason = "Địa bàn giáp ranh, đơn vị bạn nắm rõ hơn.";
    fill(c, "#transfer-unit", "Phường Không Có Thật Xyz").await;
    fill(c, "#transfer-reason", reason).await;
    click(c, "#transfer").await;
    c.accept_alert().await.unwrap();
    c.wait()
        .for_element(Locator::Id("action-error"))
        .await
        .unwrap();
    let red = c
        .execute(
            "return getComputedStyle(document.getElementById('action-error')).color;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        red.as_str(),
        Some("rgb(180, 35, 24)"),
        "{label}: the error is red"
    );
    let kept = c
        .find(Locator::Id("transfer-reason"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(kept.as_deref(), Some(reason), "{label}: the reason is kept");
    assert!(!page(c).await.contains("Đã chuyển tin báo"), "{label}");
    english
        .assert_page_is_vietnamese(c, &format!("{label} refused transfer"))
        .await;

    c.goto(&run.url(&format!("/tips/{}", t.to_transfer.id)))
        .await
        .unwrap();
    c.wait()
        .for_element(Locator::Id("transfer-unit"))
        .await
        .unwrap();
    fill(c, "#transfer-unit", &other.name).await;
    fill(c, "#transfer-reason", reason).await;
    click(c, "#transfer").await;
    c.accept_alert().await.unwrap();
    let html = wait_for_source(c, "the transfer message", |h| {
        h.contains("Đã chuyển tin báo")
    })
    .await;
    assert!(
        c.current_url().await.unwrap().path() == "/queue",
        "{label}: lands on the queue"
    );
    assert!(html.contains("Hàng chờ tin báo"), "{label}");
    let moved = s
        .store
        .scoped_tip(&Scope::All, t.to_transfer.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        moved.unit.as_str(),
        format!("CA-{}", other.code.0),
        "{label}"
    );
    // The message was shown once: the next page is clean.
    c.goto(&run.url("/stats")).await.unwrap();
    assert!(
        !page(c).await.contains("Đã chuyển tin báo"),
        "{label}: no leftover message"
    );
}

/// An admin's campaign asks for confirmation, showing its audience, before
/// anything is saved.
async fn campaign(
    run: &Running,
    webdriver: &str,
    chromium: &std::path::Path,
    size: Size,
    english: &EnglishWords,
    label: &str,
) {
    let s = &run.state;
    let profile = tempfile::tempdir().unwrap();
    let c = browser_sized(webdriver, chromium, profile.path(), size).await;
    sign_in(&c, run, "quantri").await;
    c.goto(&run.url("/campaigns/new")).await.unwrap();
    fill(
        &c,
        "input[name=title]",
        "Tháng hành động phòng, chống ma túy",
    )
    .await;
    fill(
        &c,
        "textarea[name=text_vi]",
        "Tháng 6 là Tháng hành động phòng, chống ma túy. Gõ /report để báo tin ẩn danh.",
    )
    .await;
    english
        .assert_page_is_vietnamese(&c, &format!("{label} campaign form"))
        .await;
    click(&c, "#campaign-create").await;
    c.wait()
        .for_element(Locator::Id("audience-size"))
        .await
        .unwrap();
    let text = c
        .find(Locator::Id("audience-size"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        text.contains("7 người đăng ký"),
        "{label}: audience shown: {text}"
    );
    assert!(
        s.store.campaigns(10).await.unwrap().is_empty(),
        "{label}: nothing saved before confirming"
    );
    english
        .assert_page_is_vietnamese(&c, &format!("{label} campaign confirmation"))
        .await;
    doc_screenshot(&c, &format!("campaign-{}.png", size.name())).await;
    click(&c, "#campaign-confirm-send").await;
    wait_for_source(&c, "the campaign page", |h| h.contains("<progress")).await;
    assert_eq!(s.store.campaigns(10).await.unwrap().len(), 1, "{label}");
    c.close().await.unwrap();
}

/// The session ends while a reply is being typed: sending it leads to the
/// login page, which says why; signing in returns to the tip with the reply
/// put back, and it can then be sent.
#[tokio::test]
async fn a_reply_typed_when_the_session_expires_is_restored_after_login() {
    let Some((chromium, chromedriver)) = browser_binaries() else {
        return;
    };
    let english = EnglishWords::load();
    let (_driver, webdriver) = start_chromedriver(&chromedriver).await;
    for db in common::all_dbs().await {
        let run = start(&db).await;
        let s = &run.state;
        add_officer(s, "CA-26068", "lan", Role::Officer).await;
        let tip = submit_tip(
            s,
            "r1",
            "dealing",
            WARD,
            "Nhà số 12 hẻm 4 có người bán ma túy đá mỗi tối sau 9 giờ.",
        )
        .await;
        let profile = tempfile::tempdir().unwrap();
        let c = browser_sized(&webdriver, &chromium, profile.path(), Size::Desk).await;
        sign_in(&c, &run, "lan").await;
        c.goto(&run.url(&format!("/tips/{}", tip.id)))
            .await
            .unwrap();
        c.wait().for_element(Locator::Id("reply")).await.unwrap();
        let reply = "Cảm ơn bạn. Bạn có nhớ xe máy của người bán màu gì không?";
        fill(&c, "#reply", reply).await;
        // The session ends (idle expiry, or signed out elsewhere).
        let officer = s.store.officer_for_login("lan").await.unwrap().unwrap().0;
        s.store
            .end_other_web_sessions(officer.id, "")
            .await
            .unwrap();
        click(&c, "#send-reply").await;
        c.wait()
            .for_element(Locator::Css("input[name=username]"))
            .await
            .unwrap();
        let html = page(&c).await;
        assert!(
            html.contains("Phiên làm việc đã hết hạn"),
            "{}: the login page says why",
            db.label
        );
        english
            .assert_page_is_vietnamese(&c, "login after expiry")
            .await;
        assert!(
            s.store
                .tip_timeline(tip.id)
                .await
                .unwrap()
                .iter()
                .all(|e| e.kind != "reply"),
            "{}: nothing was sent without a session",
            db.label
        );
        fill(&c, "input[name=username]", "lan").await;
        fill(&c, "input[name=password]", PASSWORD).await;
        click(&c, "form button[type=submit]").await;
        c.wait().for_element(Locator::Id("reply")).await.unwrap();
        assert_eq!(
            c.current_url().await.unwrap().path(),
            format!("/tips/{}", tip.id),
            "{}",
            db.label
        );
        let restored = c
            .find(Locator::Id("reply"))
            .await
            .unwrap()
            .prop("value")
            .await
            .unwrap();
        assert_eq!(
            restored.as_deref(),
            Some(reply),
            "{}: the reply is back",
            db.label
        );
        click(&c, "#send-reply").await;
        wait_for_source(&c, "the reply sent", |h| h.contains("Đã gửi trả lời")).await;
        // Sent, so the draft is gone: reopening the tip shows an empty box.
        c.goto(&run.url(&format!("/tips/{}", tip.id)))
            .await
            .unwrap();
        c.wait().for_element(Locator::Id("reply")).await.unwrap();
        let empty = c
            .find(Locator::Id("reply"))
            .await
            .unwrap()
            .prop("value")
            .await
            .unwrap();
        assert_eq!(empty.as_deref(), Some(""), "{}", db.label);
        c.close().await.unwrap();
        run.stop().await;
    }
}
