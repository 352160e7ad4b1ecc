//! `tipline broadcast create|status|pause|resume|cancel|presets`.
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Subcommand;

use crate::app::AppState;
use crate::bot::now_ms;
use crate::config::Config;
use crate::domain::area::{Areas, short_province};
use crate::domain::campaign::{
    CampaignControl, CampaignFile, Schedule, Target, format_vn_time, previews,
};
use crate::domain::campaign_presets::{PRESETS, find};
use crate::i18n::Lang;
use crate::storage::campaigns::{Campaign, CampaignActionError, Progress};
use crate::workers::broadcast::eta;

#[derive(Debug, Subcommand)]
pub enum BroadcastAction {
    /// Create a campaign from a TOML file (see `broadcast presets`).
    Create {
        #[arg(long)]
        file: PathBuf,
        /// Validate and print the Telegram and Zalo previews; save nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Progress of one campaign (sent, failed, removed, remaining, ETA), or a list.
    Status {
        #[arg(long)]
        id: Option<i64>,
        /// Keep the progress bar updating until the campaign ends.
        #[arg(long)]
        watch: bool,
        #[arg(long)]
        json: bool,
    },
    /// Stop sending for now; sends in flight still finish.
    Pause {
        #[arg(long)]
        id: i64,
    },
    Resume {
        #[arg(long)]
        id: i64,
    },
    /// Stop for good: nothing more is sent.
    Cancel {
        #[arg(long)]
        id: i64,
    },
    /// Suggested campaigns for 1/6 and 26/6, as campaign files.
    Presets {
        /// Print only this preset ("1-6" or "26-6"), ready to redirect into a file.
        #[arg(long)]
        name: Option<String>,
        /// Year to schedule for (default: the next time the date comes round).
        #[arg(long)]
        year: Option<i32>,
    },
}

pub async fn run(config: Config, action: BroadcastAction) -> anyhow::Result<ExitCode> {
    match action {
        BroadcastAction::Presets { name, year } => Ok(presets(name.as_deref(), year)),
        BroadcastAction::Create { file, dry_run } => create(config, &file, dry_run).await,
        BroadcastAction::Status { id, watch, json } => status(config, id, watch, json).await,
        BroadcastAction::Pause { id } => act(config, id, CampaignControl::Pause).await,
        BroadcastAction::Resume { id } => act(config, id, CampaignControl::Resume).await,
        BroadcastAction::Cancel { id } => act(config, id, CampaignControl::Cancel).await,
    }
}

fn presets(name: Option<&str>, year: Option<i32>) -> ExitCode {
    let chosen: Vec<_> = match name {
        Some(n) => match find(n) {
            Some(p) => vec![p],
            None => {
                let names: Vec<_> = PRESETS.iter().map(|p| p.name).collect();
                eprintln!("error: no preset {n:?}; choose one of {}", names.join(", "));
                return ExitCode::from(2);
            }
        },
        None => PRESETS.iter().collect(),
    };
    for (i, p) in chosen.iter().enumerate() {
        if i > 0 {
            println!("\n# ----------------------------------------------------------------\n");
        }
        print!(
            "{}",
            p.to_campaign_file(year.unwrap_or_else(|| p.next_year(now_ms())))
        );
    }
    ExitCode::SUCCESS
}

async fn create(config: Config, file: &PathBuf, dry_run: bool) -> anyhow::Result<ExitCode> {
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", file.display());
            return Ok(ExitCode::from(2));
        }
    };
    let state = AppState::load(config).await?;
    let footer = |l: Lang| state.i18n.tr(l, "campaign-footer");
    let draft = match CampaignFile::parse(&text).and_then(|f| f.validate(&state.areas, footer)) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {}: {e}", file.display());
            return Ok(ExitCode::from(2));
        }
    };
    println!("Campaign: {}", draft.title);
    match draft.schedule {
        Schedule::Now => println!("Schedule: now"),
        Schedule::At(ms) => {
            let past = if ms < now_ms() {
                " (already past: starts at once)"
            } else {
                ""
            };
            println!("Schedule: {} Vietnam time{past}", format_vn_time(ms));
        }
    }
    println!("Target:   {}", describe_target(&draft.target, &state.areas));
    let audience = state.store.audience(&draft.target).await?;
    let total: i64 = audience.values().sum();
    let per: Vec<String> = audience.iter().map(|(c, n)| format!("{c} {n}")).collect();
    println!(
        "Audience: {total} subscriber(s) today{}",
        if per.is_empty() {
            String::new()
        } else {
            format!(" ({})", per.join(", "))
        }
    );
    for p in previews(&draft.text_vi, &draft.text_en, footer) {
        println!(
            "\n--- {} · {} · {}/{} {} · plain text ---",
            p.channel.display_name(),
            p.lang,
            p.length,
            p.limit,
            p.unit
        );
        println!("{}", p.text);
    }
    println!();
    if dry_run {
        println!("Dry run: nothing was saved.");
        return Ok(ExitCode::SUCCESS);
    }
    let id = state.store.create_campaign(&draft, "cli", now_ms()).await?;
    println!("Created campaign #{id}. Follow it with: tipline broadcast status --id {id} --watch");
    Ok(ExitCode::SUCCESS)
}

fn describe_target(target: &Target, areas: &Areas) -> String {
    match target {
        Target::All => "all subscribers".into(),
        Target::Provinces(codes) => codes
            .iter()
            .map(|c| {
                let name = areas
                    .province(*c)
                    .map(|p| short_province(&p.name))
                    .unwrap_or("?");
                format!("{c} {name}")
            })
            .collect::<Vec<_>>()
            .join(", "),
    }
}

async fn act(config: Config, id: i64, control: CampaignControl) -> anyhow::Result<ExitCode> {
    let state = AppState::load(config).await?;
    match state.store.control_campaign(id, control, now_ms()).await {
        Ok(()) => {
            println!("Campaign #{id} {}.", control.past_tense());
            Ok(ExitCode::SUCCESS)
        }
        Err(e @ (CampaignActionError::NotFound(_) | CampaignActionError::WrongState { .. })) => {
            eprintln!("error: {e}");
            Ok(ExitCode::from(2))
        }
        Err(CampaignActionError::Storage(e)) => Err(e.into()),
    }
}

async fn status(
    config: Config,
    id: Option<i64>,
    watch: bool,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let state = AppState::load(config).await?;
    let Some(id) = id else {
        let list = state.store.campaigns(50).await?;
        if list.is_empty() {
            println!(
                "No campaigns yet. Start from a preset: tipline broadcast presets --name 26-6 > campaign.toml"
            );
        }
        for c in &list {
            let p = state.store.campaign_progress(c.id).await?;
            println!(
                "#{:<4} {:9} {}  {}/{} done  {}",
                c.id,
                c.state.as_str(),
                format_vn_time(c.scheduled_at),
                p.finished(),
                p.total,
                c.title
            );
        }
        return Ok(ExitCode::SUCCESS);
    };
    let Some(campaign) = state.store.campaign(id).await? else {
        eprintln!("error: no campaign #{id}");
        return Ok(ExitCode::from(2));
    };
    let progress = state.store.campaign_progress(id).await?;
    if json {
        let eta_s = eta(&progress, &state.config).as_secs();
        let out =
            serde_json::json!({ "campaign": campaign, "progress": progress, "eta_seconds": eta_s });
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(ExitCode::SUCCESS);
    }
    print!(
        "{}",
        summary(&campaign, &progress, eta(&progress, &state.config))
    );
    // The bar only draws on a terminal; the summary above is for scripts and logs.
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(progress.total.max(0) as u64),
        indicatif::ProgressDrawTarget::stdout(),
    );
    bar.set_style(indicatif::ProgressStyle::with_template(
        "[{bar:40.green/white}] {pos}/{len} {msg}",
    )?);
    let mut progress = progress;
    let mut campaign = campaign;
    loop {
        bar.set_length(progress.total.max(0) as u64);
        bar.set_position(progress.finished().max(0) as u64);
        bar.set_message(bar_message(
            &campaign,
            &progress,
            eta(&progress, &state.config),
        ));
        if !watch || campaign.state.is_final() {
            break;
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
        progress = state.store.campaign_progress(id).await?;
        campaign = match state.store.campaign(id).await? {
            Some(c) => c,
            None => break,
        };
    }
    bar.abandon();
    Ok(ExitCode::SUCCESS)
}

/// Plain lines for scripts and logs.
pub fn summary(c: &Campaign, p: &Progress, eta: Duration) -> String {
    let mut s = format!(
        "Campaign #{} · {} · {}\nScheduled {} Vietnam time\n",
        c.id,
        c.state.as_str(),
        c.title,
        format_vn_time(c.scheduled_at)
    );
    s.push_str(&format!(
        "Total {} · sent {} · failed {} · removed {} · undeliverable {} · unknown {} · skipped {} · remaining {}\n",
        p.total, p.sent, p.failed, p.removed, p.undeliverable, p.unknown, p.skipped, p.remaining()
    ));
    if p.remaining() > 0 && !c.state.is_final() {
        s.push_str(&format!(
            "ETA about {} at the configured rate\n",
            human(eta)
        ));
    }
    if p.unknown > 0 {
        s.push_str(&format!(
            "{} message(s) were being sent when a pacer stopped abruptly: they may or may not have arrived, and are not resent (no duplicates).\n",
            p.unknown
        ));
    }
    s
}

fn bar_message(c: &Campaign, p: &Progress, eta: Duration) -> String {
    let tail = match c.state.as_str() {
        "running" if p.remaining() > 0 => format!("· ETA {}", human(eta)),
        other => format!("· {other}"),
    };
    format!(
        "sent {} · failed {} · removed {} · remaining {} {tail}",
        p.sent,
        p.failed + p.undeliverable + p.unknown,
        p.removed,
        p.remaining()
    )
}

pub fn human(d: Duration) -> String {
    let s = d.as_secs();
    if s >= 3600 {
        format!("{}h{:02}m", s / 3600, (s % 3600) / 60)
    } else if s >= 60 {
        format!("{}m{:02}s", s / 60, s % 60)
    } else {
        format!("{s}s")
    }
}
