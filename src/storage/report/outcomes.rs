//! Outcomes of the tips closed as actioned in a window: read in keyset
//! batches and summed as they pass, so memory stays flat however many there are.
use std::collections::BTreeMap;

use sqlx::Row;

use super::Window;
use crate::domain::outcome::{Contribution, Outcome};
use crate::storage::dashboard::{Arg, Args};
use crate::storage::{Result, StorageError, Store};

/// The outcome figures of a report.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OutcomeTotals {
    /// Tips closed as actioned in the window.
    pub actioned: i64,
    /// Of those, tips with a recorded outcome.
    pub with_outcome: i64,
    pub direct: i64,
    pub corroboration: i64,
    pub cases_opened: i64,
    pub detained: i64,
    pub venues_closed: i64,
    /// Approximate quantity seized, by (substance, unit).
    pub seized: BTreeMap<(String, String), f64>,
}

impl OutcomeTotals {
    fn add(&mut self, o: &Outcome) {
        self.with_outcome += 1;
        match o.contribution {
            Contribution::Direct => self.direct += 1,
            Contribution::Corroboration => self.corroboration += 1,
        }
        self.cases_opened += i64::from(o.case_opened);
        self.detained += i64::from(o.detained);
        self.venues_closed += i64::from(o.venue_closed);
        for s in &o.substances {
            *self
                .seized
                .entry((s.kind.to_string(), s.unit.to_string()))
                .or_default() += s.quantity;
        }
    }
}

impl Store {
    pub async fn report_outcomes(&self, w: &Window) -> Result<OutcomeTotals> {
        const BATCH: i64 = 5_000;
        let mut totals = OutcomeTotals::default();
        let mut after = 0i64;
        loop {
            let mut args = Args::default();
            let from = args.push(Arg::I(w.from_ms));
            let to = args.push(Arg::I(w.to_ms));
            let area = w.area.condition("t.", &mut args);
            let id = args.push(Arg::I(after));
            let lim = args.push(Arg::I(BATCH));
            let sql = format!(
                "SELECT t.id, t.reference, t.outcome FROM tips t WHERE t.status = 'closed' AND t.resolution = 'actioned' \
                 AND t.closed_at >= {from} AND t.closed_at < {to} AND {area} AND t.id > {id} ORDER BY t.id LIMIT {lim}"
            );
            let rows = args.bind(sqlx::query(&sql)).fetch_all(&self.pool).await?;
            for r in &rows {
                totals.actioned += 1;
                if let Some(text) = r.get::<Option<String>, _>("outcome") {
                    let o = Outcome::decode(&text).ok_or_else(|| {
                        let reference: String = r.get("reference");
                        StorageError::Corrupt(format!("tips.outcome of {reference}"))
                    })?;
                    totals.add(&o);
                }
            }
            match rows.last() {
                Some(last) if rows.len() as i64 == BATCH => after = last.get("id"),
                _ => return Ok(totals),
            }
        }
    }
}
