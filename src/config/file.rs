//! `tipline.toml`: flat `KEY = "value"` pairs, keys as the environment names.
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::ConfigError;

/// Reads the explicit file, or `./tipline.toml` when present. A file that
/// group or others may write is refused: whoever can edit it could point
/// Tipline's secrets elsewhere.
pub fn read(
    explicit: Option<&Path>,
) -> Result<(Option<PathBuf>, BTreeMap<String, String>), ConfigError> {
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        None => {
            let p = PathBuf::from("tipline.toml");
            if !p.exists() {
                return Ok((None, BTreeMap::new()));
            }
            p
        }
    };
    let io = |e: std::io::Error| ConfigError::Read {
        path: path.clone(),
        message: e.to_string(),
    };
    let meta = std::fs::metadata(&path).map_err(io)?;
    refuse_shared_writes(&path, &meta)?;
    let text = std::fs::read_to_string(&path).map_err(io)?;
    let table: toml::Table = toml::from_str(&text).map_err(|e| ConfigError::Parse {
        path: path.clone(),
        message: e.to_string(),
    })?;
    let mut out = BTreeMap::new();
    for (key, value) in table {
        let value = match value {
            toml::Value::String(s) => s,
            toml::Value::Integer(i) => i.to_string(),
            toml::Value::Boolean(b) => b.to_string(),
            _ => {
                return Err(ConfigError::Parse {
                    path,
                    message: format!("setting {key} must be a string, number or boolean"),
                });
            }
        };
        out.insert(key.to_ascii_uppercase(), value);
    }
    Ok((Some(path), out))
}

#[cfg(unix)]
fn refuse_shared_writes(path: &Path, meta: &std::fs::Metadata) -> Result<(), ConfigError> {
    use std::os::unix::fs::PermissionsExt;
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o022 != 0 {
        return Err(ConfigError::Writable {
            path: path.to_path_buf(),
            mode,
        });
    }
    Ok(())
}

#[cfg(not(unix))]
fn refuse_shared_writes(_: &Path, _: &std::fs::Metadata) -> Result<(), ConfigError> {
    Ok(())
}
