//! `tipline report`: the dashboard's period report from the command line, for
//! any period and scope, as JSON (stdout), CSV, printable HTML or PDF. The PDF
//! is the HTML printed by headless Chromium, so it matches what the
//! dashboard prints.
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, ValueEnum};

use crate::app::AppState;
use crate::config::Config;
use crate::domain::area::ProvinceCode;
use crate::domain::routing::UnitCode;
use crate::i18n::Lang;
use crate::storage::scope::Scope;
use crate::web::layout::Ctx;
use crate::web::report::model::{self, Request};
use crate::web::report::period::Period;
use crate::web::report::render;
use crate::web::stats::area_label;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Json,
    Csv,
    Html,
    Pdf,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// First day, YYYY-MM-DD (Vietnam time).
    #[arg(long)]
    from: String,
    /// Last day, inclusive.
    #[arg(long)]
    to: String,
    /// One unit: CA-<ward code> or PC04-<province code>.
    #[arg(long, conflicts_with = "province")]
    unit: Option<String>,
    /// One province, by code (75 = Đồng Nai).
    #[arg(long)]
    province: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
    /// The report may leave the police: counts of 1-4 per ward and category become "<5".
    #[arg(long)]
    suppress_small: bool,
    /// Language of the HTML and PDF.
    #[arg(long, default_value = "vi", value_parser = parse_lang)]
    lang: Lang,
    /// Write to this file instead of standard output.
    #[arg(long)]
    out: Option<PathBuf>,
    /// The Chromium used to print the PDF.
    #[arg(long, default_value = "chromium")]
    chromium: PathBuf,
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    Lang::parse(s).ok_or_else(|| format!("unknown language {s:?}: use vi or en"))
}

fn refuse(message: &str) -> anyhow::Result<ExitCode> {
    eprintln!("error: {message}");
    Ok(ExitCode::from(2))
}

pub async fn run(config: Config, a: ReportArgs) -> anyhow::Result<ExitCode> {
    let period = match Period::parse(&a.from, &a.to) {
        Ok(p) => p,
        Err(e) => {
            let text = crate::i18n::I18n::load(&config.content_dir)
                .map(|i| i.tr(Lang::En, e.key()))
                .unwrap_or_else(|_| e.key().to_string());
            return refuse(&text);
        }
    };
    let state = AppState::load(config).await?;
    let unit = match a.unit.as_deref() {
        Some(u) => match UnitCode::parse_known(u, &state.areas) {
            Some(u) => Some(u),
            None => return refuse(&state.i18n.tr(Lang::En, "report-error-unit")),
        },
        None => None,
    };
    let province = match a.province.as_deref() {
        Some(p) => match p
            .trim()
            .parse()
            .ok()
            .map(ProvinceCode)
            .filter(|p| state.areas.province(*p).is_some())
        {
            Some(p) => Some(p),
            None => return refuse(&state.i18n.tr(Lang::En, "report-error-province")),
        },
        None => None,
    };
    // The operator runs the command with the database in hand: every scope.
    let Some(area) = Scope::All.area(unit.as_ref(), province, &state.areas) else {
        return refuse("give --unit or --province, not both");
    };
    let req = Request {
        area,
        period,
        suppress_small: a.suppress_small,
    };
    let ctx = Ctx::anonymous(&state.i18n, a.lang);
    let name = area_label(&state, &ctx, &req.area).await;
    let report = model::build(&state, &req, name).await?;
    let bytes = match a.format {
        Format::Pdf => {
            let (html, _) = render(&ctx, &report, "html").map_err(|e| anyhow::anyhow!("{e}"))?;
            print_pdf(&a.chromium, &html)?
        }
        f => {
            let name = format!("{f:?}").to_lowercase();
            render(&ctx, &report, &name)
                .map_err(|e| anyhow::anyhow!("{e}"))?
                .0
        }
    };
    match &a.out {
        Some(path) => {
            std::fs::write(path, &bytes).with_context(|| format!("writing {}", path.display()))?
        }
        None => std::io::stdout().lock().write_all(&bytes)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints the standalone HTML to PDF with headless Chromium (A4 from the
/// report's own @page rule), in a private scratch directory.
fn print_pdf(chromium: &Path, html: &[u8]) -> anyhow::Result<Vec<u8>> {
    let dir = std::env::temp_dir().join(format!(
        "tipline-report-{}",
        crate::web::auth::random_token()
    ));
    std::fs::create_dir(&dir).context("creating a scratch directory for the PDF")?;
    let result = (|| {
        let page = dir.join("report.html");
        let pdf = dir.join("report.pdf");
        std::fs::write(&page, html)?;
        let status = std::process::Command::new(chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-pdf-header-footer",
            ])
            .arg(format!("--user-data-dir={}", dir.join("profile").display()))
            .arg(format!("--print-to-pdf={}", pdf.display()))
            .arg(format!("file://{}", page.display()))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .with_context(|| format!("starting {} to print the PDF", chromium.display()))?;
        anyhow::ensure!(
            status.success(),
            "chromium could not print the PDF ({status})"
        );
        std::fs::read(&pdf).context("reading the printed PDF")
    })();
    let _ = std::fs::remove_dir_all(&dir);
    result
}
