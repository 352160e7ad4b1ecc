//! Awareness reach for a report: article views and quiz results from the
//! anonymous daily counters (national: they carry no place), campaign
//! deliveries and subscriptions (by the subscriber's province, when a report
//! is about one province).
use sqlx::Row;

use super::Keyed;
use crate::storage::{Result, Store};

/// Quiz completions and points of one class code ("" = no class) over a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuizClass {
    pub class: String,
    pub completions: i64,
    pub points: i64,
    pub questions: i64,
}

impl Store {
    /// Views per article id between two Vietnam days ('YYYY-MM-DD', inclusive).
    pub async fn report_article_views(&self, from_day: &str, to_day: &str) -> Result<Vec<Keyed>> {
        let rows = sqlx::query(
            "SELECT subject, CAST(SUM(n) AS BIGINT) AS n FROM daily_counters WHERE kind = 'article_view' \
             AND day >= $1 AND day <= $2 GROUP BY subject ORDER BY subject",
        )
        .bind(from_day)
        .bind(to_day)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| Keyed {
                key: r.get("subject"),
                sub: None,
                n: r.get("n"),
            })
            .collect())
    }

    /// Completions, points and questions per class code between two days.
    pub async fn report_quiz_classes(
        &self,
        from_day: &str,
        to_day: &str,
    ) -> Result<Vec<QuizClass>> {
        let rows = sqlx::query(
            "SELECT subject, kind, CAST(SUM(n) AS BIGINT) AS n FROM daily_counters \
             WHERE kind IN ('quiz_completed', 'quiz_points', 'quiz_questions') AND day >= $1 AND day <= $2 \
             GROUP BY subject, kind ORDER BY subject",
        )
        .bind(from_day)
        .bind(to_day)
        .fetch_all(&self.pool)
        .await?;
        let mut out: Vec<QuizClass> = Vec::new();
        for r in &rows {
            let class: String = r.get("subject");
            if out.last().is_none_or(|c| c.class != class) {
                out.push(QuizClass {
                    class,
                    completions: 0,
                    points: 0,
                    questions: 0,
                });
            }
            let (Some(c), n) = (out.last_mut(), r.get::<i64, _>("n")) else {
                continue;
            };
            match r.get::<&str, _>("kind") {
                "quiz_completed" => c.completions = n,
                "quiz_points" => c.points = n,
                _ => c.questions = n,
            }
        }
        Ok(out)
    }

    /// Deliveries of the campaigns that started in `[from_ms, to_ms)`, by
    /// channel and state; for one province, only its subscribers' deliveries.
    pub async fn report_deliveries(
        &self,
        from_ms: i64,
        to_ms: i64,
        province: Option<i64>,
    ) -> Result<Vec<Keyed>> {
        let (join, cond) = match province {
            Some(_) => (
                "JOIN subscriptions s ON s.id = d.subscription_id",
                " AND s.province_code = $3",
            ),
            None => ("", ""),
        };
        let sql = format!(
            "SELECT d.channel, d.state, COUNT(*) AS n FROM deliveries d JOIN campaigns c ON c.id = d.campaign_id {join} \
             WHERE c.started_at >= $1 AND c.started_at < $2{cond} GROUP BY d.channel, d.state ORDER BY d.channel, d.state"
        );
        let mut q = sqlx::query(&sql).bind(from_ms).bind(to_ms);
        if let Some(p) = province {
            q = q.bind(p);
        }
        let rows = q.fetch_all(&self.pool).await?;
        Ok(rows
            .iter()
            .map(|r| Keyed {
                key: r.get("channel"),
                sub: Some(r.get("state")),
                n: r.get("n"),
            })
            .collect())
    }

    /// Subscriptions by channel, now: they keep no dates, by design (see
    /// migration 0005), so "at period end" can only be read at the time.
    pub async fn report_subscriptions(&self, province: Option<i64>) -> Result<Vec<Keyed>> {
        let rows = match province {
            Some(p) => {
                sqlx::query("SELECT channel, COUNT(*) AS n FROM subscriptions WHERE province_code = $1 GROUP BY channel ORDER BY channel")
                    .bind(p)
                    .fetch_all(&self.pool)
                    .await?
            }
            None => {
                sqlx::query("SELECT channel, COUNT(*) AS n FROM subscriptions GROUP BY channel ORDER BY channel")
                    .fetch_all(&self.pool)
                    .await?
            }
        };
        Ok(rows
            .iter()
            .map(|r| Keyed {
                key: r.get("channel"),
                sub: None,
                n: r.get("n"),
            })
            .collect())
    }
}
