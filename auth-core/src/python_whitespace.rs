//! Python's notion of whitespace (`str.isspace()`), which DRF's `CharField` trimming
//! (`str.strip()`) and DRF's `get_ident` (`''.join(xff.split())`) use: Unicode whitespace, as
//! Rust's `char::is_whitespace`, plus the information separators U+001C–U+001F, which Python
//! counts as space and Rust does not.

/// Whether Python's `str.isspace()` holds for `character`.
pub fn is_python_whitespace(character: char) -> bool {
    character.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&character)
}

/// Python's `text.strip()`.
pub fn python_strip(text: &str) -> &str {
    text.trim_matches(is_python_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_what_python_strips() {
        assert_eq!(python_strip("\u{1c}john\u{1f} \u{3000}\u{85}"), "john");
        assert_eq!(python_strip("\u{2}\u{1f}\u{1f}"), "\u{2}");
        assert_eq!(python_strip("a\u{1f}b"), "a\u{1f}b");
        // Not Python whitespace: NUL and the other C0 controls.
        assert_eq!(python_strip("\0x\u{1b}"), "\0x\u{1b}");
    }
}
