//! The officer's workspace beyond the queue itself: what each officer has
//! seen of each tip (for unread marks), and suggested duplicates.
use std::collections::HashSet;

use sqlx::Row;

use super::dashboard::{
    Arg, Args, RECORD_COLUMNS, Scope, TipRecord, record_from_row, scope_condition,
};
use super::search::normalize;
use super::{Result, Store};

/// Duplicates are looked for this long before and after a tip.
const DUPLICATE_WINDOW_MS: i64 = 3 * 86_400_000;
/// Share of distinct words two descriptions must have in common.
const DUPLICATE_MIN_SIMILARITY: f64 = 0.3;
const DUPLICATE_MAX: usize = 10;

/// Jaccard similarity of the two texts' word sets (without case or diacritics).
pub fn similarity(a: &str, b: &str) -> f64 {
    let words = |s: &str| -> HashSet<String> {
        normalize(s)
            .split(' ')
            .filter(|w| w.len() > 1)
            .map(str::to_string)
            .collect()
    };
    let (a, b) = (words(a), words(b));
    let union = a.union(&b).count();
    if union == 0 {
        return 0.0;
    }
    a.intersection(&b).count() as f64 / union as f64
}

impl Store {
    /// Records that `officer_id` has seen everything on the tip so far.
    pub async fn mark_tip_seen(&self, officer_id: i64, tip_id: i64) -> Result<()> {
        let _g = self.write_guard().await;
        sqlx::query(
            "INSERT INTO tip_seen (officer_id, tip_id, event_id) \
             VALUES ($1, $2, COALESCE((SELECT MAX(id) FROM tip_events WHERE tip_id = $2), 0)) \
             ON CONFLICT (officer_id, tip_id) DO UPDATE SET event_id = excluded.event_id",
        )
        .bind(officer_id)
        .bind(tip_id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The newest follow-up event the officer had not seen when they last
    /// opened the tip (None: nothing unread).
    pub async fn unread_followup(&self, officer_id: i64, tip_id: i64) -> Result<Option<i64>> {
        let row = sqlx::query(
            "SELECT t.last_followup_id AS f, COALESCE(s.event_id, 0) AS seen FROM tips t \
             LEFT JOIN tip_seen s ON s.tip_id = t.id AND s.officer_id = $1 WHERE t.id = $2",
        )
        .bind(officer_id)
        .bind(tip_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.and_then(|r| {
            let f: Option<i64> = r.get("f");
            let seen: i64 = r.get("seen");
            f.filter(|f| *f > seen)
        }))
    }

    /// The newest event id of a tip (None: nothing happened since submission).
    pub async fn latest_event_id(&self, tip_id: i64) -> Result<Option<i64>> {
        let row = sqlx::query("SELECT MAX(id) AS id FROM tip_events WHERE tip_id = $1")
            .bind(tip_id)
            .fetch_one(&self.pool)
            .await?;
        Ok(row.get("id"))
    }

    /// The id of the newest urgent tip in `scope` that is still new: the
    /// queue raises an in-page alert when it changes.
    pub async fn newest_urgent_tip(&self, scope: &Scope) -> Result<Option<i64>> {
        let mut args = Args::default();
        let cond = scope_condition(scope, &mut args);
        let sql = format!(
            "SELECT MAX(t.id) AS id FROM tips t WHERE {cond} AND t.priority = 'urgent' AND t.status = 'new'"
        );
        let row = args.bind(sqlx::query(&sql)).fetch_one(&self.pool).await?;
        Ok(row.get("id"))
    }

    /// Open tips in `scope` that look like `tip`: same ward and category,
    /// received within a few days of it, with similar words. Most similar first.
    pub async fn suggested_duplicates(
        &self,
        scope: &Scope,
        tip: &TipRecord,
    ) -> Result<Vec<TipRecord>> {
        let Some(ward) = tip.ward_code else {
            return Ok(Vec::new());
        };
        let mut args = Args::default();
        let cond = scope_condition(scope, &mut args);
        let id = args.push(Arg::I(tip.id));
        let w = args.push(Arg::I(ward));
        let cat = args.push(Arg::S(tip.category.as_str().to_string()));
        let from = args.push(Arg::I(tip.created_at - DUPLICATE_WINDOW_MS));
        let to = args.push(Arg::I(tip.created_at + DUPLICATE_WINDOW_MS));
        let sql = format!(
            "SELECT {RECORD_COLUMNS} FROM tips t LEFT JOIN officers o ON o.id = t.assignee_id \
             WHERE {cond} AND t.id <> {id} AND t.ward_code = {w} AND t.category = {cat} \
             AND t.status <> 'closed' AND t.created_at >= {from} AND t.created_at <= {to} \
             ORDER BY t.created_at LIMIT 200"
        );
        let rows = args.bind(sqlx::query(&sql)).fetch_all(&self.pool).await?;
        let mut scored: Vec<(f64, TipRecord)> = Vec::new();
        for r in &rows {
            let other = record_from_row(&self.keys, r, scope)?;
            let s = similarity(&tip.description, &other.description);
            if s >= DUPLICATE_MIN_SIMILARITY {
                scored.push((s, other));
            }
        }
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        Ok(scored
            .into_iter()
            .take(DUPLICATE_MAX)
            .map(|(_, t)| t)
            .collect())
    }
}

/// Keeps the queue's activity columns in step with a new reporter follow-up
/// (same transaction as its event).
pub(crate) async fn note_followup_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    tip_id: i64,
    event_id: i64,
    at: i64,
) -> Result<()> {
    sqlx::query("UPDATE tips SET last_followup_id = $1, last_activity_at = $2 WHERE id = $3")
        .bind(event_id)
        .bind(at)
        .bind(tip_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn similar_descriptions_score_high_and_unrelated_ones_low() {
        let a = "Nhà số 12 hẻm 4 Lê Lợi có người bán ma túy đá mỗi tối";
        let b = "nha so 12 hem 4 le loi co nguoi ban ma tuy da moi toi sau 9 gio";
        let c = "Quán karaoke ở góc chợ mở cửa thâu đêm";
        assert!(similarity(a, b) > 0.6);
        assert!(similarity(a, c) < 0.1);
        assert_eq!(similarity("", ""), 0.0);
    }
}
