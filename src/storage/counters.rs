//! Anonymous awareness counters and quiz aggregates.
use serde::Serialize;
use sqlx::Row;

use super::{Result, Store};

use crate::domain::time::vn_day;

pub(crate) async fn bump_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    now_ms: i64,
    kind: &str,
    lang: &str,
    subject: &str,
) -> Result<()> {
    bump_by_in(tx, now_ms, kind, lang, subject, 1).await
}

/// Adds `by` to a day's counter. Quiz points and questions are counted per
/// day too, so a report can give a period's mean score.
pub(crate) async fn bump_by_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    now_ms: i64,
    kind: &str,
    lang: &str,
    subject: &str,
    by: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO daily_counters (day, kind, lang, subject, n) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (day, kind, lang, subject) DO UPDATE SET n = daily_counters.n + $6",
    )
    .bind(vn_day(now_ms))
    .bind(kind)
    .bind(lang)
    .bind(subject)
    .bind(by)
    .bind(by)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub(crate) async fn record_quiz_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    class: &str,
    score: u32,
    total: u32,
    answers: &[(String, bool)],
) -> Result<()> {
    sqlx::query(
        "INSERT INTO quiz_class_stats (class_code, attempts, total_score, total_questions) VALUES ($1, 1, $2, $3) \
         ON CONFLICT (class_code) DO UPDATE SET attempts = quiz_class_stats.attempts + 1, \
         total_score = quiz_class_stats.total_score + $4, total_questions = quiz_class_stats.total_questions + $5",
    )
    .bind(class)
    .bind(score as i64)
    .bind(total as i64)
    .bind(score as i64)
    .bind(total as i64)
    .execute(&mut **tx)
    .await?;
    for (question, correct) in answers {
        let c = i64::from(*correct);
        sqlx::query(
            "INSERT INTO quiz_question_stats (class_code, question_id, answered, correct) VALUES ($1, $2, 1, $3) \
             ON CONFLICT (class_code, question_id) DO UPDATE SET answered = quiz_question_stats.answered + 1, \
             correct = quiz_question_stats.correct + $4",
        )
        .bind(class)
        .bind(question)
        .bind(c)
        .bind(c)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ClassStats {
    pub class_code: String,
    pub attempts: i64,
    pub average_score: f64,
    pub questions_per_attempt: f64,
    pub questions: Vec<QuestionStats>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct QuestionStats {
    pub question_id: String,
    pub answered: i64,
    pub correct: i64,
    pub correct_rate: f64,
}

impl Store {
    /// Aggregates per class code (all classes when `class` is None; '' is "no class").
    pub async fn quiz_stats(&self, class: Option<&str>) -> Result<Vec<ClassStats>> {
        let rows = match class {
            Some(c) => sqlx::query("SELECT class_code, attempts, total_score, total_questions FROM quiz_class_stats WHERE class_code = $1").bind(c).fetch_all(&self.pool).await?,
            None => sqlx::query("SELECT class_code, attempts, total_score, total_questions FROM quiz_class_stats ORDER BY class_code").fetch_all(&self.pool).await?,
        };
        let mut out = Vec::new();
        for r in rows {
            let class_code: String = r.get("class_code");
            let attempts: i64 = r.get("attempts");
            let total_score: i64 = r.get("total_score");
            let total_questions: i64 = r.get("total_questions");
            let questions = sqlx::query("SELECT question_id, answered, correct FROM quiz_question_stats WHERE class_code = $1 ORDER BY question_id")
                .bind(&class_code)
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(|q| {
                    let answered: i64 = q.get("answered");
                    let correct: i64 = q.get("correct");
                    QuestionStats { question_id: q.get("question_id"), answered, correct, correct_rate: ratio(correct, answered) }
                })
                .collect();
            out.push(ClassStats {
                class_code,
                attempts,
                average_score: ratio(total_score, attempts),
                questions_per_attempt: ratio(total_questions, attempts),
                questions,
            });
        }
        Ok(out)
    }

    /// Sum of a counter kind over all days, languages and subjects (for tests and summaries).
    pub async fn counter_total(&self, kind: &str, subject: Option<&str>) -> Result<i64> {
        let row = sqlx::query("SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) AS total FROM daily_counters WHERE kind = $1 AND ($2 = '' OR subject = $3)")
            .bind(kind)
            .bind(subject.unwrap_or(""))
            .bind(subject.unwrap_or(""))
            .fetch_one(&self.pool)
            .await?;
        Ok(row.get("total"))
    }
}

fn ratio(a: i64, b: i64) -> f64 {
    if b == 0 {
        0.0
    } else {
        ((a as f64 / b as f64) * 100.0).round() / 100.0
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn days_are_counted_in_vietnam_time() {
        // 2026-06-25 18:30 UTC is already 26/6 in Vietnam.
        let ms = chrono::DateTime::parse_from_rfc3339("2026-06-25T18:30:00Z")
            .unwrap()
            .timestamp_millis();
        assert_eq!(super::vn_day(ms), "2026-06-26");
    }
}
