//! Campaign pages in the dashboard: admins compose from a preset, preview
//! for Telegram and Zalo, create, follow progress and pause/resume/cancel;
//! other roles get 403; forms without the CSRF token are refused.
mod common;
mod dashboard_support;
mod support;

use common::broadcast::subscribe_many;
use dashboard_support::*;
use tipline::domain::channel::Channel;
use tipline::storage::campaigns::CampaignState;
use tipline::storage::officers::Role;

#[tokio::test]
async fn an_admin_composes_previews_and_controls_a_campaign() {
    for db in common::all_dbs().await {
        let run = start(&db).await;
        let s = &run.state;
        add_officer(s, "CA-26068", "admin", Role::Admin).await;
        add_officer(s, "CA-26068", "lead", Role::Lead).await;
        subscribe_many(s, Channel::Telegram, 1, 3).await;
        let admin = login(&run, "admin").await;
        let lead = login(&run, "lead").await;

        // Only admins see campaigns.
        for path in ["/campaigns", "/campaigns/new"] {
            assert_eq!(lead.get_text(path).await.0, 403, "[{}] {path}", db.label);
        }
        let (code, _) = lead
            .post(
                "/campaigns/compose",
                &[
                    ("title", "x"),
                    ("text_vi", "a"),
                    ("text_en", "b"),
                    ("do", "create"),
                ],
            )
            .await;
        assert_eq!(code, 403);

        // A preset fills the form; the preview shows both platforms and languages.
        let (code, form) = admin.get_text("/campaigns/new?preset=26-6").await;
        assert_eq!(code, 200);
        assert!(
            form.contains("93/2001/QĐ-TTg"),
            "[{}] preset text missing",
            db.label
        );
        let fields = [
            ("title", "26/6 test"),
            ("schedule", "now"),
            ("target", "all"),
            ("text_vi", "Ngày 26/6: gõ /report để báo tin ẩn danh."),
            ("text_en", "26 June: type /report to report anonymously."),
        ];
        let mut preview = fields.to_vec();
        preview.push(("do", "preview"));
        let (code, page) = admin.post("/campaigns/compose", &preview).await;
        assert_eq!(code, 200);
        for needle in [
            "Telegram · Tiếng Việt",
            "Zalo · English",
            "/4096 ký tự theo cách đếm của Telegram",
            "/2000 ký tự",
            "/unsubscribe",
        ] {
            assert!(
                page.contains(needle),
                "[{}] preview lacks {needle:?}",
                db.label
            );
        }
        assert!(
            s.store.campaigns(10).await.unwrap().is_empty(),
            "a preview saves nothing"
        );

        // Too long for Zalo: refused with a clear message, nothing saved.
        let long = "a".repeat(2100);
        let mut bad = fields.to_vec();
        bad[3] = ("text_vi", long.as_str());
        bad.push(("do", "create"));
        let (code, page) = admin.post("/campaigns/compose", &bad).await;
        assert_eq!(code, 200);
        assert!(
            page.contains("2000"),
            "[{}] no length error shown",
            db.label
        );
        assert!(s.store.campaigns(10).await.unwrap().is_empty());

        // Create: first a confirmation with the audience size, nothing saved;
        // then confirm, and follow and control it.
        let mut create = fields.to_vec();
        create.push(("do", "create"));
        let (code, page) = admin.post("/campaigns/compose", &create).await;
        assert_eq!(code, 200);
        assert!(
            page.contains("Chiến dịch sẽ gửi tới 3 người đăng ký"),
            "[{}] no audience size before sending",
            db.label
        );
        assert!(s.store.campaigns(10).await.unwrap().is_empty());
        let mut confirm = fields.to_vec();
        confirm.push(("do", "confirm"));
        let (code, page) = admin.post("/campaigns/compose", &confirm).await;
        assert_eq!(code, 200);
        let id = s.store.campaigns(10).await.unwrap()[0].id;
        assert!(
            page.contains("<progress"),
            "[{}] detail page has no progress bar",
            db.label
        );
        let (_, list) = admin.get_text("/campaigns").await;
        assert!(list.contains("26/6 test"));
        let (code, _) = admin.post(&format!("/campaigns/{id}/pause"), &[]).await;
        assert_eq!(code, 200);
        assert_eq!(
            s.store.campaign(id).await.unwrap().unwrap().state,
            CampaignState::Paused
        );
        admin.post(&format!("/campaigns/{id}/resume"), &[]).await;
        assert_eq!(
            s.store.campaign(id).await.unwrap().unwrap().state,
            CampaignState::Scheduled
        );
        admin.post(&format!("/campaigns/{id}/cancel"), &[]).await;
        assert_eq!(
            s.store.campaign(id).await.unwrap().unwrap().state,
            CampaignState::Cancelled
        );
        // Resuming a cancelled campaign does nothing.
        admin.post(&format!("/campaigns/{id}/resume"), &[]).await;
        assert_eq!(
            s.store.campaign(id).await.unwrap().unwrap().state,
            CampaignState::Cancelled
        );

        // A form without the session's CSRF token is refused.
        let r = admin
            .client
            .post(run.url(&format!("/campaigns/{id}/pause")))
            .form(&[("csrf", "forged")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403);
        run.stop().await;
    }
}
