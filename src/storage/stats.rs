//! Aggregates for the statistics page and the CSV report. Statistics count an
//! [`Area`]: a unit's own tips (not those it was merely informed of), a
//! province's, or all.
use sqlx::Row;

use super::dashboard::{Arg, Args};
use super::scope::Area;
use super::{Backend, Result, Store};

pub const WEEK_MS: i64 = 7 * 24 * 3_600_000;

/// Tips received in a range, counted by category, status and resolution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryCount {
    pub category: String,
    pub status: String,
    pub resolution: Option<String>,
    pub n: i64,
}

/// Timing of one tip, for medians.
#[derive(Debug, Clone, Copy)]
pub struct TipTiming {
    pub created_at: i64,
    pub first_response_at: Option<i64>,
    pub closed_at: Option<i64>,
}

/// A count from the anonymous awareness counters (`daily_counters`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DailyCount {
    pub day: String,
    pub kind: String,
    pub n: i64,
}

fn range_conditions(area: &Area, from_ms: i64, to_ms: i64, args: &mut Args) -> String {
    format!(
        "created_at >= {} AND created_at < {} AND {}",
        args.push(Arg::I(from_ms)),
        args.push(Arg::I(to_ms)),
        area.condition("", args)
    )
}

impl Store {
    /// Counts by (week since `from_ms`, category).
    pub async fn weekly_category_counts(
        &self,
        area: &Area,
        from_ms: i64,
        to_ms: i64,
    ) -> Result<Vec<(i64, String, i64)>> {
        let mut args = Args::default();
        let origin = args.push(Arg::I(from_ms));
        let week = args.push(Arg::I(WEEK_MS));
        let cond = range_conditions(area, from_ms, to_ms, &mut args);
        let sql = format!(
            "SELECT CAST((created_at - {origin}) / {week} AS BIGINT) AS wk, category, COUNT(*) AS n FROM tips WHERE {cond} GROUP BY wk, category ORDER BY wk"
        );
        let rows = args.bind(sqlx::query(&sql)).fetch_all(&self.pool).await?;
        Ok(rows
            .iter()
            .map(|r| (r.get("wk"), r.get("category"), r.get("n")))
            .collect())
    }

    /// Counts by category, status and resolution: the shape units report upward.
    pub async fn category_status_counts(
        &self,
        area: &Area,
        from_ms: i64,
        to_ms: i64,
    ) -> Result<Vec<CategoryCount>> {
        let mut args = Args::default();
        let cond = range_conditions(area, from_ms, to_ms, &mut args);
        let sql = format!(
            "SELECT category, status, resolution, COUNT(*) AS n FROM tips WHERE {cond} GROUP BY category, status, resolution ORDER BY category, status"
        );
        let rows = args.bind(sqlx::query(&sql)).fetch_all(&self.pool).await?;
        Ok(rows
            .iter()
            .map(|r| CategoryCount {
                category: r.get("category"),
                status: r.get("status"),
                resolution: r.get("resolution"),
                n: r.get("n"),
            })
            .collect())
    }

    pub async fn tip_timings(
        &self,
        area: &Area,
        from_ms: i64,
        to_ms: i64,
    ) -> Result<Vec<TipTiming>> {
        let mut args = Args::default();
        let cond = range_conditions(area, from_ms, to_ms, &mut args);
        let sql = format!("SELECT created_at, first_response_at, closed_at FROM tips WHERE {cond}");
        let rows = args.bind(sqlx::query(&sql)).fetch_all(&self.pool).await?;
        Ok(rows
            .iter()
            .map(|r| TipTiming {
                created_at: r.get("created_at"),
                first_response_at: r.get("first_response_at"),
                closed_at: r.get("closed_at"),
            })
            .collect())
    }

    /// Article views and quiz completions per day, from the awareness side's
    /// `daily_counters` table. Empty when that table does not exist (yet).
    pub async fn daily_counts(&self, from_day: &str, to_day: &str) -> Result<Vec<DailyCount>> {
        let exists_sql = match self.backend() {
            Backend::Sqlite => {
                "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'daily_counters'"
            }
            Backend::Postgres => {
                "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_name = 'daily_counters' AND table_schema = current_schema()"
            }
        };
        let exists: i64 = sqlx::query(exists_sql)
            .fetch_one(&self.pool)
            .await?
            .get("n");
        if exists == 0 {
            return Ok(Vec::new());
        }
        let rows = sqlx::query(
            "SELECT day, kind, CAST(SUM(n) AS BIGINT) AS total FROM daily_counters WHERE day >= $1 AND day <= $2 \
             AND kind IN ('article_view', 'quiz_completed') GROUP BY day, kind ORDER BY day",
        )
        .bind(from_day)
        .bind(to_day)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| DailyCount {
                day: r.get("day"),
                kind: r.get("kind"),
                n: r.get("total"),
            })
            .collect())
    }
}
