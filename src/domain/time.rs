//! Vietnam time. Units report by the Vietnamese calendar day, and officers
//! read times in it, so every conversion goes through this one offset.
use chrono::{DateTime, FixedOffset};

/// Vietnam has used UTC+7 all year since 1975: one zone, no daylight saving.
pub fn vn_offset() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).expect("valid offset")
}

/// A unix-millisecond instant in Vietnam time; `None` when out of range.
pub fn vn_local(ms: i64) -> Option<DateTime<FixedOffset>> {
    DateTime::from_timestamp_millis(ms).map(|d| d.with_timezone(&vn_offset()))
}

pub const DAY_MS: i64 = 86_400_000;

/// Whole days since the unix epoch (UTC): the only time some records keep
/// (see `storage::stored_time`).
pub fn day_number(now_ms: i64) -> i64 {
    now_ms.div_euclid(DAY_MS)
}

/// The calendar day in Vietnam, "YYYY-MM-DD", which is how units report.
pub fn vn_day(now_ms: i64) -> String {
    vn_local(now_ms)
        .or_else(|| vn_local(0))
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_vietnamese_day_starts_at_17_utc() {
        // 2025-07-01 16:59:59 UTC is still 23:59:59 on the 1st in Vietnam.
        assert_eq!(vn_day(1_751_389_199_000), "2025-07-01");
        assert_eq!(vn_day(1_751_389_200_000), "2025-07-02");
    }
}
