//! The times the database keeps, and how coarse each one is. The rule (see
//! the module docs of `storage`): no time stored outside the tip tables may
//! equal, or narrow down, a tip's or an event's time.
//!
//! * Tips, events, their ledger entries and attachments: unix ms rounded DOWN
//!   to the minute ([`tip_time`]). Officers need no finer time, and a copy of
//!   the database cannot line a tip up with anything to the millisecond.
//! * Sessions and handled-message (dedupe) records: whole days since the unix
//!   epoch ([`day_number`]), a different unit altogether, so no value of theirs
//!   can equal a tip time even by accident.
//! * Wrong-receipt throttle times inside a session: minutes since the epoch
//!   ([`minute_number`]), again a unit no tip time uses.

pub const MINUTE_MS: i64 = 60_000;
pub use crate::domain::time::{DAY_MS, day_number};

/// The stored time of a tip, event, ledger entry or attachment.
pub fn tip_time(now_ms: i64) -> i64 {
    now_ms - now_ms.rem_euclid(MINUTE_MS)
}

/// Minutes since the unix epoch.
pub fn minute_number(now_ms: i64) -> i64 {
    now_ms.div_euclid(MINUTE_MS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tip_time_drops_seconds_and_milliseconds() {
        let t = 1_764_643_512_345; // 2025-12-02 02:45:12.345 UTC
        assert_eq!(tip_time(t), 1_764_643_500_000);
        assert_eq!(tip_time(tip_time(t)), tip_time(t));
    }

    #[test]
    fn day_and_minute_numbers_are_far_below_any_millisecond_time() {
        let t = 1_764_643_512_345;
        assert_eq!(day_number(t), 20_424);
        assert_eq!(minute_number(t), 29_410_725);
        // Any tip time after January 1970 is larger than every day or minute number until then.
        assert!(minute_number(t) < tip_time(31 * DAY_MS));
    }
}
