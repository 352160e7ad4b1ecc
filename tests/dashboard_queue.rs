//! The queue over real HTTP: urgent first, filters, new-tip count, keyset pages.
mod common;
mod dashboard_support;
mod support;

use dashboard_support::*;
use tipline::storage::dashboard::Scope;
use tipline::storage::officers::Role;

const DESCRIPTION: &str = "Nhà số 12 hẻm 4 có người bán ma túy đá mỗi tối sau 9 giờ.";

#[tokio::test]
async fn the_queue_filters_pages_and_counts_new_tips() {
    for db in common::all_dbs().await {
        let run = start(&db).await;
        add_officer(&run.state, "CA-26068", "lan", Role::Officer).await;
        let mut refs = Vec::new();
        for i in 0..3 {
            refs.push(
                submit_tip(&run.state, &format!("r{i}"), "dealing", 26068, DESCRIPTION).await,
            );
        }
        let danger = submit_tip(
            &run.state,
            "r9",
            "person_in_danger",
            26068,
            "Một thanh niên ngáo đá đang cầm dao đe dọa hàng xóm.",
        )
        .await;
        let o = login(&run, "lan").await;
        let (_, html) = o.get_text("/queue").await;
        assert!(html.contains("4 tin báo mới"));
        assert!(
            html.contains("Đang hiển thị 4 trên tổng số 4 tin báo"),
            "{}: totals",
            db.label
        );
        // The list itself, below the "needs attention" panel (which shows every new tip).
        let list =
            |html: &str| html[html.find("id=\"queue-list\"").expect("the list")..].to_string();
        let html = list(&html);
        let first = html.find(&danger.reference).unwrap();
        assert!(
            refs.iter()
                .all(|r| html.find(&r.reference).unwrap() > first),
            "urgent tips come first"
        );
        let (_, html) = o.get_text("/queue?category=person_in_danger").await;
        let html = list(&html);
        assert!(html.contains(&danger.reference) && !html.contains(&refs[0].reference));
        o.post(&format!("/tips/{}/claim", refs[1].id), &[]).await;
        let (_, html) = o.get_text("/queue?assignee=me").await;
        let html = list(&html);
        assert!(html.contains(&refs[1].reference) && !html.contains(&refs[0].reference));
        // Keyset paging walks every tip exactly once.
        let page = run
            .state
            .store
            .queue_page(
                &Scope::Unit("CA-26068".into()),
                &Default::default(),
                None,
                3,
            )
            .await
            .unwrap();
        assert_eq!(page.tips.len(), 3);
        let rest = run
            .state
            .store
            .queue_page(
                &Scope::Unit("CA-26068".into()),
                &Default::default(),
                page.next.clone(),
                3,
            )
            .await
            .unwrap();
        assert_eq!(rest.tips.len(), 1);
        assert!(rest.next.is_none());
        let (_, html) = o
            .get_text(&format!("/queue?after={}", page.next.unwrap().encode()))
            .await;
        assert_eq!(
            html.matches("data-href=").count(),
            1,
            "{}: the second web page holds the last tip",
            db.label
        );
        run.stop().await;
    }
}
