//! The configuration through the real binary: `tipline config` shows every
//! effective value with its origin and no secret; an invalid value anywhere
//! stops startup with its name and source.
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_tipline");

/// The binary with nothing inherited from the test's environment, so every
/// origin it reports is the one this test gave.
fn tipline(dir: &Path) -> Command {
    let mut c = Command::new(BIN);
    c.env_clear().current_dir(dir).env("RUST_LOG", "warn").env(
        "TIPLINE_CONTENT_DIR",
        concat!(env!("CARGO_MANIFEST_DIR"), "/locales"),
    );
    c
}

fn config_file(dir: &Path, text: &str, mode: u32) -> PathBuf {
    let path = dir.join("tipline.toml");
    std::fs::write(&path, text).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    path
}

fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The `tipline config` line for a setting: "NAME ORIGIN VALUE".
fn line_of(stdout: &str, name: &str) -> String {
    let line = stdout.lines().find(|l| l.starts_with(&format!("{name} ")));
    line.unwrap_or_else(|| panic!("{name} missing from:\n{stdout}"))
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn config_prints_every_effective_value_with_its_origin_and_no_secret() {
    let dir = tempfile::tempdir().unwrap();
    config_file(
        dir.path(),
        "TIPLINE_PG_COMMITTERS = 4\nTIPLINE_SLA_HOURS = 12\nZALO_OA_SECRET_KEY = \"oa-secret-in-file\"\n",
        0o600,
    );
    let out = tipline(dir.path())
        .args(["--data-dir", "cli-data", "config"])
        .env(
            "DATABASE_URL",
            "postgres://tipline:p@ss@w0rd@db.example:5432/tipline?password=qs-secret",
        )
        .env("TELEGRAM_BOT_TOKEN", "123456:REAL-bot-token")
        .output()
        .unwrap();
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(
        line_of(&stdout, "TIPLINE_DATA_DIR"),
        "TIPLINE_DATA_DIR cli cli-data"
    );
    assert_eq!(
        line_of(&stdout, "DATABASE_URL"),
        "DATABASE_URL env postgres://tipline:***@db.example:5432/tipline?password=***"
    );
    assert_eq!(
        line_of(&stdout, "TELEGRAM_BOT_TOKEN"),
        "TELEGRAM_BOT_TOKEN env ***"
    );
    assert_eq!(
        line_of(&stdout, "ZALO_OA_SECRET_KEY"),
        "ZALO_OA_SECRET_KEY file ***"
    );
    assert_eq!(
        line_of(&stdout, "TIPLINE_PG_COMMITTERS"),
        "TIPLINE_PG_COMMITTERS file 4"
    );
    assert_eq!(
        line_of(&stdout, "TIPLINE_SLA_HOURS"),
        "TIPLINE_SLA_HOURS file 12"
    );
    assert_eq!(
        line_of(&stdout, "TIPLINE_BIND"),
        "TIPLINE_BIND default 127.0.0.1:8080"
    );
    assert_eq!(
        line_of(&stdout, "TIPLINE_HELP_FILE"),
        "TIPLINE_HELP_FILE default (none)"
    );
    assert_eq!(
        line_of(&stdout, "TELEGRAM_WEBHOOK_URL"),
        "TELEGRAM_WEBHOOK_URL default (not set)"
    );
    for secret in [
        "p@ss",
        "w0rd",
        "qs-secret",
        "REAL-bot-token",
        "oa-secret-in-file",
    ] {
        assert!(
            !stdout.contains(secret) && !stderr.contains(secret),
            "{secret} leaked:\n{stdout}{stderr}"
        );
    }
}

#[test]
fn invalid_values_from_every_source_fail_startup_with_name_and_source() {
    let dir = tempfile::tempdir().unwrap();
    let file = config_file(
        dir.path(),
        "TIPLINE_BIND = \"x\"\nTIPLINE_PG_COMMITTERS = \"many\"\n",
        0o600,
    );
    for command in [&["config"][..], &["ledger", "verify"]] {
        let out = tipline(dir.path())
            .args(command)
            .args(["--database-url", "mysql://db/tipline"])
            .env("TIPLINE_SESSION_TTL_DAYS", "-3")
            .output()
            .unwrap();
        let (_, stderr) = text(&out);
        assert!(!out.status.success(), "{command:?} must fail");
        // Found as ./tipline.toml, and named so.
        let file = file.file_name().unwrap().to_string_lossy();
        for expected in [
            format!("TIPLINE_BIND='x' from {file}: must be host:port"),
            format!("TIPLINE_PG_COMMITTERS='many' from {file}: must be a whole number of at least 1"),
            "TIPLINE_SESSION_TTL_DAYS='-3' from the environment: must be a whole number of at least 1".to_string(),
            "DATABASE_URL='mysql://db/tipline' from the command line: must start with sqlite:// or postgres://".to_string(),
        ] {
            assert!(stderr.contains(&expected), "{command:?}: missing {expected:?} in:\n{stderr}");
        }
        assert!(stderr.contains("(4 problem(s))"), "{stderr}");
    }
}

#[test]
fn a_weak_telegram_webhook_secret_stops_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let out = tipline(dir.path())
        .args(["--data-dir", "data", "serve"])
        .env("TIPLINE_BIND", "127.0.0.1:0")
        .env("TELEGRAM_BOT_TOKEN", "123456:TOKEN")
        .env(
            "TELEGRAM_WEBHOOK_URL",
            "https://tips.example.vn/telegram/webhook",
        )
        .env("TELEGRAM_WEBHOOK_SECRET", "short-secret")
        .output()
        .unwrap();
    let (_, stderr) = text(&out);
    assert!(!out.status.success());
    assert!(
        stderr.contains("TELEGRAM_WEBHOOK_SECRET='***' from the environment: must be 16-256 characters of A-Z a-z 0-9 _ -"),
        "{stderr}"
    );
    assert!(!stderr.contains("short-secret"), "{stderr}");
    assert!(
        !dir.path().join("data").exists(),
        "nothing is created before the configuration is valid"
    );
}

#[test]
fn a_config_file_others_may_write_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    for mode in [0o666, 0o620] {
        config_file(dir.path(), "TIPLINE_SLA_HOURS = 12\n", mode);
        let out = tipline(dir.path()).arg("config").output().unwrap();
        let (stdout, stderr) = text(&out);
        assert!(!out.status.success(), "mode {mode:o} accepted:\n{stdout}");
        assert!(
            stderr.contains(&format!(
                "config file tipline.toml is writable by group or others (mode {mode:03o})"
            )),
            "{stderr}"
        );
        assert!(stderr.contains("chmod go-w"), "{stderr}");
    }
}

#[test]
fn a_config_file_may_redirect_platform_apis_only_when_the_environment_allows_it() {
    let dir = tempfile::tempdir().unwrap();
    config_file(
        dir.path(),
        "TELOXIDE_API_URL = \"http://127.0.0.1:9/\"\n",
        0o600,
    );
    let out = tipline(dir.path()).arg("config").output().unwrap();
    let (_, stderr) = text(&out);
    assert!(!out.status.success());
    assert!(
        stderr.contains(
            "TELOXIDE_API_URL='http://127.0.0.1:9/' from tipline.toml: a config file may not redirect a platform API"
        ),
        "{stderr}"
    );
    let out = tipline(dir.path())
        .arg("config")
        .env("TIPLINE_ALLOW_FILE_API_URLS", "true")
        .output()
        .unwrap();
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(
        line_of(&stdout, "TELOXIDE_API_URL"),
        "TELOXIDE_API_URL file http://127.0.0.1:9/"
    );
}

#[test]
fn a_database_password_containing_at_signs_never_reaches_the_log() {
    let dir = tempfile::tempdir().unwrap();
    // Nothing listens on port 9: connecting fails, and the error is logged.
    let out = tipline(dir.path())
        .args(["--data-dir", "data", "ledger", "verify"])
        .env(
            "DATABASE_URL",
            "postgres://tipline:s3cr@t@pw@127.0.0.1:9/tipline",
        )
        .env("RUST_LOG", "debug")
        .output()
        .unwrap();
    let (stdout, stderr) = text(&out);
    assert!(!out.status.success());
    assert!(
        stderr.contains("opening database postgres://tipline:***@127.0.0.1:9/tipline"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("s3cr") && !stdout.contains("s3cr"),
        "{stderr}"
    );
}
