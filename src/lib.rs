//! Tipline: drug-awareness chatbot and anonymous tip line for Vietnamese police units.
//! ARCHITECTURE.md (layers, the life of one message, where to add things) and
//! README.md (running it) give the big picture.
pub mod app;
pub mod bot;
pub mod channels;
pub mod cli;
pub mod config;
pub mod content;
pub mod conversation;
pub mod domain;
pub mod i18n;
pub mod privacy;
pub mod storage;
pub mod web;
pub mod workers;
