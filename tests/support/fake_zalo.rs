//! A fake Zalo OA API and OAuth server on 127.0.0.1:0: `v3.0/oa/message/cs`
//! (checking the access_token header), `v4/oa/access_token` (single-use
//! refresh tokens, like Zalo), and file downloads for user photos. Every call
//! is recorded; the next send can be answered with an injected Zalo error.
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use serde_json::{Value, json};
use tokio::sync::Notify;

#[derive(Debug, Clone)]
pub struct CsCall {
    pub access_token: String,
    pub user_id: String,
    pub text: String,
    /// Zalo's error code in the answer (0 = delivered).
    pub error: i64,
}

#[derive(Default)]
struct Inner {
    cs: Vec<CsCall>,
    refreshes: Vec<(String, HashMap<String, String>)>,
    valid_access: HashSet<String>,
    valid_refresh: HashSet<String>,
    issued: usize,
    inject: VecDeque<i64>,
    files: HashMap<String, Vec<u8>>,
}

#[derive(Clone)]
pub struct FakeZalo {
    inner: Arc<Mutex<Inner>>,
    changed: Arc<Notify>,
    pub base_url: String,
}

impl FakeZalo {
    /// `refresh_token` is the one valid refresh token at the start; no access token is valid yet.
    pub async fn start(refresh_token: &str) -> FakeZalo {
        let mut inner = Inner::default();
        inner.valid_refresh.insert(refresh_token.to_string());
        let fake = FakeZalo {
            inner: Arc::new(Mutex::new(inner)),
            changed: Arc::new(Notify::new()),
            base_url: String::new(),
        };
        let app = Router::new()
            .route("/v3.0/oa/message/cs", post(cs))
            .route("/v4/oa/access_token", post(access_token))
            .route("/files/{name}", get(file))
            .with_state(fake.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        FakeZalo { base_url, ..fake }
    }

    pub fn add_file(&self, name: &str, bytes: Vec<u8>) -> String {
        self.inner
            .lock()
            .unwrap()
            .files
            .insert(name.to_string(), bytes);
        format!("{}/files/{name}", self.base_url)
    }

    /// The next send is answered with this Zalo error code.
    pub fn inject(&self, error: i64) {
        self.inner.lock().unwrap().inject.push_back(error);
    }

    pub fn cs_calls(&self) -> Vec<CsCall> {
        self.inner.lock().unwrap().cs.clone()
    }

    pub fn delivered_to(&self, user: &str) -> Vec<String> {
        self.cs_calls()
            .into_iter()
            .filter(|c| c.user_id == user && c.error == 0)
            .map(|c| c.text)
            .collect()
    }

    /// (secret_key header, form fields) of every refresh call.
    pub fn refreshes(&self) -> Vec<(String, HashMap<String, String>)> {
        self.inner.lock().unwrap().refreshes.clone()
    }

    pub async fn wait_until<T>(
        &self,
        what: &str,
        mut ready: impl FnMut(&FakeZalo) -> Option<T>,
    ) -> T {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(90);
        loop {
            let notified = self.changed.notified();
            if let Some(v) = ready(self) {
                return v;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                panic!("timed out waiting for: {what}");
            }
        }
    }
}

async fn cs(State(fake): State<FakeZalo>, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    let token = headers
        .get("access_token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let mut g = fake.inner.lock().unwrap();
    let error = if !g.valid_access.contains(&token) {
        -216
    } else {
        g.inject.pop_front().unwrap_or(0)
    };
    g.cs.push(CsCall {
        access_token: token,
        user_id: body["recipient"]["user_id"]
            .as_str()
            .unwrap_or("")
            .to_string(),
        text: body["message"]["text"].as_str().unwrap_or("").to_string(),
        error,
    });
    drop(g);
    fake.changed.notify_waiters();
    let answer = match error {
        0 => {
            json!({ "error": 0, "message": "Success", "data": { "message_id": "m1", "user_id": body["recipient"]["user_id"] } })
        }
        -216 => json!({ "error": -216, "message": "Access token is invalid" }),
        code => json!({ "error": code, "message": "injected error" }),
    };
    Json(answer).into_response()
}

async fn access_token(
    State(fake): State<FakeZalo>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let secret = headers
        .get("secret_key")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let mut g = fake.inner.lock().unwrap();
    g.refreshes.push((secret, form.clone()));
    let presented = form.get("refresh_token").cloned().unwrap_or_default();
    // Single use, like Zalo: a refresh token works once.
    let answer = if g.valid_refresh.remove(&presented) {
        g.issued += 1;
        let n = g.issued + 1;
        let (access, refresh) = (format!("AT-{n}"), format!("RT-{n}"));
        g.valid_access.insert(access.clone());
        g.valid_refresh.insert(refresh.clone());
        json!({ "access_token": access, "refresh_token": refresh, "expires_in": "90000" })
    } else {
        json!({ "error": -14014, "error_name": "Invalid refresh token", "error_description": "Invalid refresh token" })
    };
    drop(g);
    fake.changed.notify_waiters();
    Json(answer).into_response()
}

async fn file(State(fake): State<FakeZalo>, Path(name): Path<String>) -> Response {
    match fake.inner.lock().unwrap().files.get(&name) {
        Some(b) => b.clone().into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
