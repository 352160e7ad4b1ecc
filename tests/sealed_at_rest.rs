//! Sealed at rest and disk hygiene (issue 13). After the scripted
//! conversations, no file in the data directory (and, on PostgreSQL, no line
//! of a `pg_dump`) holds what a reporter or an officer wrote, the GPS point,
//! a TOTP seed, a Zalo token or a chat id; the directory is 0700 and its
//! files 0600. Loose key files and a wrong data key stop startup with a
//! message naming the file. Key rotation is in tests/key_rotation.rs.
mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use common::scripted::{
    CANCELLED_PHRASE, DRAFT_PHRASE, FOLLOW_UP_PHRASE, GPS, REPLY_PHRASE, Script, TIP_PHRASE,
    UNSUBSCRIBED_CHAT,
};
use common::{TestDb, all_dbs};
use tipline::app::AppState;
use tipline::config::Config;
use tipline::conversation::Input;
use tipline::domain::channel::Channel;
use tipline::privacy::seal::DataKeys;
use tipline::storage::channels::ZaloTokens;

const TOTP_SEED: &str = "KRUGKIDTMVSWIZBANFZSA5DPOAQHGZLDOJSXI";
const ZALO_ACCESS: &str = "zalo-access-4c1f9e7a2b";
const ZALO_REFRESH: &str = "zalo-refresh-93d0b5e6aa";
const STILL_SUBSCRIBED: &str = "6120487395";

/// The test database with a data directory that does not exist yet, so
/// Tipline creates it (and the SQLite file in it).
fn fresh_config(db: &TestDb) -> (Config, PathBuf) {
    let dir = db.dir.path().join("fresh").join("data");
    let mut config = db.config();
    config.data_dir = dir.clone();
    config.data_key_file = dir.join("data.key");
    config.ledger_key_file = dir.join("ledger.key");
    config.checkpoint_file = dir.join("checkpoints.txt");
    if db.label == "sqlite" {
        config.database_url = format!("sqlite://{}", dir.join("tipline.db").display());
    }
    (config, dir)
}

/// Every scripted conversation, then a TOTP seed, a subscriber who stays
/// and a Zalo token pair: everything the issue says must be sealed.
async fn run_everything(app: &std::sync::Arc<AppState>) {
    let script = Script::new(app);
    script.run_all().await;
    let store = &app.store;
    let lan = store.officer_by_username("lan").await.unwrap().unwrap();
    let now = script.tick();
    store
        .set_officer_totp(lan.id, Some(TOTP_SEED), true, now)
        .await
        .unwrap();
    let subscribe = Input::Text("/subscribe".into());
    let out = script
        .send(Channel::Telegram, STILL_SUBSCRIBED, subscribe, false)
        .await;
    assert!(!out.is_empty());
    let tokens = ZaloTokens {
        access_token: ZALO_ACCESS.into(),
        refresh_token: ZALO_REFRESH.into(),
        expires_at: now + 3_600_000,
        seed_fingerprint: "seed".into(),
    };
    store.zalo_seed_tokens(&tokens, now).await.unwrap();
}

/// What must not be found, with a name for the failure message.
fn needles() -> Vec<(&'static str, Vec<u8>)> {
    let mut out: Vec<(&str, Vec<u8>)> = vec![
        ("tip description", TIP_PHRASE.into()),
        ("follow-up", FOLLOW_UP_PHRASE.into()),
        ("abandoned draft", DRAFT_PHRASE.into()),
        ("cancelled draft", CANCELLED_PHRASE.into()),
        ("officer reply", REPLY_PHRASE.into()),
        ("latitude digits", "10.957314".into()),
        ("longitude digits", "106.842687".into()),
        ("TOTP seed", TOTP_SEED.into()),
        ("Zalo access token", ZALO_ACCESS.into()),
        ("Zalo refresh token", ZALO_REFRESH.into()),
        ("unsubscribed chat id", UNSUBSCRIBED_CHAT.into()),
        ("subscribed chat id", STILL_SUBSCRIBED.into()),
    ];
    // A REAL column would hold the point as 8 raw bytes.
    for v in [GPS.0, GPS.1] {
        out.push(("GPS as a big-endian double", v.to_be_bytes().to_vec()));
        out.push(("GPS as a little-endian double", v.to_le_bytes().to_vec()));
    }
    out
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// Fails with every needle found and where.
fn assert_nothing_found(label: &str, sources: &[(String, Vec<u8>)]) {
    let mut found = Vec::new();
    for (name, bytes) in sources {
        for (what, needle) in needles() {
            if contains(bytes, &needle) {
                found.push(format!("{what} in {name}"));
            }
        }
    }
    assert!(found.is_empty(), "{label}: found {found:?}");
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

fn assert_private(label: &str, dir: &Path) {
    assert_eq!(mode(dir), 0o700, "{label}: data dir mode");
    let files = files_under(dir);
    assert!(
        files.iter().any(|f| f.ends_with("data.key")),
        "{label}: {files:?}"
    );
    for f in &files {
        assert_eq!(mode(f), 0o600, "{label}: mode of {}", f.display());
    }
}

fn pg_dump(url: &str) -> Vec<u8> {
    let out = std::process::Command::new("pg_dump")
        .arg("--no-owner")
        .arg(url)
        .output()
        .expect("pg_dump runs (postgresql-client)");
    assert!(
        out.status.success(),
        "pg_dump: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[tokio::test]
async fn a_copy_of_the_data_dir_or_a_pg_dump_holds_nothing_anyone_wrote() {
    for db in all_dbs().await {
        let (config, dir) = fresh_config(&db);
        let app = AppState::load(config.clone()).await.expect("app state");
        run_everything(&app).await;
        // Storage still reads it all back in plaintext.
        let lan = app.store.officer_by_username("lan").await.unwrap().unwrap();
        assert_eq!(lan.totp_secret.as_deref(), Some(TOTP_SEED));
        let tokens = app.store.zalo_tokens().await.unwrap().unwrap();
        assert_eq!(tokens.access_token, ZALO_ACCESS);
        assert!(
            app.store
                .is_subscribed(Channel::Telegram, STILL_SUBSCRIBED)
                .await
                .unwrap()
        );
        let queue = app.store.queue("CA-26068", 50).await.unwrap();
        assert!(queue.iter().all(|t| t.description.contains(TIP_PHRASE)));
        assert_eq!(queue[0].latitude, Some(GPS.0), "{}", db.label);

        let mut sources: Vec<(String, Vec<u8>)> = files_under(&dir)
            .into_iter()
            .map(|f| (f.display().to_string(), std::fs::read(&f).unwrap()))
            .collect();
        if db.label == "postgres" {
            sources.push(("pg_dump".into(), pg_dump(&db.url)));
        }
        assert!(sources.len() >= 4, "{}: {:?}", db.label, sources.len());
        assert_nothing_found(db.label, &sources);
        assert_private(db.label, &dir);

        // After a clean shutdown too (SQLite folds the WAL into the file).
        app.store.close().await;
        drop(app);
        let sources: Vec<(String, Vec<u8>)> = files_under(&dir)
            .into_iter()
            .map(|f| (f.display().to_string(), std::fs::read(&f).unwrap()))
            .collect();
        assert_nothing_found(db.label, &sources);
        assert_private(db.label, &dir);
    }
}

fn chmod(p: &Path, mode: u32) {
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
}

async fn load_error(config: &Config) -> String {
    match AppState::load(config.clone()).await {
        Ok(_) => panic!("startup should have been refused"),
        Err(e) => format!("{e:#}"),
    }
}

#[tokio::test]
async fn key_files_others_can_read_are_refused_and_an_open_data_dir_is_closed() {
    let db = TestDb::sqlite();
    let (config, dir) = fresh_config(&db);
    std::fs::create_dir_all(&dir).unwrap();
    chmod(&dir, 0o755);
    let app = AppState::load(config.clone()).await.expect("app state");
    assert_eq!(mode(&dir), 0o700, "an open data dir is closed");
    app.store.close().await;
    drop(app);
    for (name, loose) in [("secret.key", 0o644), ("data.key", 0o640)] {
        let file = dir.join(name);
        chmod(&file, loose);
        let err = load_error(&config).await;
        assert!(
            err.contains(&file.display().to_string()) && err.contains("chmod 600"),
            "{name}: {err}"
        );
        chmod(&file, 0o600);
    }
    let app = AppState::load(config).await.expect("fixed modes start");
    app.store.close().await;
}

#[tokio::test]
async fn a_wrong_or_missing_data_key_is_a_startup_error_naming_the_file() {
    for db in all_dbs().await {
        let (config, dir) = fresh_config(&db);
        let app = AppState::load(config.clone()).await.expect("app state");
        Script::new(&app).run_all().await;
        app.store.close().await;
        drop(app);
        let key_file = dir.join("data.key");
        let right = std::fs::read_to_string(&key_file).unwrap();
        let shown = key_file.display().to_string();

        let other = DataKeys::generate(&shown).to_file_text();
        std::fs::write(&key_file, other).unwrap();
        let err = load_error(&config).await;
        assert!(
            err.contains(&shown) && err.contains("data key"),
            "{}: {err}",
            db.label
        );

        std::fs::remove_file(&key_file).unwrap();
        let err = load_error(&config).await;
        assert!(err.contains(&shown), "{}: {err}", db.label);

        std::fs::write(&key_file, right).unwrap();
        chmod(&key_file, 0o600);
        let app = AppState::load(config).await.expect("the right key opens");
        let queue = app.store.queue("CA-26068", 50).await.unwrap();
        assert!(queue.iter().all(|t| t.description.contains(TIP_PHRASE)));
        app.store.close().await;
    }
}
