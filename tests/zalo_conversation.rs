//! A citizen on Zalo, through the fake OA: a full tip, buttons where Zalo
//! allows them and numbered text where it does not, token refresh, and what
//! each class of Zalo error does to a reply. SQLite and PostgreSQL.
mod common;
mod support;

use std::time::Duration;

use serde_json::json;
use support::zalo_chat::{USER, choose, reply_after, say, start};
use tipline::privacy::metadata::has_exif;

const DESCRIPTION: &str =
    "Có người bán ma túy đá trước quán karaoke trên đường Nguyễn Ái Quốc vào mỗi buổi tối.";

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_zalo_conversation_completes_a_tip_with_buttons_and_numbered_options() {
    for db in common::all_dbs().await {
        let (fake, app) = start(&db, &[]).await;
        // Following greets with the language choice: two options, as buttons.
        assert_eq!(fake.follow(USER).await, 200);
        let m = reply_after(&fake, USER, 0, "Choose your language").await;
        let titles: Vec<_> = m.buttons.iter().map(|b| b.title.as_str()).collect();
        assert_eq!(titles, ["Tiếng Việt", "English"], "[{}]", db.label);
        // No access token was configured: refreshed once with the single-use token.
        let refreshes = fake.refreshes();
        assert_eq!(refreshes.len(), 1, "{}", db.label);
        assert_eq!(refreshes[0].0, "app-secret");
        assert_eq!(refreshes[0].1["refresh_token"], "RT-1");
        assert_eq!(refreshes[0].1["grant_type"], "refresh_token");

        // Pressing a button continues the flow; the 8-option menu is numbered text.
        let menu = choose(&fake, USER, &m, "Tiếng Việt", "Bạn muốn làm gì?").await;
        assert!(menu.buttons.is_empty(), "[{}] {menu:?}", db.label);
        assert!(menu.text.contains("\n8. "), "[{}] {}", db.label, menu.text);
        let m = choose(&fake, USER, &menu, "Báo tin ẩn danh", "Bước 1/5").await;
        choose(&fake, USER, &m, "Mua bán ma túy", "Bước 2/5").await;
        let loc = json!({ "text": "Quán", "attachments": [{ "type": "location", "payload": { "coordinates": { "latitude": "10.9504", "longitude": "106.8231" } } }] });
        let before = fake.delivered_calls(USER).len();
        fake.send_event(
            json!({ "event_name": "user_send_location", "sender": { "id": USER },
            "message": { "msg_id": "loc-1", "text": "Quán", "attachments": loc["attachments"] } }),
        )
        .await;
        reply_after(&fake, USER, before, "Có phải gần").await;
        let places = say(&fake, USER, "bien hoa", "Bạn chọn đúng nơi").await;
        let when = choose(&fake, USER, &places, "Phường Biên Hòa", "Bước 3/5").await;
        choose(&fake, USER, &when, "", "Bước 4/5").await;
        say(&fake, USER, DESCRIPTION, "Bước 5/5").await;
        let url = fake.add_file("p1.jpg", support::jpeg_with_exif_gps());
        let before = fake.delivered_calls(USER).len();
        fake.send_event(json!({ "event_name": "user_send_image", "sender": { "id": USER },
            "message": { "msg_id": "img-1", "attachments": [{ "type": "image", "payload": { "thumbnail": url, "url": url } }] } }))
            .await;
        let got = reply_after(&fake, USER, before, "Đã nhận 1/5").await;
        let review = choose(&fake, USER, &got, "Xong", "Bạn kiểm tra lại tin báo").await;
        // The review is a three-option step: send, edit, cancel, as buttons
        // whose payload comes back as the label; pressing "send" continues.
        assert_eq!(review.buttons.len(), 3, "[{}] {review:?}", db.label);
        assert!(
            !review.text.contains("\n1. "),
            "[{}] {}",
            db.label,
            review.text
        );
        let send = review
            .buttons
            .iter()
            .find(|b| b.title.contains("Gửi tin báo"));
        let send = send.unwrap_or_else(|| panic!("[{}] no send button: {review:?}", db.label));
        let before = fake.delivered_calls(USER).len();
        assert_eq!(fake.press(USER, &send.title).await, 200);
        let done = reply_after(&fake, USER, before, "Đã gửi tin báo").await;

        // The tip is queued for the ward unit, its photo stored without EXIF.
        let queue = app.state.store.queue("CA-26068", 10).await.unwrap();
        assert_eq!(queue.len(), 1, "{}", db.label);
        assert!(done.text.contains(&queue[0].reference));
        assert_eq!(queue[0].description, DESCRIPTION);
        let store = &app.state.store;
        let photos = store.tip_attachments(queue[0].id).await.unwrap();
        let (_, bytes) = store
            .tip_attachment(queue[0].id, &photos[0].id)
            .await
            .unwrap()
            .expect("photo");
        assert!(!has_exif(&bytes) && !bytes.windows(3).any(|w| w == b"GPS"));
        // Every message was accepted by the strict fake (limits, buttons, window).
        assert!(
            fake.cs_calls().iter().all(|c| c.error == 0),
            "[{}]",
            db.label
        );
        // Receipts for our messages arrived and were acknowledged without an answer.
        let receipts = fake.webhook_deliveries();
        assert!(receipts.iter().any(|d| d.event_name == "user_seen_message"));
        assert!(receipts.iter().all(|d| d.status == 200), "{receipts:?}");
        app.stop().await;
    }
}

/// Waits until `n` cs calls were made; returns them.
async fn calls_after(
    fake: &support::fake_zalo::FakeZalo,
    n: usize,
) -> Vec<support::fake_zalo::CsCall> {
    fake.wait_until("the cs calls", |f| {
        let calls = f.cs_calls();
        (calls.len() >= n).then_some(calls)
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn each_class_of_zalo_error_is_handled_as_the_table_says() {
    for db in common::all_dbs().await {
        let (fake, app) = start(&db, &[("ZALO_BACKOFF_SECS", "1".into())]).await;
        let m = {
            assert_eq!(fake.follow(USER).await, 200);
            reply_after(&fake, USER, 0, "Choose your language").await
        };
        choose(&fake, USER, &m, "English", "What would you like to do").await;
        let refreshes = fake.refreshes().len();

        // Refresh (-216/-220/-124): the token is refreshed and the reply sent.
        for code in [-216, -220, -124] {
            fake.inject(code);
            say(&fake, USER, "/privacy", "What we keep").await;
        }
        assert_eq!(fake.refreshes().len(), refreshes + 3, "[{}]", db.label);

        // Undeliverable, bug and failed: one attempt, never retried.
        for code in [-230, -232, -213, -227, -244, -201, -210, -100] {
            let n = fake.cs_calls().len();
            fake.inject(code);
            assert_eq!(fake.user_text(USER, "/privacy").await, 200);
            // The next message is answered normally, after exactly one refused attempt.
            say(&fake, USER, "/help", "/report").await;
            let calls = calls_after(&fake, n + 2).await;
            assert_eq!(calls[n].error, code, "[{}]", db.label);
            assert_eq!(calls[n + 1].error, 0, "[{}] {code} was retried", db.label);
        }

        // Back off (-32): every send pauses (1 s here), then the reply goes out.
        let n = fake.cs_calls().len();
        fake.inject(-32);
        say(&fake, USER, "/privacy", "What we keep").await;
        let arrivals = fake.arrivals();
        assert_eq!(fake.cs_calls()[n].error, -32);
        let gap = arrivals[n + 1].at - arrivals[n].at;
        assert!(
            gap >= Duration::from_millis(900),
            "[{}] retried after {gap:?}",
            db.label
        );
        app.stop().await;
    }
}
