//! The command line: `tipline [serve|chat|queue|ledger|keys|purge|broadcast|config]`.
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::app::AppState;
use crate::config::{CliOverrides, Config};
use crate::i18n::Lang;

mod broadcast;
mod config;
mod content;
mod keys;
mod ledger;
mod messenger;
mod officer;
mod report;
mod serve;

#[derive(Debug, Parser)]
#[command(
    name = "tipline",
    version,
    about = "Drug-awareness chatbot and anonymous tip line"
)]
pub struct Cli {
    /// Data directory (database, server secret); overrides TIPLINE_DATA_DIR.
    #[arg(long, global = true)]
    pub data_dir: Option<PathBuf>,
    /// sqlite://path or postgres://user@host/db; overrides DATABASE_URL.
    #[arg(long, global = true)]
    pub database_url: Option<String>,
    /// Settings file (default ./tipline.toml when present).
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server and every configured channel (the default).
    Serve,
    /// Chat with the bot on this terminal (or a script through stdin).
    Chat {
        /// Any identifier for this console user; it is hashed, never stored.
        /// Default: one per terminal, so each terminal is its own conversation.
        #[arg(long)]
        user: Option<String>,
        /// Language for a new conversation.
        #[arg(long, value_parser = parse_lang)]
        lang: Option<Lang>,
    },
    /// List a unit's tip queue, newest first.
    Queue {
        /// Unit code: CA-<ward code> or PC04-<province code>.
        #[arg(long)]
        unit: String,
        #[arg(long)]
        json: bool,
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
    /// The tamper-evident ledger: verify, pubkey, checkpoint.
    Ledger {
        #[command(subcommand)]
        action: ledger::LedgerAction,
    },
    /// Data keys that seal sensitive columns at rest: rotate.
    Keys {
        #[command(subcommand)]
        action: keys::KeysAction,
    },
    /// Run the retention purge now (serve runs it daily).
    Purge,
    /// Dashboard accounts: add, disable, enable, reset-password, list.
    Officer {
        #[command(subcommand)]
        action: officer::OfficerAction,
    },
    /// Campaign broadcasts: create, follow, pause, resume, cancel, presets.
    Broadcast {
        #[command(subcommand)]
        action: broadcast::BroadcastAction,
    },
    /// Facebook Messenger: set up the Page's profile (Get Started, greeting, menu).
    Messenger {
        #[command(subcommand)]
        action: messenger::MessengerAction,
    },
    /// Print every setting's effective value (secrets redacted) and where
    /// it came from: cli, env, file or default.
    Config,
    /// Awareness content (articles, quizzes, help directory).
    Content {
        #[command(subcommand)]
        action: ContentAction,
    },
    /// The period report (tips, outcomes, awareness, campaign uplift) for any
    /// period and scope: `--format json` (stdout), csv, html or pdf.
    Report(report::ReportArgs),
    /// Quiz results, aggregated per class code (no personal data).
    Quiz {
        #[command(subcommand)]
        action: QuizAction,
    },
}

#[derive(Debug, Subcommand)]
pub enum ContentAction {
    /// Validate every locale; prints file:line for each problem. A running
    /// server reloads valid edits by itself within seconds.
    Check {
        /// Content directory (default: TIPLINE_CONTENT_DIR or ./locales).
        #[arg(long)]
        dir: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum QuizAction {
    /// Attempts, average score and per-question correctness.
    Stats {
        #[arg(long)]
        class: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    Lang::parse(s).ok_or_else(|| format!("unknown language {s:?}: use vi or en"))
}

pub fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| "info,sqlx=warn".into());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let overrides = CliOverrides {
        data_dir: cli.data_dir,
        database_url: cli.database_url,
        config_file: cli.config,
        settings: Vec::new(),
    };
    let config = Config::load(&overrides)?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve::run(config).await,
        Command::Chat { user, lang } => {
            let state = AppState::load(config).await?;
            let user = user.unwrap_or_else(config::terminal_user);
            crate::channels::console::run(state, user, lang).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Queue { unit, json, limit } => queue(config, &unit, json, limit).await,
        Command::Ledger { action } => ledger::run(config, action).await,
        Command::Keys { action } => keys::run(config, action).await,
        Command::Purge => ledger::purge(config).await,
        Command::Officer { action } => officer::run(config, action).await,
        Command::Content {
            action: ContentAction::Check { dir },
        } => Ok(content::run_check(&config, dir)),
        Command::Quiz {
            action: QuizAction::Stats { class, json },
        } => content::quiz_stats(config, class, json).await,
        Command::Broadcast { action } => broadcast::run(config, action).await,
        Command::Messenger { action } => messenger::run(config, action).await,
        Command::Report(args) => report::run(config, args).await,
        Command::Config => {
            config::print(&config);
            Ok(ExitCode::SUCCESS)
        }
    }
}

async fn queue(config: Config, unit: &str, json: bool, limit: i64) -> anyhow::Result<ExitCode> {
    let state = AppState::load(config).await?;
    let Some(code) = crate::domain::routing::UnitCode::parse_known(unit, &state.areas) else {
        eprintln!(
            "error: {unit:?} is not a unit code. Use CA-<ward code> (e.g. CA-26068) or PC04-<province code> (e.g. PC04-75)."
        );
        return Ok(ExitCode::from(2));
    };
    let tips = state
        .store
        .queue(code.as_str(), limit.clamp(1, 10_000))
        .await?;
    if json {
        println!("{}", serde_json::to_string_pretty(&tips)?);
    } else if tips.is_empty() {
        println!("No tips for {code}.");
    } else {
        for t in &tips {
            let first_line = t.description.lines().next().unwrap_or("");
            let preview = crate::domain::text::truncate_chars(first_line, 60);
            println!(
                "{}  {:8} {:7} {:17} {}  {}",
                t.reference,
                t.status,
                t.priority,
                t.category,
                &t.created_at[..16.min(t.created_at.len())],
                preview
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
