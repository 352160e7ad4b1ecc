//! Period reports (issue 19): a report over a seeded month matches, number by
//! number, what the test created, in JSON, CSV and HTML alike; campaign
//! uplift equals a hand count; small cells are suppressed on request; a
//! closed tip's outcome is in the report and in `ledger verify`; bad periods
//! and areas get a clear answer; the CLI gives the same JSON.
mod common;
mod dashboard_support;
mod reports_support;
mod support;

use std::collections::BTreeMap;

use dashboard_support::*;
use reports_support::seed;
use serde_json::{Value, json};
use tipline::privacy::ledger::VerifyOutcome;
use tipline::storage::officers::Role;

const JUNE: &str = "from=2026-06-01&to=2026-06-30";

/// (section, key, sub) -> value, from the CSV.
fn csv_figures(csv: &str) -> BTreeMap<(String, String, String), String> {
    let mut r = ::csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            (
                (rec[0].to_string(), rec[1].to_string(), rec[2].to_string()),
                rec[3].to_string(),
            )
        })
        .collect()
}

/// The text of the HTML cell whose data-k is `section|key|sub`.
fn html_figure(html: &str, k: &(String, String, String)) -> Option<String> {
    let needle = format!("data-k=\"{}|{}|{}\">", k.0, k.1, k.2);
    let i = html.find(&needle)? + needle.len();
    Some(html[i..].split('<').next()?.replace("&lt;", "<"))
}

fn fig<'a>(
    f: &'a BTreeMap<(String, String, String), String>,
    s: &str,
    k: &str,
    sub: &str,
) -> &'a str {
    f.get(&(s.into(), k.into(), sub.into()))
        .unwrap_or_else(|| panic!("no figure {s}|{k}|{sub}"))
}

/// Fetches the report in all three formats and checks CSV and HTML against each other.
async fn fetch(o: &Officer, query: &str) -> (Value, BTreeMap<(String, String, String), String>) {
    let (code, body) = o
        .get_text(&format!("/reports/export?{query}&format=json"))
        .await;
    assert_eq!(code, 200, "{body}");
    let json: Value = serde_json::from_str(&body).unwrap();
    let (_, csv) = o
        .get_text(&format!("/reports/export?{query}&format=csv"))
        .await;
    let figures = csv_figures(&csv);
    let (code, html) = o.get_text(&format!("/reports/view?{query}")).await;
    assert_eq!(code, 200);
    let (_, file) = o
        .get_text(&format!("/reports/export?{query}&format=html"))
        .await;
    for (k, v) in &figures {
        assert_eq!(
            html_figure(&html, k).as_deref(),
            Some(v.as_str()),
            "HTML page differs from CSV at {k:?}"
        );
        assert_eq!(
            html_figure(&file, k).as_deref(),
            Some(v.as_str()),
            "HTML file differs from CSV at {k:?}"
        );
    }
    (json, figures)
}

#[tokio::test]
async fn a_report_over_a_seeded_month_matches_what_the_test_created() {
    for db in common::all_dbs().await {
        let run = start(&db).await;
        let s = &run.state;
        let lead = add_officer(s, "CA-26068", "truong26068", Role::Lead).await;
        let pc04 = add_officer(s, "PC04-75", "giamsat75", Role::Supervisor).await;
        add_officer(s, "CA-26068", "admin", Role::Admin).await;
        let lead = s.store.officer(lead).await.unwrap().unwrap();
        let pc04 = s.store.officer(pc04).await.unwrap().unwrap();
        let seeded = seed(s, &lead, &pc04).await;
        let sup = login(&run, "giamsat75").await;
        let (j, f) = fetch(&sup, &format!("{JUNE}&province=75")).await;
        let label = db.label;

        // I. Tips received in Đồng Nai in June: 9 in 26068, 1 in 26080.
        assert_eq!(j["tips"]["total"], 10, "{label}");
        assert_eq!(fig(&f, "tips", "total", ""), "10");
        let cats = &j["tips"]["by_category"];
        assert_eq!(
            (
                cats["dealing"].clone(),
                cats["use_venue"].clone(),
                cats["trafficking"].clone()
            ),
            (json!(7), json!(2), json!(1))
        );
        assert_eq!(cats["production"], 0);
        assert_eq!(fig(&f, "tips_by_category", "dealing", ""), "7");
        assert_eq!(
            j["tips"]["by_channel"],
            json!({"console": 9, "telegram": 1})
        );
        let wards = j["tips"]["by_ward"].as_array().unwrap();
        assert_eq!(wards.len(), 2);
        assert_eq!(wards[0]["ward_code"], 26068);
        assert_eq!(wards[0]["total"], 9);
        assert_eq!(
            wards[0]["by_category"]["use_venue"], 2,
            "without suppression small cells are shown"
        );
        assert_eq!(fig(&f, "tips_by_ward", "26080", "dealing"), "1");
        // II. Status, medians (1 h, 3 h, 10 h and 5 h, 3 h, 10 h), outcomes.
        assert_eq!(fig(&f, "tips_by_status", "new", ""), "7");
        assert_eq!(fig(&f, "tips_by_status", "closed", "actioned"), "2");
        assert_eq!(fig(&f, "tips_by_status", "closed", "spam"), "1");
        assert_eq!(j["tips"]["median_first_response_hours"], 3.0);
        assert_eq!(j["tips"]["median_close_hours"], 5.0);
        let o = &j["outcomes"];
        assert_eq!(
            (
                o["actioned"].clone(),
                o["with_outcome"].clone(),
                o["direct"].clone(),
                o["corroboration"].clone()
            ),
            (json!(2), json!(2), json!(1), json!(1)),
            "{label}"
        );
        assert_eq!(
            (
                o["cases_opened"].clone(),
                o["detained"].clone(),
                o["venues_closed"].clone()
            ),
            (json!(1), json!(3), json!(1))
        );
        assert_eq!(fig(&f, "seized", "methamphetamine", "g"), "12.5");
        assert_eq!(fig(&f, "seized", "heroin", "kg"), "0.5");
        // III. Awareness: 2 views of a substances article and 1 of a retired one;
        // quizzes 7+9 of 20 in 10A1 and 5 of 10 without a class.
        assert_eq!(fig(&f, "article_views", "substances", ""), "2");
        assert_eq!(fig(&f, "article_views", "other", ""), "1");
        assert_eq!(fig(&f, "quiz", "10A1", "completions"), "2");
        assert_eq!(fig(&f, "quiz", "10A1", "mean_score_percent"), "80");
        assert_eq!(fig(&f, "quiz", "", "mean_score_percent"), "50");
        assert_eq!(
            j["awareness"]["deliveries"],
            json!({"telegram": {"pending": 3}})
        );
        assert_eq!(j["awareness"]["subscriptions"], json!({"telegram": 3}));
        // V. Weeks from 1 June: 5, 3, 2, 0, 0; last June: 1 tip.
        let weeks: Vec<i64> = j["weekly"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["total"].as_i64().unwrap())
            .collect();
        assert_eq!(weeks, vec![5, 3, 2, 0, 0], "{label}");
        assert_eq!(j["last_year"]["total"], 1);
        assert_eq!(fig(&f, "last_year", "dealing", ""), "1");

        // IV. Uplift by hand: Đồng Nai 3 tips before, 2 after; Hà Nội (9 vs 3
        // tips in the 28 days before, nearer than Đà Nẵng's 1) 3 before, 1 after.
        let c = format!("{}", seeded.campaign_id);
        assert_eq!(j["campaigns"][0]["targeted_provinces"], json!([75]));
        assert_eq!(
            j["campaigns"][0]["matched_provinces"],
            json!([1]),
            "{label}"
        );
        assert_eq!(
            fig(&f, "uplift", &format!("{c}:targeted_before"), "total"),
            "3"
        );
        assert_eq!(
            fig(&f, "uplift", &format!("{c}:targeted_before"), "trafficking"),
            "1"
        );
        assert_eq!(
            fig(&f, "uplift", &format!("{c}:targeted_after"), "total"),
            "2"
        );
        assert_eq!(
            fig(&f, "uplift", &format!("{c}:matched_before"), "dealing"),
            "3"
        );
        assert_eq!(
            fig(&f, "uplift", &format!("{c}:matched_after"), "total"),
            "1"
        );

        // The whole country, for an admin: 10 + 2 (Đà Nẵng) + 4 (Hà Nội).
        let admin = login(&run, "admin").await;
        let (all, _) = fetch(&admin, JUNE).await;
        assert_eq!(all["tips"]["total"], 16, "{label}");
        assert_eq!(all["awareness"]["subscriptions"], json!({"telegram": 5}));

        // The outcomes are in the ledger, which verifies.
        for tip in [seeded.actioned_ward, seeded.actioned_pc04] {
            let events = s.store.tip_timeline(tip).await.unwrap();
            assert!(events.iter().any(|e| e.kind == "outcome"), "{label}");
        }
        assert!(matches!(
            s.store.verify_ledger().await.unwrap(),
            VerifyOutcome::Intact { .. }
        ));

        // The command line gives the same JSON.
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_tipline"))
            .arg("--data-dir")
            .arg(db.data_dir())
            .args([
                "--database-url",
                &db.url,
                "report",
                "--from",
                "2026-06-01",
                "--to",
                "2026-06-30",
                "--province",
                "75",
                "--format",
                "json",
            ])
            .env(
                "TIPLINE_CONTENT_DIR",
                concat!(env!("CARGO_MANIFEST_DIR"), "/locales"),
            )
            .env("RUST_LOG", "warn")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let cli: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(cli, j, "{label}: the CLI and the dashboard disagree");
        run.stop().await;
    }
}

#[tokio::test]
async fn small_cells_are_suppressed_when_the_export_asks_and_bad_requests_are_refused_clearly() {
    for db in common::all_dbs().await {
        let run = start(&db).await;
        let s = &run.state;
        let lead = add_officer(s, "CA-26068", "truong26068", Role::Lead).await;
        let pc04 = add_officer(s, "PC04-75", "giamsat75", Role::Supervisor).await;
        let lead = s.store.officer(lead).await.unwrap().unwrap();
        let pc04 = s.store.officer(pc04).await.unwrap().unwrap();
        seed(s, &lead, &pc04).await;
        let sup = login(&run, "giamsat75").await;
        let (j, f) = fetch(&sup, &format!("{JUNE}&province=75&suppress=1")).await;
        let w = &j["tips"]["by_ward"];
        assert_eq!(
            w[0]["by_category"]["dealing"], 6,
            "{}: 6 is shown",
            db.label
        );
        assert_eq!(w[0]["by_category"]["use_venue"], "<5");
        assert_eq!(w[0]["by_category"]["trafficking"], "<5");
        assert_eq!(w[0]["by_category"]["production"], 0, "zero stays zero");
        assert_eq!(w[1]["total"], "<5");
        assert_eq!(fig(&f, "tips_by_ward", "26068", "use_venue"), "<5");
        assert_eq!(fig(&f, "tips_by_ward", "26080", "total"), "<5");
        // A single ward's own report is a ward-by-category table too.
        let (ward, _) = fetch(&sup, &format!("{JUNE}&unit=CA-26068&suppress=1")).await;
        assert_eq!(ward["tips"]["by_category"]["use_venue"], "<5");
        assert_eq!(ward["tips"]["by_category"]["dealing"], 6);

        for (query, text) in [
            (
                "from=2026-06-30&to=2026-06-01",
                "Ngày bắt đầu sau ngày kết thúc",
            ),
            ("from=2016-06-01&to=2026-06-01", "tối đa 366 ngày"),
            ("from=2026-06-01&to=2026-06-31", "YYYY-MM-DD"),
            (
                "from=2026-06-01&to=2026-06-30&unit=CA-99999",
                "Mã đơn vị không hợp lệ",
            ),
            (
                "from=2026-06-01&to=2026-06-30&province=99",
                "Mã tỉnh không hợp lệ",
            ),
        ] {
            let (code, html) = sup.get_text(&format!("/reports/view?{query}")).await;
            assert_eq!(code, 400, "{query}");
            assert!(html.contains(text), "{query}: {html}");
        }
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_tipline"))
            .arg("--data-dir")
            .arg(db.data_dir())
            .args([
                "--database-url",
                &db.url,
                "report",
                "--from",
                "2026-06-30",
                "--to",
                "2026-06-01",
            ])
            .env(
                "TIPLINE_CONTENT_DIR",
                concat!(env!("CARGO_MANIFEST_DIR"), "/locales"),
            )
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains("start date is after the end date"));
        run.stop().await;
    }
}
