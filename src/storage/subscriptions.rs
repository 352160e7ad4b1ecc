//! Subscriptions: the one table with a chat address, by design (a broadcast
//! cannot be delivered without it). Only people who sent /subscribe are in
//! it; /unsubscribe, a Telegram 403 or a Zalo unfollow deletes their row.
//! Nothing else references it. The address is sealed; rows are found by
//! `address_key`, a keyed hash under the data key (see `sealed`).
use std::collections::BTreeMap;

use sqlx::Row;

use super::channel_column;
use super::sealed::{SUB_ADDRESS, address_keys, placeholders};
use super::{Result, Store};
use crate::domain::area::ProvinceCode;
use crate::domain::campaign::Target;
use crate::domain::channel::Channel;
use crate::i18n::Lang;
use crate::privacy::seal::DataKeys;

/// Where a subscriber's messages go: the channel and its chat address (for
/// Telegram private chats and Zalo, the platform user id). Lives in memory
/// for one request; stored only by [`subscribe_in`].
#[derive(Debug, Clone, Copy)]
pub struct Address<'a> {
    pub channel: Channel,
    pub id: &'a str,
}

/// `channel = $first AND address_key IN (...)`: the row of an address,
/// whichever data key its lookup value is under (a rotation may be running).
pub(crate) fn address_match(first: usize, lookups: &[String]) -> String {
    format!(
        "channel = ${first} AND address_key IN ({})",
        placeholders(first + 1, lookups.len())
    )
}

/// Binds the values of [`address_match`].
pub(crate) fn bind_address<'q>(
    mut q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    channel: Channel,
    lookups: &'q [String],
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    q = q.bind(channel.as_str());
    for l in lookups {
        q = q.bind(l.as_str());
    }
    q
}

/// Stores or updates a subscription inside the step's transaction.
pub(crate) async fn subscribe_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    keys: &DataKeys,
    to: Address<'_>,
    lang: Lang,
    province: Option<ProvinceCode>,
) -> Result<()> {
    let lookups = address_keys(keys, to.channel, to.id);
    let province = province.map(|p| i64::from(p.0));
    let sql = format!(
        "UPDATE subscriptions SET lang = $1, province_code = $2 WHERE {}",
        address_match(3, &lookups)
    );
    let q = sqlx::query(&sql).bind(lang.code()).bind(province);
    let updated = bind_address(q, to.channel, &lookups)
        .execute(&mut **tx)
        .await?;
    if updated.rows_affected() > 0 {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO subscriptions (channel, address, address_key, lang, province_code) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (channel, address_key) DO UPDATE SET lang = excluded.lang, province_code = excluded.province_code",
    )
    .bind(to.channel.as_str())
    .bind(keys.seal_text(SUB_ADDRESS, to.id))
    .bind(&lookups[0])
    .bind(lang.code())
    .bind(province)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub(crate) async fn set_lang_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    keys: &DataKeys,
    to: Address<'_>,
    lang: Lang,
) -> Result<()> {
    let lookups = address_keys(keys, to.channel, to.id);
    let sql = format!(
        "UPDATE subscriptions SET lang = $1 WHERE {}",
        address_match(2, &lookups)
    );
    let q = sqlx::query(&sql).bind(lang.code());
    bind_address(q, to.channel, &lookups)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Deletes a subscription; its not-yet-sent deliveries are marked `skip_as`
/// first ('unsubscribed' or 'removed'), then lose their link to the address.
pub(crate) async fn unsubscribe_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    keys: &DataKeys,
    to: Address<'_>,
    skip_as: &str,
    now_ms: i64,
) -> Result<bool> {
    let lookups = address_keys(keys, to.channel, to.id);
    let sql = format!(
        "UPDATE deliveries SET state = $1, updated_at = $2 WHERE state = 'pending' AND subscription_id IN \
         (SELECT id FROM subscriptions WHERE {})",
        address_match(3, &lookups)
    );
    let q = sqlx::query(&sql).bind(skip_as).bind(now_ms);
    bind_address(q, to.channel, &lookups)
        .execute(&mut **tx)
        .await?;
    let sql = format!(
        "DELETE FROM subscriptions WHERE {}",
        address_match(1, &lookups)
    );
    let r = bind_address(sqlx::query(&sql), to.channel, &lookups)
        .execute(&mut **tx)
        .await?;
    Ok(r.rows_affected() > 0)
}

impl Store {
    /// For the channels: the platform says this chat is gone (Telegram 403
    /// "bot was blocked", a Zalo `unfollow`). Returns whether a row existed.
    pub async fn remove_subscription(
        &self,
        channel: Channel,
        address: &str,
        now_ms: i64,
    ) -> Result<bool> {
        let _g = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        let to = Address {
            channel,
            id: address,
        };
        let existed = unsubscribe_in(&mut tx, &self.keys, to, "removed", now_ms).await?;
        tx.commit().await?;
        Ok(existed)
    }

    /// Subscribes outside a conversation (tests, benchmarks, imports).
    pub async fn add_subscription(
        &self,
        to: Address<'_>,
        lang: Lang,
        province: Option<ProvinceCode>,
    ) -> Result<()> {
        let _g = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        subscribe_in(&mut tx, &self.keys, to, lang, province).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Many subscriptions in one transaction (imports, tests, the benchmark).
    pub async fn add_subscriptions(
        &self,
        subs: &[(Address<'_>, Lang, Option<ProvinceCode>)],
    ) -> Result<()> {
        let _g = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        for (to, lang, province) in subs {
            subscribe_in(&mut tx, &self.keys, *to, *lang, *province).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn is_subscribed(&self, channel: Channel, address: &str) -> Result<bool> {
        let lookups = address_keys(&self.keys, channel, address);
        let sql = format!(
            "SELECT COUNT(*) AS n FROM subscriptions WHERE {}",
            address_match(1, &lookups)
        );
        let row = bind_address(sqlx::query(&sql), channel, &lookups)
            .fetch_one(&self.pool)
            .await?;
        Ok(row.get::<i64, _>("n") > 0)
    }

    /// Current subscribers a target would reach, per channel (for previews).
    pub async fn audience(&self, target: &Target) -> Result<BTreeMap<Channel, i64>> {
        let rows = match target {
            Target::All => {
                sqlx::query("SELECT channel, COUNT(*) AS n FROM subscriptions GROUP BY channel")
                    .fetch_all(&self.pool)
                    .await?
            }
            Target::Provinces(codes) => {
                let list = codes
                    .iter()
                    .map(|c| c.0.to_string())
                    .collect::<Vec<_>>()
                    .join(",");
                // Codes are validated u32s, so this list cannot carry SQL.
                let sql = format!(
                    "SELECT channel, COUNT(*) AS n FROM subscriptions WHERE province_code IN ({list}) GROUP BY channel"
                );
                sqlx::query(&sql).fetch_all(&self.pool).await?
            }
        };
        rows.iter()
            .map(|r| Ok((channel_column(r, "channel")?, r.get::<i64, _>("n"))))
            .collect()
    }
}
