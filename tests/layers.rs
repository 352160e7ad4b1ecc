//! The layering rule of ARCHITECTURE.md, checked on the source text so it
//! stays true: lower layers never name a module above them.
//!
//! It reads every `crate::<module>` path (also inside `crate::{a, b}` groups)
//! in a layer's files, comments skipped, and fails with file and line.
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Modules that wire or serve the app: nothing below them may name them.
const UPPER: &[&str] = &["bot", "app", "web", "channels", "workers", "cli"];

/// (layer, modules it must not import).
fn rules() -> Vec<(&'static str, Vec<&'static str>)> {
    let mut rules = Vec::new();
    for low in ["domain", "storage", "content", "privacy", "i18n"] {
        rules.push((low, UPPER.to_vec()));
    }
    // Storage and the engine both build on the domain, never on each other.
    rules.push(("storage", vec!["conversation"]));
    rules.push(("conversation", [UPPER, &["storage"]].concat()));
    // The domain is the bottom: not even storage, the engine or content.
    rules.push((
        "domain",
        vec!["storage", "conversation", "content", "config"],
    ));
    // Workers run beside the dashboard, not through it.
    rules.push(("workers", vec!["web", "cli"]));
    rules
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The files of a layer: `src/<layer>.rs` and everything under `src/<layer>/`.
fn files_of(layer: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let single = src().join(format!("{layer}.rs"));
    if single.is_file() {
        out.push(single);
    }
    let mut dirs = vec![src().join(layer)];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    out
}

/// Top-level modules named by `crate::` paths on one line of code.
fn crate_modules(line: &str) -> BTreeSet<String> {
    let code = line.split("//").next().unwrap_or("");
    let mut found = BTreeSet::new();
    for (i, _) in code.match_indices("crate::") {
        let rest = &code[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // `crate::{a::X, b}`: every name at the start of an item.
            for item in group.split([',', '}']) {
                found.insert(ident(item.trim()));
            }
        } else {
            found.insert(ident(rest));
        }
    }
    found.retain(|m| !m.is_empty());
    found
}

fn ident(s: &str) -> String {
    s.chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

#[test]
fn lower_layers_import_nothing_from_the_layers_above_them() {
    let mut broken = Vec::new();
    for (layer, forbidden) in rules() {
        let files = files_of(layer);
        assert!(!files.is_empty(), "no source files for layer {layer}");
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            for (n, line) in text.lines().enumerate() {
                for m in crate_modules(line) {
                    if forbidden.contains(&m.as_str()) {
                        broken.push(format!(
                            "{}:{}: {layer} imports crate::{m}",
                            file.strip_prefix(src()).unwrap().display(),
                            n + 1
                        ));
                    }
                }
            }
        }
    }
    assert!(
        broken.is_empty(),
        "layering broken (see ARCHITECTURE.md):\n{}",
        broken.join("\n")
    );
}

#[test]
fn the_import_reader_sees_plain_and_grouped_paths_but_not_comments() {
    let m = crate_modules("use crate::{bot::now_ms, web};");
    assert_eq!(m, BTreeSet::from(["bot".to_string(), "web".to_string()]));
    let m = crate_modules("    let x = crate::app::AppState::load(c); // crate::cli");
    assert_eq!(m, BTreeSet::from(["app".to_string()]));
    assert!(crate_modules("// uses crate::web for nothing").is_empty());
}
