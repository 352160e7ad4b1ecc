//! Tests never inherit the developer's settings: a real `TELEGRAM_BOT_TOKEN`
//! in the shell would otherwise start a real channel, and a stray
//! `DATABASE_URL` would point a test at a real database. Every setting a
//! test needs is passed explicitly.
#![allow(dead_code)]
use std::collections::BTreeMap;
use std::process::Command;

/// Names Tipline reads as settings (or may in a channel being added).
const PREFIXES: &[&str] = &[
    "TIPLINE_",
    "TELEGRAM_",
    "TELOXIDE_",
    "ZALO_",
    "MESSENGER_",
    "FACEBOOK_",
    "WEBCHAT_",
];

pub fn is_setting(name: &str) -> bool {
    name == "DATABASE_URL" || PREFIXES.iter().any(|p| name.starts_with(p))
}

/// The process environment without any Tipline or channel setting.
pub fn clean_env() -> BTreeMap<String, String> {
    std::env::vars().filter(|(k, _)| !is_setting(k)).collect()
}

/// The `tipline` binary with every inherited setting removed.
pub fn tipline() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_tipline"));
    for (k, _) in std::env::vars() {
        if is_setting(&k) {
            c.env_remove(k);
        }
    }
    c
}
