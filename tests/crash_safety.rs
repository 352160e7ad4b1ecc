//! Crash safety: the real server is SIGKILLed at random points while citizens
//! report through the Telegram webhook, then restarted, several times. Every
//! tip whose receipt reached the citizen must be stored intact, the ledger
//! must verify, and every session must still be readable. At least one
//! receipt must come from a tip sent after the last kill, so the checks
//! cover a server that has been through every crash. Kills happen after a
//! seeded random number of bot replies (events, not sleeps); the seed is
//! printed, and `CRASH_SEED=<n>` replays the same kill points.
mod common;
mod support;

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use rand::{Rng, SeedableRng};
use serde_json::json;
use support::fake_telegram::{FakeTelegram, chat_json, user_json};
use support::server_process::ServerProcess;
use tipline::conversation::Session;
use tipline::domain::receipt::Receipt;

const SECRET: &str = "crash-test_secret";
const CITIZENS: i64 = 5;
const KILLS: usize = 3;

/// One citizen typing a message, as Telegram would deliver it; retried while the server is down.
async fn send(http: &reqwest::Client, fake: &FakeTelegram, port: u16, chat: i64, text: &str) {
    let update = fake.number_update(json!({ "message": { "message_id": rand::random::<u16>() as i64 + 1,
        "date": 1_700_000_000, "chat": chat_json(chat), "from": user_json(chat, "en"), "text": text } }));
    for _ in 0..300 {
        let r = http
            .post(format!("http://127.0.0.1:{port}/telegram/webhook"))
            .header("X-Telegram-Bot-Api-Secret-Token", SECRET)
            .json(&update)
            .send()
            .await;
        if matches!(r, Ok(ref r) if r.status() == 200) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("webhook never accepted the update");
}

async fn reply_containing(
    fake: &FakeTelegram,
    chat: i64,
    before: usize,
    expect: &str,
) -> Option<String> {
    for _ in 0..80 {
        if let Some(m) = fake
            .sent_to(chat)
            .get(before..)
            .and_then(|new| new.iter().find(|m| m.text.contains(expect)).cloned())
        {
            return Some(m.text);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    None
}

/// A receipt that reached the citizen, with the number of kills that had
/// happened when the final "send" went out.
struct Delivered {
    code: String,
    description: String,
    after_kills: usize,
}

/// Complete tip flows until told to stop; returns every receipt delivered.
async fn citizen(
    fake: FakeTelegram,
    port: u16,
    chat: i64,
    stop: Arc<AtomicBool>,
    kills: Arc<AtomicUsize>,
    receipts: Arc<std::sync::Mutex<Vec<usize>>>,
) -> Vec<Delivered> {
    let http = reqwest::Client::new();
    let mut delivered = Vec::new();
    let mut flow = 0;
    while !stop.load(Ordering::Relaxed) {
        flow += 1;
        let description = format!(
            "Citizen {chat} flow {flow}: packets sold from a blue scooter by the school gate."
        );
        let steps: [(&str, &str); 8] = [
            ("/report", "Step 1/5"),
            ("1", "Step 2/5"),
            ("bien hoa", "Pick the right place"),
            ("1", "Step 3/5"),
            ("1", "Step 4/5"),
            (&description, "Step 5/5"),
            ("1", "Please check your report"),
            ("1", "Receipt code"),
        ];
        let mut completed = true;
        for (text, expect) in steps {
            if stop.load(Ordering::Relaxed) {
                completed = false;
                break;
            }
            let before = fake.sent_to(chat).len();
            let epoch = kills.load(Ordering::SeqCst);
            send(&http, &fake, port, chat, text).await;
            match reply_containing(&fake, chat, before, expect).await {
                Some(reply) if expect == "Receipt code" => {
                    let code = reply
                        .split("Receipt code: ")
                        .nth(1)
                        .and_then(|r| r.split_whitespace().next())
                        .unwrap()
                        .to_string();
                    delivered.push(Delivered {
                        code,
                        description: description.clone(),
                        after_kills: epoch,
                    });
                    receipts.lock().unwrap().push(epoch);
                }
                Some(_) => {}
                None => {
                    if std::env::var("CRASH_DEBUG").is_ok() {
                        let sent = fake.sent_to(chat);
                        eprintln!(
                            "chat {chat} expected {expect:?} after {text:?}; got {:?}",
                            sent.get(before..)
                                .map(|s| s.iter().map(|m| m.text.clone()).collect::<Vec<_>>())
                        );
                    }
                    // The update or its reply was lost in a crash: start the report over, as a person would.
                    completed = false;
                    break;
                }
            }
        }
        if !completed && !stop.load(Ordering::Relaxed) {
            send(&http, &fake, port, chat, "/cancel").await;
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
    }
    delivered
}

fn seed() -> u64 {
    let seed = std::env::var("CRASH_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(rand::random);
    eprintln!("crash_safety: kill points from seed {seed} (replay with CRASH_SEED={seed})");
    seed
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn killing_the_server_at_random_points_loses_no_acknowledged_tip() {
    let seed = seed();
    for db in common::all_dbs().await {
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
        let fake = FakeTelegram::start().await;
        let mut server = ServerProcess::new(&db, &fake.base_url, SECRET);
        server.spawn();
        server.wait_healthy().await;
        let stop = Arc::new(AtomicBool::new(false));
        let kills_done = Arc::new(AtomicUsize::new(0));
        // The kill count at the final step of each receipt delivered so far.
        let receipts = Arc::new(std::sync::Mutex::new(Vec::new()));
        let tasks: Vec<_> = (1..=CITIZENS)
            .map(|i| {
                tokio::spawn(citizen(
                    fake.clone(),
                    server.port,
                    7_000_000 + i,
                    stop.clone(),
                    kills_done.clone(),
                    receipts.clone(),
                ))
            })
            .collect();
        let kills = std::env::var("CRASH_KILLS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(KILLS);
        let replies = || fake.calls("sendMessage").len();
        for k in 0..kills {
            // Kill after a random number of bot replies since the last start:
            // somewhere in the middle of the citizens' steps, whatever the machine's speed.
            let target = replies() + rng.random_range(3..25);
            fake.wait_until("bot replies before the next kill", |_| {
                (replies() >= target).then_some(())
            })
            .await;
            server.kill();
            kills_done.store(k + 1, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(rng.random_range(0..400))).await;
            server.spawn();
            server.wait_healthy().await;
        }
        // Citizens go on until a receipt comes for a tip sent after the last
        // kill (bounded), so the checks below cover the recovered server.
        let settled = async {
            while !receipts.lock().unwrap().contains(&kills) {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        };
        let _ = tokio::time::timeout(Duration::from_secs(180), settled).await;
        stop.store(true, Ordering::Relaxed);
        let mut delivered: Vec<Delivered> = Vec::new();
        for t in tasks {
            delivered.extend(
                tokio::time::timeout(Duration::from_secs(300), t)
                    .await
                    .expect("citizens finish")
                    .unwrap(),
            );
        }
        server.stop();
        let after_last = delivered.iter().filter(|d| d.after_kills == kills).count();
        assert!(
            after_last > 0,
            "{}: no receipt for a tip sent after the last kill ({} receipts before it); \
             the test proved nothing about recovery. Last replies: {:?}\nServer log:\n{}",
            db.label,
            delivered.len(),
            (1..=CITIZENS)
                .map(|i| fake
                    .sent_to(7_000_000 + i)
                    .iter()
                    .rev()
                    .take(3)
                    .map(|m| m.text.chars().take(60).collect::<String>())
                    .collect::<Vec<_>>())
                .collect::<Vec<_>>(),
            server.log_tail()
        );

        let app = db.app().await;
        let stored: HashMap<String, String> = app
            .store
            .queue("CA-26068", 100_000)
            .await
            .unwrap()
            .into_iter()
            .map(|t| (t.reference.clone(), t.description))
            .collect();
        for Delivered {
            code, description, ..
        } in &delivered
        {
            let view = app
                .store
                .tip_by_receipt(&Receipt::parse(code).unwrap().hash())
                .await
                .unwrap();
            let view = view.unwrap_or_else(|| {
                panic!(
                    "{}: receipt {code} was delivered but its tip is missing",
                    db.label
                )
            });
            assert_eq!(
                stored.get(&view.reference),
                Some(description),
                "{}: tip {} is not intact",
                db.label,
                view.reference
            );
        }
        let verify = common::env::tipline()
            .arg("--data-dir")
            .arg(db.data_dir())
            .args(["--database-url", &db.url, "ledger", "verify"])
            .env(
                "TIPLINE_CONTENT_DIR",
                concat!(env!("CARGO_MANIFEST_DIR"), "/locales"),
            )
            .output()
            .unwrap();
        assert!(
            verify.status.success(),
            "{}: {}",
            db.label,
            String::from_utf8_lossy(&verify.stdout)
        );
        for state in app.store.session_states().await.unwrap() {
            serde_json::from_str::<Session>(&state)
                .unwrap_or_else(|e| panic!("{}: corrupted session: {e}", db.label));
        }
        eprintln!(
            "{}: {} receipts delivered across {kills} kills ({after_last} for tips sent after the last), all intact",
            db.label,
            delivered.len()
        );
    }
}
