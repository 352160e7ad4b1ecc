//! Campaign uplift: tips by category in the 7 days before a campaign's first
//! delivery and the 7 days after, in its target provinces, and the same for
//! a matched set of provinces it did not target, so a unit can tell a
//! campaign that moved tips from a seasonal bump. A correlation, not proof.
use std::collections::BTreeMap;

use sqlx::Row;

use super::Keyed;
use crate::storage::dashboard::{Arg, Args};
use crate::storage::{Result, Store};

pub const DAY_MS: i64 = 86_400_000;
/// The windows either side of the first delivery.
pub const UPLIFT_WINDOW_MS: i64 = 7 * DAY_MS;
/// Provinces are matched on their tips over this span before the campaign.
pub const MATCH_SPAN_MS: i64 = 28 * DAY_MS;

#[derive(Debug, Clone, PartialEq)]
pub struct CampaignUplift {
    pub id: i64,
    pub title: String,
    /// When sending began (the campaign's start): the first delivery.
    pub first_delivery_at: i64,
    /// None: the campaign went to every province, and nothing is left to compare with.
    pub targeted: Option<Vec<i64>>,
    /// Non-targeted provinces matched one to one with the targeted ones.
    pub matched: Vec<i64>,
    pub before: Vec<Keyed>,
    pub after: Vec<Keyed>,
    pub matched_before: Vec<Keyed>,
    pub matched_after: Vec<Keyed>,
}

impl Store {
    /// Every campaign that began sending in `[from_ms, to_ms)`; for a report
    /// about one province, only those that reached it.
    pub async fn report_uplift(
        &self,
        from_ms: i64,
        to_ms: i64,
        province: Option<i64>,
    ) -> Result<Vec<CampaignUplift>> {
        let rows = sqlx::query(
            "SELECT id, title, all_provinces, started_at FROM campaigns WHERE started_at >= $1 AND started_at < $2 ORDER BY started_at, id",
        )
        .bind(from_ms)
        .bind(to_ms)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for r in rows {
            let id: i64 = r.get("id");
            let targeted = if r.get::<i64, _>("all_provinces") == 1 {
                None
            } else {
                Some(self.campaign_target_provinces(id).await?)
            };
            let reaches = match (&targeted, province) {
                (Some(t), Some(p)) => t.contains(&p),
                _ => true,
            };
            if reaches {
                let at: i64 = r.get("started_at");
                let title: String = r.get("title");
                out.push(self.uplift_of(id, title, at, targeted).await?);
            }
        }
        Ok(out)
    }

    async fn campaign_target_provinces(&self, id: i64) -> Result<Vec<i64>> {
        let rows = sqlx::query("SELECT province_code FROM campaign_provinces WHERE campaign_id = $1 ORDER BY province_code")
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(|r| r.get("province_code")).collect())
    }

    async fn uplift_of(
        &self,
        id: i64,
        title: String,
        at: i64,
        targeted: Option<Vec<i64>>,
    ) -> Result<CampaignUplift> {
        let matched = match &targeted {
            Some(t) => self.matched_provinces(t, at).await?,
            None => Vec::new(),
        };
        let target = targeted.as_deref();
        let before = self
            .categories_in(target, at - UPLIFT_WINDOW_MS, at)
            .await?;
        let after = self
            .categories_in(target, at, at + UPLIFT_WINDOW_MS)
            .await?;
        let (matched_before, matched_after) = if matched.is_empty() {
            (Vec::new(), Vec::new())
        } else {
            (
                self.categories_in(Some(&matched), at - UPLIFT_WINDOW_MS, at)
                    .await?,
                self.categories_in(Some(&matched), at, at + UPLIFT_WINDOW_MS)
                    .await?,
            )
        };
        Ok(CampaignUplift {
            id,
            title,
            first_delivery_at: at,
            targeted,
            matched,
            before,
            after,
            matched_before,
            matched_after,
        })
    }

    /// Tips by category received in `[from, to)` in `provinces` (None: all).
    async fn categories_in(
        &self,
        provinces: Option<&[i64]>,
        from: i64,
        to: i64,
    ) -> Result<Vec<Keyed>> {
        let mut args = Args::default();
        let mut cond = format!(
            "created_at >= {} AND created_at < {}",
            args.push(Arg::I(from)),
            args.push(Arg::I(to))
        );
        if let Some(ps) = provinces {
            cond.push_str(&format!(" AND {}", in_list(ps, &mut args)));
        }
        let sql = format!(
            "SELECT category, COUNT(*) AS n FROM tips WHERE {cond} GROUP BY category ORDER BY category"
        );
        let rows = args.bind(sqlx::query(&sql)).fetch_all(&self.pool).await?;
        Ok(rows
            .iter()
            .map(|r| Keyed {
                key: r.get("category"),
                sub: None,
                n: r.get("n"),
            })
            .collect())
    }

    /// For each targeted province (in code order), the untargeted province
    /// with the nearest number of tips over the 28 days before the campaign
    /// (ties: the lower code), each used once. Provinces with no tips then
    /// are no match: there is nothing to compare.
    async fn matched_provinces(&self, targeted: &[i64], at: i64) -> Result<Vec<i64>> {
        let rows = sqlx::query(
            "SELECT province_code, COUNT(*) AS n FROM tips WHERE created_at >= $1 AND created_at < $2 GROUP BY province_code",
        )
        .bind(at - MATCH_SPAN_MS)
        .bind(at)
        .fetch_all(&self.pool)
        .await?;
        let counts: BTreeMap<i64, i64> = rows
            .iter()
            .map(|r| (r.get("province_code"), r.get("n")))
            .collect();
        Ok(match_provinces(targeted, &counts))
    }
}

/// The matching rule on its own, so it can be checked by hand.
pub fn match_provinces(targeted: &[i64], counts: &BTreeMap<i64, i64>) -> Vec<i64> {
    let mut candidates: Vec<(i64, i64)> = counts
        .iter()
        .filter(|(p, n)| **n > 0 && !targeted.contains(p))
        .map(|(p, n)| (*p, *n))
        .collect();
    let mut sorted = targeted.to_vec();
    sorted.sort_unstable();
    let mut matched = Vec::new();
    for t in sorted {
        let want = counts.get(&t).copied().unwrap_or(0);
        let best = candidates
            .iter()
            .enumerate()
            .min_by_key(|(_, (p, n))| ((n - want).abs(), *p))
            .map(|(i, _)| i);
        if let Some(i) = best {
            matched.push(candidates.remove(i).0);
        }
    }
    matched.sort_unstable();
    matched
}

/// `province_code IN ($a, $b, ...)`; an empty list matches nothing.
fn in_list(ps: &[i64], args: &mut Args) -> String {
    if ps.is_empty() {
        return "1 = 0".into();
    }
    let list: Vec<String> = ps.iter().map(|p| args.push(Arg::I(*p))).collect();
    format!("province_code IN ({})", list.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_target_gets_the_nearest_untargeted_province_once() {
        let counts = BTreeMap::from([(75, 10), (48, 9), (1, 12), (79, 0), (31, 9)]);
        // 75 (10 tips): 48 and 31 are both 1 away; 31 has the lower code.
        assert_eq!(match_provinces(&[75], &counts), vec![31]);
        // 1 (12) takes 31 first (3 away, lower code than 48), then 75 gets 48.
        assert_eq!(match_provinces(&[75, 1], &counts), vec![31, 48]);
        // Nothing untargeted with tips: no comparison.
        assert!(match_provinces(&[75, 48, 1, 31], &counts).is_empty());
    }
}
