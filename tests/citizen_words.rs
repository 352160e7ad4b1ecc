//! Citizens in their own words (issue 21), through the runtime like the
//! console, each on a fresh user, in Vietnamese and English.
mod common;

use std::collections::BTreeSet;

use common::all_dbs;
use common::chat::{Chatter, DESCRIPTION, render};
use tipline::conversation::{Input, Reply};
use tipline::domain::area::Areas;
use tipline::i18n::Lang;

fn chatter(app: &std::sync::Arc<tipline::app::AppState>, user: &str, lang: Lang) -> Chatter {
    let mut c = Chatter::new(app, user);
    c.lang = Some(lang);
    c
}

/// Ward option labels of the last reply that offers options.
fn ward_options(replies: &[Reply]) -> BTreeSet<String> {
    replies
        .iter()
        .rev()
        .find(|r| !r.options.is_empty())
        .map(|r| {
            r.options
                .iter()
                .filter(|o| o.id.starts_with("ward:"))
                .map(|o| o.label.clone())
                .collect()
        })
        .unwrap_or_default()
}

/// The new wards an old district became, as labels, read from the shipped mapping.
fn wards_of_old_district(district: &str) -> BTreeSet<String> {
    let areas = Areas::builtin().expect("areas");
    let mut rdr = csv::Reader::from_reader(tipline::domain::area::FORMER_UNITS_CSV.as_bytes());
    rdr.records()
        .map(|r| r.expect("row"))
        .filter(|r| &r[3] == district && &r[1] == "Thành phố Hồ Chí Minh")
        .filter_map(|r| {
            areas.ward_label(tipline::domain::area::WardCode(r[6].parse().expect("code")))
        })
        .collect()
}

async fn text(c: &Chatter, line: &str) -> Vec<Reply> {
    c.input(Input::Text(line.to_string())).await
}

#[tokio::test]
async fn quan_1_offers_exactly_its_new_wards_and_picking_one_routes_there() {
    let expected = wards_of_old_district("Quận 1");
    assert_eq!(expected.len(), 4);
    for db in all_dbs().await {
        let app = db.app().await;
        for (lang, user) in [(Lang::Vi, "q1-vi"), (Lang::En, "q1-en")] {
            let c = chatter(&app, user, lang);
            c.say_all(&["/report", "1"]).await;
            let replies = text(&c, "quan 1").await;
            assert_eq!(ward_options(&replies), expected, "{}", db.label);
            let shown = render(&replies);
            assert!(
                shown.contains("Hồ Chí Minh (") && shown.contains("Quận 1"),
                "{shown}"
            );
            // Pick "Phường Bến Thành" by its label, then finish the report.
            c.say_all(&["Phường Bến Thành, Hồ Chí Minh", "1", DESCRIPTION, "1"])
                .await;
        }
        let ben_thanh = app.areas.search("phuong ben thanh", 1)[0];
        let code = app.areas.hit_wards(ben_thanh)[0];
        let queue = app
            .store
            .queue(&format!("CA-{}", code.0), 10)
            .await
            .unwrap();
        assert_eq!(queue.len(), 2, "{}", db.label);
        assert!(queue.iter().all(|t| t.ward_code == Some(code.0 as i64)));
    }
}

#[tokio::test]
async fn thu_duc_offers_the_new_wards_of_the_former_city_not_one_ward() {
    let expected = wards_of_old_district("Thành phố Thủ Đức");
    assert!(expected.len() > 1);
    for db in all_dbs().await {
        let app = db.app().await;
        for (lang, user) in [(Lang::Vi, "td-vi"), (Lang::En, "td-en")] {
            let c = chatter(&app, user, lang);
            c.say_all(&["/report", "1"]).await;
            let got = ward_options(&text(&c, "Thu Duc").await);
            assert!(
                got.is_superset(&expected),
                "missing {:?}",
                expected.difference(&got)
            );
        }
    }
}

#[tokio::test]
async fn misspelt_bien_hoa_still_finds_phuong_bien_hoa_and_tphcm_offers_the_province() {
    for db in all_dbs().await {
        let app = db.app().await;
        for (lang, user) in [(Lang::Vi, "bh-vi"), (Lang::En, "bh-en")] {
            for (i, typed) in ["bienhoa", "bien hao"].into_iter().enumerate() {
                let c = chatter(&app, &format!("{user}-{i}"), lang);
                c.say_all(&["/report", "1"]).await;
                let out = c.say(typed).await;
                assert!(
                    out.contains("[1] Phường Biên Hòa, Đồng Nai"),
                    "{typed}: {out}"
                );
            }
            let c = chatter(&app, &format!("{user}-hcm"), lang);
            c.say_all(&["/report", "1"]).await;
            let replies = text(&c, "tphcm").await;
            let last = replies
                .iter()
                .rev()
                .find(|r| !r.options.is_empty())
                .unwrap();
            assert!(
                last.options.iter().any(|o| o.id == "prov:79"),
                "{}",
                render(&replies)
            );
        }
    }
}

#[tokio::test]
async fn a_report_typed_as_the_first_message_is_offered_as_a_report_and_keeps_the_text() {
    let tips = [
        (
            Lang::Vi,
            "có người bán ma túy ở hẻm 5 đường Nguyễn Ái Quốc, tối nào cũng có",
        ),
        (
            Lang::En,
            "I want to report a man selling pills outside the night market gate",
        ),
    ];
    for db in all_dbs().await {
        let app = db.app().await;
        for (i, (lang, tip)) in tips.into_iter().enumerate() {
            let c = chatter(&app, &format!("first-{i}"), lang);
            let out = c.say(tip).await;
            assert!(out.contains("[1] ✅"), "{out}");
            let out = c.say("1").await;
            assert!(out.contains("1/5") || out.contains("Step 1"), "{out}");
            let out = c.say_all(&["1", "bien hoa", "1", "1"]).await;
            assert!(out.contains(tip), "the review shows the kept text: {out}");
            c.say("1").await;
        }
        let queue = app.store.queue("CA-26068", 10).await.unwrap();
        assert_eq!(queue.len(), 2, "{}", db.label);
        for (_, tip) in tips {
            assert!(queue.iter().any(|t| t.description == tip), "{tip}");
        }
    }
}

#[tokio::test]
async fn huy_mid_flow_cancels_and_stores_nothing() {
    for db in all_dbs().await {
        let app = db.app().await;
        for (lang, user, word) in [(Lang::Vi, "huy-vi", "huỷ"), (Lang::En, "huy-en", "cancel")] {
            let c = chatter(&app, user, lang);
            c.say_all(&["/report", "1", "bien hoa", "1"]).await;
            let out = c.say(word).await;
            assert!(!out.contains("Ketamine"), "{out}");
            let again = c.say("/report").await;
            assert!(
                !again.contains("resumed") && !again.contains("tiếp tục"),
                "{again}"
            );
        }
        assert_eq!(app.store.count_tips().await.unwrap(), 0);
    }
}

#[tokio::test]
async fn a_time_in_words_is_accepted_kept_as_said_and_mapped() {
    for db in all_dbs().await {
        let app = db.app().await;
        for (lang, user, said) in [
            (Lang::Vi, "when-vi", "tối qua khoảng 10 giờ"),
            (Lang::En, "when-en", "yesterday night"),
        ] {
            let c = chatter(&app, user, lang);
            let out = c.say_all(&["/report", "1", "bien hoa", "1", said]).await;
            assert!(out.contains(&format!("“{said}”")), "{out}");
            assert!(out.contains("4/5"), "moves on to the description: {out}");
            c.say_all(&[DESCRIPTION, "1"]).await;
        }
        let queue = app.store.queue("CA-26068", 10).await.unwrap();
        assert_eq!(queue.len(), 2);
        assert!(
            queue.iter().all(|t| t.when_seen == "this_week"),
            "{}",
            db.label
        );
        assert!(
            queue
                .iter()
                .any(|t| t.description.contains("tối qua khoảng 10 giờ"))
        );
        // Not understood is kept too, never rejected.
        let c = chatter(&app, "when-odd", Lang::Vi);
        let out = c
            .say_all(&["/report", "1", "bien hoa", "1", "hồi mưa to đó"])
            .await;
        assert!(
            out.contains("“hồi mưa to đó”") && out.contains("4/5"),
            "{out}"
        );
    }
}

#[tokio::test]
async fn a_shared_location_near_bien_hoa_suggests_the_ward_and_needs_confirmation() {
    for db in all_dbs().await {
        let app = db.app().await;
        for (lang, user) in [(Lang::Vi, "loc-vi"), (Lang::En, "loc-en")] {
            let c = chatter(&app, user, lang);
            c.say_all(&["/report", "1"]).await;
            let replies = c
                .input(Input::Location {
                    lat: 10.9351,
                    lon: 106.8012,
                })
                .await;
            let out = render(&replies);
            assert!(out.contains("Phường Biên Hòa, Đồng Nai?"), "{out}");
            // Not routed yet: the question is still where.
            assert!(!out.contains("3/5"), "{out}");
            let out = c.say("1").await;
            assert!(out.contains("3/5"), "{out}");
            c.say_all(&["1", DESCRIPTION, "1"]).await;
        }
        let queue = app.store.queue("CA-26068", 10).await.unwrap();
        assert_eq!(queue.len(), 2, "{}", db.label);
        // 0,0 is answered and the search stays open.
        let c = chatter(&app, "loc-zero", Lang::En);
        c.say_all(&["/report", "1"]).await;
        let out = render(&c.input(Input::Location { lat: 0.0, lon: 0.0 }).await);
        assert!(out.contains("0,0") && out.contains("Step 2/5"), "{out}");
    }
}

#[tokio::test]
async fn odd_place_names_get_a_clear_answer_and_a_way_forward() {
    for db in all_dbs().await {
        let app = db.app().await;
        let c = chatter(&app, "odd", Lang::En);
        c.say_all(&["/report", "1"]).await;
        for odd in [
            "x".repeat(2000),
            "🙂🙂🙂".to_string(),
            "Biên Hòa Бийн 边和".to_string(),
        ] {
            let out = c.say(&odd).await;
            assert!(out.contains("I don't know the ward"), "{out}");
            assert!(out.len() < 3000, "not echoed back whole");
        }
        let out = c.say("bien hoa").await;
        assert!(out.contains("Phường Biên Hòa"), "{}: {out}", db.label);
    }
}

#[tokio::test]
async fn sos_in_every_province_shows_at_least_the_national_layer() {
    for db in all_dbs().await {
        let app = db.app().await;
        let provinces: Vec<String> = app
            .areas
            .provinces()
            .map(|p| tipline::domain::area::short_province(&p.name).to_string())
            .collect();
        assert_eq!(provinces.len(), 34);
        for (lang, user) in [(Lang::Vi, "sos-vi"), (Lang::En, "sos-en")] {
            let c = chatter(&app, user, lang);
            for province in &provinces {
                c.say("/sos").await;
                let out = c.say(province).await;
                for number in ["113", "115", "111", "0769.04.04.04"] {
                    assert!(out.contains(number), "{}: {province}: {out}", db.label);
                }
                assert!(out.contains("methadone"), "{province}: {out}");
            }
        }
    }
}
