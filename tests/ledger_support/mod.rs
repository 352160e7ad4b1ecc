//! Shared by the ledger tests: a database with tips, officer actions and
//! audit rows made through the real code, the `tipline` binary pointed at it,
//! and what an insider with write access does (rehash rows, rechain).
#![allow(dead_code)]
use std::path::Path;
use std::process::{Command, Output};

use sqlx::{AnyPool, Row};
use tipline::app::AppState;
use tipline::domain::tip::{Resolution, Status};
use tipline::privacy::ledger::{EntryKind, GENESIS, TipFacts, canonical, chain_hash, content_hash};
use tipline::storage::dashboard::{NewAudit, Scope};
use tipline::storage::officers::{NewOfficer, Officer, Role};
use tipline::storage::sealed;
use tipline::storage::tip_actions::TipAction;

use crate::common::TestDb;
use crate::common::chat::{Chatter, DESCRIPTION, receipt_in};

pub const DAY_MS: i64 = 86_400_000;

/// `tipline --data-dir <db dir> --database-url <db> args...`
pub fn tipline(db: &TestDb, args: &[&str]) -> Output {
    tipline_cmd(db).args(args).output().expect("run tipline")
}

pub fn tipline_cmd(db: &TestDb) -> Command {
    let mut c = crate::common::env::tipline();
    c.arg("--data-dir")
        .arg(db.data_dir())
        .arg("--database-url")
        .arg(&db.url)
        .arg("--config")
        .arg(empty_config(db.dir.path()))
        .env(
            "TIPLINE_CONTENT_DIR",
            concat!(env!("CARGO_MANIFEST_DIR"), "/locales"),
        )
        .env("RUST_LOG", "warn");
    c
}

fn empty_config(dir: &Path) -> std::path::PathBuf {
    let p = dir.join("empty.toml");
    if !p.exists() {
        std::fs::write(&p, "").unwrap();
    }
    p
}

/// `ledger verify` with optional checkpoint files: (success, stdout + stderr).
pub fn verify(db: &TestDb, checkpoint_files: &[&Path]) -> (bool, String) {
    let mut args = vec!["ledger".to_string(), "verify".to_string()];
    if !checkpoint_files.is_empty() {
        args.push("--checkpoints".into());
        args.extend(checkpoint_files.iter().map(|p| p.display().to_string()));
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = tipline(db, &args);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

pub fn assert_verifies(db: &TestDb, checkpoint_files: &[&Path]) {
    let (ok, text) = verify(db, checkpoint_files);
    assert!(
        ok && text.contains("ledger OK"),
        "{}: verify should pass: {text}",
        db.label
    );
}

/// Verify fails and its message contains every one of `needles`.
pub fn assert_broken(db: &TestDb, checkpoint_files: &[&Path], needles: &[&str]) -> String {
    let (ok, text) = verify(db, checkpoint_files);
    assert!(!ok, "{}: tampering not detected: {text}", db.label);
    for n in needles {
        assert!(text.contains(n), "{}: expected {n:?} in: {text}", db.label);
    }
    text
}

pub async fn submit(app: &std::sync::Arc<AppState>, user: &str) -> (i64, String) {
    let c = Chatter::new(app, user);
    let out = c
        .say_all(&["/report", "1", "bien hoa", "1", "1", DESCRIPTION, "1"])
        .await;
    receipt_in(&out).expect("receipt");
    let newest = app.store.queue("CA-26068", 1).await.unwrap().remove(0);
    (newest.id, newest.reference)
}

pub async fn officer(app: &AppState, username: &str) -> Officer {
    app.store
        .create_officer(
            NewOfficer {
                unit: "CA-26068",
                username,
                role: Role::Officer,
                password_hash: "x",
            },
            1,
        )
        .await
        .unwrap();
    app.store
        .officer_by_username(username)
        .await
        .unwrap()
        .unwrap()
}

pub async fn act(app: &AppState, who: &Officer, tip_id: i64, action: TipAction, at: i64) {
    app.store
        .apply_tip_action(&Scope::All, who, tip_id, &action, at)
        .await
        .unwrap();
}

pub async fn close(app: &AppState, who: &Officer, tip_id: i64, at: i64) {
    let action = TipAction::SetStatus {
        status: Status::Closed,
        resolution: Some(Resolution::Actioned),
        duplicate_of: None,
    };
    act(app, who, tip_id, action, at).await;
}

/// A detail view's audit row, as the dashboard writes it.
pub async fn audit_view(app: &AppState, who: &Officer, tip_id: i64, reference: &str) {
    let entry = NewAudit {
        officer_id: who.id,
        username: &who.username,
        unit: "CA-26068",
        tip_id: Some(tip_id),
        tip_reference: Some(reference),
        action: "view",
        detail: "",
    };
    app.store
        .audit(&entry, tipline::bot::now_ms())
        .await
        .unwrap();
}

pub async fn pool(db: &TestDb) -> AnyPool {
    sqlx::any::install_default_drivers();
    AnyPool::connect(&db.url).await.unwrap()
}

pub async fn exec(pool: &AnyPool, sql: &str) {
    sqlx::query(sql).execute(pool).await.unwrap();
}

/// `ledger checkpoint` through the binary, saved to a file the unit keeps.
pub fn checkpoint_to(db: &TestDb, file: &Path) -> String {
    let out = tipline(db, &["ledger", "checkpoint"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line = String::from_utf8(out.stdout).unwrap();
    std::fs::write(file, &line).unwrap();
    line
}

/// The insider's script: the tip's content hash as verify computes it.
pub async fn rehash_tip(db: &TestDb, pool: &AnyPool, tip_id: i64) {
    let r = sqlx::query("SELECT reference, receipt_hash, category, province_code, ward_code, routed_unit, informed_unit, routing_reason, \
         reported_priority, when_seen, description, location, lang, channel, created_at FROM tips WHERE id = $1")
        .bind(tip_id)
        .fetch_one(pool)
        .await
        .unwrap();
    // The insider holds the data key file too, or could not have written
    // a description that opens.
    let keys = db.config().data_keys().unwrap();
    let description = keys
        .open_text(sealed::TIP_DESCRIPTION, r.get("description"))
        .unwrap();
    let point: Option<(f64, f64)> = r.get::<Option<String>, _>("location").map(|l| {
        let text = keys.open_text(sealed::TIP_LOCATION, &l).unwrap();
        let (a, b) = text.split_once(',').unwrap();
        (a.parse().unwrap(), b.parse().unwrap())
    });
    let facts = TipFacts {
        reference: r.get("reference"),
        receipt_hash: r.get("receipt_hash"),
        category: r.get("category"),
        province_code: r.get("province_code"),
        ward_code: r.get("ward_code"),
        routed_unit: r.get("routed_unit"),
        informed_unit: r.get("informed_unit"),
        routing_reason: r.get("routing_reason"),
        reported_priority: r.get("reported_priority"),
        when_seen: r.get("when_seen"),
        description: &description,
        latitude: point.map(|p| p.0),
        longitude: point.map(|p| p.1),
        lang: r.get("lang"),
        channel: r.get("channel"),
        created_at: r.get("created_at"),
        attachment_hashes: vec![],
    };
    let hash = content_hash(&canonical(EntryKind::Tip, &facts));
    sqlx::query("UPDATE ledger SET content_hash = $1 WHERE kind = 'tip' AND subject_id = $2")
        .bind(hash)
        .bind(tip_id)
        .execute(pool)
        .await
        .unwrap();
}

/// A description sealed with this database's data key, as an insider who
/// holds the key file would write it.
pub fn sealed_description(db: &TestDb, text: &str) -> String {
    let keys = db.config().data_keys().unwrap();
    keys.seal_text(sealed::TIP_DESCRIPTION, text)
}

/// The insider's script: recompute every link, the head and tips.ledger_hash.
pub async fn rechain(pool: &AnyPool) {
    let rows = sqlx::query("SELECT seq, kind, subject_id, content_hash FROM ledger ORDER BY seq")
        .fetch_all(pool)
        .await
        .unwrap();
    let mut prev = GENESIS.to_string();
    let mut last = 0i64;
    for r in &rows {
        let seq: i64 = r.get("seq");
        let hash = chain_hash(&prev, seq, r.get("content_hash"));
        sqlx::query("UPDATE ledger SET hash = $1 WHERE seq = $2")
            .bind(&hash)
            .bind(seq)
            .execute(pool)
            .await
            .unwrap();
        if r.get::<String, _>("kind") == "tip" {
            sqlx::query("UPDATE tips SET ledger_hash = $1 WHERE id = $2")
                .bind(&hash)
                .bind(r.get::<i64, _>("subject_id"))
                .execute(pool)
                .await
                .unwrap();
        }
        prev = hash;
        last = seq;
    }
    sqlx::query("UPDATE ledger_head SET seq = $1, hash = $2 WHERE id = 1")
        .bind(last)
        .bind(&prev)
        .execute(pool)
        .await
        .unwrap();
}
