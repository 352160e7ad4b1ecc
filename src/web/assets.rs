//! The stylesheet and the one small script, compiled into the binary so the
//! dashboard works offline and under a CSP without inline code.
use axum::http::header;
use axum::response::IntoResponse;

const CSS: &str = include_str!("static/app.css");
const JS: &str = include_str!("static/app.js");

pub async fn css() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        CSS,
    )
}

pub async fn js() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        JS,
    )
}
