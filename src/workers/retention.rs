//! The daily retention purge: closed tips older than the retention period go,
//! with their events and photos; each purge is a ledger entry, and a signed
//! checkpoint is published after it. Idle dashboard sessions, old login counters, idle chat
//! sessions (drafts included) and photos of never-sent drafts go too.
use std::sync::Arc;
use std::time::Duration;

use crate::app::AppState;
use crate::bot::now_ms;
use crate::channels::telegram::TgBot;
use crate::domain::officer::LOGIN_THROTTLE_WINDOW_MS;
use crate::workers::checkpoints;

const DAY_MS: i64 = 86_400_000;

/// What one run removed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct PurgeReport {
    pub tips: u64,
    pub sessions: u64,
    /// Chat sessions (and their drafts) idle past TIPLINE_SESSION_TTL_DAYS.
    pub chat_sessions: u64,
    /// Photos of drafts that were never sent.
    pub orphan_attachments: u64,
}

/// One purge as of `now_ms`.
#[tracing::instrument(name = "retention_purge", skip_all)]
pub async fn run_once(state: &AppState, now_ms: i64) -> anyhow::Result<PurgeReport> {
    // The dashboard settings, read from the configuration (not through `web`).
    let settings = &state.config.web;
    let days = state
        .store
        .retention_days(settings.default_retention_days)
        .await;
    // Tips per transaction, so a large first purge never holds the write lock for long.
    let batch = state.config.purge_batch;
    let mut report = PurgeReport::default();
    loop {
        let n = state.store.purge_closed_tips(days, batch, now_ms).await?;
        report.tips += n;
        if n < batch as u64 {
            break;
        }
    }
    report.sessions = state
        .store
        .purge_web_sessions(
            now_ms - settings.idle_minutes * 60_000,
            now_ms - LOGIN_THROTTLE_WINDOW_MS,
        )
        .await?;
    let ttl = state.config.session_ttl_days.max(1) * DAY_MS;
    report.chat_sessions = state.store.purge_sessions(now_ms - ttl).await?;
    report.orphan_attachments = state.store.purge_orphan_attachments(now_ms - ttl).await?;
    // With secure_delete the deleted rows are zeroed in the database file;
    // this empties the WAL, which still holds their pages (SQLite only).
    state.store.truncate_wal().await?;
    Ok(report)
}

/// Runs the purge shortly after start, then once a day. Abort the handle to stop it.
pub fn spawn(state: Arc<AppState>, bot: Option<TgBot>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        // Let startup (and tests) settle before the first run.
        tokio::time::sleep(Duration::from_secs(60)).await;
        loop {
            match run_once(&state, now_ms()).await {
                Ok(r) => {
                    tracing::info!(
                        tips = r.tips,
                        sessions = r.sessions,
                        chat_sessions = r.chat_sessions,
                        orphan_attachments = r.orphan_attachments,
                        "retention purge done"
                    );
                    if r.tips > 0
                        && let Err(e) = checkpoints::publish(&state, bot.as_ref()).await
                    {
                        tracing::error!(error = %e, "publishing the checkpoint after a purge failed");
                    }
                }
                Err(e) => {
                    tracing::error!(error = %e, "retention purge failed; will retry tomorrow")
                }
            }
            tokio::time::sleep(Duration::from_secs(24 * 3600)).await;
        }
    })
}
