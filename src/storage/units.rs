//! Operator-set unit details, run-time dashboard settings, and the unit
//! notifications that the channel notifier delivers.
use sqlx::Row;

use super::{Result, Store};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitSettings {
    pub code: String,
    pub display_name: String,
    pub telegram_chat_id: Option<String>,
}

/// "Unit X has a tip to look at", waiting for the channel notifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitNotification {
    pub id: i64,
    pub unit: String,
    /// The unit's Telegram group, when an admin has set one.
    pub telegram_chat_id: Option<String>,
    pub tip_id: i64,
    pub tip_reference: String,
    /// Why the unit is told: "transfer" for now.
    pub kind: String,
    pub created_at: i64,
}

/// Setting keys in `dashboard_settings`.
pub const SETTING_RETENTION_DAYS: &str = "retention_days";
pub const SETTING_REQUIRE_TOTP: &str = "require_totp";

impl Store {
    pub async fn list_unit_settings(&self) -> Result<Vec<UnitSettings>> {
        let rows =
            sqlx::query("SELECT code, display_name, telegram_chat_id FROM units ORDER BY code")
                .fetch_all(&self.pool)
                .await?;
        Ok(rows
            .iter()
            .map(|r| UnitSettings {
                code: r.get("code"),
                display_name: r.get("display_name"),
                telegram_chat_id: r.get("telegram_chat_id"),
            })
            .collect())
    }

    pub async fn unit_settings(&self, code: &str) -> Result<Option<UnitSettings>> {
        let row =
            sqlx::query("SELECT code, display_name, telegram_chat_id FROM units WHERE code = $1")
                .bind(code)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|r| UnitSettings {
            code: r.get("code"),
            display_name: r.get("display_name"),
            telegram_chat_id: r.get("telegram_chat_id"),
        }))
    }

    pub async fn upsert_unit_settings(&self, u: &UnitSettings, now_ms: i64) -> Result<()> {
        let _g = self.write_guard().await;
        sqlx::query(
            "INSERT INTO units (code, display_name, telegram_chat_id, updated_at) VALUES ($1, $2, $3, $4) ON CONFLICT (code) DO UPDATE SET \
             display_name = excluded.display_name, telegram_chat_id = excluded.telegram_chat_id, updated_at = excluded.updated_at",
        )
        .bind(&u.code)
        .bind(&u.display_name)
        .bind(u.telegram_chat_id.as_deref())
        .bind(now_ms)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn setting(&self, key: &str) -> Result<Option<String>> {
        let row = sqlx::query("SELECT value FROM dashboard_settings WHERE key = $1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.get("value")))
    }

    /// Days closed tips are kept: the admin's setting, else `default`
    /// (an unreadable or non-positive stored value also falls back).
    pub async fn retention_days(&self, default: i64) -> i64 {
        self.setting(SETTING_RETENTION_DAYS)
            .await
            .ok()
            .flatten()
            .and_then(|v| v.parse().ok())
            .filter(|d: &i64| *d > 0)
            .unwrap_or(default)
    }

    pub async fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        let _g = self.write_guard().await;
        sqlx::query("INSERT INTO dashboard_settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
            .bind(key)
            .bind(value)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Notifications not yet delivered, oldest first. For the channel notifier:
    /// send each to `telegram_chat_id` (when set), then call
    /// [`Store::mark_unit_notification_delivered`].
    pub async fn pending_unit_notifications(&self, limit: i64) -> Result<Vec<UnitNotification>> {
        let rows = sqlx::query(
            "SELECT n.id, n.unit, u.telegram_chat_id, n.tip_id, t.reference, n.kind, n.created_at FROM transfer_notices n \
             JOIN tips t ON t.id = n.tip_id LEFT JOIN units u ON u.code = n.unit \
             WHERE n.delivered_at IS NULL ORDER BY n.id LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| UnitNotification {
                id: r.get("id"),
                unit: r.get("unit"),
                telegram_chat_id: r.get("telegram_chat_id"),
                tip_id: r.get("tip_id"),
                tip_reference: r.get("reference"),
                kind: r.get("kind"),
                created_at: r.get("created_at"),
            })
            .collect())
    }

    /// Marks a notification sent; false when it was already marked (another replica won).
    pub async fn mark_unit_notification_delivered(&self, id: i64, now_ms: i64) -> Result<bool> {
        let _g = self.write_guard().await;
        let n = sqlx::query(
            "UPDATE transfer_notices SET delivered_at = $1 WHERE id = $2 AND delivered_at IS NULL",
        )
        .bind(super::stored_time::day_number(now_ms))
        .bind(id)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(n == 1)
    }
}

/// Queues a notification inside the transaction that caused it. Its time is
/// the day only: the transfer's event keeps the time (see `stored_time`).
pub(crate) async fn notify_unit_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    unit: &str,
    tip_id: i64,
    kind: &str,
    now_ms: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO transfer_notices (unit, tip_id, kind, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(unit)
    .bind(tip_id)
    .bind(kind)
    .bind(super::stored_time::day_number(now_ms))
    .execute(&mut **tx)
    .await?;
    Ok(())
}
