//! Pure types and rules: no I/O, no clocks, no randomness of their own.
pub mod area;
pub mod campaign;
pub mod campaign_presets;
pub mod channel;
pub mod effect;
pub mod help;
pub mod officer;
pub mod outcome;
pub mod quiz;
pub mod receipt;
pub mod replay;
pub mod routing;
pub mod text;
pub mod time;
pub mod tip;

/// The official list of provinces and wards (July 2025), compiled in so the
/// binary can never route against a missing or stale file.
pub const ADMIN_UNITS_CSV: &str = include_str!("../../data/vn-admin-units-2025.csv");
