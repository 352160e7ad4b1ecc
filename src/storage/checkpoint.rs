//! SQLite WAL checkpoints, off the commit path. By default SQLite copies the
//! WAL back into the database inside whichever commit crosses 1,000 pages,
//! which under load stalls every citizen queued behind that commit. Here the
//! write connections never checkpoint; this task does it in the background
//! with PASSIVE checkpoints, which wait for no one and block no writer.
use std::time::Duration;

use sqlx::{AnyPool, Row};

use super::write_gate::WriteGate;

const EVERY: Duration = Duration::from_millis(250);
/// WAL size (pages) above which writers are paused for a RESTART checkpoint.
/// Under steady load some reader always holds a WAL snapshot, so SQLite never
/// rewinds the WAL on its own and it would grow without bound. Passive
/// checkpoints have already copied nearly everything, so the pause is short.
/// 4,000 pages is about 16 MB at 4 KiB pages.
const RESTART_ABOVE_PAGES: i64 = 4_000;

pub(crate) fn start(pool: AnyPool, gate: WriteGate) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if pool.is_closed() {
                return;
            }
            if let Err(e) = checkpoint(&pool, &gate).await {
                tracing::debug!(error = %e, "WAL checkpoint skipped");
            }
        }
    });
}

async fn checkpoint(pool: &AnyPool, gate: &WriteGate) -> sqlx::Result<()> {
    let started = std::time::Instant::now();
    let row = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
        .fetch_one(pool)
        .await?;
    // (busy, WAL pages, pages checkpointed)
    let (log, done): (i64, i64) = (row.try_get(1)?, row.try_get(2)?);
    tracing::debug!(
        log,
        done,
        micros = started.elapsed().as_micros() as u64,
        "WAL checkpoint"
    );
    if log > RESTART_ABOVE_PAGES {
        let started = std::time::Instant::now();
        let _writers_wait = gate.lock().await;
        let row = sqlx::query("PRAGMA wal_checkpoint(RESTART)")
            .fetch_one(pool)
            .await?;
        let busy: i64 = row.try_get(0)?;
        tracing::debug!(
            log,
            done,
            busy,
            micros = started.elapsed().as_micros() as u64,
            "WAL rewound"
        );
    }
    Ok(())
}
