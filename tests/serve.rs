//! `tipline serve` on a fresh data directory: first-run setup, /healthz, graceful stop.
#[path = "common/env.rs"]
mod test_env;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

#[tokio::test]
async fn first_run_creates_the_data_dir_and_a_private_secret_and_answers_healthz() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("fresh-data");
    let mut child = test_env::tipline()
        .arg("--data-dir")
        .arg(&data)
        .env_remove("DATABASE_URL")
        .env("TIPLINE_BIND", "127.0.0.1:0")
        .env(
            "TIPLINE_CONTENT_DIR",
            concat!(env!("CARGO_MANIFEST_DIR"), "/locales"),
        )
        .env("RUST_LOG", "warn")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let mut banner = String::new();
    let addr = loop {
        let line = lines.next().expect("server printed its address").unwrap();
        banner.push_str(&line);
        banner.push('\n');
        if let Some(rest) = line.split("running at ").nth(1) {
            break rest.split_whitespace().next().unwrap().to_string();
        }
    };
    for line in lines.by_ref().take(6) {
        banner.push_str(&line.unwrap());
        banner.push('\n');
    }
    assert!(banner.contains("First run"), "{banner}");
    assert!(
        banner.contains("chat --user"),
        "tells what to do next: {banner}"
    );
    let resp = reqwest::get(format!("{addr}/healthz")).await.unwrap();
    assert_eq!(resp.status(), 200);
    assert!(data.join("tipline.db").exists());
    let secret = data.join("secret.key");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&secret).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    assert!(std::fs::read_to_string(&secret).unwrap().trim().len() >= 64);
    // SIGTERM stops it cleanly.
    let status = Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status()
        .unwrap();
    assert!(status.success());
    assert!(child.wait().unwrap().success());
}
