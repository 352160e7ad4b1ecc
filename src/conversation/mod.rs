//! The channel-agnostic conversation engine: a pure function of
//! (session state, inbound message, read-only context) to (new state, replies, effects).
//! Channels translate to and from these types; storage persists the state and applies effects.
mod classroom;
mod engine;
mod erase;
mod followup;
mod helpdesk;
mod intent;
mod learn;
mod menu;
mod quiz;
mod report;
mod state;
mod subscribe;
mod types;

pub use engine::step;
pub use quiz::parse_class;
pub use state::{QuizItem, QuizRun, ReportStep, Session, Step};
// Effect and the tip views are domain types (storage applies them without
// knowing the engine); re-exported here because `step` returns them.
pub use crate::domain::effect::TipMessageView;
pub use types::{Choice, Ctx, Effect, Inbound, Input, NewTip, Outcome, Reply, TipStatusView};
