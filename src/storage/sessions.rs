//! Session rows: JSON state under a keyed hash, saved by compare-and-swap.
use sqlx::Row;

use super::{Result, StorageError, Store};
use crate::privacy::keyed::SessionKey;

/// A loaded session and the version it was read at (0 = not stored yet).
#[derive(Debug, Clone)]
pub struct StoredSession {
    pub state: String,
    pub version: i64,
}

impl Store {
    pub async fn load_session(&self, key: &SessionKey) -> Result<Option<StoredSession>> {
        let row = sqlx::query("SELECT state, version FROM sessions WHERE key = $1")
            .bind(key.as_str())
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| StoredSession {
            state: r.get("state"),
            version: r.get("version"),
        }))
    }

    /// Every stored session state, for integrity checks after a crash.
    pub async fn session_states(&self) -> Result<Vec<String>> {
        let rows = sqlx::query("SELECT state FROM sessions")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(|r| r.get("state")).collect())
    }

    /// Drops sessions idle since before `cutoff_ms`: drafts and throttles expire.
    pub async fn purge_sessions(&self, cutoff_ms: i64) -> Result<u64> {
        let _g = self.write_guard().await;
        let r = sqlx::query("DELETE FROM sessions WHERE updated_at < $1")
            .bind(cutoff_ms)
            .execute(&self.pool)
            .await?;
        Ok(r.rows_affected())
    }
}

/// Saves inside an open transaction; `Conflict` if another writer got there first.
pub(crate) async fn save_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    key: &SessionKey,
    expected_version: i64,
    state: &str,
    now_ms: i64,
) -> Result<()> {
    let affected = if expected_version == 0 {
        sqlx::query("INSERT INTO sessions (key, state, version, updated_at) VALUES ($1, $2, 1, $3) ON CONFLICT (key) DO NOTHING")
            .bind(key.as_str())
            .bind(state)
            .bind(now_ms)
            .execute(&mut **tx)
            .await?
            .rows_affected()
    } else {
        sqlx::query("UPDATE sessions SET state = $1, version = version + 1, updated_at = $2 WHERE key = $3 AND version = $4")
            .bind(state)
            .bind(now_ms)
            .bind(key.as_str())
            .bind(expected_version)
            .execute(&mut **tx)
            .await?
            .rows_affected()
    };
    if affected == 1 {
        Ok(())
    } else {
        Err(StorageError::Conflict)
    }
}
