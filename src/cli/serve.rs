//! `tipline serve`: the main job.
use std::process::ExitCode;

use crate::app::{self, AppState};
use crate::config::Config;

pub async fn run(config: Config) -> anyhow::Result<ExitCode> {
    let first_run = config.ensure_data_dir()? || !config.data_dir.join("secret.key").exists();
    let state = AppState::load(config).await?;
    let server = app::build(state.clone()).await?;
    let addr = format!("http://{}:{}", state.config.bind.ip(), server.port());
    tracing::info!(%addr, database = %app::redact_url(&state.config.database_url), "Tipline is listening");
    if first_run {
        eprintln!(
            "First run: created {} (database and server secret) and the data key {}.\n             Keep the data key off the database host and out of database backups (README: The data key).",
            state.config.data_dir.display(),
            state.config.data_key_file.display()
        );
    }
    eprintln!(
        "\nTipline is running at {addr} (health: {addr}/healthz).\n\
         Next steps:\n  \
         - Try the bot in a terminal:   cargo run --release -- chat --user demo --lang en\n  \
         - See a unit's queue:          cargo run --release -- queue --unit CA-26068\n  \
         - Verify the ledger:           cargo run --release -- ledger verify\n  \
         - Connect Telegram or Zalo:    see README.md (TELEGRAM_BOT_TOKEN, ZALO_APP_ID...)\n\
         Press Ctrl-C to stop.\n"
    );
    if state.store.count_active_admins().await? == 0 {
        eprintln!(
            "No dashboard admin exists yet. Create one (the password is asked for, never passed as an argument):\n  \
             tipline officer add --unit CA-26068 --username admin --role admin\n\
             then sign in at {addr}/login\n"
        );
    }
    tokio::spawn(crate::content::watch::run(state.content.clone()));
    server.run_until(app::shutdown_signal()).await?;
    Ok(ExitCode::SUCCESS)
}
