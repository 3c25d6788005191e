//! The `Authorization` header as Basic, DRF token and knox authentication read it, up to the
//! point where they would query the database: field splitting, scheme matching, the lenient
//! base64 of Basic, the UTF-8/Latin-1 credentials text and the `user:password` split, the token
//! checks, and knox's lookup key and digest.
//!
//! The first byte picks a prefix (none, `Basic `, `Token `, `Bearer `, `Token ` + a knox-like
//! token) so that every scheme's branch is reached from the first inputs on; the rest is the
//! header as sent.
#![no_main]

use auth_core::authentication::authorization_header::Fields;
use auth_core::authentication::basic::credentials_text;
use auth_core::compat::python::binascii;
use auth_core::compat::python::text::is_bytes_whitespace;
use auth_core::knox::{TOKEN_KEY_LENGTH, digest, token_key};
use libfuzzer_sys::fuzz_target;

const PREFIXES: [&[u8]; 6] = [
    b"",
    b"Basic ",
    b"Token ",
    b"Bearer ",
    b"Token pfx_",
    b"basic\x0b",
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let prefix = PREFIXES[usize::from(selector) % PREFIXES.len()];
    let header = [prefix, rest].concat();
    check_header(&header);
});

fn check_header(header: &[u8]) {
    let parsed = Fields::parse(header);
    assert_eq!(parsed, Fields::parse(header), "parsing is deterministic");
    let Some(fields) = parsed else {
        assert!(
            header.iter().all(|&byte| is_bytes_whitespace(byte)),
            "no fields only for a blank header"
        );
        return;
    };
    assert_field(fields.scheme, header);
    if let Some(credentials) = fields.credentials {
        assert_field(credentials, header);
    } else {
        assert!(!fields.has_extra, "a third field needs a second");
    }
    // The reference compares with `str.lower()` on Latin-1 text, which equals ASCII folding
    // only for the ASCII keywords used here.
    for keyword in ["basic", "Token", "Bearer"] {
        assert_eq!(
            fields.scheme_is(keyword),
            fields.scheme.eq_ignore_ascii_case(keyword.as_bytes())
        );
    }
    // Re-joining the fields with a plain space gives the same split.
    let mut rejoined = fields.scheme.to_vec();
    if let Some(credentials) = fields.credentials {
        rejoined.push(b' ');
        rejoined.extend_from_slice(credentials);
        if fields.has_extra {
            rejoined.extend_from_slice(b" x");
        }
    }
    assert_eq!(Fields::parse(&rejoined), Some(fields));

    let Some(credentials) = fields.credentials else {
        return;
    };
    if fields.has_extra {
        return;
    }
    if fields.scheme_is("basic") {
        check_basic(credentials);
    }
    check_token(credentials);
}

/// A field is non-empty, holds no separator, and is a piece of the header.
fn assert_field(field: &[u8], header: &[u8]) {
    assert!(!field.is_empty());
    assert!(!field.iter().any(|&byte| is_bytes_whitespace(byte)));
    assert!(header.windows(field.len()).any(|window| window == field));
}

fn check_basic(encoded: &[u8]) {
    let Ok(decoded) = binascii::a2b_base64(encoded) else {
        return;
    };
    let text = credentials_text(&decoded);
    match std::str::from_utf8(&decoded) {
        Ok(utf8) => assert_eq!(text, utf8),
        // Latin-1: one character per byte, each the byte's code point.
        Err(_) => assert!(
            text.chars()
                .map(u32::from)
                .eq(decoded.iter().map(|&b| u32::from(b)))
        ),
    }
    if let Some((username, password)) = text.split_once(':') {
        assert!(!username.contains(':'));
        assert_eq!(username.len() + 1 + password.len(), text.len());
    }
}

fn check_token(key: &[u8]) {
    let Ok(token) = std::str::from_utf8(key) else {
        return;
    };
    let lookup = token_key(token);
    assert!(token.starts_with(lookup));
    assert_eq!(
        lookup.chars().count(),
        token.chars().count().min(TOKEN_KEY_LENGTH)
    );
    let hashed = digest(token);
    assert_eq!(hashed.len(), 128);
    assert!(
        hashed
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    );
    assert_eq!(hashed, digest(token), "the digest is deterministic");
}
