//! Hostile attachments through the real server and the fake Bot API, on
//! SQLite and PostgreSQL: a decompression bomb sent as a document is refused
//! plainly while memory stays bounded and /healthz keeps answering; a flood
//! of parallel uploads over two replicas stores at most the per-draft limit.
mod common;
mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use support::fake_telegram::FakeTelegram;
use support::telegram_chat::{Chat, Transport};
use support::tipline_app::RunningApp;
use tipline::domain::tip::MAX_ATTACHMENTS;

const SECRET: &str = "hostile_attachment_secret";
const DESCRIPTION: &str =
    "Two men hand over small packets at the bus stop opposite the market every night.";
/// Texts of every possible answer to an upload at the photo step (the last
/// one: two replicas raced on the session and the retry budget ran out).
const UPLOAD_ANSWERS: [&str; 5] = [
    "Photo received",
    "maximum number of photos",
    "not at the photo step",
    "as much photo data",
    "could not save that",
];

fn settings(fake: &FakeTelegram) -> Vec<(&'static str, String)> {
    vec![
        ("TELEGRAM_BOT_TOKEN", "123456:HOSTILE".to_string()),
        ("TELOXIDE_API_URL", fake.base_url.clone()),
        (
            "TELEGRAM_WEBHOOK_URL",
            "https://tipline.test/telegram/webhook".to_string(),
        ),
        ("TELEGRAM_WEBHOOK_SECRET", SECRET.to_string()),
    ]
}

fn chat(fake: &FakeTelegram, chat_id: i64, app: &RunningApp) -> Chat {
    Chat::new(
        fake,
        chat_id,
        "en",
        Transport::Webhook {
            url: app.url("/telegram/webhook"),
            secret: SECRET.into(),
        },
    )
}

async fn to_photo_step(chat: &Chat) {
    chat.say("/report", "Step 1/5").await;
    chat.tap("cat:dealing", "Step 2/5").await;
    chat.say("bien hoa", "Pick the right place").await;
    chat.tap("ward:26068", "Step 3/5").await;
    chat.tap("when:this_week", "Step 4/5").await;
    chat.say(DESCRIPTION, "Step 5/5").await;
}

/// An RGB PNG of `side`² black pixels: a few hundred KB that decode to
/// `3 × side²` bytes. Written row by row, so the test itself stays small.
fn png_bomb(side: u32) -> Vec<u8> {
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, side, side);
    enc.set_color(png::ColorType::Rgb);
    enc.set_compression(png::Compression::Fast);
    let mut w = enc.write_header().unwrap();
    {
        let mut rows = w.stream_writer().unwrap();
        let row = vec![0u8; side as usize * 3];
        for _ in 0..side {
            std::io::Write::write_all(&mut rows, &row).unwrap();
        }
        rows.finish().unwrap();
    }
    drop(w);
    out
}

fn small_jpeg(shade: u8) -> Vec<u8> {
    let img = image::RgbImage::from_fn(24, 16, |x, y| {
        image::Rgb([shade, (x * 9) as u8, (y * 13) as u8])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut out, image::ImageFormat::Jpeg)
        .unwrap();
    out.into_inner()
}

/// This process's resident set size, from /proc (the server runs in it).
fn rss_mib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .expect("VmRSS in /proc/self/status");
    kb / 1024
}

/// Polls /healthz and RSS until `done`; returns (non-200 answers, polls, peak RSS).
async fn watch(app_url: String, done: Arc<AtomicBool>) -> (usize, usize, u64) {
    let http = reqwest::Client::new();
    let (mut failures, mut polls, mut peak) = (0, 0, 0);
    while !done.load(Ordering::SeqCst) {
        let ok = tokio::time::timeout(std::time::Duration::from_secs(2), http.get(&app_url).send())
            .await
            .is_ok_and(|r| r.is_ok_and(|r| r.status() == 200));
        failures += usize::from(!ok);
        polls += 1;
        peak = peak.max(rss_mib());
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    (failures, polls, peak)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_decompression_bomb_document_is_refused_with_bounded_memory_and_health_answering() {
    let bomb = png_bomb(11_000);
    assert!(bomb.len() < 2 * 1024 * 1024, "bomb is {} bytes", bomb.len());
    for db in common::all_dbs().await {
        let fake = FakeTelegram::start().await;
        let app = RunningApp::start(&db, &settings(&fake)).await;
        let chat = chat(&fake, 7_700_001, &app);
        to_photo_step(&chat).await;

        let done = Arc::new(AtomicBool::new(false));
        let watcher = tokio::spawn(watch(app.url("/healthz"), done.clone()));
        let before = fake.sent_to(chat.chat_id).len();
        chat.document("bomb", bomb.clone(), "image/png").await;
        let refusal = chat.reply_after(before, "too big to process").await;
        done.store(true, Ordering::SeqCst);
        let (failures, polls, peak) = watcher.await.unwrap();

        assert!(refusal.text.contains("8,000 pixels"), "{}", refusal.text);
        assert!(polls > 0, "{}: /healthz was polled", db.label);
        assert_eq!(
            failures, 0,
            "{}: /healthz failed {failures} of {polls}",
            db.label
        );
        assert!(peak < 200, "{}: RSS peaked at {peak} MiB", db.label);
        let key = app.state.secret.session_key("telegram", "7700001");
        let stored = app.state.store.count_draft_attachments(key.as_str()).await;
        assert_eq!(stored.unwrap(), 0, "{}: nothing stored", db.label);
        // The reporter can still send a real photo and finish.
        chat.document("ok", small_jpeg(7), "image/jpeg").await;
        chat.reply_after(before + 1, "Photo received").await;
        app.stop().await;
    }
}

/// Sends `files` as documents in parallel, alternating between two replicas,
/// and waits until every one got its answer.
async fn flood(fake: &FakeTelegram, replicas: [&RunningApp; 2], chat_id: i64, files: Vec<Vec<u8>>) {
    let before = fake.sent_to(chat_id).len();
    let n = files.len();
    let sent = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for (i, bytes) in files.into_iter().enumerate() {
        let c = chat(fake, chat_id, replicas[i % 2]);
        let sent = sent.clone();
        tasks.push(tokio::spawn(async move {
            c.document(&format!("flood-{chat_id}-{i}"), bytes, "image/jpeg")
                .await;
            sent.fetch_add(1, Ordering::SeqCst);
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    fake.wait_until(&format!("{n} answers to uploads"), |f| {
        let answered = f.sent_to(chat_id)[before..]
            .iter()
            .filter(|m| UPLOAD_ANSWERS.iter().any(|a| m.text.contains(a)))
            .count();
        if std::env::var("HOSTILE_DEBUG").is_ok() {
            eprintln!("---- {answered}/{n}");
            for m in &f.sent_to(chat_id)[before..] {
                eprintln!("{:?}", m.text);
            }
        }
        (answered >= n).then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_uploads_over_two_replicas_store_at_most_the_per_draft_limit() {
    for db in common::all_dbs().await {
        let fake = FakeTelegram::start().await;
        let a = RunningApp::start(&db, &settings(&fake)).await;
        let b = RunningApp::start(&db, &settings(&fake)).await;

        // The same image twenty times: stored once, the draft holds it once.
        let same = chat(&fake, 7_700_002, &a);
        to_photo_step(&same).await;
        flood(&fake, [&a, &b], 7_700_002, vec![small_jpeg(1); 20]).await;
        let key = a.state.secret.session_key("telegram", "7700002");
        let stored = a.state.store.count_draft_attachments(key.as_str()).await;
        assert_eq!(stored.unwrap(), 1, "{}: identical uploads", db.label);

        // Twenty different images: never more than the draft may hold.
        let many = chat(&fake, 7_700_003, &b);
        to_photo_step(&many).await;
        flood(
            &fake,
            [&a, &b],
            7_700_003,
            (0..20).map(small_jpeg).collect(),
        )
        .await;
        let key = a.state.secret.session_key("telegram", "7700003");
        let stored = a
            .state
            .store
            .count_draft_attachments(key.as_str())
            .await
            .unwrap();
        assert!(
            (1..=MAX_ATTACHMENTS as i64).contains(&stored),
            "{}: {stored} uploads stored",
            db.label
        );
        a.stop().await;
        b.stop().await;
    }
}
