//! Uploads for a draft, admitted against the draft's limits in the same
//! transaction that stores them, so parallel uploads cannot pass the check
//! together and pile up orphans.
use sqlx::Row;

use super::tips::NewAttachment;
use super::{Backend, Result, Store};

/// What a draft may hold: files, and their total stored bytes.
#[derive(Debug, Clone, Copy)]
pub struct DraftLimits {
    pub max_files: i64,
    pub max_bytes: i64,
}

/// The outcome of offering an upload to a draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DraftUpload {
    /// Stored under this id (or an identical upload was already stored there).
    Stored { id: String },
    /// The draft already holds as many files as it may.
    TooManyFiles,
    /// The file would take the draft past its byte cap.
    TooManyBytes,
}

impl Store {
    /// Stores `a` for the draft under `draft_key` unless the draft is full.
    /// The same bytes sent twice are stored once.
    pub async fn store_draft_attachment(
        &self,
        draft_key: &str,
        a: NewAttachment<'_>,
        limits: DraftLimits,
        now_ms: i64,
    ) -> Result<DraftUpload> {
        let _gate = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        // Take the write lock before reading the draft's totals, so parallel
        // uploads (from other replicas too) see each other.
        let lock = match self.backend() {
            Backend::Postgres => "SELECT pg_advisory_xact_lock(hashtextextended($1, 14))",
            // An UPDATE takes SQLite's write lock even when it matches nothing;
            // reading first would fail with BUSY_SNAPSHOT on a racing write.
            Backend::Sqlite => {
                "UPDATE attachments SET draft_key = draft_key WHERE draft_key = $1 AND 1 = 0"
            }
        };
        sqlx::query(lock).bind(draft_key).execute(&mut *tx).await?;
        let same = sqlx::query(
            "SELECT id FROM attachments WHERE draft_key = $1 AND tip_id IS NULL AND sha256 = $2",
        )
        .bind(draft_key)
        .bind(a.sha256)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(row) = same {
            return Ok(DraftUpload::Stored { id: row.get("id") });
        }
        let held = sqlx::query(
            "SELECT COUNT(*) AS n, CAST(COALESCE(SUM(size), 0) AS BIGINT) AS bytes FROM attachments \
             WHERE draft_key = $1 AND tip_id IS NULL",
        )
        .bind(draft_key)
        .fetch_one(&mut *tx)
        .await?;
        let (files, bytes): (i64, i64) = (held.get("n"), held.get("bytes"));
        if files >= limits.max_files {
            return Ok(DraftUpload::TooManyFiles);
        }
        if bytes + a.bytes.len() as i64 > limits.max_bytes {
            return Ok(DraftUpload::TooManyBytes);
        }
        sqlx::query("INSERT INTO attachments (id, tip_id, sha256, content_type, size, bytes, created_at, draft_key) VALUES ($1, NULL, $2, $3, $4, $5, $6, $7)")
            .bind(a.id)
            .bind(a.sha256)
            .bind(a.content_type)
            .bind(a.bytes.len() as i64)
            .bind(self.keys.seal_bytes(super::sealed::ATTACHMENT_BYTES, a.bytes))
            .bind(now_ms)
            .bind(draft_key)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(DraftUpload::Stored {
            id: a.id.to_string(),
        })
    }

    /// Uploads waiting for the draft under `draft_key` (tests and the dashboard self-check).
    pub async fn count_draft_attachments(&self, draft_key: &str) -> Result<i64> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM attachments WHERE draft_key = $1 AND tip_id IS NULL",
        )
        .bind(draft_key)
        .fetch_one(&self.pool)
        .await?;
        Ok(row.get("n"))
    }
}
