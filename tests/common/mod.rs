//! Shared test support: fresh databases on every backend and a running app.
#![allow(dead_code)]
use std::path::PathBuf;
use std::sync::Arc;

use tipline::app::AppState;
use tipline::config::{CliOverrides, Config};

/// A throwaway database: a temp SQLite file, or a fresh PostgreSQL database
/// created on `TIPLINE_TEST_POSTGRES_URL` and dropped afterwards.
pub struct TestDb {
    pub url: String,
    pub label: &'static str,
    pub dir: tempfile::TempDir,
    pg_admin: Option<(String, String)>,
}

impl TestDb {
    pub fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("tempdir");
        let url = format!("sqlite://{}", dir.path().join("tipline.db").display());
        TestDb {
            url,
            label: "sqlite",
            dir,
            pg_admin: None,
        }
    }

    pub async fn postgres(admin_url: &str) -> TestDb {
        use sqlx::Connection;
        let name = format!("tipline_test_{:016x}", rand::random::<u64>());
        let mut conn = sqlx::PgConnection::connect(admin_url)
            .await
            .expect("connect to TIPLINE_TEST_POSTGRES_URL");
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .await
            .expect("create test database");
        let base = admin_url
            .rsplit_once('/')
            .map(|(b, _)| b)
            .unwrap_or(admin_url);
        let url = format!("{base}/{name}");
        TestDb {
            url,
            label: "postgres",
            dir: tempfile::tempdir().expect("tempdir"),
            pg_admin: Some((admin_url.to_string(), name)),
        }
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().to_path_buf()
    }

    /// A config for this database with its own data dir, bound to port 0.
    pub fn config(&self) -> Config {
        self.config_with(&[])
    }

    /// [`TestDb::config`] plus settings by environment name (ranked as
    /// command line), validated like any startup configuration. Nothing is
    /// read from the developer's environment or a config file (see [`env`]).
    pub fn config_with(&self, settings: &[(&str, String)]) -> Config {
        let cli = CliOverrides {
            data_dir: Some(self.data_dir()),
            database_url: Some(self.url.clone()),
            config_file: None,
            settings: settings
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        };
        let mut config =
            Config::from_layers(&cli, env::clean_env(), Default::default(), None).expect("config");
        config.bind = "127.0.0.1:0".parse().unwrap();
        config.content_dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/locales"));
        config
    }

    pub async fn app(&self) -> Arc<AppState> {
        AppState::load(self.config()).await.expect("app state")
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin, name)) = self.pg_admin.take() {
            // Drop runs outside async; use a private runtime on a plain thread.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                rt.block_on(async {
                    use sqlx::Connection;
                    if let Ok(mut c) = sqlx::PgConnection::connect(&admin).await {
                        let _ =
                            sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                                .execute(&mut c)
                                .await;
                    }
                });
            })
            .join();
        }
    }
}

/// SQLite always; PostgreSQL too when TIPLINE_TEST_POSTGRES_URL is set.
pub async fn all_dbs() -> Vec<TestDb> {
    let mut dbs = vec![TestDb::sqlite()];
    if let Ok(url) = std::env::var("TIPLINE_TEST_POSTGRES_URL")
        && !url.is_empty()
    {
        dbs.push(TestDb::postgres(&url).await);
    }
    dbs
}

pub mod broadcast;
pub mod chat;
pub mod env;
pub mod pacing;
pub mod scripted;
