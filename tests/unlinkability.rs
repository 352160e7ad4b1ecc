//! A copy of the database cannot join a person to a tip (issue 13): after
//! the scripted conversations, no integer column outside the tip tables holds
//! a tip's or event's time, no session names a tip, and a cancelled draft
//! left nothing behind. Tables and columns are found generically, so a table
//! added later is checked too.
mod common;

use std::collections::{BTreeSet, HashMap};

use common::all_dbs;
use common::scripted::{CANCELLED_PHOTO, CANCELLED_PHRASE, Script};
use sqlx::{AnyPool, Row};
use tipline::domain::receipt::Receipt;

/// Tables whose times are the tip's own: they may hold tip and event times.
const TIP_TABLES: &[&str] = &["tips", "tip_events", "ledger", "attachments", "purged_tips"];

async fn pool(url: &str) -> AnyPool {
    sqlx::any::install_default_drivers();
    AnyPool::connect(url).await.expect("connect")
}

/// Every (table, integer column) of the schema, from the catalog itself.
async fn integer_columns(pool: &AnyPool, sqlite: bool) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if sqlite {
        let tables = sqlx::query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        )
        .fetch_all(pool)
        .await
        .unwrap();
        for t in tables {
            let table: String = t.get(0);
            let sql = format!("SELECT name, type FROM pragma_table_info('{table}')");
            for c in sqlx::query(&sql).fetch_all(pool).await.unwrap() {
                let ty: String = c.get(1);
                if ty.to_uppercase().contains("INT") {
                    out.push((table.clone(), c.get(0)));
                }
            }
        }
    } else {
        let sql = "SELECT CAST(table_name AS TEXT), CAST(column_name AS TEXT) FROM information_schema.columns \
                   WHERE table_schema = 'public' AND data_type IN ('bigint', 'integer', 'smallint')";
        for c in sqlx::query(sql).fetch_all(pool).await.unwrap() {
            out.push((c.get(0), c.get(1)));
        }
    }
    assert!(
        out.iter().any(|(t, _)| t == "sessions"),
        "catalog read: {out:?}"
    );
    out
}

async fn column_values(pool: &AnyPool, table: &str, column: &str) -> Vec<i64> {
    let sql = format!("SELECT CAST({column} AS BIGINT) FROM {table} WHERE {column} IS NOT NULL");
    sqlx::query(&sql)
        .fetch_all(pool)
        .await
        .unwrap()
        .iter()
        .map(|r| r.get::<i64, _>(0))
        .collect()
}

/// Stored times of tips, events and ledger entries.
async fn tip_times(pool: &AnyPool) -> BTreeSet<i64> {
    let mut times = BTreeSet::new();
    for (table, column) in [
        ("tips", "created_at"),
        ("tips", "updated_at"),
        ("tip_events", "created_at"),
        ("ledger", "created_at"),
    ] {
        times.extend(column_values(pool, table, column).await);
    }
    times
}

#[tokio::test]
async fn no_integer_column_outside_the_tip_tables_holds_a_tip_or_event_time() {
    for db in all_dbs().await {
        let app = db.app().await;
        Script::new(&app).run_all().await;
        let pool = pool(&db.url).await;
        let times = tip_times(&pool).await;
        // 3 tips, one follow-up, one officer reply.
        assert!(times.len() >= 3, "{}: {times:?}", db.label);
        let mut links: HashMap<String, Vec<i64>> = HashMap::new();
        let columns = integer_columns(&pool, db.label == "sqlite").await;
        for (table, column) in &columns {
            if TIP_TABLES.contains(&table.as_str()) {
                continue;
            }
            for v in column_values(&pool, table, column).await {
                if times.contains(&v) {
                    links
                        .entry(format!("{table}.{column}"))
                        .or_default()
                        .push(v);
                }
            }
        }
        assert!(
            links.is_empty(),
            "{}: tip times found in {links:?}",
            db.label
        );
        // Session states are text: no tip time hides in them either.
        for state in app.store.session_states().await.unwrap() {
            for t in &times {
                assert!(!state.contains(&t.to_string()), "{}: {state}", db.label);
            }
        }
    }
}

#[tokio::test]
async fn no_session_names_a_tip_after_submit_status_or_follow_up() {
    for db in all_dbs().await {
        let app = db.app().await;
        let outcome = Script::new(&app).run_all().await;
        let states = app.store.session_states().await.unwrap();
        assert!(states.len() >= 6, "{}: {states:?}", db.label);
        let mut names: Vec<String> = outcome.references.clone();
        for r in &outcome.receipts {
            let parsed = Receipt::parse(r).expect("receipt");
            names.extend([
                r.clone(),
                parsed.display(),
                parsed.hash(),
                r.replace('-', ""),
            ]);
        }
        for state in &states {
            assert!(!state.contains("tip_id"), "{}: {state}", db.label);
            for name in &names {
                assert!(
                    !state.contains(name.as_str()),
                    "{}: {name} in {state}",
                    db.label
                );
            }
        }
    }
}

#[tokio::test]
async fn cancel_deletes_the_draft_text_and_its_photo_at_once() {
    for db in all_dbs().await {
        let app = db.app().await;
        Script::new(&app).run_all().await;
        for state in app.store.session_states().await.unwrap() {
            assert!(!state.contains(CANCELLED_PHRASE), "{}: {state}", db.label);
        }
        let pool = pool(&db.url).await;
        let left = sqlx::query("SELECT COUNT(*) FROM attachments WHERE id = $1")
            .bind(CANCELLED_PHOTO)
            .fetch_one(&pool)
            .await
            .unwrap()
            .get::<i64, _>(0);
        assert_eq!(left, 0, "{}: the cancelled draft's photo is gone", db.label);
    }
}
