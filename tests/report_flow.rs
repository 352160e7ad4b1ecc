//! The anonymous tip flow end to end through the runtime, on every backend.
mod common;

use common::all_dbs;
use common::chat::{Chatter, DESCRIPTION, receipt_in};
use tipline::i18n::Lang;
use tipline::privacy::ledger::VerifyOutcome;

#[tokio::test]
async fn dealing_at_bien_hoa_lands_in_the_ward_queue_with_a_receipt() {
    for db in all_dbs().await {
        let app = db.app().await;
        let c = Chatter::new(&app, "citizen-1");
        let out = c.say_all(&["/report", "1", "bien hoa"]).await;
        assert!(
            out.contains("[1] Phường Biên Hòa, Đồng Nai"),
            "{}: {out}",
            db.label
        );
        let out = c
            .say_all(&[
                "Phường Biên Hòa, Đồng Nai",
                "Happening now / today",
                DESCRIPTION,
            ])
            .await;
        assert!(out.contains("Please check your report"), "{out}");
        assert!(out.contains("Drug dealing") && out.contains(DESCRIPTION));
        let sent = c.say("Send report").await;
        let receipt = receipt_in(&sent).unwrap_or_else(|| panic!("no receipt in {sent}"));
        let queue = app.store.queue("CA-26068", 10).await.unwrap();
        assert_eq!(queue.len(), 1, "{}", db.label);
        assert_eq!(queue[0].category, "dealing");
        assert_eq!(queue[0].ward_code, Some(26068));
        assert_eq!(queue[0].description, DESCRIPTION);
        assert!(sent.contains(&queue[0].reference));
        assert!(!receipt.is_empty());
        assert_eq!(
            app.store.verify_ledger().await.unwrap(),
            VerifyOutcome::Intact { entries: 1 }
        );
    }
}

#[tokio::test]
async fn a_production_lab_goes_to_provincial_drug_police_and_the_ward_is_informed() {
    for db in all_dbs().await {
        let app = db.app().await;
        let c = Chatter::new(&app, "citizen-2");
        c.say_all(&[
            "/tip",
            "Production or a drug lab",
            "bien hoa",
            "1",
            "3",
            DESCRIPTION,
            "1",
        ])
        .await;
        let pc04 = app.store.queue("PC04-75", 10).await.unwrap();
        assert_eq!(pc04.len(), 1, "{}", db.label);
        assert_eq!(pc04[0].unit, "PC04-75");
        assert_eq!(pc04[0].informed_unit.as_deref(), Some("CA-26068"));
        assert_eq!(pc04[0].priority, "high");
        // The ward police sees it too, as informed.
        assert_eq!(app.store.queue("CA-26068", 10).await.unwrap().len(), 1);
    }
}

#[tokio::test]
async fn a_person_in_danger_is_told_to_call_113_or_115_first_and_the_tip_is_urgent() {
    for db in all_dbs().await {
        let app = db.app().await;
        let c = Chatter::new(&app, "citizen-3");
        let out = c.say_all(&["/report", "7"]).await;
        assert!(out.contains("113") && out.contains("115"), "{out}");
        assert!(
            out.find("113").unwrap() < out.find("Step 2/5").unwrap(),
            "the call-now warning comes first"
        );
        c.say_all(&["I don't know the ward", "Đồng Nai", "1", DESCRIPTION, "1"])
            .await;
        let q = app.store.queue("PC04-75", 10).await.unwrap();
        assert_eq!(q[0].priority, "urgent");
        assert_eq!(q[0].ward_code, None);
        assert!(q[0].routing_reason.contains("ward unknown"));
    }
}

#[tokio::test]
async fn cancel_mid_flow_leaves_zero_tips() {
    for db in all_dbs().await {
        let app = db.app().await;
        let c = Chatter::new(&app, "citizen-4");
        c.say_all(&["/report", "1", "bien hoa", "1", "1", DESCRIPTION])
            .await;
        let out = c.say("/cancel").await;
        assert!(out.contains("nothing was stored"), "{out}");
        assert_eq!(app.store.count_tips().await.unwrap(), 0, "{}", db.label);
        // And the review's own cancel button discards too.
        c.say_all(&["/report", "1", "bien hoa", "1", "1", DESCRIPTION, "Cancel"])
            .await;
        assert_eq!(app.store.count_tips().await.unwrap(), 0);
    }
}

#[tokio::test]
async fn a_draft_survives_a_restart_at_the_same_step() {
    for db in all_dbs().await {
        let app = db.app().await;
        Chatter::new(&app, "citizen-5")
            .say_all(&["/report", "1", "bien hoa", "1"])
            .await;
        app.store.close().await;
        drop(app);
        let app = db.app().await;
        let c = Chatter::new(&app, "citizen-5");
        // The next answer continues where the draft stopped: the "when" question.
        let out = c.say("2").await;
        assert!(out.contains("Step 4/5"), "{}: {out}", db.label);
        let out = c.say_all(&[DESCRIPTION, "1"]).await;
        assert!(receipt_in(&out).is_some(), "{out}");
        assert_eq!(
            app.store.queue("CA-26068", 10).await.unwrap()[0].when_seen,
            "this_week"
        );
    }
}

#[tokio::test]
async fn the_vietnamese_flow_speaks_vietnamese_by_default() {
    for db in all_dbs().await {
        let app = db.app().await;
        let mut c = Chatter::new(&app, "citizen-6");
        c.lang = None;
        let out = c.say("/report").await;
        assert!(out.contains("Bạn muốn báo về việc gì?"), "{out}");
        let out = c
            .say_all(&["Mua bán ma túy", "bien hoa", "1", "Trong tuần này"])
            .await;
        assert!(out.contains("Bạn hãy mô tả sự việc"), "{out}");
        let out = c
            .say_all(&[
                "Có người bán ma túy đá ở quán cà phê đầu hẻm, thường vào buổi tối.",
                "Gửi tin báo",
            ])
            .await;
        assert!(out.contains("Mã biên nhận"), "{out}");
        assert_eq!(
            app.store.queue("CA-26068", 10).await.unwrap()[0].category,
            "dealing"
        );
    }
}

#[tokio::test]
async fn review_can_edit_a_part_and_return_to_the_summary() {
    for db in all_dbs().await {
        let app = db.app().await;
        let c = Chatter::new(&app, "citizen-7");
        c.say_all(&["/report", "1", "bien hoa", "1", "1", DESCRIPTION])
            .await;
        let out = c.say_all(&["Edit", "When"]).await;
        assert!(out.contains("When did it happen?"), "{out}");
        let out = c.say("Earlier").await;
        assert!(
            out.contains("Please check your report") && out.contains("Earlier"),
            "{out}"
        );
        c.say("Send report").await;
        assert_eq!(
            app.store.queue("CA-26068", 10).await.unwrap()[0].when_seen,
            "earlier"
        );
    }
}

#[tokio::test]
async fn language_can_be_switched_with_lang() {
    for db in common::all_dbs().await {
        let app = db.app().await;
        let mut c = Chatter::new(&app, "citizen-8");
        c.lang = Some(Lang::Vi);
        let out = c.say_all(&["/lang", "English"]).await;
        assert!(out.contains("Language set to English"), "{out}");
        let out = c.say("/help").await;
        assert!(out.contains("/report (or /tip)"), "{out}");
    }
}
