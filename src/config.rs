//! Settings, validated once at startup. Precedence: command line, then the
//! environment, then `tipline.toml`, then defaults. Secrets are never logged.
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use crate::privacy::checkpoint::LedgerKey;
use crate::privacy::keyed::ServerSecret;

/// Every setting, its environment name, and what it does (printed by `tipline config`).
pub const SETTINGS: &[(&str, &str)] = &[
    (
        "TIPLINE_DATA_DIR",
        "Data directory: SQLite database, server secret, attachments (default ./data)",
    ),
    (
        "DATABASE_URL",
        "sqlite://path or postgres://user@host/db (default sqlite://<data dir>/tipline.db)",
    ),
    (
        "TIPLINE_BIND",
        "HTTP address for /healthz, the dashboard and webhooks (default 127.0.0.1:8080)",
    ),
    (
        "TIPLINE_PUBLIC_URL",
        "Public base URL of the dashboard, used in unit notifications (default http://<bind>)",
    ),
    (
        "TIPLINE_SECRET",
        "Server secret as hex (32+ bytes); default: generated into <data dir>/secret.key",
    ),
    (
        "TIPLINE_LEDGER_KEY_FILE",
        "Ed25519 key that signs ledger checkpoints (default <data dir>/ledger.key, created on first run; never in the database)",
    ),
    (
        "TIPLINE_CHECKPOINT_FILE",
        "File that serve appends signed ledger checkpoints to, daily and after a purge (default <data dir>/checkpoints.txt)",
    ),
    (
        "TIPLINE_PURGE_BATCH",
        "Tips purged per transaction by the retention job (default 200)",
    ),
    (
        "TIPLINE_CONTENT_DIR",
        "Directory with locales/<lang> UI strings, articles and quizzes (default ./locales)",
    ),
    (
        "TIPLINE_ROUTING_FILE",
        "Optional routing overrides (default <data dir>/routing.toml when present)",
    ),
    (
        "TIPLINE_DB_MAX_CONNECTIONS",
        "Database pool size (default 8)",
    ),
    (
        "TIPLINE_SESSION_TTL_DAYS",
        "Days an idle chat session (and its draft) is kept (default 30)",
    ),
    (
        "TIPLINE_SLA_HOURS",
        "Dashboard: hours a new tip may wait for a first response before it is flagged (default 24)",
    ),
    (
        "TIPLINE_RETENTION_DAYS",
        "Days closed tips are kept before the daily purge, until an admin sets it (default 365)",
    ),
    (
        "TIPLINE_DASHBOARD_IDLE_MINUTES",
        "Dashboard: idle minutes before an officer session expires (default 30)",
    ),
    (
        "TIPLINE_TRUST_PROXY",
        "Dashboard: take the client address from X-Forwarded-For (only behind your own proxy; default false)",
    ),
    (
        "TELEGRAM_BOT_TOKEN",
        "Telegram bot token from @BotFather; enables Telegram (long polling unless TELEGRAM_WEBHOOK_URL is set)",
    ),
    (
        "TELOXIDE_API_URL",
        "Telegram Bot API base URL, e.g. a local Bot API server (default https://api.telegram.org)",
    ),
    (
        "TELEGRAM_WEBHOOK_URL",
        "Public HTTPS URL that reaches <bind>/telegram/webhook; switches Telegram to webhook mode",
    ),
    (
        "TELEGRAM_WEBHOOK_SECRET",
        "Webhook secret token (1-256 of A-Z a-z 0-9 _ -), required with TELEGRAM_WEBHOOK_URL; same on every replica",
    ),
    (
        "TELEGRAM_RATE_GLOBAL",
        "Outgoing Telegram messages per second, all chats (default 30, Telegram's limit; 0 = unpaced, only for a fake or local Bot API)",
    ),
    (
        "TELEGRAM_RATE_PER_CHAT",
        "Outgoing Telegram messages per second to one chat (default 1, Telegram's limit)",
    ),
    (
        "TIPLINE_UNIT_GROUPS",
        "Units' Telegram groups for tip notices, e.g. CA-26068=-1001234567890,PC04-75=-1009876543210",
    ),
    (
        "TIPLINE_UNIT_NOTICE_LANG",
        "Language of unit notices: vi or en (default vi)",
    ),
    (
        "ZALO_APP_ID",
        "Zalo app id; with ZALO_OA_SECRET_KEY enables Zalo OA at <bind>/zalo/webhook",
    ),
    (
        "ZALO_OA_SECRET_KEY",
        "Zalo OA secret key, verifies webhook signatures",
    ),
    (
        "ZALO_APP_SECRET",
        "Zalo app secret key, used to refresh the OA access token",
    ),
    (
        "ZALO_ACCESS_TOKEN",
        "Initial OA access token (optional when a refresh token is given)",
    ),
    (
        "ZALO_REFRESH_TOKEN",
        "Initial OA refresh token; rotated pairs are then kept in the database",
    ),
    (
        "ZALO_API_BASE_URL",
        "Zalo OA API base URL (default https://openapi.zalo.me)",
    ),
    (
        "ZALO_OAUTH_BASE_URL",
        "Zalo OAuth base URL (default https://oauth.zaloapp.com)",
    ),
    (
        "TIPLINE_BROADCAST_RATE",
        "Campaign messages per second per Telegram bot, all chats together (default 25; Telegram allows about 30)",
    ),
    (
        "TIPLINE_BROADCAST_ZALO_RATE",
        "Campaign messages per second on Zalo (default 10)",
    ),
    (
        "TIPLINE_BROADCAST_IN_FLIGHT",
        "Campaign requests open at once per channel; also the most deliveries a crash can leave 'unknown' (default 4)",
    ),
    (
        "TIPLINE_BROADCAST_LEASE_SECS",
        "Seconds a replica's broadcast pacer lease lasts without renewal (default 15)",
    ),
    (
        "RUST_LOG",
        "Log filter, e.g. info or tipline=debug (default info)",
    ),
];

#[derive(Debug, Clone)]
pub struct Config {
    pub data_dir: PathBuf,
    pub database_url: String,
    pub bind: SocketAddr,
    pub public_url: String,
    pub content_dir: PathBuf,
    pub routing_file: Option<PathBuf>,
    pub db_max_connections: u32,
    pub session_ttl_days: i64,
    /// Everything else (channel tokens...), by upper-case env name, for the adapters.
    pub extra: BTreeMap<String, String>,
    secret_hex: Option<String>,
}

/// Values from the command line (already merged with env by clap).
#[derive(Debug, Default, Clone)]
pub struct CliOverrides {
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
    pub config_file: Option<PathBuf>,
}

impl Config {
    pub fn load(cli: &CliOverrides) -> anyhow::Result<Config> {
        let file = read_file(cli.config_file.as_deref())?;
        let get = |name: &str| -> Option<String> {
            std::env::var(name)
                .ok()
                .filter(|v| !v.is_empty())
                .or_else(|| file.get(name).cloned())
        };
        let data_dir = cli
            .data_dir
            .clone()
            .or_else(|| get("TIPLINE_DATA_DIR").map(PathBuf::from))
            .unwrap_or_else(|| PathBuf::from("data"));
        let database_url = cli
            .database_url
            .clone()
            .or_else(|| get("DATABASE_URL"))
            .unwrap_or_else(|| format!("sqlite://{}", data_dir.join("tipline.db").display()));
        let bind: SocketAddr = get("TIPLINE_BIND")
            .unwrap_or_else(|| "127.0.0.1:8080".into())
            .parse()
            .context("TIPLINE_BIND must be host:port, e.g. 127.0.0.1:8080")?;
        let public_url = get("TIPLINE_PUBLIC_URL")
            .unwrap_or_else(|| format!("http://{bind}"))
            .trim_end_matches('/')
            .to_string();
        let content_dir = get("TIPLINE_CONTENT_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(default_content_dir);
        let routing_file = get("TIPLINE_ROUTING_FILE").map(PathBuf::from).or_else(|| {
            let p = data_dir.join("routing.toml");
            p.exists().then_some(p)
        });
        let db_max_connections = parse_num(
            get("TIPLINE_DB_MAX_CONNECTIONS"),
            8,
            "TIPLINE_DB_MAX_CONNECTIONS",
        )?;
        let session_ttl_days = parse_num(
            get("TIPLINE_SESSION_TTL_DAYS"),
            30,
            "TIPLINE_SESSION_TTL_DAYS",
        )?;
        let mut extra = file.clone();
        for (k, v) in std::env::vars() {
            if k.starts_with("TELEGRAM_")
                || k.starts_with("ZALO_")
                || k.starts_with("TELOXIDE_")
                || k.starts_with("TIPLINE_")
            {
                extra.insert(k, v);
            }
        }
        Ok(Config {
            secret_hex: get("TIPLINE_SECRET"),
            data_dir,
            database_url,
            bind,
            public_url,
            content_dir,
            routing_file,
            db_max_connections,
            session_ttl_days,
            extra,
        })
    }

    /// A setting for a channel adapter or worker, from env or file.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.extra
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// The server secret: from the environment, else `<data dir>/secret.key`,
    /// created on first run with mode 0600.
    pub fn server_secret(&self) -> anyhow::Result<ServerSecret> {
        if let Some(hex) = &self.secret_hex {
            return ServerSecret::from_hex(hex)
                .context("TIPLINE_SECRET must be at least 64 hex characters (32 bytes)");
        }
        let path = self.data_dir.join("secret.key");
        if path.exists() {
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("reading {}", path.display()))?;
            return ServerSecret::from_hex(&text).with_context(|| {
                format!("{} is not a valid secret (64+ hex chars)", path.display())
            });
        }
        let secret = ServerSecret::generate();
        write_private(&path, secret.to_hex().as_bytes())?;
        Ok(secret)
    }

    /// The ledger's signing key: TIPLINE_LEDGER_KEY_FILE, else
    /// `<data dir>/ledger.key` beside the server secret, created on first run
    /// with mode 0600. It never goes into the database.
    pub fn ledger_key(&self) -> anyhow::Result<LedgerKey> {
        let path = self.ledger_key_file();
        if path.exists() {
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("reading {}", path.display()))?;
            return LedgerKey::from_hex(&text)
                .with_context(|| format!("{} is not a ledger key (64 hex chars)", path.display()));
        }
        let key = LedgerKey::generate();
        write_private(&path, key.to_hex().as_bytes())?;
        Ok(key)
    }

    pub fn ledger_key_file(&self) -> PathBuf {
        self.get("TIPLINE_LEDGER_KEY_FILE")
            .map(PathBuf::from)
            .unwrap_or_else(|| self.data_dir.join("ledger.key"))
    }

    pub fn checkpoint_file(&self) -> PathBuf {
        self.get("TIPLINE_CHECKPOINT_FILE")
            .map(PathBuf::from)
            .unwrap_or_else(|| self.data_dir.join("checkpoints.txt"))
    }

    /// Tips per retention-purge transaction.
    pub fn purge_batch(&self) -> anyhow::Result<i64> {
        let n: i64 = parse_num(
            self.get("TIPLINE_PURGE_BATCH").map(str::to_string),
            200,
            "TIPLINE_PURGE_BATCH",
        )?;
        Ok(n.max(1))
    }

    pub fn ensure_data_dir(&self) -> anyhow::Result<bool> {
        let created = !self.data_dir.exists();
        std::fs::create_dir_all(&self.data_dir)
            .with_context(|| format!("creating data directory {}", self.data_dir.display()))?;
        Ok(created)
    }
}

fn parse_num<T: std::str::FromStr>(v: Option<String>, default: T, name: &str) -> anyhow::Result<T> {
    match v {
        Some(s) => s
            .trim()
            .parse()
            .map_err(|_| anyhow::anyhow!("{name} must be a number, got {s:?}")),
        None => Ok(default),
    }
}

fn default_content_dir() -> PathBuf {
    let local = PathBuf::from("locales");
    if local.is_dir() {
        local
    } else {
        PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/locales"))
    }
}

/// Reads `tipline.toml` (flat `KEY = "value"` pairs, keys as the env names).
fn read_file(explicit: Option<&Path>) -> anyhow::Result<BTreeMap<String, String>> {
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        None => {
            let p = PathBuf::from("tipline.toml");
            if !p.exists() {
                return Ok(BTreeMap::new());
            }
            p
        }
    };
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("reading config file {}", path.display()))?;
    let table: toml::Table =
        toml::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    let mut out = BTreeMap::new();
    for (k, v) in table {
        let value = match v {
            toml::Value::String(s) => s,
            toml::Value::Integer(i) => i.to_string(),
            toml::Value::Boolean(b) => b.to_string(),
            other => bail!(
                "{}: setting {k} must be a string, number or boolean, got {other}",
                path.display()
            ),
        };
        out.insert(k.to_ascii_uppercase(), value);
    }
    Ok(out)
}

/// Writes a file readable only by its owner.
pub fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    f.write_all(bytes)?;
    f.sync_all()?;
    Ok(())
}
