//! The privacy promise in code: keyed identities, the tamper-evident ledger,
//! and attachment metadata stripping.
pub mod checkpoint;
pub mod keyed;
pub mod ledger;
pub mod metadata;
pub mod purge;
pub mod seal;
