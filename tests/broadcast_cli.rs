//! `tipline broadcast` as an operator uses it: a preset into a file, a dry
//! run with previews, create, status, pause, resume and cancel.
#[path = "common/env.rs"]
mod test_env;
use std::path::Path;
use std::process::Output;

fn tipline(data_dir: &Path, args: &[&str]) -> Output {
    test_env::tipline()
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("DATABASE_URL")
        .env(
            "TIPLINE_CONTENT_DIR",
            concat!(env!("CARGO_MANIFEST_DIR"), "/locales"),
        )
        .env("RUST_LOG", "warn")
        .output()
        .expect("run tipline")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn an_operator_creates_a_campaign_from_a_preset_and_controls_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");

    let out = tipline(
        &data,
        &["broadcast", "presets", "--name", "26-6", "--year", "2027"],
    );
    assert!(out.status.success());
    let preset = stdout(&out);
    assert!(
        preset.contains("schedule = \"2027-06-26 08:00\""),
        "{preset}"
    );
    assert!(preset.contains("Decision 93/2001/QĐ-TTg"));
    let file = dir.path().join("campaign.toml");
    std::fs::write(&file, &preset).unwrap();
    let file = file.to_str().unwrap();

    let out = tipline(&data, &["broadcast", "create", "--file", file, "--dry-run"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = stdout(&out);
    for needle in [
        "2027-06-26 08:00 Vietnam time",
        "--- Telegram · vi",
        "--- Zalo · en",
        "/2000 characters",
        "Dry run: nothing was saved.",
    ] {
        assert!(text.contains(needle), "dry run lacks {needle:?}:\n{text}");
    }
    let list = stdout(&tipline(&data, &["broadcast", "status"]));
    assert!(list.contains("No campaigns yet"), "{list}");

    let out = tipline(&data, &["broadcast", "create", "--file", file]);
    assert!(
        stdout(&out).contains("Created campaign #1"),
        "{}",
        stdout(&out)
    );
    let status = stdout(&tipline(&data, &["broadcast", "status", "--id", "1"]));
    assert!(status.contains("Campaign #1 · scheduled"), "{status}");
    assert!(status.contains("remaining 0"), "{status}");
    let json = stdout(&tipline(
        &data,
        &["broadcast", "status", "--id", "1", "--json"],
    ));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["campaign"]["state"], "scheduled");

    assert!(stdout(&tipline(&data, &["broadcast", "pause", "--id", "1"])).contains("paused"));
    assert!(stdout(&tipline(&data, &["broadcast", "resume", "--id", "1"])).contains("resumed"));
    assert!(stdout(&tipline(&data, &["broadcast", "cancel", "--id", "1"])).contains("cancelled"));
    let again = tipline(&data, &["broadcast", "resume", "--id", "1"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("is cancelled; cannot resume"));
    assert_eq!(
        tipline(&data, &["broadcast", "pause", "--id", "7"])
            .status
            .code(),
        Some(2)
    );

    // A bad file is refused with the reason, and nothing is saved.
    std::fs::write(
        dir.path().join("bad.toml"),
        "title = \"x\"\ntarget = [\"99\"]\n[text]\nvi = \"a\"\nen = \"b\"\n",
    )
    .unwrap();
    let bad = tipline(
        &data,
        &[
            "broadcast",
            "create",
            "--file",
            dir.path().join("bad.toml").to_str().unwrap(),
        ],
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown province code \"99\""));
    assert!(!stdout(&tipline(&data, &["broadcast", "status"])).contains("#2"));
}
