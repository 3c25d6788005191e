//! Whether a lookup value is text the database can hold at all.
//!
//! PostgreSQL's `text` and `varchar` cannot hold U+0000: a query that compares a column with a
//! value containing it fails ("invalid byte sequence for encoding UTF8: 0x00"), which Django
//! turns into a 500 and a caller of sea-orm into a store failure (503). No row of a Django
//! database on PostgreSQL can have such a key, and Django's forms refuse the character
//! (`ProhibitNullCharactersValidator`), so such a value matches no stored user, token or session
//! on any backend: the lookup answers "none" without asking the database, the answer SQLite
//! gives, and a 503 keeps meaning an outage. A Basic username is where it arrives in practice
//! (base64 can carry any byte; HTTP header values and cookies cannot carry a NUL).
//!
//! MySQL's and MariaDB's `utf8mb3` (their former `utf8`, the character set of many Django
//! databases made before MySQL 8.0) holds no character outside the Basic Multilingual Plane, and
//! the server refuses to compare such a column with a value that has one ("Illegal mix of
//! collations", error 1267) rather than answering no row. Such a value can be stored in a
//! `utf8mb4` column, so it cannot be refused beforehand: [`or_no_match`] reads that refusal of a
//! lookup as the "none" it means.

use sea_orm::DbErr;

/// Whether `value` can be the key of a stored row on every supported backend.
pub fn can_be_stored(value: &str) -> bool {
    !value.contains('\0')
}

/// `result` of a lookup by a key, with MySQL's refusal to compare a column with a value its
/// character set cannot represent (errors 1267, 1270, 1271, "Illegal mix of collations") read as
/// what it means: no row has that key. `T::default()` is the lookup's "none" (`None`, an empty
/// list, `false`). Any other error stays an error.
pub fn or_no_match<T: Default>(result: Result<T, DbErr>) -> Result<T, DbErr> {
    match result {
        Err(error) if is_unrepresentable(&error) => Ok(T::default()),
        other => other,
    }
}

#[cfg(feature = "mysql")]
fn is_unrepresentable(error: &DbErr) -> bool {
    use sea_orm::{RuntimeErr, sqlx};

    let (DbErr::Query(RuntimeErr::SqlxError(error)) | DbErr::Exec(RuntimeErr::SqlxError(error))) =
        error
    else {
        return false;
    };
    let sqlx::Error::Database(error) = &**error else {
        return false;
    };
    error
        .try_downcast_ref::<sqlx::mysql::MySqlDatabaseError>()
        .is_some_and(|error| matches!(error.number(), 1267 | 1270 | 1271))
}

/// Without MySQL no backend refuses a comparison for its value.
#[cfg(not(feature = "mysql"))]
fn is_unrepresentable(_: &DbErr) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nul_anywhere_cannot_be_stored() {
        assert!(can_be_stored("john"));
        assert!(can_be_stored("jöhn \u{1}\u{7f}"));
        assert!(can_be_stored(""));
        assert!(!can_be_stored("\0"));
        assert!(!can_be_stored("jo\0hn"));
    }
}
