//! Awareness content through the engine: topics, paged articles, search,
//! quizzes with class codes, the help directory, and anonymous counters.
mod common;

use common::all_dbs;
use common::chat::Chatter;
use tipline::content::Catalog;
use tipline::i18n::Lang;

#[tokio::test]
async fn the_lsd_article_reads_to_the_end_with_more_and_names_its_sources() {
    for db in all_dbs().await {
        let app = db.app().await;
        for (lang, topic, more, sources, reviewed, related) in [
            (
                Lang::En,
                "Drugs and their harms",
                "More",
                "Sources:",
                "Last reviewed: 22 Nov 2026",
                "Disguised drugs",
            ),
            (
                Lang::Vi,
                "Các loại ma túy",
                "Xem tiếp",
                "Nguồn:",
                "Cập nhật lần cuối: 22/11/2026",
                "Ma túy ngụy trang",
            ),
        ] {
            let mut c = Chatter::new(&app, &format!("reader-{lang}"));
            c.lang = Some(lang);
            let list = c.say_all(&["/menu", "3", topic]).await;
            let label = list
                .lines()
                .find(|l| l.starts_with('[') && l.to_lowercase().contains("tem giấy"))
                .expect("LSD article listed")
                .to_string();
            let n = label
                .trim_start_matches('[')
                .split(']')
                .next()
                .unwrap()
                .to_string();
            let mut page = c.say(&n).await;
            let mut pages = 1;
            while !page.contains(sources) {
                assert!(
                    page.contains(more),
                    "{}: page without more or sources: {page}",
                    db.label
                );
                page = c.say(more).await;
                pages += 1;
                assert!(pages < 10, "too many pages");
            }
            assert!(page.contains("2016"), "sources carry dates: {page}");
            assert!(page.contains(reviewed), "last reviewed date: {page}");
            assert!(page.contains("🛡"), "ends with a report shortcut: {page}");
            assert!(page.contains(related), "ends with related articles: {page}");
        }
        assert!(
            app.store
                .counter_total("article_view", Some("lsd-blotters"))
                .await
                .unwrap()
                >= 2
        );
    }
}

#[tokio::test]
async fn typing_words_finds_articles_ignoring_diacritics_best_first() {
    for db in common::all_dbs().await {
        let app = db.app().await;
        let c = Chatter::new(&app, "searcher");
        c.say("/menu").await;
        for (query, expect) in [
            ("tem giay", "tem giấy"),
            ("nuoc vui", "Nước vui"),
            ("vape", "E-cigarettes"),
            ("BONG CUOI", "N2O"),
        ] {
            let out = c.say(query).await;
            let first = out
                .lines()
                .find(|l| l.starts_with("[1]"))
                .unwrap_or_default();
            assert!(first.contains(expect), "{query:?} -> {out}");
            c.say("/menu").await;
        }
        let out = c.say("xyzzy plugh").await;
        assert!(
            out.contains("No article matched") && out.contains("Drugs and their harms"),
            "{out}"
        );
    }
}

#[tokio::test]
async fn a_class_quiz_has_ten_questions_explanations_a_score_and_class_stats() {
    for db in all_dbs().await {
        let app = db.app().await;
        for lang in [Lang::En, Lang::Vi] {
            let mut c = Chatter::new(&app, &format!("student-{lang}"));
            c.lang = Some(lang);
            let first = c.say("/quiz 10a1").await;
            assert!(first.contains("10A1"), "{first}");
            let mut explanations = 0;
            let mut last = String::new();
            for _ in 0..10 {
                last = c.say("2").await;
                explanations += last.matches("ℹ️").count();
            }
            assert_eq!(explanations, 10, "{}: every answer is explained", db.label);
            let score = if lang == Lang::En {
                "out of 10 right"
            } else {
                "/10 câu"
            };
            assert!(last.contains(score), "{last}");
            assert!(
                c.say("1").await.contains(if lang == Lang::En {
                    "Question 1/10"
                } else {
                    "Câu 1/10"
                }),
                "try again"
            );
        }
        let stats = app.store.quiz_stats(Some("10A1")).await.unwrap();
        assert_eq!(stats.len(), 1);
        assert_eq!(stats[0].attempts, 2, "{}", db.label);
        let answered: i64 = stats[0].questions.iter().map(|q| q.answered).sum();
        assert_eq!(answered, 20);
        assert!(stats[0].average_score >= 0.0 && stats[0].average_score <= 10.0);
        assert_eq!(
            app.store
                .counter_total("quiz_completed", Some("10A1"))
                .await
                .unwrap(),
            2
        );
    }
}

#[tokio::test]
async fn a_lower_secondary_class_gets_only_lower_secondary_questions() {
    let db = common::TestDb::sqlite();
    let app = db.app().await;
    let dir = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/locales"));
    let catalog = Catalog::load(dir, &tipline::content::HelpSource::Builtin).unwrap();
    for lang in Lang::ALL {
        let upper: Vec<&str> = catalog
            .lang(lang)
            .quiz
            .iter()
            .filter(|q| q.level == tipline::content::Level::Upper)
            .map(|q| q.text.as_str())
            .collect();
        assert!(!upper.is_empty());
        let mut c = Chatter::new(&app, &format!("grade9-{lang}"));
        c.lang = Some(lang);
        for round in 0..3 {
            let mut out = if round == 0 {
                c.say("/quiz 9b").await
            } else {
                c.say("1").await // try again
            };
            for _ in 0..10 {
                assert!(
                    !upper.iter().any(|t| out.contains(t)),
                    "a class 9B quiz asked an upper-secondary question: {out}"
                );
                out = c.say("1").await;
            }
        }
    }
}

#[tokio::test]
async fn help_lists_every_command_and_every_listed_command_works() {
    let db = common::TestDb::sqlite();
    let app = db.app().await;
    let commands = [
        "start",
        "menu",
        "report",
        "tip",
        "status",
        "cancel",
        "lang",
        "language",
        "privacy",
        "help",
        "learn",
        "topics",
        "quiz",
        "sos",
        "hotline",
        "subscribe",
        "dangky",
        "unsubscribe",
        "huydangky",
    ];
    for (lang, unknown) in [
        (Lang::Vi, "Tipline không có lệnh này"),
        (Lang::En, "Tipline has no such command"),
    ] {
        let mut c = Chatter::new(&app, &format!("helpreader-{lang}"));
        c.lang = Some(lang);
        let help = c.say("/help").await;
        for cmd in commands {
            assert!(
                help.contains(&format!("/{cmd}")),
                "{lang}: /{cmd} missing from {help}"
            );
        }
        assert!(help.contains("/quiz 10A1"), "{help}");
        for cmd in commands {
            let mut c = Chatter::new(&app, &format!("cmd-{cmd}-{lang}"));
            c.lang = Some(lang);
            let out = c.say(&format!("/{cmd}")).await;
            assert!(!out.contains(unknown), "/{cmd}: {out}");
        }
    }
}

#[tokio::test]
async fn help_shows_113_and_115_and_local_points_for_the_chosen_province() {
    for db in common::all_dbs().await {
        std::fs::write(
        db.data_dir().join("help-directory.toml"),
        format!(
            "{}\n[[local]]\nprovince_code = 75\nkind = \"counselling\"\nname_vi = \"Điểm tư vấn thử\"\nname_en = \"Test counselling point\"\naddress = \"1 Test St\"\nphone = \"0251 000 000\"\nhours_vi = \"T2–T6\"\nhours_en = \"Mon–Fri\"\nsource = \"PC04 test, by phone\"\nverified_on = \"2026-11-20\"\n",
            tipline::content::BUILTIN_HELP_DIRECTORY
        ),
    )
    .unwrap();
        let app = db.app().await;
        let c = Chatter::new(&app, "needs-help");
        let out = c.say_all(&["/menu", "Hotlines and support"]).await;
        assert!(
            out.contains("113") && out.contains("115") && out.contains("0769.04.04.04"),
            "{out}"
        );
        let out = c.say("Đồng Nai").await;
        assert!(
            out.contains("Test counselling point")
                && out.contains("0251 000 000")
                && out.contains("details verified on 2026-11-20"),
            "{out}"
        );
        let out = c.say_all(&["/sos", "Hà Nội"]).await;
        assert!(out.contains("No verified counselling"), "{out}");
    }
}

#[test]
fn no_article_page_exceeds_the_zalo_or_telegram_limit() {
    let dir = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/locales"));
    let c = Catalog::load(dir, &tipline::content::HelpSource::Builtin)
        .expect("shipped content is valid");
    for lang in Lang::ALL {
        for a in &c.lang(lang).articles {
            // Title on the first page, the sources footer on the last: as the engine renders them.
            let footer: usize = a
                .sources
                .iter()
                .map(|s| s.title.chars().count() + s.date.len() + 8)
                .sum::<usize>()
                + 80;
            let title = a.title.chars().count() + 6;
            for (i, p) in a.pages.iter().enumerate() {
                let extra = if i == 0 { title } else { 0 }
                    + if i + 1 == a.pages.len() { footer } else { 0 };
                assert!(
                    p.chars().count() + extra <= tipline::channels::split::ZALO_MAX_CHARS,
                    "{} page {i} too long",
                    a.id
                );
            }
            assert!(
                !a.sources.is_empty() && !a.last_reviewed.is_empty(),
                "{}",
                a.id
            );
        }
        // The floor: at least 26 articles and 60 quiz questions per language.
        assert!(c.lang(lang).articles.len() >= 26, "{lang}");
        assert!(c.lang(lang).quiz.len() >= 60, "{lang}");
    }
}
