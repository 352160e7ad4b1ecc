//! Campaigns: create, list, pause/resume/cancel and progress counts.
//! Subscribers live in [`super::subscriptions`]; the delivery worker's own
//! SQL in [`super::deliveries`].
use std::collections::BTreeMap;

use serde::Serialize;
use sqlx::Row;

use super::{Result, StorageError, Store, channel_column};
use crate::domain::area::ProvinceCode;
use crate::domain::campaign::{CampaignControl, CampaignDraft, Schedule, Target};
use crate::domain::channel::Channel;
use crate::i18n::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CampaignState {
    Scheduled,
    Running,
    Paused,
    Cancelled,
    Done,
}

impl CampaignState {
    pub fn as_str(self) -> &'static str {
        match self {
            CampaignState::Scheduled => "scheduled",
            CampaignState::Running => "running",
            CampaignState::Paused => "paused",
            CampaignState::Cancelled => "cancelled",
            CampaignState::Done => "done",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "scheduled" => CampaignState::Scheduled,
            "running" => CampaignState::Running,
            "paused" => CampaignState::Paused,
            "cancelled" => CampaignState::Cancelled,
            "done" => CampaignState::Done,
            _ => return None,
        })
    }

    pub fn is_final(self) -> bool {
        matches!(self, CampaignState::Cancelled | CampaignState::Done)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Campaign {
    pub id: i64,
    pub title: String,
    pub text_vi: String,
    pub text_en: String,
    pub target: Target,
    pub scheduled_at: i64,
    pub state: CampaignState,
    pub created_by: String,
    pub created_at: i64,
    pub started_at: Option<i64>,
    pub finished_at: Option<i64>,
}

impl Campaign {
    pub fn text(&self, lang: Lang) -> &str {
        match lang {
            Lang::Vi => &self.text_vi,
            Lang::En => &self.text_en,
        }
    }
}

/// Delivery rows of one campaign by state, per channel.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Progress {
    pub total: i64,
    pub pending: i64,
    pub sending: i64,
    pub sent: i64,
    pub failed: i64,
    pub removed: i64,
    pub undeliverable: i64,
    /// Claimed by a pacer that died mid-send: maybe delivered, never resent.
    pub unknown: i64,
    /// Unsubscribed before their turn, or cancelled.
    pub skipped: i64,
    pub by_channel: BTreeMap<Channel, i64>,
    /// Still to send, per channel (pending + sending), for the ETA.
    pub remaining_by_channel: BTreeMap<Channel, i64>,
}

impl Progress {
    pub fn remaining(&self) -> i64 {
        self.pending + self.sending
    }

    pub fn finished(&self) -> i64 {
        self.total - self.remaining()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CampaignActionError {
    #[error("no campaign #{0}")]
    NotFound(i64),
    #[error("campaign #{id} is {state}; cannot {action} it")]
    WrongState {
        id: i64,
        state: &'static str,
        action: &'static str,
    },
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl From<sqlx::Error> for CampaignActionError {
    fn from(e: sqlx::Error) -> Self {
        CampaignActionError::Storage(e.into())
    }
}

const CAMPAIGN_COLUMNS: &str = "id, title, text_vi, text_en, all_provinces, scheduled_at, state, created_by, created_at, started_at, finished_at";

impl Store {
    pub async fn create_campaign(
        &self,
        draft: &CampaignDraft,
        created_by: &str,
        now_ms: i64,
    ) -> Result<i64> {
        let scheduled_at = match draft.schedule {
            Schedule::Now => now_ms,
            Schedule::At(ms) => ms,
        };
        let _g = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query(
            "INSERT INTO campaigns (title, text_vi, text_en, all_provinces, scheduled_at, state, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, 'scheduled', $6, $7, $8) RETURNING id",
        )
        .bind(&draft.title)
        .bind(&draft.text_vi)
        .bind(&draft.text_en)
        .bind(i64::from(draft.target == Target::All))
        .bind(scheduled_at)
        .bind(created_by)
        .bind(now_ms)
        .bind(now_ms)
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = row.get("id");
        if let Target::Provinces(codes) = &draft.target {
            for c in codes {
                sqlx::query(
                    "INSERT INTO campaign_provinces (campaign_id, province_code) VALUES ($1, $2)",
                )
                .bind(id)
                .bind(i64::from(c.0))
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await?;
        Ok(id)
    }

    pub async fn campaign(&self, id: i64) -> Result<Option<Campaign>> {
        let sql = format!("SELECT {CAMPAIGN_COLUMNS} FROM campaigns WHERE id = $1");
        let Some(row) = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
        else {
            return Ok(None);
        };
        Ok(Some(self.campaign_from_row(&row).await?))
    }

    /// Newest first.
    pub async fn campaigns(&self, limit: i64) -> Result<Vec<Campaign>> {
        let sql = format!("SELECT {CAMPAIGN_COLUMNS} FROM campaigns ORDER BY id DESC LIMIT $1");
        let rows = sqlx::query(&sql).bind(limit).fetch_all(&self.pool).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            out.push(self.campaign_from_row(r).await?);
        }
        Ok(out)
    }

    async fn campaign_from_row(&self, r: &sqlx::any::AnyRow) -> Result<Campaign> {
        let id: i64 = r.get("id");
        let target = if r.get::<i64, _>("all_provinces") == 1 {
            Target::All
        } else {
            let codes = sqlx::query("SELECT province_code FROM campaign_provinces WHERE campaign_id = $1 ORDER BY province_code")
                .bind(id)
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(|p| ProvinceCode(p.get::<i64, _>("province_code") as u32))
                .collect();
            Target::Provinces(codes)
        };
        let state: String = r.get("state");
        Ok(Campaign {
            id,
            title: r.get("title"),
            text_vi: r.get("text_vi"),
            text_en: r.get("text_en"),
            target,
            scheduled_at: r.get("scheduled_at"),
            state: CampaignState::parse(&state)
                .ok_or_else(|| StorageError::Corrupt(format!("campaign state {state:?}")))?,
            created_by: r.get("created_by"),
            created_at: r.get("created_at"),
            started_at: r.get("started_at"),
            finished_at: r.get("finished_at"),
        })
    }

    pub async fn campaign_progress(&self, id: i64) -> Result<Progress> {
        let rows = sqlx::query(
            "SELECT channel, state, COUNT(*) AS n FROM deliveries WHERE campaign_id = $1 GROUP BY channel, state",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let mut p = Progress::default();
        for r in &rows {
            let channel = channel_column(r, "channel")?;
            let state: String = r.get("state");
            let n: i64 = r.get("n");
            p.total += n;
            *p.by_channel.entry(channel).or_default() += n;
            match state.as_str() {
                "pending" | "sending" => {
                    *p.remaining_by_channel.entry(channel).or_default() += n;
                    if state == "pending" {
                        p.pending += n
                    } else {
                        p.sending += n
                    }
                }
                "sent" => p.sent += n,
                "failed" => p.failed += n,
                "removed" => p.removed += n,
                "undeliverable" => p.undeliverable += n,
                "unknown" => p.unknown += n,
                _ => p.skipped += n,
            }
        }
        Ok(p)
    }

    /// Pauses, resumes or cancels a campaign.
    pub async fn control_campaign(
        &self,
        id: i64,
        control: CampaignControl,
        now_ms: i64,
    ) -> std::result::Result<(), CampaignActionError> {
        match control {
            CampaignControl::Pause => self.pause_campaign(id, now_ms).await,
            CampaignControl::Resume => self.resume_campaign(id, now_ms).await,
            CampaignControl::Cancel => self.cancel_campaign(id, now_ms).await,
        }
    }

    /// Pause a scheduled or running campaign; in-flight sends still finish.
    pub async fn pause_campaign(
        &self,
        id: i64,
        now_ms: i64,
    ) -> std::result::Result<(), CampaignActionError> {
        self.transition(id, "pause", &["scheduled", "running"], "paused", now_ms)
            .await
    }

    /// Resume: back to running if it had started, else to scheduled.
    pub async fn resume_campaign(
        &self,
        id: i64,
        now_ms: i64,
    ) -> std::result::Result<(), CampaignActionError> {
        let c = self
            .campaign(id)
            .await?
            .ok_or(CampaignActionError::NotFound(id))?;
        let to = if c.started_at.is_some() {
            "running"
        } else {
            "scheduled"
        };
        self.transition(id, "resume", &["paused"], to, now_ms).await
    }

    /// Cancel: nothing more is sent; pending rows become 'cancelled'.
    pub async fn cancel_campaign(
        &self,
        id: i64,
        now_ms: i64,
    ) -> std::result::Result<(), CampaignActionError> {
        self.transition(
            id,
            "cancel",
            &["scheduled", "running", "paused"],
            "cancelled",
            now_ms,
        )
        .await
    }

    async fn transition(
        &self,
        id: i64,
        action: &'static str,
        from: &[&str],
        to: &str,
        now_ms: i64,
    ) -> std::result::Result<(), CampaignActionError> {
        let _g = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query("SELECT state FROM campaigns WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(CampaignActionError::NotFound(id))?;
        let state: String = row.get("state");
        if !from.contains(&state.as_str()) {
            let state = CampaignState::parse(&state).map_or("in an unknown state", |s| s.as_str());
            return Err(CampaignActionError::WrongState { id, state, action });
        }
        // The state test in the WHERE makes a racing change lose cleanly.
        let r = sqlx::query("UPDATE campaigns SET state = $1, updated_at = $2, finished_at = CASE WHEN $3 = 'cancelled' THEN $4 ELSE finished_at END WHERE id = $5 AND state = $6")
            .bind(to)
            .bind(now_ms)
            .bind(to)
            .bind(now_ms)
            .bind(id)
            .bind(&state)
            .execute(&mut *tx)
            .await?;
        if r.rows_affected() != 1 {
            return Err(StorageError::Conflict.into());
        }
        if to == "cancelled" {
            sqlx::query("UPDATE deliveries SET state = 'cancelled', updated_at = $1 WHERE campaign_id = $2 AND state = 'pending'")
                .bind(now_ms)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
