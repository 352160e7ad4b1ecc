//! One period report as data. JSON is this struct; CSV and the HTML tables
//! are drawn from [`Report::figures`], so all three carry the same numbers.
//! Small cells are suppressed here, before any format sees them.
use std::collections::BTreeMap;

use serde::{Serialize, Serializer};

use super::period::Period;
use crate::app::AppState;
use crate::content::article::Topic;
use crate::domain::tip::Category;
use crate::i18n::Lang;
use crate::storage::report::awareness::QuizClass;
use crate::storage::report::uplift::CampaignUplift;
use crate::storage::report::{Delay, Keyed, Window};
use crate::storage::scope::Area;
use crate::storage::{Result, Store};

/// Counts from 1 to 4 in a published ward-by-category cell become "<5".
pub const SMALL_CELL: i64 = 5;

/// A count that may be withheld.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    N(i64),
    Suppressed,
}

impl Cell {
    pub fn of(n: i64, suppress: bool) -> Cell {
        if suppress && (1..SMALL_CELL).contains(&n) {
            Cell::Suppressed
        } else {
            Cell::N(n)
        }
    }
}

impl std::fmt::Display for Cell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Cell::N(n) => write!(f, "{n}"),
            Cell::Suppressed => f.write_str("<5"),
        }
    }
}

/// A number in JSON, or the string "<5".
impl Serialize for Cell {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            Cell::N(n) => s.serialize_i64(*n),
            Cell::Suppressed => s.serialize_str("<5"),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub scope: ScopeInfo,
    pub period: PeriodInfo,
    pub small_cells_suppressed: bool,
    pub tips: Tips,
    pub outcomes: Outcomes,
    pub awareness: Awareness,
    pub weekly: Vec<Week>,
    /// The same days a year earlier; None when no tip was received then.
    pub last_year: Option<LastYear>,
    pub campaigns: Vec<Uplift>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ScopeInfo {
    /// "all", "province-75" or a unit code.
    pub area: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PeriodInfo {
    pub from: String,
    pub to: String,
    pub days: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Tips {
    pub total: i64,
    /// Every category, zeros included, in the order officers know.
    pub by_category: BTreeMap<String, Cell>,
    pub by_channel: BTreeMap<String, i64>,
    pub by_ward: Vec<WardRow>,
    pub by_status: Vec<StatusRow>,
    pub median_first_response_hours: Option<f64>,
    pub median_close_hours: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct WardRow {
    /// None: the reporter did not know the ward.
    pub ward_code: Option<i64>,
    pub ward: String,
    pub total: Cell,
    pub by_category: BTreeMap<String, Cell>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StatusRow {
    pub status: String,
    pub resolution: Option<String>,
    pub n: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Outcomes {
    pub actioned: i64,
    pub with_outcome: i64,
    pub direct: i64,
    pub corroboration: i64,
    pub cases_opened: i64,
    pub detained: i64,
    pub venues_closed: i64,
    pub seized: Vec<Seized>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Seized {
    pub substance: String,
    pub unit: String,
    pub quantity: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Awareness {
    pub article_views_by_topic: BTreeMap<String, i64>,
    pub quiz_by_class: Vec<QuizRow>,
    /// Deliveries of campaigns that began in the period, channel -> state -> n.
    pub deliveries: BTreeMap<String, BTreeMap<String, i64>>,
    /// Counted when the report was made: subscriptions keep no dates.
    pub subscriptions: BTreeMap<String, i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct QuizRow {
    /// "" when no class code was given.
    pub class: String,
    pub completions: i64,
    pub mean_score_percent: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Week {
    pub from: String,
    pub total: i64,
    pub by_category: BTreeMap<String, Cell>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LastYear {
    pub from: String,
    pub to: String,
    pub total: i64,
    pub by_category: BTreeMap<String, i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Uplift {
    pub campaign_id: i64,
    pub title: String,
    pub first_delivery: String,
    /// None: every province was targeted.
    pub targeted_provinces: Option<Vec<i64>>,
    pub matched_provinces: Vec<i64>,
    pub targeted_before: BTreeMap<String, i64>,
    pub targeted_after: BTreeMap<String, i64>,
    pub matched_before: Option<BTreeMap<String, i64>>,
    pub matched_after: Option<BTreeMap<String, i64>>,
}

/// What to report on.
#[derive(Debug, Clone)]
pub struct Request {
    pub area: Area,
    pub period: Period,
    /// For reports that may leave the police.
    pub suppress_small: bool,
}

/// Every category with its count (0 when absent), as cells.
fn by_category(
    rows: impl Iterator<Item = (String, i64)>,
    suppress: bool,
) -> BTreeMap<String, Cell> {
    let mut m: BTreeMap<String, i64> = Category::ALL.iter().map(|c| (c.to_string(), 0)).collect();
    for (k, n) in rows {
        *m.entry(k).or_default() += n;
    }
    m.into_iter()
        .map(|(k, n)| (k, Cell::of(n, suppress)))
        .collect()
}

fn plain(rows: &[Keyed]) -> BTreeMap<String, i64> {
    let cells = by_category(rows.iter().map(|k| (k.key.clone(), k.n)), false);
    cells
        .into_iter()
        .map(|(k, c)| (k, if let Cell::N(n) = c { n } else { 0 }))
        .collect()
}

fn hours(ms: Option<i64>) -> Option<f64> {
    ms.map(|m| (m as f64 / 360_000.0).round() / 10.0)
}

/// Builds the report; every figure is read in the store's own scope of `req.area`.
pub async fn build(state: &AppState, req: &Request, scope_name: String) -> Result<Report> {
    let store = &state.store;
    let w = Window {
        area: req.area.clone(),
        from_ms: req.period.from_ms(),
        to_ms: req.period.to_ms(),
    };
    // A single ward's figures are ward-by-category cells too.
    let ward_level = matches!(&req.area, Area::Unit(u) if u.starts_with("CA-"));
    let suppress_area = req.suppress_small && ward_level;
    let province = req.area.province(&state.areas);
    let tips = tips(state, &w, req.suppress_small, suppress_area).await?;
    let outcomes = outcomes(store, &w).await?;
    let awareness = awareness(state, req, province).await?;
    let weekly = weekly(store, &w, req.period.days(), suppress_area).await?;
    let last_year = last_year(store, req).await?;
    let campaigns = store
        .report_uplift(w.from_ms, w.to_ms, province)
        .await?
        .into_iter()
        .map(uplift)
        .collect();
    Ok(Report {
        scope: ScopeInfo {
            area: req.area.code(),
            name: scope_name,
        },
        period: PeriodInfo {
            from: req.period.from_day(),
            to: req.period.to_day(),
            days: req.period.days(),
        },
        small_cells_suppressed: req.suppress_small,
        tips,
        outcomes,
        awareness,
        weekly,
        last_year,
        campaigns,
    })
}

async fn tips(state: &AppState, w: &Window, suppress: bool, suppress_area: bool) -> Result<Tips> {
    let store = &state.store;
    let cats = store.report_by_category(w).await?;
    let mut wards: BTreeMap<String, Vec<(String, i64)>> = BTreeMap::new();
    for k in store.report_by_ward_category(w).await? {
        wards
            .entry(k.key)
            .or_default()
            .push((k.sub.unwrap_or_default(), k.n));
    }
    let by_ward = wards
        .into_iter()
        .map(|(code, rows)| {
            let ward_code = code.parse::<i64>().ok();
            let total = rows.iter().map(|r| r.1).sum();
            WardRow {
                ward: ward_name(state, ward_code),
                ward_code,
                total: Cell::of(total, suppress),
                by_category: by_category(rows.into_iter(), suppress),
            }
        })
        .collect();
    Ok(Tips {
        total: cats.iter().map(|k| k.n).sum(),
        by_category: by_category(cats.iter().map(|k| (k.key.clone(), k.n)), suppress_area),
        by_channel: store
            .report_by_channel(w)
            .await?
            .into_iter()
            .map(|k| (k.key, k.n))
            .collect(),
        by_ward,
        by_status: store
            .report_by_status(w)
            .await?
            .into_iter()
            .map(|k| StatusRow {
                status: k.key,
                resolution: k.sub.filter(|r| !r.is_empty()),
                n: k.n,
            })
            .collect(),
        median_first_response_hours: hours(
            store.report_median_delay(w, Delay::FirstResponse).await?,
        ),
        median_close_hours: hours(store.report_median_delay(w, Delay::Close).await?),
    })
}

fn ward_name(state: &AppState, code: Option<i64>) -> String {
    code.and_then(|c| u32::try_from(c).ok())
        .and_then(|c| state.areas.ward(crate::domain::area::WardCode(c)))
        .map(|w| w.name.clone())
        .unwrap_or_default()
}

async fn outcomes(store: &Store, w: &Window) -> Result<Outcomes> {
    let t = store.report_outcomes(w).await?;
    Ok(Outcomes {
        actioned: t.actioned,
        with_outcome: t.with_outcome,
        direct: t.direct,
        corroboration: t.corroboration,
        cases_opened: t.cases_opened,
        detained: t.detained,
        venues_closed: t.venues_closed,
        seized: t
            .seized
            .into_iter()
            .map(|((substance, unit), quantity)| Seized {
                substance,
                unit,
                quantity: (quantity * 1000.0).round() / 1000.0,
            })
            .collect(),
    })
}

async fn awareness(state: &AppState, req: &Request, province: Option<i64>) -> Result<Awareness> {
    let store = &state.store;
    let (from, to) = (req.period.from_day(), req.period.to_day());
    let catalog = state.content.snapshot();
    let mut views: BTreeMap<String, i64> =
        Topic::ALL.iter().map(|t| (t.id().to_string(), 0)).collect();
    for k in store.report_article_views(&from, &to).await? {
        let topic = catalog
            .article(Lang::Vi, &k.key)
            .or_else(|| catalog.article(Lang::En, &k.key))
            .map_or("other", |a| a.topic.id());
        *views.entry(topic.to_string()).or_default() += k.n;
    }
    let quiz = store
        .report_quiz_classes(&from, &to)
        .await?
        .into_iter()
        .map(|q: QuizClass| QuizRow {
            mean_score_percent: (q.questions > 0)
                .then(|| (q.points as f64 * 1000.0 / q.questions as f64).round() / 10.0),
            class: q.class,
            completions: q.completions,
        })
        .collect();
    let mut deliveries: BTreeMap<String, BTreeMap<String, i64>> = BTreeMap::new();
    for k in store
        .report_deliveries(req.period.from_ms(), req.period.to_ms(), province)
        .await?
    {
        deliveries
            .entry(k.key)
            .or_default()
            .insert(k.sub.unwrap_or_default(), k.n);
    }
    let subscriptions = store
        .report_subscriptions(province)
        .await?
        .into_iter()
        .map(|k| (k.key, k.n))
        .collect();
    Ok(Awareness {
        article_views_by_topic: views,
        quiz_by_class: quiz,
        deliveries,
        subscriptions,
    })
}

async fn weekly(store: &Store, w: &Window, days: i64, suppress: bool) -> Result<Vec<Week>> {
    let weeks = (days + 6) / 7;
    let mut rows: Vec<Vec<(String, i64)>> = vec![Vec::new(); weeks as usize];
    for (wk, k) in store.report_weekly(w).await? {
        if let Some(r) = usize::try_from(wk).ok().and_then(|i| rows.get_mut(i)) {
            r.push((k.key, k.n));
        }
    }
    Ok(rows
        .into_iter()
        .enumerate()
        .map(|(i, r)| Week {
            from: super::super::text::date(w.from_ms + i as i64 * 7 * 86_400_000),
            total: r.iter().map(|x| x.1).sum(),
            by_category: by_category(r.into_iter(), suppress),
        })
        .collect())
}

async fn last_year(store: &Store, req: &Request) -> Result<Option<LastYear>> {
    let Some(p) = req.period.last_year() else {
        return Ok(None);
    };
    let w = Window {
        area: req.area.clone(),
        from_ms: p.from_ms(),
        to_ms: p.to_ms(),
    };
    let rows = store.report_by_category(&w).await?;
    let total: i64 = rows.iter().map(|k| k.n).sum();
    Ok((total > 0).then(|| LastYear {
        from: p.from_day(),
        to: p.to_day(),
        total,
        by_category: plain(&rows),
    }))
}

fn uplift(u: CampaignUplift) -> Uplift {
    let has_match = !u.matched.is_empty();
    Uplift {
        campaign_id: u.id,
        title: u.title,
        first_delivery: super::super::text::time(u.first_delivery_at),
        targeted_provinces: u.targeted,
        targeted_before: plain(&u.before),
        targeted_after: plain(&u.after),
        matched_before: has_match.then(|| plain(&u.matched_before)),
        matched_after: has_match.then(|| plain(&u.matched_after)),
        matched_provinces: u.matched,
    }
}
