//! Administration, two-step login, the retention purge and the `officer`
//! command, on every configured database.
mod common;
mod dashboard_support;
mod support;

use dashboard_support::*;
use tipline::bot::now_ms;
use tipline::domain::tip::{Resolution, Status};
use tipline::privacy::ledger::VerifyOutcome;
use tipline::storage::dashboard::Scope;
use tipline::storage::officers::Role;
use tipline::storage::tip_actions::TipAction;

const DESCRIPTION: &str = "Nhà số 12 hẻm 4 có người bán ma túy đá mỗi tối sau 9 giờ.";

#[tokio::test]
async fn an_admin_manages_accounts_units_and_settings() {
    for db in common::all_dbs().await {
        let run = start(&db).await;
        let s = &run.state;
        add_officer(s, "CA-26068", "admin", Role::Admin).await;
        add_officer(s, "CA-26068", "lan", Role::Officer).await;
        let admin = login(&run, "admin").await;
        let lan = login(&run, "lan").await;
        assert_eq!(
            lan.get_text("/admin").await.0,
            403,
            "officers cannot administer"
        );
        assert_eq!(
            lan.get_text("/audit").await.0,
            403,
            "officers do not read the audit log"
        );
        let (_, page) = admin
            .post(
                "/admin/officers",
                &[
                    ("unit", "CA-26080"),
                    ("username", "Hoa.Nguyen"),
                    ("role", "lead"),
                    ("password", "mật khẩu rất dài"),
                ],
            )
            .await;
        assert!(page.contains("Đã tạo tài khoản."), "{}", db.label);
        let hoa = s
            .store
            .officer_by_username("hoa.nguyen")
            .await
            .unwrap()
            .unwrap();
        assert_eq!((hoa.unit.as_str(), hoa.role), ("CA-26080", Role::Lead));
        let (_, page) = admin
            .post(
                "/admin/officers",
                &[
                    ("unit", "CA-26080"),
                    ("username", "x"),
                    ("role", "lead"),
                    ("password", "mật khẩu rất dài"),
                ],
            )
            .await;
        assert!(page.contains("Tên đăng nhập dài 3–32 ký tự"));
        // Disabling ends the officer's session at once.
        let lan_id = s
            .store
            .officer_by_username("lan")
            .await
            .unwrap()
            .unwrap()
            .id;
        admin
            .post(&format!("/admin/officers/{lan_id}/disable"), &[])
            .await;
        let r = lan.get("/queue").await;
        assert!(
            r.url().path().starts_with("/login"),
            "a disabled officer is signed out"
        );
        assert_eq!(
            post_login(&client(), &run.base, "lan", PASSWORD)
                .await
                .status(),
            401
        );
        admin
            .post(&format!("/admin/officers/{lan_id}/enable"), &[])
            .await;
        let (_, page) = admin
            .post(&format!("/admin/officers/{lan_id}/reset"), &[])
            .await;
        let temp = page
            .split("id=\"temp-password\">")
            .nth(1)
            .unwrap()
            .split('<')
            .next()
            .unwrap()
            .to_string();
        assert_eq!(temp.len(), 14);
        assert_eq!(
            post_login(&client(), &run.base, "lan", &temp)
                .await
                .status(),
            200,
            "the temporary password works"
        );
        // Units and settings.
        admin
            .post(
                "/admin/units",
                &[
                    ("code", "ca-26068"),
                    ("display_name", "Công an phường Biên Hòa"),
                    ("telegram_chat_id", "-1001234567890"),
                ],
            )
            .await;
        let u = s.store.unit_settings("CA-26068").await.unwrap().unwrap();
        assert_eq!(u.telegram_chat_id.as_deref(), Some("-1001234567890"));
        let (_, page) = admin
            .post(
                "/admin/units",
                &[("code", "CA-26068"), ("telegram_chat_id", "not a number")],
            )
            .await;
        assert!(page.contains("Mã nhóm Telegram là một số"));
        admin
            .post(
                "/admin/settings",
                &[("retention_days", "90"), ("require_totp", "1")],
            )
            .await;
        assert_eq!(
            s.store.setting("retention_days").await.unwrap().as_deref(),
            Some("90")
        );
        // With TOTP required, an account without it can only reach its set-up page.
        let r = admin.get("/queue").await;
        assert!(r.url().path().starts_with("/account"), "{}", r.url());
        run.stop().await;
    }
}

#[tokio::test]
async fn two_step_login_needs_the_current_code_once_enabled() {
    for db in common::all_dbs().await {
        let run = start(&db).await;
        add_officer(&run.state, "CA-26068", "lan", Role::Officer).await;
        let o = login(&run, "lan").await;
        o.post("/account/totp/start", &[("password", PASSWORD)])
            .await;
        let secret = run
            .state
            .store
            .officer_by_username("lan")
            .await
            .unwrap()
            .unwrap()
            .totp_secret
            .unwrap();
        let (_, page) = o.post("/account/totp/confirm", &[("code", "000000")]).await;
        assert!(
            page.contains("Mã không đúng")
                || tipline::web::password::totp_now(&secret).as_deref() == Some("000000")
        );
        let code = tipline::web::password::totp_now(&secret).unwrap();
        o.post("/account/totp/confirm", &[("code", &code)]).await;
        assert!(
            run.state
                .store
                .officer_by_username("lan")
                .await
                .unwrap()
                .unwrap()
                .totp_enabled
        );
        assert_eq!(
            post_login(&client(), &run.base, "lan", PASSWORD)
                .await
                .status(),
            401,
            "password alone is not enough"
        );
        let c = client();
        let page = c
            .get(run.url("/login"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let csrf = csrf_of(&page);
        // The enrolment code's step is used up: sign in with the next step's code.
        let next = tipline::bot::now_ms() / 30_000 + 1;
        let code = tipline::web::password::totp_code_at_step(&secret, next).unwrap();
        let r = c
            .post(run.url("/login"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("username", "lan"),
                ("password", PASSWORD),
                ("totp", &code),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        assert!(r.url().path().starts_with("/queue"));
        run.stop().await;
    }
}

#[tokio::test]
async fn the_retention_purge_deletes_old_closed_tips_and_the_ledger_still_verifies() {
    for db in common::all_dbs().await {
        let run = start(&db).await;
        let s = &run.state;
        add_officer(s, "CA-26068", "lan", Role::Officer).await;
        let lan = s.store.officer_by_username("lan").await.unwrap().unwrap();
        let old = submit_tip(s, "r1", "dealing", 26068, DESCRIPTION).await;
        let soon = submit_tip(s, "r2", "dealing", 26068, DESCRIPTION).await;
        let open = submit_tip(s, "r3", "dealing", 26068, DESCRIPTION).await;
        let day = 86_400_000;
        let now = now_ms();
        let scope = Scope::Unit("CA-26068".into());
        let close = TipAction::SetStatus {
            status: Status::Closed,
            resolution: Some(Resolution::Actioned),
            duplicate_of: None,
        };
        s.store
            .apply_tip_action(
                &scope,
                &lan,
                old.id,
                &TipAction::Reply("Cảm ơn bạn.".into()),
                now - 400 * day,
            )
            .await
            .unwrap();
        s.store
            .apply_tip_action(&scope, &lan, old.id, &close, now - 400 * day)
            .await
            .unwrap();
        s.store
            .apply_tip_action(&scope, &lan, soon.id, &close, now - 362 * day)
            .await
            .unwrap();
        // Flagged in the queue a week before the purge (default retention 365 days).
        let o = login(&run, "lan").await;
        let (_, html) = o.get_text("/queue?status=closed").await;
        assert_eq!(html.matches("sắp xóa").count(), 2, "{}", db.label);
        let report = tipline::workers::retention::run_once(s, now).await.unwrap();
        assert_eq!(report.tips, 1, "{}", db.label);
        assert!(
            s.store
                .scoped_tip(&Scope::All, old.id)
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            s.store
                .scoped_tip(&Scope::All, soon.id)
                .await
                .unwrap()
                .is_some()
        );
        assert!(
            s.store
                .scoped_tip(&Scope::All, open.id)
                .await
                .unwrap()
                .is_some()
        );
        assert_eq!(o.get_text(&format!("/tips/{}", old.id)).await.0, 404);
        let lookup = chat(s, "r1", &format!("/status {}", old.receipt)).await;
        assert!(
            !lookup.contains("Cảm ơn bạn."),
            "a purged tip is gone for the reporter too"
        );
        assert!(
            matches!(
                s.store.verify_ledger().await.unwrap(),
                VerifyOutcome::Intact { .. }
            ),
            "{}",
            db.label
        );
        run.stop().await;
    }
}

#[tokio::test]
async fn the_officer_command_creates_accounts_from_stdin_never_from_arguments() {
    use std::io::Write;
    for db in common::all_dbs().await {
        let run_cli = |args: &[&str], stdin: &str| {
            let mut child = common::env::tipline()
                .args([
                    "--data-dir",
                    db.data_dir().to_str().unwrap(),
                    "--database-url",
                    &db.url,
                ])
                .args(args)
                .env(
                    "TIPLINE_CONTENT_DIR",
                    concat!(env!("CARGO_MANIFEST_DIR"), "/locales"),
                )
                .env("RUST_LOG", "error")
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap();
            child
                .stdin
                .take()
                .unwrap()
                .write_all(stdin.as_bytes())
                .unwrap();
            child.wait_with_output().unwrap()
        };
        let out = run_cli(
            &[
                "officer",
                "add",
                "--unit",
                "CA-26068",
                "--username",
                "an.le",
                "--role",
                "admin",
                "--password-stdin",
            ],
            "một mật khẩu dài\n",
        );
        assert!(
            out.status.success(),
            "{}: {}",
            db.label,
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            String::from_utf8_lossy(&out.stdout)
                .contains("Created admin account an.le for CA-26068")
        );
        let out = run_cli(
            &[
                "officer",
                "add",
                "--unit",
                "CA-99999",
                "--username",
                "bo.tran",
                "--role",
                "officer",
                "--password-stdin",
            ],
            "một mật khẩu dài\n",
        );
        assert_eq!(out.status.code(), Some(2), "unknown unit refused");
        let out = run_cli(
            &[
                "officer",
                "add",
                "--unit",
                "CA-26068",
                "--username",
                "bo.tran",
                "--role",
                "officer",
                "--password-stdin",
            ],
            "short\n",
        );
        assert!(!out.status.success(), "short password refused");
        let out = run_cli(&["officer", "disable", "--username", "an.le"], "");
        assert!(out.status.success());
        let out = run_cli(&["officer", "list"], "");
        assert!(String::from_utf8_lossy(&out.stdout).contains("disabled"));
        run_cli(&["officer", "enable", "--username", "an.le"], "");
        run_cli(
            &[
                "officer",
                "reset-password",
                "--username",
                "an.le",
                "--password-stdin",
            ],
            "mật khẩu mới thật dài\n",
        );
        let run = start(&db).await;
        assert_eq!(
            post_login(&client(), &run.base, "an.le", "mật khẩu mới thật dài")
                .await
                .status(),
            200,
            "{}",
            db.label
        );
        run.stop().await;
    }
}
