//! `tipline keys rotate` (issue 13): killed half-way, the database holds
//! values under both keys and still opens (the old key stays in the file
//! until the end); run again, it finishes with the same new key, every tip
//! reads back, `ledger verify` passes, and nothing is left under the old key.
mod common;
mod ledger_support;

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use common::scripted::{FOLLOW_UP_PHRASE, Outcome, REPLY_PHRASE, Script, TIP_PHRASE};
use common::{TestDb, all_dbs};
use ledger_support::{assert_verifies, tipline, tipline_cmd};
use sqlx::Row;
use tipline::domain::receipt::Receipt;

/// Key ids in the data key file, oldest first.
fn key_ids(db: &TestDb) -> Vec<String> {
    let text = std::fs::read_to_string(db.data_dir().join("data.key")).unwrap();
    text.lines()
        .filter(|l| l.starts_with("key "))
        .map(|l| l.split(' ').nth(1).unwrap().to_string())
        .collect()
}

/// Every sealed TEXT value of the database, as stored.
async fn sealed_values(db: &TestDb) -> Vec<String> {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&db.url).await.unwrap();
    let mut out = Vec::new();
    for sql in [
        "SELECT description FROM tips",
        "SELECT location FROM tips WHERE location IS NOT NULL",
        "SELECT body FROM tip_events",
        "SELECT state FROM sessions",
        "SELECT address FROM subscriptions",
    ] {
        for r in sqlx::query(sql).fetch_all(&pool).await.unwrap() {
            out.push(r.get::<String, _>(0));
        }
    }
    pool.close().await;
    out
}

fn under(values: &[String], key_id: &str) -> usize {
    let prefix = format!("ts1.{key_id}.");
    values.iter().filter(|v| v.starts_with(&prefix)).count()
}

/// Tips, a follow-up, a reply and sessions to re-seal; the app is closed
/// after, as rotation requires.
async fn fill(db: &TestDb) -> Outcome {
    let app = db.app().await;
    let script = Script::new(&app);
    let mut outcome = script.run_all().await;
    for i in 0..12 {
        script.tip(&format!("reporter-{i}"), &mut outcome).await;
    }
    app.store.close().await;
    outcome
}

/// Every tip reads back through a fresh start, with the reply and follow-up.
async fn assert_all_readable(db: &TestDb, outcome: &Outcome) {
    let app = db.app().await;
    let queue = app.store.queue("CA-26068", 100).await.unwrap();
    assert_eq!(queue.len(), outcome.references.len(), "{}", db.label);
    for t in &queue {
        assert!(t.description.contains(TIP_PHRASE), "{}: {t:?}", db.label);
        assert!(t.latitude.is_some(), "{}: GPS of {}", db.label, t.reference);
    }
    let first = Receipt::parse(&outcome.receipts[0]).unwrap();
    let view = app.store.tip_by_receipt(&first.hash()).await.unwrap();
    let view = view.expect("tip by receipt");
    assert!(view.messages.iter().any(|m| m.body.contains(REPLY_PHRASE)));
    let third = Receipt::parse(&outcome.receipts[2]).unwrap();
    let view = app.store.tip_by_receipt(&third.hash()).await.unwrap();
    let followed = view.expect("tip by receipt");
    assert!(
        followed
            .messages
            .iter()
            .any(|m| m.body.contains(FOLLOW_UP_PHRASE))
    );
    app.store.close().await;
}

#[tokio::test]
async fn rotation_killed_half_way_and_run_again_loses_nothing() {
    for db in all_dbs().await {
        let outcome = fill(&db).await;
        let old = key_ids(&db);
        assert_eq!(old.len(), 1, "{}", db.label);

        // One row per transaction, killed right after the first batch.
        let mut child = tipline_cmd(&db)
            .args(["keys", "rotate", "--batch", "1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut seen = Vec::new();
        for line in lines.by_ref() {
            let line = line.unwrap();
            seen.push(line.clone());
            if line.contains("re-sealed") {
                break;
            }
        }
        child.kill().unwrap();
        child.wait().unwrap();
        let both = key_ids(&db);
        assert_eq!(both.len(), 2, "{}: killed mid-way: {seen:?}", db.label);
        assert_eq!(both[0], old[0]);
        let values = sealed_values(&db).await;
        assert!(
            under(&values, &both[0]) > 0,
            "{}: some rows still old",
            db.label
        );
        assert!(under(&values, &both[1]) > 0, "{}: some rows new", db.label);
        // Half-way, both keys are in the file: everything still opens.
        assert_all_readable(&db, &outcome).await;

        let out = tipline(&db, &["keys", "rotate", "--batch", "1"]);
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{}: {text}{err}", db.label);
        assert!(
            text.contains("did not finish") && text.contains("Done"),
            "{text}"
        );
        assert_eq!(key_ids(&db), vec![both[1].clone()], "{}", db.label);
        let values = sealed_values(&db).await;
        assert_eq!(under(&values, &both[1]), values.len(), "{}", db.label);

        assert_verifies(&db, &[]);
        assert_all_readable(&db, &outcome).await;
    }
}

#[tokio::test]
async fn rotation_refuses_to_run_beside_a_server_using_the_key() {
    let db = TestDb::sqlite();
    let app = db.app().await;
    let out = tipline(&db, &["keys", "rotate"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(err.contains("stop it") && err.contains("data.key"), "{err}");
    assert_eq!(key_ids(&db).len(), 1, "nothing changed");
    app.store.close().await;
    drop(app);
    let out = tipline(&db, &["keys", "rotate"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
