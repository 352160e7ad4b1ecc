//! Re-sealing the two sealed values that come with a second column: a tip's
//! GPS point (which replaced the plaintext latitude and longitude columns)
//! and a subscription's address (with its keyed lookup value). Same rules as
//! `reseal`: batches, compare on the old value, nothing to resume by hand.
use sqlx::Row;

use super::reseal::{Cursor, plain_text};
use super::sealed::{self, TIP_LOCATION};
use super::{Result, Store};
use crate::domain::channel::Channel;

/// Seals plaintext GPS of tips stored before sealing, and re-seals sealed
/// points not under the current key.
pub(crate) async fn reseal_locations(
    store: &Store,
    batch: i64,
    progress: &mut (dyn FnMut(&str, u64) + Send),
) -> Result<u64> {
    let keys = &store.keys;
    let mut cursor = i64::MIN;
    let mut total = 0;
    loop {
        let rows = sqlx::query(
            "SELECT id, latitude, longitude, location FROM tips \
             WHERE id > $1 AND (latitude IS NOT NULL OR location IS NOT NULL) ORDER BY id LIMIT $2",
        )
        .bind(cursor)
        .bind(batch)
        .fetch_all(&store.pool)
        .await?;
        let Some(last) = rows.last() else { break };
        cursor = last.get("id");
        let _g = store.write_guard().await;
        let mut tx = store.pool.begin().await?;
        let mut n = 0;
        for r in &rows {
            let id: i64 = r.get("id");
            let location: Option<String> = r.get("location");
            let res = match location {
                Some(old) if keys.is_current_text(&old) => continue,
                Some(old) => {
                    let plain = plain_text(keys, TIP_LOCATION, &old)?;
                    sqlx::query("UPDATE tips SET location = $1 WHERE id = $2 AND location = $3")
                        .bind(keys.seal_text(TIP_LOCATION, &plain))
                        .bind(id)
                        .bind(old)
                        .execute(&mut *tx)
                        .await?
                }
                None => {
                    let point = r.get::<Option<f64>, _>("latitude").zip(r.get("longitude"));
                    sqlx::query("UPDATE tips SET location = $1, latitude = NULL, longitude = NULL WHERE id = $2 AND location IS NULL")
                        .bind(sealed::seal_location(keys, point))
                        .bind(id)
                        .execute(&mut *tx)
                        .await?
                }
            };
            n += res.rows_affected();
        }
        tx.commit().await?;
        total += n;
        progress("tips.location", n);
    }
    Ok(total)
}

/// Seals plaintext subscription addresses and re-seals old ones, with the
/// lookup value under the current key.
pub(crate) async fn reseal_addresses(
    store: &Store,
    batch: i64,
    progress: &mut (dyn FnMut(&str, u64) + Send),
) -> Result<u64> {
    let keys = &store.keys;
    let mut cursor = Cursor::start(false);
    let mut total = 0;
    loop {
        let rows = cursor
            .bind(sqlx::query(
                "SELECT id, channel, address FROM subscriptions WHERE id > $1 ORDER BY id LIMIT $2",
            ))
            .bind(batch)
            .fetch_all(&store.pool)
            .await?;
        let Some(last) = rows.last() else { break };
        cursor = Cursor::of(last, false);
        let _g = store.write_guard().await;
        let mut tx = store.pool.begin().await?;
        let mut n = 0;
        for r in &rows {
            let old: String = r.get("address");
            if keys.is_current_text(&old) {
                continue;
            }
            let channel: Channel = super::channel_column(r, "channel")?;
            let plain = plain_text(keys, sealed::SUB_ADDRESS, &old)?;
            let lookup = sealed::address_keys(keys, channel, &plain).remove(0);
            let res = sqlx::query(
                "UPDATE subscriptions SET address = $1, address_key = $2 WHERE id = $3 AND address = $4",
            )
            .bind(keys.seal_text(sealed::SUB_ADDRESS, &plain))
            .bind(lookup)
            .bind(r.get::<i64, _>("id"))
            .bind(old)
            .execute(&mut *tx)
            .await?;
            n += res.rows_affected();
        }
        tx.commit().await?;
        total += n;
        progress("subscriptions.address", n);
    }
    Ok(total)
}
