//! Opening the database for one command, and keeping its password out of messages.

use std::time::Duration;

use auth_core::store::sea_orm::{ConnectOptions, Database, DatabaseConnection};

use super::commands::CommandError;

/// How long a command waits for the database before giving up (sqlx would otherwise retry a
/// refused connection for 30 seconds).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// What replaces a password in a URL or a message.
const MASK: &str = "********";

/// Opens a pool to `url` as [`auth_core::store::connect`] does, with a short timeout.
pub(super) async fn connect(url: &str) -> Result<DatabaseConnection, CommandError> {
    if url.trim().is_empty() {
        return Err(CommandError::new(
            "no database URL: pass --database-url or set DATABASE_URL",
        ));
    }
    // A new SQLite file is created readable by its owner only (it holds tokens and sessions in
    // clear), as the library's own connection does.
    #[cfg(feature = "sqlite")]
    auth_core::store::sqlite_file::create_private(url).map_err(|error| {
        CommandError::new(format!(
            "cannot open the database {}: cannot create the file: {error}",
            redact_url(url)
        ))
    })?;
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .sqlx_logging(false)
        .connect_timeout(CONNECT_TIMEOUT)
        .acquire_timeout(CONNECT_TIMEOUT);
    if url.starts_with("sqlite::memory:") || url.contains("mode=memory") {
        // Every pooled connection to `:memory:` would be a separate, empty database.
        options.max_connections(1).min_connections(1);
    }
    Database::connect(options).await.map_err(|error| {
        CommandError::new(format!(
            "cannot open the database {}: {error}",
            redact_url(url)
        ))
    })
}

/// The secrets written in a URL: the password of `scheme://user:password@host/…` and the
/// value of a `password=` query parameter.
fn url_secrets(url: &str) -> Vec<&str> {
    let mut secrets = Vec::new();
    if let Some((_, rest)) = url.split_once("://") {
        let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let authority = rest.get(..authority_end).unwrap_or_default();
        if let Some((userinfo, _)) = authority.rsplit_once('@')
            && let Some((_, password)) = userinfo.split_once(':')
        {
            secrets.push(password);
        }
    }
    if let Some((_, query)) = url.split_once('?') {
        let query = query.split('#').next().unwrap_or_default();
        secrets.extend(
            query
                .split('&')
                .filter_map(|pair| pair.split_once('='))
                .filter(|(name, _)| name.eq_ignore_ascii_case("password"))
                .map(|(_, value)| value),
        );
    }
    secrets.retain(|secret| !secret.is_empty());
    secrets
}

/// `url` with its password (if any) masked.
pub(super) fn redact_url(url: &str) -> String {
    url_secrets(url)
        .into_iter()
        .fold(url.to_owned(), |url, secret| url.replace(secret, MASK))
}

/// `message` with every occurrence of the URL's secrets (as written, and percent-decoded)
/// masked: drivers sometimes quote the URL they were given.
pub(super) fn scrub(message: &str, url: &str) -> String {
    let mut message = message.replace(url, &redact_url(url));
    for secret in url_secrets(url) {
        message = message.replace(secret, MASK);
        let decoded = percent_decode(secret);
        if !decoded.is_empty() && decoded != secret {
            message = message.replace(&decoded, MASK);
        }
    }
    message
}

/// `%XX` sequences decoded; anything malformed is kept as it is.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while let Some(&byte) = bytes.get(index) {
        let hex = bytes
            .get(index + 1..index + 3)
            .and_then(|pair| std::str::from_utf8(pair).ok())
            .and_then(|pair| u8::from_str_radix(pair, 16).ok());
        match (byte, hex) {
            (b'%', Some(value)) => {
                decoded.push(value);
                index += 3;
            }
            _ => {
                decoded.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_is_masked_in_url_and_messages() {
        let url = "postgres://admin:p%40ss@db.example:5432/app?sslmode=require";
        assert_eq!(
            redact_url(url),
            "postgres://admin:********@db.example:5432/app?sslmode=require"
        );
        let message = format!("The connection string '{url}' failed; password p@ss rejected");
        let scrubbed = scrub(&message, url);
        assert!(!scrubbed.contains("p%40ss"), "{scrubbed}");
        assert!(!scrubbed.contains("p@ss"), "{scrubbed}");
        assert_eq!(
            redact_url("postgres://db/app?user=u&password=hunter2"),
            "postgres://db/app?user=u&password=********"
        );
    }

    #[test]
    fn urls_without_password_are_unchanged() {
        for url in [
            "sqlite://auth.db?mode=rwc",
            "sqlite::memory:",
            "postgres://admin@db/app",
            "postgres://db/app?user=a@b",
            "not a url",
            "sqlite://auth.db?mode=rwc&password=",
        ] {
            assert_eq!(redact_url(url), url);
        }
    }
}
