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

/// Whether `value` can be the key of a stored row on every supported backend.
pub fn can_be_stored(value: &str) -> bool {
    !value.contains('\0')
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
