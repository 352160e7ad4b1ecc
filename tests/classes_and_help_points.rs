//! Teachers' class codes and the help points admins keep (issue 21), through
//! the chat engine and the real HTTP server, on every configured database.
mod common;
mod dashboard_support;
mod support;

use dashboard_support::*;
use tipline::storage::officers::Role;

/// The code ("10A1-7KQ") and the results token in the bot's answer to `/lop`.
fn code_and_token(reply: &str) -> (String, String) {
    let code = reply
        .split_whitespace()
        .find(|w| w.starts_with("10A1-"))
        .unwrap_or_else(|| panic!("no class code in {reply:?}"))
        .to_string();
    let at = reply
        .find("/lop/")
        .unwrap_or_else(|| panic!("no link in {reply:?}"));
    let token: String = reply[at + 5..]
        .chars()
        .take_while(|c| c.is_ascii_hexdigit())
        .collect();
    assert_eq!(token.len(), 32, "{reply}");
    (code, token)
}

/// A student takes the quiz with `code`, always picking the first option;
/// returns how many answers the bot called right, counted by hand.
async fn take_quiz(run: &Running, student: &str, code: &str) -> u32 {
    chat(&run.state, student, &format!("/quiz {code}")).await;
    let mut right = 0;
    let mut last = String::new();
    for _ in 0..10 {
        last = chat(&run.state, student, "1").await;
        right += u32::from(last.starts_with("✅ Chính xác!"));
    }
    assert!(
        last.contains(&format!("đúng {right}/10 câu")),
        "{right} right, but {last:?}"
    );
    right
}

/// The text of the element carrying `data-tipline="<hook>"`.
fn hooked<'a>(html: &'a str, hook: &str) -> &'a str {
    let at = html
        .find(&format!("data-tipline=\"{hook}\""))
        .unwrap_or_else(|| panic!("no {hook} in {html}"));
    let start = at + html[at..].find('>').unwrap() + 1;
    let end = start + html[start..].find('<').unwrap();
    &html[start..end]
}

#[tokio::test]
async fn a_teacher_code_results_link_shows_its_class_and_no_other() {
    for db in common::all_dbs().await {
        let run = start(&db).await;
        let a = chat(&run.state, "teacher-a", "/lop 10a1").await;
        let b = chat(&run.state, "teacher-b", "/lop 10A1").await;
        let (code_a, token_a) = code_and_token(&a);
        let (code_b, token_b) = code_and_token(&b);
        assert_ne!(code_a, code_b, "two schools' 10A1 get different codes");
        assert_ne!(token_a, token_b);

        let scores_a = [
            take_quiz(&run, "student-1", &code_a).await,
            take_quiz(&run, "student-2", &code_a).await,
        ];
        let score_b = take_quiz(&run, "student-3", &code_b).await;
        // A bare "10A1" still works, and the student is told it may be shared.
        let shared = chat(&run.state, "student-4", "/quiz 10A1").await;
        assert!(shared.contains("trùng"), "{shared}");

        let client = client();
        let page = |token: String| {
            let client = client.clone();
            let url = format!("{}/lop/{token}", run.base);
            async move {
                let r = client.get(url).send().await.unwrap();
                (r.status().as_u16(), r.text().await.unwrap())
            }
        };
        let (status, html_a) = page(token_a.clone()).await;
        assert_eq!(status, 200, "{}", db.label);
        assert!(
            html_a.contains(&code_a) && !html_a.contains(&code_b),
            "{html_a}"
        );
        assert_eq!(hooked(&html_a, "class-attempts"), "2", "{}", db.label);
        let mean_a = f64::from(scores_a[0] + scores_a[1]) / 2.0;
        assert_eq!(hooked(&html_a, "class-mean"), format!("{mean_a:.1} / 10"));

        let (_, html_b) = page(token_b).await;
        assert!(html_b.contains(&code_b) && !html_b.contains(&code_a));
        assert_eq!(hooked(&html_b, "class-attempts"), "1");
        assert_eq!(
            hooked(&html_b, "class-mean"),
            format!("{:.1} / 10", f64::from(score_b))
        );

        // The missed questions are listed in words: each is a question of the bank.
        if scores_a.iter().any(|s| *s < 10) {
            let content = run.state.content.snapshot();
            let list = &html_a[html_a
                .find("data-tipline=\"class-missed\"")
                .expect("missed list")..];
            let first = &list[list.find("<li>").unwrap() + 4..];
            let first = first[..first.find(" <span").unwrap()].to_string();
            assert!(
                content
                    .vi
                    .quiz
                    .iter()
                    .any(|q| maud::html! { (q.text) }.into_string() == first),
                "{first:?} is not a question's text"
            );
        }

        // A wrong, malformed or expired link opens nothing.
        let wrong = format!("{:032x}", 7u128);
        assert_eq!(page(wrong).await.0, 404);
        assert_eq!(page("../../etc/passwd".into()).await.0, 404);
        let expired_hash = tipline::domain::quiz::class_token_hash(&"e".repeat(32));
        run.state
            .store
            .create_class("9B", &expired_hash, 1_000)
            .await
            .unwrap();
        let (status, html) = page("e".repeat(32)).await;
        assert_eq!(status, 404);
        assert!(html.contains("hết hạn"), "{html}");

        // An officer can issue a code for a school from the dashboard too, audited.
        add_officer(&run.state, "CA-26068", "lan", Role::Officer).await;
        let lan = login(&run, "lan").await;
        let (status, html) = lan.post("/classes", &[("label", "10a1")]).await;
        assert_eq!(status, 200);
        let (code_c, token_c) = code_and_token(hooked(&html, "class-issued"));
        assert!(code_c != code_a && code_c != code_b);
        assert_eq!(page(token_c).await.0, 200);
        let (_, bad) = lan.post("/classes", &[("label", "lớp 10A1 😀")]).await;
        assert!(bad.contains("tối đa 16 ký tự"), "{bad}");
        run.stop().await;
    }
}

#[tokio::test]
async fn an_admin_keeps_help_points_that_the_bot_shows_with_their_date() {
    for db in common::all_dbs().await {
        let run = start(&db).await;
        add_officer(&run.state, "CA-26068", "admin", Role::Admin).await;
        add_officer(&run.state, "CA-26068", "lan", Role::Officer).await;
        let admin = login(&run, "admin").await;
        let lan = login(&run, "lan").await;
        assert_eq!(lan.get_text("/admin/help").await.0, 403);

        let mut fields = vec![
            ("province_code", "75"),
            ("kind", "counselling"),
            ("name_vi", "Phòng tư vấn Tâm An"),
            ("name_en", "Tam An counselling room"),
            ("address", "12 Phạm Văn Thuận, Phường Tam Hiệp, Đồng Nai"),
            ("phone", "0251 3 000 000"),
            ("hours_vi", "Thứ 2 – Thứ 6, 7:30–17:00"),
            ("hours_en", "Mon–Fri, 7:30–17:00"),
            ("source", "PC04 Đồng Nai, gọi điện"),
            ("verified_on", ""),
        ];
        // No date: refused, and everything typed comes back.
        let (status, html) = admin.post("/admin/help", &fields).await;
        assert_eq!(status, 422, "{html}");
        assert!(
            html.contains("data-tipline=\"help-error\"") && html.contains("Phòng tư vấn Tâm An")
        );
        assert!(run.state.store.help_points().await.unwrap().is_empty());

        fields[9] = ("verified_on", "2026-11-20");
        assert_eq!(admin.post("/admin/help", &fields).await.0, 200);
        let sos = sos_dong_nai(&run).await;
        assert!(
            sos.contains("Phòng tư vấn Tâm An") && sos.contains("20/11/2026"),
            "{sos}"
        );

        let id = run.state.store.help_points().await.unwrap()[0].id;
        fields[2] = ("name_vi", "Phòng tư vấn Tâm An (cơ sở 2)");
        fields[9] = ("verified_on", "2026-12-01");
        assert_eq!(
            admin.post(&format!("/admin/help/{id}"), &fields).await.0,
            200
        );
        let sos = sos_dong_nai(&run).await;
        assert!(
            sos.contains("(cơ sở 2)") && sos.contains("01/12/2026"),
            "{sos}"
        );
        assert_eq!(
            lan.post(&format!("/admin/help/{id}/delete"), &[]).await.0,
            403
        );
        assert_eq!(
            admin.post(&format!("/admin/help/{id}/delete"), &[]).await.0,
            200
        );
        assert!(!sos_dong_nai(&run).await.contains("Tâm An"));

        let audit = run
            .state
            .store
            .audit_entries(&tipline::storage::dashboard::Scope::All, None, 50)
            .await
            .unwrap();
        let actions: Vec<&str> = audit.iter().map(|e| e.action.as_str()).collect();
        for a in ["help-add", "help-edit", "help-delete"] {
            assert_eq!(
                actions.iter().filter(|x| **x == a).count(),
                1,
                "{a} in {actions:?}"
            );
        }
        run.stop().await;
    }
}

async fn sos_dong_nai(run: &Running) -> String {
    chat(&run.state, "citizen", "/sos").await;
    chat(&run.state, "citizen", "Đồng Nai").await
}
