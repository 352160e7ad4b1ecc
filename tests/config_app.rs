//! The typed configuration inside a running app (SQLite and PostgreSQL):
//! `Debug` of the shared state never prints a token, key or URL password.
mod common;
mod support;

use support::fake_telegram::FakeTelegram;
use support::tipline_app::RunningApp;

const BOT_TOKEN: &str = "123456:DEBUG-bot-token";
const WEBHOOK_SECRET: &str = "debug_webhook-secret-value";
const OA_SECRET: &str = "debug-oa-secret-key";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_app_state_debug_output_holds_no_secret() {
    for db in common::all_dbs().await {
        let fake = FakeTelegram::start().await;
        let settings = vec![
            ("TELEGRAM_BOT_TOKEN", BOT_TOKEN.to_string()),
            ("TELOXIDE_API_URL", fake.base_url.clone()),
            (
                "TELEGRAM_WEBHOOK_URL",
                "https://tipline.test/telegram/webhook".to_string(),
            ),
            ("TELEGRAM_WEBHOOK_SECRET", WEBHOOK_SECRET.to_string()),
            ("ZALO_APP_ID", "1234".to_string()),
            ("ZALO_OA_SECRET_KEY", OA_SECRET.to_string()),
            ("ZALO_REFRESH_TOKEN", "debug-refresh-token".to_string()),
            ("TIPLINE_PG_COMMITTERS", "3".to_string()),
        ];
        let app = RunningApp::start(&db, &settings).await;
        let debug = format!("{:?}", app.state);
        assert!(debug.contains("Config"), "{}: {debug}", db.label);
        for secret in [BOT_TOKEN, WEBHOOK_SECRET, OA_SECRET, "debug-refresh-token"] {
            assert!(!debug.contains(secret), "{}: {secret} in {debug}", db.label);
        }
        assert_eq!(app.state.config.pg_committers, 3);
        app.stop().await;
    }
}
