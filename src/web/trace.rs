//! Request tracing for the whole HTTP server: every request gets an
//! `x-request-id` (kept if a proxy already set one, returned in the response)
//! and one span with its method, path and id. The query string is left out:
//! it may carry tokens. No client address, user or chat id is recorded.
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
                    path = req.uri().path(),
                    request_id = id,
                )
            }),
        )
        // Outermost: the id is set before the span is made, and copied to the response.
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
}
