//! Two app instances (replicas) sharing one database: one user's messages may
//! land on either, concurrently, and no session update is lost.
mod common;

use common::all_dbs;
use common::chat::Chatter;

#[tokio::test]
async fn racing_messages_of_one_user_on_two_replicas_lose_no_update() {
    for db in all_dbs().await {
        let a = db.app().await;
        let b = db.app().await;
        let (ca, cb) = (Chatter::new(&a, "racer"), Chatter::new(&b, "racer"));
        ca.say("/menu").await;
        // 20 wrong receipts at once, alternating replicas. Each wrong receipt
        // appends to the session's failure list; after 5 the chat is throttled.
        // A lost update would let more than 5 lookups through.
        let tasks: Vec<_> = (0..20)
            .map(|i| {
                let c = if i % 2 == 0 {
                    Chatter::new(&ca.app, "racer")
                } else {
                    Chatter::new(&cb.app, "racer")
                };
                tokio::spawn(async move { c.say("/status 0000-0000-0000-0000-0000").await })
            })
            .collect();
        let mut looked_up = 0;
        let mut throttled = 0;
        for t in tasks {
            let out = t.await.unwrap();
            if out.contains("No report matches") {
                looked_up += 1;
            } else if out.contains("Too many wrong codes") {
                throttled += 1;
            } else {
                panic!("unexpected reply: {out}");
            }
        }
        assert_eq!((looked_up, throttled), (5, 15), "{}", db.label);
    }
}

#[tokio::test]
async fn a_tip_flow_alternating_between_replicas_completes() {
    for db in all_dbs().await {
        let a = db.app().await;
        let b = db.app().await;
        let steps = [
            "/report",
            "1",
            "bien hoa",
            "1",
            "1",
            common::chat::DESCRIPTION,
            "1",
        ];
        let mut last = String::new();
        for (i, s) in steps.iter().enumerate() {
            let app = if i % 2 == 0 { &a } else { &b };
            last = Chatter::new(app, "roamer").say(s).await;
        }
        assert!(
            common::chat::receipt_in(&last).is_some(),
            "{}: {last}",
            db.label
        );
        assert_eq!(b.store.queue("CA-26068", 5).await.unwrap().len(), 1);
    }
}
