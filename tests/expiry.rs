//! Data is kept only as long as needed: idle chat sessions (and drafts) and
//! photos of never-sent drafts are purged by the daily job.
mod common;

use common::all_dbs;
use common::chat::Chatter;
use tipline::storage::tips::NewAttachment;

#[tokio::test]
async fn idle_chat_sessions_and_orphan_photos_are_purged_and_fresh_ones_kept() {
    for db in all_dbs().await {
        let app = db.app().await;
        Chatter::new(&app, "idle").say_all(&["/report", "1"]).await;
        let now = tipline::bot::now_ms();
        app.store
            .store_attachment(
                NewAttachment {
                    id: "orphan-1",
                    sha256: "00",
                    content_type: "image/jpeg",
                    bytes: b"jpeg",
                },
                now,
            )
            .await
            .unwrap();
        let ttl_ms = app.config.session_ttl_days * 86_400_000;
        // Nothing is old enough yet.
        let r = tipline::workers::retention::run_once(&app, now)
            .await
            .unwrap();
        assert_eq!(
            (r.chat_sessions, r.orphan_attachments),
            (0, 0),
            "{}",
            db.label
        );
        // A day past the TTL: the idle session with its draft and the orphan photo go.
        let later = now + ttl_ms + 86_400_000;
        let r = tipline::workers::retention::run_once(&app, later)
            .await
            .unwrap();
        assert_eq!(
            (r.chat_sessions, r.orphan_attachments),
            (1, 1),
            "{}",
            db.label
        );
        let out = Chatter::new(&app, "idle").say("/report").await;
        assert!(
            !out.contains("report in progress"),
            "the draft is gone: {out}"
        );
    }
}
