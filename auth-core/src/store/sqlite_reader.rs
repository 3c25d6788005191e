//! The hot reads on a SQLite file, done synchronously on the request's own thread.
//!
//! sqlx runs each SQLite connection on a thread of its own and hands every query to it and the
//! rows back through channels; with a token lookup on every request, those thread switches were
//! half of the server's CPU in the project's benchmarks. An indexed read of a cached page takes
//! microseconds, less than one switch, so the three lookups on the request path — a DRF token
//! with its user, a session row, a user by id — read through a connection of the calling thread
//! instead (read-only, one per thread and database file, statements cached), as Django itself
//! does. Everything else, and every write, stays on sea-orm.
//!
//! The answer is the same as sea-orm's: the same SQL comparisons on the same file, committed
//! data only. When this path cannot answer — not a SQLite file (PostgreSQL, MySQL, an in-memory
//! database), the file busy with a writer's commit, a value it does not read the way sqlx does —
//! it returns `None` and the caller asks sea-orm. As with sqlx's own connections, a database file
//! replaced on disk under a running server is not followed: restart it.

use std::cell::RefCell;
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::LazyLock;

use chrono::{DateTime, NaiveDateTime, Utc};
use rusqlite::{Connection, OpenFlags, OptionalExtension, Row};
use sea_orm::{DatabaseConnection, DbBackend};

use super::user::{User, UserModel};
use super::user_id::UserId;
use super::{key_prefix, session, token};

thread_local! {
    /// This thread's read-only connection to each database file: a list, not a map, because
    /// there is one file in all but tests, and hashing a `Path` (component by component) cost
    /// more than the comparison (1,400 instructions per request, measured with callgrind).
    static CONNECTIONS: RefCell<Vec<(PathBuf, Connection)>> = const { RefCell::new(Vec::new()) };

    /// The two user queries' SQL for the last user model asked for on this thread (one per
    /// project): `format!` on every request cost 1,900 instructions (callgrind).
    static USER_SQL: RefCell<Option<(UserModel, Rc<UserSql>)>> = const { RefCell::new(None) };
}

/// The SQL text of the reads that return a user, for one user model.
struct UserSql {
    token_with_user: String,
    user_by_id: String,
    /// As `oauth2_access_token::by_checksum`.
    #[cfg(feature = "oauth2")]
    access_token_with_user: String,
}

impl UserSql {
    fn new(users: &UserModel) -> Self {
        let columns = user_columns(users);
        Self {
            // As `token::find_with_user`: the rows whose key starts with the prefix (a range on
            // the primary key's index), then the whole key compared in constant time.
            token_with_user: format!(
                "SELECT t.\"key\", t.\"created\", t.\"user_id\", {columns} FROM \"authtoken_token\" t \
                 INNER JOIN \"{}\" u ON u.\"id\" = t.\"user_id\" \
                 WHERE t.\"key\" >= ?1 AND t.\"key\" < ?2 ORDER BY t.\"key\" LIMIT {}",
                users.table(),
                key_prefix::MAX_CANDIDATES
            ),
            user_by_id: format!(
                "SELECT {columns} FROM \"{}\" u WHERE u.\"id\" = ?1",
                users.table()
            ),
            #[cfg(feature = "oauth2")]
            access_token_with_user: format!(
                "SELECT t.\"id\", t.\"user_id\", t.\"application_id\", t.\"expires\", \
                 t.\"scope\", t.\"resource\", {columns} FROM \"oauth2_provider_accesstoken\" t \
                 LEFT JOIN \"{}\" u ON u.\"id\" = t.\"user_id\" \
                 WHERE t.\"token_checksum\" = ?1 LIMIT 1",
                users.table()
            ),
        }
    }

    /// This thread's SQL for `users`, made on first use.
    fn of(users: &UserModel) -> Rc<Self> {
        USER_SQL.with(|cached| {
            let mut cached = cached.borrow_mut();
            match &*cached {
                Some((model, sql)) if model == users => Rc::clone(sql),
                _ => {
                    let sql = Rc::new(Self::new(users));
                    *cached = Some((users.clone(), Rc::clone(&sql)));
                    sql
                }
            }
        })
    }
}

/// As `session::load`: by prefix, then the whole key in constant time.
static LIVE_SESSION_SQL: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT \"session_key\", \"session_data\", \"expire_date\" FROM \"django_session\" \
         WHERE \"session_key\" >= ?1 AND \"session_key\" < ?2 AND \"expire_date\" > ?3 \
         ORDER BY \"session_key\" LIMIT {}",
        key_prefix::MAX_CANDIDATES
    )
});

/// Runs `read` on this thread's connection to `db`'s file; `None` when there is no such file or
/// the read failed (the caller then asks sea-orm, which reports any real error).
fn with_connection<T>(
    db: &DatabaseConnection,
    read: impl FnOnce(&Connection) -> rusqlite::Result<T>,
) -> Option<T> {
    if db.get_database_backend() != DbBackend::Sqlite {
        return None;
    }
    let options = db.get_sqlite_connection_pool().connect_options();
    let path = options.get_filename();
    CONNECTIONS.with(|connections| {
        let mut connections = connections.try_borrow_mut().ok()?;
        let known = connections
            .iter()
            .position(|(known, _)| known.as_os_str() == path.as_os_str());
        let index = match known {
            Some(index) => index,
            None => {
                // `:memory:`, `file:sqlx-in-memory-N` and URIs are not files of their own.
                // Checked once per thread and file: a stat on every request would cost a path
                // lookup.
                if !path.is_file() {
                    return None;
                }
                let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
                let connection = Connection::open_with_flags(path, flags).ok()?;
                connections.push((path.to_path_buf(), connection));
                connections.len() - 1
            }
        };
        let (_, connection) = connections.get(index)?;
        match read(connection) {
            Ok(value) => Some(value),
            Err(error) => {
                // Busy (a writer is committing) or unexpected: sea-orm answers instead.
                tracing::trace!(%error, "synchronous SQLite read fell back to sea-orm");
                None
            }
        }
    })
}

/// Runs `reads` (reads of this module on `db`) inside one read transaction of this thread's
/// connection, so that they share one snapshot and one shared lock on the file.
///
/// In Django's default rollback-journal mode each read on its own takes and releases the file's
/// shared lock and checks for a hot journal: 8 system calls (`strace -c`) that a session
/// request, reading its session row and then its user, paid twice. `reads` must be synchronous
/// (nothing else on this thread may read inside the transaction, or it would see the same
/// snapshot); the transaction ends when it returns or unwinds, and a connection that cannot end
/// it is closed rather than left on an old snapshot.
pub(crate) fn in_one_read<T>(db: &DatabaseConnection, reads: impl FnOnce() -> T) -> T {
    struct EndRead<'a>(&'a DatabaseConnection);
    impl Drop for EndRead<'_> {
        fn drop(&mut self) {
            let ended = with_connection(self.0, |connection| {
                if !connection.is_autocommit() {
                    connection.prepare_cached("COMMIT")?.execute([])?;
                }
                Ok(connection.is_autocommit())
            });
            if ended != Some(true) {
                forget_connection(self.0);
            }
        }
    }
    let began = with_connection(db, |connection| {
        // A transaction left open (which the end below rules out) would otherwise be joined.
        if !connection.is_autocommit() {
            connection.prepare_cached("ROLLBACK")?.execute([])?;
        }
        connection.prepare_cached("BEGIN DEFERRED")?.execute([])
    });
    let _end = began.is_some().then(|| EndRead(db));
    reads()
}

/// Closes this thread's connection to `db`'s file (the next read opens a new one).
fn forget_connection(db: &DatabaseConnection) {
    let options = db.get_sqlite_connection_pool().connect_options();
    let path = options.get_filename();
    CONNECTIONS.with(|connections| {
        if let Ok(mut connections) = connections.try_borrow_mut() {
            connections.retain(|(known, _)| known.as_os_str() != path.as_os_str());
        }
    });
}

/// A datetime as Django writes it on SQLite (`2026-11-29 01:08:20.123456`), or RFC 3339.
fn datetime(row: &Row<'_>, index: usize) -> rusqlite::Result<DateTime<Utc>> {
    // Read in place: a `String` per column would be an allocation for nothing.
    let text = row.get_ref(index)?.as_str().map_err(|error| {
        rusqlite::Error::FromSqlConversionFailure(
            index,
            rusqlite::types::Type::Text,
            Box::new(error),
        )
    })?;
    parse_datetime(text).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            index,
            rusqlite::types::Type::Text,
            "not a datetime".into(),
        )
    })
}

fn parse_datetime(text: &str) -> Option<DateTime<Utc>> {
    django_datetime(text).or_else(|| {
        DateTime::parse_from_rfc3339(text)
            .ok()
            .map(|instant| instant.with_timezone(&Utc))
    })
}

/// `YYYY-MM-DD HH:MM:SS[.f…]`, read by position: three of these per request, and chrono's
/// format-string parser re-reads its pattern on every call.
fn django_datetime(text: &str) -> Option<DateTime<Utc>> {
    let bytes = text.as_bytes();
    let number = |from: usize, to: usize| -> Option<u32> {
        let digits = bytes.get(from..to)?;
        digits.iter().try_fold(0u32, |value, &digit| {
            digit
                .is_ascii_digit()
                .then(|| value * 10 + u32::from(digit - b'0'))
        })
    };
    if bytes.get(4) != Some(&b'-')
        || bytes.get(7) != Some(&b'-')
        || bytes.get(10) != Some(&b' ')
        || bytes.get(13) != Some(&b':')
        || bytes.get(16) != Some(&b':')
    {
        return None;
    }
    let nanos = match bytes.get(19) {
        None => 0,
        Some(b'.') => {
            let fraction = bytes.get(20..).filter(|f| (1..=9).contains(&f.len()))?;
            let value = number(20, bytes.len())?;
            value * 10u32.pow(9 - fraction.len() as u32)
        }
        Some(_) => return None,
    };
    let date = chrono::NaiveDate::from_ymd_opt(
        i32::try_from(number(0, 4)?).ok()?,
        number(5, 7)?,
        number(8, 10)?,
    )?;
    let time = chrono::NaiveTime::from_hms_nano_opt(
        number(11, 13)?,
        number(14, 16)?,
        number(17, 19)?,
        nanos,
    )?;
    Some(NaiveDateTime::new(date, time).and_utc())
}

fn optional_datetime(row: &Row<'_>, index: usize) -> rusqlite::Result<Option<DateTime<Utc>>> {
    match row.get_ref(index)? {
        rusqlite::types::ValueRef::Null => Ok(None),
        _ => datetime(row, index).map(Some),
    }
}

/// The user columns in [`user_from`]'s order, read from `u`.
fn user_columns(users: &UserModel) -> String {
    format!(
        "u.\"id\", u.\"password\", u.\"last_login\", u.\"is_superuser\", u.\"{}\", \
         u.\"first_name\", u.\"last_name\", u.\"email\", u.\"is_staff\", u.\"is_active\", \
         u.\"date_joined\"",
        users.username_field()
    )
}

fn user_from(row: &Row<'_>, first: usize) -> rusqlite::Result<User> {
    Ok(User {
        id: row.get(first)?,
        password: row.get(first + 1)?,
        last_login: optional_datetime(row, first + 2)?,
        is_superuser: row.get(first + 3)?,
        username: row.get(first + 4)?,
        first_name: row.get(first + 5)?,
        last_name: row.get(first + 6)?,
        email: row.get(first + 7)?,
        is_staff: row.get(first + 8)?,
        is_active: row.get(first + 9)?,
        date_joined: datetime(row, first + 10)?,
    })
}

/// [`token::find_with_user`] on this thread, when `db` is a SQLite file.
pub(crate) fn token_with_user(
    db: &DatabaseConnection,
    users: &UserModel,
    key: &str,
) -> Option<Option<(token::Model, User)>> {
    let Some(prefix) = key_prefix::prefix(key) else {
        return Some(None);
    };
    let upper = key_prefix::upper_bound(prefix);
    let sql = UserSql::of(users);
    with_connection(db, |connection| {
        let mut statement = connection.prepare_cached(&sql.token_with_user)?;
        let rows = statement
            .query_map([prefix, upper.as_str()], |row| {
                let token = token::Model {
                    key: row.get(0)?,
                    created: datetime(row, 1)?,
                    user_id: row.get(2)?,
                };
                Ok((token, user_from(row, 3)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(key_prefix::pick(rows, |(token, _)| token.key.as_str(), key))
    })
}

/// [`oauth2_access_token::by_checksum`](super::oauth2_access_token::by_checksum) on this
/// thread, when `db` is a SQLite file.
#[cfg(feature = "oauth2")]
pub(crate) fn access_token_with_user(
    db: &DatabaseConnection,
    users: &UserModel,
    checksum: &str,
) -> Option<Option<(super::oauth2_access_token::AccessToken, Option<User>)>> {
    use super::oauth2_access_token::{AccessToken, Resource};

    let sql = UserSql::of(users);
    with_connection(db, |connection| {
        let mut statement = connection.prepare_cached(&sql.access_token_with_user)?;
        let found = statement
            .query_row([checksum], |row| {
                let token = AccessToken {
                    id: row.get(0)?,
                    user_id: row.get(1)?,
                    application_id: row.get(2)?,
                    expires: datetime(row, 3)?,
                    scope: row.get(4)?,
                    resource: Resource::from_json(row.get::<_, Option<String>>(5)?.as_deref()),
                };
                // A user key that names no row (no foreign keys enforced): no token, as the
                // sea-orm query answers.
                let user = match (token.user_id, row.get_ref(6)?) {
                    (None, _) => Some(None),
                    (Some(_), rusqlite::types::ValueRef::Null) => None,
                    (Some(_), _) => Some(Some(user_from(row, 6)?)),
                };
                Ok(user.map(|user| (token, user)))
            })
            .optional()?;
        Ok(found.flatten())
    })
}

/// [`UserModel::find_by_id`] on this thread, when `db` is a SQLite file.
pub(crate) fn user_by_id(
    db: &DatabaseConnection,
    users: &UserModel,
    id: UserId,
) -> Option<Option<User>> {
    let sql = UserSql::of(users);
    with_connection(db, |connection| {
        let mut statement = connection.prepare_cached(&sql.user_by_id)?;
        statement
            .query_row([id], |row| user_from(row, 0))
            .optional()
    })
}

/// [`session::load`] on this thread, when `db` is a SQLite file: the row with this key that
/// expires after `now`, compared as Django's text, as the sea-orm query does.
pub(crate) fn live_session(
    db: &DatabaseConnection,
    key: &str,
    now: DateTime<Utc>,
) -> Option<Option<session::Model>> {
    let Some(prefix) = key_prefix::prefix(key) else {
        return Some(None);
    };
    let upper = key_prefix::upper_bound(prefix);
    with_connection(db, |connection| {
        let mut statement = connection.prepare_cached(&LIVE_SESSION_SQL)?;
        let rows = statement
            .query_map(
                [prefix, upper.as_str(), &super::datetime::django_text(now)],
                |row| {
                    Ok(session::Model {
                        session_key: row.get(0)?,
                        session_data: row.get(1)?,
                        expire_date: datetime(row, 2)?,
                    })
                },
            )?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(key_prefix::pick(rows, |row| row.session_key.as_str(), key))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_djangos_text_and_rfc_3339() {
        let whole = parse_datetime("2026-11-29 01:08:20").unwrap_or_default();
        assert_eq!(whole.to_rfc3339(), "2026-11-29T01:08:20+00:00");
        let fraction = parse_datetime("2026-11-29 01:08:20.123456").unwrap_or_default();
        assert_eq!(fraction.timestamp_subsec_micros(), 123_456);
        let rfc = parse_datetime("2026-11-29T01:08:20.5+00:00").unwrap_or_default();
        assert_eq!(rfc.timestamp_subsec_millis(), 500);
        assert!(parse_datetime("yesterday").is_none());
        assert!(parse_datetime("2026-11-29 01:08:20.").is_none());
        assert!(parse_datetime("2026-11-29 01:08:2x").is_none());
        assert!(parse_datetime("2026-13-29 01:08:20").is_none());
        // The same instants as chrono's own parser, on a range of values.
        for text in [
            "1999-01-01 00:00:00",
            "2026-02-28 23:59:59.999999",
            "2030-07-04 12:30:45.5",
        ] {
            let chrono = NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f")
                .map(|naive| naive.and_utc())
                .ok();
            assert_eq!(parse_datetime(text), chrono, "{text}");
        }
    }
}
