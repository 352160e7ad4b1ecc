//! A real browser for the dashboard tests: chromedriver started on a free
//! port, headless Chromium at a desk's or a phone's size, and screenshots.
#![allow(dead_code)]
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

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
    // Readiness, not timing: wait until it accepts connections.
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

/// A window the size of a desk (1366×900) or of a phone (390×844, with the
/// phone's pixel ratio and touch, as Chromium's device emulation does it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Size {
    Desk,
    Phone,
}

impl Size {
    pub fn name(self) -> &'static str {
        match self {
            Size::Desk => "1366x900",
            Size::Phone => "390x844",
        }
    }
}

pub async fn browser(webdriver: &str, chromium: &Path, profile: &Path) -> Client {
    browser_sized(webdriver, chromium, profile, Size::Desk).await
}

pub async fn browser_sized(webdriver: &str, chromium: &Path, profile: &Path, size: Size) -> Client {
    let window = match size {
        Size::Desk => "--window-size=1366,900",
        Size::Phone => "--window-size=390,844",
    };
    let args = [
        "--headless=new".to_string(),
        "--no-sandbox".into(),
        "--disable-gpu".into(),
        "--disable-dev-shm-usage".into(),
        "--disable-background-networking".into(),
        "--disable-component-update".into(),
        "--disable-sync".into(),
        "--no-first-run".into(),
        window.into(),
        "--lang=vi".into(),
        format!("--user-data-dir={}", profile.display()),
    ];
    // Both rustls providers are compiled in (via fantoccini and reqwest), so choose one.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut options = serde_json::json!({ "binary": chromium, "args": args });
    if size == Size::Phone {
        options["mobileEmulation"] = serde_json::json!({
            "deviceMetrics": { "width": 390, "height": 844, "pixelRatio": 1.0, "touch": true }
        });
    }
    let mut caps = serde_json::Map::new();
    caps.insert("goog:chromeOptions".into(), options);
    ClientBuilder::rustls()
        .expect("tls")
        .capabilities(caps)
        .connect(webdriver)
        .await
        .expect("connect to chromedriver")
}

/// Chromium and chromedriver, or None (and a note) when the machine has
/// neither; CI must have both.
pub fn browser_binaries() -> Option<(PathBuf, PathBuf)> {
    match (
        find_in_path(&["chromium", "chromium-browser", "google-chrome"]),
        find_in_path(&["chromedriver"]),
    ) {
        (Some(c), Some(d)) => Some((c, d)),
        _ => {
            assert!(
                !in_ci(),
                "CI is set but chromium and chromedriver are not installed: the browser test must run in CI"
            );
            println!(
                "SKIPPED: browser test (chromium or chromedriver not found in PATH; install Debian packages chromium and chromium-driver)"
            );
            None
        }
    }
}

pub async fn page(c: &Client) -> String {
    c.source().await.unwrap()
}

pub async fn screenshot(c: &Client, name: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    let png = c.screenshot().await.unwrap();
    assert!(png.starts_with(b"\x89PNG"), "a PNG screenshot");
    std::fs::write(dir.join(name), png).unwrap();
}

/// A screenshot for the docs: the PNG is re-encoded at the best compression
/// and written to target/screenshots/ (and to docs/screenshots/ when
/// TIPLINE_UPDATE_SCREENSHOTS is set, to refresh the committed ones).
pub async fn doc_screenshot(c: &Client, name: &str) {
    let png = c.screenshot().await.unwrap();
    assert!(png.starts_with(b"\x89PNG"), "a PNG screenshot");
    let img = image::load_from_memory(&png).expect("decode the screenshot");
    let mut small = Vec::new();
    let encoder = image::codecs::png::PngEncoder::new_with_quality(
        &mut small,
        image::codecs::png::CompressionType::Best,
        image::codecs::png::FilterType::Adaptive,
    );
    img.to_rgb8().write_with_encoder(encoder).expect("encode");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut dirs = vec![root.join("target/screenshots")];
    if std::env::var_os("TIPLINE_UPDATE_SCREENSHOTS").is_some() {
        dirs.push(root.join("docs/screenshots"));
    }
    for dir in dirs {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(name), &small).unwrap();
    }
}

/// Waits (polling, never reloading) until `check` holds for the page source.
pub async fn wait_for_source(c: &Client, what: &str, check: impl Fn(&str) -> bool) -> String {
    for _ in 0..300 {
        let html = c.source().await.unwrap();
        if check(&html) {
            return html;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let html = c.source().await.unwrap();
    let url = c.current_url().await.unwrap();
    let shown: String = html
        .find("<main")
        .map_or(String::new(), |i| html[i..].chars().take(3000).collect());
    panic!("timed out waiting for {what} at {url}: {shown}");
}

pub mod english;
