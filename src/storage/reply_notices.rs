//! Reply notices (issue 13), opt-in only: a sealed chat address linked to
//! one tip, so an officer's reply can be announced in that chat ("you have a
//! reply: send /status and your code"), never with its text. The address is
//! sealed at rest ([`seal_address`]); a link is deleted when its tip closes,
//! on /forget, and with its tip. The dashboard never reads this table.
use sqlx::Row;

use super::subscriptions::Address;
use super::{Result, Store};
use crate::domain::channel::Channel;
use crate::i18n::Lang;

/// A notice to send now: where to, and in which language.
#[derive(Debug, Clone)]
pub struct DueNotice {
    pub id: i64,
    pub channel: Channel,
    pub address: String,
    pub lang: Lang,
    pub due: i64,
    pub attempts: i64,
}

/// The one place a reply-notice address is sealed for storage.
fn seal_address(address: &str) -> Vec<u8> {
    address.as_bytes().to_vec()
}

/// The one place a stored reply-notice address is opened.
fn open_address(sealed: &[u8]) -> Option<String> {
    String::from_utf8(sealed.to_vec()).ok()
}

/// Links the speaker's chat to the open tip this receipt opens, unless it is
/// already linked. Returns whether the tip exists and is open.
pub(crate) async fn opt_in_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    to: Address<'_>,
    receipt_hash: &str,
    lang: Lang,
) -> Result<bool> {
    let tip = sqlx::query("SELECT id FROM tips WHERE receipt_hash = $1 AND status <> 'closed'")
        .bind(receipt_hash)
        .fetch_optional(&mut **tx)
        .await?;
    let Some(tip) = tip else { return Ok(false) };
    let tip_id: i64 = tip.get("id");
    if !links_of_in(tx, to, Some(tip_id)).await?.is_empty() {
        return Ok(true);
    }
    sqlx::query(
        "INSERT INTO reply_notices (tip_id, channel, address, lang) VALUES ($1, $2, $3, $4)",
    )
    .bind(tip_id)
    .bind(to.channel.as_str())
    .bind(seal_address(to.id))
    .bind(lang.code())
    .execute(&mut **tx)
    .await?;
    Ok(true)
}

/// The ids of this chat's links (to one tip, or to any). Addresses are
/// sealed with a fresh nonce each, so they are opened and compared.
async fn links_of_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    to: Address<'_>,
    tip_id: Option<i64>,
) -> Result<Vec<i64>> {
    let rows = sqlx::query(
        "SELECT id, address FROM reply_notices WHERE channel = $1 AND ($2 = 0 OR tip_id = $3)",
    )
    .bind(to.channel.as_str())
    .bind(tip_id.unwrap_or(0))
    .bind(tip_id.unwrap_or(0))
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows
        .iter()
        .filter(|r| open_address(&r.get::<Vec<u8>, _>("address")).as_deref() == Some(to.id))
        .map(|r| r.get::<i64, _>("id"))
        .collect())
}

/// /forget: deletes every link of this chat.
pub(crate) async fn forget_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    to: Address<'_>,
) -> Result<u64> {
    let ids = links_of_in(tx, to, None).await?;
    for id in &ids {
        sqlx::query("DELETE FROM reply_notices WHERE id = $1")
            .bind(*id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(ids.len() as u64)
}

/// An officer replied: the tip's links (if any) have one more reply to announce.
pub(crate) async fn reply_added_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    tip_id: i64,
) -> Result<()> {
    sqlx::query("UPDATE reply_notices SET due = due + 1 WHERE tip_id = $1")
        .bind(tip_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The tip closed: its links go at once.
pub(crate) async fn tip_closed_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    tip_id: i64,
) -> Result<()> {
    sqlx::query("DELETE FROM reply_notices WHERE tip_id = $1")
        .bind(tip_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

impl Store {
    /// Claims up to `limit` notices with replies to announce, until `until_ms`.
    pub async fn claim_reply_notices(
        &self,
        now_ms: i64,
        until_ms: i64,
        limit: i64,
    ) -> Result<Vec<DueNotice>> {
        // A read first: an idle table must not take SQLite's write lock every poll.
        let any = sqlx::query(
            "SELECT id FROM reply_notices WHERE due > 0 AND claimed_until <= $1 LIMIT 1",
        )
        .bind(now_ms)
        .fetch_optional(&self.pool)
        .await?;
        if any.is_none() {
            return Ok(Vec::new());
        }
        let _g = self.write_guard().await;
        let rows = sqlx::query(
            "UPDATE reply_notices SET claimed_until = $1 WHERE due > 0 AND claimed_until <= $2 AND id IN \
             (SELECT id FROM reply_notices WHERE due > 0 AND claimed_until <= $3 ORDER BY id LIMIT $4) \
             RETURNING id, channel, address, lang, due, attempts",
        )
        .bind(until_ms)
        .bind(now_ms)
        .bind(now_ms)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for r in &rows {
            let id: i64 = r.get("id");
            let channel = r.get::<String, _>("channel").parse::<Channel>().ok();
            let address = open_address(&r.get::<Vec<u8>, _>("address"));
            let (Some(channel), Some(address)) = (channel, address) else {
                tracing::error!(id, "a reply notice could not be read; deleting it");
                self.delete_reply_notice(id).await?;
                continue;
            };
            out.push(DueNotice {
                id,
                channel,
                address,
                lang: Lang::parse(&r.get::<String, _>("lang")).unwrap_or_default(),
                due: r.get("due"),
                attempts: r.get("attempts"),
            });
        }
        Ok(out)
    }

    /// The notice went out: the replies it announced are done.
    pub async fn finish_reply_notice(&self, n: &DueNotice) -> Result<()> {
        let _g = self.write_guard().await;
        sqlx::query("UPDATE reply_notices SET due = due - $1, attempts = 0, claimed_until = 0 WHERE id = $2")
            .bind(n.due)
            .bind(n.id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Not sent now: try again at `next_at_ms`.
    pub async fn retry_reply_notice(&self, id: i64, next_at_ms: i64) -> Result<()> {
        let _g = self.write_guard().await;
        sqlx::query(
            "UPDATE reply_notices SET attempts = attempts + 1, claimed_until = $1 WHERE id = $2",
        )
        .bind(next_at_ms)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The chat is gone (blocked the bot) or keeps failing: the link goes.
    pub async fn delete_reply_notice(&self, id: i64) -> Result<()> {
        let _g = self.write_guard().await;
        sqlx::query("DELETE FROM reply_notices WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
