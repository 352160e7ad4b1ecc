//! Hostile users at the dashboard door, over real HTTP on SQLite and
//! PostgreSQL: a parallel password race, TOTP replay, turning TOTP off
//! without proof, and a busy session past its absolute lifetime.
mod common;
mod dashboard_support;
mod support;

use dashboard_support::*;
use tipline::bot::now_ms;
use tipline::storage::officers::Role;
use tipline::web::password::totp_code_at_step;

const WRONG_PASSWORD: &str = "Mật khẩu hiện tại không đúng.";
const WRONG_CODE: &str = "Mã không đúng.";

/// Signs in from a client whose address the trusted proxy reports as `ip`.
async fn login_from(
    client: &reqwest::Client,
    base: &str,
    ip: &str,
    password: &str,
    totp: &str,
) -> reqwest::Response {
    let page = client
        .get(format!("{base}/login"))
        .header("x-forwarded-for", ip)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = csrf_of(&page);
    client
        .post(format!("{base}/login"))
        .header("x-forwarded-for", ip)
        .form(&[
            ("csrf", csrf.as_str()),
            ("username", "lan"),
            ("password", password),
            ("totp", totp),
        ])
        .send()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixty_parallel_wrong_passwords_get_five_tries_and_the_officer_gets_in_after_backoff() {
    for db in common::all_dbs().await {
        let settings = [
            ("TIPLINE_TRUST_PROXY", "1"),
            ("TIPLINE_LOGIN_BACKOFF_SECONDS", "2"),
        ];
        let run = start_with(&db, &settings).await;
        add_officer(&run.state, "CA-26068", "lan", Role::Officer).await;
        let attempts = (0..60).map(|_| {
            let base = run.base.clone();
            tokio::spawn(async move {
                let c = client();
                login_from(&c, &base, "198.51.100.9", "wrong password!", "")
                    .await
                    .status()
                    .as_u16()
            })
        });
        let mut statuses = Vec::new();
        for a in attempts.collect::<Vec<_>>() {
            statuses.push(a.await.unwrap());
        }
        let refused = statuses.iter().filter(|s| **s == 401).count();
        let throttled = statuses.iter().filter(|s| **s == 429).count();
        assert_eq!(refused, 5, "{}: {statuses:?}", db.label);
        assert_eq!(throttled, 55, "{}: {statuses:?}", db.label);

        // While the account backs off, even the right password waits.
        let r = login_from(&client(), &run.base, "203.0.113.20", PASSWORD, "").await;
        assert_eq!(r.status(), 429, "{}", db.label);
        // After the backoff, the officer signs in from another client.
        tokio::time::sleep(std::time::Duration::from_millis(2_500)).await;
        let r = login_from(&client(), &run.base, "203.0.113.21", PASSWORD, "").await;
        assert_eq!(r.status(), 200, "{}", db.label);
        assert!(r.url().path().starts_with("/queue"), "{}", r.url());
        run.stop().await;
    }
}

async fn enrol_totp(run: &Running, o: &Officer) -> String {
    let (_, page) = o.post("/account/totp/start", &[("password", "nope")]).await;
    assert!(
        page.contains(WRONG_PASSWORD),
        "enrolment needs the password"
    );
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
        .expect("secret after start");
    let code = totp_code_at_step(&secret, now_ms() / 30_000).unwrap();
    o.post("/account/totp/confirm", &[("code", &code)]).await;
    secret
}

#[tokio::test]
async fn a_totp_code_is_accepted_once_and_turning_totp_off_needs_password_and_code() {
    for db in common::all_dbs().await {
        let run = start_with(&db, &[("TIPLINE_TRUST_PROXY", "1")]).await;
        add_officer(&run.state, "CA-26068", "lan", Role::Officer).await;
        let first = login(&run, "lan").await;
        let secret = enrol_totp(&run, &first).await;
        let lan = run.state.store.officer_by_username("lan").await.unwrap();
        assert!(lan.unwrap().totp_enabled, "{}", db.label);

        let code = totp_code_at_step(&secret, now_ms() / 30_000 + 1).unwrap();
        let c = client();
        let r = login_from(&c, &run.base, "203.0.113.30", PASSWORD, &code).await;
        assert_eq!(r.status(), 200, "{}", db.label);
        let html = r.text().await.unwrap();
        let o = Officer {
            client: c,
            csrf: csrf_of(&html),
            base: run.base.clone(),
        };
        o.post("/logout", &[]).await;
        // Logging out and back in with the same code, within its window: refused.
        let r = login_from(&client(), &run.base, "203.0.113.31", PASSWORD, &code).await;
        assert_eq!(r.status(), 401, "{}: replayed code", db.label);

        let c = client();
        let next = totp_code_at_step(&secret, now_ms() / 30_000 - 1).unwrap();
        let r = login_from(&c, &run.base, "203.0.113.32", PASSWORD, &next).await;
        assert_eq!(
            r.status(),
            401,
            "{}: a code older than the last used",
            db.label
        );

        // Turning TOTP off: refused without a code, and with a wrong password.
        let fresh = totp_code_at_step(&secret, now_ms() / 30_000 + 1).unwrap();
        let (_, page) = first
            .post("/account/totp/disable", &[("password", PASSWORD)])
            .await;
        assert!(page.contains(WRONG_CODE), "{}", db.label);
        let (_, page) = first
            .post(
                "/account/totp/disable",
                &[("password", "nope"), ("code", &fresh)],
            )
            .await;
        assert!(page.contains(WRONG_PASSWORD), "{}", db.label);
        let lan = run.state.store.officer_by_username("lan").await.unwrap();
        assert!(lan.unwrap().totp_enabled, "{}: still on", db.label);
        run.stop().await;
    }
}

#[tokio::test]
async fn a_session_in_use_ends_at_its_absolute_lifetime() {
    for db in common::all_dbs().await {
        let run = start(&db).await;
        add_officer(&run.state, "CA-26068", "lan", Role::Officer).await;
        let o = login(&run, "lan").await;
        let (status, _) = o.get_text("/queue").await;
        assert_eq!(status, 200);
        // Signed in 13 hours ago, active a moment ago: the 12-hour limit applies.
        let pool = sqlx::AnyPool::connect(&db.url).await.unwrap();
        sqlx::query("UPDATE web_sessions SET created_at = created_at - $1")
            .bind(13 * 3_600_000_i64)
            .execute(&pool)
            .await
            .unwrap();
        pool.close().await;
        let r = o.get("/queue").await;
        assert!(
            r.url().path().starts_with("/login"),
            "{}: {}",
            db.label,
            r.url()
        );
        run.stop().await;
    }
}
