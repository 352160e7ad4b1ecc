//! All SQL lives here. One SQL dialect serves SQLite and PostgreSQL through
//! sqlx's Any driver (both accept `$1` placeholders); migrations are per backend.
//!
//! # No timing links
//! A copy of the database must not join a person to a tip. Tips carry no
//! chat identity, so the remaining join is time: a session row (keyed by a
//! hash of the chat identity) saved in the same millisecond as a tip names
//! its reporter. The rule, checked by `tests/unlinkability.rs` on every table:
//! **no time stored outside the tip tables (`tips`, `tip_events`, `ledger`,
//! `attachments`, `purged_tips`) may equal or narrow down a tip's or event's
//! time.** Sessions and dedupe records keep whole days, throttles inside a
//! session keep minute numbers, and tips, events and ledger entries keep
//! their time rounded down to the minute; see [`stored_time`]. Sessions keep
//! nothing that names a tip (id, reference, receipt) either.
use std::sync::Arc;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};

use crate::domain::channel::Channel;
use crate::privacy::seal::{DataKeys, SealError};
use write_gate::WriteGate;

pub mod baseline;
pub mod campaigns;
pub mod channels;
mod checkpoint;
pub mod classes;
pub mod counters;
pub mod dashboard;
pub mod deliveries;
pub mod draft_attachments;
pub mod erasable;
mod files;
pub mod help_points;
pub mod ledger;
pub mod ledger_checkpoints;
mod ledger_rows;
pub mod ledger_verify;
pub mod login_throttle;
pub mod officers;
pub mod queue;
mod queue_sort;
pub mod reply_notices;
pub mod report;
pub mod reseal;
mod reseal_pairs;
pub mod retention;
pub mod scope;
pub mod sealed;
pub mod search;
pub mod sessions;
mod sql;
mod sql_args;
pub mod stats;
pub mod step_commit;
pub mod stored_time;
pub mod subscriptions;
pub mod tip_actions;
pub mod tip_ledger;
pub mod tips;
pub mod units;
pub mod windows;
pub mod workspace;
mod write_gate;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("unsupported database URL (use sqlite://... or postgres://...)")]
    UnsupportedUrl,
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
    /// Someone else changed the row first; the caller reloads and retries.
    #[error("concurrent update")]
    Conflict,
    /// The store is shutting down; the write was not made.
    #[error("the database is closing")]
    Closed,
    /// A sealed value did not open (wrong or missing data key, or altered).
    #[error(transparent)]
    Sealed(#[from] SealError),
}

pub type Result<T> = std::result::Result<T, StorageError>;

/// The database handle shared by the whole app (cheap to clone).
#[derive(Clone, Debug)]
pub struct Store {
    pub(crate) pool: AnyPool,
    backend: Backend,
    /// Seals and opens the sensitive columns (see `sealed`).
    pub(crate) keys: Arc<DataKeys>,
    /// SQLite's single writer, queued in-process (see `write_gate`).
    write_gate: WriteGate,
    /// Conversation steps are group-committed (see `step_commit`).
    committer: Arc<step_commit::Committer>,
}

/// Pool settings that the benchmark tunes.
#[derive(Debug, Clone)]
pub struct PoolSettings {
    pub max_connections: u32,
    pub acquire_timeout: Duration,
    /// PostgreSQL only: step groups committed in parallel (SQLite has one writer).
    pub pg_committers: usize,
}

impl Default for PoolSettings {
    fn default() -> Self {
        PoolSettings {
            max_connections: 8,
            acquire_timeout: Duration::from_secs(5),
            pg_committers: 2,
        }
    }
}

impl Store {
    /// Connects, creating the SQLite file (owner-only) if needed, applies
    /// migrations, and checks that `keys` open what the database holds
    /// (sealing any plaintext left from before sealing existed).
    pub async fn connect(url: &str, settings: &PoolSettings, keys: DataKeys) -> Result<Self> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(StorageError::UnsupportedUrl);
        };
        if let Some(path) = files::sqlite_path(url) {
            files::make_private(&path)
                .map_err(|e| StorageError::Corrupt(format!("securing {}: {e}", path.display())))?;
        }
        let url = if backend == Backend::Sqlite && !url.contains("mode=") {
            format!("{url}{}mode=rwc", if url.contains('?') { '&' } else { '?' })
        } else {
            url.to_string()
        };
        let options: AnyConnectOptions = url.parse()?;
        let pool = AnyPoolOptions::new()
            .max_connections(settings.max_connections)
            .acquire_timeout(settings.acquire_timeout)
            // An SQLite connection is a file handle that cannot go stale; pinging
            // it before every acquire only costs a hop to its worker thread.
            // A PostgreSQL connection can die with the server, so it is checked.
            .test_before_acquire(backend == Backend::Postgres)
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers run beside the writer; FULL sync keeps
                        // every acknowledged tip across power loss, not just crashes.
                        // Checkpoints run in the background (see `checkpoint`).
                        // secure_delete zeroes deleted rows in the file, so an
                        // unsubscribed address or a purged tip leaves no bytes.
                        conn.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON; PRAGMA wal_autocheckpoint = 0; PRAGMA secure_delete = ON;").await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        let write_gate = WriteGate::for_backend(backend);
        // SQLite has a single writer. On PostgreSQL, groups that store tips
        // queue on the ledger head anyway; two committers let one group run its
        // statements while the other waits for its commit to be flushed.
        let committers = match backend {
            Backend::Sqlite => 1,
            Backend::Postgres => settings.pg_committers.max(1),
        };
        let keys = Arc::new(keys);
        let committer = Arc::new(step_commit::Committer::start(
            pool.clone(),
            write_gate.clone(),
            keys.clone(),
            committers,
        ));
        if backend == Backend::Sqlite {
            checkpoint::start(pool.clone(), write_gate.clone());
        }
        let store = Store {
            pool,
            backend,
            keys,
            write_gate,
            committer,
        };
        store.migrate().await?;
        if let Err(e) = reseal::check_keys(&store).await {
            // Nothing may run on a database whose data does not open.
            store.close().await;
            return Err(e);
        }
        Ok(store)
    }

    async fn migrate(&self) -> Result<()> {
        match self.backend {
            Backend::Sqlite => sqlx::migrate!("migrations/sqlite").run(&self.pool).await?,
            Backend::Postgres => {
                sqlx::migrate!("migrations/postgres")
                    .run(&self.pool)
                    .await?
            }
        }
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The data keys that seal this store's sensitive columns.
    pub fn data_keys(&self) -> &DataKeys {
        &self.keys
    }

    /// Held for the span of a write transaction on SQLite; a no-op on PostgreSQL.
    pub(crate) async fn write_guard(&self) -> Option<tokio::sync::MutexGuard<'_, ()>> {
        self.write_gate.lock().await
    }

    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Reads a stored channel name; a name no [`Channel`] has means the row is corrupt.
pub(crate) fn channel_column(row: &sqlx::any::AnyRow, column: &str) -> Result<Channel> {
    let name: String = sqlx::Row::get(row, column);
    name.parse()
        .map_err(|e: crate::domain::channel::UnknownChannel| StorageError::Corrupt(e.to_string()))
}
