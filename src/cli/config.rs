//! `tipline config` and the console's default identity.
use crate::config::Config;

/// Every setting: effective value (secrets and URL passwords redacted),
/// origin (cli, env, file, default), and what it does.
pub fn print(config: &Config) {
    match config.file_path() {
        Some(path) => println!("Config file: {}", path.display()),
        None => println!("Config file: none (./tipline.toml is read when present)"),
    }
    println!("Precedence: cli > env > file > default. Secrets are shown as ***.\n");
    for entry in config.effective() {
        let value = entry.shown.as_deref().unwrap_or("(not set)");
        println!("{:30} {:8} {value}", entry.name, entry.origin.as_str());
        println!("{:30} {:8} {}", "", "", entry.help);
    }
}

/// A per-terminal chat identity for `tipline chat` without `--user`: the
/// login name and the terminal device, so two terminals are two citizens.
/// It is only ever hashed, like any console user id.
pub fn terminal_user() -> String {
    let login = std::env::var("USER").unwrap_or_default();
    let terminal = std::fs::read_link("/proc/self/fd/0")
        .ok()
        .map(|p| p.display().to_string())
        .filter(|p| p.starts_with("/dev/"))
        .unwrap_or_else(|| "stdin".into());
    format!("console:{login}@{terminal}")
}
