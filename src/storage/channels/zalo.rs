//! The Zalo OA token pair: one row, refreshed by one lease holder at a time.
//! Both tokens are sealed at rest.
use sqlx::Row;

use crate::storage::sealed::{ZALO_ACCESS, ZALO_REFRESH, open_text};
use crate::storage::{Result, Store};

/// The stored Zalo token pair.
#[derive(Clone)]
pub struct ZaloTokens {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_at: i64,
    pub seed_fingerprint: String,
}

impl std::fmt::Debug for ZaloTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ZaloTokens")
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

impl Store {
    pub async fn zalo_tokens(&self) -> Result<Option<ZaloTokens>> {
        let row = sqlx::query("SELECT access_token, refresh_token, expires_at, seed_fingerprint FROM zalo_tokens WHERE id = 1")
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| {
            Ok(ZaloTokens {
                access_token: open_text(&self.keys, ZALO_ACCESS, r.get("access_token"))?,
                refresh_token: open_text(&self.keys, ZALO_REFRESH, r.get("refresh_token"))?,
                expires_at: r.get("expires_at"),
                seed_fingerprint: r.get("seed_fingerprint"),
            })
        })
        .transpose()
    }

    /// Stores the configured pair unless the same configured refresh token
    /// already seeded the row (then the stored, newer pair wins).
    pub async fn zalo_seed_tokens(&self, t: &ZaloTokens, now_ms: i64) -> Result<()> {
        let _g = self.write_guard().await;
        sqlx::query(
            "INSERT INTO zalo_tokens (id, access_token, refresh_token, expires_at, seed_fingerprint, updated_at) \
             VALUES (1, $1, $2, $3, $4, $5) ON CONFLICT (id) DO UPDATE SET access_token = excluded.access_token, \
             refresh_token = excluded.refresh_token, expires_at = excluded.expires_at, \
             seed_fingerprint = excluded.seed_fingerprint, updated_at = excluded.updated_at \
             WHERE zalo_tokens.seed_fingerprint <> excluded.seed_fingerprint",
        )
        .bind(self.keys.seal_text(ZALO_ACCESS, &t.access_token))
        .bind(self.keys.seal_text(ZALO_REFRESH, &t.refresh_token))
        .bind(t.expires_at)
        .bind(&t.seed_fingerprint)
        .bind(now_ms)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Takes (or renews) the refresh lease; false while another holder has it.
    pub async fn zalo_take_lease(&self, holder: &str, now_ms: i64, until_ms: i64) -> Result<bool> {
        let _g = self.write_guard().await;
        let n = sqlx::query("UPDATE zalo_tokens SET lease_holder = $1, lease_until = $2 WHERE id = 1 AND (lease_until < $3 OR lease_holder = $4)")
            .bind(holder)
            .bind(until_ms)
            .bind(now_ms)
            .bind(holder)
            .execute(&self.pool)
            .await?
            .rows_affected();
        Ok(n == 1)
    }

    /// Writes the new pair and releases the lease in one statement; false if
    /// the lease was lost meanwhile (the pair is then not written).
    pub async fn zalo_store_refreshed(
        &self,
        holder: &str,
        access: &str,
        refresh: &str,
        expires_at: i64,
        now_ms: i64,
    ) -> Result<bool> {
        let _g = self.write_guard().await;
        let n = sqlx::query(
            "UPDATE zalo_tokens SET access_token = $1, refresh_token = $2, expires_at = $3, updated_at = $4, \
             lease_holder = '', lease_until = 0 WHERE id = 1 AND lease_holder = $5",
        )
        .bind(self.keys.seal_text(ZALO_ACCESS, access))
        .bind(self.keys.seal_text(ZALO_REFRESH, refresh))
        .bind(expires_at)
        .bind(now_ms)
        .bind(holder)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(n == 1)
    }

    pub async fn zalo_release_lease(&self, holder: &str) -> Result<()> {
        let _g = self.write_guard().await;
        sqlx::query("UPDATE zalo_tokens SET lease_holder = '', lease_until = 0 WHERE id = 1 AND lease_holder = $1")
            .bind(holder)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

impl Store {
    /// A Zalo `unfollow`, once: the event's dedupe key is claimed and the
    /// subscription deleted in one transaction, so a redelivery arriving
    /// after the user followed and subscribed again deletes nothing.
    /// Returns false for a redelivery.
    pub async fn zalo_unfollow_once(
        &self,
        follower: &str,
        event_key: &str,
        now_ms: i64,
    ) -> Result<bool> {
        let ttl_days = crate::storage::step_commit::DELIVERY_TTL_DAYS;
        let expires = crate::storage::stored_time::day_number(now_ms) + ttl_days;
        let key = super::fingerprint(event_key);
        let _g = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        let taken = super::claim_many_in(&mut tx, &[(key.as_str(), expires)], ttl_days).await?;
        if taken.is_empty() {
            return Ok(false);
        }
        let to = crate::storage::subscriptions::Address {
            channel: crate::domain::channel::Channel::Zalo,
            id: follower,
        };
        crate::storage::subscriptions::unsubscribe_in(&mut tx, &self.keys, to, "removed", now_ms)
            .await?;
        tx.commit().await?;
        Ok(true)
    }
}
