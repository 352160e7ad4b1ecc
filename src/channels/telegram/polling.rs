//! Long polling. Each batch is handled to the end (one task per chat, in
//! order within a chat) before the next offset is saved and requested, so:
//! - on SIGTERM the batch in flight finishes, then the loop stops;
//! - the offset is saved in the database after every batch, and a restart
//!   resumes from it: nothing is replayed or skipped.
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use teloxide::prelude::*;
use tokio_util::sync::CancellationToken;

use super::{Telegram, allowed_updates, send, update};
use crate::bot;

/// Seconds Telegram holds a getUpdates open; below teloxide's 17 s client timeout it adds to.
const POLL_TIMEOUT_SECS: u32 = 10;
/// A saved offset older than this is not trusted: after a week without
/// updates Telegram may restart update ids at a random, lower number, and an
/// old high offset would then hide every new update.
const OFFSET_MAX_AGE_MS: i64 = 24 * 3600 * 1000;

pub(super) async fn run(tg: Arc<Telegram>, cancel: CancellationToken) {
    let key = offset_key(&tg);
    let mut offset = load_offset(&tg, &key).await;
    let mut delay = Duration::from_millis(500);
    loop {
        let request = tg
            .bot
            .get_updates()
            .offset(offset)
            .timeout(POLL_TIMEOUT_SECS)
            .allowed_updates(allowed_updates());
        // Dropping a pending getUpdates is safe: nothing is confirmed until the next offset is sent.
        let result = tokio::select! {
            _ = cancel.cancelled() => break,
            r = request.send() => r,
        };
        let updates = match result {
            Ok(u) => {
                delay = Duration::from_millis(500);
                u
            }
            Err(e) => {
                tracing::warn!(error = %send::describe(&e), retry_in = ?delay, "getUpdates failed");
                tokio::select! {
                    _ = cancel.cancelled() => break,
                    _ = tokio::time::sleep(delay) => {}
                }
                delay = (delay * 2).min(Duration::from_secs(30));
                continue;
            }
        };
        let Some(last) = updates.iter().map(|u| u.id.0).max() else {
            continue;
        };
        handle_batch(&tg, updates).await;
        offset = last as i32 + 1;
        if let Err(e) = tg
            .app
            .store
            .set_channel_value(&key, &offset.to_string(), bot::now_ms())
            .await
        {
            tracing::error!(error = %e, "could not save the Telegram update offset");
        }
    }
    tracing::info!("Telegram polling stopped");
}

/// Runs a batch with one task per chat; within a chat, in Telegram's order.
async fn handle_batch(tg: &Arc<Telegram>, updates: Vec<Update>) {
    let mut by_chat: BTreeMap<i64, Vec<Update>> = BTreeMap::new();
    for u in updates {
        if let Some(chat) = update::chat_of(&u) {
            by_chat.entry(chat).or_default().push(u);
        }
    }
    let mut tasks = tokio::task::JoinSet::new();
    for (_, list) in by_chat {
        let tg = tg.clone();
        tasks.spawn(async move {
            for u in list {
                update::process(&tg, u, update::Answered::No).await;
            }
        });
    }
    while let Some(r) = tasks.join_next().await {
        if let Err(e) = r {
            tracing::error!(error = %e, "a Telegram update task panicked");
        }
    }
}

/// Offsets belong to one bot: the key carries the bot's public numeric id
/// (the part of the token before ':'), never the secret part.
fn offset_key(tg: &Telegram) -> String {
    let token = tg.bot.inner().token();
    format!("telegram.offset.{}", token.split(':').next().unwrap_or(""))
}

async fn load_offset(tg: &Telegram, key: &str) -> i32 {
    match tg.app.store.channel_value_with_age(key).await {
        Ok(Some((value, updated_at))) if bot::now_ms() - updated_at < OFFSET_MAX_AGE_MS => {
            value.parse().unwrap_or(0)
        }
        Ok(_) => 0,
        Err(e) => {
            tracing::error!(error = %e, "could not read the Telegram update offset; starting from Telegram's");
            0
        }
    }
}
