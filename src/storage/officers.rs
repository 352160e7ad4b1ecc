//! Officer accounts, their web sessions and the login throttle.
use sqlx::Row;

use super::sealed::{TOTP_SECRET, open_opt};
use super::{Result, StorageError, Store};
use crate::i18n::Lang;
use crate::privacy::seal::DataKeys;

/// What an account may do. Officers and leads work one unit; a supervisor
/// leads a provincial unit (PC04) and oversees, read-only, its province; the
/// national role reads every unit and changes nothing; admins see all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Officer,
    Lead,
    Supervisor,
    National,
    Admin,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Officer,
        Role::Lead,
        Role::Supervisor,
        Role::National,
        Role::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Officer => "officer",
            Role::Lead => "lead",
            Role::Supervisor => "supervisor",
            Role::National => "national",
            Role::Admin => "admin",
        }
    }

    /// Lead powers on the tips it may act on: assigning, outcomes, the audit trail.
    pub fn leads(self) -> bool {
        matches!(self, Role::Lead | Role::Supervisor | Role::Admin)
    }

    /// A supervisor sits in a provincial drug police unit; other roles anywhere.
    pub fn fits_unit(self, unit: &str) -> bool {
        self != Role::Supervisor || unit.starts_with("PC04-")
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s.trim().to_ascii_lowercase())
    }
}

#[derive(Debug, Clone)]
pub struct Officer {
    pub id: i64,
    pub unit: String,
    pub username: String,
    pub role: Role,
    pub totp_secret: Option<String>,
    pub totp_enabled: bool,
    pub disabled: bool,
    pub lang: Lang,
}

#[derive(Debug, Clone)]
pub struct NewOfficer<'a> {
    pub unit: &'a str,
    pub username: &'a str,
    pub role: Role,
    pub password_hash: &'a str,
}

/// A live dashboard session, as stored.
#[derive(Debug, Clone)]
pub struct WebSession {
    pub officer: Officer,
    pub csrf_token: String,
    pub created_at: i64,
    pub last_seen_at: i64,
}

const OFFICER_COLUMNS: &str =
    "o.id, o.unit, o.username, o.role, o.totp_secret, o.totp_enabled, o.disabled, o.lang";

fn officer_from_row(keys: &DataKeys, r: &sqlx::any::AnyRow) -> Result<Officer> {
    let role: String = r.get("role");
    Ok(Officer {
        id: r.get("id"),
        unit: r.get("unit"),
        username: r.get("username"),
        role: Role::parse(&role)
            .ok_or_else(|| StorageError::Corrupt(format!("officer role {role:?}")))?,
        totp_secret: open_opt(keys, TOTP_SECRET, r.get("totp_secret"))?,
        totp_enabled: r.get::<i64, _>("totp_enabled") != 0,
        disabled: r.get::<i64, _>("disabled") != 0,
        lang: Lang::parse(&r.get::<String, _>("lang")).unwrap_or_default(),
    })
}

/// True when the database refused a row because of a UNIQUE constraint.
pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

impl Store {
    /// Creates an account; `Conflict` when the username is taken.
    pub async fn create_officer(&self, new: NewOfficer<'_>, now_ms: i64) -> Result<i64> {
        let _g = self.write_guard().await;
        let row = sqlx::query(
            "INSERT INTO officers (unit, username, role, password_hash, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
        )
        .bind(new.unit)
        .bind(new.username)
        .bind(new.role.as_str())
        .bind(new.password_hash)
        .bind(now_ms)
        .fetch_one(&self.pool)
        .await
        .map_err(|e| if is_unique_violation(&e) { StorageError::Conflict } else { e.into() })?;
        Ok(row.get("id"))
    }

    /// The account and its password hash, for login.
    pub async fn officer_for_login(&self, username: &str) -> Result<Option<(Officer, String)>> {
        let sql = format!(
            "SELECT {OFFICER_COLUMNS}, o.password_hash FROM officers o WHERE o.username = $1"
        );
        let row = sqlx::query(&sql)
            .bind(username)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| Ok((officer_from_row(&self.keys, &r)?, r.get("password_hash"))))
            .transpose()
    }

    pub async fn officer(&self, id: i64) -> Result<Option<Officer>> {
        let sql = format!("SELECT {OFFICER_COLUMNS} FROM officers o WHERE o.id = $1");
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref()
            .map(|r| officer_from_row(&self.keys, r))
            .transpose()
    }

    pub async fn officer_by_username(&self, username: &str) -> Result<Option<Officer>> {
        let sql = format!("SELECT {OFFICER_COLUMNS} FROM officers o WHERE o.username = $1");
        let row = sqlx::query(&sql)
            .bind(username)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref()
            .map(|r| officer_from_row(&self.keys, r))
            .transpose()
    }

    /// Accounts of one unit, or all accounts when `unit` is None.
    pub async fn list_officers(&self, unit: Option<&str>) -> Result<Vec<Officer>> {
        let rows = match unit {
            Some(u) => {
                let sql = format!(
                    "SELECT {OFFICER_COLUMNS} FROM officers o WHERE o.unit = $1 ORDER BY o.username"
                );
                sqlx::query(&sql).bind(u).fetch_all(&self.pool).await?
            }
            None => {
                let sql =
                    format!("SELECT {OFFICER_COLUMNS} FROM officers o ORDER BY o.unit, o.username");
                sqlx::query(&sql).fetch_all(&self.pool).await?
            }
        };
        rows.iter()
            .map(|r| officer_from_row(&self.keys, r))
            .collect()
    }

    pub async fn count_active_admins(&self) -> Result<i64> {
        let row =
            sqlx::query("SELECT COUNT(*) AS n FROM officers WHERE role = 'admin' AND disabled = 0")
                .fetch_one(&self.pool)
                .await?;
        Ok(row.get("n"))
    }

    /// Disables or re-enables an account; disabling ends its sessions at once.
    pub async fn set_officer_disabled(&self, id: i64, disabled: bool, now_ms: i64) -> Result<bool> {
        let _g = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        let n = sqlx::query("UPDATE officers SET disabled = $1, updated_at = $2 WHERE id = $3")
            .bind(i64::from(disabled))
            .bind(now_ms)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if disabled {
            sqlx::query("DELETE FROM web_sessions WHERE officer_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(n == 1)
    }

    /// Sets a new password hash and ends every session of the account.
    pub async fn set_officer_password(
        &self,
        id: i64,
        password_hash: &str,
        now_ms: i64,
    ) -> Result<bool> {
        let _g = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        let n =
            sqlx::query("UPDATE officers SET password_hash = $1, updated_at = $2 WHERE id = $3")
                .bind(password_hash)
                .bind(now_ms)
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        sqlx::query("DELETE FROM web_sessions WHERE officer_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(n == 1)
    }

    /// Stores a TOTP secret; `enabled` is set only after the officer proved a code.
    pub async fn set_officer_totp(
        &self,
        id: i64,
        secret: Option<&str>,
        enabled: bool,
        now_ms: i64,
    ) -> Result<()> {
        let _g = self.write_guard().await;
        sqlx::query("UPDATE officers SET totp_secret = $1, totp_enabled = $2, updated_at = $3 WHERE id = $4")
            .bind(secret.map(|s| self.keys.seal_text(TOTP_SECRET, s)))
            .bind(i64::from(enabled))
            .bind(now_ms)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn set_officer_lang(&self, id: i64, lang: Lang) -> Result<()> {
        let _g = self.write_guard().await;
        sqlx::query("UPDATE officers SET lang = $1 WHERE id = $2")
            .bind(lang.code())
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn create_web_session(
        &self,
        token_hash: &str,
        officer_id: i64,
        csrf_token: &str,
        now_ms: i64,
    ) -> Result<()> {
        let _g = self.write_guard().await;
        sqlx::query("INSERT INTO web_sessions (token_hash, officer_id, csrf_token, created_at, last_seen_at) VALUES ($1, $2, $3, $4, $4)")
            .bind(token_hash)
            .bind(officer_id)
            .bind(csrf_token)
            .bind(now_ms)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn web_session(&self, token_hash: &str) -> Result<Option<WebSession>> {
        let sql = format!(
            "SELECT {OFFICER_COLUMNS}, s.csrf_token, s.created_at AS s_created, s.last_seen_at FROM web_sessions s \
             JOIN officers o ON o.id = s.officer_id WHERE s.token_hash = $1"
        );
        let row = sqlx::query(&sql)
            .bind(token_hash)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| {
            Ok(WebSession {
                officer: officer_from_row(&self.keys, &r)?,
                csrf_token: r.get("csrf_token"),
                created_at: r.get("s_created"),
                last_seen_at: r.get("last_seen_at"),
            })
        })
        .transpose()
    }

    pub async fn touch_web_session(&self, token_hash: &str, now_ms: i64) -> Result<()> {
        let _g = self.write_guard().await;
        sqlx::query("UPDATE web_sessions SET last_seen_at = $1 WHERE token_hash = $2")
            .bind(now_ms)
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn delete_web_session(&self, token_hash: &str) -> Result<()> {
        let _g = self.write_guard().await;
        sqlx::query("DELETE FROM web_sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Drops idle sessions and expired throttle windows.
    pub async fn purge_web_sessions(
        &self,
        idle_cutoff_ms: i64,
        throttle_cutoff_ms: i64,
    ) -> Result<u64> {
        let _g = self.write_guard().await;
        let n = sqlx::query("DELETE FROM web_sessions WHERE last_seen_at < $1")
            .bind(idle_cutoff_ms)
            .execute(&self.pool)
            .await?
            .rows_affected();
        sqlx::query("DELETE FROM login_throttle WHERE window_start < $1")
            .bind(throttle_cutoff_ms)
            .execute(&self.pool)
            .await?;
        Ok(n)
    }

    /// Records `step` as the account's last TOTP step if it is newer than the
    /// last one used: true once per step, so a captured code cannot be replayed.
    pub async fn claim_totp_step(&self, officer_id: i64, step: i64) -> Result<bool> {
        let _g = self.write_guard().await;
        let n = sqlx::query(
            "UPDATE officers SET totp_last_step = $1 WHERE id = $2 AND totp_last_step < $1",
        )
        .bind(step)
        .bind(officer_id)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(n == 1)
    }

    /// Ends every session of the account but the one with this CSRF token
    /// (each session has its own): after a change to how the account signs in.
    pub async fn end_other_web_sessions(&self, officer_id: i64, keep_csrf: &str) -> Result<u64> {
        let _g = self.write_guard().await;
        let n = sqlx::query("DELETE FROM web_sessions WHERE officer_id = $1 AND csrf_token <> $2")
            .bind(officer_id)
            .bind(keep_csrf)
            .execute(&self.pool)
            .await?
            .rows_affected();
        Ok(n)
    }
}
