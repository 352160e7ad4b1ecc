//! Keeps the bot's local help points in step with the database: an edit in
//! the dashboard refreshes its own replica at once, and this loop brings the
//! other replicas along within a minute.
use std::sync::Arc;
use std::time::Duration;

use crate::app::AppState;
use crate::content::LiveCatalog;
use crate::storage::{Result, Store};

const EVERY: Duration = Duration::from_secs(60);

/// Loads the stored points into the live catalog.
pub async fn refresh(store: &Store, content: &LiveCatalog) -> Result<()> {
    let points = store.help_points().await?;
    content.set_managed_points(points.into_iter().map(|p| p.point).collect());
    Ok(())
}

pub fn spawn(state: Arc<AppState>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(EVERY);
        tick.tick().await;
        loop {
            tick.tick().await;
            if let Err(e) = refresh(&state.store, &state.content).await {
                tracing::warn!(error = %e, "could not refresh the help points; keeping the last ones");
            }
        }
    })
}
