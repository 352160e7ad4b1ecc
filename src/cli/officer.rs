//! `tipline officer add|disable|enable|reset-password|list`: dashboard accounts
//! from the terminal. Passwords come from a hidden prompt or stdin, never argv
//! (which other users of the machine can read in the process list).
use std::io::BufRead;
use std::process::ExitCode;

use clap::Subcommand;

use crate::app::AppState;
use crate::bot::now_ms;
use crate::config::Config;
use crate::domain::officer::valid_username;
use crate::domain::routing::UnitCode;
use crate::storage::StorageError;
use crate::storage::officers::{NewOfficer, Role};
use crate::web::password;

#[derive(Debug, Subcommand)]
pub enum OfficerAction {
    /// Create a dashboard account.
    Add {
        /// Unit code: CA-<ward code> or PC04-<province code>.
        #[arg(long)]
        unit: String,
        #[arg(long)]
        username: String,
        /// officer, lead or admin.
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// Read the password from the first line of stdin instead of a prompt.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Block an account and end its sessions.
    Disable {
        #[arg(long)]
        username: String,
    },
    /// Unblock an account.
    Enable {
        #[arg(long)]
        username: String,
    },
    /// Set a new password (ends the account's sessions).
    ResetPassword {
        #[arg(long)]
        username: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// List accounts.
    List,
}

fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse(s).ok_or_else(|| format!("unknown role {s:?}: use officer, lead or admin"))
}

fn read_password(from_stdin: bool) -> anyhow::Result<String> {
    let pw = if from_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        line.trim_end_matches(['\r', '\n']).to_string()
    } else {
        let a = rpassword::prompt_password("Password: ")?;
        let b = rpassword::prompt_password("Repeat password: ")?;
        anyhow::ensure!(a == b, "the two passwords differ");
        a
    };
    if let Some(_reason) = password::weakness(&pw) {
        anyhow::bail!(
            "the password must have at least {} characters",
            password::MIN_PASSWORD_CHARS
        );
    }
    Ok(pw)
}

pub async fn run(config: Config, action: OfficerAction) -> anyhow::Result<ExitCode> {
    let state = AppState::load(config).await?;
    let now = now_ms();
    match action {
        OfficerAction::Add {
            unit,
            username,
            role,
            password_stdin,
        } => {
            let Some(unit) = UnitCode::parse_known(&unit, &state.areas) else {
                eprintln!(
                    "error: {unit:?} is not a unit code. Use CA-<ward code> (e.g. CA-26068) or PC04-<province code> (e.g. PC04-75)."
                );
                return Ok(ExitCode::from(2));
            };
            let username = username.trim().to_lowercase();
            if !valid_username(&username) {
                eprintln!(
                    "error: usernames have 3-32 characters: a-z, 0-9, dot, dash or underscore."
                );
                return Ok(ExitCode::from(2));
            }
            let pw = read_password(password_stdin)?;
            let hash =
                password::hash(&pw).map_err(|e| anyhow::anyhow!("hashing the password: {e}"))?;
            match state
                .store
                .create_officer(
                    NewOfficer {
                        unit: unit.as_str(),
                        username: &username,
                        role,
                        password_hash: &hash,
                    },
                    now,
                )
                .await
            {
                Ok(_) => println!(
                    "Created {} account {username} for {unit}. Sign in at {}/login",
                    role.as_str(),
                    state.config.public_url
                ),
                Err(StorageError::Conflict) => {
                    eprintln!("error: the username {username:?} is already taken.");
                    return Ok(ExitCode::from(2));
                }
                Err(e) => return Err(e.into()),
            }
        }
        OfficerAction::Disable { username } | OfficerAction::Enable { username }
            if state.store.officer_by_username(&username).await?.is_none() =>
        {
            eprintln!("error: no account named {username:?}.");
            return Ok(ExitCode::from(2));
        }
        OfficerAction::Disable { username } => {
            let o = state
                .store
                .officer_by_username(&username)
                .await?
                .expect("checked above");
            state.store.set_officer_disabled(o.id, true, now).await?;
            println!("Disabled {username}; their sessions have ended.");
        }
        OfficerAction::Enable { username } => {
            let o = state
                .store
                .officer_by_username(&username)
                .await?
                .expect("checked above");
            state.store.set_officer_disabled(o.id, false, now).await?;
            println!("Enabled {username}.");
        }
        OfficerAction::ResetPassword {
            username,
            password_stdin,
        } => {
            let Some(o) = state.store.officer_by_username(&username).await? else {
                eprintln!("error: no account named {username:?}.");
                return Ok(ExitCode::from(2));
            };
            let pw = read_password(password_stdin)?;
            let hash =
                password::hash(&pw).map_err(|e| anyhow::anyhow!("hashing the password: {e}"))?;
            state.store.set_officer_password(o.id, &hash, now).await?;
            println!("New password set for {username}; their sessions have ended.");
        }
        OfficerAction::List => {
            for o in state.store.list_officers(None).await? {
                let flags = [
                    o.disabled.then_some("disabled"),
                    o.totp_enabled.then_some("totp"),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(",");
                println!(
                    "{:24} {:10} {:8} {}",
                    o.username,
                    o.unit,
                    o.role.as_str(),
                    flags
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
