//! `tipline content check`: passes on the shipped content and names the file,
//! line and problem for each planted mistake.
#[path = "common/env.rs"]
mod test_env;
use std::path::Path;

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
    let out = test_env::tipline()
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
    let reviewed = text
        .lines()
        .find(|l| l.starts_with("last_reviewed = "))
        .unwrap()
        .to_string();
    let text = text.replace(&reviewed, "last_reviewed = \"soon\"");
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

/// 1-based line of the first line of `file` containing `needle`.
fn line_of(file: &Path, needle: &str) -> usize {
    std::fs::read_to_string(file)
        .unwrap()
        .lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle:?} not in {}", file.display()))
        + 1
}

/// Replaces the first line of `file` that starts with `prefix`.
fn replace_line(file: &Path, prefix: &str, with: &str) {
    let text = std::fs::read_to_string(file).unwrap();
    let old = text
        .lines()
        .find(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no line starting {prefix:?}"))
        .to_string();
    std::fs::write(file, text.replacen(&old, with, 1)).unwrap();
}

#[test]
fn a_forty_character_label_or_short_title_is_reported_at_its_line() {
    let tmp = shipped_copy();
    let ftl = tmp.path().join("vi/main.ftl");
    let label = "Mua bán ma túy ở quán, nhà, trên mạng xã"; // 40 characters
    assert_eq!(label.chars().count(), 40);
    replace_line(
        &ftl,
        "category-dealing =",
        &format!("category-dealing = {label}"),
    );
    let art = tmp.path().join("en/articles/heroin.md");
    let title = "Heroin: the opioid that stops breathing!"; // 40 characters
    replace_line(&art, "short_title =", &format!("short_title = \"{title}\""));
    let (ok, out) = check(tmp.path());
    assert!(!ok);
    let ftl_line = line_of(&ftl, "category-dealing =");
    assert!(
        out.contains(&format!(
            "vi/main.ftl:{ftl_line}: label `category-dealing` {label:?} has 40 characters; buttons allow at most 32"
        )),
        "{out}"
    );
    let art_line = line_of(&art, "short_title =");
    assert!(
        out.contains(&format!(
            "heroin.md:{art_line}: short_title {title:?} has 40 characters; buttons allow at most 32"
        )),
        "{out}"
    );
}

#[test]
fn a_quiz_option_over_the_label_limit_is_reported_at_its_options_line() {
    let tmp = shipped_copy();
    let quiz = tmp.path().join("en/quiz.toml");
    let long = "Only if the pills are not too pink"; // 34 characters
    let text = std::fs::read_to_string(&quiz).unwrap();
    let first_options = text.lines().find(|l| l.starts_with("options = [")).unwrap();
    let first_option = first_options.split('"').nth(1).unwrap();
    let planted = first_options.replacen(first_option, long, 1);
    std::fs::write(&quiz, text.replacen(first_options, &planted, 1)).unwrap();
    let (ok, out) = check(tmp.path());
    assert!(!ok);
    let line = line_of(&quiz, long);
    assert!(
        out.contains(&format!(
            "en/quiz.toml:{line}: option {long:?} has 34 characters; buttons allow at most 32"
        )),
        "{out}"
    );
}

#[test]
fn a_quiz_where_the_longest_option_wins_is_reported() {
    let tmp = shipped_copy();
    let quiz = tmp.path().join("en/quiz.toml");
    let mut bank: toml::Value = toml::from_str(&std::fs::read_to_string(&quiz).unwrap()).unwrap();
    let questions = bank["question"].as_array_mut().unwrap();
    let total = questions.len();
    for q in questions.iter_mut() {
        let answer = q["answer"].as_integer().unwrap() as usize;
        let n = q["options"].as_array().unwrap().len();
        let options = (0..n)
            .map(|i| {
                toml::Value::String(if i == answer {
                    format!("The long right answer {i}")
                } else {
                    format!("Wrong {i}")
                })
            })
            .collect();
        q["options"] = toml::Value::Array(options);
    }
    std::fs::write(&quiz, toml::to_string(&bank).unwrap()).unwrap();
    let (ok, out) = check(tmp.path());
    assert!(!ok);
    let first_id = bank["question"][0]["id"].as_str().unwrap().to_string();
    let line = line_of(&quiz, &format!("id = \"{first_id}\""));
    assert!(
        out.contains(&format!(
            "en/quiz.toml:{line}: the correct option is the longest in {total} of {total} questions (at most a third allowed), e.g. {first_id} (line {line})"
        )),
        "{out}"
    );
}

#[test]
fn n_d_and_iso_dates_in_vietnamese_text_are_reported() {
    let tmp = shipped_copy();
    let art = tmp.path().join("vi/articles/meth.md");
    replace_line(&art, "date = ", "date = \"n.d.\"");
    let text = std::fs::read_to_string(&art).unwrap();
    std::fs::write(
        &art,
        format!("{text}\nBài được cập nhật ngày 2026-11-22.\n"),
    )
    .unwrap();
    // English may write ISO dates; only Vietnamese readers are shown dd/mm/yyyy.
    let en = tmp.path().join("en/articles/meth.md");
    let text = std::fs::read_to_string(&en).unwrap();
    std::fs::write(&en, format!("{text}\nUpdated 2026-11-22.\n")).unwrap();
    let (ok, out) = check(tmp.path());
    assert!(!ok);
    let nd = line_of(&art, "n.d.");
    let iso = line_of(&art, "2026-11-22.");
    assert!(
        out.contains(&format!(
            "vi/articles/meth.md:{nd}: Vietnamese text says \"n.d.\": write \"không rõ ngày\" or an access date"
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "vi/articles/meth.md:{iso}: Vietnamese text shows the ISO date \"2026-11-22\": write dates as dd/mm/yyyy"
        )),
        "{out}"
    );
    assert!(!out.contains("en/articles/meth.md"), "{out}");
}

#[test]
fn an_article_without_short_title_is_reported() {
    let tmp = shipped_copy();
    let art = tmp.path().join("en/articles/heroin.md");
    let text = std::fs::read_to_string(&art).unwrap();
    let without: String = text
        .lines()
        .filter(|l| !l.starts_with("short_title ="))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&art, without).unwrap();
    let (ok, out) = check(tmp.path());
    assert!(!ok);
    assert!(
        out.contains(
            "heroin.md:2: article \"heroin\" has no short_title (its button label, at most 32 characters)"
        ),
        "{out}"
    );
}

#[test]
fn promising_help_points_the_directory_lacks_is_reported_until_it_has_them() {
    let tmp = shipped_copy();
    let art = tmp.path().join("vi/articles/getting-help.md");
    let text = std::fs::read_to_string(&art).unwrap();
    let promise = "Các điểm tư vấn, cơ sở cai nghiện đã được xác minh ở tỉnh bạn có trong Tipline.";
    std::fs::write(&art, format!("{text}\n{promise}\n")).unwrap();
    let (ok, out) = check(tmp.path());
    assert!(!ok);
    let line = line_of(&art, promise);
    for kind in ["counselling", "rehab"] {
        assert!(
            out.contains(&format!(
                "vi/articles/getting-help.md:{line}: the text promises {kind} entries in the help directory, which lists none"
            )),
            "{out}"
        );
    }
    // Once the operator lists both kinds, the same text is a kept promise.
    let data = tmp.path().join("no-data");
    std::fs::create_dir_all(&data).unwrap();
    let local = |kind: &str| {
        format!(
            "\n[[local]]\nprovince_code = 75\nkind = \"{kind}\"\nname_vi = \"Điểm thử\"\nname_en = \"Test point\"\naddress = \"1 Test\"\nphone = \"0251 000 000\"\nhours_vi = \"T2–T6\"\nhours_en = \"Mon–Fri\"\nsource = \"PC04 test\"\nverified_on = \"2026-11-20\"\n"
        )
    };
    std::fs::write(
        data.join("help-directory.toml"),
        format!(
            "{}{}{}",
            tipline::content::BUILTIN_HELP_DIRECTORY,
            local("counselling"),
            local("rehab")
        ),
    )
    .unwrap();
    let (ok, out) = check(tmp.path());
    assert!(ok, "{out}");
}
