//! Channel adapters: thin translations between a platform and the engine.
pub mod console;
pub mod split;
