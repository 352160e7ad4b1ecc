//! The statistics table (tips per category by status and resolution), built
//! once for the page and the CSV export so both always show the same numbers.
use super::stats::Range;
use crate::app::AppState;
use crate::domain::tip::{Category, Resolution, Status};
use crate::storage::StorageError;
use crate::storage::stats::CategoryCount;

/// One column of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatsColumn {
    Total,
    Status(Status),
    Resolution(Resolution),
}

/// Total, then each status, then each resolution.
pub const COLUMNS: usize = 1 + Status::ALL.len() + Resolution::ALL.len();

impl StatsColumn {
    pub fn all() -> [StatsColumn; COLUMNS] {
        let mut cols = [StatsColumn::Total; COLUMNS];
        for (i, s) in Status::ALL.iter().enumerate() {
            cols[1 + i] = StatsColumn::Status(*s);
        }
        for (i, r) in Resolution::ALL.iter().enumerate() {
            cols[1 + Status::ALL.len() + i] = StatsColumn::Resolution(*r);
        }
        cols
    }

    /// The CSV header name: "total", or the stored status or resolution name.
    pub fn csv_name(self) -> &'static str {
        match self {
            StatsColumn::Total => "total",
            StatsColumn::Status(s) => s.as_str(),
            StatsColumn::Resolution(r) => r.as_str(),
        }
    }

    /// The Fluent key of the column heading.
    pub fn label_key(self) -> &'static str {
        match self {
            StatsColumn::Total => "stats-col-total",
            StatsColumn::Status(Status::New) => "stats-col-new",
            StatsColumn::Status(Status::Open) => "stats-col-open",
            StatsColumn::Status(Status::Closed) => "stats-col-closed",
            StatsColumn::Resolution(Resolution::Actioned) => "stats-col-actioned",
            StatsColumn::Resolution(Resolution::Unfounded) => "stats-col-unfounded",
            StatsColumn::Resolution(Resolution::Duplicate) => "stats-col-duplicate",
            StatsColumn::Resolution(Resolution::Spam) => "stats-col-spam",
        }
    }
}

/// Counts per category, in the order of the category names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryTable {
    rows: Vec<(Category, [i64; COLUMNS])>,
}

impl CategoryTable {
    /// The table for a range and scope.
    pub async fn load(state: &AppState, range: &Range) -> Result<Self, StorageError> {
        let counts = state
            .store
            .category_status_counts(&range.area, range.from_ms, range.to_ms)
            .await?;
        Ok(CategoryTable::from_counts(&counts))
    }

    /// Every category gets a row, zero or not; unknown stored names are skipped.
    pub fn from_counts(counts: &[CategoryCount]) -> Self {
        let mut rows: Vec<(Category, [i64; COLUMNS])> =
            Category::ALL.iter().map(|c| (*c, [0; COLUMNS])).collect();
        rows.sort_by_key(|(c, _)| c.as_str());
        let columns = StatsColumn::all();
        for c in counts {
            let Some(row) = Category::parse(&c.category)
                .and_then(|cat| rows.iter_mut().find(|(r, _)| *r == cat))
            else {
                continue;
            };
            let status = Status::parse(&c.status).map(StatsColumn::Status);
            let resolution = c
                .resolution
                .as_deref()
                .and_then(Resolution::parse)
                .map(StatsColumn::Resolution);
            for (i, col) in columns.iter().enumerate() {
                if *col == StatsColumn::Total || Some(*col) == status || Some(*col) == resolution {
                    row.1[i] += c.n;
                }
            }
        }
        CategoryTable { rows }
    }

    pub fn rows(&self) -> &[(Category, [i64; COLUMNS])] {
        &self.rows
    }

    /// Column sums over all categories.
    pub fn totals(&self) -> [i64; COLUMNS] {
        let mut totals = [0; COLUMNS];
        for (_, row) in &self.rows {
            for (t, v) in totals.iter_mut().zip(row) {
                *t += v;
            }
        }
        totals
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(category: &str, status: &str, resolution: Option<&str>, n: i64) -> CategoryCount {
        CategoryCount {
            category: category.into(),
            status: status.into(),
            resolution: resolution.map(Into::into),
            n,
        }
    }

    #[test]
    fn counts_land_in_total_status_and_resolution_columns() {
        let t = CategoryTable::from_counts(&[
            count("dealing", "new", None, 2),
            count("dealing", "closed", Some("spam"), 3),
            count("no_such_category", "new", None, 100),
        ]);
        let dealing = t
            .rows()
            .iter()
            .find(|(c, _)| *c == Category::Dealing)
            .unwrap()
            .1;
        assert_eq!(dealing, [5, 2, 0, 3, 0, 0, 0, 3]);
        assert_eq!(t.totals(), [5, 2, 0, 3, 0, 0, 0, 3]);
        assert_eq!(t.rows().len(), Category::ALL.len());
        assert_eq!(
            t.rows()[0].0,
            Category::Cultivation,
            "sorted by stored name"
        );
    }
}
