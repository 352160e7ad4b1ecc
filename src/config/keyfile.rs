//! Files that hold keys (server secret, ledger signing key, data keys) and the
//! data directory itself: created owner-only, and refused when someone else
//! could read them.
use std::path::Path;

use anyhow::Context;

use crate::privacy::seal::DataKeys;

/// Reads a key file, refusing one that group or others may read or write:
/// a key anyone on the host can copy protects nothing.
pub fn read_private(path: &Path) -> anyhow::Result<String> {
    refuse_loose(path)?;
    std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
}

#[cfg(unix)]
fn refuse_loose(path: &Path) -> anyhow::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::metadata(path).with_context(|| format!("reading {}", path.display()))?;
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        anyhow::bail!(
            "{} is readable or writable by group or others (mode {mode:03o}); a key anyone on this host can copy protects nothing, so Tipline refuses to start. Fix: chmod 600 {}",
            path.display(),
            path.display()
        );
    }
    Ok(())
}

#[cfg(not(unix))]
fn refuse_loose(_path: &Path) -> anyhow::Result<()> {
    Ok(())
}

/// Replaces a key file atomically (temp file, fsync, rename, fsync of the
/// directory): a crash leaves either the old file or the new one, whole.
pub fn replace_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let tmp = path.with_extension("tmp");
    let _ = std::fs::remove_file(&tmp);
    super::write_private(&tmp, bytes)?;
    std::fs::rename(&tmp, path)
        .with_context(|| format!("replacing {} with {}", path.display(), tmp.display()))?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::File::open(dir)
            .and_then(|d| d.sync_all())
            .with_context(|| format!("syncing {}", dir.display()))?;
    }
    Ok(())
}

/// The data keys from `path`, created (one new key, mode 0600) on first run.
/// Returns whether the file was created just now.
pub fn load_data_keys(path: &Path) -> anyhow::Result<(DataKeys, bool)> {
    let shown = path.display().to_string();
    if path.exists() {
        let text = read_private(path)?;
        return Ok((DataKeys::parse(&text, &shown)?, false));
    }
    let keys = DataKeys::generate(&shown);
    super::write_private(path, keys.to_file_text().as_bytes())
        .with_context(|| format!("creating the data key file {shown}"))?;
    Ok((keys, true))
}

/// Creates the data directory owner-only (0700), and takes group and other
/// access away from an existing one: it holds the database and the keys.
pub fn ensure_private_dir(dir: &Path) -> anyhow::Result<bool> {
    let created = !dir.exists();
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder
        .create(dir)
        .with_context(|| format!("creating data directory {}", dir.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir)?.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            tracing::warn!(
                dir = %dir.display(),
                mode = format!("{mode:03o}"),
                "data directory was open to group or others; setting it to 0700"
            );
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
                .with_context(|| format!("chmod 700 {}", dir.display()))?;
        }
    }
    Ok(created)
}

/// A lock on the data key file, held (shared) by every process that seals
/// with it and (exclusive) by `tipline keys rotate`: a rotation never runs
/// beside a server still sealing with the old key. Released on drop.
#[derive(Debug)]
pub struct KeyLock {
    _file: std::fs::File,
}

/// Takes the lock beside `key_file` (`<key file>.lock`), without waiting.
pub fn lock_keys(key_file: &Path, exclusive: bool) -> anyhow::Result<KeyLock> {
    let mut name = key_file.as_os_str().to_owned();
    name.push(".lock");
    let path = std::path::PathBuf::from(name);
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let file = opts
        .open(&path)
        .with_context(|| format!("opening {}", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::io::AsRawFd;
        let mode = if exclusive {
            libc::LOCK_EX
        } else {
            libc::LOCK_SH
        };
        // SAFETY: flock on a descriptor this function owns; no memory is shared.
        if unsafe { libc::flock(file.as_raw_fd(), mode | libc::LOCK_NB) } != 0 {
            anyhow::bail!(if exclusive {
                format!(
                    "Tipline is running with the data key file {} (a server or command holds {}); stop it, and every replica, before rotating keys",
                    key_file.display(),
                    path.display()
                )
            } else {
                format!(
                    "a data key rotation is running on {} (tipline keys rotate holds {}); start again when it has finished",
                    key_file.display(),
                    path.display()
                )
            });
        }
    }
    Ok(KeyLock { _file: file })
}
