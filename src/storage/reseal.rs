//! Keeping the sealed columns under the data keys: the startup check (every
//! key that sealed something must open its probe), the first-start sealing
//! of rows written before sealing existed, and key rotation.
//!
//! Re-sealing walks each sealed column in primary-key order, a batch per
//! transaction, and rewrites only values not already under the current key,
//! each with a compare on its old value so a concurrent write is never
//! overwritten. It keeps no cursor: a run killed half-way leaves every row
//! either old or new (both open while the old key is in the file), and the
//! next run skips what is done. Old keys' probes go only after a full pass,
//! and the key file drops old keys only after that.
use sqlx::Row;

use super::sealed::{self, KEY_PROBE};
use super::{Backend, Result, Store};
use crate::privacy::seal::DataKeys;

/// One sealed column: its table, primary key (text or integer) and context.
struct Column {
    table: &'static str,
    id: &'static str,
    text_id: bool,
    column: &'static str,
    context: &'static str,
    bytes: bool,
}

const fn col(table: &'static str, column: &'static str, context: &'static str) -> Column {
    Column {
        table,
        id: "id",
        text_id: false,
        column,
        context,
        bytes: false,
    }
}

/// Every sealed column that re-seals by itself (locations and addresses
/// carry a second column and have their own passes). A new sealed column is
/// added here, or `keys rotate` would retire a key its rows still need.
const COLUMNS: [Column; 7] = [
    col("tips", "description", sealed::TIP_DESCRIPTION),
    col("tip_events", "body", sealed::EVENT_BODY),
    Column {
        text_id: true,
        bytes: true,
        ..col("attachments", "bytes", sealed::ATTACHMENT_BYTES)
    },
    Column {
        id: "key",
        text_id: true,
        ..col("sessions", "state", sealed::SESSION_STATE)
    },
    col("officers", "totp_secret", sealed::TOTP_SECRET),
    col("zalo_tokens", "access_token", sealed::ZALO_ACCESS),
    col("zalo_tokens", "refresh_token", sealed::ZALO_REFRESH),
];

/// What a re-sealing pass rewrote, per column (`table.column`).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Resealed {
    pub columns: Vec<(String, u64)>,
}

impl Resealed {
    pub fn total(&self) -> u64 {
        self.columns.iter().map(|(_, n)| n).sum()
    }
}

/// At startup: every key that sealed data in this database must open its
/// probe; a database never sealed (new, or upgraded from before sealing) is
/// sealed now; the current key gets its probe.
pub(crate) async fn check_keys(store: &Store) -> Result<()> {
    let probes = sqlx::query("SELECT key_id, probe FROM data_keys_in_use ORDER BY key_id")
        .fetch_all(&store.pool)
        .await?;
    for p in &probes {
        sealed::open_text(&store.keys, KEY_PROBE, p.get("probe"))?;
    }
    if probes.is_empty() {
        let sealed = store.reseal_all(500, &mut |_, _| {}).await?;
        if sealed.total() > 0 {
            tracing::info!(
                rows = sealed.total(),
                "sealed the rows stored before sealing at rest"
            );
        }
    }
    add_probe(store).await
}

async fn add_probe(store: &Store) -> Result<()> {
    let keys = &store.keys;
    let _g = store.write_guard().await;
    sqlx::query("INSERT INTO data_keys_in_use (key_id, probe) VALUES ($1, $2) ON CONFLICT (key_id) DO NOTHING")
        .bind(keys.current_id())
        .bind(keys.seal_text(KEY_PROBE, "tipline"))
        .execute(&store.pool)
        .await?;
    Ok(())
}

impl Store {
    /// Re-seals every sealed value not under the current key (plaintext from
    /// before sealing included), `batch` rows per transaction. `progress` is
    /// told after each committed batch: (`table.column`, rows rewritten).
    pub async fn reseal_all(
        &self,
        batch: i64,
        progress: &mut (dyn FnMut(&str, u64) + Send),
    ) -> Result<Resealed> {
        let mut done = Resealed::default();
        for c in &COLUMNS {
            let n = self.reseal_column(c, batch, progress).await?;
            done.columns.push((format!("{}.{}", c.table, c.column), n));
        }
        let n = super::reseal_pairs::reseal_locations(self, batch, progress).await?;
        done.columns.push(("tips.location".into(), n));
        let n = super::reseal_pairs::reseal_addresses(self, batch, progress).await?;
        done.columns.push(("subscriptions.address".into(), n));
        self.truncate_wal().await?;
        Ok(done)
    }

    /// Ends a rotation: once every value is under the current key, the
    /// probes of older keys go, so the next start no longer needs them.
    /// Returns the ids of the keys no longer needed.
    pub async fn retire_old_keys(&self) -> Result<Vec<String>> {
        add_probe(self).await?;
        let current = self.keys.current_id();
        let old: Vec<String> = self
            .keys
            .ids()
            .into_iter()
            .filter(|id| *id != current)
            .collect();
        let _g = self.write_guard().await;
        sqlx::query("DELETE FROM data_keys_in_use WHERE key_id <> $1")
            .bind(&current)
            .execute(&self.pool)
            .await?;
        Ok(old)
    }

    /// SQLite: copies the WAL into the database and empties it, so rows just
    /// deleted or re-sealed leave no old copy on disk (with `secure_delete`).
    pub async fn truncate_wal(&self) -> Result<()> {
        if self.backend == Backend::Sqlite {
            let _g = self.write_guard().await;
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .fetch_all(&self.pool)
                .await?;
        }
        Ok(())
    }

    async fn reseal_column(
        &self,
        c: &Column,
        batch: i64,
        progress: &mut (dyn FnMut(&str, u64) + Send),
    ) -> Result<u64> {
        let name = format!("{}.{}", c.table, c.column);
        let select = format!(
            "SELECT {id} AS id, {col} AS v FROM {t} WHERE {id} > $1 ORDER BY {id} LIMIT $2",
            id = c.id,
            col = c.column,
            t = c.table
        );
        let update = format!(
            "UPDATE {t} SET {col} = $1 WHERE {id} = $2 AND {col} = $3",
            id = c.id,
            col = c.column,
            t = c.table
        );
        let mut cursor = Cursor::start(c.text_id);
        let mut total = 0;
        loop {
            let q = sqlx::query(&select);
            let rows = cursor.bind(q).bind(batch).fetch_all(&self.pool).await?;
            let Some(last) = rows.last() else { break };
            cursor = Cursor::of(last, c.text_id);
            let _g = self.write_guard().await;
            let mut tx = self.pool.begin().await?;
            let mut n = 0;
            for r in &rows {
                let id = Cursor::of(r, c.text_id);
                n += if c.bytes {
                    self.reseal_bytes_in(&mut tx, &update, c.context, id, r)
                        .await?
                } else {
                    self.reseal_text_in(&mut tx, &update, c.context, id, r)
                        .await?
                };
            }
            tx.commit().await?;
            total += n;
            progress(&name, n);
        }
        Ok(total)
    }

    async fn reseal_text_in(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        update: &str,
        context: &str,
        id: Cursor,
        r: &sqlx::any::AnyRow,
    ) -> Result<u64> {
        let Some(old) = r.get::<Option<String>, _>("v") else {
            return Ok(0);
        };
        if self.keys.is_current_text(&old) {
            return Ok(0);
        }
        let plain = plain_text(&self.keys, context, &old)?;
        let new = self.keys.seal_text(context, &plain);
        let q = sqlx::query(update).bind(new);
        let res = id.bind(q).bind(old).execute(&mut **tx).await?;
        Ok(res.rows_affected())
    }

    async fn reseal_bytes_in(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        update: &str,
        context: &str,
        id: Cursor,
        r: &sqlx::any::AnyRow,
    ) -> Result<u64> {
        let Some(old) = r.get::<Option<Vec<u8>>, _>("v") else {
            return Ok(0);
        };
        if self.keys.is_current_bytes(&old) {
            return Ok(0);
        }
        let plain = if DataKeys::is_sealed_bytes(&old) {
            sealed::open_bytes(&self.keys, context, &old)?
        } else {
            old.clone()
        };
        let new = self.keys.seal_bytes(context, &plain);
        let q = sqlx::query(update).bind(new);
        let res = id.bind(q).bind(old).execute(&mut **tx).await?;
        Ok(res.rows_affected())
    }
}

/// The plaintext of a stored TEXT value: opened when sealed, else as stored
/// (a row from before sealing existed).
pub(crate) fn plain_text(keys: &DataKeys, context: &str, stored: &str) -> Result<String> {
    if DataKeys::is_sealed_text(stored) {
        sealed::open_text(keys, context, stored)
    } else {
        Ok(stored.to_string())
    }
}

/// A position in a table walked in primary-key order.
#[derive(Debug, Clone)]
pub(crate) enum Cursor {
    Int(i64),
    Text(String),
}

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

impl Cursor {
    pub(crate) fn start(text: bool) -> Cursor {
        if text {
            Cursor::Text(String::new())
        } else {
            Cursor::Int(i64::MIN)
        }
    }

    pub(crate) fn of(r: &sqlx::any::AnyRow, text: bool) -> Cursor {
        if text {
            Cursor::Text(r.get("id"))
        } else {
            Cursor::Int(r.get("id"))
        }
    }

    pub(crate) fn bind(self, q: AnyQuery<'_>) -> AnyQuery<'_> {
        match self {
            Cursor::Int(i) => q.bind(i),
            Cursor::Text(s) => q.bind(s),
        }
    }
}
