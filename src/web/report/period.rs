//! A report's period: whole Vietnamese calendar days, at most a year, and the
//! same days one year earlier for the comparison.
use chrono::{Datelike, NaiveDate};

use super::super::text;

/// The longest period one report covers (a leap year).
pub const MAX_DAYS: i64 = 366;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: NaiveDate,
    /// Inclusive.
    pub to: NaiveDate,
}

/// Why a period was refused; each is a Fluent key, also used by the CLI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodError {
    BadDate,
    Inverted,
    TooLong,
}

impl PeriodError {
    pub fn key(self) -> &'static str {
        match self {
            PeriodError::BadDate => "report-error-date",
            PeriodError::Inverted => "report-error-inverted",
            PeriodError::TooLong => "report-error-too-long",
        }
    }
}

impl Period {
    /// "2027-06-01", "2027-06-30" (both inclusive).
    pub fn parse(from: &str, to: &str) -> Result<Period, PeriodError> {
        let day = |s: &str| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok();
        let (Some(from), Some(to)) = (day(from), day(to)) else {
            return Err(PeriodError::BadDate);
        };
        if to < from {
            return Err(PeriodError::Inverted);
        }
        if (to - from).num_days() + 1 > MAX_DAYS {
            return Err(PeriodError::TooLong);
        }
        Ok(Period { from, to })
    }

    pub fn from_day(&self) -> String {
        self.from.format("%Y-%m-%d").to_string()
    }

    pub fn to_day(&self) -> String {
        self.to.format("%Y-%m-%d").to_string()
    }

    /// Vietnam midnight starting the first day, in unix ms.
    pub fn from_ms(&self) -> i64 {
        text::parse_date(&self.from_day()).unwrap_or(0)
    }

    /// Vietnam midnight after the last day, in unix ms (exclusive end).
    pub fn to_ms(&self) -> i64 {
        text::parse_date(&self.to_day()).unwrap_or(0) + 86_400_000
    }

    pub fn days(&self) -> i64 {
        (self.to - self.from).num_days() + 1
    }

    /// The same days a year earlier (29 February becomes the 28th).
    pub fn last_year(&self) -> Option<Period> {
        let back = |d: NaiveDate| {
            d.with_year(d.year() - 1)
                .or_else(|| d.pred_opt()?.with_year(d.year() - 1))
        };
        Some(Period {
            from: back(self.from)?,
            to: back(self.to)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inverted_and_overlong_periods_are_refused() {
        assert_eq!(
            Period::parse("2027-06-30", "2027-06-01"),
            Err(PeriodError::Inverted)
        );
        assert_eq!(
            Period::parse("2017-06-01", "2027-06-01"),
            Err(PeriodError::TooLong)
        );
        assert_eq!(
            Period::parse("2027-06-31", "2027-07-01"),
            Err(PeriodError::BadDate)
        );
        let june = Period::parse("2027-06-01", "2027-06-30").unwrap();
        assert_eq!(june.days(), 30);
        assert_eq!(june.to_ms() - june.from_ms(), 30 * 86_400_000);
        let leap = Period::parse("2028-02-29", "2028-03-01").unwrap();
        assert_eq!(leap.last_year().unwrap().from_day(), "2027-02-28");
    }
}
