//! Statistics and the CSV report, on every configured database.
mod common;
mod dashboard_support;
mod support;

use dashboard_support::*;
use tipline::storage::dashboard::Scope;
use tipline::storage::officers::Role;

const DESCRIPTION: &str = "Nhà số 12 hẻm 4 có người bán ma túy đá mỗi tối sau 9 giờ.";

#[tokio::test]
async fn the_csv_counts_tips_by_category_status_and_resolution_as_stored() {
    for db in common::all_dbs().await {
        let run = start(&db).await;
        let s = &run.state;
        add_officer(s, "CA-26068", "lan", Role::Lead).await;
        let a = submit_tip(s, "r1", "dealing", 26068, DESCRIPTION).await;
        let b = submit_tip(s, "r2", "dealing", 26068, DESCRIPTION).await;
        submit_tip(
            s,
            "r3",
            "use_venue",
            26068,
            "Quán karaoke ở góc chợ có người dùng ma túy tập thể.",
        )
        .await;
        submit_tip(s, "r4", "dealing", 26080, DESCRIPTION).await; // another unit: not counted
        let o = login(&run, "lan").await;
        o.post(
            &format!("/tips/{}/status", a.id),
            &[("status", "closed"), ("resolution", "actioned")],
        )
        .await;
        o.post(&format!("/tips/{}/status", b.id), &[("status", "open")])
            .await;
        let r = o.get("/stats/export.csv").await;
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["content-type"], "text/csv; charset=utf-8");
        assert!(
            r.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .contains("tipline-CA-26068-")
        );
        let body = r.text().await.unwrap();
        let body = body.trim_start_matches('\u{feff}');
        let rows: Vec<Vec<String>> = csv::Reader::from_reader(body.as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect();
        let row = |cat: &str| {
            rows.iter()
                .find(|r| r[0] == cat)
                .unwrap_or_else(|| panic!("no row {cat}"))
                .clone()
        };
        // category, name, total, new, open, closed, actioned, unfounded, duplicate, spam
        assert_eq!(row("dealing")[1], "Mua bán");
        assert_eq!(
            row("dealing")[2..],
            ["2", "0", "1", "1", "1", "0", "0", "0"],
            "{}",
            db.label
        );
        assert_eq!(
            row("use_venue")[2..],
            ["1", "1", "0", "0", "0", "0", "0", "0"]
        );
        assert_eq!(
            row("trafficking")[2..],
            ["0", "0", "0", "0", "0", "0", "0", "0"]
        );
        assert_eq!(row("total")[2..], ["3", "1", "1", "1", "1", "0", "0", "0"]);
        assert_eq!(rows.len(), 9, "8 categories and a total");
        // Against storage: the totals are what the database holds for the unit.
        let counts = s
            .store
            .category_status_counts(
                &tipline::storage::scope::Area::Unit("CA-26068".into()),
                0,
                i64::MAX,
            )
            .await
            .unwrap();
        assert_eq!(counts.iter().map(|c| c.n).sum::<i64>(), 3);
        let audit = s
            .store
            .audit_entries(&Scope::Unit("CA-26068".into()), None, 10)
            .await
            .unwrap();
        assert_eq!(audit[0].action, "export", "exports are audited");
        run.stop().await;
    }
}

#[tokio::test]
async fn the_statistics_page_draws_svg_charts_from_stored_data() {
    for db in common::all_dbs().await {
        let run = start(&db).await;
        add_officer(&run.state, "CA-26068", "admin", Role::Admin).await;
        let t = submit_tip(&run.state, "r1", "dealing", 26068, DESCRIPTION).await;
        let o = login(&run, "admin").await;
        o.post(
            &format!("/tips/{}/status", t.id),
            &[("status", "closed"), ("resolution", "unfounded")],
        )
        .await;
        let (code, html) = o.get_text("/stats").await;
        assert_eq!(code, 200);
        assert!(html.contains("1 tin báo đã nhận") && html.contains("tất cả đơn vị"));
        for name in ["weekly", "status", "response", "awareness"] {
            assert!(
                html.contains(&format!("/stats/chart/{name}.svg?")),
                "{name} chart linked"
            );
            let r = o.get(&format!("/stats/chart/{name}.svg")).await;
            assert_eq!(r.status(), 200);
            assert_eq!(r.headers()["content-type"], "image/svg+xml");
            let svg = r.text().await.unwrap();
            assert!(svg.starts_with("<svg"), "{name}");
            match name {
                "weekly" => assert!(
                    svg.contains("Mua bán"),
                    "the category with data has a series"
                ),
                "status" => assert!(svg.contains("Không có cơ sở")),
                // No awareness counters table on this branch: an empty chart, not an error.
                "awareness" => assert!(svg.contains("Không có dữ liệu")),
                _ => {}
            }
        }
        // Once the awareness side has counted something, that chart has data.
        record_article_views(
            &db.url,
            &tipline::domain::time::vn_day(tipline::bot::now_ms()),
            7,
        )
        .await;
        let svg = o
            .get("/stats/chart/awareness.svg")
            .await
            .text()
            .await
            .unwrap();
        assert!(
            !svg.contains("Không có dữ liệu") && svg.contains("Lượt đọc bài"),
            "{}",
            db.label
        );
        assert_eq!(o.get("/stats/chart/nope.svg").await.status(), 404);
        let (_, html) = o.get_text("/stats?unit=CA-26080").await;
        assert!(
            html.contains("0 tin báo đã nhận"),
            "an admin can narrow to one unit"
        );
        run.stop().await;
    }
}

/// Fixture rows in the awareness side's anonymous counters table (migration 0002).
async fn record_article_views(url: &str, day: &str, n: i64) {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(url).await.unwrap();
    sqlx::query("INSERT INTO daily_counters (day, kind, lang, subject, n) VALUES ($1, 'article_view', 'vi', 'meth', $2)")
        .bind(day)
        .bind(n)
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
}
