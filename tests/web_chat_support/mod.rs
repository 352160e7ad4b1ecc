//! Support for the web chat browser test: the real `tipline serve` binary
//! with its log in a file, and a host site on another loopback origin.
#![allow(dead_code)]
pub mod browser;
pub mod servers;
