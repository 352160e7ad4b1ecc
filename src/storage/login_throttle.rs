//! Login attempts, counted before the password is checked: one statement
//! admits or refuses an attempt, so parallel requests cannot all slip in
//! under the limit. Past a free allowance each admitted attempt pushes the
//! next one out (linear backoff, capped), rather than locking the account.
use sqlx::Row;

use super::{Result, Store};

/// How many attempts a key gets before backoff, and how long it grows.
#[derive(Debug, Clone, Copy)]
pub struct Backoff {
    /// Attempts admitted without delay within one window.
    pub free: i64,
    /// Delay after the last free attempt; each further attempt adds as much.
    pub step_ms: i64,
    /// The longest delay.
    pub max_ms: i64,
    /// Counters older than this many ms start over.
    pub window_ms: i64,
}

impl Store {
    /// Counts an attempt under `key` if the key is not backing off; false means refused.
    pub async fn admit_login_attempt(&self, key: &str, b: Backoff, now_ms: i64) -> Result<bool> {
        let _g = self.write_guard().await;
        // `fresh` is true when the stored window is over and the count starts again.
        let row = sqlx::query(
            "INSERT INTO login_throttle (key, failures, window_start, next_at) \
             VALUES ($1, 1, $2, CASE WHEN 1 >= $4 THEN $2 + $5 ELSE 0 END) \
             ON CONFLICT (key) DO UPDATE SET \
             failures = CASE WHEN login_throttle.window_start < $3 THEN 1 ELSE login_throttle.failures + 1 END, \
             window_start = CASE WHEN login_throttle.window_start < $3 THEN $2 ELSE login_throttle.window_start END, \
             next_at = CASE WHEN login_throttle.window_start < $3 OR login_throttle.failures + 1 < $4 THEN 0 \
                 WHEN $5 * (login_throttle.failures + 2 - $4) > $6 THEN $2 + $6 \
                 ELSE $2 + $5 * (login_throttle.failures + 2 - $4) END \
             WHERE login_throttle.next_at <= $2 OR login_throttle.window_start < $3 \
             RETURNING failures",
        )
        .bind(key)
        .bind(now_ms)
        .bind(now_ms - b.window_ms)
        .bind(b.free)
        .bind(b.step_ms)
        .bind(b.max_ms)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.is_some_and(|r| r.get::<i64, _>("failures") > 0))
    }

    /// Forgets a key's attempts (an account after a successful login).
    pub async fn clear_login_attempts(&self, key: &str) -> Result<()> {
        let _g = self.write_guard().await;
        sqlx::query("DELETE FROM login_throttle WHERE key = $1")
            .bind(key)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Gives back one attempt (a client's, after it signed in successfully),
    /// so colleagues behind one office address do not use up each other's tries.
    pub async fn refund_login_attempt(&self, key: &str, b: Backoff) -> Result<()> {
        let _g = self.write_guard().await;
        sqlx::query(
            "UPDATE login_throttle SET failures = failures - 1, \
             next_at = CASE WHEN failures - 1 < $2 THEN 0 ELSE next_at END \
             WHERE key = $1 AND failures > 0",
        )
        .bind(key)
        .bind(b.free)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}
