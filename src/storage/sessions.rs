//! Session rows: JSON state under a keyed hash, saved by compare-and-swap.
//! The state is sealed (it holds drafts: description, GPS, photo ids).
use sqlx::Row;

use super::sealed::{SESSION_STATE, open_text};
use super::stored_time::day_number;
use super::{Result, Store};
use crate::privacy::keyed::SessionKey;
use crate::privacy::seal::DataKeys;

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
        row.map(|r| {
            Ok(StoredSession {
                state: open_text(&self.keys, SESSION_STATE, r.get("state"))?,
                version: r.get("version"),
            })
        })
        .transpose()
    }

    /// Every stored session state, for integrity checks after a crash.
    pub async fn session_states(&self) -> Result<Vec<String>> {
        let rows = sqlx::query("SELECT state FROM sessions")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| open_text(&self.keys, SESSION_STATE, r.get("state")))
            .collect()
    }

    /// Drops sessions last active on a day before the day of `cutoff_ms`:
    /// drafts and throttles expire. Sessions keep only their day of activity
    /// (see `stored_time`), so the cutoff is a whole day too.
    pub async fn purge_sessions(&self, cutoff_ms: i64) -> Result<u64> {
        let _g = self.write_guard().await;
        let r = sqlx::query("DELETE FROM sessions WHERE active_day < $1")
            .bind(day_number(cutoff_ms))
            .execute(&self.pool)
            .await?;
        Ok(r.rows_affected())
    }
}

/// A session save in a group commit.
pub(crate) struct Save<'a> {
    pub key: &'a SessionKey,
    pub state: &'a str,
    pub now_ms: i64,
    /// 0 = the session is new.
    pub expected_version: i64,
}

/// Saves many sessions (distinct keys) in two statements, compare-and-swap
/// for each. Returns the keys that were saved; the others had changed.
pub(crate) async fn save_many_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    keys: &DataKeys,
    saves: &[Save<'_>],
) -> Result<std::collections::HashSet<String>> {
    let mut saved = std::collections::HashSet::with_capacity(saves.len());
    let (new, old): (Vec<&Save>, Vec<&Save>) = saves.iter().partition(|s| s.expected_version == 0);
    if !new.is_empty() {
        let rows: Vec<String> = (0..new.len())
            .map(|i| format!("(${}, ${}, 1, ${})", 3 * i + 1, 3 * i + 2, 3 * i + 3))
            .collect();
        let sql = format!(
            "INSERT INTO sessions (key, state, version, active_day) VALUES {} ON CONFLICT (key) DO NOTHING RETURNING key",
            rows.join(", ")
        );
        // Not cached: the text changes with the group size, and a cached
        // statement per size per connection would hold megabytes.
        let mut q = sqlx::query(&sql).persistent(false);
        for s in &new {
            q = q
                .bind(s.key.as_str())
                .bind(keys.seal_text(SESSION_STATE, s.state))
                .bind(day_number(s.now_ms));
        }
        saved.extend(
            q.fetch_all(&mut **tx)
                .await?
                .iter()
                .map(|r| r.get::<String, _>(0)),
        );
    }
    if !old.is_empty() {
        let sql = format!(
            "UPDATE sessions SET state = v.column2, version = sessions.version + 1, active_day = v.column3 \
             FROM (VALUES {}) AS v WHERE sessions.key = v.column1 AND sessions.version = v.column4 RETURNING key",
            super::sql::values_list(old.len(), 4, 1, &[2, 3])
        );
        // Not cached: the text changes with the group size, and a cached
        // statement per size per connection would hold megabytes.
        let mut q = sqlx::query(&sql).persistent(false);
        for s in &old {
            q = q
                .bind(s.key.as_str())
                .bind(keys.seal_text(SESSION_STATE, s.state))
                .bind(day_number(s.now_ms))
                .bind(s.expected_version);
        }
        saved.extend(
            q.fetch_all(&mut **tx)
                .await?
                .iter()
                .map(|r| r.get::<String, _>(0)),
        );
    }
    Ok(saved)
}
