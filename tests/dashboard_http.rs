//! Tip work over real HTTP on port 0, on SQLite and (when configured)
//! PostgreSQL: every action, the detail page, replies through the engine's
//! /status, and the queue.
mod common;
mod dashboard_support;
mod support;

use dashboard_support::*;
use tipline::privacy::ledger::VerifyOutcome;
use tipline::storage::dashboard::Scope;
use tipline::storage::officers::Role;

const DESCRIPTION: &str = "Nhà số 12 hẻm 4 có người bán ma túy đá mỗi tối sau 9 giờ.";

#[tokio::test]
async fn every_action_updates_the_tip_the_ledger_and_the_audit_log() {
    for db in common::all_dbs().await {
        let run = start(&db).await;
        let s = &run.state;
        let lan = add_officer(s, "CA-26068", "lan", Role::Officer).await;
        add_officer(s, "CA-26068", "tuan", Role::Lead).await;
        let tip = submit_tip(s, "reporter-1", "dealing", 26068, DESCRIPTION).await;
        let other = submit_tip(
            s,
            "reporter-2",
            "use_venue",
            26068,
            "Quán karaoke ở góc chợ có người dùng ma túy tập thể.",
        )
        .await;
        let o = login(&run, "lan").await;
        let lead = login(&run, "tuan").await;
        let audit_before = s.store.audit_count().await.unwrap();
        let p = |a: &str| format!("/tips/{}/{a}", tip.id);

        let (code, page) = o.post(&p("claim"), &[]).await;
        assert_eq!(code, 200);
        assert!(
            page.contains("Bạn đã nhận xử lý tin báo này."),
            "flash after claim"
        );
        let t = s
            .store
            .scoped_tip(&Scope::All, tip.id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(t.assignee_id, Some(lan));
        assert!(
            t.first_response_at.is_some(),
            "the first action counts as the first response"
        );

        // Only a lead assigns to others.
        let (_, page) = o.post(&p("assign"), &[("officer", "")]).await;
        assert!(page.contains("Chỉ lãnh đạo"));
        lead.post(&p("assign"), &[("officer", "")]).await;
        assert_eq!(
            s.store
                .scoped_tip(&Scope::All, tip.id)
                .await
                .unwrap()
                .unwrap()
                .assignee_id,
            None
        );
        lead.post(&p("assign"), &[("officer", &lan.to_string())])
            .await;
        assert_eq!(
            s.store
                .scoped_tip(&Scope::All, tip.id)
                .await
                .unwrap()
                .unwrap()
                .assignee_id,
            Some(lan)
        );

        o.post(&p("status"), &[("status", "open")]).await;
        o.post(&p("priority"), &[("priority", "urgent")]).await;
        o.post(&p("labels"), &[("labels", "Nhà nghỉ, đêm")]).await;
        o.post(&p("note"), &[("body", "Đã xác minh sơ bộ qua tổ dân phố.")])
            .await;
        o.post(
            &p("reply"),
            &[("body", "Cảm ơn bạn, chúng tôi đang xác minh.")],
        )
        .await;
        let t = s
            .store
            .scoped_tip(&Scope::All, tip.id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((t.status.as_str(), t.priority.as_str()), ("open", "urgent"));
        assert_eq!(t.labels, vec!["nhà nghỉ".to_string(), "đêm".to_string()]);

        // Closing needs a resolution; a duplicate needs another visible tip.
        let (_, page) = o
            .post(
                &p("status"),
                &[
                    ("status", "closed"),
                    ("resolution", "duplicate"),
                    ("duplicate_of", &tip.reference),
                ],
            )
            .await;
        assert!(
            page.contains("hãy nhập mã của một tin báo khác"),
            "a tip is not a duplicate of itself"
        );
        o.post(
            &p("status"),
            &[
                ("status", "closed"),
                ("resolution", "duplicate"),
                ("duplicate_of", &other.reference),
            ],
        )
        .await;
        let t = s
            .store
            .scoped_tip(&Scope::All, tip.id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (
                t.status.as_str(),
                t.resolution.map(|r| r.as_str()),
                t.duplicate_of.as_deref()
            ),
            ("closed", Some("duplicate"), Some(other.reference.as_str()))
        );
        assert!(t.closed_at.is_some());
        o.post(&p("status"), &[("status", "open")]).await;
        assert_eq!(
            s.store
                .scoped_tip(&Scope::All, tip.id)
                .await
                .unwrap()
                .unwrap()
                .closed_at,
            None,
            "reopening clears closed_at"
        );
        o.post(
            &p("status"),
            &[("status", "closed"), ("resolution", "actioned")],
        )
        .await;

        // Transfer: the tip leaves the unit and the new unit is queued a notification.
        o.post(&p("transfer"), &[("unit", "CA-26071"), ("reason", "")])
            .await;
        assert_eq!(
            s.store
                .scoped_tip(&Scope::All, tip.id)
                .await
                .unwrap()
                .unwrap()
                .unit
                .as_str(),
            "CA-26068",
            "a transfer needs a reason"
        );
        let (code, page) = o
            .post(
                &p("transfer"),
                &[
                    ("unit", "pc04-75"),
                    ("reason", "Có dấu hiệu đường dây liên tỉnh."),
                ],
            )
            .await;
        // The officer lands on their queue with the message; the tip has left it.
        assert_eq!(code, 200, "a transfer lands on the queue");
        assert!(page.contains("Đã chuyển tin báo") && page.contains("Hàng chờ tin báo"));
        assert!(
            !page.contains(&tip.reference),
            "the old unit no longer lists the tip"
        );
        let (code, _) = o.get_text(&format!("/tips/{}", tip.id)).await;
        assert_eq!(
            code, 404,
            "after the transfer the old unit no longer sees the tip"
        );
        let t = s
            .store
            .scoped_tip(&Scope::All, tip.id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((t.unit.as_str(), t.assignee_id), ("PC04-75", None));
        let pending = s.store.pending_unit_notifications(10).await.unwrap();
        assert_eq!(pending.len(), 1);
        assert_eq!(
            (
                pending[0].unit.as_str(),
                pending[0].tip_id,
                pending[0].kind.as_str()
            ),
            ("PC04-75", tip.id, "transfer")
        );
        assert!(
            s.store
                .mark_unit_notification_delivered(pending[0].id, 1)
                .await
                .unwrap()
        );
        assert!(
            s.store
                .pending_unit_notifications(10)
                .await
                .unwrap()
                .is_empty()
        );

        let kinds: Vec<String> = s
            .store
            .tip_timeline(tip.id)
            .await
            .unwrap()
            .into_iter()
            .map(|e| format!("{}={}", e.kind, e.value))
            .collect();
        assert_eq!(
            kinds,
            [
                "assign=lan",
                "assign=",
                "assign=lan",
                "status=open",
                "priority=urgent",
                "labels=nhà nghỉ,đêm",
                "note=",
                "reply=",
                "status=closed:duplicate",
                "status=open",
                "status=closed:actioned",
                "transfer=PC04-75"
            ]
        );
        // 12 actions, each audited (refused inputs are not actions); every
        // redirect back to the detail page is an audited view as well.
        let audit = s
            .store
            .audit_entries(&Scope::All, Some(tip.id), 1000)
            .await
            .unwrap();
        let actions: Vec<&str> = audit
            .iter()
            .rev()
            .filter(|e| e.action != "view")
            .map(|e| e.action.as_str())
            .collect();
        assert_eq!(
            actions,
            [
                "claim", "assign", "assign", "status", "priority", "labels", "note", "reply",
                "status", "status", "status", "transfer"
            ],
            "{}",
            db.label
        );
        assert!(
            audit
                .iter()
                .all(|e| e.tip_reference.as_deref() == Some(tip.reference.as_str()))
        );
        assert_eq!(
            s.store.audit_count().await.unwrap() - audit_before,
            audit.len() as i64
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
async fn the_detail_page_shows_facts_timeline_and_ledger_status_and_is_audited() {
    for db in common::all_dbs().await {
        let run = start(&db).await;
        add_officer(&run.state, "CA-26068", "tuan", Role::Lead).await;
        let tip = submit_tip(
            &run.state,
            "reporter-1",
            "dealing",
            26068,
            "Có người <b>bán</b> ma túy & thuốc lắc ở quán nước đầu hẻm.",
        )
        .await;
        let o = login(&run, "tuan").await;
        o.post(
            &format!("/tips/{}/note", tip.id),
            &[("body", "Ghi chú <script>alert(1)</script>")],
        )
        .await;
        let before = run.state.store.audit_count().await.unwrap();
        let (code, html) = o.get_text(&format!("/tips/{}", tip.id)).await;
        assert_eq!(code, 200);
        assert_eq!(
            run.state.store.audit_count().await.unwrap(),
            before + 1,
            "every detail view is audited"
        );
        assert!(html.contains(&tip.reference));
        assert!(html.contains("Phường Biên Hòa"), "ward name shown");
        assert!(
            html.contains("công an phường/xã") && !html.contains("ward police"),
            "routing reason shown, in Vietnamese"
        );
        assert!(
            html.contains("đã kiểm tra"),
            "per-tip ledger check shown as verified"
        );
        assert!(
            html.contains("&lt;b&gt;bán&lt;/b&gt; ma túy &amp; thuốc lắc"),
            "description is escaped"
        );
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                && !html.contains("<script>alert"),
            "notes are escaped"
        );
        assert!(
            html.contains("đã xem"),
            "a lead sees the access log of the tip"
        );
        // English works from the same templates.
        o.post("/account/lang", &[("lang", "en")]).await;
        let (_, html) = o.get_text(&format!("/tips/{}", tip.id)).await;
        assert!(html.contains("Routing reason") && html.contains("verified"));
        run.stop().await;
    }
}

#[tokio::test]
async fn a_reply_reaches_the_reporter_through_status_and_their_answer_reaches_the_officer() {
    for db in common::all_dbs().await {
        let run = start(&db).await;
        add_officer(&run.state, "CA-26068", "lan", Role::Officer).await;
        let tip = submit_tip(&run.state, "reporter-1", "dealing", 26068, DESCRIPTION).await;
        let o = login(&run, "lan").await;
        o.post(
            &format!("/tips/{}/note", tip.id),
            &[("body", "NỘI BỘ: nguồn tin là bảo vệ chợ")],
        )
        .await;
        let (_, page) = o
            .post(
                &format!("/tips/{}/reply", tip.id),
                &[("body", "Cảm ơn bạn. Xe máy màu gì?")],
            )
            .await;
        assert!(page.contains("Đã gửi trả lời"));
        let seen = chat(
            &run.state,
            "reporter-1",
            &format!("/status {}", tip.receipt),
        )
        .await;
        assert!(
            seen.contains("Cảm ơn bạn. Xe máy màu gì?"),
            "{}: reporter sees the reply: {seen}",
            db.label
        );
        assert!(
            !seen.contains("NỘI BỘ"),
            "internal notes never reach the reporter"
        );
        choose(&run.state, "reporter-1", "status:reply").await;
        chat(&run.state, "reporter-1", "Xe Wave màu đỏ, biển 60.").await;
        let sent = chat(&run.state, "reporter-1", &tip.receipt).await;
        assert!(sent.contains(&tip.reference), "{sent}");
        let (_, html) = o.get_text(&format!("/tips/{}", tip.id)).await;
        assert!(
            html.contains("Xe Wave màu đỏ, biển 60.")
                && html.contains("tin nhắn của người báo tin")
        );
        assert!(matches!(
            run.state.store.verify_ledger().await.unwrap(),
            VerifyOutcome::Intact { .. }
        ));
        run.stop().await;
    }
}
