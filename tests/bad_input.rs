//! Hostile and odd input: every message gets a clear answer, nothing panics, nothing is lost.
mod common;

use common::all_dbs;
use common::chat::{Chatter, DESCRIPTION};
use tipline::conversation::Input;

fn nasty_inputs() -> Vec<String> {
    vec![
        String::new(),
        " ".into(),
        "x".repeat(100 * 1024),
        "ế".repeat(40_000),
        "\u{202E}gnimoc si pleh\u{202C}".into(),
        "\u{200B}\u{200B}\u{FEFF}".into(),
        "🙂🙂🙂💊🚨".into(),
        "e\u{0301}\u{0302}\u{0323}".repeat(50),
        "\u{0000}\u{0007}\u{001B}[31mred\u{007F}".into(),
        "/".into(),
        "/status@".into(),
        "/😀".into(),
        "[999]".into(),
        "-1".into(),
        "99999999999999999999999".into(),
        "مرحبا بالعالم".into(),
    ]
}

#[tokio::test]
async fn every_step_answers_odd_text_without_panicking_or_storing() {
    for db in all_dbs().await {
        let app = db.app().await;
        let c = Chatter::new(&app, "fuzzer");
        // Walk through each step, throwing every nasty input at it.
        let steps: [&[&str]; 6] = [&[], &["/report"], &["1"], &["bien hoa"], &["1"], &["1"]];
        for prefix in steps {
            c.say_all(prefix).await;
            for bad in nasty_inputs() {
                let replies = c.input(Input::Text(bad.clone())).await;
                assert!(
                    !replies.is_empty(),
                    "{}: no reply to {:?}",
                    db.label,
                    &bad[..bad.len().min(20)]
                );
                assert!(replies.iter().all(|r| !r.text.trim().is_empty()));
                // A reply never echoes a 100 KB paste back.
                assert!(
                    replies.iter().all(|r| r.text.len() < 8_000),
                    "reply too long"
                );
            }
        }
        assert_eq!(app.store.count_tips().await.unwrap(), 0, "{}", db.label);
    }
}

#[tokio::test]
async fn description_limits_get_clear_messages_with_the_numbers() {
    for db in common::all_dbs().await {
        let app = db.app().await;
        let c = Chatter::new(&app, "writer");
        c.say_all(&["/report", "1", "bien hoa", "1", "1"]).await;
        let out = c.say("too short").await;
        assert!(
            out.contains("at least 20 characters") && out.contains("(9 characters)"),
            "{out}"
        );
        let out = c.say(&"a".repeat(3001)).await;
        assert!(
            out.contains("3001 characters") && out.contains("maximum is 3000"),
            "{out}"
        );
        // Still at the description step: a good one goes through.
        assert!(
            c.say(DESCRIPTION)
                .await
                .contains("Please check your report")
        );
    }
}

#[tokio::test]
async fn invisible_characters_are_removed_from_stored_descriptions() {
    for db in common::all_dbs().await {
        let app = db.app().await;
        let c = Chatter::new(&app, "writer");
        let sneaky = format!("\u{202E}{DESCRIPTION}\u{200B}\u{0007}");
        c.say_all(&["/report", "1", "bien hoa", "1", "1", &sneaky, "1"])
            .await;
        assert_eq!(
            app.store.queue("CA-26068", 1).await.unwrap()[0].description,
            DESCRIPTION
        );
    }
}

#[tokio::test]
async fn locations_outside_the_globe_are_refused_and_real_ones_kept() {
    for db in all_dbs().await {
        let app = db.app().await;
        let c = Chatter::new(&app, "mapper");
        c.say_all(&["/report", "1"]).await;
        let out = common::chat::render(
            &c.input(Input::Location {
                lat: f64::NAN,
                lon: 500.0,
            })
            .await,
        );
        assert!(out.contains("not valid"), "{out}");
        let out = common::chat::render(
            &c.input(Input::Location {
                lat: 10.9574,
                lon: 106.8427,
            })
            .await,
        );
        // At the place question a real location suggests a ward to confirm.
        assert!(
            out.contains("Is it near") && out.contains("No, search by name"),
            "{out}"
        );
        c.say_all(&["bien hoa", "1", "1", DESCRIPTION, "1"]).await;
        let tip = &app.store.queue("CA-26068", 1).await.unwrap()[0];
        assert_eq!(
            (tip.latitude, tip.longitude),
            (Some(10.9574), Some(106.8427)),
            "{}",
            db.label
        );
    }
}

#[tokio::test]
async fn an_unavailable_database_gets_a_polite_try_again_and_loses_nothing() {
    for db in all_dbs().await {
        let app = db.app().await;
        let c = Chatter::new(&app, "patient");
        c.say_all(&["/report", "1", "bien hoa", "1", "1"]).await;
        app.store.close().await;
        let out = c.say(DESCRIPTION).await;
        assert!(
            out.contains("could not save") && out.contains("send your last message again"),
            "{}: {out}",
            db.label
        );
        // Back up: the draft waits at the description step, nothing half-written.
        let app = db.app().await;
        let c = Chatter::new(&app, "patient");
        assert_eq!(app.store.count_tips().await.unwrap(), 0);
        let out = c.say_all(&[DESCRIPTION, "1"]).await;
        assert!(common::chat::receipt_in(&out).is_some(), "{out}");
    }
}
