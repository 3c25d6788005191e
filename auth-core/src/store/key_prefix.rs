//! Finding a row by a secret key without comparing the secret in the database: the database
//! looks the row up by the key's first characters, through the primary key's index, and the whole
//! key is then compared in constant time here.
//!
//! DRF (`Token.objects.select_related('user').get(key=key)`) and Django's database session
//! backend (`Session.objects.get(session_key=…)`) find the row by SQL equality, which compares
//! the presented key with the stored one byte by byte, and the time an index lookup takes depends
//! on how far they agree. Here only the first [`PREFIX_CHARS`] characters reach the database (as
//! knox keeps its `token_key`): a timing difference can at most tell whether some key starts
//! with them; the rest (32 of 40 hex characters of a DRF key, 24 of 32 of a session key) is
//! compared with `subtle`. Django's tables are not altered: SQLite answers a range on the
//! primary key, PostgreSQL a `LIKE 'prefix%'` on the `varchar_pattern_ops` index Django creates
//! for every text primary key, MySQL a `LIKE` on its index.

use sea_orm::DbBackend;
use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr, SimpleExpr};

use crate::django::crypto::constant_time_compare;

/// How many leading characters of a key the database sees.
pub const PREFIX_CHARS: usize = 8;

/// The most rows one prefix may bring back; keys are random, so more than one is already rare.
pub const MAX_CANDIDATES: u64 = 16;

/// The first [`PREFIX_CHARS`] characters of `key` (all of a shorter key: no generated key is,
/// and such a key, a test fixture's `abcd1234` or a hand-made one, has no secret part left to
/// protect); `None` for an empty key and for a key no backend can store (see
/// [`storable`](super::storable)), which are never looked up. The rows are read in key order,
/// so the key equal to a short prefix, the first in that order, is always among them.
pub fn prefix(key: &str) -> Option<&str> {
    if !super::storable::can_be_stored(key) {
        return None;
    }
    let end = key
        .char_indices()
        .nth(PREFIX_CHARS)
        .map_or(key.len(), |(index, _)| index);
    (!key.is_empty()).then(|| &key[..end])
}

/// The least string above every string that starts with `prefix` in SQLite's BINARY
/// collation, which orders by bytes: the prefix followed by the last code point.
pub fn upper_bound(prefix: &str) -> String {
    let mut bound = String::with_capacity(prefix.len() + 4);
    bound.push_str(prefix);
    bound.push('\u{10FFFF}');
    bound
}

/// The condition "`column` starts with `prefix`" that `backend` answers from the column's index.
pub fn starts_with(backend: DbBackend, column: Expr, prefix: &str) -> SimpleExpr {
    match backend {
        // SQLite's BINARY collation orders by bytes: the keys starting with the prefix are those
        // from the prefix up to the prefix followed by the last code point.
        DbBackend::Sqlite => column
            .clone()
            .gte(prefix)
            .and(column.lt(upper_bound(prefix))),
        _ => {
            let mut pattern = String::with_capacity(prefix.len() + 2);
            for c in prefix.chars() {
                if matches!(c, '%' | '_' | '\\') {
                    pattern.push('\\');
                }
                pattern.push(c);
            }
            pattern.push('%');
            column.like(LikeExpr::new(pattern).escape('\\'))
        }
    }
}

/// The candidate whose key is `key`, every candidate's key compared in constant time.
pub fn pick<T>(mut candidates: Vec<T>, key_of: impl Fn(&T) -> &str, key: &str) -> Option<T> {
    let mut found = None;
    for (index, candidate) in candidates.iter().enumerate() {
        // No early exit: each candidate costs one comparison whatever the outcome.
        if constant_time_compare(key_of(candidate), key) && found.is_none() {
            found = Some(index);
        }
    }
    // Compared in place and moved once: a row with its user is a few hundred bytes.
    found.map(|index| candidates.swap_remove(index))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prefix_is_eight_characters_of_a_long_enough_key() {
        assert_eq!(prefix("abcd1234ef"), Some("abcd1234"));
        assert_eq!(prefix("abcd1234"), Some("abcd1234"));
        assert_eq!(prefix("abc"), Some("abc"));
        assert_eq!(prefix(""), None);
        assert_eq!(prefix("abcd\u{0}1234ef"), None);
        assert_eq!(prefix("abcd1234ef\u{0}"), None);
        assert_eq!(prefix("ééééééééé"), Some("éééééééé"));
    }

    #[test]
    fn pick_compares_whole_keys() {
        let rows = vec!["abcd1234aaaa", "abcd1234bbbb"];
        assert_eq!(
            pick(rows.clone(), |row| row, "abcd1234bbbb"),
            Some("abcd1234bbbb")
        );
        assert_eq!(pick(rows.clone(), |row| row, "abcd1234"), None);
        assert_eq!(pick(rows, |row| row, "abcd1234cccc"), None);
    }
}
