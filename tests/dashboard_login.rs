//! Signing in over real HTTP on port 0, on SQLite and (when configured)
//! PostgreSQL: wrong passwords and the throttle, cookie flags, security
//! headers, and the CSRF check on every form.
mod common;
mod dashboard_support;
mod support;

use dashboard_support::*;
use tipline::storage::officers::Role;

const DESCRIPTION: &str = "Nhà số 12 hẻm 4 có người bán ma túy đá mỗi tối sau 9 giờ.";

#[tokio::test]
async fn wrong_passwords_are_refused_then_the_account_is_throttled() {
    for db in common::all_dbs().await {
        let run = start(&db).await;
        add_officer(&run.state, "CA-26068", "lan", Role::Officer).await;
        add_officer(&run.state, "CA-26068", "minh", Role::Officer).await;
        let c = client();
        for attempt in 0..5 {
            let r = post_login(&c, &run.base, "lan", "wrong password!").await;
            assert_eq!(r.status(), 401, "{}: attempt {attempt}", db.label);
            let page = r.text().await.unwrap();
            assert!(
                page.contains("Sai tên đăng nhập, mật khẩu hoặc mã xác thực."),
                "{}",
                db.label
            );
        }
        // Even the right password is refused while the account is throttled.
        let r = post_login(&c, &run.base, "lan", PASSWORD).await;
        assert_eq!(r.status(), 429, "{}", db.label);
        assert!(r.text().await.unwrap().contains("15 phút"));
        // Another account from the same address still gets in.
        let r = post_login(&client(), &run.base, "minh", PASSWORD).await;
        assert_eq!(r.status(), 200, "{}", db.label);
        assert!(r.url().path().starts_with("/queue"));
        // An unknown user is refused like a wrong password.
        let r = post_login(&client(), &run.base, "nobody", PASSWORD).await;
        assert_eq!(r.status(), 401);
        run.stop().await;
    }
}

#[tokio::test]
async fn sessions_use_strict_http_only_cookies_and_pages_carry_security_headers() {
    for db in common::all_dbs().await {
        let run = start(&db).await;
        add_officer(&run.state, "CA-26068", "lan", Role::Officer).await;
        let c = no_redirect_client();
        let page = c.get(run.url("/login")).send().await.unwrap();
        let h = page.headers().clone();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("frame-ancestors 'none'")
                && csp.contains("script-src 'self'")
                && !csp.contains("unsafe-inline"),
            "{csp}"
        );
        assert_eq!(h["referrer-policy"], "no-referrer");
        assert_eq!(h["x-content-type-options"], "nosniff");
        let csrf = csrf_of(&page.text().await.unwrap());
        let r = c
            .post(run.url("/login"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("username", "lan"),
                ("password", PASSWORD),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "{}", db.label);
        let cookie = r
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .find(|v| v.starts_with("tl_session="))
            .unwrap();
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
            "{cookie}"
        );
        assert!(
            !cookie.contains("Secure"),
            "plain http test server must not set Secure: {cookie}"
        );
        // Not signed in: pages redirect to the login form.
        let r = no_redirect_client()
            .get(run.url("/queue"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303);
        assert_eq!(r.headers()["location"], "/login");
        run.stop().await;
    }
}

#[tokio::test]
async fn forms_without_the_right_csrf_token_are_rejected_and_change_nothing() {
    for db in common::all_dbs().await {
        let run = start(&db).await;
        add_officer(&run.state, "CA-26068", "lan", Role::Officer).await;
        let tip = submit_tip(&run.state, "reporter-1", "dealing", 26068, DESCRIPTION).await;
        let o = login(&run, "lan").await;
        let before = (
            run.state.store.ledger_len().await.unwrap(),
            run.state.store.audit_count().await.unwrap(),
        );
        let url = run.url(&format!("/tips/{}/note", tip.id));
        let missing = o
            .client
            .post(&url)
            .form(&[("body", "ghi chú")])
            .send()
            .await
            .unwrap();
        assert_eq!(missing.status(), 403, "{}", db.label);
        let wrong = o
            .client
            .post(&url)
            .form(&[("csrf", "0".repeat(64).as_str()), ("body", "ghi chú")])
            .send()
            .await
            .unwrap();
        assert_eq!(wrong.status(), 403, "{}", db.label);
        // Login without the double-submit token fails too.
        let r = client()
            .post(run.url("/login"))
            .form(&[("username", "lan"), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403);
        let after = (
            run.state.store.ledger_len().await.unwrap(),
            run.state.store.audit_count().await.unwrap(),
        );
        assert_eq!(
            before, after,
            "{}: a rejected form must leave no trace",
            db.label
        );
        assert!(
            run.state
                .store
                .tip_timeline(tip.id)
                .await
                .unwrap()
                .is_empty()
        );
        run.stop().await;
    }
}
