//! Messaging windows: a platform (Zalo) accepts a broadcast only within a
//! time after the subscriber's last interaction. The subscription keeps the
//! day of that interaction (see migration 0009), never a finer time.
use sqlx::Row;

use super::sealed::address_keys;
use super::subscriptions::{address_match, bind_address};
use super::{Result, Store};
use crate::domain::channel::Channel;

use super::stored_time::DAY_MS;
/// The UTC day number of a unix-ms time: the only precision kept.
pub use super::stored_time::day_number as day_of;

/// Where a day starts, in unix ms.
pub fn day_start_ms(day: i64) -> i64 {
    day * DAY_MS
}

impl Store {
    /// Notes that a subscriber interacted on `day`. Read first, so a chatty
    /// user costs one write a day, and no write at all when not subscribed.
    pub async fn note_interaction_day(
        &self,
        channel: Channel,
        address: &str,
        day: i64,
    ) -> Result<()> {
        let lookups = address_keys(&self.keys, channel, address);
        let sql = format!(
            "SELECT last_interaction_day FROM subscriptions WHERE {}",
            address_match(1, &lookups)
        );
        let row = bind_address(sqlx::query(&sql), channel, &lookups)
            .fetch_optional(&self.pool)
            .await?;
        let known = match row {
            None => return Ok(()),
            Some(r) => r.get::<Option<i64>, _>("last_interaction_day"),
        };
        if known.is_some_and(|d| d >= day) {
            return Ok(());
        }
        let _g = self.write_guard().await;
        let sql = format!(
            "UPDATE subscriptions SET last_interaction_day = $1 \
             WHERE (last_interaction_day IS NULL OR last_interaction_day < $2) AND {}",
            address_match(3, &lookups)
        );
        let q = sqlx::query(&sql).bind(day).bind(day);
        bind_address(q, channel, &lookups)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Marks the pending deliveries of running campaigns on `channel` whose
    /// subscriber last interacted before `oldest_day` (or never, as far as
    /// we know) as `outside_window`: final, never sent, shown in progress.
    pub async fn skip_outside_window(
        &self,
        channel: Channel,
        oldest_day: i64,
        now_ms: i64,
    ) -> Result<u64> {
        let _g = self.write_guard().await;
        let r = sqlx::query(
            "UPDATE deliveries SET state = 'outside_window', updated_at = $1 \
             WHERE channel = $2 AND state = 'pending' \
             AND campaign_id IN (SELECT id FROM campaigns WHERE state = 'running') \
             AND subscription_id IN (SELECT id FROM subscriptions WHERE channel = $3 \
               AND (last_interaction_day IS NULL OR last_interaction_day < $4))",
        )
        .bind(now_ms)
        .bind(channel.as_str())
        .bind(channel.as_str())
        .bind(oldest_day)
        .execute(&self.pool)
        .await?;
        Ok(r.rows_affected())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_holds_no_finer_time() {
        let noon = 20_000 * DAY_MS + 12 * 3600 * 1000;
        assert_eq!(day_of(noon), 20_000);
        assert_eq!(day_of(day_start_ms(20_000)), 20_000);
        assert_eq!(day_of(day_start_ms(20_001) - 1), 20_000);
    }
}
