//! The figures of a period report, counted in SQL so that a report over a
//! million tips costs a few grouped scans and no more memory than its
//! answer. Tip figures count an [`Area`] (a unit's own tips, a province's,
//! or all) over tips received in `[from_ms, to_ms)`; outcomes count tips
//! closed as actioned in that window. Awareness figures come from the
//! anonymous counters, campaign uplift from the tips around each campaign.
use sqlx::Row;

use super::dashboard::{Arg, Args};
use super::scope::Area;
use super::stats::WEEK_MS;
use super::{Result, Store};

pub mod awareness;
pub mod outcomes;
pub mod uplift;

/// What a report counts: an area and a half-open window of unix ms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    pub area: Area,
    pub from_ms: i64,
    pub to_ms: i64,
}

impl Window {
    /// The condition on `tips t` for tips received in the window.
    fn received(&self, args: &mut Args) -> String {
        format!(
            "t.created_at >= {} AND t.created_at < {} AND {}",
            args.push(Arg::I(self.from_ms)),
            args.push(Arg::I(self.to_ms)),
            self.area.condition("t.", args)
        )
    }
}

/// A count keyed by one or two stored values (category, channel, ward...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keyed {
    pub key: String,
    pub sub: Option<String>,
    pub n: i64,
}

impl Store {
    /// Counts of tips received in the window, grouped by `columns` (one or
    /// two of the tip columns named here; anything else is refused).
    async fn grouped(&self, w: &Window, columns: &[&str]) -> Result<Vec<Keyed>> {
        const ALLOWED: [&str; 5] = ["category", "channel", "ward_code", "status", "resolution"];
        debug_assert!(columns.iter().all(|c| ALLOWED.contains(c)));
        let cols: Vec<String> = columns
            .iter()
            .filter(|c| ALLOWED.contains(c))
            .map(|c| format!("t.{c}"))
            .collect();
        let mut args = Args::default();
        let cond = w.received(&mut args);
        let list = cols.join(", ");
        let sql = format!(
            "SELECT {list}, COUNT(*) AS n FROM tips t WHERE {cond} GROUP BY {list} ORDER BY {list}"
        );
        let rows = args.bind(sqlx::query(&sql)).fetch_all(&self.pool).await?;
        Ok(rows
            .iter()
            .map(|r| Keyed {
                key: text_of(r, columns[0]),
                sub: columns.get(1).map(|c| text_of(r, c)),
                n: r.get("n"),
            })
            .collect())
    }

    pub async fn report_by_category(&self, w: &Window) -> Result<Vec<Keyed>> {
        self.grouped(w, &["category"]).await
    }

    pub async fn report_by_channel(&self, w: &Window) -> Result<Vec<Keyed>> {
        self.grouped(w, &["channel"]).await
    }

    /// By ward code ("" when the reporter did not know the ward) and category.
    pub async fn report_by_ward_category(&self, w: &Window) -> Result<Vec<Keyed>> {
        self.grouped(w, &["ward_code", "category"]).await
    }

    /// By current status and resolution ("" when none).
    pub async fn report_by_status(&self, w: &Window) -> Result<Vec<Keyed>> {
        self.grouped(w, &["status", "resolution"]).await
    }

    /// Tips received per week of the window (week 0 starts at `from_ms`), by category.
    pub async fn report_weekly(&self, w: &Window) -> Result<Vec<(i64, Keyed)>> {
        let mut args = Args::default();
        let origin = args.push(Arg::I(w.from_ms));
        let week = args.push(Arg::I(WEEK_MS));
        let cond = w.received(&mut args);
        let sql = format!(
            "SELECT CAST((t.created_at - {origin}) / {week} AS BIGINT) AS wk, t.category, COUNT(*) AS n \
             FROM tips t WHERE {cond} GROUP BY wk, t.category ORDER BY wk, t.category"
        );
        let rows = args.bind(sqlx::query(&sql)).fetch_all(&self.pool).await?;
        Ok(rows
            .iter()
            .map(|r| {
                let k = Keyed {
                    key: r.get("category"),
                    sub: None,
                    n: r.get("n"),
                };
                (r.get("wk"), k)
            })
            .collect())
    }

    /// The median of `column - created_at` over tips received in the window
    /// that have `column` set, in ms. Two rows are read, never the whole set.
    pub async fn report_median_delay(&self, w: &Window, column: Delay) -> Result<Option<i64>> {
        let col = column.column();
        let mut args = Args::default();
        let cond = w.received(&mut args);
        let count_sql =
            format!("SELECT COUNT(*) AS n FROM tips t WHERE {cond} AND t.{col} IS NOT NULL");
        let n: i64 = args
            .bind(sqlx::query(&count_sql))
            .fetch_one(&self.pool)
            .await?
            .get("n");
        if n == 0 {
            return Ok(None);
        }
        let offset = args.push(Arg::I((n - 1) / 2));
        let sql = format!(
            "SELECT t.{col} - t.created_at AS d FROM tips t WHERE {cond} AND t.{col} IS NOT NULL \
             ORDER BY d LIMIT 2 OFFSET {offset}"
        );
        let rows = args.bind(sqlx::query(&sql)).fetch_all(&self.pool).await?;
        let d: Vec<i64> = rows.iter().map(|r| r.get("d")).collect();
        // Same rule as the statistics page (`charts::median`).
        Ok(match (n % 2, d.as_slice()) {
            (1, [m, ..]) => Some(*m),
            (_, [a, b]) => Some((a + b) / 2),
            (_, [m]) => Some(*m),
            _ => None,
        })
    }
}

/// The two delays a report gives medians of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delay {
    FirstResponse,
    Close,
}

impl Delay {
    fn column(self) -> &'static str {
        match self {
            Delay::FirstResponse => "first_response_at",
            Delay::Close => "closed_at",
        }
    }
}

/// A grouped column as text: integers (ward codes) printed, NULL as "".
fn text_of(r: &sqlx::any::AnyRow, column: &str) -> String {
    if column == "ward_code" {
        return r
            .get::<Option<i64>, _>(column)
            .map(|w| w.to_string())
            .unwrap_or_default();
    }
    r.get::<Option<String>, _>(column).unwrap_or_default()
}
