//! oauthlib's `urldecode` (`oauthlib/common.py`): what of a query string it refuses to decode,
//! which makes every DOT endpoint fail (a `ValueError` nothing catches).

/// oauthlib's `INVALID_HEX_PATTERN` (`%[^A-Fa-f0-9]|%[A-Fa-f0-9][^A-Fa-f0-9]`) on the query:
/// `urldecode` raises `ValueError("Invalid hex encoding in query string.")`. A `%` in the last
/// two characters with only hex digits after it is not matched.
pub fn has_invalid_hex_escape(query: &str) -> bool {
    let bytes = query.as_bytes();
    bytes.iter().enumerate().any(|(at, &byte)| {
        byte == b'%'
            && match (bytes.get(at + 1), bytes.get(at + 2)) {
                (Some(first), _) if !first.is_ascii_hexdigit() => true,
                (Some(_), Some(second)) => !second.is_ascii_hexdigit(),
                _ => false,
            }
    })
}
