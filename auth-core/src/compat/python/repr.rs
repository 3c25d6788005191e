//! Python's `repr()` of a `str` and of a `float`, as Django's messages and its JSON serializer
//! write them.

/// Python's `repr(str)`: single quotes unless the text has a `'` and no `"`; backslash, the
/// quote, `\t \n \r` and other control characters escaped (exact for ASCII text).
pub fn repr_str(text: &str) -> String {
    let quote = if text.contains('\'') && !text.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(text.len() + 2);
    out.push(quote);
    for ch in text.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            _ if ch == quote => {
                out.push('\\');
                out.push(ch);
            }
            _ if ch.is_control() || (!ch.is_ascii() && ch.is_whitespace()) => {
                let code = u32::from(ch);
                let escaped = match code {
                    0..=0xff => format!("\\x{code:02x}"),
                    0x100..=0xffff => format!("\\u{code:04x}"),
                    _ => format!("\\U{code:08x}"),
                };
                out.push_str(&escaped);
            }
            _ => out.push(ch),
        }
    }
    out.push(quote);
    out
}

/// Python's `repr(float)` for a finite float: the shortest round-tripping digits, in
/// positional notation when the decimal exponent is in `-4..16`, else `d.ddde±XX`.
pub fn repr_float(value: f64) -> String {
    // Rust's `{:e}` gives the shortest round-tripping digit count, but when two strings of
    // that length round-trip it may pick the other one: Python takes the one nearest the exact
    // value, ties to even, which is Rust's exact (round-half-even) formatting at that length.
    let shortest = format!("{value:e}");
    let digit_count = shortest.split_once('e').map_or(1, |(mantissa, _)| {
        mantissa.chars().filter(char::is_ascii_digit).count()
    });
    let nearest = format!("{value:.prec$e}", prec = digit_count.saturating_sub(1));
    let formatted = if nearest.parse::<f64>().is_ok_and(|parsed| parsed == value) {
        nearest
    } else {
        shortest
    };
    let (sign, unsigned) = match formatted.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", formatted.as_str()),
    };
    let Some((mantissa, exponent)) = unsigned.split_once('e') else {
        return formatted;
    };
    let Ok(exponent) = exponent.parse::<i32>() else {
        return formatted;
    };
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let digits = match digits.trim_end_matches('0') {
        "" => "0".to_owned(),
        significant => significant.to_owned(),
    };
    let digit_count = i32::try_from(digits.len()).unwrap_or(i32::MAX);
    // Python's `decpt`: where the decimal point falls relative to the digits.
    let point = exponent.saturating_add(1);
    if !(-4 < point && point <= 16) {
        let (first, rest) = digits.split_at_checked(1).unwrap_or((&digits, ""));
        let fraction = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        let exp_sign = if exponent < 0 { '-' } else { '+' };
        return format!(
            "{sign}{first}{fraction}e{exp_sign}{:02}",
            exponent.unsigned_abs()
        );
    }
    if point <= 0 {
        let zeros = "0".repeat(usize::try_from(-point).unwrap_or(0));
        format!("{sign}0.{zeros}{digits}")
    } else if point >= digit_count {
        let zeros = "0".repeat(usize::try_from(point - digit_count).unwrap_or(0));
        format!("{sign}{digits}{zeros}.0")
    } else {
        let split = usize::try_from(point).unwrap_or(0);
        let (whole, fraction) = digits.split_at_checked(split).unwrap_or((&digits, ""));
        format!("{sign}{whole}.{fraction}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_quoted_and_escaped_as_python_does() {
        assert_eq!(repr_str("X-Csrftoken"), "'X-Csrftoken'");
        assert_eq!(repr_str("It'S"), "\"It'S\"");
        assert_eq!(repr_str("a'b\"c"), "'a\\'b\"c'");
        assert_eq!(
            repr_str("tab\there\n\u{1}\u{a0}"),
            "'tab\\there\\n\\x01\\xa0'"
        );
    }

    #[test]
    // The tie cases are written as their exact binary values, which is the point of them.
    #[allow(clippy::excessive_precision)]
    fn float_repr_layouts() {
        for (value, repr) in [
            (1.0, "1.0"),
            (0.0, "0.0"),
            (-1.5, "-1.5"),
            (1e22, "1e+22"),
            (1.5e-7, "1.5e-07"),
            (1e100, "1e+100"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
            (2.5e-300, "2.5e-300"),
            (0.30000000000000004, "0.30000000000000004"),
            (123456789012345680.0, "1.2345678901234568e+17"),
            (12345678901234567.0, "1.2345678901234568e+16"),
            (1234567890123456.8, "1234567890123456.8"),
            (0.00012345, "0.00012345"),
            (0.000012345, "1.2345e-05"),
            // Two 17-digit strings round-trip; Python takes the nearer (here: ties to even).
            (-23006846042975.3125, "-23006846042975.312"),
            (200429049343538.125, "200429049343538.12"),
        ] {
            assert_eq!(repr_float(value), repr, "{value}");
        }
    }
}
