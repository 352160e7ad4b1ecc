//! The real retention job purges a closed tip and the ledger still verifies,
//! against the checkpoint it published too (SQLite and PostgreSQL).
mod common;
mod ledger_support;

use common::all_dbs;
use ledger_support::*;

#[tokio::test]
async fn a_closed_tip_purged_by_the_retention_job_still_verifies() {
    for db in all_dbs().await {
        let app = db.app().await;
        let (old, _) = submit(&app, "a").await;
        let (open, _) = submit(&app, "b").await;
        let lan = officer(&app, "lan").await;
        let long_ago = tipline::bot::now_ms() - 400 * DAY_MS;
        close(&app, &lan, old, long_ago).await;
        assert_verifies(&db, &[]);
        let out = tipline(&db, &["purge"]);
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        assert!(
            out.status.success() && text.contains("purged 1 closed tips"),
            "{}: {text}",
            db.label
        );
        assert!(
            app.store
                .queue("CA-26068", 10)
                .await
                .unwrap()
                .iter()
                .all(|t| t.id != old)
        );
        assert!(
            app.store
                .queue("CA-26068", 10)
                .await
                .unwrap()
                .iter()
                .any(|t| t.id == open)
        );
        let published = db.data_dir().join("checkpoints.txt");
        assert_verifies(&db, &[&published]);
    }
}
