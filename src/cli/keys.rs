//! `tipline keys rotate`: a new data key, every sealed value re-sealed with
//! it in batches, then the old keys dropped. Safe to kill at any point and
//! run again: until the last step the key file keeps the old keys, so every
//! row opens whether it was re-sealed yet or not, and the next run goes on
//! with the same new key instead of making another.
use std::process::ExitCode;

use clap::Subcommand;

use crate::config::Config;
use crate::config::keyfile::{load_data_keys, lock_keys, replace_private};
use crate::storage::{PoolSettings, Store};

#[derive(Debug, Subcommand)]
pub enum KeysAction {
    /// Re-seal tip text, replies, GPS, photos, sessions, TOTP seeds, tokens
    /// and subscription addresses under a new data key. Stop Tipline (every
    /// replica) first. Resumable: after a crash, run it again.
    Rotate {
        /// Rows re-sealed per transaction.
        #[arg(long, default_value_t = 500, value_parser = clap::value_parser!(i64).range(1..))]
        batch: i64,
    },
}

pub async fn run(config: Config, action: KeysAction) -> anyhow::Result<ExitCode> {
    let KeysAction::Rotate { batch } = action;
    config.ensure_data_dir()?;
    let path = &config.data_key_file;
    let _lock = lock_keys(path, true)?;
    let settings = PoolSettings {
        max_connections: config.db_max_connections,
        ..Default::default()
    };
    let shown_db = crate::config::redact_url(&config.database_url);
    let connect = |keys| async {
        Store::connect(&config.database_url, &settings, keys)
            .await
            .map_err(|e| anyhow::anyhow!("opening database {shown_db}: {e}"))
    };
    // Opening with the keys as they are proves they open what is stored
    // before anything is added to the file.
    let (keys, _) = load_data_keys(path)?;
    let mut store = connect(keys).await?;
    if store.data_keys().ids().len() > 1 {
        println!(
            "An earlier rotation did not finish; going on with data key {}.",
            store.data_keys().current_id()
        );
    } else {
        let next = store.data_keys().with_new_key();
        replace_private(path, next.to_file_text().as_bytes())?;
        println!(
            "Added data key {} to {}; re-sealing with it.",
            next.current_id(),
            path.display()
        );
        store.close().await;
        store = connect(next).await?;
    }
    let done = store
        .reseal_all(batch, &mut |column, n| {
            if n > 0 {
                println!("{column}: {n} re-sealed");
            }
        })
        .await?;
    let retired = store.retire_old_keys().await?;
    let current = store.data_keys().current_only();
    replace_private(path, current.to_file_text().as_bytes())?;
    store.close().await;
    println!(
        "Done: {} values re-sealed; retired key(s) {}; {} now holds only data key {}.",
        done.total(),
        if retired.is_empty() {
            "none".to_string()
        } else {
            retired.join(", ")
        },
        path.display(),
        current.current_id()
    );
    Ok(ExitCode::SUCCESS)
}
