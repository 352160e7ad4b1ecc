//! Publishing signed ledger checkpoints where a database insider cannot reach
//! them all: appended to the checkpoint file and posted to every unit's
//! Telegram group. `serve` publishes when the newest checkpoint is a day old
//! and after every purge; `tipline ledger checkpoint` publishes on demand.
use std::io::Write;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use fluent_bundle::FluentValue;
use teloxide::prelude::*;

use crate::app::AppState;
use crate::bot::now_ms;
use crate::channels::telegram::TgBot;
use crate::privacy::checkpoint::Checkpoint;
use crate::workers::notifications::UnitGroups;

const DAY_MS: i64 = 86_400_000;
/// How often `serve` looks whether a checkpoint is due.
const CHECK_EVERY: Duration = Duration::from_secs(600);

/// Signs the current head, records it for the dashboard and appends it to
/// the checkpoint file. Returns the line.
pub async fn sign_and_keep(state: &AppState) -> anyhow::Result<String> {
    let key = state.config.ledger_key()?;
    let (seq, head) = state.store.ledger_head().await?;
    let checkpoint = Checkpoint {
        seq,
        head,
        signed_at: now_ms(),
    };
    let line = key.sign(&checkpoint);
    append_line(&state.config.checkpoint_file, &line)?;
    state.store.record_checkpoint(&checkpoint, &line).await?;
    Ok(line)
}

fn append_line(path: &Path, line: &str) -> anyhow::Result<()> {
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .with_context(|| format!("opening checkpoint file {}", path.display()))?;
    writeln!(f, "{line}")?;
    f.sync_all()
        .with_context(|| format!("writing checkpoint file {}", path.display()))
}

/// Signs, keeps, and posts to every unit group. A group that cannot be
/// reached is logged; the file copy is already written.
pub async fn publish(state: &AppState, bot: Option<&TgBot>) -> anyhow::Result<String> {
    let line = sign_and_keep(state).await?;
    if let Some(bot) = bot {
        let groups = UnitGroups::new(&state.config.notices.unit_groups);
        let lang = state.config.notices.lang;
        let text = state.i18n.tr_args(
            lang,
            "ledger-checkpoint-notice",
            &[("line", FluentValue::from(line.clone()))],
        );
        for chat in groups.all(state).await {
            if let Err(e) = bot.send_message(ChatId(chat), text.clone()).await {
                tracing::warn!(error = %crate::channels::telegram::describe(&e), "could not post a ledger checkpoint to a unit group");
            }
        }
    }
    Ok(line)
}

/// Publishes when no checkpoint was signed in the last day (so also soon
/// after the first start). Abort the handle to stop it.
pub fn spawn(state: Arc<AppState>, bot: Option<TgBot>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            let due = match state.store.newest_checkpoint_at().await {
                Ok(newest) => newest.is_none_or(|at| now_ms() - at >= DAY_MS),
                Err(e) => {
                    tracing::warn!(error = %e, "could not read the newest checkpoint");
                    false
                }
            };
            if due {
                match publish(&state, bot.as_ref()).await {
                    Ok(_) => tracing::info!("ledger checkpoint published"),
                    Err(e) => tracing::error!(error = %e, "publishing a ledger checkpoint failed"),
                }
            }
            tokio::time::sleep(CHECK_EVERY).await;
        }
    })
}
