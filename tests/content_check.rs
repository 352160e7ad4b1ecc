//! `tipline content check`: passes on the shipped content and names the file,
//! line and problem for each planted mistake.
use std::path::Path;
use std::process::Command;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target)
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

fn check(dir: &Path) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_tipline"))
        .args(["content", "check", "--dir"])
        .arg(dir)
        .env("TIPLINE_DATA_DIR", dir.join("no-data"))
        .output()
        .unwrap();
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

fn shipped_copy() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/locales")),
        tmp.path(),
    );
    tmp
}

#[test]
fn the_shipped_content_passes() {
    let (ok, out) = check(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/locales")));
    assert!(ok, "{out}");
    assert!(out.contains("content OK"), "{out}");
}

#[test]
fn a_deleted_question_is_reported_with_its_file_and_line() {
    let tmp = shipped_copy();
    let quiz = tmp.path().join("vi/quiz.toml");
    let text = std::fs::read_to_string(&quiz).unwrap();
    // Drop the second [[question]] table of the Vietnamese bank.
    let starts: Vec<usize> = text.match_indices("[[question]]").map(|(i, _)| i).collect();
    let removed_id = text[starts[1]..starts[2]]
        .lines()
        .find(|l| l.starts_with("id ="))
        .unwrap()
        .to_string();
    std::fs::write(
        &quiz,
        format!("{}{}", &text[..starts[1]], &text[starts[2]..]),
    )
    .unwrap();
    let (ok, out) = check(tmp.path());
    assert!(!ok);
    let id = removed_id.split('"').nth(1).unwrap();
    let en_line = std::fs::read_to_string(tmp.path().join("en/quiz.toml"))
        .unwrap()
        .lines()
        .position(|l| l.contains(&format!("\"{id}\"")))
        .unwrap()
        + 1;
    assert!(
        out.contains(&format!(
            "en/quiz.toml:{en_line}: question \"{id}\" exists in `en` but is missing from `vi`"
        )),
        "{out}"
    );
}

#[test]
fn an_answer_index_out_of_range_is_reported() {
    let tmp = shipped_copy();
    let quiz = tmp.path().join("en/quiz.toml");
    let text = std::fs::read_to_string(&quiz).unwrap();
    let pos = text.find("answer = ").unwrap();
    let line = text[..pos].matches('\n').count() + 1;
    let end = pos + text[pos..].find('\n').unwrap();
    std::fs::write(&quiz, format!("{}answer = 7{}", &text[..pos], &text[end..])).unwrap();
    let (ok, out) = check(tmp.path());
    assert!(!ok);
    assert!(out.contains("answer index 7 is out of range"), "{out}");
    // Reported at the question's id line, just above the answer.
    let reported: Vec<usize> = out
        .lines()
        .filter(|l| l.contains("answer index 7"))
        .filter_map(|l| l.split(':').nth(1)?.parse().ok())
        .collect();
    assert!(
        reported.iter().any(|l| *l < line && line - *l <= 6),
        "{out}"
    );
}

#[test]
fn a_missing_vietnamese_key_is_reported() {
    let tmp = shipped_copy();
    let ftl = tmp.path().join("vi/main.ftl");
    let text = std::fs::read_to_string(&ftl).unwrap();
    let without: String = text
        .lines()
        .filter(|l| !l.starts_with("review-send ="))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&ftl, without).unwrap();
    let (ok, out) = check(tmp.path());
    assert!(!ok);
    assert!(
        out.contains("en/main.ftl:")
            && out.contains("message `review-send` exists in `en` but is missing from locale `vi`"),
        "{out}"
    );
}

#[test]
fn an_article_without_sources_or_review_date_is_reported() {
    let tmp = shipped_copy();
    let art = tmp.path().join("en/meth.md");
    let art = if art.exists() {
        art
    } else {
        tmp.path().join("en/articles/meth.md")
    };
    let text = std::fs::read_to_string(&art).unwrap();
    let text = text.replace("last_reviewed = \"2026-11-22\"", "last_reviewed = \"soon\"");
    let cut = text.find("[[sources]]").unwrap();
    let body = text.rfind("+++").unwrap();
    std::fs::write(&art, format!("{}{}", &text[..cut], &text[body..])).unwrap();
    let (ok, out) = check(tmp.path());
    assert!(!ok);
    assert!(
        out.contains("meth.md:2: article \"meth\" has no [[sources]]"),
        "{out}"
    );
    assert!(out.contains("last_reviewed must be a date"), "{out}");
}

#[test]
fn edits_are_reloaded_and_broken_edits_keep_the_old_content() {
    use tipline::content::{Catalog, HelpSource, LiveCatalog};
    use tipline::i18n::Lang;
    let tmp = shipped_copy();
    let live = LiveCatalog::new(
        Catalog::load(tmp.path(), &HelpSource::Builtin).unwrap(),
        tmp.path().to_path_buf(),
        HelpSource::Builtin,
    );
    let art = tmp.path().join("en/articles/vapes.md");
    let text = std::fs::read_to_string(&art).unwrap();
    let title_line = text
        .lines()
        .find(|l| l.starts_with("title = "))
        .unwrap()
        .to_string();
    std::fs::write(
        &art,
        text.replace(
            &title_line,
            "title = \"Vapes: updated by the press office\"",
        ),
    )
    .unwrap();
    live.reload().unwrap();
    assert_eq!(
        live.snapshot().article(Lang::En, "vapes").unwrap().title,
        "Vapes: updated by the press office"
    );
    std::fs::write(&art, "no front matter at all").unwrap();
    let errs = live.reload().unwrap_err();
    assert!(errs[0].to_string().contains("vapes.md:1"), "{}", errs[0]);
    assert_eq!(
        live.snapshot().article(Lang::En, "vapes").unwrap().title,
        "Vapes: updated by the press office"
    );
}
