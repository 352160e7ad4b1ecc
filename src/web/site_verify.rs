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

/// The `content` of `<meta name="zalo-platform-site-verification">`.
const META_SETTING: &str = "ZALO_SITE_VERIFICATION";
const FILE_NAME_SETTING: &str = "ZALO_VERIFICATION_FILE";
const FILE_CONTENT_SETTING: &str = "ZALO_VERIFICATION_FILE_CONTENT";

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
        .get(META_SETTING)
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

/// The verification file's route, when one is configured. Its name must be
/// a plain file name, so it can never shadow or escape another route.
pub fn file_route(config: &Config) -> anyhow::Result<Router> {
    let name = match config.get(FILE_NAME_SETTING).map(str::trim) {
        None | Some("") => return Ok(Router::new()),
        Some(n) => n.to_string(),
    };
    if !is_plain_file_name(&name) {
        anyhow::bail!(
            "{FILE_NAME_SETTING} must be a plain file name such as zalo_verifierXXXX.html, got {name:?}"
        );
    }
    let Some(content) = config.get(FILE_CONTENT_SETTING).map(str::to_string) else {
        anyhow::bail!("{FILE_NAME_SETTING} is set but {FILE_CONTENT_SETTING} is not");
    };
    let content_type = if name.ends_with(".html") {
        "text/html; charset=utf-8"
    } else {
        "text/plain; charset=utf-8"
    };
    Ok(Router::new().route(
        &format!("/{name}"),
        get(move || async move { ([(header::CONTENT_TYPE, content_type)], content) }),
    ))
}

fn is_plain_file_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 200
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_file_names_are_served() {
        assert!(is_plain_file_name("zalo_verifierAB12-cd.html"));
        for bad in ["", ".env", "a/b.html", "../secret", "x y.html", "queue?x"] {
            assert!(!is_plain_file_name(bad), "{bad}");
        }
    }
}
