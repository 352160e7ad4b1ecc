//! Benchmark: a period report over a million tips.
//!
//!     cargo run --release --example report_bench -- --tips 1000000
//!     DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres cargo run --release --example report_bench
//!
//! Fills a temporary SQLite database (or a scratch PostgreSQL database) with
//! N tips spread over one year in 34 provinces, 5% of them closed as actioned
//! with an outcome, then times the report (the same `model::build` the
//! dashboard and `tipline report` use) for the whole country and for one
//! province, and prints the process's peak memory. Bulk rows are inserted
//! with plain SQL: this measures the report, not the tip flow.
use std::sync::Arc;
use std::time::Instant;

use tipline::app::AppState;
use tipline::config::{CliOverrides, Config};
use tipline::storage::scope::Area;
use tipline::web::report::model::{self, Request};
use tipline::web::report::period::Period;

const CATEGORIES: [&str; 8] = [
    "dealing",
    "use_venue",
    "trafficking",
    "production",
    "cultivation",
    "disguised_sale",
    "person_in_danger",
    "other",
];
const OUTCOME: &str = r#"{"contribution":"direct","case_opened":true,"detained":1,"substances":[{"kind":"methamphetamine","quantity":2.5,"unit":"g"}],"venue_closed":false}"#;

fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

async fn fill(app: &AppState, tips: i64, from_ms: i64) -> anyhow::Result<()> {
    let wards: Vec<(u32, u32)> = tipline::domain::ADMIN_UNITS_CSV
        .lines()
        .skip(1)
        .filter_map(|l| {
            let cols: Vec<&str> = l.split(',').collect();
            Some((cols.get(4)?.parse().ok()?, cols.first()?.parse().ok()?))
        })
        .collect();
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&app.config.database_url).await?;
    let year_ms = 365 * 86_400_000i64;
    let batch = 500;
    let mut i = 0i64;
    while i < tips {
        let mut tx = pool.begin().await?;
        for j in i..(i + batch).min(tips) {
            let (ward, province) = wards[(j as usize * 7919) % wards.len()];
            let created = from_ms + (j * 7_777_777) % year_ms;
            let actioned = j % 20 == 0;
            sqlx::query(
                "INSERT INTO tips (reference, receipt_hash, category, province_code, ward_code, routed_unit, routing_reason, \
                 reported_priority, when_seen, description, lang, channel, created_at, unit, status, resolution, priority, \
                 priority_rank, first_response_at, closed_at, updated_at, ledger_hash, outcome) \
                 VALUES ($1, $2, $3, $4, $5, $6, 'bench', 'normal', 'now', 'bench', 'vi', $7, $8, $6, $9, $10, 'normal', 2, $11, $12, $8, '', $13)",
            )
            .bind(format!("TL-B{j:09}"))
            .bind(format!("bench-{j}"))
            .bind(CATEGORIES[(j % 8) as usize])
            .bind(i64::from(province))
            .bind(i64::from(ward))
            .bind(format!("CA-{ward}"))
            .bind(if j % 3 == 0 { "zalo" } else { "telegram" })
            .bind(created)
            .bind(if actioned { "closed" } else { "new" })
            .bind(actioned.then_some("actioned"))
            .bind(actioned.then_some(created + 3_600_000))
            .bind(actioned.then_some(created + 86_400_000))
            .bind(actioned.then_some(OUTCOME))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        i += batch;
    }
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut tips = 1_000_000i64;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        match flag.as_str() {
            "--tips" => tips = args.next().and_then(|v| v.parse().ok()).expect("--tips N"),
            other => anyhow::bail!("unknown flag {other}; use --tips N"),
        }
    }
    let dir = tempfile::tempdir()?;
    let empty = dir.path().join("empty.toml");
    std::fs::write(&empty, "")?;
    let mut config = Config::load(&CliOverrides {
        data_dir: Some(dir.path().join("data")),
        database_url: std::env::var("DATABASE_URL").ok(),
        config_file: Some(empty),
        ..Default::default()
    })?;
    config.content_dir = concat!(env!("CARGO_MANIFEST_DIR"), "/locales").into();
    let app: Arc<AppState> = AppState::load(config).await?;
    let year = Period::parse("2026-01-01", "2026-12-31").map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let start = Instant::now();
    fill(&app, tips, year.from_ms()).await?;
    println!(
        "filled {tips} tips in {:.1} s",
        start.elapsed().as_secs_f64()
    );
    for (label, area) in [
        ("all provinces", Area::All),
        ("province 75", Area::Province(75)),
    ] {
        let req = Request {
            area,
            period: year,
            suppress_small: true,
        };
        let t = Instant::now();
        let report = model::build(&app, &req, label.into()).await?;
        println!(
            "report for {label}, one year: {:.2} s, {} tips, {} wards; peak RSS {:.0} MiB",
            t.elapsed().as_secs_f64(),
            report.tips.total,
            report.tips.by_ward.len(),
            peak_rss_mib()
        );
    }
    Ok(())
}
