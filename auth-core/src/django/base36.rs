//! `django.utils.http.int_to_base36` and `base36_to_int`: the timestamp of a password-reset
//! token, and the user id of allauth's reset links.

use crate::compat::python::number::int_with_base;

/// `int_to_base36(i)`: lower-case digits and letters, no sign (Django refuses negative input,
/// which an unsigned type cannot hold).
pub fn int_to_base36(mut value: u128) -> String {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = Vec::new();
    loop {
        // `value % 36` is below 36: the index is in range.
        out.push(DIGITS[(value % 36) as usize]);
        value /= 36;
        if value == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// `base36_to_int(s)`: at most 13 characters (Django's guard against huge numbers), read as
/// Python's `int(s, 36)` reads them — surrounding whitespace, one sign, single `_` between
/// digits, either case. `None` where Python raises `ValueError`.
pub fn base36_to_int(text: &str) -> Option<i128> {
    // `len(s)` counts characters.
    if text.chars().count() > 13 {
        return None;
    }
    int_with_base(text, 36)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base36_is_djangos() {
        // int_to_base36 / base36_to_int on Django 6.1.
        assert_eq!(int_to_base36(0), "0");
        assert_eq!(int_to_base36(35), "z");
        assert_eq!(int_to_base36(820_000_000), "dk7g1s");
        assert_eq!(int_to_base36(u128::from(u64::MAX)), "3w5e11264sgsf");
        assert_eq!(base36_to_int("dk7g1s"), Some(820_000_000));
        assert_eq!(base36_to_int(" DK7G1S\n"), Some(820_000_000));
        assert_eq!(base36_to_int("d_k7g1s"), Some(820_000_000));
        assert_eq!(base36_to_int("-1"), Some(-1));
        assert_eq!(
            base36_to_int("zzzzzzzzzzzzz"),
            Some(170_581_728_179_578_208_255)
        );
        for bad in [
            "",
            "-",
            "_1",
            "1_",
            "1__0",
            "1.0",
            "zzzzzzzzzzzzzz",
            "dk7g1s!",
        ] {
            assert_eq!(base36_to_int(bad), None, "{bad:?}");
        }
    }
}
