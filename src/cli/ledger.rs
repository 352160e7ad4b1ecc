//! `tipline ledger verify|pubkey|checkpoint` and `tipline purge`.
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;

use crate::app::AppState;
use crate::config::Config;
use crate::privacy::checkpoint::{AnchoredCheckpoint, PublicKey, parse_text};
use crate::privacy::ledger::VerifyOutcome;

#[derive(Debug, Subcommand)]
pub enum LedgerAction {
    /// Check the whole ledger: chain, coverage of every row, replay, purges,
    /// and (with --checkpoints) signed checkpoints kept outside the database.
    /// Exits non-zero at the first problem.
    Verify {
        /// Files holding checkpoint lines (the checkpoint file, a saved group
        /// message...); use - for standard input.
        #[arg(long, num_args = 1..)]
        checkpoints: Vec<PathBuf>,
        /// The ledger's public key (hex) as the unit recorded it; default:
        /// derived from this server's key file.
        #[arg(long)]
        pubkey: Option<String>,
    },
    /// Print the public key that checks checkpoint signatures.
    Pubkey,
    /// Sign the current head and print the checkpoint line (also appended to
    /// the checkpoint file).
    Checkpoint,
}

pub async fn run(config: Config, action: LedgerAction) -> anyhow::Result<ExitCode> {
    match action {
        LedgerAction::Pubkey => {
            config.ensure_data_dir()?;
            println!("{}", config.ledger_key()?.public().to_hex());
            Ok(ExitCode::SUCCESS)
        }
        LedgerAction::Checkpoint => {
            let state = AppState::load(config).await?;
            println!(
                "{}",
                crate::workers::checkpoints::sign_and_keep(&state).await?
            );
            Ok(ExitCode::SUCCESS)
        }
        LedgerAction::Verify {
            checkpoints,
            pubkey,
        } => verify(config, &checkpoints, pubkey.as_deref()).await,
    }
}

async fn verify(
    config: Config,
    files: &[PathBuf],
    pubkey: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let anchors = match read_checkpoints(&config, files, pubkey) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: {e:#}");
            return Ok(ExitCode::from(2));
        }
    };
    let state = AppState::load(config).await?;
    let outcome = state
        .store
        .verify_ledger_against(&anchors, crate::bot::now_ms())
        .await?;
    match outcome {
        VerifyOutcome::Intact { entries } => {
            println!(
                "ledger OK: {entries} entries checked, {} checkpoints matched",
                anchors.len()
            );
            Ok(ExitCode::SUCCESS)
        }
        VerifyOutcome::Broken {
            seq,
            subject,
            problem,
        } => {
            if seq > 0 {
                println!("ledger BROKEN at entry #{seq} ({subject}): {problem}");
            } else {
                println!("ledger BROKEN ({subject}): {problem}");
            }
            Ok(ExitCode::FAILURE)
        }
    }
}

fn read_checkpoints(
    config: &Config,
    files: &[PathBuf],
    pubkey: Option<&str>,
) -> anyhow::Result<Vec<AnchoredCheckpoint>> {
    if files.is_empty() {
        return Ok(Vec::new());
    }
    let key = match pubkey {
        Some(hex) => PublicKey::from_hex(hex)
            .context("--pubkey must be the 64 hex characters `tipline ledger pubkey` prints")?,
        None => config.ledger_key()?.public(),
    };
    let mut out = Vec::new();
    for path in files {
        let (name, text) = if path.as_os_str() == "-" {
            let text = std::io::read_to_string(std::io::stdin()).context("reading stdin")?;
            ("stdin".to_string(), text)
        } else {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading {}", path.display()))?;
            (path.display().to_string(), text)
        };
        out.extend(parse_text(&text, &name, &key)?);
    }
    Ok(out)
}

/// Runs the retention job once now (what `serve` does daily), and publishes
/// a checkpoint to the checkpoint file when tips went.
pub async fn purge(config: Config) -> anyhow::Result<ExitCode> {
    let state = AppState::load(config).await?;
    let report = crate::workers::retention::run_once(&state, crate::bot::now_ms()).await?;
    println!(
        "purged {} closed tips, {} dashboard sessions, {} chat sessions, {} unsent photos",
        report.tips, report.sessions, report.chat_sessions, report.orphan_attachments
    );
    if report.tips > 0 {
        println!(
            "{}",
            crate::workers::checkpoints::sign_and_keep(&state).await?
        );
    }
    Ok(ExitCode::SUCCESS)
}
