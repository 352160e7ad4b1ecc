//! Hostile and odd input: every message gets a clear answer, nothing panics, nothing is lost.
mod common;

use common::all_dbs;
use common::chat::{Chatter, DESCRIPTION};
use tipline::conversation::{Input, ReportStep, Step};

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

/// The step each odd input leads to from `at`. Measured once and kept
/// here, so a change in how any step treats odd text shows up.
fn expected_after(at: &Step, bad: &str) -> Step {
    let report = |step| Step::Report { step };
    let blank = bad
        .chars()
        .all(|c| c.is_whitespace() || matches!(c, '\u{200B}' | '\u{FEFF}'));
    let chars = bad.chars().count();
    if bad == "/status@" {
        // A command (the bot's @name may follow it) leaves any step.
        return Step::StatusAwaitReceipt;
    }
    match at {
        // "-1" is searched, and finds numbered wards ("Phường 1") to pick from.
        Step::Report {
            step: ReportStep::Location | ReportStep::LocationPick,
        } if bad == "-1" => report(ReportStep::LocationPick),
        // Anything but one of the offered places goes back to the search.
        Step::Report {
            step: ReportStep::LocationPick,
        } => report(ReportStep::Location),
        // The time may be typed in words; only blank text is asked again.
        Step::Report {
            step: ReportStep::When,
        } if !blank => report(ReportStep::Description),
        // 20-3000 characters make a description, however odd.
        Step::Report {
            step: ReportStep::Description,
        } if (20..=3000).contains(&chars) => report(ReportStep::Review),
        _ => at.clone(),
    }
}

#[tokio::test]
async fn every_step_answers_odd_text_without_panicking_or_storing() {
    let report = |step| Step::Report { step };
    // Each step with the inputs that lead there from a fresh chat.
    let steps: [(&[&str], Step); 7] = [
        (&["/start"], Step::ChooseLanguage),
        (&["/report"], report(ReportStep::Category)),
        (&["/report", "1"], report(ReportStep::Location)),
        (
            &["/report", "1", "bien hoa"],
            report(ReportStep::LocationPick),
        ),
        (&["/report", "1", "bien hoa", "1"], report(ReportStep::When)),
        (
            &["/report", "1", "bien hoa", "1", "1"],
            report(ReportStep::Description),
        ),
        // The console takes no attachments, so the description leads to the review.
        (
            &["/report", "1", "bien hoa", "1", "1", DESCRIPTION],
            report(ReportStep::Review),
        ),
    ];
    for db in all_dbs().await {
        let app = db.app().await;
        let mut table = Vec::new();
        for (s, (path, at)) in steps.iter().enumerate() {
            for (i, bad) in nasty_inputs().into_iter().enumerate() {
                // A fresh chat per input: every odd text meets the step itself,
                // not wherever the previous odd text left the flow.
                let c = Chatter::new(&app, &format!("fuzzer-{s}-{i}"));
                c.say_all(path).await;
                let reached = c.step().await;
                let learning = std::env::var("BAD_INPUT_TABLE").is_ok();
                assert!(
                    learning || &reached == at,
                    "{}: {path:?} reached {reached:?}, not {at:?}",
                    db.label
                );
                let replies = c.input(Input::Text(bad.clone())).await;
                let shown = &bad[..bad.floor_char_boundary(20)];
                assert!(!replies.is_empty(), "{}: no reply to {shown:?}", db.label);
                assert!(replies.iter().all(|r| !r.text.trim().is_empty()));
                // A reply never echoes a 100 KB paste back.
                assert!(
                    replies.iter().all(|r| r.text.len() < 8_000),
                    "reply too long"
                );
                let now = c.step().await;
                table.push(format!("{reached:?} + {shown:?} -> {now:?}"));
                if learning {
                    continue;
                }
                assert_eq!(
                    now,
                    expected_after(at, &bad),
                    "{}: odd text {shown:?} at {at:?}",
                    db.label
                );
            }
        }
        if std::env::var("BAD_INPUT_TABLE").is_ok() {
            eprintln!("{}", table.join("\n"));
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
