//! The two loopback origins of the browser test: `tipline serve` (the real
//! binary, its whole log captured in a file) and an agency's site that
//! embeds `widget.js`, which also notes the address the browser comes from.
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{ConnectInfo, State};
use axum::response::Html;
use axum::routing::get;

/// Tipline listens here; the browser's own address (its source address on
/// loopback) is then a different one, so finding it in the log means the
/// client's address was recorded, not the server's.
pub const TIPLINE_IP: &str = "127.0.0.2";
pub const HOST_IP: &str = "127.0.0.3";

pub struct Tipline {
    child: Child,
    pub base: String,
    pub log: PathBuf,
}

impl Tipline {
    pub async fn start(
        data_dir: &Path,
        database_url: &str,
        leave_url: &str,
        log: PathBuf,
    ) -> Tipline {
        let file = std::fs::File::create(&log).unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_tipline"))
            .arg("--data-dir")
            .arg(data_dir)
            .env("DATABASE_URL", database_url)
            .env("TIPLINE_BIND", format!("{TIPLINE_IP}:0"))
            .env(
                "TIPLINE_CONTENT_DIR",
                concat!(env!("CARGO_MANIFEST_DIR"), "/locales"),
            )
            .env("TIPLINE_WEB_CHAT_LEAVE_URL", leave_url)
            // As verbose as an operator would ever run it.
            .env("RUST_LOG", "debug")
            .env_remove("TELEGRAM_BOT_TOKEN")
            .env_remove("ZALO_APP_ID")
            .stdout(Stdio::null())
            .stderr(file)
            .spawn()
            .expect("start tipline serve");
        let mut t = Tipline {
            child,
            base: String::new(),
            log,
        };
        for _ in 0..600 {
            let text = std::fs::read_to_string(&t.log).unwrap_or_default();
            if let Some(rest) = text.split("running at ").nth(1) {
                t.base = rest.split_whitespace().next().unwrap().to_string();
                return t;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!(
            "tipline serve did not start: {}",
            std::fs::read_to_string(&t.log).unwrap_or_default()
        );
    }

    /// SIGTERM, as an operator stops it; waits for a clean exit.
    pub fn stop(mut self) {
        let ok = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status()
            .unwrap();
        assert!(ok.success());
        assert!(
            self.child.wait().unwrap().success(),
            "tipline serve exited cleanly"
        );
    }
}

impl Drop for Tipline {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The agency's site: `/` embeds the widget; `/neutral` is where "Leave
/// quickly" goes, with a probe frame of the Tipline origin (same tab, same
/// storage partition) so the test can look at what is left in its
/// `sessionStorage`. Hostile CSS shows the widget is not affected.
pub struct HostSite {
    pub base: String,
    pub clients: Arc<Mutex<Vec<SocketAddr>>>,
    tipline: Arc<Mutex<String>>,
    task: tokio::task::JoinHandle<()>,
}

impl HostSite {
    /// The Tipline origin the page embeds (known once Tipline has started).
    pub fn embed(&self, tipline: &str) {
        *self.tipline.lock().unwrap() = tipline.to_string();
    }
}

impl Drop for HostSite {
    fn drop(&mut self) {
        self.task.abort();
    }
}

#[derive(Clone)]
struct Site {
    tipline: Arc<Mutex<String>>,
    clients: Arc<Mutex<Vec<SocketAddr>>>,
}

pub async fn host_site() -> HostSite {
    let listener = tokio::net::TcpListener::bind(format!("{HOST_IP}:0"))
        .await
        .unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let clients = Arc::new(Mutex::new(Vec::new()));
    let tipline = Arc::new(Mutex::new(String::new()));
    let site = Site {
        tipline: tipline.clone(),
        clients: clients.clone(),
    };
    let leave = format!("{base}/neutral");
    let app = axum::Router::new()
        .route(
            "/",
            get(move |State(s): State<Site>, ConnectInfo(peer): ConnectInfo<SocketAddr>| async move {
                s.clients.lock().unwrap().push(peer);
                Html(format!(
                    "<!doctype html><html lang=vi><head><meta charset=utf-8><title>Công an phường Biên Hòa</title>\
                     <style>*{{color:#f0f !important;font-size:7px !important;display:block}}</style></head>\
                     <body><h1>Công an phường Biên Hòa</h1><p>Trang thông tin điện tử.</p>\
                     <script src=\"{}/widget.js\" data-lang=\"vi\" data-leave-url=\"{leave}\" async></script></body></html>",
                    s.tipline.lock().unwrap()
                ))
            }),
        )
        .route(
            "/neutral",
            get(|State(s): State<Site>| async move {
                Html(format!(
                    "<!doctype html><html><head><meta charset=utf-8><title>Thời tiết</title></head>\
                     <body><p>Thời tiết hôm nay: nắng.</p><iframe id=probe src=\"{}/widget.js\"></iframe></body></html>",
                    s.tipline.lock().unwrap()
                ))
            }),
        )
        .with_state(site);
    let task = tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap();
    });
    HostSite {
        base,
        clients,
        tipline,
        task,
    }
}

/// Every file under `dir`, as bytes.
pub fn files_under(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if let Ok(bytes) = std::fs::read(&p) {
                out.push((p, bytes));
            }
        }
    }
    out
}

pub fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}
