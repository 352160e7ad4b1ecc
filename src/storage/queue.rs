//! The officer queue: filters, a choice of orders (see [`queue_sort`]),
//! keyset pages, totals, and per-officer unread marks for citizens'
//! follow-ups. Full-text search goes through [`super::search`].
//!
//! [`queue_sort`]: super::queue_sort
use std::cmp::Ordering;

use sqlx::Row;
use sqlx::any::AnyRow;

use super::dashboard::{Arg, Args, RECORD_COLUMNS, Scope, TipRecord, record_from_row};
use super::queue_sort::{RowFacts, after_condition, key_columns, order_by};
use super::{Result, Store};
use crate::privacy::seal::DataKeys;

pub use super::queue_sort::{QueueCursor, QueueSort};

/// Which statuses to list. The default hides closed tips.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StatusFilter {
    #[default]
    Active,
    /// New, overdue, or with a follow-up the viewer has not read (any status).
    Attention,
    New,
    Open,
    Closed,
    Any,
}

impl StatusFilter {
    pub const ALL: [StatusFilter; 6] = [
        StatusFilter::Active,
        StatusFilter::Attention,
        StatusFilter::New,
        StatusFilter::Open,
        StatusFilter::Closed,
        StatusFilter::Any,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StatusFilter::Active => "active",
            StatusFilter::Attention => "attention",
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

/// A unit's own tips, or the ones it was only informed of (read-only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Ownership {
    #[default]
    Own,
    Informed,
    Both,
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
    /// Words to find in the description, place and messages.
    pub text: Option<String>,
    pub ownership: Ownership,
    pub sort: QueueSort,
    /// Whose seen marks decide "unread" (0: nobody's, so every follow-up is unread).
    pub viewer_id: i64,
    /// An unanswered open tip received before this (unix ms) is overdue; 0: none is.
    pub overdue_before: i64,
}

/// One row of the queue: the tip and what the queue shows beside it.
#[derive(Debug, Clone)]
pub struct QueueRow {
    pub tip: TipRecord,
    /// The newest citizen follow-up's stored time, if any.
    pub last_activity_at: Option<i64>,
    /// A follow-up the viewer has not seen.
    pub unread: bool,
    pub overdue: bool,
}

#[derive(Debug, Clone)]
pub struct QueuePage {
    pub tips: Vec<QueueRow>,
    pub next: Option<QueueCursor>,
    /// Rows in the whole view (every page).
    pub total: i64,
}

fn scope_sql(scope: &Scope, ownership: Ownership, args: &mut Args) -> String {
    let (u, province) = match scope {
        Scope::All | Scope::National => return "1 = 1".into(),
        Scope::Unit(u) => (u, None),
        Scope::Province { unit, province } => (unit, Some(*province)),
    };
    let u = args.push(Arg::S(u.clone()));
    // A province supervisor also oversees (read-only) the province's tips.
    let seen = match province {
        Some(p) => format!(
            "(t.informed_unit = {u} OR t.province_code = {})",
            args.push(Arg::I(p))
        ),
        None => format!("t.informed_unit = {u}"),
    };
    match ownership {
        Ownership::Own => format!("t.unit = {u}"),
        Ownership::Informed => format!("{seen} AND t.unit <> {u}"),
        Ownership::Both => format!("(t.unit = {u} OR {seen})"),
    }
}

fn status_sql(f: &QueueFilter, facts: &RowFacts) -> Option<String> {
    Some(match f.status {
        StatusFilter::Active => "t.status IN ('new', 'open')".to_string(),
        StatusFilter::Attention => format!(
            "(t.status = 'new' OR {} = 0 OR {} = 0)",
            facts.overdue_rank, facts.unread_rank
        ),
        StatusFilter::New => "t.status = 'new'".to_string(),
        StatusFilter::Open => "t.status = 'open'".to_string(),
        StatusFilter::Closed => "t.status = 'closed'".to_string(),
        StatusFilter::Any => return None,
    })
}

/// The WHERE clause (without any cursor) for `scope` and `f`.
fn conditions(scope: &Scope, f: &QueueFilter, facts: &RowFacts, args: &mut Args) -> String {
    let mut c = vec![scope_sql(scope, f.ownership, args)];
    c.extend(status_sql(f, facts));
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
        let r = args.push(Arg::S(r.trim().to_ascii_uppercase()));
        c.push(format!("t.reference = {r}"));
    }
    c.join(" AND ")
}

const FROM: &str = "FROM tips t LEFT JOIN officers o ON o.id = t.assignee_id \
    LEFT JOIN tip_seen s ON s.tip_id = t.id AND s.officer_id = ";

/// The SELECT of a page (or, without `after` and `limit`, of a whole view).
fn page_sql(
    scope: &Scope,
    f: &QueueFilter,
    after: Option<&QueueCursor>,
    limit: Option<i64>,
) -> (String, Args, usize) {
    let mut args = Args::default();
    let viewer = args.push(Arg::I(f.viewer_id));
    let facts = RowFacts::new(f.overdue_before, &mut args);
    let keys = facts.keys(f.sort);
    let mut cond = conditions(scope, f, &facts, &mut args);
    if let Some(c) = after.and_then(|a| after_condition(&keys, a, &mut args)) {
        cond.push_str(&format!(" AND {c}"));
    }
    let limit = limit
        .map(|l| format!(" LIMIT {}", args.push(Arg::I(l))))
        .unwrap_or_default();
    let sql = format!(
        "SELECT {RECORD_COLUMNS}, t.last_activity_at, CAST({} AS BIGINT) AS unread_rank, \
         CAST({} AS BIGINT) AS overdue_rank{} {FROM}{viewer} WHERE {cond} {}{limit}",
        facts.unread_rank,
        facts.overdue_rank,
        key_columns(&keys),
        order_by(&keys),
    );
    (sql, args, keys.len())
}

fn row_from(keys: &DataKeys, r: &AnyRow, scope: &Scope) -> Result<QueueRow> {
    Ok(QueueRow {
        tip: record_from_row(keys, r, scope)?,
        last_activity_at: r.get("last_activity_at"),
        unread: r.get::<i64, _>("unread_rank") == 0,
        overdue: r.get::<i64, _>("overdue_rank") == 0,
    })
}

fn cursor_of(r: &AnyRow, n_keys: usize) -> QueueCursor {
    QueueCursor(
        (0..n_keys)
            .map(|i| r.get::<i64, _>(format!("sort_key_{i}").as_str()))
            .collect(),
    )
}

/// Where a row's keys stand against a cursor, in the order of `sort`.
fn compare_keys(
    facts: &RowFacts,
    sort: QueueSort,
    row: &QueueCursor,
    at: &QueueCursor,
) -> Ordering {
    for ((_, desc), (a, b)) in facts.keys(sort).iter().zip(row.0.iter().zip(&at.0)) {
        let o = if *desc { b.cmp(a) } else { a.cmp(b) };
        if o != Ordering::Equal {
            return o;
        }
    }
    Ordering::Equal
}

impl Store {
    /// One page of the queue for `scope`, and the total of the view.
    pub async fn queue_page(
        &self,
        scope: &Scope,
        filter: &QueueFilter,
        after: Option<QueueCursor>,
        limit: i64,
    ) -> Result<QueuePage> {
        let limit = limit.clamp(1, 500);
        if filter.text.as_deref().is_some_and(|t| !t.trim().is_empty()) {
            return self
                .search_page(scope, filter, after, limit, &|_| String::new())
                .await;
        }
        let (sql, args, n_keys) = page_sql(scope, filter, after.as_ref(), Some(limit + 1));
        let rows = args.bind(sqlx::query(&sql)).fetch_all(&self.pool).await?;
        let mut tips: Vec<QueueRow> = rows
            .iter()
            .map(|r| row_from(&self.keys, r, scope))
            .collect::<Result<_>>()?;
        let next = (tips.len() as i64 > limit).then(|| {
            tips.truncate(limit as usize);
            cursor_of(&rows[limit as usize - 1], n_keys)
        });
        let total = self.queue_total(scope, filter).await?;
        Ok(QueuePage { tips, next, total })
    }

    /// How many tips the view holds, over all its pages.
    pub async fn queue_total(&self, scope: &Scope, filter: &QueueFilter) -> Result<i64> {
        let mut args = Args::default();
        let viewer = args.push(Arg::I(filter.viewer_id));
        let facts = RowFacts::new(filter.overdue_before, &mut args);
        let cond = conditions(scope, filter, &facts, &mut args);
        let sql = format!("SELECT COUNT(*) AS n {FROM}{viewer} WHERE {cond}");
        let row = args.bind(sqlx::query(&sql)).fetch_one(&self.pool).await?;
        Ok(row.get("n"))
    }

    /// Every row of the view in order (no page), with each row's cursor: the
    /// full-text search scans these.
    pub(crate) async fn queue_scan(
        &self,
        scope: &Scope,
        filter: &QueueFilter,
    ) -> Result<Vec<(QueueRow, QueueCursor)>> {
        let (sql, args, n_keys) = page_sql(scope, filter, None, None);
        let rows = args.bind(sqlx::query(&sql)).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| Ok((row_from(&self.keys, r, scope)?, cursor_of(r, n_keys))))
            .collect()
    }

    /// Tips in `scope` that no officer has opened yet.
    pub async fn new_tip_count(&self, scope: &Scope) -> Result<i64> {
        let unopened =
            "t.status = 'new' AND NOT EXISTS (SELECT 1 FROM tip_seen s WHERE s.tip_id = t.id)";
        let row = match scope {
            Scope::All | Scope::National => {
                sqlx::query(&format!(
                    "SELECT COUNT(*) AS n FROM tips t WHERE {unopened}"
                ))
                .fetch_one(&self.pool)
                .await?
            }
            // Oversight counts only what it must act on: its own unit's.
            Scope::Unit(u) | Scope::Province { unit: u, .. } => {
                sqlx::query(&format!(
                    "SELECT COUNT(*) AS n FROM tips t WHERE t.unit = $1 AND {unopened}"
                ))
                .bind(u)
                .fetch_one(&self.pool)
                .await?
            }
        };
        Ok(row.get("n"))
    }
}

/// Rows after `after` (in the order of `sort`), for a page cut in memory.
pub(crate) fn rows_after(
    rows: Vec<(QueueRow, QueueCursor)>,
    sort: QueueSort,
    after: Option<&QueueCursor>,
) -> Vec<(QueueRow, QueueCursor)> {
    let Some(at) = after else {
        return rows;
    };
    let mut args = Args::default();
    let facts = RowFacts::new(0, &mut args);
    rows.into_iter()
        .filter(|(_, c)| compare_keys(&facts, sort, c, at) == Ordering::Greater)
        .collect()
}
