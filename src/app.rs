//! Building and running Tipline: one shared state, one axum server
//! (health, dashboard, webhooks) and the configured channels.
use std::sync::Arc;

use anyhow::Context;
use axum::Router as HttpRouter;
use axum::routing::get;
use tokio::net::TcpListener;

use crate::config::Config;
use crate::content::{Catalog, HelpSource, LiveCatalog};
use crate::domain::area::Areas;
use crate::domain::routing::{Router, RoutingConfig};
use crate::i18n::I18n;
use crate::privacy::keyed::ServerSecret;
use crate::storage::{PoolSettings, Store};

/// Everything shared by handlers, channels and workers. Cheap to clone via Arc.
#[derive(Debug)]
pub struct AppState {
    pub config: Config,
    pub store: Store,
    pub i18n: I18n,
    pub areas: Areas,
    pub router: Router,
    /// Shared with the content watcher, which swaps in edits.
    pub content: Arc<LiveCatalog>,
    pub secret: ServerSecret,
    pub gates: WorkGates,
    /// Held while this process seals with the data keys (see `keys rotate`).
    _key_lock: crate::config::keyfile::KeyLock,
}

/// Bounds on CPU- and memory-heavy work (photo decoding, password hashing),
/// so a flood of either cannot starve the webhooks and the dashboard, which
/// share the same tokio workers.
#[derive(Debug)]
pub struct WorkGates {
    pub images: tokio::sync::Semaphore,
    pub passwords: tokio::sync::Semaphore,
}

impl WorkGates {
    /// Half the cores for each (at least one, at most four: each photo decode
    /// may take up to 128 MiB, each argon2 hash about 19 MiB).
    pub fn for_this_machine() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let permits = (cores / 2).clamp(1, 4);
        WorkGates {
            images: tokio::sync::Semaphore::new(permits),
            passwords: tokio::sync::Semaphore::new(permits),
        }
    }
}

impl AppState {
    /// Loads content, areas, routing and the database; fails with a precise message.
    pub async fn load(config: Config) -> anyhow::Result<Arc<AppState>> {
        config.ensure_data_dir()?;
        let secret = config.server_secret()?;
        let i18n = I18n::load(&config.content_dir).map_err(|e| invalid_content(&config, &e))?;
        let help = help_source(&config);
        let catalog =
            Catalog::load(&config.content_dir, &help).map_err(|e| invalid_content(&config, &e))?;
        let content = Arc::new(LiveCatalog::new(catalog, config.content_dir.clone(), help));
        let areas = Areas::builtin().context("admin units list")?;
        let routing = match &config.routing_file {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("reading routing file {}", path.display()))?;
                toml::from_str::<RoutingConfig>(&text)
                    .with_context(|| format!("parsing routing file {}", path.display()))?
            }
            None => RoutingConfig::default(),
        };
        let router = Router::new(routing, &areas).context("routing file")?;
        let settings = PoolSettings {
            max_connections: config.db_max_connections,
            pg_committers: config.pg_committers,
            ..Default::default()
        };
        let key_lock = crate::config::keyfile::lock_keys(&config.data_key_file, false)?;
        let keys = config.data_keys()?;
        let store = Store::connect(&config.database_url, &settings, keys)
            .await
            .with_context(|| format!("opening database {}", redact_url(&config.database_url)))?;
        crate::workers::help_points::refresh(&store, &content)
            .await
            .context("reading the help points kept in the database")?;
        Ok(Arc::new(AppState {
            config,
            store,
            i18n,
            areas,
            router,
            content,
            secret,
            gates: WorkGates::for_this_machine(),
            _key_lock: key_lock,
        }))
    }
}

/// One startup error listing every content problem, one per line.
fn invalid_content<E: std::fmt::Display>(config: &Config, errors: &[E]) -> anyhow::Error {
    let lines: Vec<String> = errors.iter().map(|e| format!("  {e}")).collect();
    anyhow::anyhow!(
        "content in {} is invalid:\n{}",
        config.content_dir.display(),
        lines.join("\n")
    )
}

/// The help directory: the configured file (TIPLINE_HELP_FILE, or
/// `<data dir>/help-directory.toml` when present), else the shipped copy.
pub fn help_source(config: &Config) -> HelpSource {
    match &config.help_file {
        Some(path) => HelpSource::File(path.clone()),
        None => HelpSource::Builtin,
    }
}

pub use crate::config::redact_url;

/// The running server. Tests bind port 0 and read [`Server::port`].
pub struct Server {
    listener: TcpListener,
    router: HttpRouter,
    state: Arc<AppState>,
    channels: crate::channels::Channels,
}

pub async fn build(state: Arc<AppState>) -> anyhow::Result<Server> {
    let listener = TcpListener::bind(state.config.bind)
        .await
        .with_context(|| format!("binding {}", state.config.bind))?;
    let channels = crate::channels::Channels::from_config(&state)?;
    let router = crate::web::trace::layer(
        http_routes(state.clone())
            .merge(crate::web::site_verify::file_route(&state.config))
            .merge(channels.routes()),
    );
    Ok(Server {
        listener,
        router,
        state,
        channels,
    })
}

fn http_routes(state: Arc<AppState>) -> HttpRouter {
    HttpRouter::new()
        .route("/healthz", get(healthz))
        .with_state(state.clone())
        .merge(crate::web::routes(state))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            16 * 1024 * 1024,
        ))
}

async fn healthz(
    axum::extract::State(state): axum::extract::State<Arc<AppState>>,
) -> (axum::http::StatusCode, &'static str) {
    match state.store.ping().await {
        Ok(()) => (axum::http::StatusCode::OK, "ok\n"),
        Err(_) => (
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            "database unavailable\n",
        ),
    }
}

impl Server {
    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    pub fn state(&self) -> Arc<AppState> {
        self.state.clone()
    }

    /// Serves until `shutdown` resolves, then drains in-flight requests.
    /// Telegram, Zalo and the unit notifier run alongside and stop with it:
    /// updates in flight are finished before the database closes.
    pub async fn run_until(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let bot = self.channels.telegram().map(|t| t.bot().clone());
        let retention = crate::workers::retention::spawn(self.state.clone(), bot.clone());
        let checkpoints = crate::workers::checkpoints::spawn(self.state.clone(), bot);
        let help_points = crate::workers::help_points::spawn(self.state.clone());
        self.channels.start().await;
        let cancel = self.channels.cancel_token();
        let reply_notices = tokio::spawn(
            crate::workers::reply_notices::ReplyNotifier::new(&self.state, &self.channels)
                .run(cancel.clone()),
        );
        let shutdown = async move {
            shutdown.await;
            cancel.cancel();
        };
        let broadcasts = crate::workers::broadcast::spawn(&self.state, &self.channels)?;
        let service = self
            .router
            .into_make_service_with_connect_info::<std::net::SocketAddr>();
        axum::serve(self.listener, service)
            .with_graceful_shutdown(shutdown)
            .await?;
        self.channels.stop().await;
        retention.abort();
        checkpoints.abort();
        help_points.abort();
        // Cancelled with the channels: it finishes the notice it is sending.
        let _ = reply_notices.await;
        // Sends in flight finish and are recorded before the database closes.
        broadcasts.stop().await;
        self.state.store.close().await;
        Ok(())
    }
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
