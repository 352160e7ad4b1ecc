//! Background jobs that run beside the HTTP server.
pub mod broadcast;
pub mod notifications;
pub mod retention;
