//! The web chat's JSON API against the real server, on SQLite and
//! PostgreSQL: replies in order, a resumed read that neither loses nor
//! repeats one, a tip with a photo stored without metadata, and a clear JSON
//! error in the user's language for each kind of bad input.
mod common;
mod support;

use serde_json::{Value, json};
use sqlx::Row;
use support::tipline_app::RunningApp;
use support::web_chat::{WebClient, all_text};
use tipline::privacy::metadata::has_exif;

const DESCRIPTION: &str =
    "Có người bán ma túy đá trước quán karaoke trên đường Nguyễn Ái Quốc vào mỗi buổi tối.";

fn seqs(messages: &[Value]) -> Vec<u64> {
    messages
        .iter()
        .map(|m| m["seq"].as_u64().unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replies_come_in_order_and_a_resumed_read_neither_loses_nor_repeats_one() {
    for db in common::all_dbs().await {
        let app = RunningApp::start(&db, &[]).await;
        let mut c = WebClient::open(&app.base, "vi").await;
        for (fields, expect) in [
            (json!({ "text": "/start" }), 200),
            (json!({ "choice": "lang:vi" }), 200),
            (json!({ "text": "/privacy" }), 200),
            (json!({ "text": "/help" }), 200),
        ] {
            assert_eq!(c.send(fields).await.0, expect, "[{}]", db.label);
        }
        // Nothing read yet: everything, numbered from 1 without gaps, in the order sent.
        let all = c.read_at(0).await;
        let messages = all["messages"].as_array().unwrap().clone();
        let n = messages.len() as u64;
        assert_eq!(
            seqs(&messages),
            (1..=n).collect::<Vec<_>>(),
            "[{}]",
            db.label
        );
        let text = all_text(&messages);
        let order = [
            "Chọn ngôn ngữ",
            "Đã chuyển sang tiếng Việt",
            "Bạn muốn làm gì?",
        ];
        let pos: Vec<usize> = order
            .iter()
            .map(|s| {
                text.find(s)
                    .unwrap_or_else(|| panic!("[{}] {s}: {text}", db.label))
            })
            .collect();
        assert!(pos.windows(2).all(|w| w[0] < w[1]), "[{}] {text}", db.label);
        // The web chat offers no campaign subscription.
        assert!(!text.contains("menu:campaigns"), "[{}] {text}", db.label);
        // The answer was lost in transit: the same read again gets the same.
        assert_eq!(c.read_at(0).await["messages"], all["messages"]);
        // The page got up to 2: after 2 come exactly the rest, and 1-2 are gone.
        let rest = c.read_at(2).await;
        assert_eq!(
            seqs(rest["messages"].as_array().unwrap()),
            (3..=n).collect::<Vec<_>>()
        );
        assert_eq!(
            c.read_at(0).await["messages"],
            rest["messages"],
            "acknowledged replies are forgotten"
        );
        assert_eq!(c.read_at(n).await["messages"], json!([]));
        assert_eq!(c.read_at(n).await["cursor"], json!(n));
        // A second conversation never reads the first one's replies.
        let mut other = WebClient::open(&app.base, "vi").await;
        assert_eq!(other.read_new().await, Vec::<Value>::new());
        // A read that waits is answered as soon as a reply is queued.
        let waiting = {
            let (http, base, token) = (c.http.clone(), c.base.clone(), c.token.clone());
            tokio::spawn(async move {
                let res = http
                    .get(format!("{base}/chat/api/replies?after={n}&wait=20"))
                    .header("authorization", format!("Bearer {token}"))
                    .send()
                    .await
                    .unwrap();
                res.json::<Value>().await.unwrap()
            })
        };
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        assert_eq!(c.send(json!({ "text": "/menu" })).await.0, 200);
        let woke = waiting.await.unwrap();
        assert_eq!(
            woke["messages"][0]["seq"],
            json!(n + 1),
            "[{}] {woke}",
            db.label
        );
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tip_with_a_photo_is_stored_without_metadata_and_the_receipt_is_marked() {
    for db in common::all_dbs().await {
        let app = RunningApp::start(&db, &[]).await;
        let mut c = WebClient::open(&app.base, "vi").await;
        c.text("/start").await;
        c.choose("lang:vi").await;
        // A photo outside the report is refused by the engine, not stored.
        let (status, _) = c.photo(support::jpeg_with_exif_gps(), "image/jpeg").await;
        assert_eq!(status, 200);
        assert!(
            all_text(&c.read_new().await).contains("chỉ nhận ảnh"),
            "[{}]",
            db.label
        );
        let m = all_text(&c.choose("menu:report").await);
        assert!(m.contains("Bước 1/5"), "[{}] {m}", db.label);
        c.choose("cat:dealing").await;
        let m = all_text(&c.text("bien hoa").await);
        assert!(m.contains("Phường Biên Hòa"), "[{}] {m}", db.label);
        c.choose("ward:26068").await;
        c.choose("when:now").await;
        let m = all_text(&c.text(DESCRIPTION).await);
        assert!(m.contains("Bước 5/5"), "[{}] {m}", db.label);
        let (status, body) = c.photo(support::jpeg_with_exif_gps(), "image/jpeg").await;
        assert_eq!(status, 200, "{body}");
        assert!(all_text(&c.read_new().await).contains("Đã nhận 1/5"));
        c.choose("att:done").await;
        let done = c.choose("review:send").await;
        let text = all_text(&done);
        assert!(text.contains("Đã gửi tin báo"), "[{}] {text}", db.label);
        let receipt = done
            .iter()
            .find_map(|m| m["receipt"].as_str())
            .expect("the receipt is marked");
        assert!(text.contains(receipt));
        let queue = app.state.store.queue("CA-26068", 10).await.unwrap();
        assert_eq!(queue.len(), 1);
        assert_eq!(queue[0].description, DESCRIPTION);
        sqlx::any::install_default_drivers();
        let pool = sqlx::AnyPool::connect(&db.url).await.unwrap();
        let row = sqlx::query(
            "SELECT a.bytes, t.channel FROM attachments a JOIN tips t ON t.id = a.tip_id",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        let bytes: Vec<u8> = row.get("bytes");
        assert!(!has_exif(&bytes) && !bytes.windows(3).any(|w| w == b"GPS"));
        assert_eq!(row.get::<String, _>("channel"), "web");
        pool.close().await;
        // The receipt in a fresh conversation finds the tip.
        let mut fresh = WebClient::open(&app.base, "vi").await;
        let seen = all_text(&fresh.text(&format!("/status {receipt}")).await);
        assert!(seen.contains(&queue[0].reference), "[{}] {seen}", db.label);
        app.stop().await;
    }
}

async fn expect_error(got: (u16, Value), status: u16, code: &str, words: &str) {
    assert_eq!(got.0, status, "{code}: {}", got.1);
    assert_eq!(got.1["error"]["code"], json!(code), "{}", got.1);
    let message = got.1["error"]["message"].as_str().unwrap();
    assert!(message.contains(words), "{code}: {message}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_gets_a_clear_json_error_in_the_users_language() {
    for db in common::all_dbs().await {
        let app = RunningApp::start(&db, &[]).await;
        let mut c = WebClient::open(&app.base, "vi").await;
        assert_eq!(c.send(json!({ "text": "/start" })).await.0, 200);
        expect_error(
            c.post_raw("{\"seq\": 2, \"text\": ".into()).await,
            400,
            "bad-json",
            "JSON",
        )
        .await;
        expect_error(c.post_raw("[1,2]".into()).await, 400, "bad-json", "JSON").await;
        expect_error(
            c.post_raw(r#"{"seq":2,"text":"a","url":"https://host"}"#.into())
                .await,
            400,
            "bad-json",
            "JSON",
        )
        .await;
        expect_error(
            c.post_raw(r#"{"seq":0,"text":"a"}"#.into()).await,
            400,
            "bad-request",
            "số thứ tự",
        )
        .await;
        expect_error(
            c.post_raw(r#"{"seq":2,"text":"   "}"#.into()).await,
            422,
            "empty",
            "trống",
        )
        .await;
        let long = json!({ "seq": 2, "text": "đ".repeat(4001) }).to_string();
        expect_error(c.post_raw(long).await, 413, "too-long", "quá dài").await;
        let huge = json!({ "seq": 2, "text": "a".repeat(100_000) }).to_string();
        expect_error(c.post_raw(huge).await, 413, "too-long", "quá dài").await;
        // A replayed request: the same number again.
        expect_error(
            c.post_raw(r#"{"seq":1,"text":"/start"}"#.into()).await,
            409,
            "replayed",
            "đã được nhận",
        )
        .await;
        // English when the page is English.
        c.lang = "en";
        expect_error(
            c.post_raw("{".into()).await,
            400,
            "bad-json",
            "could not be read",
        )
        .await;
        c.lang = "vi";
        // Tokens: missing, misshapen, made up.
        let token = c.token.clone();
        c.token = "not-a-token".into();
        expect_error(
            c.post_raw(r#"{"seq":2,"text":"a"}"#.into()).await,
            400,
            "token-malformed",
            "định dạng",
        )
        .await;
        c.token = format!("{}{}", &token[..32], "0".repeat(32));
        expect_error(
            c.post_raw(r#"{"seq":2,"text":"a"}"#.into()).await,
            401,
            "token-forged",
            "không hợp lệ",
        )
        .await;
        let res = c
            .http
            .post(format!("{}/chat/api/messages", app.base))
            .body("{}")
            .send()
            .await
            .unwrap();
        let got = (res.status().as_u16(), res.json::<Value>().await.unwrap());
        expect_error(got, 401, "token-missing", "Thiếu").await;
        let res = c
            .http
            .get(format!("{}/chat/api/replies?after=0", app.base))
            .header("authorization", format!("Bearer {}", c.token))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 401, "a made-up token reads nothing");
        c.token = token;
        let res = c
            .http
            .get(format!("{}/chat/api/replies?after=-1", app.base))
            .header("authorization", format!("Bearer {}", c.token))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 400);
        // Photos: not an image type, too large.
        expect_error(
            c.photo(b"<svg/>".to_vec(), "image/svg+xml").await,
            415,
            "not-a-photo",
            "JPEG",
        )
        .await;
        expect_error(
            c.photo(vec![0xFF; 11 * 1024 * 1024], "image/jpeg").await,
            413,
            "photo-too-large",
            "quá lớn",
        )
        .await;
        // A flood from one token: refused after the per-minute allowance, with Retry-After.
        let mut statuses = Vec::new();
        for _ in 0..60 {
            statuses.push(c.send(json!({ "text": "/privacy" })).await.0);
        }
        assert!(statuses.iter().take(20).all(|s| *s == 200), "{statuses:?}");
        assert_eq!(statuses.last(), Some(&429), "{statuses:?}");
        let got = c.send(json!({ "text": "/privacy" })).await;
        expect_error(got, 429, "too-fast", "quá nhanh").await;
        // Every answer: no cookie, no caching, no referrer, a CSP.
        let res = c
            .http
            .get(format!("{}/chat/api/replies?after=0&wait=0", app.base))
            .header("authorization", format!("Bearer {}", c.token))
            .send()
            .await
            .unwrap();
        let h = res.headers();
        assert!(h.get("set-cookie").is_none());
        assert_eq!(h["cache-control"], "no-store");
        assert_eq!(h["referrer-policy"], "no-referrer");
        assert!(
            h["content-security-policy"]
                .to_str()
                .unwrap()
                .contains("default-src 'none'")
        );
        // No step was half-written: the conversation still answers in order.
        let read = c.read_at(0).await;
        let got = seqs(read["messages"].as_array().unwrap());
        assert!(got.windows(2).all(|w| w[1] == w[0] + 1), "{got:?}");
        app.stop().await;
    }
}

#[tokio::test]
async fn the_page_and_the_widget_are_served_with_a_strict_policy() {
    let db = common::TestDb::sqlite();
    let app = RunningApp::start(&db, &[]).await;
    let http = reqwest::Client::new();
    let res = http.get(app.url("/chat?lang=en")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let h = res.headers().clone();
    let html = res.text().await.unwrap();
    for hook in [
        "data-tipline=\"input\"",
        "data-tipline=\"send\"",
        "data-tipline=\"file\"",
        "data-tipline=\"leave\"",
        "aria-live=\"polite\"",
        "lang=\"en\"",
    ] {
        assert!(html.contains(hook), "{hook}");
    }
    assert!(h.get("set-cookie").is_none());
    assert_eq!(h["x-frame-options"], "DENY");
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("script-src 'self'")
            && csp.contains("frame-ancestors 'none'")
            && !csp.contains("unsafe"),
        "{csp}"
    );
    let res = http.get(app.url("/chat?embed=1")).send().await.unwrap();
    assert!(res.headers().get("x-frame-options").is_none());
    assert!(
        res.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("frame-ancestors *")
    );
    let res = http.get(app.url("/widget.js")).send().await.unwrap();
    assert_eq!(
        res.headers()["cross-origin-resource-policy"],
        "cross-origin"
    );
    let js = res.text().await.unwrap();
    assert!(js.len() <= 30 * 1024, "widget.js is {} bytes", js.len());
    assert!(js.contains("\"https://www.google.com\"") && !js.contains("__LEAVE_URL__"));
    app.stop().await;
}
