//! Request tracing for the whole HTTP server: every request gets an
//! `x-request-id` (kept if a proxy already set one, returned in the response)
//! and one span with its method, path and id. The query string is left out:
//! it may carry tokens, and so may a path (a class's results link): a segment
//! that looks like a token is logged as "…". No client address, user or chat
//! id is recorded.
use axum::Router;
use axum::http::{HeaderName, Request};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Wraps `router` in the request-id and tracing layers.
pub fn layer(router: Router) -> Router {
    router
        .layer(
            TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
                let id = req
                    .headers()
                    .get(&REQUEST_ID)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("");
                tracing::info_span!(
                    "http",
                    method = %req.method(),
                    path = loggable_path(req.uri().path()).as_str(),
                    request_id = id,
                )
            }),
        )
        // Outermost: the id is set before the span is made, and copied to the response.
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
}

/// Segments this long made only of token characters are secrets, not names.
const TOKEN_SEGMENT_MIN: usize = 16;

/// `path` with every token-like segment replaced by "…".
pub fn loggable_path(path: &str) -> String {
    path.split('/')
        .map(|seg| {
            let token_like = seg.len() >= TOKEN_SEGMENT_MIN
                && seg
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
            if token_like { "…" } else { seg }
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::loggable_path;

    #[test]
    fn tokens_in_paths_are_not_logged() {
        assert_eq!(
            loggable_path("/lop/0123456789abcdef0123456789abcdef"),
            "/lop/…"
        );
        assert_eq!(
            loggable_path("/tips/42/attachments/7"),
            "/tips/42/attachments/7"
        );
        assert_eq!(loggable_path("/telegram/webhook"), "/telegram/webhook");
    }
}
