//! A real browser (headless Chromium through chromedriver and fantoccini): an
//! officer signs in, opens a new tip, replies, and closes it as actioned. The
//! page is checked after each step, and screenshots of the queue and the
//! statistics page are saved to target/screenshots/.
//!
//! Without chromium/chromedriver this test says it was skipped, unless `CI`
//! is set: CI must run it.
mod browser_support;
mod common;
mod dashboard_support;
mod support;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use browser_support::*;
use dashboard_support::*;
use fantoccini::Locator;
use tipline::privacy::ledger::VerifyOutcome;
use tipline::storage::dashboard::Scope;
use tipline::storage::officers::Role;

#[tokio::test]
async fn an_officer_signs_in_opens_a_new_tip_replies_and_closes_it_in_a_real_browser() {
    let (Some(chromium), Some(chromedriver)) = (
        find_in_path(&["chromium", "chromium-browser", "google-chrome"]),
        find_in_path(&["chromedriver"]),
    ) else {
        assert!(
            !in_ci(),
            "CI is set but chromium and chromedriver are not installed: the browser test must run in CI"
        );
        println!(
            "SKIPPED: browser test (chromium or chromedriver not found in PATH; install Debian packages chromium and chromium-driver)"
        );
        return;
    };
    let (_driver, webdriver) = start_chromedriver(&chromedriver).await;
    for (i, db) in common::all_dbs().await.into_iter().enumerate() {
        let run = start(&db).await;
        let s = &run.state;
        add_officer(s, "CA-26068", "lan", Role::Officer).await;
        submit_tip(
            s,
            "r1",
            "use_venue",
            26068,
            "Quán karaoke ở góc chợ có người dùng ma túy tập thể sau nửa đêm.",
        )
        .await;
        submit_tip(
            s,
            "r2",
            "person_in_danger",
            26068,
            "Một thanh niên ngáo đá đang cầm dao đe dọa hàng xóm ở hẻm 7.",
        )
        .await;
        let tip = submit_tip(
            s,
            "r3",
            "dealing",
            26068,
            "Nhà số 12 hẻm 4 có người bán ma túy đá mỗi tối sau 9 giờ.",
        )
        .await;
        let profile = tempfile::tempdir().unwrap();
        let c = browser(&webdriver, &chromium, profile.path()).await;

        // Sign in.
        c.goto(&run.url("/login")).await.unwrap();
        assert!(page(&c).await.contains("Tipline: đăng nhập cán bộ"));
        c.find(Locator::Css("input[name=username]"))
            .await
            .unwrap()
            .send_keys("lan")
            .await
            .unwrap();
        c.find(Locator::Css("input[name=password]"))
            .await
            .unwrap()
            .send_keys(PASSWORD)
            .await
            .unwrap();
        c.find(Locator::Css("form button[type=submit]"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        c.wait()
            .for_element(Locator::Css("table.queue"))
            .await
            .unwrap();
        let html = page(&c).await;
        assert!(
            html.contains("Hàng chờ tin báo") && html.contains("3 tin báo mới"),
            "{}: queue after login",
            db.label
        );
        assert!(html.contains(&tip.reference));
        if i == 0 {
            screenshot(&c, "queue.png").await;
        }

        // Open the new tip.
        c.find(Locator::LinkText(&tip.reference))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        c.wait().for_element(Locator::Id("reply")).await.unwrap();
        let html = page(&c).await;
        assert!(
            html.contains("Nhà số 12 hẻm 4")
                && html.contains("Phường Biên Hòa")
                && html.contains("đã kiểm tra"),
            "{}: detail",
            db.label
        );

        // Reply to the reporter.
        c.find(Locator::Id("reply"))
            .await
            .unwrap()
            .send_keys("Cảm ơn bạn, chúng tôi đã nhận và đang xác minh.")
            .await
            .unwrap();
        c.find(Locator::Id("send-reply"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        c.wait().for_element(Locator::Css("p.flash")).await.unwrap();
        let html = page(&c).await;
        assert!(
            html.contains("Đã gửi trả lời")
                && html.contains("Cảm ơn bạn, chúng tôi đã nhận và đang xác minh."),
            "{}: reply shown",
            db.label
        );

        // Close as actioned, confirming the dialog.
        c.find(Locator::Id("resolution"))
            .await
            .unwrap()
            .select_by_value("actioned")
            .await
            .unwrap();
        c.find(Locator::Id("close"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        c.accept_alert().await.unwrap();
        c.wait()
            .for_element(Locator::Css("span.badge.st-closed"))
            .await
            .unwrap();
        let html = page(&c).await;
        assert!(
            html.contains("Đã đóng tin báo.") && html.contains("Đã xử lý"),
            "{}: closed",
            db.label
        );
        if i == 0 {
            screenshot(&c, "tip.png").await;
        }
        let t = s
            .store
            .scoped_tip(&Scope::All, tip.id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (t.status.as_str(), t.resolution.map(|r| r.as_str())),
            ("closed", Some("actioned"))
        );
        assert!(matches!(
            s.store.verify_ledger().await.unwrap(),
            VerifyOutcome::Intact { .. }
        ));
        let seen = chat(s, "r3", &format!("/status {}", tip.receipt)).await;
        assert!(
            seen.contains("Cảm ơn bạn, chúng tôi đã nhận và đang xác minh."),
            "the reporter reads the reply: {seen}"
        );

        // Statistics, with its charts.
        c.goto(&run.url("/stats")).await.unwrap();
        c.wait()
            .for_element(Locator::Css("div.charts img"))
            .await
            .unwrap();
        for _ in 0..100 {
            let done = c.execute("return Array.from(document.images).every(function (i) { return i.complete && i.naturalWidth > 0; });", vec![]).await;
            if done.ok().and_then(|v| v.as_bool()) == Some(true) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let html = page(&c).await;
        assert!(
            html.contains("Thống kê") && html.contains("3 tin báo đã nhận"),
            "{}: stats",
            db.label
        );
        if i == 0 {
            screenshot(&c, "stats.png").await;
        }
        c.close().await.unwrap();
        run.stop().await;
    }
}

/// Renders the first page of a PDF to PNG with poppler's `pdftoppm`.
fn pdf_first_page_png(pdf: &[u8], dir: &Path) -> Vec<u8> {
    let input = dir.join("report.pdf");
    std::fs::write(&input, pdf).unwrap();
    let status = Command::new("pdftoppm")
        .args(["-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile"])
        .arg(&input)
        .arg(dir.join("page"))
        .status()
        .expect("pdftoppm (Debian package poppler-utils) renders the printed report");
    assert!(status.success());
    std::fs::read(dir.join("page.png")).unwrap()
}

#[tokio::test]
async fn a_supervisor_opens_the_period_report_and_prints_it_on_a4_in_a_real_browser() {
    let (Some(chromium), Some(chromedriver)) = (
        find_in_path(&["chromium", "chromium-browser", "google-chrome"]),
        find_in_path(&["chromedriver"]),
    ) else {
        assert!(
            !in_ci(),
            "CI is set but chromium and chromedriver are not installed"
        );
        println!("SKIPPED: report browser test (chromium or chromedriver not found in PATH)");
        return;
    };
    let (_driver, webdriver) = start_chromedriver(&chromedriver).await;
    for (i, db) in common::all_dbs().await.into_iter().enumerate() {
        let run = start(&db).await;
        let s = &run.state;
        add_officer(s, "PC04-75", "giamsat75", Role::Supervisor).await;
        for (n, (cat, ward)) in [
            ("dealing", 26068),
            ("use_venue", 26068),
            ("trafficking", 26080),
        ]
        .into_iter()
        .enumerate()
        {
            submit_tip(
                s,
                &format!("r{n}"),
                cat,
                ward,
                "Có người bán ma túy gần chợ mỗi tối.",
            )
            .await;
        }
        let profile = tempfile::tempdir().unwrap();
        let c = browser(&webdriver, &chromium, profile.path()).await;
        c.goto(&run.url("/login")).await.unwrap();
        c.find(Locator::Css("input[name=username]"))
            .await
            .unwrap()
            .send_keys("giamsat75")
            .await
            .unwrap();
        c.find(Locator::Css("input[name=password]"))
            .await
            .unwrap()
            .send_keys(PASSWORD)
            .await
            .unwrap();
        c.find(Locator::Css("form button[type=submit]"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        c.wait()
            .for_element(Locator::Css("table.queue"))
            .await
            .unwrap();

        // The form, then the report for this month in the supervisor's province.
        c.goto(&run.url("/reports")).await.unwrap();
        c.find(Locator::Css("form.filters button[type=submit]"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        c.wait()
            .for_element(Locator::Css("article.report"))
            .await
            .unwrap();
        let html = page(&c).await;
        assert!(
            html.contains("BÁO CÁO") && html.contains("Đồng Nai"),
            "{}: report page",
            db.label
        );
        assert!(
            html.contains("data-k=\"tips|total|\">3<"),
            "{}: 3 tips in the report",
            db.label
        );
        assert!(
            html.contains("I. ") && html.contains("V. "),
            "numbered sections"
        );
        let printed = c
            .print(
                fantoccini::wd::PrintConfiguration::builder()
                    .size(fantoccini::wd::PrintSize::A4)
                    .build()
                    .unwrap(),
            )
            .await
            .unwrap();
        assert!(
            printed.starts_with(b"%PDF"),
            "{}: the print endpoint gives a PDF",
            db.label
        );
        // The toolbar is for the screen only: the print stylesheet hides it.
        let hidden = c
            .execute(
                "return getComputedStyle(document.querySelector('.toolbar')).display",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(hidden.as_str(), Some("flex"), "on screen the toolbar shows");
        if i == 0 {
            screenshot(&c, "report.png").await;
            let png = pdf_first_page_png(&printed, profile.path());
            assert!(png.starts_with(b"\x89PNG"));
            let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
            std::fs::write(dir.join("report-print.png"), png).unwrap();
        }
        c.close().await.unwrap();
        run.stop().await;
    }
}
