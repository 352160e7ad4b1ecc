//! Headless Chromium through chromedriver (fantoccini), for the browser
//! tests: start chromedriver, open a session with the network log on, read
//! that log, save screenshots.
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder};

pub fn find_in_path(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    names.iter().find_map(|n| {
        std::env::split_paths(&path)
            .map(|d| d.join(n))
            .find(|p| p.is_file())
    })
}

pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// Chromium and chromedriver, or None (a skip, which CI does not allow).
pub fn tools() -> Option<(PathBuf, PathBuf)> {
    match (
        find_in_path(&["chromium", "chromium-browser", "google-chrome"]),
        find_in_path(&["chromedriver"]),
    ) {
        (Some(c), Some(d)) => Some((c, d)),
        _ => {
            assert!(
                !in_ci(),
                "CI is set but chromium and chromedriver are not installed"
            );
            println!("SKIPPED: browser test (chromium or chromedriver not found in PATH)");
            None
        }
    }
}

/// Kills chromedriver when the test ends, however it ends.
pub struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub async fn start_chromedriver(binary: &Path) -> (Driver, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(binary)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    let driver = Driver(child);
    for _ in 0..200 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return (driver, format!("http://127.0.0.1:{port}"));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("chromedriver did not start on port {port}");
}

/// A session with Chromium's network events in the performance log.
pub async fn browser(webdriver: &str, chromium: &Path, profile: &Path, size: (u32, u32)) -> Client {
    let args = [
        "--headless=new".to_string(),
        "--no-sandbox".into(),
        "--disable-gpu".into(),
        "--disable-dev-shm-usage".into(),
        "--disable-background-networking".into(),
        "--disable-component-update".into(),
        "--disable-sync".into(),
        "--no-first-run".into(),
        format!("--window-size={},{}", size.0, size.1),
        "--lang=vi".into(),
        format!("--user-data-dir={}", profile.display()),
    ];
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({ "binary": chromium, "args": args }),
    );
    caps.insert(
        "goog:loggingPrefs".into(),
        serde_json::json!({ "performance": "ALL" }),
    );
    ClientBuilder::rustls()
        .expect("tls")
        .capabilities(caps)
        .connect(webdriver)
        .await
        .expect("connect to chromedriver")
}

/// chromedriver's log endpoint (not in the W3C protocol, so not in fantoccini).
#[derive(Debug)]
struct GetLog;

impl WebDriverCompatibleCommand for GetLog {
    fn endpoint(
        &self,
        base: &reqwest::Url,
        session: Option<&str>,
    ) -> Result<reqwest::Url, <reqwest::Url as std::str::FromStr>::Err> {
        base.join(&format!("session/{}/se/log", session.unwrap_or("")))
    }

    fn method_and_body(&self, _: &reqwest::Url) -> (axum::http::Method, Option<String>) {
        (
            axum::http::Method::POST,
            Some(r#"{"type":"performance"}"#.into()),
        )
    }
}

/// Every URL the browser requested since the last call (the log drains).
pub async fn requested_urls(c: &Client) -> Vec<String> {
    let log = c.issue_cmd(GetLog).await.expect("performance log");
    let mut urls = Vec::new();
    for entry in log.as_array().into_iter().flatten() {
        let Some(msg) = entry["message"].as_str() else {
            continue;
        };
        let Ok(v) = serde_json::from_str::<serde_json::Value>(msg) else {
            continue;
        };
        let m = &v["message"];
        if m["method"] == "Network.requestWillBeSent"
            && let Some(u) = m["params"]["request"]["url"].as_str()
        {
            urls.push(u.to_string());
        }
        if m["method"] == "Network.webSocketCreated"
            && let Some(u) = m["params"]["url"].as_str()
        {
            urls.push(u.to_string());
        }
    }
    urls
}

pub async fn screenshot(c: &Client, name: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    let png = c.screenshot().await.unwrap();
    assert!(png.starts_with(b"\x89PNG"), "a PNG screenshot");
    std::fs::write(dir.join(name), &png).unwrap();
}
