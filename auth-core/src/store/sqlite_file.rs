//! The SQLite file behind a database URL: created readable by its owner only, and reported
//! when it did not exist.
//!
//! The file holds what Django keeps in clear (DRF token keys, session keys) and the password
//! hashes. sqlx would create it with the process's umask (usually `0644`, readable by every
//! local user); it is created here first, `0600`, and SQLite gives its `-wal` and `-shm` files
//! the same mode. A file that did not exist is also a sign of a mistyped `DATABASE_URL` when an
//! existing Django database was meant: the connection logs a warning naming the new file.

use std::path::PathBuf;
use std::str::FromStr;

use sea_orm::sqlx::sqlite::SqliteConnectOptions;

/// Where `url` puts its SQLite file, when it names one sqlx may create (`mode=rwc`); `None` for
/// other databases, in-memory ones, and URLs sqlx will reject (it reports them itself).
pub fn creatable_path(url: &str) -> Option<PathBuf> {
    if !url.starts_with("sqlite:") || url.starts_with("sqlite::memory:") {
        return None;
    }
    let query = url.split_once('?').map_or("", |(_, query)| query);
    let mode = form_urlencoded::parse(query.as_bytes())
        .find(|(key, _)| key == "mode")
        .map(|(_, value)| value.into_owned());
    if mode.as_deref() != Some("rwc") {
        return None;
    }
    let options = SqliteConnectOptions::from_str(url).ok()?;
    let path = options.get_filename().to_path_buf();
    (path.as_os_str() != ":memory:").then_some(path)
}

/// Creates the file of `url`, mode `0600`, when `url` may create it and it does not exist yet.
/// Returns the path of a file it created.
pub fn create_private(url: &str) -> std::io::Result<Option<PathBuf>> {
    let Some(path) = creatable_path(url) else {
        return Ok(None);
    };
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(&path) {
        Ok(_) => Ok(Some(path)),
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => Ok(None),
        Err(error) => Err(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_creatable_sqlite_files_have_a_path() {
        assert_eq!(
            creatable_path("sqlite://auth.db?mode=rwc"),
            Some(PathBuf::from("auth.db"))
        );
        assert_eq!(
            creatable_path("sqlite:///tmp/x.db?mode=rwc&cache=shared"),
            Some(PathBuf::from("/tmp/x.db"))
        );
        for url in [
            "sqlite://auth.db",
            "sqlite://auth.db?mode=rw",
            "sqlite::memory:",
            "sqlite://file?mode=memory",
            "postgres://localhost/test",
        ] {
            assert_eq!(creatable_path(url), None, "{url}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_new_file_is_private_and_an_existing_one_is_left_alone() {
        use std::os::unix::fs::PermissionsExt;

        let path = std::env::temp_dir().join(format!(
            "sqlite-file-private-{}-{}.db",
            std::process::id(),
            rand::random::<u32>()
        ));
        let url = format!("sqlite://{}?mode=rwc", path.display());
        assert_eq!(create_private(&url).unwrap(), Some(path.clone()));
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert_eq!(create_private(&url).unwrap(), None, "exists now");
        std::fs::remove_file(&path).unwrap();
    }
}
