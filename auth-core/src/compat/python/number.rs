//! Python's `int(text)` for the numbers Django reads out of stored values.

/// Python's `int(text)` for the numbers Django reads out of encoded values: surrounding
/// whitespace, an optional sign and single `_` between digits are accepted; non-ASCII digits and
/// values beyond `i64` are not (Django would then fail anyway, or compare unequal).
pub fn int(text: &str) -> Option<i64> {
    let text = text.trim();
    let (negative, digits) = match text.strip_prefix('-') {
        Some(digits) => (true, digits),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    if digits.is_empty()
        || digits.starts_with('_')
        || digits.ends_with('_')
        || digits.contains("__")
    {
        return None;
    }
    let mut value: i64 = 0;
    for byte in digits.bytes() {
        match byte {
            b'0'..=b'9' => {
                value = value.checked_mul(10)?.checked_add(i64::from(byte - b'0'))?;
            }
            b'_' => {}
            _ => return None,
        }
    }
    Some(if negative { -value } else { value })
}

#[cfg(test)]
mod tests {
    use super::int as py_int;

    #[test]
    fn python_int_parsing() {
        assert_eq!(py_int("1000"), Some(1000));
        assert_eq!(py_int(" 12\n"), Some(12));
        assert_eq!(py_int("+7"), Some(7));
        assert_eq!(py_int("-5"), Some(-5));
        assert_eq!(py_int("1_000"), Some(1000));
        assert_eq!(py_int("012"), Some(12));
        for bad in [
            "",
            "-",
            "_1",
            "1_",
            "1__0",
            "abc",
            "1.0",
            "0x10",
            "99999999999999999999",
        ] {
            assert_eq!(py_int(bad), None, "{bad}");
        }
    }
}
