//! Core, storage, dashboard and broadcast settings. To add a setting: add a
//! field to the struct it belongs to and one line in that struct's `read`;
//! `tipline config`, the unknown-key check and error messages follow from it.
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use super::resolve::{Resolver, at_least, flag, http_url, no_file, path, plain, secret, text};
use crate::privacy::keyed::ServerSecret;

/// Where Tipline keeps its data and how it reaches the database.
#[derive(Clone)]
pub struct Core {
    pub data_dir: PathBuf,
    pub database_url: String,
    pub bind: SocketAddr,
    pub public_url: String,
    pub secret: Option<ServerSecret>,
    pub content_dir: PathBuf,
    pub routing_file: Option<PathBuf>,
    pub help_file: Option<PathBuf>,
    pub db_max_connections: u32,
    pub pg_committers: usize,
    pub session_ttl_days: i64,
    pub allow_file_api_urls: bool,
    pub ledger_key_file: PathBuf,
    pub data_key_file: PathBuf,
    pub checkpoint_file: PathBuf,
    pub purge_batch: i64,
}

impl Core {
    /// Over 80 lines on purpose: it is the list of core settings, one call
    /// each, in dependency order (the data dir comes before the database
    /// default, the bind address before the public URL default). Splitting it
    /// would scatter one list and its ordering across functions.
    pub fn read(r: &mut Resolver) -> Core {
        let allow_file_api_urls = r.or(
            no_file(
                "TIPLINE_ALLOW_FILE_API_URLS",
                "Let tipline.toml set platform API base URLs (TELOXIDE_API_URL, ZALO_*_BASE_URL); environment or command line only (default false)",
            ),
            false,
            flag,
        );
        r.allow_file_api_urls(allow_file_api_urls);
        let data_dir = r.or_shown(
            plain(
                "TIPLINE_DATA_DIR",
                "Data directory: SQLite database, server secret, attachments (--data-dir)",
            ),
            PathBuf::from("data"),
            "data",
            path,
        );
        let default_db = format!("sqlite://{}", data_dir.join("tipline.db").display());
        let database_url = r.or_shown(
            plain(
                "DATABASE_URL",
                "sqlite://path or postgres://user@host/db (--database-url)",
            ),
            default_db.clone(),
            &default_db,
            database_url,
        );
        let bind = r.or(
            plain(
                "TIPLINE_BIND",
                "HTTP address for /healthz, the dashboard and webhooks",
            ),
            SocketAddr::from(([127, 0, 0, 1], 8080)),
            |v| {
                v.parse()
                    .map_err(|_| "must be host:port, e.g. 127.0.0.1:8080".to_string())
            },
        );
        let default_public = format!("http://{bind}");
        let public_url = r.or_shown(
            plain("TIPLINE_PUBLIC_URL", "Public base URL of the dashboard (links in unit notices; https turns on secure cookies)"),
            default_public.clone(),
            &default_public,
            http_url,
        );
        let secret = r.optional(
            secret(
                "TIPLINE_SECRET",
                "Server secret as hex (32+ bytes); default: generated into <data dir>/secret.key",
            ),
            |v| {
                ServerSecret::from_hex(v)
                    .ok_or_else(|| "must be at least 64 hex characters (32 bytes)".to_string())
            },
        );
        let content_default = default_content_dir();
        let content_dir = r.or_shown(
            plain("TIPLINE_CONTENT_DIR", "Directory with <lang>/ UI strings, articles and quizzes (default ./locales, else locales/ next to the executable)"),
            content_default.clone(),
            &content_default.display().to_string(),
            path,
        );
        let routing_file = optional_file_in(
            r,
            &data_dir,
            "routing.toml",
            plain(
                "TIPLINE_ROUTING_FILE",
                "Routing overrides and unit names (default <data dir>/routing.toml when present)",
            ),
        );
        let help_file = optional_file_in(
            r,
            &data_dir,
            "help-directory.toml",
            plain(
                "TIPLINE_HELP_FILE",
                "Help directory (counselling and rehab points); default <data dir>/help-directory.toml when present, else the built-in one",
            ),
        );
        let db_max_connections = r.or(
            plain("TIPLINE_DB_MAX_CONNECTIONS", "Database pool size"),
            8,
            at_least(1),
        );
        let pg_committers = r.or(
            plain(
                "TIPLINE_PG_COMMITTERS",
                "PostgreSQL: step groups committed in parallel (SQLite always uses 1)",
            ),
            2,
            at_least(1),
        );
        let session_ttl_days = r.or(
            plain(
                "TIPLINE_SESSION_TTL_DAYS",
                "Days an idle chat session (and its draft) is kept",
            ),
            30,
            at_least(1),
        );
        let key_default = data_dir.join("ledger.key");
        let ledger_key_file = r.or_shown(
            plain(
                "TIPLINE_LEDGER_KEY_FILE",
                "Ed25519 key that signs ledger checkpoints (default <data dir>/ledger.key, created on first run; never in the database)",
            ),
            key_default.clone(),
            &key_default.display().to_string(),
            path,
        );
        let data_key_file = path_or_in(
            r,
            &data_dir,
            "data.key",
            plain(
                "TIPLINE_DATA_KEY_FILE",
                "Keys that seal tip text, replies, GPS, photos, TOTP seeds, tokens and chat addresses at rest (default <data dir>/data.key, created on first run; keep it off the database host and out of database backups)",
            ),
        );
        let checkpoints_default = data_dir.join("checkpoints.txt");
        let checkpoint_file = r.or_shown(
            plain(
                "TIPLINE_CHECKPOINT_FILE",
                "File serve appends signed ledger checkpoints to, daily and after a purge (default <data dir>/checkpoints.txt)",
            ),
            checkpoints_default.clone(),
            &checkpoints_default.display().to_string(),
            path,
        );
        let purge_batch = r.or(
            plain(
                "TIPLINE_PURGE_BATCH",
                "Tips purged per transaction by the retention job",
            ),
            200,
            at_least(1),
        );
        Core {
            ledger_key_file,
            data_key_file,
            checkpoint_file,
            purge_batch,
            data_dir,
            database_url,
            bind,
            public_url,
            secret,
            content_dir,
            routing_file,
            help_file,
            db_max_connections,
            pg_committers,
            session_ttl_days,
            allow_file_api_urls,
        }
    }
}

fn database_url(v: &str) -> Result<String, String> {
    let known = ["sqlite:", "postgres://", "postgresql://"];
    if known.iter().any(|p| v.starts_with(p)) {
        Ok(v.to_string())
    } else {
        Err("must start with sqlite:// or postgres://".into())
    }
}

/// A file setting that defaults to `<data dir>/<name>`.
fn path_or_in(
    r: &mut Resolver,
    data_dir: &Path,
    name: &str,
    s: super::resolve::Setting,
) -> PathBuf {
    let default = data_dir.join(name);
    let shown = default.display().to_string();
    r.or_shown(s, default, &shown, path)
}

/// An explicit file setting, else `<data dir>/<name>` when that file exists.
fn optional_file_in(
    r: &mut Resolver,
    data_dir: &Path,
    name: &str,
    s: super::resolve::Setting,
) -> Option<PathBuf> {
    let fallback = data_dir.join(name);
    let fallback = fallback.exists().then_some(fallback);
    let shown = fallback
        .as_ref()
        .map_or("(none)".to_string(), |p| p.display().to_string());
    r.or_shown(s, fallback, &shown, |v| Ok(Some(PathBuf::from(v))))
}

/// `./locales` when run from a checkout (`cargo run`, tests), else
/// `locales/` next to the executable (an installed release). Never the build
/// machine's source tree.
fn default_content_dir() -> PathBuf {
    let local = PathBuf::from("locales");
    if local.is_dir() {
        return local;
    }
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("locales")))
        .filter(|dir| dir.is_dir())
        .unwrap_or(local)
}

/// Officer dashboard settings.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Minutes without a request after which a session ends.
    pub idle_minutes: i64,
    /// Hours a tip may wait for a first response before it is flagged.
    pub sla_hours: i64,
    /// Retention of closed tips when no admin has set one.
    pub default_retention_days: i64,
    /// Take the client address from X-Forwarded-For (behind a reverse proxy).
    pub trust_proxy: bool,
    /// Hours after sign-in when a session ends even while in use.
    pub session_max_hours: i64,
    /// Login backoff: each attempt past the allowance waits this much longer.
    pub login_backoff_seconds: i64,
}

impl WebConfig {
    pub fn read(r: &mut Resolver) -> WebConfig {
        WebConfig {
            sla_hours: r.or(
                plain("TIPLINE_SLA_HOURS", "Dashboard: hours a new tip may wait for a first response before it is flagged"),
                24,
                at_least(1),
            ),
            default_retention_days: r.or(
                plain("TIPLINE_RETENTION_DAYS", "Days closed tips are kept before the daily purge, until an admin sets it"),
                365,
                at_least(1),
            ),
            idle_minutes: r.or(
                plain("TIPLINE_DASHBOARD_IDLE_MINUTES", "Dashboard: idle minutes before an officer session expires"),
                30,
                at_least(1),
            ),
            trust_proxy: r.or(
                plain("TIPLINE_TRUST_PROXY", "Dashboard: take the client address from X-Forwarded-For (only behind your own proxy)"),
                false,
                flag,
            ),
            session_max_hours: r.or(
                plain("TIPLINE_DASHBOARD_SESSION_HOURS", "Dashboard: hours after sign-in when a session ends, even while in use"),
                12,
                at_least(1),
            ),
            login_backoff_seconds: r.or(
                plain("TIPLINE_LOGIN_BACKOFF_SECONDS", "Dashboard: seconds each login attempt past the allowance waits longer (per account and per client)"),
                30,
                at_least(1),
            ),
        }
    }
}

/// Campaign pacing, per channel.
#[derive(Debug, Clone)]
pub struct BroadcastConfig {
    pub telegram_rate: u32,
    pub zalo_rate: u32,
    pub messenger_rate: u32,
    pub in_flight: usize,
    pub lease_secs: u64,
}

impl BroadcastConfig {
    pub fn read(r: &mut Resolver) -> BroadcastConfig {
        BroadcastConfig {
            telegram_rate: r.or(
                plain("TIPLINE_BROADCAST_RATE", "Campaign messages per second per Telegram bot, all chats together (Telegram allows about 30)"),
                25,
                at_least(1),
            ),
            zalo_rate: r.or(plain("TIPLINE_BROADCAST_ZALO_RATE", "Campaign messages per second on Zalo"), 10, at_least(1)),
            messenger_rate: r.or(plain("TIPLINE_BROADCAST_MESSENGER_RATE", "Campaign messages per second on Messenger"), 10, at_least(1)),
            in_flight: r.or(
                plain("TIPLINE_BROADCAST_IN_FLIGHT", "Campaign requests open at once per channel; also the most deliveries a crash can leave 'unknown'"),
                4,
                at_least(1),
            ),
            lease_secs: r.or(
                plain("TIPLINE_BROADCAST_LEASE_SECS", "Seconds a replica's broadcast pacer lease lasts without renewal"),
                15,
                at_least(1),
            ),
        }
    }
}

/// The log filter is applied before the configuration is read, so only the
/// environment can set it; it is listed so `tipline config` shows it.
pub fn read_log_filter(r: &mut Resolver) -> Option<String> {
    r.optional(
        no_file(
            "RUST_LOG",
            "Log filter, e.g. info or tipline=debug (default info)",
        ),
        text,
    )
}
