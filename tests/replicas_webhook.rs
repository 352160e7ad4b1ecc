//! Scale-out: two Tipline servers share one database behind a round-robin
//! balancer (here: the test alternates webhook URLs). One citizen's updates
//! land on either replica and the conversation stays correct.
mod common;
mod support;

use support::fake_telegram::FakeTelegram;
use support::telegram_chat::{Chat, Transport};
use support::tipline_app::RunningApp;

const SECRET: &str = "replica_webhook_secret";

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_tip_flow_round_robined_over_two_replicas_completes_once() {
    for db in common::all_dbs().await {
        let fake = FakeTelegram::start().await;
        let settings = vec![
            ("TELEGRAM_BOT_TOKEN", "123456:REPLICA".to_string()),
            ("TELOXIDE_API_URL", fake.base_url.clone()),
            (
                "TELEGRAM_WEBHOOK_URL",
                "https://tipline.test/telegram/webhook".to_string(),
            ),
            ("TELEGRAM_WEBHOOK_SECRET", SECRET.to_string()),
        ];
        let a = RunningApp::start(&db, &settings).await;
        let b = RunningApp::start(&db, &settings).await;
        let replicas = [a.url("/telegram/webhook"), b.url("/telegram/webhook")];
        let chat_on = |i: usize| {
            Chat::new(
                &fake,
                8_800_001,
                "en",
                Transport::Webhook {
                    url: replicas[i % 2].clone(),
                    secret: SECRET.into(),
                },
            )
        };
        chat_on(0).say("/report", "Step 1/5").await;
        chat_on(1).say("1", "Step 2/5").await;
        chat_on(0).say("bien hoa", "Pick the right place").await;
        chat_on(1).say("1", "Step 3/5").await;
        chat_on(0).say("2", "Step 4/5").await;
        chat_on(1)
            .say(
                "Two men hand over small packets at the bus stop opposite the market every night.",
                "Step 5/5",
            )
            .await;
        chat_on(0).say("1", "Please check your report").await;
        let receipt = chat_on(1).say("1", "Receipt code").await;
        let tips = a.state.store.queue("CA-26068", 10).await.unwrap();
        assert_eq!(tips.len(), 1, "{}: exactly one tip", db.label);
        assert_eq!(tips[0].when_seen, "this_week");
        assert!(receipt.text.contains(&tips[0].reference));
        assert!(matches!(
            b.state.store.verify_ledger().await.unwrap(),
            tipline::privacy::ledger::VerifyOutcome::Intact { .. }
        ));
        a.stop().await;
        b.stop().await;
    }
}
