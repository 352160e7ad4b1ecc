//! Reloads content when operators edit the files: polls modification times
//! (cheap, works on every filesystem and in containers), validates the new
//! content, and swaps it in whole. Broken edits are logged and ignored.
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use super::{HelpSource, LiveCatalog};

pub const POLL_EVERY: Duration = Duration::from_secs(5);

fn newest_mtime(dir: &Path, newest: &mut SystemTime) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            newest_mtime(&p, newest);
        } else if let Ok(m) = e.metadata().and_then(|m| m.modified()) {
            *newest = (*newest).max(m);
        }
    }
}

/// The newest modification time among the content files and the help file.
pub fn content_stamp(content: &LiveCatalog) -> SystemTime {
    let mut newest = SystemTime::UNIX_EPOCH;
    newest_mtime(&content.content_dir, &mut newest);
    if let HelpSource::File(f) = &content.help_source
        && let Ok(m) = std::fs::metadata(f).and_then(|m| m.modified())
    {
        newest = newest.max(m);
    }
    newest
}

pub async fn run(content: Arc<LiveCatalog>) {
    let mut seen = content_stamp(&content);
    loop {
        tokio::time::sleep(POLL_EVERY).await;
        let now = content_stamp(&content);
        if now == seen {
            continue;
        }
        seen = now;
        match content.reload() {
            Ok(()) => tracing::info!("content reloaded"),
            Err(errs) => {
                for e in errs {
                    tracing::error!(error = %e, "content edit rejected; keeping the previous content");
                }
            }
        }
    }
}
