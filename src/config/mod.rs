//! Settings, parsed and validated once at startup into one typed [`Config`].
//! Precedence: command line, then the environment, then `tipline.toml`, then
//! defaults. Every invalid value is reported with its name and source, and
//! startup stops. Secrets are never logged: their type ([`Secret`]) hides them.
//!
//! Adding a setting: a field in the struct it belongs to (`server.rs`,
//! `channels.rs`) and one line in that struct's `read`. Nothing else lists it.
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::privacy::checkpoint::LedgerKey;
use crate::privacy::keyed::ServerSecret;

mod channels;
mod file;
pub mod keyfile;
mod resolve;
mod secret;
mod server;
mod web_chat;

pub use channels::{
    MessengerConfig, NoticeConfig, TelegramConfig, TelegramWebhook, ZaloConfig, parse_unit_groups,
};
pub use resolve::{Entry, Origin, Problem};
pub use secret::{Secret, redact_url};
pub use server::{BroadcastConfig, WebConfig};
pub use web_chat::WebChatConfig;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("reading config file {}: {message}", path.display())]
    Read { path: PathBuf, message: String },
    #[error("config file {}: {message}", path.display())]
    Parse { path: PathBuf, message: String },
    #[error(
        "config file {} is writable by group or others (mode {mode:03o}), so anyone who can edit it could redirect Tipline's secrets; refusing to start. Fix: chmod go-w {}",
        path.display(),
        path.display()
    )]
    Writable { path: PathBuf, mode: u32 },
    #[error("invalid configuration ({} problem(s)):\n{}", .0.len(), list(.0))]
    Invalid(Vec<Problem>),
}

fn list(problems: &[Problem]) -> String {
    let lines: Vec<String> = problems.iter().map(|p| format!("  {p}")).collect();
    lines.join("\n")
}

#[derive(Clone)]
pub struct Config {
    pub data_dir: PathBuf,
    /// May hold a password: print it only through [`redact_url`].
    pub database_url: String,
    pub bind: SocketAddr,
    pub public_url: String,
    pub content_dir: PathBuf,
    pub routing_file: Option<PathBuf>,
    /// The help directory file; `None` means the built-in one.
    pub help_file: Option<PathBuf>,
    pub db_max_connections: u32,
    /// PostgreSQL step groups committed in parallel.
    pub pg_committers: usize,
    pub session_ttl_days: i64,
    /// The ledger's checkpoint signing key; never in the database.
    pub ledger_key_file: PathBuf,
    /// The data keys that seal sensitive columns; never in the database.
    pub data_key_file: PathBuf,
    /// Where serve appends the checkpoints it publishes.
    pub checkpoint_file: PathBuf,
    /// Tips per retention-purge transaction.
    pub purge_batch: i64,
    pub web: WebConfig,
    pub telegram: TelegramConfig,
    pub zalo: ZaloConfig,
    pub messenger: MessengerConfig,
    pub notices: NoticeConfig,
    pub broadcast: BroadcastConfig,
    pub web_chat: WebChatConfig,
    /// Whether tipline.toml may set platform API base URLs.
    pub allow_file_api_urls: bool,
    secret: Option<ServerSecret>,
    /// Every setting's effective value and origin, for `tipline config`.
    effective: Vec<Entry>,
    file_path: Option<PathBuf>,
}

/// Values from the command line.
#[derive(Debug, Default, Clone)]
pub struct CliOverrides {
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
    pub config_file: Option<PathBuf>,
    /// Any other setting by its environment name, ranked as command line
    /// (tests and embedders set channel settings this way).
    pub settings: Vec<(String, String)>,
}

impl Config {
    /// Reads the config file and the process environment, then validates.
    pub fn load(cli: &CliOverrides) -> Result<Config, ConfigError> {
        let (file_path, file) = file::read(cli.config_file.as_deref())?;
        let env = std::env::vars().collect();
        Config::from_layers(cli, env, file, file_path)
    }

    /// Validates the given layers; every problem is reported at once.
    pub fn from_layers(
        cli: &CliOverrides,
        env: BTreeMap<String, String>,
        file: BTreeMap<String, String>,
        file_path: Option<PathBuf>,
    ) -> Result<Config, ConfigError> {
        let mut cli_map: BTreeMap<String, String> = cli
            .settings
            .iter()
            .map(|(k, v)| (k.to_ascii_uppercase(), v.clone()))
            .collect();
        if let Some(d) = &cli.data_dir {
            cli_map.insert("TIPLINE_DATA_DIR".into(), d.display().to_string());
        }
        if let Some(u) = &cli.database_url {
            cli_map.insert("DATABASE_URL".into(), u.clone());
        }
        let layers = resolve::Layers {
            cli: cli_map,
            env,
            file,
            file_path: file_path.clone(),
        };
        let mut r = resolve::Resolver::new(&layers);
        let core = server::Core::read(&mut r);
        let web = WebConfig::read(&mut r);
        let telegram = TelegramConfig::read(&mut r);
        let notices = NoticeConfig::read(&mut r);
        let zalo = ZaloConfig::read(&mut r);
        let messenger = MessengerConfig::read(&mut r);
        let broadcast = BroadcastConfig::read(&mut r);
        let web_chat = WebChatConfig::read(&mut r);
        server::read_log_filter(&mut r);
        r.reject_unknown_file_keys();
        if !r.problems.is_empty() {
            return Err(ConfigError::Invalid(r.problems));
        }
        Ok(Config {
            data_dir: core.data_dir,
            database_url: core.database_url,
            bind: core.bind,
            public_url: core.public_url,
            content_dir: core.content_dir,
            routing_file: core.routing_file,
            help_file: core.help_file,
            db_max_connections: core.db_max_connections,
            pg_committers: core.pg_committers,
            session_ttl_days: core.session_ttl_days,
            ledger_key_file: core.ledger_key_file,
            data_key_file: core.data_key_file,
            checkpoint_file: core.checkpoint_file,
            purge_batch: core.purge_batch,
            allow_file_api_urls: core.allow_file_api_urls,
            web,
            telegram,
            zalo,
            messenger,
            notices,
            broadcast,
            web_chat,
            secret: core.secret,
            effective: r.entries,
            file_path,
        })
    }

    /// Every setting with its effective (redacted) value and origin.
    pub fn effective(&self) -> &[Entry] {
        &self.effective
    }

    /// The config file that was read, if any.
    pub fn file_path(&self) -> Option<&Path> {
        self.file_path.as_deref()
    }

    /// The server secret: TIPLINE_SECRET, else `<data dir>/secret.key`,
    /// created on first run with mode 0600.
    pub fn server_secret(&self) -> anyhow::Result<ServerSecret> {
        if let Some(secret) = &self.secret {
            return Ok(secret.clone());
        }
        let path = self.data_dir.join("secret.key");
        if path.exists() {
            let text = keyfile::read_private(&path)?;
            return ServerSecret::from_hex(&text).with_context(|| {
                format!("{} is not a valid secret (64+ hex chars)", path.display())
            });
        }
        let secret = ServerSecret::generate();
        write_private(&path, secret.to_hex().as_bytes())?;
        Ok(secret)
    }

    /// The ledger's signing key from `ledger_key_file` (beside the server
    /// secret by default), created on first run with mode 0600.
    pub fn ledger_key(&self) -> anyhow::Result<LedgerKey> {
        let path = &self.ledger_key_file;
        if path.exists() {
            let text = keyfile::read_private(path)?;
            return LedgerKey::from_hex(&text)
                .with_context(|| format!("{} is not a ledger key (64 hex chars)", path.display()));
        }
        let key = LedgerKey::generate();
        write_private(path, key.to_hex().as_bytes())?;
        Ok(key)
    }

    /// The data keys that seal sensitive columns (`data_key_file`, beside
    /// the server secret by default), created on first run with mode 0600.
    pub fn data_keys(&self) -> anyhow::Result<crate::privacy::seal::DataKeys> {
        Ok(keyfile::load_data_keys(&self.data_key_file)?.0)
    }

    /// Creates the data directory owner-only (0700); see [`keyfile::ensure_private_dir`].
    pub fn ensure_data_dir(&self) -> anyhow::Result<bool> {
        keyfile::ensure_private_dir(&self.data_dir)
    }
}

/// Shows the shape of the configuration, never a secret or a URL password.
impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("data_dir", &self.data_dir)
            .field("database_url", &redact_url(&self.database_url))
            .field("bind", &self.bind)
            .field("public_url", &self.public_url)
            .field("content_dir", &self.content_dir)
            .field("telegram", &self.telegram)
            .field("zalo", &self.zalo)
            .field("web", &self.web)
            .finish_non_exhaustive()
    }
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

#[cfg(test)]
mod tests;
