//! Following a tip up by receipt, receipt throttling, and ledger tamper detection.
mod common;

use common::all_dbs;
use common::chat::{Chatter, DESCRIPTION, receipt_in};
use tipline::privacy::ledger::VerifyOutcome;

async fn submit(c: &Chatter) -> String {
    let out = c
        .say_all(&["/report", "1", "bien hoa", "1", "1", DESCRIPTION, "1"])
        .await;
    receipt_in(&out).expect("receipt")
}

#[tokio::test]
async fn status_with_a_receipt_shows_the_tip_and_takes_a_follow_up() {
    for db in all_dbs().await {
        let app = db.app().await;
        let c = Chatter::new(&app, "reporter");
        let receipt = submit(&c).await;
        let reference = app.store.queue("CA-26068", 1).await.unwrap()[0]
            .reference
            .clone();
        // Inline, lower case, spaces instead of hyphens: all accepted.
        let inline = receipt.to_lowercase().replace('-', " ");
        let out = c.say(&format!("/status {inline}")).await;
        assert!(
            out.contains(&reference) && out.contains("Status: Received"),
            "{}: {out}",
            db.label
        );
        let out = c
            .say_all(&[
                "Add information",
                "He also keeps a stash in the blue house next to the market.",
            ])
            .await;
        // The session does not remember the tip: the receipt says which one.
        assert!(out.contains("type your receipt code once more"), "{out}");
        assert!(!out.contains("Your message was added"), "{out}");
        let out = c.say(&receipt).await;
        assert!(out.contains("Your message was added"), "{out}");
        assert!(out.contains(&reference), "{out}");
        // Asked for the receipt first, then shown the follow-up in the history.
        let out = c.say_all(&["/status", &receipt]).await;
        assert!(out.contains("🙋 You: He also keeps a stash"), "{out}");
        assert_eq!(
            app.store.verify_ledger().await.unwrap(),
            VerifyOutcome::Intact { entries: 2 }
        );
    }
}

#[tokio::test]
async fn wrong_receipts_are_refused_and_then_throttled() {
    for db in all_dbs().await {
        let app = db.app().await;
        let c = Chatter::new(&app, "guesser");
        let real = submit(&c).await;
        let out = c.say("/status not-a-receipt").await;
        assert!(out.contains("not a receipt code"), "{out}");
        for left in (0..5).rev() {
            let out = c.say("/status 0000-0000-0000-0000-0000").await;
            assert!(out.contains("No report matches"), "{out}");
            assert!(out.contains(&format!("{left} attempts left")), "{out}");
        }
        // Now even the right receipt is not looked up for a while.
        let out = c.say(&format!("/status {real}")).await;
        assert!(out.contains("Too many wrong codes"), "{}: {out}", db.label);
        assert!(!out.contains("Status:"));
        // Throttling is per session: another chat can still look it up.
        let other = Chatter::new(&app, "someone-else");
        assert!(
            other
                .say(&format!("/status {real}"))
                .await
                .contains("Status: Received")
        );
    }
}

#[tokio::test]
async fn ledger_verify_fails_after_a_description_is_changed_in_the_database() {
    for db in all_dbs().await {
        let app = db.app().await;
        let c = Chatter::new(&app, "reporter");
        submit(&c).await;
        submit(&c).await;
        assert_eq!(
            app.store.verify_ledger().await.unwrap(),
            VerifyOutcome::Intact { entries: 2 }
        );
        let pool = sqlx::AnyPool::connect(&db.url).await.unwrap();
        let first = app
            .store
            .queue("CA-26068", 10)
            .await
            .unwrap()
            .pop()
            .unwrap();
        sqlx::query("UPDATE tips SET description = 'nothing happened' WHERE id = $1")
            .bind(first.id)
            .execute(&pool)
            .await
            .unwrap();
        match app.store.verify_ledger().await.unwrap() {
            VerifyOutcome::Broken { seq, subject, .. } => {
                assert_eq!(seq, 1, "{}", db.label);
                assert!(subject.contains(&first.reference), "{subject}");
            }
            other => panic!("tampering not detected: {other:?}"),
        }
    }
}

#[tokio::test]
async fn ledger_verify_catches_a_status_changed_behind_the_ledgers_back() {
    for db in all_dbs().await {
        let app = db.app().await;
        submit(&Chatter::new(&app, "r")).await;
        let pool = sqlx::AnyPool::connect(&db.url).await.unwrap();
        sqlx::query("UPDATE tips SET status = 'closed', resolution = 'spam'")
            .execute(&pool)
            .await
            .unwrap();
        assert!(
            matches!(
                app.store.verify_ledger().await.unwrap(),
                VerifyOutcome::Broken { .. }
            ),
            "{}",
            db.label
        );
    }
}

#[tokio::test]
async fn ledger_verify_catches_a_deleted_entry() {
    for db in all_dbs().await {
        let app = db.app().await;
        let c = Chatter::new(&app, "r");
        submit(&c).await;
        submit(&c).await;
        let pool = sqlx::AnyPool::connect(&db.url).await.unwrap();
        sqlx::query("DELETE FROM ledger WHERE seq = 2")
            .execute(&pool)
            .await
            .unwrap();
        assert!(
            matches!(
                app.store.verify_ledger().await.unwrap(),
                VerifyOutcome::Broken { .. }
            ),
            "{}",
            db.label
        );
    }
}
