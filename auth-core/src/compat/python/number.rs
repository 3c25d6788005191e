//! Python's `int(text)` for the numbers Django reads out of stored values.

/// Python's `int(text)` for the numbers Django reads out of encoded values: surrounding
/// whitespace, an optional sign and single `_` between digits are accepted; non-ASCII digits and
/// values beyond `i64` are not (Django would then fail anyway, or compare unequal).
pub fn int(text: &str) -> Option<i64> {
    int_with_base(text, 10).and_then(|value| i64::try_from(value).ok())
}

/// Python's `int(text, base)` (`base` 2 to 36, digits beyond 9 as letters of either case), with
/// the rules of [`int`]; values beyond `i128` are refused.
pub fn int_with_base(text: &str, base: u32) -> Option<i128> {
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
    let mut value: i128 = 0;
    for c in digits.chars() {
        if c == '_' {
            continue;
        }
        let digit = c.to_digit(base)?;
        value = value
            .checked_mul(i128::from(base))?
            .checked_add(i128::from(digit))?;
    }
    Some(if negative { -value } else { value })
}

/// Python's `int(value)` for a JSON value (a JWT claim, a session's stored key): integers as they are, floats truncated toward zero
/// (beyond `i128`, the nearest `i128`, which compares with any timestamp as the float would),
/// `true`/`false` as 1/0, decimal text as `int("…")` reads it; anything else (null, a list, an
/// object, NaN, an infinity, other text) is refused as Python's `int()` refuses it.
pub fn python_int(value: &serde_json::Value) -> Option<i128> {
    match value {
        serde_json::Value::Bool(flag) => Some(i128::from(*flag)),
        serde_json::Value::Number(number) => {
            if let Some(int) = number.as_i64() {
                Some(i128::from(int))
            } else if let Some(int) = number.as_u64() {
                Some(i128::from(int))
            } else {
                let float = number.as_f64()?;
                // `as` saturates at the bounds of i128.
                float.is_finite().then(|| float.trunc() as i128)
            }
        }
        serde_json::Value::String(text) => int(text).map(i128::from),
        _ => None,
    }
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
