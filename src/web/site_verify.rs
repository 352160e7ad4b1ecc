//! Domain verification. Zalo accepts a webhook URL only on a domain it has
//! verified, by a meta tag in the `<head>` of the home page or by a file at
//! the site root. Both are settings; nothing else of the dashboard changes.
use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use maud::{DOCTYPE, html};

use crate::app::AppState;
use crate::config::Config;

/// `/`: the dashboard's queue, as always; with a verification tag set, a
/// tiny page that carries the tag and forwards browsers to the queue.
pub async fn home(State(state): State<Arc<AppState>>) -> Response {
    let Some(tag) = meta_tag(&state.config) else {
        return Redirect::to("/queue").into_response();
    };
    let page = html! {
        (DOCTYPE)
        html {
            head {
                meta charset="utf-8";
                meta name="zalo-platform-site-verification" content=(tag);
                meta http-equiv="refresh" content="0; url=/queue";
                title { "Tipline" }
            }
            body { a href="/queue" { "Tipline" } }
        }
    };
    page.into_response()
}

fn meta_tag(config: &Config) -> Option<&str> {
    config
        .zalo
        .site_verification
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

/// The verification file's route, when one is configured (its name was
/// checked to be a plain file name when the configuration was read).
pub fn file_route(config: &Config) -> Router {
    let Some((name, content)) = config.zalo.verification_file.clone() else {
        return Router::new();
    };
    let content_type = if name.ends_with(".html") {
        "text/html; charset=utf-8"
    } else {
        "text/plain; charset=utf-8"
    };
    Router::new().route(
        &format!("/{name}"),
        get(move || async move { ([(header::CONTENT_TYPE, content_type)], content) }),
    )
}
