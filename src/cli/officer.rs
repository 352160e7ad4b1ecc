//! `tipline officer add|disable|enable|reset-password|list`: dashboard accounts
//! from the terminal. Passwords come from a hidden prompt or stdin, never argv
//! (which other users of the machine can read in the process list).
use std::io::BufRead;
use std::process::ExitCode;

use clap::Subcommand;

use crate::app::AppState;
use crate::bot::now_ms;
use crate::config::Config;
use crate::storage::officers::{Officer, Role};
use crate::web::officer_create::{self, AccountName, CreateOfficerError};
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
    Role::parse(s).ok_or_else(|| {
        format!("unknown role {s:?}: use officer, lead, supervisor, national or admin")
    })
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
        } => add(&state, &unit, &username, role, password_stdin, now).await,
        OfficerAction::Disable { username } => set_disabled(&state, &username, true, now).await,
        OfficerAction::Enable { username } => set_disabled(&state, &username, false, now).await,
        OfficerAction::ResetPassword {
            username,
            password_stdin,
        } => reset_password(&state, &username, password_stdin, now).await,
        OfficerAction::List => list(&state).await,
    }
}

/// The exit code for a refused request: the message went to stderr.
fn refused() -> anyhow::Result<ExitCode> {
    Ok(ExitCode::from(2))
}

async fn add(
    state: &AppState,
    unit: &str,
    username: &str,
    role: Role,
    password_stdin: bool,
    now: i64,
) -> anyhow::Result<ExitCode> {
    let name = match officer_create::check_name(unit, username, &state.areas) {
        Ok(name) => name,
        Err(CreateOfficerError::UnknownUnit) => {
            eprintln!(
                "error: {unit:?} is not a unit code. Use CA-<ward code> (e.g. CA-26068) or PC04-<province code> (e.g. PC04-75)."
            );
            return refused();
        }
        Err(e) => {
            eprintln!("error: {e}.");
            return refused();
        }
    };
    if !role.fits_unit(name.unit.as_str()) {
        eprintln!("error: {}.", CreateOfficerError::RoleUnit);
        return refused();
    }
    let pw = read_password(password_stdin)?;
    let AccountName { unit, username } = &name;
    match officer_create::create(&state.store, &name, role, &pw, now).await {
        Ok(_) => println!(
            "Created {} account {username} for {unit}. Sign in at {}/login",
            role.as_str(),
            state.config.public_url
        ),
        Err(CreateOfficerError::UsernameTaken) => {
            eprintln!("error: the username {username:?} is already taken.");
            return refused();
        }
        Err(e) => return Err(e.into()),
    }
    Ok(ExitCode::SUCCESS)
}

/// The account, or `None` after telling the operator it does not exist.
async fn existing(state: &AppState, username: &str) -> anyhow::Result<Option<Officer>> {
    let found = state.store.officer_by_username(username).await?;
    if found.is_none() {
        eprintln!("error: no account named {username:?}.");
    }
    Ok(found)
}

async fn set_disabled(
    state: &AppState,
    username: &str,
    disabled: bool,
    now: i64,
) -> anyhow::Result<ExitCode> {
    let Some(o) = existing(state, username).await? else {
        return refused();
    };
    state
        .store
        .set_officer_disabled(o.id, disabled, now)
        .await?;
    if disabled {
        println!("Disabled {username}; their sessions have ended.");
    } else {
        println!("Enabled {username}.");
    }
    Ok(ExitCode::SUCCESS)
}

async fn reset_password(
    state: &AppState,
    username: &str,
    password_stdin: bool,
    now: i64,
) -> anyhow::Result<ExitCode> {
    let Some(o) = existing(state, username).await? else {
        return refused();
    };
    let pw = read_password(password_stdin)?;
    let hash = password::hash(&pw).map_err(|e| anyhow::anyhow!("hashing the password: {e}"))?;
    state.store.set_officer_password(o.id, &hash, now).await?;
    println!("New password set for {username}; their sessions have ended.");
    Ok(ExitCode::SUCCESS)
}

async fn list(state: &AppState) -> anyhow::Result<ExitCode> {
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
    Ok(ExitCode::SUCCESS)
}
