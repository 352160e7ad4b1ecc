//! Channel state: the Telegram polling offset, handled-message dedupe, the
//! Zalo token pair under a lease (zalo.rs), and the unit notification
//! outbox (outbox.rs). None of it identifies a citizen.
use sha2::{Digest, Sha256};
use sqlx::Row;

use super::{Result, Store};

mod outbox;
mod zalo;

pub(crate) use outbox::enqueue_tip_notices_in;
pub use outbox::{NoticeFacts, NoticeKind, PendingNotice, enqueue_unit_notice_in};
pub use zalo::ZaloTokens;

/// SHA-256 hex of a string: dedupe keys and token fingerprints, never the raw value.
pub fn fingerprint(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

impl Store {
    /// A named channel value and when it was last written.
    pub async fn channel_value_with_age(&self, name: &str) -> Result<Option<(String, i64)>> {
        let row = sqlx::query("SELECT value, updated_at FROM channel_state WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| (r.get("value"), r.get("updated_at"))))
    }

    pub async fn set_channel_value(&self, name: &str, value: &str, now_ms: i64) -> Result<()> {
        let _g = self.write_guard().await;
        sqlx::query(
            "INSERT INTO channel_state (name, value, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        )
        .bind(name)
        .bind(value)
        .bind(now_ms)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Drops expired dedupe rows and old finished notices (whose done time
    /// is a day number, see `stored_time`).
    pub async fn purge_channel_rows(&self, now_ms: i64, keep_notices_ms: i64) -> Result<u64> {
        let _g = self.write_guard().await;
        let a = sqlx::query("DELETE FROM processed_messages WHERE expires_day <= $1")
            .bind(super::stored_time::day_number(now_ms))
            .execute(&self.pool)
            .await?;
        let b = sqlx::query(
            "DELETE FROM unit_notifications WHERE done_at IS NOT NULL AND done_at < $1",
        )
        .bind(super::stored_time::day_number(now_ms - keep_notices_ms))
        .execute(&self.pool)
        .await?;
        let c = super::erasable::purge_old(&self.pool, now_ms).await?;
        Ok(a.rows_affected() + b.rows_affected() + c)
    }

    /// Sessions stored and the sum of their versions: any saved step changes it.
    pub async fn sessions_fingerprint(&self) -> Result<(i64, i64)> {
        let r = sqlx::query(
            "SELECT COUNT(*) AS n, CAST(COALESCE(SUM(version), 0) AS BIGINT) AS v FROM sessions",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok((r.get("n"), r.get("v")))
    }
}

/// Claims many platform messages (distinct fingerprints, each with the day
/// its claim expires) in one statement; returns the ones taken now. The
/// others were already handled: redeliveries. A claim whose expiry day has
/// come (expires_day <= today) is taken again.
pub(crate) async fn claim_many_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    claims: &[(&str, i64)],
    ttl_days: i64,
) -> Result<std::collections::HashSet<String>> {
    let n = claims.len();
    let sql = format!(
        "INSERT INTO processed_messages (key, expires_day) VALUES {} \
         ON CONFLICT (key) DO UPDATE SET expires_day = excluded.expires_day \
         WHERE processed_messages.expires_day <= excluded.expires_day - ${} RETURNING key",
        super::sql::values_list(n, 2, 1, &[]),
        2 * n + 1
    );
    // Not cached: the text changes with the group size, and a cached
    // statement per size per connection would hold megabytes.
    let mut q = sqlx::query(&sql).persistent(false);
    for (key, expires_day) in claims {
        q = q.bind(*key).bind(*expires_day);
    }
    let rows = q.bind(ttl_days).fetch_all(&mut **tx).await?;
    Ok(rows.iter().map(|r| r.get::<String, _>(0)).collect())
}

/// Gives claims back: their steps did not commit a session.
pub(crate) async fn release_many_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    keys: &[&str],
) -> Result<()> {
    let marks: Vec<String> = (1..=keys.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "DELETE FROM processed_messages WHERE key IN ({})",
        marks.join(", ")
    );
    // Not cached: the text changes with the group size, and a cached
    // statement per size per connection would hold megabytes.
    let mut q = sqlx::query(&sql).persistent(false);
    for k in keys {
        q = q.bind(*k);
    }
    q.execute(&mut **tx).await?;
    Ok(())
}
