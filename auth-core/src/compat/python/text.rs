//! Python's text methods that the reference applies to request data: `str.isspace()` (which
//! DRF's `CharField` trimming, `str.strip()`, and DRF's `get_ident`, `''.join(xff.split())`,
//! use), `bytes.split()`'s whitespace (DRF's `Authorization` header split) and `str.title()`
//! (Django's header display names).
//!
//! Also `bytes.decode("latin-1")`, the decoding WSGI applies to every header value.
//!
//! Python's `str` whitespace is Unicode whitespace, as Rust's `char::is_whitespace`, plus the
//! information separators U+001C–U+001F, which Python counts as space and Rust does not.

use std::borrow::Cow;

/// Whether Python's `str.isspace()` holds for `character`.
pub fn is_python_whitespace(character: char) -> bool {
    character.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&character)
}

/// Python's `text.strip()`.
pub fn python_strip(text: &str) -> &str {
    text.trim_matches(is_python_whitespace)
}

/// Python's `text.split()`: the runs of non-whitespace.
pub fn python_split(text: &str) -> impl Iterator<Item = &str> {
    text.split(is_python_whitespace)
        .filter(|part| !part.is_empty())
}

/// Whether Python's `bytes.split()` splits on `byte`: space, tab, LF, CR, vertical tab, form
/// feed.
///
/// Not `u8::is_ascii_whitespace`, which lacks the vertical tab (`0x0B`).
pub const fn is_bytes_whitespace(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C)
}

/// `bytes.decode("latin-1")`: every byte one code point, as a WSGI server (PEP 3333) hands
/// header values to Django's `request.META`. Borrowed when the bytes are ASCII.
pub fn latin1(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) if text.is_ascii() => Cow::Borrowed(text),
        _ => Cow::Owned(bytes.iter().map(|&byte| char::from(byte)).collect()),
    }
}

/// Python's `str.title()`: a cased character after a cased one is lower-cased, any other
/// upper-cased.
pub fn title(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut previous_cased = false;
    for ch in text.chars() {
        if previous_cased {
            out.extend(ch.to_lowercase());
        } else {
            out.extend(ch.to_uppercase());
        }
        previous_cased = ch.is_lowercase() || ch.is_uppercase();
    }
    out
}

/// `str.splitlines()`: the lines of `text` without their breaks, a break being `\n`, `\r`,
/// `\r\n`, `\x0b`, `\x0c`, `\x1c`, `\x1d`, `\x1e`, `\x85`, `\u2028` or `\u2029`; a last line
/// without a break counts, an empty text has none.
pub fn splitlines(text: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((index, character)) = chars.next() {
        if matches!(
            character,
            '\n' | '\r'
                | '\x0b'
                | '\x0c'
                | '\x1c'
                | '\x1d'
                | '\x1e'
                | '\u{85}'
                | '\u{2028}'
                | '\u{2029}'
        ) {
            lines.push(&text[start..index]);
            start = index + character.len_utf8();
            if character == '\r' && chars.next_if(|(_, next)| *next == '\n').is_some() {
                start += 1;
            }
        }
    }
    if start < text.len() {
        lines.push(&text[start..]);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitlines_is_pythons() {
        // `str.splitlines()` on CPython 3.13.
        assert_eq!(splitlines(""), Vec::<&str>::new());
        assert_eq!(splitlines("a"), ["a"]);
        assert_eq!(splitlines("\na\n"), ["", "a"]);
        assert_eq!(splitlines("a\r\nb\rc\n\nd"), ["a", "b", "c", "", "d"]);
        assert_eq!(splitlines("a\u{2028}b\x0cc\u{85}"), ["a", "b", "c"]);
        assert_eq!(splitlines("a\n\r"), ["a", ""]);
    }

    #[test]
    fn latin1_is_one_code_point_per_byte() {
        assert!(matches!(latin1(b"john"), Cow::Borrowed("john")));
        assert_eq!(latin1("jöhn".as_bytes()), "jÃ¶hn");
        assert_eq!(latin1(b"j\xf6hn"), "jöhn");
        assert_eq!(latin1(b"\x00\x7f\x80\xff"), "\u{0}\u{7f}\u{80}\u{ff}");
    }

    #[test]
    fn strips_what_python_strips() {
        assert_eq!(python_strip("\u{1c}john\u{1f} \u{3000}\u{85}"), "john");
        assert_eq!(python_strip("\u{2}\u{1f}\u{1f}"), "\u{2}");
        assert_eq!(python_strip("a\u{1f}b"), "a\u{1f}b");
        // Not Python whitespace: NUL and the other C0 controls.
        assert_eq!(python_strip("\0x\u{1b}"), "\0x\u{1b}");
    }

    #[test]
    fn bytes_whitespace_includes_the_vertical_tab() {
        let splits: Vec<u8> = (0..=255).filter(|&b| is_bytes_whitespace(b)).collect();
        assert_eq!(splits, [9, 10, 11, 12, 13, 32]);
    }

    #[test]
    fn title_cases_after_an_uncased_character() {
        assert_eq!(title("X-CSRFTOKEN"), "X-Csrftoken");
        assert_eq!(title("x-2fa1b"), "X-2Fa1B");
        assert_eq!(title("it's"), "It'S");
    }
}
