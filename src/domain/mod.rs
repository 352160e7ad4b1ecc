//! Pure types and rules: no I/O, no clocks, no randomness of their own.
pub mod area;
pub mod campaign;
pub mod campaign_presets;
pub mod receipt;
pub mod replay;
pub mod routing;
pub mod text;
pub mod tip;
