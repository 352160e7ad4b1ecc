//! The officer queue: most urgent, then newest first, with keyset pagination
//! so a page costs the same at row 50 and at row 100,000.
use sqlx::Row;

use super::dashboard::{Arg, Args, RECORD_COLUMNS, Scope, TipRecord, record_from_row};
use super::{Result, Store};

/// Which statuses to list. The default hides closed tips.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StatusFilter {
    #[default]
    Active,
    New,
    Open,
    Closed,
    Any,
}

impl StatusFilter {
    pub const ALL: [StatusFilter; 5] = [
        StatusFilter::Active,
        StatusFilter::New,
        StatusFilter::Open,
        StatusFilter::Closed,
        StatusFilter::Any,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StatusFilter::Active => "active",
            StatusFilter::New => "new",
            StatusFilter::Open => "open",
            StatusFilter::Closed => "closed",
            StatusFilter::Any => "any",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum AssigneeFilter {
    #[default]
    Anyone,
    Unassigned,
    Officer(i64),
}

#[derive(Debug, Clone, Default)]
pub struct QueueFilter {
    pub status: StatusFilter,
    pub category: Option<String>,
    pub priority: Option<String>,
    pub ward_code: Option<i64>,
    /// Received at or after (unix ms).
    pub from_ms: Option<i64>,
    /// Received before (unix ms).
    pub to_ms: Option<i64>,
    pub assignee: AssigneeFilter,
    pub reference: Option<String>,
}

/// Position after the last row of a page, in the queue's sort order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueCursor {
    pub priority_rank: i64,
    pub created_at: i64,
    pub id: i64,
}

impl QueueCursor {
    /// "rank.created.id", as carried in the `after` query parameter.
    pub fn encode(&self) -> String {
        format!("{}.{}.{}", self.priority_rank, self.created_at, self.id)
    }

    pub fn decode(s: &str) -> Option<Self> {
        let mut it = s.split('.').map(|p| p.parse::<i64>().ok());
        let c = QueueCursor {
            priority_rank: it.next()??,
            created_at: it.next()??,
            id: it.next()??,
        };
        it.next().is_none().then_some(c)
    }
}

#[derive(Debug, Clone)]
pub struct QueuePage {
    pub tips: Vec<TipRecord>,
    pub next: Option<QueueCursor>,
}

fn filter_conditions(f: &QueueFilter, after: Option<QueueCursor>, args: &mut Args) -> Vec<String> {
    let mut c = Vec::new();
    match f.status {
        StatusFilter::Active => c.push("t.status IN ('new', 'open')".to_string()),
        StatusFilter::New => c.push("t.status = 'new'".to_string()),
        StatusFilter::Open => c.push("t.status = 'open'".to_string()),
        StatusFilter::Closed => c.push("t.status = 'closed'".to_string()),
        StatusFilter::Any => {}
    }
    if let Some(cat) = &f.category {
        c.push(format!("t.category = {}", args.push(Arg::S(cat.clone()))));
    }
    if let Some(p) = &f.priority {
        c.push(format!("t.priority = {}", args.push(Arg::S(p.clone()))));
    }
    if let Some(w) = f.ward_code {
        c.push(format!("t.ward_code = {}", args.push(Arg::I(w))));
    }
    if let Some(from) = f.from_ms {
        c.push(format!("t.created_at >= {}", args.push(Arg::I(from))));
    }
    if let Some(to) = f.to_ms {
        c.push(format!("t.created_at < {}", args.push(Arg::I(to))));
    }
    match f.assignee {
        AssigneeFilter::Anyone => {}
        AssigneeFilter::Unassigned => c.push("t.assignee_id IS NULL".to_string()),
        AssigneeFilter::Officer(id) => c.push(format!("t.assignee_id = {}", args.push(Arg::I(id)))),
    }
    if let Some(r) = &f.reference {
        c.push(format!(
            "t.reference = {}",
            args.push(Arg::S(r.trim().to_ascii_uppercase()))
        ));
    }
    if let Some(k) = after {
        let r = args.push(Arg::I(k.priority_rank));
        let ca = args.push(Arg::I(k.created_at));
        let id = args.push(Arg::I(k.id));
        c.push(format!("(t.priority_rank > {r} OR (t.priority_rank = {r} AND (t.created_at < {ca} OR (t.created_at = {ca} AND t.id < {id}))))"));
    }
    c
}

const ORDER: &str = "ORDER BY priority_rank, created_at DESC, id DESC";

impl Store {
    /// One page of the queue for `scope`. For a unit, its own tips and the tips
    /// it was informed of are read as two index-ordered scans and merged.
    pub async fn queue_page(
        &self,
        scope: &Scope,
        filter: &QueueFilter,
        after: Option<QueueCursor>,
        limit: i64,
    ) -> Result<QueuePage> {
        let limit = limit.clamp(1, 500);
        let mut args = Args::default();
        let conds = filter_conditions(filter, after, &mut args);
        let lim = args.push(Arg::I(limit + 1));
        let extra = conds
            .iter()
            .map(|c| format!(" AND {c}"))
            .collect::<String>();
        let select = format!(
            "SELECT {RECORD_COLUMNS} FROM tips t LEFT JOIN officers o ON o.id = t.assignee_id"
        );
        let sql = match scope {
            Scope::All | Scope::National => format!(
                "{select} WHERE 1 = 1{extra} ORDER BY t.priority_rank, t.created_at DESC, t.id DESC LIMIT {lim}"
            ),
            // The province's tips, then its own unit's and informed tips from
            // elsewhere (transferred in): two index-ordered scans, merged.
            Scope::Province { unit, province } => {
                let p = args.push(Arg::I(*province));
                let unit = args.push(Arg::S(unit.clone()));
                format!(
                    "SELECT * FROM (SELECT * FROM ({select} WHERE t.province_code = {p}{extra} \
                     ORDER BY t.priority_rank, t.created_at DESC, t.id DESC LIMIT {lim}) AS province \
                     UNION ALL SELECT * FROM ({select} WHERE (t.unit = {unit} OR t.informed_unit = {unit}) AND t.province_code <> {p}{extra} \
                     ORDER BY t.priority_rank, t.created_at DESC, t.id DESC LIMIT {lim}) AS elsewhere) AS merged {ORDER} LIMIT {lim}"
                )
            }
            Scope::Unit(u) => {
                let unit = args.push(Arg::S(u.clone()));
                format!(
                    "SELECT * FROM (SELECT * FROM ({select} WHERE t.unit = {unit}{extra} \
                     ORDER BY t.priority_rank, t.created_at DESC, t.id DESC LIMIT {lim}) AS own \
                     UNION ALL SELECT * FROM ({select} WHERE t.informed_unit = {unit} AND t.unit <> {unit}{extra} \
                     ORDER BY t.priority_rank, t.created_at DESC, t.id DESC LIMIT {lim}) AS informed) AS merged {ORDER} LIMIT {lim}"
                )
            }
        };
        let rows = args.bind(sqlx::query(&sql)).fetch_all(&self.pool).await?;
        let mut tips: Vec<TipRecord> = rows
            .iter()
            .map(|r| record_from_row(&self.keys, r, scope))
            .collect::<Result<_>>()?;
        let next = if tips.len() as i64 > limit {
            tips.truncate(limit as usize);
            let last = &rows[limit as usize - 1];
            Some(QueueCursor {
                priority_rank: last.get("priority_rank"),
                created_at: last.get("created_at"),
                id: last.get("id"),
            })
        } else {
            None
        };
        Ok(QueuePage { tips, next })
    }

    /// Tips in `scope` that nobody has opened yet.
    pub async fn new_tip_count(&self, scope: &Scope) -> Result<i64> {
        let row = match scope {
            Scope::All | Scope::National => {
                sqlx::query("SELECT COUNT(*) AS n FROM tips WHERE status = 'new'")
                    .fetch_one(&self.pool)
                    .await?
            }
            // Oversight counts only what it must act on: its own unit's.
            Scope::Unit(u) | Scope::Province { unit: u, .. } => {
                sqlx::query("SELECT COUNT(*) AS n FROM tips WHERE unit = $1 AND status = 'new'")
                    .bind(u)
                    .fetch_one(&self.pool)
                    .await?
            }
        };
        Ok(row.get("n"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_garbage() {
        let c = QueueCursor {
            priority_rank: 2,
            created_at: 1_750_000_000_000,
            id: 42,
        };
        assert_eq!(QueueCursor::decode(&c.encode()), Some(c));
        assert_eq!(QueueCursor::decode("1.2"), None);
        assert_eq!(QueueCursor::decode("1.2.3.4"), None);
        assert_eq!(QueueCursor::decode("a.b.c"), None);
    }
}
