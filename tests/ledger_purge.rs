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

/// Tips still in the database.
async fn tips_left(db: &common::TestDb) -> i64 {
    let pool = pool(db).await;
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM tips")
        .fetch_one(&pool)
        .await
        .unwrap();
    pool.close().await;
    n
}

/// A purge killed with SIGKILL leaves each tip either whole with no purge
/// entry, or gone with its purge entry: verify passes after every kill, and
/// reruns finish the job. Kills come later each round (one tip per
/// transaction), so some land half-way through; the test requires that.
#[tokio::test]
async fn a_purge_killed_half_way_still_verifies_and_a_rerun_finishes_it() {
    const TIPS: i64 = 30;
    for db in all_dbs().await {
        let app = db.app().await;
        let lan = officer(&app, "lan").await;
        let long_ago = tipline::bot::now_ms() - 400 * DAY_MS;
        for i in 0..TIPS {
            let (id, _) = submit(&app, &format!("k{i}")).await;
            close(&app, &lan, id, long_ago).await;
        }
        assert_verifies(&db, &[]);
        let (mut delay_ms, mut half_way_kills) = (100u64, 0);
        loop {
            let before = tips_left(&db).await;
            if before == 0 {
                break;
            }
            assert!(delay_ms < 30_000, "{}: the purge never finished", db.label);
            let mut child = tipline_cmd(&db)
                .env("TIPLINE_PURGE_BATCH", "1")
                .arg("purge")
                .stdout(std::process::Stdio::null())
                .spawn()
                .expect("start tipline purge");
            tokio::time::sleep(std::time::Duration::from_millis(delay_ms)).await;
            child.kill().expect("SIGKILL"); // std sends SIGKILL on Unix
            let killed = child.wait().unwrap().code().is_none();
            let after = tips_left(&db).await;
            if killed && 0 < after && after < before {
                half_way_kills += 1;
            }
            assert_verifies(&db, &[]);
            delay_ms += 50;
        }
        assert!(
            half_way_kills >= 1,
            "{}: no kill landed half-way through a purge",
            db.label
        );
    }
}
