//! `tipline messenger setup`: the Page's Get Started button, greeting and
//! persistent menu, through the Messenger Profile API.
use std::process::ExitCode;

use clap::Subcommand;

use crate::app::AppState;
use crate::channels::messenger::profile;
use crate::config::Config;

#[derive(Debug, Subcommand)]
pub enum MessengerAction {
    /// Set the Get Started button, greeting and persistent menu (vi and en)
    /// on the Page; other profile fields are left as they are.
    Setup,
}

pub async fn run(config: Config, action: MessengerAction) -> anyhow::Result<ExitCode> {
    match action {
        MessengerAction::Setup => setup(config).await,
    }
}

async fn setup(config: Config) -> anyhow::Result<ExitCode> {
    let c = &config.messenger;
    let Some((token, _, _)) = c.enabled() else {
        eprintln!(
            "error: Messenger is not configured. Set MESSENGER_PAGE_ACCESS_TOKEN, MESSENGER_APP_SECRET and MESSENGER_VERIFY_TOKEN (see README.md, \"Connecting a Facebook Page\")."
        );
        return Ok(ExitCode::from(2));
    };
    let (api_base, token) = (c.api_base.clone(), token.expose().to_string());
    let state = AppState::load(config).await?;
    let http = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(20))
        .build()?;
    match profile::set_up(&http, &api_base, &token, &state.i18n).await {
        Ok(()) => {
            println!("Messenger profile set: Get Started button, greeting and menu (vi, en).");
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            Ok(ExitCode::FAILURE)
        }
    }
}
