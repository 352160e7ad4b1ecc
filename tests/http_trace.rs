//! The HTTP trace layer: a request id on every response and in the span,
//! the path in the span, and never the query string (it may carry tokens).
use std::io::Write;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::routing::get;

/// Collects everything the fmt subscriber writes.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn requests_get_an_id_and_a_span_without_the_query_string() {
    let log = Captured::default();
    let writer = log.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .init();

    let router = tipline::web::trace::layer(Router::new().route("/ping", get(|| async { "pong" })));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });

    let resp = reqwest::get(format!("http://{addr}/ping?token=s3cr3t-in-query"))
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let id = resp
        .headers()
        .get("x-request-id")
        .expect("a request id on the response")
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(id.len(), 36, "a UUID: {id}");
    assert_eq!(resp.text().await.unwrap(), "pong");

    let text = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
    assert!(text.contains("path=\"/ping\""), "{text}");
    assert!(text.contains(&format!("request_id=\"{id}\"")), "{text}");
    assert!(
        !text.contains("s3cr3t-in-query"),
        "query string logged: {text}"
    );
    assert!(!text.contains("token="), "query string logged: {text}");
}
