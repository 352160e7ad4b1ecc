//! Channel adapters: thin translations between a platform and the engine.
pub mod attachment;
pub mod back_off;
pub mod console;
pub mod messenger;
pub mod ordering;
pub mod outgoing;
mod runtime;
pub mod split;
pub mod telegram;
pub mod web;
pub mod zalo;

pub use runtime::Channels;
