//! The privacy promise in code: keyed identities, the tamper-evident ledger,
//! attachment metadata stripping, and sealing at rest (`seal`).
pub mod checkpoint;
pub mod keyed;
pub mod ledger;
pub mod metadata;
pub mod purge;
pub mod seal;
