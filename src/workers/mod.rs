//! Background jobs that run beside the HTTP server.
pub mod broadcast;
pub mod checkpoints;
pub mod help_points;
pub mod notifications;
pub mod reply_notices;
pub mod retention;
