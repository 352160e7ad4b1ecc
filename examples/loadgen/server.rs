//! The system under test: a fresh database and a `tipline serve` child
//! process in webhook mode, its Bot API pointed at the fake.
use std::path::{Path, PathBuf};

/// A database for this run: a temp SQLite file or a fresh PostgreSQL database.
pub async fn fresh_database(
    admin: Option<&str>,
    dir: &Path,
) -> anyhow::Result<(String, Option<String>)> {
    use sqlx::Connection;
    let Some(admin) = admin else {
        return Ok((
            format!("sqlite://{}", dir.join("tipline.db").display()),
            None,
        ));
    };
    let name = format!("tipline_loadgen_{:08x}", rand::random::<u32>());
    let mut conn = sqlx::PgConnection::connect(admin).await?;
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await?;
    let base = admin.rsplit_once('/').map_or(admin, |(b, _)| b);
    Ok((format!("{base}/{name}"), Some(name)))
}

pub async fn drop_database(admin: &str, name: &str) -> anyhow::Result<()> {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(admin).await?;
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(&mut conn)
        .await?;
    Ok(())
}

/// `tipline serve`, built (a no-op when fresh) next to this example.
/// Under `cargo run` (CARGO is set, with the caller's environment) it is
/// brought up to date; run directly, the existing binary is used as is.
pub fn server_binary() -> anyhow::Result<PathBuf> {
    if let Ok(cargo) = std::env::var("CARGO") {
        let status = std::process::Command::new(cargo)
            .args(["build", "--release", "--quiet", "--bin", "tipline"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()?;
        anyhow::ensure!(status.success(), "building tipline failed");
    }
    let exe = std::env::current_exe()?;
    let release = exe
        .parent()
        .and_then(Path::parent)
        .ok_or_else(|| anyhow::anyhow!("unexpected example path {}", exe.display()))?;
    Ok(release.join("tipline"))
}

pub fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Starts `tipline serve` on `port`, webhook mode with our secret, replies
/// to the fake Bot API at `api_url`, log in `dir/server.log`.
pub fn spawn_server(
    binary: &Path,
    dir: &Path,
    db_url: &str,
    port: u16,
    api_url: &str,
    paced: Option<u32>,
    pool: Option<u32>,
) -> anyhow::Result<tokio::process::Child> {
    let log = std::fs::File::create(dir.join("server.log"))?;
    let mut cmd = tokio::process::Command::new(binary);
    cmd.arg("serve")
        .current_dir(dir)
        .env("TIPLINE_DATA_DIR", dir)
        .env("DATABASE_URL", db_url)
        .env("TIPLINE_BIND", format!("127.0.0.1:{port}"))
        .env(
            "TIPLINE_CONTENT_DIR",
            concat!(env!("CARGO_MANIFEST_DIR"), "/locales"),
        )
        .env("TELEGRAM_BOT_TOKEN", "123456:LOADGEN-token")
        .env("TELOXIDE_API_URL", api_url)
        .env(
            "TELEGRAM_WEBHOOK_URL",
            "https://tipline.test/telegram/webhook",
        )
        .env("TELEGRAM_WEBHOOK_SECRET", crate::citizen::SECRET)
        .env("TELEGRAM_RATE_GLOBAL", paced.unwrap_or(0).to_string())
        .env("TELEGRAM_RATE_PER_CHAT", paced.unwrap_or(1).to_string())
        .env(
            "RUST_LOG",
            std::env::var("LOADGEN_SERVER_LOG").unwrap_or("warn".into()),
        )
        .stdout(std::process::Stdio::null())
        .stderr(log)
        .kill_on_drop(true);
    if let Some(pool) = pool {
        cmd.env("TIPLINE_DB_MAX_CONNECTIONS", pool.to_string());
    }
    Ok(cmd.spawn()?)
}
