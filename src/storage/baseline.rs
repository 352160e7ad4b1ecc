//! The machine's ceiling for the durable work a tip needs: single-row
//! commits of a tip-sized row on the same database, pool and pragmas. The
//! load benchmark reports Tipline's tips per second as a fraction of this, so
//! it measures the cost of our layers rather than the disk.
use std::time::{Duration, Instant};

use super::{Result, Store};

/// Roughly what a stored tip weighs: a description of a few hundred bytes plus columns.
const ROW_TEXT_BYTES: usize = 600;

#[derive(Debug, Clone, Copy)]
pub struct CommitCeiling {
    pub commits: u64,
    pub elapsed: Duration,
}

impl CommitCeiling {
    pub fn per_second(&self) -> f64 {
        self.commits as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

impl Store {
    /// Commits `total` single-row transactions from `concurrency` tasks into a
    /// scratch table (created and dropped here), taking the same write gate as
    /// real writes on SQLite.
    pub async fn measure_commit_ceiling(
        &self,
        total: u64,
        concurrency: usize,
    ) -> Result<CommitCeiling> {
        sqlx::query("DROP TABLE IF EXISTS bench_commit_ceiling")
            .execute(&self.pool)
            .await?;
        sqlx::query("CREATE TABLE bench_commit_ceiling (id BIGINT PRIMARY KEY NOT NULL, body TEXT NOT NULL, created_at BIGINT NOT NULL)")
            .execute(&self.pool)
            .await?;
        let body = "x".repeat(ROW_TEXT_BYTES);
        let next = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
        let start = Instant::now();
        let mut tasks = Vec::new();
        for _ in 0..concurrency.max(1) {
            let (store, body, next) = (self.clone(), body.clone(), next.clone());
            tasks.push(tokio::spawn(async move {
                loop {
                    let id = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    if id >= total {
                        return Ok::<(), super::StorageError>(());
                    }
                    let _gate = store.write_guard().await;
                    let mut tx = store.pool.begin().await?;
                    sqlx::query("INSERT INTO bench_commit_ceiling (id, body, created_at) VALUES ($1, $2, $3)")
                        .bind(id as i64)
                        .bind(&body)
                        .bind(id as i64)
                        .execute(&mut *tx)
                        .await?;
                    tx.commit().await?;
                }
            }));
        }
        for t in tasks {
            t.await
                .map_err(|e| super::StorageError::Corrupt(e.to_string()))??;
        }
        let elapsed = start.elapsed();
        sqlx::query("DROP TABLE bench_commit_ceiling")
            .execute(&self.pool)
            .await?;
        Ok(CommitCeiling {
            commits: total,
            elapsed,
        })
    }
}
