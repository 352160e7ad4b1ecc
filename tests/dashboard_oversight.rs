//! Oversight (issue 19): a PC04-75 supervisor reads every tip of Đồng Nai's
//! wards, gets 404 on Đà Nẵng's, acts only on PC04-75's own tips; the national
//! role reads everything and changes nothing; every read is audited. Outcomes
//! of actioned tips are recorded by leads only, ledgered, replayed by
//! `ledger verify`, and never reach the reporter.
mod common;
mod dashboard_support;
mod support;

use dashboard_support::*;
use tipline::privacy::ledger::VerifyOutcome;
use tipline::storage::officers::Role;

const OUTCOME: &[(&str, &str)] = &[
    ("contribution", "direct"),
    ("case_opened", "1"),
    ("detained", "2"),
    ("kind0", "methamphetamine"),
    ("qty0", "12,5"),
    ("unit0", "g"),
];

async fn audit_rows(s: &tipline::app::AppState) -> i64 {
    s.store.audit_count().await.unwrap()
}

#[tokio::test]
async fn a_pc04_75_supervisor_oversees_dong_nai_read_only_and_acts_only_on_its_own_unit() {
    for db in common::all_dbs().await {
        let run = start(&db).await;
        let s = &run.state;
        add_officer(s, "PC04-75", "giamsat75", Role::Supervisor).await;
        add_officer(s, "PC04-1", "bocongan", Role::National).await;
        // Dealing in Biên Hòa goes to the ward police; trafficking to PC04-75.
        let ward = submit_tip(
            s,
            "r1",
            "dealing",
            26068,
            "Bán ma túy ở bãi xe chợ Biên Hòa.",
        )
        .await;
        let own = submit_tip(
            s,
            "r2",
            "trafficking",
            26068,
            "Xe tải chở hàng cấm qua cầu Đồng Nai.",
        )
        .await;
        let da_nang = submit_tip(s, "r3", "dealing", 20195, "Giao hàng lạ ở phường Hải Vân.").await;
        let da_nang_pc04 =
            submit_tip(s, "r4", "trafficking", 20195, "Kho hàng lạ ở cảng Tiên Sa.").await;

        let sup = login(&run, "giamsat75").await;
        let before = audit_rows(s).await;
        let (code, html) = sup.get_text(&format!("/tips/{}", ward.id)).await;
        assert_eq!(code, 200, "{}: a ward tip of Đồng Nai is visible", db.label);
        assert!(html.contains(&ward.reference));
        assert_eq!(
            audit_rows(s).await,
            before + 1,
            "the oversight read is audited"
        );
        for t in [&da_nang, &da_nang_pc04] {
            let (code, _) = sup.get_text(&format!("/tips/{}", t.id)).await;
            assert_eq!(
                code, 404,
                "{}: Đà Nẵng's tip {} is not found",
                db.label, t.reference
            );
        }
        let before = audit_rows(s).await;
        let (_, queue) = sup.get_text("/queue?status=any").await;
        assert_eq!(
            audit_rows(s).await,
            before + 1,
            "the oversight queue read is audited"
        );
        // The unit's own tips are on the first tab; the wards' tips, read-only,
        // on the "informed" tab with the tips the unit was told of.
        let (_, overseen) = sup.get_text("/queue?status=any&own=informed").await;
        assert!(queue.contains(&own.reference), "own tab");
        assert!(overseen.contains(&ward.reference), "informed tab");
        for page in [&queue, &overseen] {
            assert!(!page.contains(&da_nang.reference) && !page.contains(&da_nang_pc04.reference));
        }

        // Read-only on the ward's tip: every action is refused and changes nothing.
        let ledger = s.store.ledger_len().await.unwrap();
        for (path, fields) in [
            ("claim", vec![]),
            ("status", vec![("status", "closed"), ("resolution", "spam")]),
            ("note", vec![("body", "ghi chú")]),
            ("outcome", OUTCOME.to_vec()),
        ] {
            let (code, _) = sup
                .post(&format!("/tips/{}/{path}", ward.id), &fields)
                .await;
            assert_eq!(code, 403, "{}: {path} on a ward's tip", db.label);
            let (code, _) = sup
                .post(&format!("/tips/{}/{path}", da_nang.id), &fields)
                .await;
            assert_eq!(code, 404, "{}: {path} on Đà Nẵng's tip", db.label);
        }
        assert_eq!(
            s.store.ledger_len().await.unwrap(),
            ledger,
            "refusals leave the ledger alone"
        );

        // Its own unit's tip: it acts like a lead, outcome included.
        let (code, _) = sup.post(&format!("/tips/{}/claim", own.id), &[]).await;
        assert_eq!(code, 200);
        let close = [("status", "closed"), ("resolution", "actioned")];
        sup.post(&format!("/tips/{}/status", own.id), &close).await;
        let (code, html) = sup
            .post(&format!("/tips/{}/outcome", own.id), OUTCOME)
            .await;
        assert_eq!(code, 200, "{}", db.label);
        assert!(
            html.contains("12.5") && html.contains("2 người bị bắt giữ"),
            "the outcome is shown on the tip"
        );

        // Statistics and reports of another province: 404.
        for path in [
            "/stats?province=48",
            "/stats?unit=CA-20195",
            "/reports/view?from=2026-01-01&to=2026-01-31&province=48",
        ] {
            assert_eq!(sup.get(path).await.status(), 404, "{}: {path}", db.label);
        }
        assert_eq!(sup.get("/stats?unit=CA-26068").await.status(), 200);

        // The national role reads Đà Nẵng too, and cannot touch anything.
        let nat = login(&run, "bocongan").await;
        let before = audit_rows(s).await;
        assert_eq!(
            nat.get(&format!("/tips/{}", da_nang.id)).await.status(),
            200
        );
        assert_eq!(audit_rows(s).await, before + 1);
        let (code, _) = nat
            .post(&format!("/tips/{}/claim", da_nang_pc04.id), &[])
            .await;
        assert_eq!(code, 403);
        assert!(matches!(
            s.store.verify_ledger().await.unwrap(),
            VerifyOutcome::Intact { .. }
        ));
        run.stop().await;
    }
}

#[tokio::test]
async fn an_outcome_is_for_leads_ledgered_replayed_and_never_shown_to_the_reporter() {
    for db in common::all_dbs().await {
        let run = start(&db).await;
        let s = &run.state;
        add_officer(s, "CA-26068", "canbo", Role::Officer).await;
        add_officer(s, "CA-26068", "truongdon", Role::Lead).await;
        let tip = submit_tip(
            s,
            "reporter-o",
            "dealing",
            26068,
            "Điểm bán ma túy sau trường học.",
        )
        .await;
        let officer = login(&run, "canbo").await;
        let lead = login(&run, "truongdon").await;
        // Not yet actioned: the lead is told why, nothing is written.
        let (_, html) = lead
            .post(&format!("/tips/{}/outcome", tip.id), OUTCOME)
            .await;
        assert!(
            html.contains("Chỉ ghi kết quả cho tin báo đã đóng"),
            "{}",
            db.label
        );
        officer
            .post(
                &format!("/tips/{}/status", tip.id),
                &[("status", "closed"), ("resolution", "actioned")],
            )
            .await;
        let (code, _) = officer
            .post(&format!("/tips/{}/outcome", tip.id), OUTCOME)
            .await;
        assert_eq!(code, 403, "{}: officers do not record outcomes", db.label);
        let bad = [("contribution", "direct"), ("detained", "-3")];
        let (_, html) = lead.post(&format!("/tips/{}/outcome", tip.id), &bad).await;
        assert!(
            html.contains("từ 0 đến 1.000"),
            "a bad number gets a clear message"
        );
        let (code, html) = lead
            .post(&format!("/tips/{}/outcome", tip.id), OUTCOME)
            .await;
        assert_eq!(code, 200);
        assert!(html.contains("đã khởi tố vụ án"), "{}", db.label);

        // The reporter's status view shows the status, and nothing of the outcome.
        chat(s, "reporter-o", "/status").await;
        let status = chat(s, "reporter-o", &tip.receipt).await;
        assert!(
            !status.contains("12.5") && !status.contains("bắt giữ") && !status.contains("khởi tố"),
            "{status}"
        );

        assert!(
            matches!(
                s.store.verify_ledger().await.unwrap(),
                VerifyOutcome::Intact { .. }
            ),
            "{}",
            db.label
        );
        // Changing the outcome behind the ledger's back is caught by the replay.
        sqlx::any::install_default_drivers();
        let pool = sqlx::AnyPool::connect(&db.url).await.unwrap();
        sqlx::query("UPDATE tips SET outcome = REPLACE(outcome, '\"detained\":2', '\"detained\":9') WHERE id = $1")
            .bind(tip.id)
            .execute(&pool)
            .await
            .unwrap();
        pool.close().await;
        match s.store.verify_ledger().await.unwrap() {
            VerifyOutcome::Broken { problem, .. } => {
                assert!(problem.contains("outcome"), "{problem}")
            }
            other => panic!("{}: tampering went unnoticed: {other:?}", db.label),
        }
        run.stop().await;
    }
}
