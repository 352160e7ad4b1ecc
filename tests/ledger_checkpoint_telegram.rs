//! `serve` posts a signed ledger checkpoint to a unit's Telegram group (fake
//! Bot API), and `ledger verify --checkpoints` accepts the posted text.
mod common;
mod ledger_support;
mod support;

use common::all_dbs;
use ledger_support::*;
use support::fake_telegram::FakeTelegram;
use support::tipline_app::RunningApp;

const UNIT_GROUP: i64 = -100123;

#[tokio::test]
async fn a_checkpoint_posted_to_a_unit_group_is_accepted_by_verify() {
    for db in all_dbs().await {
        let fake = FakeTelegram::start().await;
        let settings = vec![
            ("TELEGRAM_BOT_TOKEN", "123456:TEST-token".to_string()),
            ("TELOXIDE_API_URL", fake.base_url.clone()),
            ("TIPLINE_UNIT_GROUPS", format!("CA-26068={UNIT_GROUP}")),
        ];
        let app = RunningApp::start(&db, &settings).await;
        let posted = fake
            .wait_until("a checkpoint in the unit group", |f| {
                f.sent_to(UNIT_GROUP)
                    .into_iter()
                    .find(|m| m.text.contains("tipline-checkpoint"))
            })
            .await;
        app.stop().await;
        let pasted = db.dir.path().join("from-the-group.txt");
        std::fs::write(&pasted, &posted.text).unwrap();
        assert_verifies(&db, &[&pasted]);
        let cut = db.dir.path().join("cut.txt");
        std::fs::write(&cut, &posted.text[..posted.text.len() - 20]).unwrap();
        assert_broken(&db, &[&cut], &["cut.txt:", "truncated"]);
    }
}
