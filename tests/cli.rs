//! The `tipline` binary as an operator and a citizen use it: piped chat, queue,
//! ledger verify, privacy of the database files, and resuming after a kill.
#[path = "common/env.rs"]
mod test_env;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

const USER_ID: &str = "console-user-8472913";

fn tipline(data_dir: &Path) -> Command {
    let mut c = test_env::tipline();
    c.arg("--data-dir")
        .arg(data_dir)
        .env_remove("DATABASE_URL")
        .env(
            "TIPLINE_CONTENT_DIR",
            concat!(env!("CARGO_MANIFEST_DIR"), "/locales"),
        );
    c.env("RUST_LOG", "warn");
    c
}

fn chat(data_dir: &Path, lang: &str, script: &str) -> String {
    let mut child = tipline(data_dir)
        .args(["chat", "--user", USER_ID, "--lang", lang])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn tipline chat");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(script.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "chat failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

const DEALING: &str = "/report\n1\nbien hoa\nPhường Biên Hòa, Đồng Nai\n1\nTwo men sell meth from a grey car parked behind the market every night.\n1\n";

#[test]
fn a_piped_english_chat_reports_dealing_that_shows_in_the_ward_queue_json() {
    let dir = tempfile::tempdir().unwrap();
    let out = chat(dir.path(), "en", DEALING);
    assert!(
        out.contains("[1] Drug dealing"),
        "options print as [N] label: {out}"
    );
    assert!(out.contains("Receipt code:"), "{out}");
    let q = tipline(dir.path())
        .args(["queue", "--unit", "CA-26068", "--json"])
        .output()
        .unwrap();
    assert!(q.status.success());
    let tips: serde_json::Value = serde_json::from_slice(&q.stdout).unwrap();
    let tip = &tips[0];
    for field in [
        "ref",
        "category",
        "province_code",
        "ward_code",
        "unit",
        "status",
        "priority",
        "created_at",
        "description",
    ] {
        assert!(!tip[field].is_null(), "missing {field} in {tip}");
    }
    assert_eq!(tip["unit"], "CA-26068");
    assert_eq!(tip["province_code"], 75);
    assert_eq!(tip["category"], "dealing");

    let lab = chat(
        dir.path(),
        "en",
        "/report\n4\nbien hoa\n1\n2\nA house with blacked-out windows and a chemical smell, people carry barrels at night.\n1\n",
    );
    assert!(lab.contains("Receipt code:"), "{lab}");
    let q = tipline(dir.path())
        .args(["queue", "--unit", "PC04-75", "--json"])
        .output()
        .unwrap();
    let tips: serde_json::Value = serde_json::from_slice(&q.stdout).unwrap();
    assert_eq!(tips.as_array().unwrap().len(), 1);
    assert_eq!(tips[0]["category"], "production");

    let v = tipline(dir.path())
        .args(["ledger", "verify"])
        .output()
        .unwrap();
    assert!(v.status.success());
    assert!(String::from_utf8_lossy(&v.stdout).contains("2 entries checked"));
}

#[test]
fn unknown_unit_codes_are_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let q = tipline(dir.path())
        .args(["queue", "--unit", "CA-99999"])
        .output()
        .unwrap();
    assert!(!q.status.success());
    assert!(String::from_utf8_lossy(&q.stderr).contains("not a unit code"));
}

#[test]
fn ledger_verify_exits_nonzero_and_names_the_tip_after_tampering() {
    let dir = tempfile::tempdir().unwrap();
    chat(dir.path(), "en", DEALING);
    let db = dir.path().join("tipline.db");
    // Edited with sqlx directly, as an insider with the file would.
    let edited = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            use sqlx::Connection;
            let url = format!("sqlite://{}", db.display());
            let mut c = sqlx::SqliteConnection::connect(&url).await.unwrap();
            sqlx::query("UPDATE tips SET description = 'edited'")
                .execute(&mut c)
                .await
                .unwrap()
                .rows_affected()
        });
    assert_eq!(edited, 1);
    let v = tipline(dir.path())
        .args(["ledger", "verify"])
        .output()
        .unwrap();
    assert!(!v.status.success());
    let text = String::from_utf8_lossy(&v.stdout);
    assert!(
        text.contains("BROKEN at entry #1") && text.contains("tip TL-"),
        "{text}"
    );
}

#[test]
fn the_database_files_hold_no_trace_of_the_user_id() {
    let dir = tempfile::tempdir().unwrap();
    chat(dir.path(), "en", DEALING);
    // Killed mid-draft, so the WAL is left behind un-checkpointed for the grep.
    chat_until_killed(dir.path(), "/report\n1\nbien hoa\n1\n", "Step 3/5");
    let forms = [
        USER_ID.to_string(),
        USER_ID.to_uppercase(),
        hex_of(USER_ID),
        format!("console:{USER_ID}"),
        "8472913".to_string(),
    ];
    let mut checked = 0;
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        if path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("tipline.db")
        {
            let bytes = std::fs::read(&path).unwrap();
            for f in &forms {
                assert!(
                    !contains(&bytes, f.as_bytes()),
                    "{} contains {f:?}",
                    path.display()
                );
                let utf16: Vec<u8> = f.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
                assert!(!contains(&bytes, &utf16));
            }
            checked += 1;
        }
    }
    assert!(
        checked >= 2,
        "expected the database and its WAL, found {checked} files"
    );
}

fn hex_of(s: &str) -> String {
    s.bytes().map(|b| format!("{b:02x}")).collect()
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn a_draft_interrupted_by_killing_the_process_resumes_at_the_same_step() {
    let dir = tempfile::tempdir().unwrap();
    chat_until_killed(dir.path(), "/report\n1\nbien hoa\n1\n", "Step 3/5");
    let out = chat(dir.path(), "en", "/report\n");
    assert!(
        out.contains("report in progress") && out.contains("Step 3/5"),
        "{out}"
    );
}

/// Feeds `script`, waits until `marker` is printed (so it was committed), then SIGKILLs.
fn chat_until_killed(data_dir: &Path, script: &str, marker: &str) {
    use std::io::Read;
    let mut child = tipline(data_dir)
        .args(["chat", "--user", USER_ID, "--lang", "en"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(script.as_bytes()).unwrap();
    stdin.flush().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut seen = String::new();
    let mut buf = [0u8; 4096];
    while !seen.contains(marker) {
        let n = stdout.read(&mut buf).unwrap();
        assert!(n > 0, "chat ended early: {seen}");
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn settings_come_from_tipline_toml_and_the_environment_wins() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("tipline.toml");
    std::fs::write(
        &file,
        "TIPLINE_BIND = \"127.0.0.1:9191\"\nTIPLINE_DB_MAX_CONNECTIONS = 3\n",
    )
    .unwrap();
    restrict_to_owner(&file);
    let bind_line = |cmd: &mut Command| {
        let out = cmd
            .arg("--config")
            .arg(&file)
            .arg("config")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = String::from_utf8_lossy(&out.stdout).to_string();
        let line = stdout.lines().find(|l| l.starts_with("TIPLINE_BIND "));
        line.expect("TIPLINE_BIND is listed")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert_eq!(
        bind_line(&mut tipline(dir.path())),
        "TIPLINE_BIND file 127.0.0.1:9191"
    );
    assert_eq!(
        bind_line(tipline(dir.path()).env("TIPLINE_BIND", "127.0.0.1:9292")),
        "TIPLINE_BIND env 127.0.0.1:9292"
    );
}

fn restrict_to_owner(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
}

#[test]
fn quiz_stats_for_a_class_reflect_quizzes_taken_with_its_code() {
    let dir = tempfile::tempdir().unwrap();
    let answers = "1\n".repeat(10);
    chat(dir.path(), "vi", &format!("/quiz 10a1\n{answers}"));
    chat(dir.path(), "en", &format!("/quiz\n2\n10A1\n{answers}"));
    chat(dir.path(), "en", &format!("/quiz other\n{answers}"));
    let out = tipline(dir.path())
        .args(["quiz", "stats", "--class", "10A1", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stats: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(stats.as_array().unwrap().len(), 1);
    assert_eq!(stats[0]["class_code"], "10A1");
    assert_eq!(stats[0]["attempts"], 2);
    let answered: i64 = stats[0]["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["answered"].as_i64().unwrap())
        .sum();
    assert_eq!(answered, 20);
}

#[test]
fn chat_without_a_user_starts_a_conversation() {
    let dir = tempfile::tempdir().unwrap();
    // The README's example has no --user: the conversation must still start.
    let mut child = tipline(dir.path())
        .args(["chat", "--lang", "en"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"/report\n1\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("Step 1/5"), "{stdout}");
    assert!(stdout.contains("Step 2/5"), "{stdout}");
}
