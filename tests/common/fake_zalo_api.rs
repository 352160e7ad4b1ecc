//! A loopback fake of the Zalo OA API's `v3.0/oa/message/cs`: checks the
//! access token, refuses users outside the consultation window (-230),
//! injects "quota exceeded" (-32), and records arrivals like the Telegram fake.
#![allow(dead_code)]
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::HeaderMap;
use tokio::time::Instant;

use super::pacing::{Answer, Arrival};

pub const TOKEN: &str = "zalo-test-access-token";

#[derive(Debug, Clone, Default)]
pub struct ZaloFakeConfig {
    /// Users whose last interaction is outside the `cs` window.
    pub outside_window: HashSet<String>,
    /// Every n-th request (1-based) answers -32 (quota exceeded).
    pub every_quota: Option<u64>,
    pub quota_pause: Duration,
}

#[derive(Default)]
struct Recorded {
    arrivals: Vec<Arrival>,
    delivered: HashMap<String, u32>,
    pauses: Vec<(Instant, Duration)>,
    bad_token: u32,
}

#[derive(Clone)]
pub struct FakeZaloApi {
    pub url: String,
    config: Arc<ZaloFakeConfig>,
    rec: Arc<Mutex<Recorded>>,
}

impl FakeZaloApi {
    pub async fn start(config: ZaloFakeConfig) -> FakeZaloApi {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let fake = FakeZaloApi {
            url: format!("http://{}", listener.local_addr().unwrap()),
            config: Arc::new(config),
            rec: Arc::default(),
        };
        let app = axum::Router::new()
            .route("/v3.0/oa/message/cs", axum::routing::post(cs))
            .with_state(fake.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        fake
    }

    pub fn delivered(&self) -> HashMap<String, u32> {
        self.rec.lock().unwrap().delivered.clone()
    }

    pub fn delivered_total(&self) -> u64 {
        self.rec
            .lock()
            .unwrap()
            .delivered
            .values()
            .map(|n| u64::from(*n))
            .sum()
    }

    /// Arrivals with the user id as a number, for the shared pace checks.
    pub fn arrivals(&self) -> Vec<Arrival> {
        self.rec.lock().unwrap().arrivals.clone()
    }

    pub fn pauses(&self) -> Vec<(Instant, Duration)> {
        self.rec.lock().unwrap().pauses.clone()
    }

    pub fn bad_token_requests(&self) -> u32 {
        self.rec.lock().unwrap().bad_token
    }
}

async fn cs(
    State(fake): State<FakeZaloApi>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> axum::Json<serde_json::Value> {
    let at = Instant::now();
    if headers.get("access_token").and_then(|v| v.to_str().ok()) != Some(TOKEN) {
        fake.rec.lock().unwrap().bad_token += 1;
        return axum::Json(
            serde_json::json!({"error": -216, "message": "Access token is invalid"}),
        );
    }
    let payload: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
    let user = payload["recipient"]["user_id"]
        .as_str()
        .unwrap_or("")
        .to_string();
    let has_text = payload["message"]["text"]
        .as_str()
        .is_some_and(|t| !t.is_empty());
    let mut r = fake.rec.lock().unwrap();
    let n = r.arrivals.len() as u64 + 1;
    let (answer, body) = if fake.config.every_quota.is_some_and(|e| n.is_multiple_of(e)) {
        r.pauses.push((at, fake.config.quota_pause));
        (
            Answer::RateLimited,
            serde_json::json!({"error": -32, "message": "Exceeded request quota"}),
        )
    } else if fake.config.outside_window.contains(&user) {
        (
            Answer::Blocked,
            serde_json::json!({"error": -230, "message": "User has not interacted with the OA in the last 7 days"}),
        )
    } else if !has_text {
        (
            Answer::Blocked,
            serde_json::json!({"error": -204, "message": "Invalid message"}),
        )
    } else {
        *r.delivered.entry(user.clone()).or_default() += 1;
        (
            Answer::Ok,
            serde_json::json!({"error": 0, "message": "Success", "data": {"message_id": format!("m{n}"), "user_id": user}}),
        )
    };
    let chat = user.parse().unwrap_or(-1);
    r.arrivals.push(Arrival { at, chat, answer });
    axum::Json(body)
}
