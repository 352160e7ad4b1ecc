//! Zalo OA: signed webhook deliveries drive a full tip against a fake OA API.
//! Forged, stale and replayed deliveries change nothing; tokens are refreshed
//! once, single-use, and the new pair is stored; error codes are honoured.
mod common;
mod support;

use serde_json::{Value, json};
use sqlx::Row;
use support::fake_zalo::FakeZalo;
use support::tipline_app::RunningApp;
use tipline::channels::zalo::signature;
use tipline::privacy::metadata::has_exif;

const APP_ID: &str = "4313000000000000001";
const OA_SECRET: &str = "oa-secret-key-for-tests";
const USER: &str = "8309393969855402319";
const DESCRIPTION: &str =
    "Có người bán ma túy đá trước quán karaoke trên đường Nguyễn Ái Quốc vào mỗi buổi tối.";

struct ZaloUser {
    fake: FakeZalo,
    url: String,
    http: reqwest::Client,
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

impl ZaloUser {
    /// Posts a delivery signed as Zalo would; returns the status and the exact request for replays.
    async fn post(&self, body: &Value, ts: i64, key: &str) -> (u16, String, String) {
        let mut body = body.clone();
        body["app_id"] = json!(APP_ID);
        body["timestamp"] = json!(ts.to_string());
        let raw = serde_json::to_string(&body).unwrap();
        let sig = signature(APP_ID, raw.as_bytes(), &ts.to_string(), key);
        (self.send_raw(&raw, &sig).await, raw, sig)
    }

    async fn send_raw(&self, raw: &str, sig: &str) -> u16 {
        let mut r = self
            .http
            .post(&self.url)
            .header("content-type", "application/json")
            .body(raw.to_string());
        if !sig.is_empty() {
            r = r.header("X-ZEvent-Signature", sig);
        }
        r.send().await.unwrap().status().as_u16()
    }

    fn message(event: &str, message: Value) -> Value {
        let mut m = message;
        m["msg_id"] = json!(format!("msg{}", rand::random::<u64>()));
        json!({ "event_name": event, "sender": { "id": USER }, "recipient": { "id": "1423847451268726170" }, "user_id_by_app": "7300442764876318465", "message": m })
    }

    /// Delivers `body` and waits for a reply containing `expect`.
    async fn act(&self, body: Value, expect: &str) -> String {
        let before = self.fake.delivered_to(USER).len();
        let (status, _, _) = self.post(&body, now_ms(), OA_SECRET).await;
        assert_eq!(status, 200);
        self.fake
            .wait_until(&format!("a Zalo reply containing {expect:?}"), |f| {
                f.delivered_to(USER)
                    .get(before..)
                    .and_then(|n| n.iter().rev().find(|t| t.contains(expect)).cloned())
            })
            .await
    }

    async fn text(&self, text: &str, expect: &str) -> String {
        self.act(
            Self::message("user_send_text", json!({ "text": text })),
            expect,
        )
        .await
    }
}

/// The number shown before the option whose label contains `label`.
fn option_number(reply: &str, label: &str) -> String {
    reply
        .lines()
        .filter_map(|l| l.split_once(". "))
        .find(|(n, text)| n.chars().all(|c| c.is_ascii_digit()) && text.contains(label))
        .map(|(n, _)| n.to_string())
        .unwrap_or_else(|| panic!("no option {label:?} in {reply}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_signed_zalo_conversation_completes_a_tip_and_bad_deliveries_change_nothing() {
    for db in common::all_dbs().await {
        let fake = FakeZalo::start("RT-1").await;
        let settings = vec![
            ("ZALO_APP_ID", APP_ID.to_string()),
            ("ZALO_OA_SECRET_KEY", OA_SECRET.to_string()),
            ("ZALO_APP_SECRET", "app-secret".to_string()),
            ("ZALO_ACCESS_TOKEN", "AT-stale".to_string()),
            ("ZALO_REFRESH_TOKEN", "RT-1".to_string()),
            ("ZALO_API_BASE_URL", fake.base_url.clone()),
            ("ZALO_OAUTH_BASE_URL", fake.base_url.clone()),
        ];
        let app = RunningApp::start(&db, &settings).await;
        let user = ZaloUser {
            fake: fake.clone(),
            url: app.url("/zalo/webhook"),
            http: reqwest::Client::new(),
        };

        // Following the OA greets with the language choice, as numbered options.
        let m = user.act(json!({ "event_name": "follow", "follower": { "id": USER }, "oa_id": "1", "source": "oa" }), "Choose your language").await;
        assert!(m.ends_with("1. Tiếng Việt\n2. English"), "{m}");
        // The configured access token was refused (-216): refreshed once with the single-use token.
        let refreshes = fake.refreshes();
        assert_eq!(refreshes.len(), 1, "{}", db.label);
        assert_eq!(refreshes[0].0, "app-secret");
        assert_eq!(refreshes[0].1["refresh_token"], "RT-1");
        assert_eq!(refreshes[0].1["app_id"], APP_ID);
        assert_eq!(refreshes[0].1["grant_type"], "refresh_token");

        let m = user.text("1", "Bạn muốn làm gì?").await;
        let m = user
            .text(&option_number(&m, "Báo tin ẩn danh"), "Bước 1/5")
            .await;
        user.text(&option_number(&m, "Mua bán ma túy"), "Bước 2/5")
            .await;
        let loc = json!({ "text": "Quán", "attachments": [{ "type": "location", "payload": { "coordinates": { "latitude": "10.9504", "longitude": "106.8231" } } }] });
        user.act(ZaloUser::message("user_send_location", loc), "Có phải gần")
            .await;
        let m = user.text("bien hoa", "Bạn chọn đúng nơi").await;
        user.text(&option_number(&m, "Phường Biên Hòa"), "Bước 3/5")
            .await;
        user.text("1", "Bước 4/5").await;
        let description = ZaloUser::message("user_send_text", json!({ "text": DESCRIPTION }));
        let before_desc = fake.delivered_to(USER).len();
        let (status, desc_raw, desc_sig) = user.post(&description, now_ms(), OA_SECRET).await;
        assert_eq!(status, 200);
        let m = fake
            .wait_until("photo step", |f| {
                f.delivered_to(USER)
                    .get(before_desc..)
                    .and_then(|n| n.iter().find(|t| t.contains("Bước 5/5")).cloned())
            })
            .await;
        let url = fake.add_file("p1.jpg", support::jpeg_with_exif_gps());
        let img = json!({ "text": "", "attachments": [{ "type": "image", "payload": { "thumbnail": url, "url": url } }] });
        let m2 = user
            .act(ZaloUser::message("user_send_image", img), "Đã nhận 1/5")
            .await;
        assert!(m.contains("1. Bỏ qua") || m.contains("1."), "{m}");
        let m = user
            .text(&option_number(&m2, "Xong"), "Bạn kiểm tra lại tin báo")
            .await;
        let done = user
            .text(&option_number(&m, "Gửi tin báo"), "Đã gửi tin báo")
            .await;

        // The tip is queued for the ward unit, its photo stored without EXIF.
        let queue = app.state.store.queue("CA-26068", 10).await.unwrap();
        assert_eq!(queue.len(), 1, "{}", db.label);
        assert!(done.contains(&queue[0].reference));
        assert_eq!(queue[0].description, DESCRIPTION);
        sqlx::any::install_default_drivers();
        let pool = sqlx::AnyPool::connect(&db.url).await.unwrap();
        let row = sqlx::query("SELECT a.bytes FROM attachments a JOIN tips t ON t.id = a.tip_id WHERE t.reference = $1").bind(&queue[0].reference).fetch_one(&pool).await.unwrap();
        let bytes: Vec<u8> = row.get("bytes");
        assert!(!has_exif(&bytes) && !bytes.windows(3).any(|w| w == b"GPS"));
        // Every reply after the refresh used the new token; the new pair is stored.
        assert!(
            fake.cs_calls()
                .iter()
                .filter(|c| c.error == 0)
                .all(|c| c.access_token == "AT-2")
        );
        let tokens = app.state.store.zalo_tokens().await.unwrap().unwrap();
        assert_eq!(
            (tokens.access_token.as_str(), tokens.refresh_token.as_str()),
            ("AT-2", "RT-2")
        );
        pool.close().await;

        // Forged, stale, unsigned and replayed deliveries: 401 (or ignored), nothing changes.
        let snapshot = || async {
            (
                app.state.store.sessions_fingerprint().await.unwrap(),
                app.state.store.count_tips().await.unwrap(),
                fake.cs_calls().len(),
            )
        };
        let before = snapshot().await;
        let fresh = ZaloUser::message("user_send_text", json!({ "text": "/report" }));
        assert_eq!(
            user.post(&fresh, now_ms(), "not-the-oa-secret").await.0,
            401,
            "forged signature"
        );
        assert_eq!(
            user.post(&fresh, now_ms() - 10 * 60 * 1000, OA_SECRET)
                .await
                .0,
            401,
            "stale timestamp"
        );
        let mut unsigned = fresh.clone();
        unsigned["timestamp"] = json!(now_ms().to_string());
        assert_eq!(
            user.send_raw(&serde_json::to_string(&unsigned).unwrap(), "")
                .await,
            401,
            "no signature"
        );
        let (_, raw, _) = user.post(&fresh, now_ms(), OA_SECRET).await; // valid, to tamper with below
        assert_eq!(
            user.send_raw(&raw.replace("/report", "/cancel"), "mac=00")
                .await,
            401,
            "tampered body"
        );
        assert_eq!(
            user.send_raw(&desc_raw, &desc_sig).await,
            200,
            "a replay is acknowledged..."
        );
        // ...but the valid /report above is being handled: wait for it, then compare.
        user.fake
            .wait_until("the /report reply", |f| {
                f.delivered_to(USER)
                    .last()
                    .filter(|t| t.contains("Bước 1/5"))
                    .cloned()
            })
            .await;
        let after = snapshot().await;
        assert_eq!(after.1, before.1, "no tip changed");
        assert_eq!(after.0.0, before.0.0, "no session created");
        assert_eq!(
            after.0.1,
            before.0.1 + 1,
            "only the one valid delivery saved a step"
        );
        assert_eq!(
            after.2,
            before.2 + 1,
            "only the valid delivery was answered"
        );

        // Events we do not handle are acknowledged and ignored.
        let seen = json!({ "event_name": "user_seen_message", "sender": { "id": USER }, "message": { "msg_ids": ["x"] } });
        assert_eq!(user.post(&seen, now_ms(), OA_SECRET).await.0, 200);

        // A retryable error is retried; outside the interaction window is given up at once.
        fake.inject(-32);
        user.text("/cancel", "Đã hủy").await;
        let calls = fake.cs_calls();
        assert_eq!(
            calls[calls.len() - 2].error,
            -32,
            "first attempt refused, second delivered"
        );
        fake.inject(-230);
        let n = fake.cs_calls().len();
        user.post(
            &ZaloUser::message("user_send_text", json!({ "text": "/help" })),
            now_ms(),
            OA_SECRET,
        )
        .await;
        user.text("/privacy", "Chúng tôi").await;
        let calls = fake.cs_calls();
        assert_eq!(calls[n].error, -230);
        assert!(
            calls[n + 1..].iter().all(|c| c.error == 0),
            "the undeliverable reply was not retried"
        );

        app.stop().await;
    }
}
