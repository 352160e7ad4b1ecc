//! What a database insider does to make a tip vanish or change, and how
//! `tipline ledger verify` (the real binary) catches each, on SQLite and
//! PostgreSQL. Every case starts from a verifying ledger.
mod common;
mod ledger_support;

use common::all_dbs;
use ledger_support::*;
use sqlx::Row;
use tipline::privacy::ledger::{
    EntryKind, EventFacts, PurgeFacts, RemovedEntry, canonical, chain_hash, content_hash,
    text_digest,
};
use tipline::storage::tip_actions::TipAction;

const MINUTE: i64 = 60_000;

#[tokio::test]
async fn a_deleted_open_tip_with_a_purge_record_added_is_caught() {
    for db in all_dbs().await {
        let app = db.app().await;
        let (tip_id, reference) = submit(&app, "a").await;
        submit(&app, "b").await;
        assert_verifies(&db, &[]);
        let pool = pool(&db).await;
        // Crude: delete the tip and leave a purge record behind.
        exec(
            &pool,
            &format!("DELETE FROM tip_events WHERE tip_id = {tip_id}"),
        )
        .await;
        exec(&pool, &format!("DELETE FROM tips WHERE id = {tip_id}")).await;
        exec(&pool, &format!("INSERT INTO purged_tips (tip_id, reference, purged_at) VALUES ({tip_id}, '{reference}', 1)")).await;
        assert_broken(
            &db,
            &[],
            &["entry #1", "tip id", "no sound purge covers it"],
        );
        // Careful: a purge entry chained onto the end, listing the tip's real
        // entries and events, as the retention job would write it.
        let entries =
            sqlx::query("SELECT seq, content_hash FROM ledger WHERE tip_id = $1 ORDER BY seq")
                .bind(tip_id)
                .fetch_all(&pool)
                .await
                .unwrap();
        let facts = PurgeFacts {
            tip_id,
            reference: reference.clone(),
            purged_at: 1_000,
            retention_days: 365,
            removed: entries
                .iter()
                .map(|r| RemovedEntry {
                    seq: r.get("seq"),
                    content_hash: r.get("content_hash"),
                })
                .collect(),
            events: vec![],
        };
        exec(&pool, "DELETE FROM purged_tips").await;
        append_forged(&pool, &facts).await;
        assert_broken(&db, &[], &["purge of tip id", "not closed"]);
        // Claiming a closing event that never happened does not hash.
        let mut claimed = facts.clone();
        claimed.events.push(EventFacts {
            event_id: 999,
            tip_reference: reference.clone(),
            kind: "status".into(),
            actor: "officer:x".into(),
            value: "closed:spam".into(),
            body_sha256: text_digest(""),
            created_at: 0,
        });
        exec(&pool, "DELETE FROM ledger WHERE kind = 'purge'").await;
        exec(&pool, "DELETE FROM purged_tips").await;
        rechain(&pool).await;
        append_forged(&pool, &claimed).await;
        assert_broken(&db, &[], &["purge of tip id", "skeletons do not hash"]);
    }
}

/// Writes a purge record and its entry at the end of the chain.
async fn append_forged(pool: &sqlx::AnyPool, facts: &PurgeFacts) {
    sqlx::query(
        "INSERT INTO purged_tips (tip_id, reference, purged_at, facts) VALUES ($1, $2, $3, $4)",
    )
    .bind(facts.tip_id)
    .bind(&facts.reference)
    .bind(facts.purged_at)
    .bind(serde_json::to_string(facts).unwrap())
    .execute(pool)
    .await
    .unwrap();
    let head = sqlx::query("SELECT seq, hash FROM ledger_head")
        .fetch_one(pool)
        .await
        .unwrap();
    let seq = head.get::<i64, _>("seq") + 1;
    let content = content_hash(&canonical(EntryKind::Purge, facts));
    let hash = chain_hash(head.get("hash"), seq, &content);
    sqlx::query("INSERT INTO ledger (seq, kind, subject_id, subject_key, tip_id, content_hash, hash, created_at) VALUES ($1, 'purge', $2, '', $2, $3, $4, $5)")
        .bind(seq)
        .bind(facts.tip_id)
        .bind(&content)
        .bind(&hash)
        .bind(facts.purged_at)
        .execute(pool)
        .await
        .unwrap();
    sqlx::query("UPDATE ledger_head SET seq = $1, hash = $2")
        .bind(seq)
        .bind(&hash)
        .execute(pool)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_fabricated_officer_reply_is_caught() {
    for db in all_dbs().await {
        let app = db.app().await;
        let (tip_id, reference) = submit(&app, "a").await;
        assert_verifies(&db, &[]);
        let pool = pool(&db).await;
        exec(&pool, &format!("INSERT INTO tip_events (tip_id, kind, actor, value, body, created_at) VALUES ({tip_id}, 'reply', 'officer:lan', '', 'Case closed, stop writing.', 5)")).await;
        assert_broken(
            &db,
            &[],
            &["ledger BROKEN (event", &reference, "has no ledger entry"],
        );
    }
}

#[tokio::test]
async fn a_rewritten_description_with_the_chain_recomputed_is_caught_by_an_earlier_checkpoint() {
    for db in all_dbs().await {
        let app = db.app().await;
        let (tip_id, _) = submit(&app, "a").await;
        submit(&app, "b").await;
        let kept = db.dir.path().join("unit-copy.txt");
        let line = checkpoint_to(&db, &kept);
        assert!(line.starts_with("tipline-checkpoint v1 seq=2 "), "{line}");
        assert_verifies(&db, &[&kept]);
        let pool = pool(&db).await;
        let rewritten = sealed_description(&db, "Nothing happened here, a misunderstanding.");
        exec(
            &pool,
            &format!("UPDATE tips SET description = '{rewritten}' WHERE id = {tip_id}"),
        )
        .await;
        rehash_tip(&db, &pool, tip_id).await;
        rechain(&pool).await;
        // The rewrite is complete: without an outside copy nothing shows.
        assert_verifies(&db, &[]);
        let name = format!("{}:1", kept.display());
        assert_broken(
            &db,
            &[&kept],
            &[
                "ledger BROKEN at entry #1",
                "entries #1..#2",
                &name,
                "rewritten",
            ],
        );
    }
}

#[tokio::test]
async fn removing_the_newest_tips_and_moving_the_head_back_is_caught_by_a_checkpoint() {
    for db in all_dbs().await {
        let app = db.app().await;
        submit(&app, "a").await;
        let (second, _) = submit(&app, "b").await;
        let (third, _) = submit(&app, "c").await;
        let kept = db.dir.path().join("group-message.txt");
        checkpoint_to(&db, &kept);
        assert_verifies(&db, &[&kept]);
        let pool = pool(&db).await;
        for id in [second, third] {
            exec(
                &pool,
                &format!("DELETE FROM tip_events WHERE tip_id = {id}"),
            )
            .await;
            exec(&pool, &format!("DELETE FROM tips WHERE id = {id}")).await;
        }
        exec(&pool, "DELETE FROM ledger WHERE seq > 1").await;
        exec(
            &pool,
            "UPDATE ledger_head SET seq = 1, hash = (SELECT hash FROM ledger WHERE seq = 1)",
        )
        .await;
        assert_verifies(&db, &[]);
        assert_broken(
            &db,
            &[&kept],
            &[
                "ledger BROKEN at entry #2",
                "chain ends at #1",
                "vouches for #3",
                "truncation",
            ],
        );
    }
}

#[tokio::test]
async fn closed_time_assignee_or_labels_changed_directly_are_caught() {
    for db in all_dbs().await {
        let app = db.app().await;
        let (tip_id, reference) = submit(&app, "a").await;
        let lan = officer(&app, "lan").await;
        officer(&app, "minh").await;
        act(&app, &lan, tip_id, TipAction::Claim, 10 * MINUTE).await;
        act(
            &app,
            &lan,
            tip_id,
            TipAction::SetLabels(vec!["car".into(), "market".into()]),
            11 * MINUTE,
        )
        .await;
        close(&app, &lan, tip_id, 12 * MINUTE).await;
        assert_verifies(&db, &[]);
        let pool = pool(&db).await;
        let minh = "(SELECT id FROM officers WHERE username = 'minh')";
        let lan_id = "(SELECT id FROM officers WHERE username = 'lan')";
        for (tamper, column, restore) in [
            (
                "closed_at = 999999",
                "its closed_at differs",
                "closed_at = 720000",
            ),
            (
                &*format!("assignee_id = {minh}"),
                "its assignee differs",
                &*format!("assignee_id = {lan_id}"),
            ),
            (
                "labels = 'car'",
                "its labels differs",
                "labels = 'car,market'",
            ),
        ] {
            exec(
                &pool,
                &format!("UPDATE tips SET {tamper} WHERE id = {tip_id}"),
            )
            .await;
            assert_broken(&db, &[], &["ledger BROKEN at entry #1", &reference, column]);
            exec(
                &pool,
                &format!("UPDATE tips SET {restore} WHERE id = {tip_id}"),
            )
            .await;
            assert_verifies(&db, &[]);
        }
    }
}

#[tokio::test]
async fn a_deleted_audit_row_of_a_tip_view_is_caught() {
    for db in all_dbs().await {
        let app = db.app().await;
        let (tip_id, reference) = submit(&app, "a").await;
        let lan = officer(&app, "lan").await;
        audit_view(&app, &lan, tip_id, &reference).await;
        audit_view(&app, &lan, tip_id, &reference).await;
        assert_verifies(&db, &[]);
        let pool = pool(&db).await;
        exec(
            &pool,
            "DELETE FROM audit_log WHERE id = (SELECT MIN(id) FROM audit_log)",
        )
        .await;
        assert_broken(
            &db,
            &[],
            &["ledger BROKEN at entry #2", "audit id", "row is missing"],
        );
    }
}
