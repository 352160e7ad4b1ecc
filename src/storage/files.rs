//! The SQLite files on disk: owner-only (0600). SQLite gives its `-wal` and
//! `-shm` files the mode of the database file, so the database file is made
//! before SQLite opens it, and an existing one (and its companions) is
//! tightened. Nothing else on the host needs to read them.
use std::path::{Path, PathBuf};

/// The file path of an `sqlite:` URL, or `None` for an in-memory database.
pub(crate) fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or("");
    (!path.is_empty() && path != ":memory:").then(|| PathBuf::from(path))
}

/// Creates the database file 0600 when missing, and sets the file and its
/// `-wal`, `-shm` and `-journal` companions to 0600 when present.
pub(crate) fn make_private(db: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        if !db.exists() {
            if let Some(dir) = db.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)?;
            }
            // create_new loses a race to another starting replica harmlessly.
            let _ = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(db);
        }
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut name = db.as_os_str().to_owned();
            name.push(suffix);
            let path = PathBuf::from(name);
            if path.exists() {
                std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
            }
        }
    }
    #[cfg(not(unix))]
    let _ = db;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_path_of_sqlite_urls() {
        assert_eq!(
            sqlite_path("sqlite://data/tipline.db?mode=rwc"),
            Some(PathBuf::from("data/tipline.db"))
        );
        assert_eq!(
            sqlite_path("sqlite:///tmp/x.db"),
            Some(PathBuf::from("/tmp/x.db"))
        );
        assert_eq!(sqlite_path("sqlite::memory:"), None);
        assert_eq!(sqlite_path("postgres://h/db"), None);
    }

    #[cfg(unix)]
    #[test]
    fn creates_and_tightens_the_database_files() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("t.db");
        make_private(&db).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&db), 0o600);
        let wal = dir.path().join("t.db-wal");
        std::fs::write(&wal, b"x").unwrap();
        std::fs::set_permissions(&wal, std::fs::Permissions::from_mode(0o644)).unwrap();
        make_private(&db).unwrap();
        assert_eq!(mode(&wal), 0o600);
    }
}
